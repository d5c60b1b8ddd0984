"""Graph measures of who makes what in a segment: centrality, centralization, entrants."""
from __future__ import annotations

import networkx as nx
import pandas as pd

from ..store.db import Store
from . import metrics
from .shares import announcements


def segment_graph(store: Store, segment: str, up_to_year: int | None = None) -> nx.Graph:
    """Undirected vendor–chip–segment graph of the data-centre products announced in ``segment`` (up to a
    year)."""
    g = nx.Graph()
    seg = f"segment:{segment}"
    g.add_node(seg, kind="segment")
    for r in announcements(store):
        if r["segment"] != segment or (up_to_year is not None and r["year"] > up_to_year):
            continue
        v, c = f"vendor:{r['vendor_id']}", f"chip:{r['chip_id']}"
        g.add_node(v, kind="vendor")
        g.add_node(c, kind="chip")
        g.add_edge(v, c)
        g.add_edge(c, seg)
    return g


def vendor_centrality(g: nx.Graph) -> pd.DataFrame:
    """Per vendor of a :func:`segment_graph`: degree (products), degree centrality and PageRank."""
    vendors = [n for n, d in g.nodes(data=True) if d["kind"] == "vendor"]
    if not vendors:
        return pd.DataFrame(columns=["vendor_id", "degree", "degree_centrality", "pagerank"])
    pr = nx.pagerank(g)
    dc = nx.degree_centrality(g)
    df = pd.DataFrame([{"vendor_id": v.split(":", 1)[1], "degree": g.degree(v), "degree_centrality": dc[v],
                        "pagerank": pr[v]} for v in vendors])
    return df.sort_values(["degree", "vendor_id"], ascending=[False, True], ignore_index=True)


def vendor_projection_centralization(g: nx.Graph) -> float:
    """Freeman degree centralization of a segment's vendor–chip graph (1 = one vendor makes everything)."""
    segs = [n for n, d in g.nodes(data=True) if d["kind"] == "segment"]
    g = g.subgraph(n for n in g if n not in segs)
    return metrics.degree_centralization(g) if g.number_of_nodes() >= 3 else 0.0


def entrants(store: Store, segment: str) -> pd.DataFrame:
    """Per year: vendors whose first data-centre product in the segment is that year, and the running total."""
    rows = store.rows("market/entrants", segment=segment)
    df = pd.DataFrame(rows, columns=["year", "new_vendors", "new_vendor_count"])
    df["new_vendors"] = [list(v or []) for v in df.new_vendors]
    df["cumulative_vendors"] = df.new_vendor_count.cumsum()
    return df
