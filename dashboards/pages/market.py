"""The market graph: training vs inference suppliers, side by side for two years, and HHI over time."""
from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from marketgraph.market.concentration import concentration, years_with_both_segments
from marketgraph.present.figures import concentration_trend_figure, market_graph_figure

from .. import ids
from ..app import store
from ..components import records, table

LAUNCH_BASES = ["products_announced_3y", "products_announced"]


def layout(**_):
    basis = "products_announced_3y"
    with store() as s:
        years = years_with_both_segments(s, basis)
        table_df = concentration(s, basis=basis).round(2)
    latest = years[-1] if years else None
    early = next((y for y in years if y >= 2016), years[0] if years else None)
    return html.Div([
        html.H2("Who supplies training, who supplies inference"),
        html.P("Each vendor sits between the two segments according to where its launches fall; line width is "
               "its share of the segment, marker size its combined share. Shares and HHI come from "
               "segment_concentration."),
        html.Div([
            html.Label(["Basis ", dcc.Dropdown(LAUNCH_BASES, basis, id=ids.MARKET_BASIS, clearable=False,
                                               style={"width": "14em"})]),
            html.Label(["Year ", dcc.Dropdown(years, early, id=ids.MARKET_YEAR_A, clearable=False,
                                              style={"width": "7em"})]),
            html.Label(["vs ", dcc.Dropdown(years, latest, id=ids.MARKET_YEAR_B, clearable=False,
                                            style={"width": "7em"})]),
        ], style={"display": "flex", "gap": "1.5em", "alignItems": "center"}),
        dcc.Graph(id=ids.MARKET_GRAPH),
        dcc.Graph(id=ids.MARKET_TREND),
        html.H3("Concentration table"),
        table(ids.MARKET_TABLE, table_df),
    ])


@callback(Output(ids.MARKET_GRAPH, "figure"), Output(ids.MARKET_TREND, "figure"), Output(ids.MARKET_TABLE, "data"),
          Input(ids.MARKET_BASIS, "value"), Input(ids.MARKET_YEAR_A, "value"), Input(ids.MARKET_YEAR_B, "value"))
def update(basis, year_a, year_b):
    with store() as s:  # one connection; the concentration table is read once for all three outputs
        years = years_with_both_segments(s, basis)
        year_a = year_a if year_a in years else years[0]
        year_b = year_b if year_b in years else years[-1]
        return (market_graph_figure(s, year_a, year_b, basis), concentration_trend_figure(s, basis),
                records(concentration(s, basis=basis).round(2)))


# Registered after layout() exists: pages are imported by the app factory, not from a pages folder.
dash.register_page(__name__, layout=layout, path="/market", name="Market", title="marketgraph · market", order=1)
