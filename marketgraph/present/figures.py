"""Plotly figures shared by the dashboard and the reports. Every number drawn comes from the database.

Each figure has a title that says what is measured and in what unit, axis titles, and a source line under the
plot. Vendors keep one colour everywhere (:func:`vendor_colour`), segments theirs, so a reader who learnt that
NVIDIA is green on one chart reads every other chart the same way.
"""
from __future__ import annotations

import zlib
from typing import Iterable

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..market import metrics
from ..market.concentration import concentration
from ..market.findings import hhi_text
from ..market.market_graph import market_graph
from ..market.names import vendor_names
from ..market.shares import window_label
from ..store.db import Store

SEGMENT_COLOURS = {"training": "#1f5fa8", "inference": "#d9822b", "all": "#5b5b5b"}
VENDOR_COLOUR = "#5b5b5b"
LOW_COVERAGE_COLOUR = "#b8b8b8"
# Below this coverage a shipped or published basis attributes too little of the market for its HHI to mean
# concentration: one covered designer would read as a monopoly. Such years are drawn grey with the warning.
LOW_COVERAGE_PCT = 50.0
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"

# The colours analysts already associate with the large vendors; everyone else gets a stable colour from a
# palette by a hash of the id, so a vendor's colour never depends on which other vendors are in the chart.
KNOWN_VENDOR_COLOURS = {
    "nvidia": "#76b900", "amd": "#ed1c24", "intel": "#0071c5", "google": "#fbbc04", "aws": "#ff9900",
    "huawei": "#c7000b", "microsoft": "#00a4ef", "meta": "#0668e1", "cerebras": "#f05a28", "graphcore": "#e5007e",
    "groq": "#f55036", "sambanova": "#ee7624", "qualcomm": "#3253dc", "apple": "#555555", "alibaba": "#ff6a00",
    "baidu": "#2932e1", "cambricon": "#8a2be2", "tenstorrent": "#7a1fa2", "habana": "#5e9bd6",
}
PALETTE = ("#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4", "#b2df8a", "#fb9a99",
           "#cab2d6", "#6a3d9a", "#b15928", "#17becf", "#bcbd22", "#8c564b", "#9467bd", "#2ca02c", "#d62728")


def vendor_colour(vendor_id: str | None) -> str:
    """One colour per vendor, everywhere.

    >>> vendor_colour("nvidia")
    '#76b900'
    >>> vendor_colour("some-startup") == vendor_colour("some-startup")
    True
    """
    if not vendor_id:
        return VENDOR_COLOUR
    return KNOWN_VENDOR_COLOURS.get(vendor_id) or PALETTE[zlib.crc32(vendor_id.encode()) % len(PALETTE)]


def _finish(fig: dict, title: str, source: str, height: int) -> dict:
    """Title, source line under the plot, one font and white background: what every figure shares."""
    layout = fig.setdefault("layout", {})
    layout.update({
        "title": {"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 15}}, "height": height,
        "font": {"family": FONT, "size": 12}, "plot_bgcolor": "white", "paper_bgcolor": "white",
        "margin": {"l": 60, "r": 20, "t": 60, "b": 80}, "hoverlabel": {"font": {"family": FONT}}})
    layout.setdefault("annotations", []).append(
        {"text": f"Source: {source}", "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -62,
         "xanchor": "left", "yanchor": "top", "showarrow": False, "font": {"size": 10, "color": "#666"},
         "align": "left"})
    for k, v in list(layout.items()):
        if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict):
            v.setdefault("gridcolor", "#eee")
            v.setdefault("zeroline", False)
    return fig


def as_figure(spec: dict) -> go.Figure:
    """A plain figure dict as a plotly Figure (for reports that write images or HTML). The dashboard sends the
    dicts themselves: building graph objects validates every property and costs ten times the data work."""
    return go.Figure(spec)


def empty_spec(message: str, height: int = 320) -> dict:
    """A figure that says why there is nothing to draw (instead of empty axes)."""
    return {"data": [], "layout": {
        "annotations": [{"text": message, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
                         "font": {"size": 14, "color": "#666"}}],
        "height": height, "xaxis": {"visible": False}, "yaxis": {"visible": False}, "plot_bgcolor": "white",
        "paper_bgcolor": "white", "font": {"family": FONT}, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}}}


def empty_figure(message: str, height: int = 320) -> go.Figure:
    return as_figure(empty_spec(message, height))


def _list(values) -> list:
    """Plain Python values for JSON (numpy scalars and NaN become numbers and None). Columns go through
    pandas' own conversion in one step; per-value ``.item()`` calls were most of a 27,000-point chart's time."""
    if isinstance(values, (pd.Series, pd.Index)):  # dates stay Timestamps (numpy would make them integers)
        values = list(values) if values.dtype.kind in "mM" else values.to_numpy()
    if isinstance(values, np.ndarray):
        return [None if v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v) else v
                for v in values.tolist()]
    out = []
    for v in values:
        if hasattr(v, "item"):
            v = v.item()
        out.append(None if isinstance(v, float) and v != v else v)
    return out


def basis_source(store: Store, basis: str) -> str:
    """The source line for a basis: the publisher of a published basis, else the table it is computed from."""
    info = basis_info(store).get(basis, {})
    if info.get("publisher"):
        return f"{info['publisher']}: {info.get('title')} (marketgraph basis {basis})"
    if basis.startswith("shipped"):
        return f"marketgraph shipments model (segment_concentration, basis {basis}); shipments table sources"
    return f"marketgraph segment_concentration, basis {basis} (chips table, each row cited)"


def basis_info(store: Store) -> dict[str, dict]:
    """concentration_bases with each published basis' source, keyed by basis (memoised per Store)."""
    return store.memo("dashboard/bases", lambda: {r["basis"]: r for r in store.rows("dashboard/bases")})


def is_low_coverage(coverage_pct) -> bool:
    return coverage_pct is not None and coverage_pct == coverage_pct and coverage_pct < LOW_COVERAGE_PCT


# ---------------------------------------------------------------- the market graph

def market_layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Deterministic positions: training at x=-1, inference at x=+1; each vendor between them at the point set
    by where its shares lie (all-training vendors near the left), stacked by size."""
    pos = {"segment:training": (-1.0, 0.0), "segment:inference": (1.0, 0.0), "segment:all": (0.0, 0.0)}
    vendors = sorted((n for n, d in g.nodes(data=True) if d["kind"] == "vendor"),
                     key=lambda n: (-g.nodes[n]["size"], n))
    for i, v in enumerate(vendors):
        t = g.edges[v, "segment:training"]["weight"] if g.has_edge(v, "segment:training") else 0.0
        inf = g.edges[v, "segment:inference"]["weight"] if g.has_edge(v, "segment:inference") else 0.0
        x = 0.7 * (inf - t) / (inf + t) if inf + t else 0.0
        # Alternate above/below the axis, the biggest vendors nearest to it.
        y = (1 + i // 2) * 0.35 * (1 if i % 2 == 0 else -1)
        pos[v] = (x, y)
    return {n: pos[n] for n in g.nodes}


OTHERS_NODE = "vendor:(others)"  # no vendor id has parentheses (ids are slugs)
GRAPH_VENDORS = 15  # vendors drawn one by one in the market graph; the rest are one node


def collapse_vendors(g: nx.Graph, keep: int = GRAPH_VENDORS) -> nx.Graph:
    """The market graph with only its ``keep`` largest vendors (by summed share; ties by id) drawn one by one
    and the rest merged into one "N other vendors" node whose edges carry their summed shares, so the picture
    stays readable whatever the number of vendors and the shares still add up to 100 per segment."""
    vendors = sorted((n for n, d in g.nodes(data=True) if d["kind"] == "vendor"), key=lambda n: (-g.nodes[n]["size"], n))
    if len(vendors) <= keep + 1:
        return g
    kept = set(vendors[:keep])
    out = nx.Graph(**g.graph)
    out.add_nodes_from((n, d) for n, d in g.nodes(data=True) if d["kind"] != "vendor")
    out.add_nodes_from((v, g.nodes[v]) for v in vendors[:keep])
    others: dict[str, float] = {}  # segment -> summed share of the vendors not kept (one pass over the edges)
    for u, v, d in g.edges(data=True):
        vendor, seg = (u, v) if g.nodes[u]["kind"] == "vendor" else (v, u)
        if vendor in kept:
            out.add_edge(vendor, seg, **d)
        else:
            others[seg] = others.get(seg, 0.0) + d["weight"]
    rest = vendors[keep:]
    out.add_node(OTHERS_NODE, kind="vendor", label=f"{len(rest):,} other vendors",
                 size=sum(g.nodes[v]["size"] for v in rest))
    for seg, w in others.items():
        out.add_edge(OTHERS_NODE, seg, weight=w)
    return out


def _graph_traces(g: nx.Graph, names: dict[str, str], grey: bool, axis: str = "") -> list[dict]:
    g = collapse_vendors(g)
    if OTHERS_NODE in g:
        names = {**names, OTHERS_NODE.split(":", 1)[1]: g.nodes[OTHERS_NODE]["label"]}
    pos = market_layout(g)
    xa, ya = f"x{axis}", f"y{axis}"
    traces: list[dict] = []
    for u, v, d in g.edges(data=True):
        seg = (u if u.startswith("segment:") else v).split(":", 1)[1]
        (x0, y0), (x1, y1) = pos[u], pos[v]
        traces.append({"type": "scatter", "x": [x0, x1], "y": [y0, y1], "mode": "lines", "hoverinfo": "skip",
                       "showlegend": False, "xaxis": xa, "yaxis": ya, "opacity": 0.55,
                       "line": {"width": max(0.6, d["weight"] / 6),
                                "color": LOW_COVERAGE_COLOUR if grey else SEGMENT_COLOURS.get(seg)}})
    vendors = [n for n, d in g.nodes(data=True) if d["kind"] == "vendor"]
    segs = [n for n, d in g.nodes(data=True) if d["kind"] == "segment"]
    ids = [n.split(":", 1)[1] for n in vendors]
    traces.append({
        "type": "scatter", "x": [pos[n][0] for n in vendors], "y": [pos[n][1] for n in vendors],
        "mode": "markers+text", "text": [names.get(i, i) for i in ids], "textposition": "middle right",
        "customdata": ids, "xaxis": xa, "yaxis": ya, "hoverinfo": "text", "showlegend": False,
        "marker": {"size": [8 + 1.2 * g.nodes[n]["size"] ** 0.85 for n in vendors],
                   "color": [LOW_COVERAGE_COLOUR if grey or n == OTHERS_NODE else vendor_colour(i)
                             for n, i in zip(vendors, ids)],
                   "line": {"width": 1, "color": "white"}},
        "hovertext": [f"{names.get(i, i)}: " + ", ".join(
            f"{x.split(':')[1]} {g.edges[n, x]['weight']:.1f}%" for x in segs if g.has_edge(n, x))
            for n, i in zip(vendors, ids)]})
    traces.append({
        "type": "scatter", "x": [pos[n][0] for n in segs], "y": [pos[n][1] for n in segs], "mode": "markers+text",
        "text": [f"<b>{g.nodes[n]['label']}</b>" for n in segs],  # its HHI, with its interval, is in the panel title
        "textposition": "bottom center", "hoverinfo": "text", "showlegend": False, "xaxis": xa, "yaxis": ya,
        "marker": {"size": 46, "symbol": "square",
                   "color": [LOW_COVERAGE_COLOUR if grey else SEGMENT_COLOURS.get(n.split(':')[1]) for n in segs]}})
    return traces


def _coverage_of(store: Store, year: int, basis: str) -> float | None:
    df = concentration(store, basis=basis)
    d = df[(df.year == year) & (df.basis == basis)]
    return float(d.coverage_pct.min()) if len(d) and d.coverage_pct.notna().any() else None


def market_graph_spec(store: Store, year_a: int, year_b: int | None = None,
                      basis: str = "products_announced_3y") -> dict:
    """The market graph: vendors between the training (left) and inference (right) segments, edge width = the
    vendor's share of the segment, marker size = its summed share. Two years side by side when year_b is given;
    a year whose basis covers too little of the market is drawn grey with the warning in its title."""
    years = [year_a] + ([year_b] if year_b is not None else [])
    names = vendor_names(store)
    data: list[dict] = []
    layout: dict = {"annotations": [], "showlegend": False}
    width = 1.0 / len(years)
    for i, y in enumerate(years):
        cov = _coverage_of(store, y, basis)
        low = is_low_coverage(cov)
        axis = "" if i == 0 else str(i + 1)
        data += _graph_traces(market_graph(store, y, basis), names, low, axis)
        domain = [i * width + (0.02 if i else 0), (i + 1) * width - (0.02 if i + 1 < len(years) else 0)]
        layout[f"xaxis{axis}"] = {"domain": domain, "range": [-1.5, 1.9], "visible": False, "anchor": f"y{axis}"}
        layout[f"yaxis{axis}"] = {"visible": False, "anchor": f"x{axis}"}
        title = _panel_title(store, y, basis) + (f"<br><i>low coverage ({cov:.0f}%): not a monopoly reading</i>"
                                                  if low else "")
        layout["annotations"].append({"text": title, "xref": "paper", "yref": "paper", "x": sum(domain) / 2,
                                      "y": 1.0, "yanchor": "bottom", "showarrow": False, "font": {"size": 13}})
    fig = _finish({"data": data, "layout": layout},
                  f"Who supplies training vs inference: vendor share of each segment (%, {basis})",
                  basis_source(store, basis), 540)
    fig["layout"]["margin"] = {"l": 10, "r": 10, "t": 95, "b": 70}
    return fig


def market_graph_figure(store: Store, year_a: int, year_b: int | None = None,
                        basis: str = "products_announced_3y") -> go.Figure:
    return as_figure(market_graph_spec(store, year_a, year_b, basis))


def _panel_title(store: Store, year: int, basis: str) -> str:
    df = concentration(store, basis=basis)
    d = df[(df.year == year) & (df.basis == basis)].set_index("segment")
    # Rounded as far as the interval allows (no false precision), one line per panel so two panels never overlap.
    parts = [f"{s} {hhi_text(*_list(d.loc[s, ['hhi', 'hhi_low', 'hhi_high']]), interval=False)}"
             for s in ("training", "inference", "all") if s in d.index]
    what = "HHI of product counts (breadth, not market share)" if basis.startswith("products") else "HHI"
    return f"<b>{window_label(year, basis)}</b><br>{what}: " + " · ".join(parts)


# ---------------------------------------------------------------- concentration over time

def concentration_trend_spec(store: Store, basis: str = "products_announced_3y",
                             events: pd.DataFrame | None = None) -> dict:
    """HHI (top) and CR1 (bottom) per year and segment under one basis, with the p5–p95 band where the basis
    has one, the 1,800 line of the 2023 Merger Guidelines, key events on the time axis, and low-coverage years
    drawn grey."""
    df = concentration(store, basis=basis)
    df = df[df.basis == basis].sort_values("year")
    if df.empty:
        return empty_spec(f"No concentration rows for basis {basis}.")
    data: list[dict] = []
    notes: list[dict] = []
    low_labels: dict[tuple, dict] = {}
    for seg in [x for x in ("training", "inference", "all") if x in set(df.segment)]:
        d = df[df.segment == seg]
        colour = SEGMENT_COLOURS.get(seg, VENDOR_COLOUR)
        years = _list(d.year)
        low = [is_low_coverage(c) for c in d.coverage_pct]
        for axis, (col, lo, hi) in (("y", ("hhi", "hhi_low", "hhi_high")), ("y2", ("cr1", "cr1_low", "cr1_high"))):
            if (d[hi] - d[lo]).abs().max() > 1e-9:  # a band only where the basis has intervals
                data.append({"type": "scatter", "x": years + years[::-1], "y": _list(d[hi]) + _list(d[lo])[::-1],
                             "fill": "toself", "fillcolor": colour, "opacity": 0.15, "line": {"width": 0},
                             "hoverinfo": "skip", "showlegend": False, "name": f"{seg} p5–p95", "yaxis": axis})
            data.append({
                "type": "scatter", "x": years, "y": _list(d[col]), "mode": "lines+markers", "name": seg,
                "legendgroup": seg, "showlegend": axis == "y", "yaxis": axis,
                "line": {"color": colour, "width": 3},
                "marker": {"color": [LOW_COVERAGE_COLOUR if x else colour for x in low], "size": 8},
                "customdata": [list(r) for r in zip(_list(d[lo]), _list(d[hi]), _list(d.coverage_pct),
                                                    _list(d.vendor_count))],
                "hovertemplate": f"%{{x}}: {col.upper()} %{{y:,.0f}} (p5–p95 %{{customdata[0]:,.0f}}–"
                                 f"%{{customdata[1]:,.0f}})<br>coverage %{{customdata[2]:.0f}}%<br>vendors "
                                 f"%{{customdata[3]}}<extra>{seg}</extra>"})
            for y, v, is_low in zip(years, _list(d[col]), low):
                if is_low:  # one label per year and panel, over the highest point (the segments' would overlap)
                    key = (axis, y)
                    if key not in low_labels or v > low_labels[key]["y"]:
                        low_labels[key] = {"x": y, "y": v, "xref": "x", "yref": axis, "text": "low coverage",
                                           "font": {"size": 9, "color": "#888"}, "showarrow": False, "yshift": 12}
    notes += list(low_labels.values())
    threshold = metrics.MERGER_GUIDELINES_2023.highly_concentrated_hhi
    shapes = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": threshold, "y1": threshold,
               "line": {"dash": "dot", "color": "#999"}}]
    notes.append({"xref": "paper", "x": 0, "yref": "y", "y": threshold, "xanchor": "left", "yanchor": "bottom",
                  "showarrow": False, "font": {"size": 10, "color": "#666"},
                  "text": f"highly concentrated above {threshold:,.0f} (2023 Merger Guidelines)"})
    if events is not None and len(events):
        first, last = int(df.year.min()), int(df.year.max())
        ev = events[(events.year >= first) & (events.year <= last)]
        data.append({"type": "scatter", "x": _list(ev.year), "y": [0] * len(ev), "mode": "markers",
                     "name": "key events", "yaxis": "y2", "hoverinfo": "text",
                     "marker": {"symbol": "triangle-up", "size": 11, "color": "#444"},
                     "hovertext": [f"{d}: {t}" for d, t in zip(ev.date, ev.title)]})
    layout = {"xaxis": {"title": {"text": "year"}, "dtick": 2, "anchor": "y2"},
              "yaxis": {"title": {"text": "HHI (0–10,000)"}, "rangemode": "tozero", "domain": [0.42, 1]},
              "yaxis2": {"title": {"text": "CR1 (% of the largest vendor)"}, "range": [0, 105],
                         "domain": [0, 0.36]},
              "shapes": shapes, "annotations": notes,
              "legend": {"orientation": "h", "y": 1.08, "x": 1, "xanchor": "right"}}
    return _finish({"data": data, "layout": layout}, f"Concentration over time: HHI and CR1 by segment<br><sup>basis: {basis}</sup>",
                   basis_source(store, basis), 560)


def concentration_trend_figure(store: Store, basis: str = "products_announced_3y",
                               events: pd.DataFrame | None = None) -> go.Figure:
    return as_figure(concentration_trend_spec(store, basis, events))


def vendor_share_area_spec(store: Store, basis: str, segment: str) -> dict:
    """Each vendor's share of one segment per year, stacked (%). Vendors outside the top ten by peak share are
    summed as 'others' so the legend stays readable; the CSV behind it has every vendor."""
    df = store.query("dashboard/shares_by_year", basis=basis, segment=segment)
    if df.empty:
        return empty_spec(f"No {segment} shares under basis {basis}.")
    names = vendor_names(store)
    top = list(df.groupby("vendor_id").share_pct.max().sort_values(ascending=False).index[:10])
    df = df.assign(vendor=df.vendor_id.where(df.vendor_id.isin(top), "others"))
    wide = df.pivot_table(index="year", columns="vendor", values="share_pct", aggfunc="sum").fillna(0.0).sort_index()
    data = []
    for v in [v for v in top if v in wide.columns] + (["others"] if "others" in wide.columns else []):
        data.append({"type": "scatter", "x": _list(wide.index), "y": _list(wide[v]), "mode": "lines",
                     "stackgroup": "one", "name": names.get(v, v),
                     "line": {"width": 0.5, "color": vendor_colour(v) if v != "others" else "#cccccc"},
                     "hovertemplate": "%{x}: %{y:.1f}%<extra>" + names.get(v, v) + "</extra>"})
    layout = {"yaxis": {"title": {"text": "share of segment (%)"}, "range": [0, 100]},
              "xaxis": {"title": {"text": "year"}, "dtick": 2}}
    return _finish({"data": data, "layout": layout}, f"Vendor shares of {segment}, stacked (%)<br><sup>basis: {basis}</sup>",
                   basis_source(store, basis), 420)


def vendor_share_area_figure(store: Store, basis: str, segment: str) -> go.Figure:
    return as_figure(vendor_share_area_spec(store, basis, segment))


# ---------------------------------------------------------------- accelerators

SEGMENT_SYMBOLS = {"training": "circle", "inference": "diamond", "both": "square"}


OTHERS_COLOUR = "#b0b0b0"


def _scatter_trace(g: pd.DataFrame, x: str, y: str, name: str, colour: str, extra: str, meta=None) -> dict:
    trace = {"type": "scatter", "x": _list(g[x]), "y": _list(g[y]), "mode": "markers", "name": name,
             "legendgroup": name, "customdata": _list(g.chip_id), "text": _list(g.chip),
             "marker": {"color": colour, "size": 10, "line": {"width": 0.5, "color": "white"},
                        "symbol": _list(g.segment.map(SEGMENT_SYMBOLS).fillna("circle"))},
             "hovertemplate": "%{text}<br>%{x:,.3~g} TB/s, %{y:,.4~g} TFLOPS<extra>" + extra + "</extra>"}
    if meta is not None:  # per-point vendor names for the shared trace (the per-point text is the chip's)
        trace["hovertext"] = meta
    return trace


def spec_scatter_spec(chips: pd.DataFrame, x: str = "memory_bandwidth_tbs", y: str = "bf16_tflops",
                      max_vendors: int = 12) -> dict:
    """Dense BF16 against memory bandwidth on log axes, one colour per vendor (the ``max_vendors`` with the most
    chips plotted; the rest in grey), one symbol per segment."""
    d = chips[(chips[x] > 0) & (chips[y] > 0)]
    if d.empty:
        return empty_spec("No accelerator has both figures.")
    # The vendors with the most plotted chips get their own colour and legend entry; the rest share one grey
    # trace ("other vendors", each point still names its vendor), so the legend stays readable and a database
    # with thousands of vendors does not draw thousands of traces.
    counts = d.groupby("vendor_id").size()
    top = set(counts.sort_values(ascending=False, kind="stable").index[:max_vendors])
    rest = d[~d.vendor_id.isin(top)]
    data = []
    for (vendor_id, vendor), g in d[d.vendor_id.isin(top)].groupby(["vendor_id", "vendor"], sort=True):
        data.append(_scatter_trace(g, x, y, str(vendor), vendor_colour(vendor_id), str(vendor)))
    if len(rest):
        data.append(_scatter_trace(rest, x, y, f"other vendors ({rest.vendor_id.nunique():,})", OTHERS_COLOUR,
                                   "%{hovertext}", meta=_list(rest.vendor)))
    layout = {"xaxis": {"type": "log", "title": {"text": "memory bandwidth (TB/s, log)"}},
              "yaxis": {"type": "log", "title": {"text": "dense BF16 (TFLOPS, log)"}},
              "legend": {"font": {"size": 10}}}
    return _finish({"data": data, "layout": layout},
                   "Compute vs memory bandwidth: dense BF16 (TFLOPS) against TB/s; ○ training ◇ inference □ both",
                   "marketgraph chips table (each figure cited; see the chip's page)", 480)


def spec_scatter_figure(chips: pd.DataFrame, x: str = "memory_bandwidth_tbs", y: str = "bf16_tflops") -> go.Figure:
    return as_figure(spec_scatter_spec(chips, x, y))


def perf_per_watt_spec(chips: pd.DataFrame, top: int = 25) -> dict:
    """Dense BF16 TFLOPS per watt of TDP, the top ``top`` accelerators."""
    d = chips[(chips.bf16_tflops > 0) & (chips.tdp_w > 0)].assign(
        per_w=lambda f: f.bf16_tflops / f.tdp_w).sort_values("per_w", ascending=False).head(top)
    if d.empty:
        return empty_spec("No accelerator has both dense BF16 and TDP.")
    d = d.iloc[::-1]
    data = [{"type": "bar", "orientation": "h", "x": _list(d.per_w),
             "y": [f"{v} {c}" for v, c in zip(d.vendor, d.chip)], "customdata": _list(d.chip_id),
             "marker": {"color": [vendor_colour(v) for v in d.vendor_id]},
             "hovertemplate": "%{y}: %{x:.3f} TFLOPS/W<extra></extra>"}]
    layout = {"xaxis": {"title": {"text": "dense BF16 per watt (TFLOPS/W)"}},
              "yaxis": {"tickfont": {"size": 10}, "automargin": True}}
    return _finish({"data": data, "layout": layout}, f"Efficiency: dense BF16 TFLOPS per watt of TDP (top {len(d)})",
                   "marketgraph chips table (bf16_tflops, tdp_w; each figure cited)", 560)


def perf_per_watt_figure(chips: pd.DataFrame, top: int = 25) -> go.Figure:
    return as_figure(perf_per_watt_spec(chips, top))


# ---------------------------------------------------------------- time

def timeline_spec(events: pd.DataFrame, newest_years: int = 6, max_points: int = 3000) -> dict:
    """Events on a real time axis, one lane per kind; the view opens on the newest years (drag to go back).
    More than ``max_points`` dated events are not drawn one marker each (thousands of overlapping markers say
    nothing and cost megabytes): the newest ``max_points`` are, and the title says how many of how many."""
    d = events.dropna(subset=["event_date"]) if len(events) else events
    if d.empty:
        return empty_spec("No events match these filters.", height=300)
    total = len(d)
    dates = pd.to_datetime(d.event_date)
    if total > max_points:
        newest = dates.sort_values(kind="stable").index[-max_points:]
        d, dates = d.loc[newest], dates.loc[newest]
    kinds = sorted(set(d.kind))
    palette = dict(zip(kinds, PALETTE))
    data = []
    for k in kinds:
        m = (d.kind == k).to_numpy()
        data.append({"type": "scatter", "x": _list(dates[m].dt.strftime("%Y-%m-%d")), "y": [k] * int(m.sum()),
                     "mode": "markers", "name": k, "showlegend": False, "customdata": _list(d.event_id[m]),
                     "text": _list(d.title[m]),
                     "marker": {"size": 11, "color": palette[k], "line": {"width": 1, "color": "white"}},
                     "hovertemplate": "%{x|%Y-%m-%d}: %{text}<extra>" + k + "</extra>"})
    last = dates.max()
    first = last - pd.DateOffset(years=newest_years)
    layout = {"xaxis": {"type": "date", "title": {"text": "date"},
                        "range": [first.strftime("%Y-%m-%d"), (last + pd.DateOffset(months=3)).strftime("%Y-%m-%d")],
                        "rangeslider": {"visible": True, "thickness": 0.06}},
              "yaxis": {"title": {"text": "kind of event", "standoff": 8}, "automargin": True,
                        "categoryorder": "array", "categoryarray": kinds}}
    counted = f"{len(d):,} events" if total == len(d) else f"the newest {len(d):,} of {total:,} events"
    return _finish({"data": data, "layout": layout},
                   f"Events over time, by kind ({counted}; newest {newest_years} years shown)",
                   "marketgraph events table (curated and from knowledge cards, each cited)", 380)


def timeline_figure(events: pd.DataFrame, newest_years: int = 6) -> go.Figure:
    return as_figure(timeline_spec(events, newest_years))


def vendor_shares_spec(store: Store, vendor_id: str, shares: pd.DataFrame) -> dict:
    """One vendor's share over time (%): what ships per segment (solid, with its p5–p95 band), the share of
    products it announced over three years (dashed: breadth, not a market share) and every published estimate
    as grey points (one legend entry). Forecasts and the one-year launch count stay in the CSV, not the chart:
    two dozen lines read as noise."""
    if shares.empty:
        return empty_spec("No share basis attributes anything to this vendor.")
    data = []
    for (basis, seg), g in shares.groupby(["basis", "segment"], sort=True):
        g = g.sort_values("year")
        colour = SEGMENT_COLOURS.get(seg, VENDOR_COLOUR)
        if basis == "shipped_compute":
            if g.share_low_pct.notna().any():
                data.append({"type": "scatter", "x": _list(g.year) + _list(g.year)[::-1],
                             "y": _list(g.share_high_pct) + _list(g.share_low_pct)[::-1], "fill": "toself",
                             "fillcolor": colour, "opacity": 0.15, "line": {"width": 0}, "hoverinfo": "skip",
                             "showlegend": False})
            data.append({"type": "scatter", "x": _list(g.year), "y": _list(g.share_pct), "mode": "lines+markers",
                         "name": f"{seg} · compute shipped", "line": {"color": colour},
                         "hovertemplate": "%{x}: %{y:.0f}%<extra>" + f"{seg}, {basis}" + "</extra>"})
        elif basis == "products_announced_3y":
            data.append({"type": "scatter", "x": _list(g.year), "y": _list(g.share_pct), "mode": "lines",
                         "name": f"{seg} · products, 3 y",
                         "line": {"color": colour, "dash": "dash", "width": 1.5},
                         "hovertemplate": "%{x}: %{y:.0f}% of products<extra>" + basis + "</extra>"})
    published = shares[shares.basis.str.startswith("published")]
    if not published.empty:
        data.append({"type": "scatter", "x": _list(published.year), "y": _list(published.share_pct),
                     "mode": "markers", "name": "published estimates",
                     "marker": {"color": "#444", "size": 7, "symbol": "diamond"},
                     "text": _list(published.basis), "hovertemplate": "%{x}: %{y:.0f}%<extra>%{text}</extra>"})
    if not data:
        return empty_spec("Only forecasts or one-year launch counts for this vendor: see the shares CSV.")
    layout = {"yaxis": {"title": {"text": "share (%)"}, "rangemode": "tozero"},
              "xaxis": {"title": {"text": "year"}, "dtick": 2},
              "legend": {"font": {"size": 10}}}
    return _finish({"data": data, "layout": layout},
                   f"{vendor_names(store).get(vendor_id, vendor_id)}: share of each segment (%)<br><sup>solid: compute "
                   "shipped, p5–p95 band · dashed: products announced (breadth)</sup>",
                   "marketgraph segment_shares (shipments model, launch counts and published estimates)", 460)


def vendor_shares_figure(store: Store, vendor_id: str, shares: pd.DataFrame) -> go.Figure:
    return as_figure(vendor_shares_spec(store, vendor_id, shares))


# ---------------------------------------------------------------- report figures (from frames the report tables show)

BASIS_KIND_DASH = {"products_announced": "dot", "products_announced_3y": "dash"}
SPEC_COLOURS = {"training": SEGMENT_COLOURS["training"], "inference": SEGMENT_COLOURS["inference"],
                "both": "#4d9a5b"}


def _report_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(height=height, margin={"l": 10, "r": 10, "t": 50, "b": 10}, plot_bgcolor="white",
                      title={"text": title, "x": 0.01}, font={"family": "DejaVu Sans, Arial, sans-serif"},
                      legend={"orientation": "h", "y": -0.2})
    fig.update_xaxes(gridcolor="#eee")
    fig.update_yaxes(gridcolor="#eee")
    return fig


def concentration_intervals_figure(df, segment: str) -> go.Figure:
    """HHI per year for every basis of one segment in ``df`` (rows of the report's concentration query), with
    5th–95th percentile bars where a basis has them and the 2023 Merger Guidelines threshold. Count bases are
    drawn dashed: they are not market shares."""
    fig = go.Figure()
    for basis, d in df.sort_values("year").groupby("basis", sort=True):
        err = {"type": "data", "symmetric": False, "array": (d.hhi_high - d.hhi).tolist(),
               "arrayminus": (d.hhi - d.hhi_low).tolist(), "thickness": 1}
        label = basis if len(basis) <= 48 else basis[:47] + "…"
        fig.add_trace(go.Scatter(x=d.year, y=d.hhi, mode="lines+markers", name=label, error_y=err,
                                 line={"dash": BASIS_KIND_DASH.get(d.kind.iloc[0], "solid"), "width": 2},
                                 hovertemplate="%{x}: HHI %{y:,.0f}<extra>" + label + "</extra>"))
    threshold = metrics.MERGER_GUIDELINES_2023.highly_concentrated_hhi
    fig.add_hline(y=threshold, line_dash="dot", line_color="#999")
    fig.update_yaxes(title="HHI (0–10,000)", rangemode="tozero")
    fig.update_xaxes(dtick=2)
    fig.update_layout(showlegend=True)  # even for one basis: the legend names it
    return _report_layout(fig, f"Concentration over time: {segment}", 420)


def chip_spec_figure(df) -> go.Figure:
    """Dense FP16-equivalent peak against memory bandwidth, one marker per part, coloured by positioning."""
    fig = go.Figure()
    for seg in ("training", "inference", "both"):
        d = df[df.segment == seg]
        if d.empty:
            continue
        fig.add_trace(go.Scatter(x=d.memory_bandwidth_tbs, y=d.fp16e_tflops, mode="markers", name=seg,
                                 marker={"size": 8, "color": SPEC_COLOURS[seg], "opacity": 0.8,
                                         "line": {"width": 0.5, "color": "white"}},
                                 text=[f"{v} {c} ({y})" for v, c, y in zip(d.vendor, d.chip, d.year)],
                                 hovertemplate="%{text}<br>%{x} TB/s, %{y} TFLOPS<extra></extra>"))
    fig.update_xaxes(type="log", title="memory bandwidth (TB/s)")
    fig.update_yaxes(type="log", title="dense FP16-equivalent (TFLOPS)")
    return _report_layout(fig, "Compute against memory bandwidth", 420)


def events_per_year_figure(df) -> go.Figure:
    """Curated events per year, stacked by kind (rows of the report's events query)."""
    d = df.assign(year=df.date.str[:4].astype(int)).groupby(["year", "kind"]).size().reset_index(name="n")
    fig = go.Figure([go.Bar(x=g.year, y=g.n, name=k) for k, g in d.groupby("kind", sort=True)])
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title="events")
    return _report_layout(fig, "Curated events per year", 360)


def vendor_share_figure(df, vendor: str) -> go.Figure:
    """One vendor's share per year under each basis and segment, with its 5th–95th percentile band as bars."""
    fig = go.Figure()
    for (seg, basis), d in df.sort_values("year").groupby(["segment", "basis"], sort=True):
        err = {"type": "data", "symmetric": False, "array": (d.share_high_pct - d.share_pct).tolist(),
               "arrayminus": (d.share_pct - d.share_low_pct).tolist(), "thickness": 1}
        fig.add_trace(go.Scatter(x=d.year, y=d.share_pct, mode="lines+markers", name=f"{seg} · {basis}",
                                 error_y=err, line={"color": SEGMENT_COLOURS.get(seg, VENDOR_COLOUR),
                                                    "dash": BASIS_KIND_DASH.get(d.kind.iloc[0], "solid")}))
    fig.update_yaxes(title="share (%)", rangemode="tozero")
    return _report_layout(fig, f"{vendor}: share per basis", 380)
