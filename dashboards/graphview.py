"""The knowledge graph as the /graph page shows it: cached per database, searched through a label index,
cut down to a readable view, laid out by NetworkX.

The graph and its index are built once per database file (dashboards.cache) and shared by every request, so a
click costs a dictionary lookup and a layout of at most ``cap`` nodes, not a rebuild of the whole graph.
"""
from __future__ import annotations

import bisect
import difflib
import re
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from marketgraph.errors import UnknownName
from marketgraph.knowledge.graph import NODE_KINDS, build_graph, describe_node, neighbourhood, shortest_path
from marketgraph.store.db import Store

from .cache import cached

ENTITY_KINDS = ("vendor", "chip", "segment", "event", "topic", "concept")
DEFAULT_KINDS = ["vendor", "chip", "segment", "event"]
DEFAULT_CAP = 120
MAX_CAP = 250  # a spring layout of more nodes costs more than a click should, and reads as a hairball
SOURCE_RANK = NODE_KINDS.index("source")
_WORD = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")


@dataclass
class LabelIndex:
    """Every node's id and label, folded, with the words of each label for fuzzy matching ("nvdia")."""

    entries: list[tuple[str, str, str, int]]  # (node, folded label, folded key, kind rank)
    words: dict[str, set[str]] = field(default_factory=dict)  # folded word -> nodes whose label has it

    def __post_init__(self) -> None:
        self.by_node = {e[0]: e for e in self.entries}
        self.by_folded_id = {e[0].casefold(): i for i, e in enumerate(self.entries)}
        # Every label (and every id without its kind) in one string, so a substring is found by str.find at C
        # speed instead of a Python test per node (178,000 nodes at 100x the data); NUL never occurs in a query.
        self._blobs = [self._blob(e[1] for e in self.entries), self._blob(e[2] for e in self.entries)]

    @staticmethod
    def _blob(texts) -> tuple[str, list[int]]:
        starts, parts, at = [], [], 0
        for t in texts:
            t = t.replace("\0", " ")
            starts.append(at)
            parts.append(t)
            at += len(t) + 1
        return "\0".join(parts), starts

    def _containing(self, q: str) -> set[int]:
        """Indexes of the entries whose folded label or key contains ``q``."""
        out: set[int] = set()
        for blob, starts in self._blobs:
            at = blob.find(q)
            while at >= 0:
                i = bisect.bisect_right(starts, at) - 1
                out.add(i)
                at = blob.find(q, starts[i + 1] if i + 1 < len(starts) else len(blob))  # next entry
        return out

    @classmethod
    def of(cls, g: nx.MultiDiGraph) -> "LabelIndex":
        entries, words = [], {}
        for n, d in g.nodes(data=True):
            label = str(d.get("label", "")).casefold()
            rank = NODE_KINDS.index(d["kind"]) if d.get("kind") in NODE_KINDS else len(NODE_KINDS)
            entries.append((n, label, n.split(":", 1)[1].casefold(), rank))
            if d.get("kind") != "source":  # fuzzy matches go to things, not to the pages about them
                for w in _WORD.findall(label):
                    words.setdefault(w, set()).add(n)
        return cls(entries, words)

    def suggest(self, text: str, limit: int = 12) -> list[str]:
        """Nodes matching ``text``, best first: every entity before any source (the H100 chip before the page
        about it), then exact id or label, prefix, substring, and last words close to a word of the text."""
        q = (text or "").replace("\0", " ").strip().casefold()
        if not q:
            return []
        scored: dict[str, tuple] = {}
        found = self._containing(q)
        if q in self.by_folded_id:
            found.add(self.by_folded_id[q])
        for i in sorted(found):
            n, label, key, rank = self.entries[i]
            if q in (n.casefold(), key, label):
                score = 0
            elif label.startswith(q) or key.startswith(q):
                score = 1
            elif q in label or q in key:
                score = 2
            else:
                continue
            scored[n] = (rank == SOURCE_RANK, score, rank, len(label), n)
        if sum(1 for s in scored.values() if not s[0]) < limit:
            for w in _WORD.findall(q):
                for close in difflib.get_close_matches(w, self.words.keys(), n=5, cutoff=0.75):
                    for n in self.words[close]:
                        _, label, _, rank = self.by_node[n]
                        scored.setdefault(n, (False, 3, rank, len(label), n))
        return [n for n, _ in sorted(scored.items(), key=lambda kv: kv[1])[:limit]]


def graph(s: Store) -> nx.MultiDiGraph:
    return cached(s, "graph", lambda: build_graph(s))


def index(s: Store) -> LabelIndex:
    return cached(s, "graph-index", lambda: LabelIndex.of(graph(s)))


def resolve(s: Store, text: str | None) -> str:
    """The node ``text`` names: an id, or the best suggestion; UnknownName when nothing comes close."""
    text = (text or "").strip()
    g = graph(s)
    if text in g:
        return text
    hits = index(s).suggest(text, limit=1)
    if not hits:
        raise UnknownName(f"no node matches {text!r}; try a name such as NVIDIA, 'TPU v4' or an id such as "
                          "vendor:nvidia")
    return hits[0]


def option(g: nx.MultiDiGraph, n: str) -> dict[str, str]:
    d = g.nodes[n]
    return {"label": f"{d.get('label')} · {d.get('kind')}", "value": n}


# ---------------------------------------------------------------- the view

def _passes(d: dict[str, Any], kinds: set[str], segment: str | None, years: tuple[int, int] | None) -> bool:
    if d.get("kind") not in kinds:
        return False
    if segment and d.get("kind") == "chip" and d.get("segment") not in (segment, "both"):
        return False
    if years and d.get("year") is not None and not (years[0] <= int(d["year"]) <= years[1]):
        return False
    return True


# Kept beside the graph, not in g.graph (exports write the graph's attributes); gone with the graph.
_indexes: "weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple]" = weakref.WeakKeyDictionary()


def _index(g: nx.MultiDiGraph) -> tuple[nx.Graph, dict[str, int], list[str]]:
    """The undirected view, every node's degree and the nodes best-connected first, computed once per graph
    (the dashboard keeps one graph per database file; at 100x the data the degrees alone took a second)."""
    hit = _indexes.get(g)
    if hit is None:
        degree = dict(g.degree())
        hit = (g.to_undirected(as_view=True), degree, sorted(g.nodes, key=lambda n: (-degree[n], n)))
        _indexes[g] = hit
    return hit


def view(g: nx.MultiDiGraph, focus: str | None, kinds: list[str] | None, segment: str | None = None,
         years: tuple[int, int] | None = None, cap: int = DEFAULT_CAP) -> tuple[nx.Graph, int]:
    """The subgraph to draw and how many nodes passed the filters before the cap: around ``focus`` (its
    neighbours, then theirs) when given, else the best-connected nodes of the chosen kinds."""
    kinds_set = set(kinds or DEFAULT_KINDS)
    cap = max(10, min(int(cap or DEFAULT_CAP), MAX_CAP))
    und, degree, ranked = _index(g)
    if focus and focus in g:
        ring = [focus]
        seen = {focus}
        frontier = [focus]
        for _ in range(2):  # two hops at most: beyond that a view is the whole graph again
            nxt = []
            for n in frontier:
                for m in sorted(und.neighbors(n), key=lambda m: (-degree[m], m)):
                    if m not in seen and _passes(g.nodes[m], kinds_set, segment, years):
                        seen.add(m)
                        nxt.append(m)
            ring += nxt
            frontier = nxt
            if len(ring) >= cap:
                break
        chosen, total = ring[:cap], len(ring)
    else:
        nodes = [n for n in ranked if _passes(g.nodes[n], kinds_set, segment, years)]  # already in rank order
        chosen, total = nodes[:cap], len(nodes)
    return nx.Graph(und.subgraph(chosen)), total


_layouts: "OrderedDict[tuple, dict]" = OrderedDict()


def positions(sub: nx.Graph, key: Any = None) -> dict[str, tuple[float, float]]:
    """Spring-layout positions (seeded, so a view is drawn the same every time), scaled for Cytoscape. The last
    64 layouts are kept: going back to a view does not lay it out again."""
    k = (key, tuple(sorted(sub.nodes)), sub.number_of_edges())
    if k in _layouts:
        _layouts.move_to_end(k)
        return _layouts[k]
    # fewer iterations for bigger views: the layout is O(n²) per iteration and 30 already separates clusters
    iterations = 50 if len(sub) <= 130 else 30
    pos = nx.spring_layout(sub, seed=7, iterations=iterations) if len(sub) > 1 else {n: (0.0, 0.0) for n in sub}
    out = {n: (float(x) * 420, float(y) * 320) for n, (x, y) in pos.items()}
    _layouts[k] = out
    while len(_layouts) > 64:
        _layouts.popitem(last=False)
    return out


def elements(g: nx.MultiDiGraph, sub: nx.Graph, pos: dict, focus: str | None = None) -> list[dict]:
    """Cytoscape elements: nodes with kind as class and fixed positions, one edge per linked pair."""
    out = []
    for n in sub.nodes:
        d = g.nodes[n]
        label = str(d.get("label", n))
        out.append({"data": {"id": n, "label": label if len(label) <= 28 else label[:27] + "…",
                             "kind": d.get("kind")},
                    "position": {"x": pos[n][0], "y": pos[n][1]},
                    "classes": d.get("kind", "") + (" focus" if n == focus else "")})
    for a, b in sub.edges():
        rel = (g.get_edge_data(a, b) or g.get_edge_data(b, a) or {})
        relation = next(iter(rel.values()), {}).get("relation", "")
        out.append({"data": {"id": f"{a}->{b}", "source": a, "target": b, "relation": relation}})
    return out


# ---------------------------------------------------------------- details and paths, with their sources

def source_of(g: nx.MultiDiGraph, data: dict[str, Any]) -> dict[str, Any]:
    """Where a link comes from: the curated source (publisher, title, URL) or the knowledge card."""
    sid, tid = data.get("source_id"), data.get("topic_id")
    if sid and f"source:{sid}" in g:
        d = g.nodes[f"source:{sid}"]
        return {"source_id": sid, "source": f"{d.get('publisher')}: {d.get('label')}", "url": d.get("url")}
    if tid and f"topic:{tid}" in g:
        return {"source_id": None, "source": f"card: {g.nodes[f'topic:{tid}'].get('label')}", "url": None,
                "topic_id": tid}
    return {"source_id": sid, "source": sid or "", "url": None}


def details(g: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """What the details panel shows: the node's attributes and every link with its source."""
    links = []
    for r in neighbourhood(g, node):
        src = source_of(g, r)
        links.append({**r, "source": src["source"], "url": src["url"],
                      "node_kind": g.nodes[r["node"]].get("kind")})
    return {"node": node, "kind": g.nodes[node].get("kind"), "label": g.nodes[node].get("label"),
            "lines": describe_node(g, node), "links": links, "url": g.nodes[node].get("url")}


def path(g: nx.MultiDiGraph, a: str, b: str) -> list[dict[str, Any]]:
    """The shortest chain from a to b, each hop with the source or card behind it."""
    out = []
    for step in shortest_path(g, a, b):
        data = g.get_edge_data(step["from"], step["to"]) or g.get_edge_data(step["to"], step["from"]) or {}
        src = source_of(g, next(iter(data.values()), {}))
        out.append({**step, "from_label": g.nodes[step["from"]].get("label"), "source": src["source"],
                    "url": src["url"]})
    return out
