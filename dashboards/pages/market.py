"""The market: concentration over time with its intervals, vendor shares, the market graph for two years side
by side, the allocation of 'both' parts between training and inference, and the what-if panel.

The basis picks what a share is (shipped compute when the shipments model has produced it, else launch counts
or one publisher's estimate); the year choices follow the basis, and the whole view lives in the URL.
"""
from __future__ import annotations

from typing import Any, Mapping

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from marketgraph.errors import MarketgraphError
from marketgraph.market import metrics
from marketgraph.market.concentration import concentration, shares
from marketgraph.market.findings import hhi_text
from marketgraph.market.names import vendor_names
from marketgraph.market.whatif import run_whatif
from marketgraph.present.figures import (concentration_trend_spec, is_low_coverage, market_graph_spec,
                                         vendor_share_area_spec)
from marketgraph.store.db import Store

from .. import ids, state
from ..cache import cached, store
from ..components import chart_card, download_link, dropdown, grid, labelled, page_header, vendor_col
from ..grid import column, records

from marketgraph.market.allocation import reallocate
from marketgraph.market.shipped import MEASURES as SHIPPED_BASES

PATH = "/market"
NAME = "Market"
TITLE = "market"
ORDER = 1
PREFERRED_BASES = ("shipped_compute", "shipped_h100e", "shipped_units", "products_announced_3y",
                   "products_announced")
SEGMENT_ORDER = ("training", "inference", "all")


def bases(s: Store) -> pd.DataFrame:
    """The bases that have rows, preferred ones first (shipped before launch counts before publishers)."""
    def load():
        df = s.query("dashboard/bases")
        df["order"] = [PREFERRED_BASES.index(b) if b in PREFERRED_BASES else len(PREFERRED_BASES) + (
            1 if b.startswith("forecast") else 0) for b in df.basis]
        return df.sort_values(["order", "basis"]).reset_index(drop=True)
    return cached(s, "market-bases", load)


def basis_label(r) -> str:
    kind = "market share" if r.is_market_share else "count of products, not a market share"
    if isinstance(r.publisher, str):
        measure = str(r.measure or "").replace("_pct", "").replace("_", " ")
        return f"{r.kind}: {r.publisher} · {r.scope} · {measure}"
    return f"{r.basis} ({kind})"


def default_basis(b: pd.DataFrame) -> str | None:
    return b.basis.iloc[0] if len(b) else None


def years_of(s: Store, basis: str) -> list[int]:
    df = concentration(s, basis=basis)
    return sorted(int(y) for y in set(df[df.basis == basis].year))


def segments_of(s: Store, basis: str) -> list[str]:
    df = concentration(s, basis=basis)
    have = set(df[df.basis == basis].segment)
    return [x for x in SEGMENT_ORDER if x in have]


def key_events(s: Store) -> pd.DataFrame:
    return cached(s, "key-events", lambda: s.query("dashboard/key_events"))


def covered_years(s: Store, basis: str) -> list[int]:
    """The basis's years that no segment draws grey (coverage at or above the low-coverage line)."""
    df = concentration(s, basis=basis)
    df = df[df.basis == basis]
    low = set(df[df.coverage_pct.map(is_low_coverage)].year)
    return sorted(int(y) for y in set(df.year) - low)


def default_years(years: list[int], covered: list[int] | None = None) -> tuple[int | None, int | None]:
    """The two years shown first: the latest, and one up to eight years before it — both well covered when
    the basis has such years, so the first view is never a pair of grey, partial years."""
    pool = [y for y in years if y in set(covered)] if covered else []
    pool = pool or years
    if not pool:
        return None, None
    early = next((y for y in pool if y >= pool[-1] - 8), pool[0])
    return early, pool[-1]


def layout(params: Mapping[str, str], **_) -> html.Div:
    with store() as s:
        b = bases(s)
        basis = state.choice(params.get("basis"), list(b.basis), default_basis(b))
        years = years_of(s, basis) if basis else []
        segs = segments_of(s, basis) if basis else []
        covered = covered_years(s, basis) if basis else []
        names = vendor_names(s)
        alloc_years = years_of(s, allocation_basis(basis)) if allocation_basis(basis) in set(b.basis) else []
        alloc_year = default_years(alloc_years, covered_years(s, allocation_basis(basis)))[1]
        alloc_default = allocation_default(s, alloc_year) if alloc_year else None
    a0, b0 = default_years(years, covered)
    year_a = state.choice(params.get("a"), years, a0)
    year_b = state.choice(params.get("b"), years, b0)
    segment = state.choice(params.get("segment"), segs, segs[0] if segs else None)
    options = [{"label": basis_label(r), "value": r.basis} for r in b.itertuples()]
    year_opts = [{"label": str(y), "value": y} for y in years]
    return html.Div([
        dcc.Location(id=ids.MARKET_URL, refresh=False),
        page_header("The market: who supplies training, who supplies inference",
                    "Concentration per segment and year under one share basis. Bases that count products "
                    "measure breadth, not market share; merger-guideline thresholds apply to market shares."),
        html.Div([
            labelled("share basis", dropdown(ids.MARKET_BASIS, options, basis, width="34em", clearable=False)),
            labelled("segment (shares chart)", dropdown(ids.MARKET_SEGMENT, segs, segment, width="10em",
                                                        clearable=False)),
            labelled("year", dropdown(ids.MARKET_YEAR_A, year_opts, year_a, width="7em", clearable=False)),
            labelled("vs", dropdown(ids.MARKET_YEAR_B, year_opts, year_b, width="7em", clearable=False)),
        ], className="controls"),
        html.Div(id=ids.MARKET_COVERAGE),
        dbc.Row([
            dbc.Col(chart_card(dcc.Graph(id=ids.MARKET_TREND, config={"displaylogo": False}),
                               [html.Span(id=ids.MARKET_DOWNLOADS)]), lg=7),
            dbc.Col(chart_card(dcc.Graph(id=ids.MARKET_AREA, config={"displaylogo": False})), lg=5),
        ], className="g-2"),
        chart_card(dcc.Graph(id=ids.MARKET_GRAPH, config={"displaylogo": False})),
        dbc.Row([
            dbc.Col(allocation_panel(alloc_years, alloc_year, alloc_default), lg=6),
            dbc.Col(whatif_panel(), lg=6),
        ], className="g-2"),
        html.H3("Concentration table", className="h6 mt-2"),
        grid(ids.MARKET_TABLE, table_columns(), [], height=340),
    ])


def table_columns() -> list[dict]:
    t = "segment_concentration"
    return [column("segment", table=t, width=110), column("year", table=t, numeric=True, width=90),
            vendor_col("leader", "top_vendor_id", headerName="leader", width=120,
                       headerTooltip="the vendor with the largest share (segment_concentration.top_vendor_id)"),
            *[column(c, table=t, numeric=True, width=110) for c in
              ("cr1", "cr1_low", "cr1_high", "cr4", "hhi", "hhi_low", "hhi_high", "effective_vendors",
               "vendor_count", "coverage_pct")],
            column("coverage_note", table=t, width=260), column("basis", table=t, width=260)]


def allocation_basis(basis: str | None) -> str:
    """The slider splits what ships: the page's basis when it is a shipped one, else shipped compute."""
    return basis if basis in SHIPPED_BASES else "shipped_compute"


def allocation_default(s: Store, year: int) -> dict | None:
    """The model's default inference share of 'both' parts for ``year`` (segment_allocation), with its range."""
    rows = s.rows("dashboard/allocation_default", year=int(year))
    return rows[0] if rows else None


def allocation_panel(years: list[int], year: int | None, default: Mapping[str, Any] | None) -> dbc.Card:
    pct = default["inference_pct"] if default and default.get("inference_pct") is not None else 50
    note = (f"The model's default for {year}: {pct:g}% to inference (swept "
            f"{default['inference_pct_low']:g}–{default['inference_pct_high']:g}% for the intervals); "
            "parts positioned for one segment keep it." if default and year else
            "No shipment model in this database: the slider has nothing to split.")
    return dbc.Card([dbc.CardHeader("Allocation: what share of 'both' parts goes to inference", id="allocation"),
                     dbc.CardBody([
                         html.Div([labelled("year", dropdown(ids.ALLOC_YEAR, years, year, width="7em",
                                                             clearable=False))], className="controls"),
                         dcc.Slider(0, 100, 5, value=pct, id=ids.ALLOC_SLIDER,
                                    marks={0: "0%", 25: "25%", 50: "50%", 75: "75%", 100: "100%"},
                                    tooltip={"placement": "bottom", "always_visible": False},
                                    disabled=not years),
                         html.Div(note, className="small text-muted"),
                         html.Div(id=ids.ALLOC_RESULT, className="small mt-2")])], className="mb-3 shadow-sm")


def whatif_panel() -> dbc.Card:
    return dbc.Card([dbc.CardHeader("What if? (the segment and first year above)"), dbc.CardBody([
        html.Div([
            labelled("scenario", dcc.RadioItems([{"label": " merger", "value": "merge"},
                                                 {"label": " entrant", "value": "entrant"},
                                                 {"label": " shift", "value": "shift"}], "merge",
                                                id=ids.WHATIF_KIND, inline=True, inputClassName="ms-2")),
            labelled("vendor A", dropdown(ids.WHATIF_A, [], None, width="11em")),
            labelled("vendor B / entrant", dcc.Input(id=ids.WHATIF_B, type="text", placeholder="vendor id or name",
                                                     debounce=True, style={"width": "11em"})),
            labelled("points", dcc.Input(id=ids.WHATIF_POINTS, type="number", value=10, min=0, max=100,
                                         style={"width": "6em"})),
            dbc.Button("Run", id=ids.WHATIF_RUN, size="sm", color="secondary"),
        ], className="controls"),
        html.Div(id=ids.WHATIF_RESULT, className="small")])], className="mb-3 shadow-sm")


def coverage_warning(s: Store, basis: str, years: list[int]) -> Any:
    df = concentration(s, basis=basis)
    df = df[(df.basis == basis) & df.year.isin(years)]
    low = df[df.coverage_pct.map(is_low_coverage)]
    if low.empty:
        return None
    # One line per year (the segments of a year share the designers the basis covers), the long note folded.
    items = []
    for year, g in low.groupby("year"):
        cov = ", ".join(f"{r.segment} {r.coverage_pct:.0f}%" for r in g.itertuples())
        note = next((n for n in g.coverage_note if isinstance(n, str) and n), None)
        items.append(html.Li([html.B(str(year)), f": coverage {cov}",
                              html.Details([html.Summary("what is covered", className="small"), note])
                              if note else None]))
    return dbc.Alert([html.Div("Low coverage — drawn grey: the basis attributes only part of the market in these "
                               "years, so a high HHI there describes the covered designers, not a monopoly."),
                      html.Ul(items, className="mb-0")], color="secondary", className="small py-2")


def update(basis, segment, year_a, year_b):
    """Everything the controls drive, from one Store: year choices that follow the basis, the figures, the table,
    the what-if vendors and the URL."""
    with store() as s:
        b = bases(s)
        basis = state.choice(basis, list(b.basis), default_basis(b))
        if basis is None:
            return ([], None, [], None, [], None, no_update, no_update, no_update, [], None, [], [], "")
        years = years_of(s, basis)
        segs = segments_of(s, basis)
        a0, b0 = default_years(years, covered_years(s, basis))
        year_a = state.choice(year_a, years, a0)
        year_b = state.choice(year_b, years, b0)
        segment = state.choice(segment, segs, segs[0] if segs else None)
        trend = concentration_trend_spec(s, basis, key_events(s))
        area = vendor_share_area_spec(s, basis, segment)
        graph = market_graph_spec(s, year_a, year_b if year_b != year_a else None, basis)
        table = concentration(s, basis=basis)
        table = table[table.basis == basis].copy()
        warning = coverage_warning(s, basis, [year_a, year_b])
        try:
            vendors = list(shares(s, segment, year_a, basis))
        except MarketgraphError:
            vendors = []
        names = vendor_names(s)
    year_opts = [{"label": str(y), "value": y} for y in years]
    links = [download_link(None, "concentration", "concentration CSV", basis=basis),
             download_link(None, "shares", f"{segment} shares CSV", basis=basis, segment=segment),
             download_link(None, "concentration", "JSON", "json", basis=basis)]
    search = state.encode({"basis": basis if basis != default_basis(b) else None, "segment": segment,
                           "a": year_a, "b": year_b})
    table["leader"] = table.top_vendor_id.map(lambda v: names.get(v, v))
    return (year_opts, year_a, year_opts, year_b, segs, segment, trend, area, graph, records(table), warning,
            links, [{"label": names.get(v, v), "value": v} for v in vendors], search)


def allocate(year, inference_pct, basis=None):
    """The allocation slider: training and inference shares recomputed with ``inference_pct`` of the 'both'
    parts' shipments counted as inference, through the market model's ``reallocate`` (central figures)."""
    if year is None or isinstance(inference_pct, bool) or not isinstance(inference_pct, (int, float)):
        return "Pick a year."
    basis = allocation_basis(basis if isinstance(basis, str) else None)
    with store() as s:
        try:
            result = reallocate(s, int(year), float(inference_pct), basis)
        except (MarketgraphError, TypeError, ValueError) as e:
            return dbc.Alert(str(e), color="warning", className="small py-2")
        names = vendor_names(s)
    return allocation_view(result, names, basis, float(inference_pct))


def allocation_view(result: Mapping[str, Any], names: Mapping[str, str], basis: str, pct: float) -> Any:
    """Per segment: CR1, HHI and the largest shares, and how much of the year's total lands in inference."""
    rows = []
    for seg in ("training", "inference"):
        r = result.get(seg)
        if not r:
            continue
        top = list(r["shares"].items())[:4]
        rows.append(html.Tr([html.Td(seg), html.Td(f"{names.get(r['top_vendor_id'], r['top_vendor_id'])} "
                                                   f"{r['cr1']:.0f}%"),
                             html.Td(hhi_text(r["hhi"])),
                             html.Td(", ".join(f"{names.get(v, v)} {x:.0f}%" for v, x in top))]))
    share = result.get("inference_pct_of_total")
    return html.Div([
        dbc.Table([html.Thead(html.Tr([html.Th("segment"), html.Th("leader"), html.Th("HHI"),
                                       html.Th("largest shares")])), html.Tbody(rows)],
                  size="sm", bordered=False, className="mb-1"),
        html.Div(f"With {pct:g}% of 'both' parts to inference, inference takes {share:.0f}% of the year's "
                 f"{basis.replace('_', ' ')} (central estimate, no intervals)." if share is not None else "",
                 className="text-muted")])


def whatif(_, kind, a, b, points, basis, segment, year):
    """The what-if panel: HHI before and after one scenario, and whether the 2023 Guidelines' presumption
    would apply (for bases that are market shares)."""
    if not a or year is None or not segment:
        return "Pick vendor A (and B, or an entrant's name)."
    try:
        pts = float(points if points is not None else 0)
    except (TypeError, ValueError):
        return "Points must be a number."
    b = (b or "").strip()
    with store() as s:
        try:
            kw = {"merge": {"merge": (a, b)}, "entrant": {"entrant": (b or "entrant", str(pts))},
                  "shift": {"shift": (a, b, str(pts))}}[kind]
            r = run_whatif(s, segment, int(year), basis, **kw)
        except (MarketgraphError, KeyError) as e:
            return dbc.Alert(str(e), color="warning", className="small py-2")
    verdict = ("presumed to substantially lessen competition" if r["presumption_applies"] else
               "no structural presumption")
    return html.Div([html.Div(r["scenario"], className="fw-bold"),
                     html.Div(f"HHI {r['hhi_before']:,.0f} → {r['hhi_after']:,.0f} (Δ {r['delta_hhi']:+,.0f}), "
                              f"{r['label_after']}"),
                     html.Div(f"{verdict}. {r['reason']}"),
                     html.Div(f"coverage of the shares: {r['coverage_pct']:.0f}%", className="text-muted")])


def register(app) -> None:
    app.callback(
        Output(ids.MARKET_YEAR_A, "options"), Output(ids.MARKET_YEAR_A, "value"),
        Output(ids.MARKET_YEAR_B, "options"), Output(ids.MARKET_YEAR_B, "value"),
        Output(ids.MARKET_SEGMENT, "options"), Output(ids.MARKET_SEGMENT, "value"),
        Output(ids.MARKET_TREND, "figure"), Output(ids.MARKET_AREA, "figure"), Output(ids.MARKET_GRAPH, "figure"),
        Output(ids.MARKET_TABLE, "rowData"), Output(ids.MARKET_COVERAGE, "children"),
        Output(ids.MARKET_DOWNLOADS, "children"), Output(ids.WHATIF_A, "options"),
        Output(ids.MARKET_URL, "search"),
        Input(ids.MARKET_BASIS, "value"), Input(ids.MARKET_SEGMENT, "value"),
        Input(ids.MARKET_YEAR_A, "value"), Input(ids.MARKET_YEAR_B, "value"))(update)
    app.callback(Output(ids.ALLOC_RESULT, "children"), Input(ids.ALLOC_YEAR, "value"),
                 Input(ids.ALLOC_SLIDER, "value"), Input(ids.MARKET_BASIS, "value"))(allocate)
    app.callback(Output(ids.WHATIF_RESULT, "children"), Input(ids.WHATIF_RUN, "n_clicks"),
                 State(ids.WHATIF_KIND, "value"), State(ids.WHATIF_A, "value"), State(ids.WHATIF_B, "value"),
                 State(ids.WHATIF_POINTS, "value"), State(ids.MARKET_BASIS, "value"),
                 State(ids.MARKET_SEGMENT, "value"), State(ids.MARKET_YEAR_A, "value"),
                 prevent_initial_call=True)(whatif)
