"""What happened when: events on a real time axis (the newest years in view) and in a grid newest first, filtered
by kind, vendor, segment and knowledge card; each with its source link and the whole title of the card behind it."""
from __future__ import annotations

from typing import Mapping

from dash import Input, Output, State, dcc, html

from marketgraph.present.figures import timeline_spec
from marketgraph.store.schema import EVENTS

from .. import grid as g
from .. import ids, state
from ..cache import cached, store
from ..components import chart_card, download_link, dropdown, grid, labelled, page_header, url_col
from ..downloads import events_frame, filter_events

PATH = "/timeline"
NAME = "Timeline"
TITLE = "timeline"
ORDER = 3
FILTERS = ("kind", "vendor", "segment", "topic")


def choices(s):
    def load():
        vendors = s.query("vendors_list")
        topics = s.query("dashboard/topics_list")
        return ([{"label": r.name, "value": r.vendor_id} for r in vendors.itertuples()],
                [{"label": r.title, "value": r.topic_id} for r in topics.itertuples()])
    return cached(s, "timeline-choices", load)


def columns() -> list[dict]:
    t = "events"
    return [g.column("date", table=t, schema_column="event_date", width=105, sort="desc"),
            g.column("title", table=t, width=420, tooltipField="title"),
            g.column("kind", table=t, width=110), g.column("vendors", width=150),
            g.column("segments", width=110), g.column("cards", "card", width=220, tooltipField="cards"),
            url_col("source_url", "source", width=150), g.column("origin", table=t, width=90),
            g.column("description", table=t, width=500, tooltipField="description")]


def layout(params: Mapping[str, str], **_) -> html.Div:
    with store() as s:
        vendors, topics = choices(s)
        df = filter_events(events_frame(s), *(params.get(k) for k in FILTERS))
    kinds = list(EVENTS.column("kind").choices)
    return html.Div([
        dcc.Location(id=ids.TIMELINE_URL, refresh=False),
        html.Div(id="timeline-purge", hidden=True),
        page_header("Timeline", "Each date is shown as precisely as it is known (2015, 2006-11, 2012-09-30). "
                                "Drag the chart to go back in time; the grid lists the newest first."),
        html.Div([
            labelled("kind", dropdown(ids.TIMELINE_KIND, kinds, state.choice(params.get("kind"), kinds), "any")),
            labelled("vendor", dropdown(ids.TIMELINE_VENDOR, vendors, params.get("vendor"), "any", width="16em")),
            labelled("segment", dropdown(ids.TIMELINE_SEGMENT, ["training", "inference", "all"],
                                         params.get("segment"), "any", width="10em")),
            labelled("knowledge card", dropdown(ids.TIMELINE_TOPIC, topics, params.get("topic"), "any",
                                                width="22em")),
            html.Span(f"{len(df)} events", id=ids.TIMELINE_COUNT, className="fw-bold align-self-center"),
        ], className="controls"),
        chart_card(dcc.Graph(id=ids.TIMELINE_FIGURE, figure=timeline_spec(df), config={"displaylogo": False}),
                   [html.Span(downloads(params), id=ids.TIMELINE_DOWNLOAD)]),
        grid(ids.TIMELINE_GRID, columns(), server=True, row_id="event_id", height=460,
             options={"tooltipShowDelay": 400}),
    ])


def downloads(params: Mapping[str, str | None]) -> list:
    p = {k: params.get(k) for k in FILTERS}
    return [download_link(None, "events", "events CSV", **p), download_link(None, "events", "JSON", "json", **p)]


def rows(request, kind, vendor, segment, topic):
    """A block of events for the grid, newest first, under the dropdowns' filters and the grid's own."""
    with store() as s:
        df = filter_events(events_frame(s), kind, vendor, segment, topic)
        request = dict(request) if isinstance(request, dict) else {}
        sort = [m for m in request.get("sortModel") or [] if isinstance(m, dict) and m.get("colId") != "date"]
        if not sort:  # the date column sorts by the real date, not its text (2015 vs 2015-06)
            df = df.sort_values("event_date", ascending=(request.get("sortModel") or [{}])[0].get("sort") == "asc",
                                kind="stable")
        request["sortModel"] = sort
        return g.page(df.drop(columns=["event_date", "vendor_ids", "topic_ids"]), request)


def update(kind, vendor, segment, topic):
    """The chart, count, downloads and URL follow the dropdowns."""
    with store() as s:
        df = filter_events(events_frame(s), kind, vendor, segment, topic)
    values = {"kind": kind, "vendor": vendor, "segment": segment, "topic": topic}
    return timeline_spec(df), f"{len(df)} events", downloads(values), state.encode(values)


def register(app) -> None:
    app.callback(Output(ids.TIMELINE_GRID, "getRowsResponse"), Input(ids.TIMELINE_GRID, "getRowsRequest"),
                 State(ids.TIMELINE_KIND, "value"), State(ids.TIMELINE_VENDOR, "value"),
                 State(ids.TIMELINE_SEGMENT, "value"), State(ids.TIMELINE_TOPIC, "value"))(rows)
    app.callback(Output(ids.TIMELINE_FIGURE, "figure"), Output(ids.TIMELINE_COUNT, "children"),
                 Output(ids.TIMELINE_DOWNLOAD, "children"), Output(ids.TIMELINE_URL, "search"),
                 Input(ids.TIMELINE_KIND, "value"), Input(ids.TIMELINE_VENDOR, "value"),
                 Input(ids.TIMELINE_SEGMENT, "value"), Input(ids.TIMELINE_TOPIC, "value"),
                 prevent_initial_call=True)(update)
    # The grid asks for rows itself; when a dropdown changes, its cache is dropped so it asks again.
    app.clientside_callback(
        """function(a, b, c, d) { dash_ag_grid.getApiAsync("%s").then(function (api) { api.purgeInfiniteCache(); });
           return null; }""" % ids.TIMELINE_GRID,
        Output("timeline-purge", "children"), Input(ids.TIMELINE_KIND, "value"), Input(ids.TIMELINE_VENDOR, "value"),
        Input(ids.TIMELINE_SEGMENT, "value"), Input(ids.TIMELINE_TOPIC, "value"), prevent_initial_call=True)
