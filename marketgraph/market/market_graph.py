"""The market graph: vendors linked to the training and inference segments by their shares in one year."""
from __future__ import annotations

import networkx as nx

from ..store.db import Store
from .concentration import concentration, shares
from .shares import SEGMENTS


def market_graph(store: Store, year: int, basis: str = "shipped_compute") -> nx.Graph:
    """Vendors and the training/inference segments for one year and basis.

    Edge weight = the vendor's share of the segment (percent); node attribute ``size`` = the vendor's summed
    share across the two segments (segments: 100 each). Only segments with data that year appear.
    """
    df = concentration(store, basis=basis)
    g = nx.Graph(year=year, basis=basis)
    for seg in SEGMENTS:
        row = df[(df.segment == seg) & (df.year == year) & (df.basis == basis)]
        if row.empty:
            continue
        g.add_node(f"segment:{seg}", kind="segment", label=seg.capitalize(), size=100.0,
                   hhi=float(row.hhi.iloc[0]), coverage_pct=float(row.coverage_pct.iloc[0]))
        for vendor, share in shares(store, seg, year, basis).items():
            v = f"vendor:{vendor}"
            if v not in g:
                g.add_node(v, kind="vendor", label=vendor, size=0.0)
            g.nodes[v]["size"] += share
            g.add_edge(v, f"segment:{seg}", weight=share)
    return g
