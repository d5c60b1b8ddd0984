"""The knowledge graph written out for other tools, in a registry keyed by format.

Every exporter writes to a text stream as it goes (an XML writer for GEXF and GraphML, ``json.dump`` for the
JSON forms), so an export never builds the whole document as one string or tree. GEXF and GraphML can also be
written from the stream of items the graph is built from (:func:`write_graph_stream`), so a large database is
exported without holding its graph in memory.

GEXF is written as version 1.3 and validates against the official RelaxNG schema (gephi/gexf ``specs/1.3``).
networkx's own writer does not (it writes the XML Schema namespace without ``www``, an empty graph ``name`` and
``timeformat="long"``), hence the writer here. Vendor nodes carry the year-by-year shares of the graph's share
basis as dynamic attributes — one ``attvalue`` per year with ``start``/``end`` dates spanning that calendar year —
so Gephi's timeline animates the market. GraphML declares each attribute once with a type Gephi and Cytoscape
both read (boolean, int, long, double, string); it has no time dimension, so a vendor carries its share in the
latest year only.
"""
from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, TextIO
from xml.sax.saxutils import XMLGenerator

import networkx as nx

from ..errors import UnknownName

GEXF_NS = "http://gexf.net/1.3"
GEXF_VIZ_NS = "http://gexf.net/1.3/viz"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
INT32 = 2**31


# ---------------------------------------------------------------- attribute types

def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "int" if -INT32 <= v < INT32 else "long"
    if isinstance(v, float):
        return "double"
    return "string"


# The narrowest type that holds both: int and long widen to long, numbers to double, anything else to string.
_WIDEN = {frozenset({"int", "long"}): "long", frozenset({"int", "double"}): "double",
          frozenset({"long", "double"}): "double"}


def _fold(types: dict[str, str], data: dict[str, Any]) -> dict[str, str]:
    """Widen ``types`` (attribute name → type) in place to hold every value of ``data``; the widening is
    symmetric, so the order in which values are folded does not change the result."""
    for k, v in data.items():
        if v is None or isinstance(v, (dict, list, tuple, set)):
            continue
        kind, known = _kind(v), types.get(k)
        if known is None or known == kind:
            types[k] = kind
        else:
            types[k] = _WIDEN.get(frozenset({known, kind}), "string")
    return types


def _attribute_types(items, start: dict[str, str] | None = None) -> dict[str, str]:
    """The one GraphML/GEXF type per attribute that holds every value it takes, folded value by value so the
    pass keeps one type per attribute name, never the values (``start``: types already folded)."""
    types: dict[str, str] = dict(start or {})
    for data in items:
        _fold(types, data)
    return dict(sorted(types.items()))


def _text(v: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if v else "false"
    if kind == "double":
        v = float(v)
        return repr(v) if math.isfinite(v) else ("INF" if v > 0 else "-INF" if v < 0 else "NaN")
    return " ".join(str(v).split()) if kind == "string" else str(v)


class _Xml:
    """A thin streaming XML writer (the standard library's SAX XMLGenerator) with one element per line."""

    def __init__(self, out: TextIO):
        self._x = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
        self._depth = 0
        self._x.startDocument()

    def _newline(self) -> None:
        # Through the generator, which first closes a pending start tag (writing to the stream would not).
        self._x.ignorableWhitespace("\n" + "  " * self._depth)

    def open(self, name: str, attrs: dict[str, Any] | None = None) -> None:
        if self._depth:
            self._newline()
        self._x.startElement(name, {k: str(v) for k, v in (attrs or {}).items() if v is not None})
        self._depth += 1

    def close(self, name: str, inline: bool = False) -> None:
        self._depth -= 1
        if not inline:
            self._newline()
        self._x.endElement(name)

    def leaf(self, name: str, attrs: dict[str, Any] | None = None, text: str | None = None) -> None:
        self.open(name, attrs)
        if text is not None:
            self._x.characters(text)
        self.close(name, inline=True)

    def end(self) -> None:
        self._x.ignorableWhitespace("\n")
        self._x.endDocument()


# ---------------------------------------------------------------- what a writer reads

class _GraphSource:
    """A networkx graph as the XML writers read it."""

    def __init__(self, g: nx.MultiDiGraph):
        self.g, self.graph = g, g.graph
        self.node_count, self.edge_count = g.number_of_nodes(), g.number_of_edges()

    def nodes(self) -> Iterator[tuple[str, dict]]:
        return iter(self.g.nodes(data=True))

    def edges(self) -> Iterator[tuple[str, str, dict]]:
        return iter(self.g.edges(data=True))

    def node_types(self, extra: Iterable[dict] = ()) -> dict[str, str]:
        return _attribute_types(itertools.chain((d for _, d in self.g.nodes(data=True)), extra))

    def edge_types(self) -> dict[str, str]:
        return _attribute_types(d for _, _, d in self.g.edges(data=True))


def _edge_name(item: tuple) -> str:
    """Tail, head and key of an ("edge", …) item as one string: what a MultiDiGraph tells edges apart by."""
    return f"{item[1]}\0{item[2]}\0{item[3]}"


class _StreamSource:
    """The graph as a stream of items (``knowledge.graph.graph_items``), read in four passes and never held:
    one to count the nodes, type their attributes and find edges named twice (same tail, head and key, which a
    MultiDiGraph merges into one); one to merge those and type the edges; one to write the nodes; one to write
    the edges. Memory is a set of node ids, one of edge names for the first pass, and the few merged edges."""

    def __init__(self, items: Callable[[], Iterator[tuple]]):
        self._items = items
        self.graph: dict[str, Any] = {}
        self.node_count = self.edge_count = 0
        node_types: dict[str, str] = {}
        seen: set[str] = set()
        twice: set[str] = set()
        for item in items():
            if item[0] == "node":
                self.node_count += 1
                _fold(node_types, item[2])
            elif item[0] == "edge":
                name = _edge_name(item)
                if name in seen:
                    twice.add(name)
                else:
                    seen.add(name)
            else:
                self.graph.update(item[1])
        del seen
        self._node_types = dict(sorted(node_types.items()))
        self._merged: dict[str, dict] = {}
        edge_types: dict[str, str] = {}
        for item in items():
            if item[0] != "edge":
                continue
            name = _edge_name(item) if twice else ""
            if name in twice:
                if name not in self._merged:
                    self.edge_count += 1
                self._merged.setdefault(name, {}).update(item[4])
            else:
                self.edge_count += 1
                _fold(edge_types, item[4])
        self._edge_types = _attribute_types(self._merged.values(), edge_types)

    def nodes(self) -> Iterator[tuple[str, dict]]:
        for item in self._items():
            if item[0] == "node":
                yield item[1], item[2]

    def edges(self) -> Iterator[tuple[str, str, dict]]:
        written: set[str] = set()
        for item in self._items():
            if item[0] != "edge":
                continue
            if self._merged:
                name = _edge_name(item)
                if name in self._merged:
                    if name in written:
                        continue
                    written.add(name)
                    yield item[1], item[2], self._merged[name]
                    continue
            yield item[1], item[2], item[4]

    def node_types(self, extra: Iterable[dict] = ()) -> dict[str, str]:
        return _attribute_types(extra, self._node_types)

    def edge_types(self) -> dict[str, str]:
        return dict(self._edge_types)


def _source(g) -> "_GraphSource | _StreamSource":
    return g if isinstance(g, _StreamSource) else _GraphSource(g)


# ---------------------------------------------------------------- GEXF 1.3

def _year_span(year: int) -> tuple[str, str]:
    return dt.date(year, 1, 1).isoformat(), dt.date(year, 12, 31).isoformat()


def write_gexf(g, out: TextIO) -> None:
    """GEXF 1.3, valid against the official RelaxNG schema, with the vendors' shares over time. ``g`` is a
    MultiDiGraph or a streamed source (:func:`write_graph_stream`)."""
    src = _source(g)
    node_types = src.node_types()
    node_types.pop("label", None)  # the node's label attribute, not a data column
    edge_types = src.edge_types()
    shares: dict[str, dict[str, dict[int, float]]] = src.graph.get("vendor_shares") or {}
    basis = src.graph.get("share_basis", "")
    segments = sorted({seg for by_seg in shares.values() for seg in by_seg})
    years = sorted({y for by_seg in shares.values() for series in by_seg.values() for y in series})

    x = _Xml(out)
    x.open("gexf", {"xmlns": GEXF_NS, "xmlns:viz": GEXF_VIZ_NS, "version": "1.3"})
    x.open("meta", {"lastmodifieddate": dt.date.today().isoformat()})
    x.leaf("creator", text="marketgraph")
    x.leaf("description", text="AI-accelerator market knowledge graph" + (
        f"; vendor shares over time on the {basis} basis (segment_shares)" if shares else ""))
    x.close("meta")
    graph_attrs = {"defaultedgetype": "directed", "idtype": "string"}
    if years:
        start, _ = _year_span(years[0])
        _, end = _year_span(years[-1])
        graph_attrs.update(mode="dynamic", timeformat="date", timerepresentation="interval", start=start, end=end)
    x.open("graph", graph_attrs)
    x.open("attributes", {"class": "node", "mode": "static"})
    for name, kind in node_types.items():
        x.leaf("attribute", {"id": name, "title": name, "type": _gexf_type(kind)})
    x.close("attributes")
    if segments:
        x.open("attributes", {"class": "node", "mode": "dynamic"})
        for seg in segments:
            x.leaf("attribute", {"id": f"share_{seg}", "title": f"{seg} share (%), {basis}", "type": "double"})
        x.close("attributes")
    x.open("attributes", {"class": "edge", "mode": "static"})
    for name, kind in edge_types.items():
        x.leaf("attribute", {"id": name, "title": name, "type": _gexf_type(kind)})
    x.close("attributes")

    x.open("nodes", {"count": src.node_count})
    for n, d in src.nodes():
        x.open("node", {"id": n, "label": _text(d.get("label", n), "string")})
        x.open("attvalues")
        for k, kind in node_types.items():
            if d.get(k) is not None and not isinstance(d[k], (dict, list, tuple, set)):
                x.leaf("attvalue", {"for": k, "value": _text(d[k], kind)})
        for seg, series in sorted(shares.get(n, {}).items()):
            for year, pct in sorted(series.items()):
                start, end = _year_span(year)
                x.leaf("attvalue", {"for": f"share_{seg}", "value": _text(pct, "double"), "start": start,
                                    "end": end})
        x.close("attvalues")
        x.close("node")
    x.close("nodes")
    x.open("edges", {"count": src.edge_count})
    for i, (u, v, d) in enumerate(src.edges()):
        rel = d.get("relation")
        x.open("edge", {"id": f"e{i}", "source": u, "target": v, "label": rel, "kind": rel})
        x.open("attvalues")
        for k, kind in edge_types.items():
            if d.get(k) is not None and not isinstance(d[k], (dict, list, tuple, set)):
                x.leaf("attvalue", {"for": k, "value": _text(d[k], kind)})
        x.close("attvalues")
        x.close("edge")
    x.close("edges")
    x.close("graph")
    x.close("gexf")
    x.end()


def _gexf_type(kind: str) -> str:
    return {"int": "integer"}.get(kind, kind)


# ---------------------------------------------------------------- GraphML

def _latest_shares(graph: dict) -> dict[str, dict[str, float]]:
    """Per vendor node, ``{<segment>_share_pct: share in the latest year with data}`` (GraphML is static)."""
    out: dict[str, dict[str, float]] = {}
    for n, by_seg in (graph.get("vendor_shares") or {}).items():
        out[n] = {f"{seg}_share_pct": series[max(series)] for seg, series in by_seg.items() if series}
        years = [max(series) for series in by_seg.values() if series]
        if years:
            out[n]["share_year"] = max(years)
    return out


def write_graphml(g, out: TextIO) -> None:
    """GraphML with typed keys (Gephi and Cytoscape read boolean, int, long, double and string). ``g`` is a
    MultiDiGraph or a streamed source (:func:`write_graph_stream`)."""
    src = _source(g)
    latest = _latest_shares(src.graph)
    node_types = src.node_types(latest.values())
    edge_types = src.edge_types()
    x = _Xml(out)
    x.open("graphml", {"xmlns": GRAPHML_NS, "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                       "xsi:schemaLocation": f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"})
    for prefix, target, types in (("n", "node", node_types), ("e", "edge", edge_types)):
        for name, kind in types.items():
            x.leaf("key", {"id": f"{prefix}_{name}", "for": target, "attr.name": name, "attr.type": kind})
    if src.graph.get("share_basis"):
        x.leaf("key", {"id": "g_share_basis", "for": "graph", "attr.name": "share_basis", "attr.type": "string"})
    x.open("graph", {"id": "marketgraph", "edgedefault": "directed"})
    if src.graph.get("share_basis"):
        x.leaf("data", {"key": "g_share_basis"}, src.graph["share_basis"])
    for n, d in src.nodes():
        x.open("node", {"id": n})
        for k, v in {**d, **latest.get(n, {})}.items():
            if k in node_types and v is not None:
                x.leaf("data", {"key": f"n_{k}"}, _text(v, node_types[k]))
        x.close("node")
    for i, (u, v, d) in enumerate(src.edges()):
        x.open("edge", {"id": f"e{i}", "source": u, "target": v})
        for k, val in d.items():
            if k in edge_types and val is not None:
                x.leaf("data", {"key": f"e_{k}"}, _text(val, edge_types[k]))
        x.close("edge")
    x.close("graph")
    x.close("graphml")
    x.end()


# ---------------------------------------------------------------- JSON forms and the registry

def _json(g: nx.MultiDiGraph, out: TextIO) -> None:
    json.dump(nx.node_link_data(g, edges="links"), out, ensure_ascii=False, indent=1, default=str)


def _cytoscape(g: nx.MultiDiGraph, out: TextIO) -> None:
    json.dump(nx.cytoscape_data(g), out, ensure_ascii=False, indent=1, default=str)


@dataclass(frozen=True)
class GraphFormat:
    name: str
    extension: str
    write: Callable[[nx.MultiDiGraph, TextIO], None]
    description: str


GRAPH_FORMATS = {f.name: f for f in (
    GraphFormat("graphml", "graphml", write_graphml, "GraphML, for Gephi, Cytoscape and yEd"),
    GraphFormat("gexf", "gexf", write_gexf, "GEXF 1.3, Gephi's own format, with vendor shares over time"),
    GraphFormat("json", "json", _json, "networkx node-link JSON"),
    GraphFormat("cytoscape", "cyjs", _cytoscape, "Cytoscape.js JSON"),
)}


def write_graph(g: nx.MultiDiGraph, fmt: str, out: TextIO) -> None:
    """Write the whole graph to ``out`` in ``fmt`` (see GRAPH_FORMATS)."""
    if fmt not in GRAPH_FORMATS:
        raise UnknownName(f"unknown graph format {fmt!r}; known: {', '.join(GRAPH_FORMATS)}")
    GRAPH_FORMATS[fmt].write(g, out)


STREAMED_FORMATS = ("graphml", "gexf")


def write_graph_stream(items: Callable[[], Iterator[tuple]], fmt: str, out: TextIO) -> None:
    """Write the graph that ``items()`` describes (``knowledge.graph.graph_items``; called once per pass, each
    call a fresh stream) without building it: GraphML and GEXF only (the JSON forms are networkx's, from a
    graph). The same nodes, edges and attributes as :func:`write_graph` on the built graph; edges come in the
    order they were found rather than grouped by tail."""
    if fmt not in STREAMED_FORMATS:
        raise UnknownName(f"graph format {fmt!r} is not streamed; streamed: {', '.join(STREAMED_FORMATS)}")
    GRAPH_FORMATS[fmt].write(_StreamSource(items), out)


def export(g: nx.MultiDiGraph, fmt: str) -> str:
    """The whole graph as one string (small graphs, tests); prefer :func:`write_graph` for files."""
    import io

    buf = io.StringIO()
    write_graph(g, fmt, buf)
    return buf.getvalue()
