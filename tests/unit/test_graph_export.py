"""GEXF 1.3 valid against the official schema, vendor shares over time, typed GraphML, supply-chain edges,
streaming writers."""
from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

import marketgraph as mg
from marketgraph.errors import UnknownName
from marketgraph.knowledge.export import export, write_graph
from marketgraph.knowledge.graph import FALLBACK_SHARE_BASIS, build_graph, share_basis
from marketgraph.store.db import open_store

FIX = Path(__file__).resolve().parent.parent / "fixtures"
GEXF_RNG = FIX / "gexf-1.3" / "gexf.rng"
NS = {"g": "http://gexf.net/1.3", "ml": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture(scope="module")
def depth_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("graph") / "g.duckdb"
    mg.build(FIX / "depth" / "data", path)
    return path


@pytest.fixture(scope="module")
def graph(depth_db) -> nx.MultiDiGraph:
    with open_store(depth_db) as store:
        return build_graph(store)


def validate_gexf(text: str) -> None:
    schema = etree.RelaxNG(etree.parse(str(GEXF_RNG)))  # parsed from its path so its includes resolve
    doc = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(doc), schema.error_log


def test_gexf_validates_against_the_official_13_schema(graph):
    text = export(graph, "gexf")
    validate_gexf(text)
    assert 'version="1.3"' in text


def test_networkx_13_writer_fails_the_same_schema(graph):
    """Why the project writes GEXF itself: networkx's own 1.3 output does not validate."""
    plain = nx.MultiDiGraph()
    plain.add_edge("a", "b", relation="MAKES")
    text = "".join(nx.generate_gexf(plain, version="1.3"))
    schema = etree.RelaxNG(etree.parse(str(GEXF_RNG)))
    assert not schema.validate(etree.fromstring(text.encode("utf-8")))


def test_vendor_shares_animate_over_the_years(graph, depth_db):
    doc = etree.fromstring(export(graph, "gexf").encode("utf-8"))
    g = doc.find("g:graph", NS)
    assert (g.get("mode"), g.get("timeformat")) == ("dynamic", "date")
    dynamic = doc.find("g:graph/g:attributes[@mode='dynamic']", NS)
    assert {a.get("id") for a in dynamic} == {"share_training", "share_inference"}
    amd = doc.find("g:graph/g:nodes/g:node[@id='vendor:amd']", NS)
    series = {(v.get("start"), v.get("end")): float(v.get("value"))
              for v in amd.iterfind("g:attvalues/g:attvalue[@for='share_inference']", NS)}
    with open_store(depth_db) as store:
        expected = {(f"{y}-01-01", f"{y}-12-31"): pct for vid, seg, y, pct in
                    store.tuples("graph/vendor_shares", basis=FALLBACK_SHARE_BASIS)
                    if vid == "amd" and seg == "inference"}
    assert series == expected and len(series) >= 2
    # a chip has no shares
    chip = doc.find("g:graph/g:nodes/g:node[@id='chip:nvidia-l40s']", NS)
    assert not chip.findall("g:attvalues/g:attvalue[@start]", NS)


class _Store:
    """Answers the two basis queries: rows per basis, and the bases with rows."""

    def __init__(self, rows: dict[str, int]):
        self.counts = rows

    def first(self, name, basis):
        return (self.counts.get(basis, 0),)

    def tuples(self, name):
        return [(b,) for b, n in sorted(self.counts.items()) if n]


def test_share_basis_defaults_to_shipped_compute_when_it_has_rows():
    assert share_basis(_Store({"shipped_compute": 12, "products_announced_3y": 5})) == "shipped_compute"
    assert share_basis(_Store({"products_announced_3y": 5})) == "products_announced_3y"
    assert share_basis(_Store({"products_announced": 3}), "products_announced") == "products_announced"
    with pytest.raises(UnknownName, match="bases with shares: products_announced$"):
        share_basis(_Store({"products_announced": 3}), "typo")


def test_basis_is_a_parameter(depth_db, graph):
    with open_store(depth_db) as store:
        other = build_graph(store, basis="products_announced")
    assert graph.graph["share_basis"] == "products_announced_3y"
    assert other.graph["share_basis"] == "products_announced"
    assert other.graph["vendor_shares"] != graph.graph["vendor_shares"]


def test_supply_chain_edges_are_typed_and_sourced(graph):
    edges = {(v, d["relation"]): d for _, v, d in graph.out_edges("chip:nvidia-h100-sxm5-80gb", data=True)
             if v.startswith("supplier:")}
    assert set(edges) == {("supplier:tsmc", "FABRICATED_BY"), ("supplier:sk-hynix", "MEMORY_FROM"),
                          ("supplier:tsmc", "PACKAGED_BY")}
    assert edges[("supplier:tsmc", "PACKAGED_BY")]["detail"] == "CoWoS-S"
    assert all(d["source_id"] == "nvidia-h100-datasheet" for d in edges.values())
    assert graph.nodes["supplier:sk-hynix"]["kind"] == "supplier"


def test_graphml_declares_types_gephi_and_cytoscape_read(graph):
    text = export(graph, "graphml")
    doc = etree.fromstring(text.encode("utf-8"))
    types = {k.get("attr.name"): k.get("attr.type") for k in doc.iterfind("ml:key[@for='node']", NS)}
    assert set(types.values()) <= {"boolean", "int", "long", "float", "double", "string"}
    assert types["founded_year"] == "int" and types["label"] == "string"
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    assert (back.number_of_nodes(), back.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    nvidia = back.nodes["vendor:nvidia"]
    latest = {seg: s[max(s)] for seg, s in graph.graph["vendor_shares"]["vendor:nvidia"].items()}
    assert nvidia["founded_year"] == 1993 and nvidia["training_share_pct"] == pytest.approx(latest["training"])


class _Sink(io.TextIOBase):
    """Counts what is written and keeps none of it."""

    def __init__(self):
        self.chars = 0
        self.largest = 0

    def writable(self):
        return True

    def write(self, s):
        self.chars += len(s)
        self.largest = max(self.largest, len(s))
        return len(s)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_exports_stream_with_flat_memory(fmt):
    g = nx.MultiDiGraph(share_basis="x", vendor_shares={})
    for i in range(5000):
        g.add_node(f"chip:c{i}", kind="chip", label=f"Chip number {i}", year=2000 + i % 25, form="card")
        if i:
            g.add_edge(f"chip:c{i}", f"chip:c{i - 1}", relation="SUCCEEDS", source_id=f"src-{i}")
    sink = _Sink()
    tracemalloc.start()
    try:
        write_graph(g, fmt, sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.chars > 1_500_000
    assert sink.largest < 1_000       # written piece by piece, never as one document
    assert peak < sink.chars / 10     # memory does not grow with the document


# ---------------------------------------------------------------- streamed from the database

def canonical(text: str):
    """Nodes in document order with their attributes and values; edges as a multiset (the streamed writer
    lists them in the order found, networkx by tail); the attribute declarations."""
    import collections

    root = etree.fromstring(text.encode("utf-8"))

    def inside(el):
        return tuple(sorted((etree.QName(c).localname, tuple(sorted(c.attrib.items())), (c.text or "").strip())
                            for c in el.iter() if c is not el))
    nodes, edges, decl = [], collections.Counter(), []
    for el in root.iter():
        tag = etree.QName(el).localname
        if tag in ("key", "attribute"):
            decl.append(tuple(sorted(el.attrib.items())))
        elif tag == "node":
            nodes.append((tuple(sorted(el.attrib.items())), inside(el)))
        elif tag == "edge":
            edges[(tuple(sorted((k, v) for k, v in el.attrib.items() if k != "id")), inside(el))] += 1
    counts = {etree.QName(el).localname: el.get("count") for el in root.iter() if el.get("count")}
    return nodes, edges, decl, counts


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_streamed_export_writes_the_built_graph(fmt, depth_db, graph):
    from marketgraph.knowledge.export import write_graph_stream
    from marketgraph.knowledge.graph import graph_items

    buf = io.StringIO()
    with open_store(depth_db) as store:
        write_graph_stream(lambda: graph_items(store), fmt, buf)
    streamed, built = canonical(buf.getvalue()), canonical(export(graph, fmt))
    assert streamed == built and len(streamed[0]) == graph.number_of_nodes() > 30
    assert sum(streamed[1].values()) == graph.number_of_edges()
    if fmt == "gexf":
        validate_gexf(buf.getvalue())


def items_with_a_repeated_edge():
    yield ("node", "chip:a", {"kind": "chip", "label": "A", "year": 2020})
    yield ("node", "chip:b", {"kind": "chip", "label": "B", "year": 2021.5})  # int and double: double
    yield ("edge", "chip:a", "chip:b", "CITES:s1", {"relation": "CITES", "field": "tdp_w"})
    yield ("graph", {"share_basis": "x", "vendor_shares": {}})
    yield ("edge", "chip:a", "chip:b", "CITES:s2", {"relation": "CITES", "field": "memory_gb"})
    yield ("edge", "chip:a", "chip:b", "CITES:s1", {"relation": "CITES", "field": "bf16_tflops", "n": 3})


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_an_edge_named_twice_is_merged_as_networkx_merges_it(fmt):
    from marketgraph.knowledge.export import write_graph_stream

    g = nx.MultiDiGraph()
    for item in items_with_a_repeated_edge():
        if item[0] == "node":
            g.add_node(item[1], **item[2])
        elif item[0] == "edge":
            g.add_edge(item[1], item[2], key=item[3], **item[4])
        else:
            g.graph.update(item[1])
    buf = io.StringIO()
    write_graph_stream(items_with_a_repeated_edge, fmt, buf)
    streamed = canonical(buf.getvalue())
    assert streamed == canonical(export(g, fmt))
    assert sum(streamed[1].values()) == 2  # s1 once (its attributes merged, the later value winning), s2 once
    assert "bf16_tflops" in buf.getvalue() and ">tdp_w<" not in buf.getvalue() and '"tdp_w"' not in buf.getvalue()


def test_streamed_export_never_holds_the_graph():
    """Memory of a streamed export stays a small fraction of what the graph it describes would take."""
    from marketgraph.knowledge.export import write_graph_stream

    def items():
        for i in range(5_000):
            yield ("node", f"chip:c{i}", {"kind": "chip", "label": f"Chip number {i}", "year": 2000 + i % 25})
            if i:
                yield ("edge", f"chip:c{i}", f"chip:c{i - 1}", f"SUCCEEDS:src-{i}",
                       {"relation": "SUCCEEDS", "source_id": f"src-{i}"})
    tracemalloc.start()
    try:
        g = nx.MultiDiGraph()
        for it in items():
            if it[0] == "node":
                g.add_node(it[1], **it[2])
            else:
                g.add_edge(it[1], it[2], key=it[3], **it[4])
        _, graph_peak = tracemalloc.get_traced_memory()
        del g
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        write_graph_stream(items, "graphml", _Sink())
        _, stream_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stream_peak - base < graph_peak / 3
