"""The market graph: training vs inference suppliers, side by side for two years, and HHI over time."""
from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from marketgraph.analytics import concentration, latest_year
from marketgraph.figures import concentration_trend_figure, market_graph_figure

from .. import ids
from ..app import current_db
from ..components import records, table


LAUNCH_BASES = ["launches_3y", "launches", "compute_weighted"]


def _years(basis: str) -> list[int]:
    df = concentration(basis=basis, db=current_db())
    per_year = df[df.basis == basis].groupby("year").segment.nunique()
    return sorted(int(y) for y in per_year[per_year == 2].index)


def layout(**_):
    basis = "launches_3y"
    years = _years(basis)
    latest = latest_year(basis, current_db())
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
        table(ids.MARKET_TABLE, concentration(basis=basis, db=current_db()).round(2)),
    ])


@callback(Output(ids.MARKET_GRAPH, "figure"), Output(ids.MARKET_TREND, "figure"), Output(ids.MARKET_TABLE, "data"),
          Input(ids.MARKET_BASIS, "value"), Input(ids.MARKET_YEAR_A, "value"), Input(ids.MARKET_YEAR_B, "value"))
def update(basis, year_a, year_b):
    db = current_db()
    years = _years(basis)
    year_a = year_a if year_a in years else years[0]
    year_b = year_b if year_b in years else years[-1]
    return (market_graph_figure(year_a, year_b, basis, db), concentration_trend_figure(basis, db),
            records(concentration(basis=basis, db=db).round(2)))


# Registered after layout() exists: pages are imported by the app factory, not from a pages folder.
dash.register_page(__name__, layout=layout, path="/market", name="Market", title="marketgraph · market", order=1)
