"""The accelerator table: every chip with its dense figures, filterable."""
from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from .. import ids
from ..app import store
from ..components import records, table


def layout(**_):
    with store() as s:
        vendors = s.query("vendors_list")
        df = s.query("chips_overview", segment=None, vendor=None, deployment=None)
    return html.Div([
        html.H2("Accelerators"),
        html.P("Dense peak figures only (TFLOPS/TOPS), decimal units; empty means no source states it."),
        html.Div([
            dcc.Dropdown(["training", "inference"], None, id=ids.CHIPS_SEGMENT, placeholder="segment",
                         style={"width": "12em"}),
            dcc.Dropdown([{"label": f"{r.name} ({r.chips})", "value": r.vendor_id}
                          for r in vendors.itertuples() if r.chips], None, id=ids.CHIPS_VENDOR,
                         placeholder="vendor", style={"width": "16em"}),
            dcc.Dropdown(["datacenter", "edge", "client"], None, id=ids.CHIPS_DEPLOYMENT,
                         placeholder="deployment", style={"width": "12em"}),
            html.Span(f"{len(df)} accelerators", id=ids.CHIPS_COUNT),
        ], style={"display": "flex", "gap": "1em", "alignItems": "center", "marginBottom": "0.8em"}),
        table(ids.CHIPS_TABLE, df, page_size=25),
    ])


@callback(Output(ids.CHIPS_TABLE, "data"), Output(ids.CHIPS_COUNT, "children"),
          Input(ids.CHIPS_SEGMENT, "value"), Input(ids.CHIPS_VENDOR, "value"), Input(ids.CHIPS_DEPLOYMENT, "value"))
def filter_chips(segment, vendor, deployment):
    with store() as s:
        df = s.query("chips_overview", segment=segment, vendor=vendor, deployment=deployment)
    return records(df), f"{len(df)} accelerators"


# Registered after layout() exists: pages are imported by the app factory, not from a pages folder.
dash.register_page(__name__, layout=layout, path="/chips", name="Accelerators", title="marketgraph · accelerators", order=2)
