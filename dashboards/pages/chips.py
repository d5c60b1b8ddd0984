"""Accelerators: every chip in an AG Grid (filtered, sorted and paged on the server; the state in the URL), the
citation behind any cell, a spec scatter and perf/W chart that follow the filters, and a side-by-side comparison
of 2–4 chips with their differences highlighted and a source link on every figure."""
from __future__ import annotations

from typing import Any, Mapping

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html, no_update

from marketgraph.present.figures import perf_per_watt_spec, spec_scatter_spec
from marketgraph.present.formats import display_cell
from marketgraph.store.db import Store

from .. import grid as g
from .. import ids, state
from ..cache import cached, store
from ..components import chart_card, chip_col, chip_link, download_link, external, page_header, url_col, vendor_col, \
    vendor_link
from ..components import grid as ag_grid
from ..downloads import chips_frame

PATH = "/chips"
NAME = "Accelerators"
TITLE = "accelerators"
ORDER = 2
MAX_COMPARE = 4
T = "chips"

GROUPS: list[tuple[str, list[tuple[str, str | None, bool]]]] = [  # (group, [(field, header, numeric)])
    ("dates", [("announced", None, False), ("year", None, True), ("available", None, False)]),
    ("compute (dense)", [("bf16_tflops", "BF16", True), ("fp16_tflops", "FP16", True), ("fp8_tflops", "FP8", True),
                         ("fp4_tflops", "FP4", True), ("int8_tops", "INT8", True), ("tf32_tflops", "TF32", True),
                         ("fp32_tflops", "FP32", True), ("fp64_tflops", "FP64", True)]),
    ("memory", [("memory_gb", "memory", True), ("memory_type", "type", False),
                ("memory_bandwidth_tbs", "bandwidth", True), ("onchip_sram_mb", "SRAM", True)]),
    ("power", [("tdp_w", "TDP", True), ("bf16_tflops_per_w", "BF16/W", True)]),
    ("price", [("launch_price_usd", "launch price", True), ("launch_price_kind", "kind", False)]),
    ("silicon", [("process_node", "process", False), ("foundry", None, False), ("die_size_mm2", "die", True),
                 ("transistors_b", "transistors", True)]),
    ("links", [("interconnect", None, False), ("interconnect_gbs", "scale-up", True),
               ("scale_out_gbs", "scale-out", True)]),
]
BETTER_HIGH = {"bf16_tflops", "fp16_tflops", "fp8_tflops", "fp4_tflops", "int8_tops", "tf32_tflops", "fp32_tflops",
               "fp64_tflops", "memory_gb", "memory_bandwidth_tbs", "onchip_sram_mb", "bf16_tflops_per_w",
               "interconnect_gbs", "scale_out_gbs", "int4_tops"}
BETTER_LOW = {"tdp_w", "launch_price_usd"}


def _col(field: str, header: str | None, numeric: bool, sort: Mapping[str, str]) -> dict:
    d = g.column(field, header, table=T if field != "bf16_tflops_per_w" else None, numeric=numeric, width=110)
    if field == "bf16_tflops_per_w":
        d["headerName"] = "BF16/W (TFLOPS/W)"
        d["headerTooltip"] = "Dense BF16 TFLOPS divided by TDP (W): computed, not published."
    if field in sort:
        d["sort"] = sort[field]
    return d


def column_defs(sort: Mapping[str, str] | None = None) -> list[dict]:
    sort = sort or {}
    desc = {f: (g.describe(T, f)[0] or f) for f in ("name", "vendor_id", "family", "segment", "deployment", "form",
                                                     "sales_model")}
    identity = [
        chip_col("chip", headerTooltip=desc["name"], pinned="left", width=190,
                 **({"sort": sort["chip"]} if "chip" in sort else {})),
        vendor_col("vendor", headerTooltip="The vendor that sells it (click for its page).", width=120,
                   **({"sort": sort["vendor"]} if "vendor" in sort else {})),
        *[{**g.column(f, table=T, width=110), **({"sort": sort[f]} if f in sort else {})}
          for f in ("family", "segment", "deployment", "form", "sales_model")],
    ]
    defs = [{"headerName": "identity", "children": identity}]
    for name, cols in GROUPS:
        defs.append({"headerName": name, "children": [_col(f, h, n, sort) for f, h, n in cols]})
    defs.append({"headerName": "sources", "children": [url_col("source_urls", "datasheet", width=160,
                                                               sortable=False)]})
    return defs


def parse_sort(text: str | None) -> list[dict[str, str]]:
    """'bf16_tflops:desc,vendor:asc' → AG Grid's sort model."""
    out = []
    for part in (text or "").split(","):
        col, _, direction = part.partition(":")
        if col and direction in ("asc", "desc"):
            out.append({"colId": col, "sort": direction})
    return out


def dump_sort(model: Any) -> str | None:
    parts = [f"{m['colId']}:{m['sort']}" for m in (model or []) if isinstance(m, dict) and m.get("colId")
             and m.get("sort") in ("asc", "desc")]
    return ",".join(parts) or None


def layout(params: Mapping[str, str], **_) -> html.Div:
    filter_model = g.load_model(params.get("filter"), dict)
    sort_model = parse_sort(params.get("sort"))
    compare_ids = state.as_list(params.get("compare"))[:MAX_COMPARE]
    with store() as s:
        scatter_df = g.apply_filter(chips_frame(s), filter_model)
        n = len(scatter_df)  # the count of the view in the URL: the grid keeps it unless the filters change
        comparison = compare_view(s, compare_ids) if compare_ids else compare_hint()
        extras = mlperf_section(s)
    grid_state = {"filter": filter_model or None, "sort": sort_model or None}
    return html.Div([
        dcc.Location(id=ids.CHIPS_URL, refresh=False),
        dcc.Store(id=ids.CHIPS_STATE, data=grid_state),
        dcc.Store(id=ids.CHIPS_COMPARE, data=compare_ids),
        page_header("Accelerators", "Dense peak figures only (TFLOPS/TOPS), decimal units; empty means no source "
                                    "we read states it. Filter in the row under the headers; click a cell for its "
                                    "source; tick 2–4 chips to compare them."),
        html.Div([html.Span(f"{n} accelerators", id=ids.CHIPS_COUNT, className="fw-bold me-3"),
                  html.Span(downloads(grid_state), id=ids.CHIPS_DOWNLOAD)], className="mb-1"),
        ag_grid(ids.CHIPS_GRID, column_defs({m["colId"]: m["sort"] for m in sort_model}), server=True,
                row_id="chip_id", height=460, filterModel=filter_model,
                options={"rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": False,
                                          "enableClickSelection": False},
                         "selectionColumnDef": {"pinned": "left", "width": 44, "maxWidth": 44}},
                default_col_def={"sortable": True, "resizable": True, "filter": True, "floatingFilter": True,
                               "minWidth": 80, "suppressHeaderMenuButton": False}),
        html.Div(id=ids.CHIPS_CITATION, className="mt-2 small"),
        html.Div(comparison, id=ids.CHIPS_COMPARE_BUTTON, className="mt-3"),
        dbc.Row([
            dbc.Col(chart_card(dcc.Graph(id=ids.CHIPS_SCATTER, figure=spec_scatter_spec(scatter_df),
                                         config={"displaylogo": False})), lg=7),
            dbc.Col(chart_card(dcc.Graph(id=ids.CHIPS_PERF_W, figure=perf_per_watt_spec(scatter_df),
                                         config={"displaylogo": False})), lg=5),
        ], className="g-2 mt-1"),
        html.Div(extras, id=ids.CHIPS_MLPERF),
    ])


def rows(request, grid_state):
    """One block of rows for the grid, filtered and sorted on the server; the count, the download link and
    the grid's filter/sort state (for the URL and the charts) change only when the filters or sorting do."""
    request = request if isinstance(request, dict) else {}
    with store() as s:
        df = chips_frame(s)
        response = g.page(df, request)
    new_state = {"filter": request.get("filterModel") or None, "sort": request.get("sortModel") or None}
    if new_state == grid_state:
        return response, no_update, no_update, no_update
    return response, f"{response['rowCount']} accelerators", downloads(new_state), new_state


def downloads(grid_state: Mapping[str, Any]) -> list:
    """The download links of the grid's current view (its filters and sorting)."""
    return [download_link(None, "chips", "CSV of these rows", filter=g.dump_model(grid_state.get("filter")),
                          sort=g.dump_model(grid_state.get("sort"))),
            download_link(None, "chips", "JSON", "json", filter=g.dump_model(grid_state.get("filter"))),
            download_link(None, "sources", "all sources CSV")]


def charts(grid_state):
    """The scatter and perf/W follow the grid's filters (not its sort or scrolling)."""
    with store() as s:
        df = g.apply_filter(chips_frame(s), (grid_state or {}).get("filter"))
    return spec_scatter_spec(df), perf_per_watt_spec(df)


def url(grid_state, compare):
    gs = grid_state or {}
    return state.encode({"filter": g.dump_model(gs.get("filter")), "sort": dump_sort(gs.get("sort")),
                         "compare": compare or None})


def citation(cell):
    """The source of the clicked cell: the figure's own citation, else the row's datasheet."""
    if not isinstance(cell, dict) or not cell.get("rowId"):
        return no_update
    chip_id, field = str(cell["rowId"]), str(cell.get("colId") or "")
    with store() as s:
        cites = s.query("dashboard/chip_citations", chip_ids=[chip_id])
        name = chips_frame(s).set_index("chip_id").chip.get(chip_id, chip_id)
    own = cites[cites.field == field]
    shown = own if len(own) else cites[cites.field.isna()]
    what = f"{field}" if len(own) else "the row (no source cites this figure alone)"
    if shown.empty:
        return dbc.Alert(f"No source is recorded for {name}.", color="light", className="py-1")
    return dbc.Alert([html.Strong(f"{name} · {what}: "), *[
        html.Span([f"{r.publisher}, ", external(r.url, r.title), f" (accessed {r.accessed})",
                   f" — {r.note}" if isinstance(r.note, str) else "", html.Br()]) for r in shown.itertuples()]],
        color="light", className="py-1")


def select(selected):
    """Ticked rows become the comparison (at most four; the first four ticked)."""
    if not isinstance(selected, list) or not selected:
        return no_update
    chosen = [r.get("chip_id") for r in selected if isinstance(r, dict) and r.get("chip_id")][:MAX_COMPARE]
    return chosen


def show_compare(compare):
    with store() as s:
        return compare_view(s, compare or []) if compare else compare_hint()


# ---------------------------------------------------------------- the comparison

def compare_hint() -> html.Div:
    return html.Div("Tick 2–4 chips in the grid to compare them side by side.", className="text-muted small")


def _value(v) -> str:
    return display_cell(v) if not (isinstance(v, float) and v != v) else ""


def compare_view(s: Store, chip_ids: list[str]) -> Any:
    """A table of fields × chips: a row whose values differ is highlighted and the best figure is bold; every
    figure links to the source that states it (its own citation, else the row's datasheet)."""
    df = chips_frame(s)
    df = df[df.chip_id.isin(chip_ids)].set_index("chip_id")
    order = [c for c in chip_ids if c in df.index]
    if not order:
        return dbc.Alert("None of those chips is in the database.", color="warning", className="py-1")
    df = df.loc[order]
    cites = s.query("dashboard/chip_citations", chip_ids=order)
    export = export_classes(s)
    if export is not None:
        df = df.join(export.set_index("chip_id"), how="left")
    own = {(r.chip_id, r.field): r.url for r in cites.itertuples() if isinstance(r.field, str)}
    row_src = {}
    for r in cites[cites.field.isna()].itertuples():
        row_src.setdefault(r.chip_id, r.url)
    fields = [f for _, cols in GROUPS for f, _, _ in cols] + ["segment", "deployment", "form", "sales_model"]
    if export is not None:
        fields += ["tpp", "performance_density", "export_class", "rule"]
    head = html.Tr([html.Th("")] + [html.Th([chip_link(c, df.loc[c, "chip"]), html.Br(),
                                             vendor_link(df.loc[c, "vendor_id"], df.loc[c, "vendor"])])
                                    for c in order])
    body = []
    for f in fields:
        vals = [df.loc[c, f] for c in order]
        shown = [_value(v) for v in vals]
        if not any(shown):
            continue
        differs = len(set(shown)) > 1
        nums = [v for v in vals if isinstance(v, (int, float)) and v == v]
        best = (max(nums) if f in BETTER_HIGH else min(nums) if f in BETTER_LOW else None) if len(nums) > 1 else None
        desc, unit = g.describe(T, f)
        cells = []
        for c, v, text in zip(order, vals, shown):
            src = own.get((c, f)) or row_src.get(c)
            mark = "own" if (c, f) in own else "row"
            cells.append(html.Td([html.Span(text, className="best" if best is not None and v == best else None),
                                  html.A("[src]" if mark == "own" else "[ds]", href=src, target="_blank",
                                         rel="noopener noreferrer", className="cite",
                                         title="the source of this figure" if mark == "own" else
                                         "the row's datasheet (no source cites this figure alone)")
                                  if text and src else None]))
        body.append(html.Tr([html.Th(f + (f" ({unit.split(' (')[0]})" if unit else ""), title=desc or f)] + cells,
                            className="diff" if differs else None))
    ids_text = ",".join(order)
    return html.Div([
        html.H3(f"Comparing {len(order)} accelerator(s)", className="h6"),
        dbc.Table([html.Thead(head), html.Tbody(body)], bordered=True, size="sm", hover=True,
                  className="compare-table bg-white"),
        html.Div([download_link(None, "compare", "comparison CSV", ids=ids_text),
                  dcc.Link("clear the comparison", href="/chips", className="small")]),
    ], id="compare-view")


def export_classes(s: Store) -> pd.DataFrame | None:
    """The chip_export_class view (data-depth issue) when the database has it."""
    def load():
        if not any(r[0] for r in s.tuples("dashboard/relation_exists", relation="chip_export_class")):
            return None
        return s.query("dashboard/chip_export_class")
    return cached(s, "export-classes", load)


def mlperf_frame(s: Store) -> pd.DataFrame:
    """Best closed-division result per chip, benchmark and scenario, with the chip's name (cached per file)."""
    def load():
        df = s.query("dashboard/mlperf_per_chip")
        return df.assign(chip=df.chip_id.map(chips_frame(s).set_index("chip_id").chip))
    return cached(s, "mlperf", load)


def mlperf_rows(request):
    """One block of MLPerf rows (filtered and sorted on the server, like the chips grid)."""
    with store() as s:
        return g.page(mlperf_frame(s), request)


def mlperf_section(s: Store) -> Any:
    df = mlperf_frame(s)
    if df.empty:
        return html.P("No MLPerf results in this database yet (marketgraph import mlperf FILE adds them).",
                      className="small text-muted")
    cols = [chip_col("chip", width=180), g.column("benchmark", width=140), g.column("scenario", width=110),
            g.column("per_accelerator", "result per accelerator", numeric=True, width=150),
            g.column("result_units", "unit", width=110),
            g.column("per_dense_pflop", "per dense PFLOP", numeric=True, width=140),
            g.column("rounds", width=100), url_col("source_url", width=140)]
    return html.Div([html.H3("Measured: MLPerf throughput per accelerator and per dense peak PFLOP",
                             className="h6 mt-2"),
                     html.Span(f"{len(df):,} results", className="small fw-bold"),
                     ag_grid(ids.CHIPS_MLPERF_GRID, cols, server=True, height=300),
                     download_link(None, "mlperf", "MLPerf CSV")])


def register(app) -> None:
    app.callback(Output(ids.CHIPS_GRID, "getRowsResponse"), Output(ids.CHIPS_COUNT, "children"),
                 Output(ids.CHIPS_DOWNLOAD, "children"), Output(ids.CHIPS_STATE, "data"),
                 Input(ids.CHIPS_GRID, "getRowsRequest"), State(ids.CHIPS_STATE, "data"))(rows)
    app.callback(Output(ids.CHIPS_MLPERF_GRID, "getRowsResponse"), Input(ids.CHIPS_MLPERF_GRID, "getRowsRequest"))(
        mlperf_rows)
    app.callback(Output(ids.CHIPS_SCATTER, "figure"), Output(ids.CHIPS_PERF_W, "figure"),
                 Input(ids.CHIPS_STATE, "data"), prevent_initial_call=True)(charts)
    app.callback(Output(ids.CHIPS_URL, "search"), Input(ids.CHIPS_STATE, "data"), Input(ids.CHIPS_COMPARE, "data"),
                 prevent_initial_call=True)(url)
    app.callback(Output(ids.CHIPS_CITATION, "children"), Input(ids.CHIPS_GRID, "cellClicked"),
                 prevent_initial_call=True)(citation)
    app.callback(Output(ids.CHIPS_COMPARE, "data"), Input(ids.CHIPS_GRID, "selectedRows"),
                 prevent_initial_call=True)(select)
    app.callback(Output(ids.CHIPS_COMPARE_BUTTON, "children"), Input(ids.CHIPS_COMPARE, "data"),
                 prevent_initial_call=True)(show_compare)
