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
