"""What happened when: curated events and events from knowledge cards."""
from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from marketgraph.store.schema import EVENTS

from .. import ids
from ..app import store
from ..components import records, table


def layout(**_):
    with store() as s:
        vendors = s.query("vendors_list")
        df = s.query("events_timeline", kind=None, vendor=None)
    return html.Div([
        html.H2("Timeline"),
        html.P("Each date is shown as precisely as it is known: 2015, 2006-11 or 2012-09-30."),
        html.Div([
            dcc.Dropdown(list(EVENTS.column("kind").choices), None, id=ids.TIMELINE_KIND, placeholder="kind",
                         style={"width": "12em"}),
            dcc.Dropdown([{"label": r.name, "value": r.vendor_id} for r in vendors.itertuples()], None,
                         id=ids.TIMELINE_VENDOR, placeholder="vendor", style={"width": "16em"}),
        ], style={"display": "flex", "gap": "1em", "marginBottom": "0.8em"}),
        table(ids.TIMELINE_TABLE, df, page_size=30),
    ])


@callback(Output(ids.TIMELINE_TABLE, "data"), Input(ids.TIMELINE_KIND, "value"), Input(ids.TIMELINE_VENDOR, "value"))
def filter_events(kind, vendor):
    with store() as s:
        return records(s.query("events_timeline", kind=kind, vendor=vendor))


# Registered after layout() exists: pages are imported by the app factory, not from a pages folder.
dash.register_page(__name__, layout=layout, path="/timeline", name="Timeline", title="marketgraph · timeline", order=3)
