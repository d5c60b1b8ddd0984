"""Plotly figures shared by the dashboard and the reports. Every number drawn comes from the database."""
from __future__ import annotations

import networkx as nx
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..market import metrics
from ..market.concentration import concentration
from ..market.names import vendor_names
from ..market.market_graph import market_graph
from ..market.shares import window_label
from ..store.db import Store

SEGMENT_COLOURS = {"training": "#1f5fa8", "inference": "#d9822b"}
VENDOR_COLOUR = "#5b5b5b"


def market_layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Deterministic positions: training at x=-1, inference at x=+1; each vendor between them at the point set
    by where its shares lie (all-training vendors near the left), stacked by size."""
    pos = {"segment:training": (-1.0, 0.0), "segment:inference": (1.0, 0.0)}
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




def _graph_traces(g: nx.Graph, names: dict[str, str]) -> list[go.Scatter]:
    pos = market_layout(g)
    traces: list[go.Scatter] = []
    for u, v, d in g.edges(data=True):
        seg = (u if u.startswith("segment:") else v).split(":", 1)[1]
        (x0, y0), (x1, y1) = pos[u], pos[v]
        traces.append(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"width": max(0.6, d["weight"] / 6), "color": SEGMENT_COLOURS[seg]},
                                 opacity=0.55))
    vendors = [n for n, d in g.nodes(data=True) if d["kind"] == "vendor"]
    segs = [n for n, d in g.nodes(data=True) if d["kind"] == "segment"]
    traces.append(go.Scatter(
        x=[pos[n][0] for n in vendors], y=[pos[n][1] for n in vendors], mode="markers+text",
        text=[names.get(n.split(":", 1)[1], n.split(":", 1)[1]) for n in vendors], textposition="middle right",
        marker={"size": [8 + 1.2 * g.nodes[n]["size"] ** 0.85 for n in vendors], "color": VENDOR_COLOUR,
                "line": {"width": 1, "color": "white"}},
        hovertext=[f"{names.get(n.split(':', 1)[1], n)}: " + ", ".join(
            f"{s.split(':')[1]} {g.edges[n, s]['weight']:.1f}%" for s in segs if g.has_edge(n, s)) for n in vendors],
        hoverinfo="text", showlegend=False))
    traces.append(go.Scatter(
        x=[pos[n][0] for n in segs], y=[pos[n][1] for n in segs], mode="markers+text",
        text=[f"<b>{g.nodes[n]['label']}</b><br>HHI {g.nodes[n]['hhi']:,.0f}" for n in segs],
        textposition="bottom center",
        marker={"size": 46, "symbol": "square", "color": [SEGMENT_COLOURS[n.split(':')[1]] for n in segs]},
        hoverinfo="text", showlegend=False))
    return traces


def market_graph_figure(store: Store, year_a: int, year_b: int | None = None,
                        basis: str = "products_announced_3y") -> go.Figure:
    """The market graph: vendors between the training (left) and inference (right) segments, edge width = the
    vendor's share of the segment, marker size = its summed share. Two years side by side when year_b is given."""
    years = [year_a] + ([year_b] if year_b is not None else [])
    names = vendor_names(store)
    fig = make_subplots(rows=1, cols=len(years), subplot_titles=[
        _panel_title(store, y, basis) for y in years], horizontal_spacing=0.04)
    for i, y in enumerate(years, 1):
        for t in _graph_traces(market_graph(store, y, basis), names):
            fig.add_trace(t, row=1, col=i)
        fig.update_xaxes(range=[-1.5, 1.9], visible=False, row=1, col=i)
        fig.update_yaxes(visible=False, row=1, col=i)
    fig.update_layout(height=560, margin={"l": 10, "r": 10, "t": 60, "b": 10}, plot_bgcolor="white",
                      title={"text": f"Who supplies training vs inference ({basis})", "x": 0.01})
    return fig


def _panel_title(store: Store, year: int, basis: str) -> str:
    df = concentration(store, basis=basis)
    d = df[(df.year == year) & (df.basis == basis)].set_index("segment")
    parts = [f"{s} HHI {d.loc[s, 'hhi']:,.0f}" for s in ("training", "inference") if s in d.index]
    return f"{window_label(year, basis)}: " + " · ".join(parts)


def concentration_trend_figure(store: Store, basis: str = "products_announced_3y") -> go.Figure:
    """HHI per year for training and inference under one basis, with the 2023 Merger Guidelines threshold."""
    df = concentration(store, basis=basis)
    df = df[df.basis == basis]
    fig = go.Figure()
    for seg in ("training", "inference"):
        d = df[df.segment == seg]
        fig.add_trace(go.Scatter(x=d.year, y=d.hhi, mode="lines+markers", name=seg,
                                 line={"color": SEGMENT_COLOURS[seg], "width": 3},
                                 customdata=d[["cr1", "effective_vendors", "vendor_count"]].values,
                                 hovertemplate="%{x}: HHI %{y:,.0f}<br>CR1 %{customdata[0]:.0f}%<br>"
                                               "effective vendors %{customdata[1]:.1f}<br>vendors "
                                               "%{customdata[2]}<extra>" + seg + "</extra>"))
    threshold = metrics.MERGER_GUIDELINES_2023.highly_concentrated_hhi
    fig.add_hline(y=threshold, line_dash="dot", line_color="#999",
                  annotation_text=f"highly concentrated above {threshold:,.0f} (2023 Merger Guidelines)",
                  annotation_position="top left")
    fig.update_layout(height=380, margin={"l": 10, "r": 10, "t": 50, "b": 10}, plot_bgcolor="white",
                      title={"text": f"Concentration over time (HHI, {basis})", "x": 0.01},
                      yaxis={"title": "HHI (0–10,000)", "rangemode": "tozero", "gridcolor": "#eee"},
                      xaxis={"dtick": 2, "gridcolor": "#eee"}, legend={"orientation": "h", "y": -0.15})
    return fig


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
