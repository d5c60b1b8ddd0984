"""One vendor: its chips, its share under every basis over time, the events it is part of, and the sources behind
all of it. The events and sources grids ask the server for their rows (a large vendor has hundreds of each), so
the page itself stays small."""
from __future__ import annotations

from typing import Mapping

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from marketgraph.errors import UnknownName
from marketgraph.present.figures import vendor_colour, vendor_shares_spec

from ..cache import store
from ..components import chart_card, chip_col, download_link, external, grid, page_header, url_col, vendor_link
from ..downloads import chips_frame, filter_chips
from .. import grid as g
from ..grid import column, records
from .. import ids

PATH = "/vendors/<vendor_id>"
NAME = "Vendor"
TITLE = "vendor"
ORDER = 98
NAV = False


def layout(params: Mapping[str, str], vendor_id: str = "", **_) -> html.Div:
    with store() as s:
        prof = s.rows("dashboard/vendor_profile", vendor_id=vendor_id)
        if not prof:
            raise UnknownName(f"no vendor with id {vendor_id!r}; every vendor is linked from /chips")
        v = prof[0]
        subs = s.rows("dashboard/vendor_subsidiaries", vendor_id=vendor_id)
        chips = filter_chips(chips_frame(s), None, vendor_id, None)
        shares = s.query("dashboard/vendor_shares", vendor_id=vendor_id)
        fig = vendor_shares_spec(s, vendor_id, shares)
    facts = [f"{v['kind']} · {v['country']}" + (f" · founded {v['founded_year']}" if v["founded_year"] else "")]
    if v["parent_vendor_id"]:
        facts += [" · part of ", vendor_link(v["parent_vendor_id"], v["parent"]),
                  f" since {v['parent_since_year']}" if v["parent_since_year"] else ""]
    if subs:
        facts += [" · owns "] + [x for sub in subs for x in (vendor_link(sub["vendor_id"], sub["name"]), " ")]
    if v["website"]:
        facts += [" · ", external(v["website"], "website")]
    chip_cols = [chip_col("chip", width=200), column("family", width=130), column("year", numeric=True, width=80),
                 column("segment", width=100), column("deployment", width=110),
                 column("bf16_tflops", "BF16", table="chips", numeric=True, width=110),
                 column("memory_gb", "memory", table="chips", numeric=True, width=110),
                 column("memory_bandwidth_tbs", "bandwidth", table="chips", numeric=True, width=120),
                 column("tdp_w", "TDP", table="chips", numeric=True, width=90), url_col("source_urls", "datasheet")]
    return html.Div([
        html.Div(style={"borderLeft": f"6px solid {vendor_colour(vendor_id)}", "paddingLeft": "0.6em"}, children=[
            page_header(v["name"], facts)]),
        html.P(v["notes"], className="small text-muted") if v["notes"] else None,
        dbc.Row([
            dbc.Col([html.H3(f"{len(chips)} accelerators", className="h6"),
                     grid(ids.VENDOR_CHIPS, chip_cols, records(chips), height=360),
                     download_link(None, "vendor-chips", "CSV", vendor=vendor_id)], lg=7),
            dbc.Col(chart_card(dcc.Graph(id=ids.VENDOR_SHARES, figure=fig, config={"displaylogo": False}),
                               [download_link(None, "vendor-shares", "shares CSV", vendor=vendor_id)]), lg=5),
        ], className="g-2"),
        dcc.Store(id=ids.VENDOR_ID, data=vendor_id),
        html.H3("events", id=ids.VENDOR_EVENTS_COUNT, className="h6 mt-2"),
        grid(ids.VENDOR_EVENTS, [column("date", width=110), column("title", width=520), column("kind", width=110),
                                 column("origin", width=90), url_col("source_url")], server=True,
             row_id="event_id", height=280),
        download_link(None, "vendor-events", "events CSV", vendor=vendor_id),
        html.H3("sources", id=ids.VENDOR_SOURCES_COUNT, className="h6 mt-3"),
        grid(ids.VENDOR_SOURCES, [column("publisher", width=170), column("title", width=420),
                                  url_col("url", "link", width=140), column("source_type", "type", width=110),
                                  column("backs", width=170), column("citations", numeric=True, width=100),
                                  column("accessed", width=110)], server=True, row_id="source_id", height=300),
        download_link(None, "vendor-sources", "sources CSV", vendor=vendor_id),
    ])


def _rows(query: str, what: str, request, vendor_id) -> tuple[dict, str]:
    """One block of a vendor's events or sources (filtered and sorted on the server) and the heading's count."""
    with store() as s:
        df = s.query(query, vendor_id=str(vendor_id or ""))
    response = g.page(df, request)
    return response, f"{len(df):,} {what}"


def event_rows(request, vendor_id):
    return _rows("dashboard/vendor_events", "events", request, vendor_id)


def source_rows(request, vendor_id):
    return _rows("dashboard/vendor_sources", "sources", request, vendor_id)


def register(app) -> None:
    app.callback(Output(ids.VENDOR_EVENTS, "getRowsResponse"), Output(ids.VENDOR_EVENTS_COUNT, "children"),
                 Input(ids.VENDOR_EVENTS, "getRowsRequest"), State(ids.VENDOR_ID, "data"))(event_rows)
    app.callback(Output(ids.VENDOR_SOURCES, "getRowsResponse"), Output(ids.VENDOR_SOURCES_COUNT, "children"),
                 Input(ids.VENDOR_SOURCES, "getRowsRequest"), State(ids.VENDOR_ID, "data"))(source_rows)
