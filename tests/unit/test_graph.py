"""The knowledge graph: one node per thing, provenance on edges, lossless exports, show/path."""
from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from click.testing import CliRunner

from marketgraph.cli import main
from marketgraph.errors import UnknownName
from marketgraph.knowledge.export import export
from marketgraph.knowledge import graph as kg
from marketgraph.knowledge.graph import find_node, neighbourhood, shortest_path
from marketgraph.knowledge.ingest import ingest
from marketgraph.store.db import open_store
from test_ingest import CARD


def build_graph(db):
    with open_store(db) as store:
        return kg.build_graph(store)


@pytest.fixture
def carded_db(tiny_db, tmp_path):
    for i, title in enumerate(["Card One", "Card Two"]):
        p = tmp_path / f"c{i}.txt"
        p.write_text(CARD.format(title=title, event="AlexNet wins ImageNet; Google TPUs follow", date="2012"))
    ingest([tmp_path], tiny_db)
    return tiny_db


def test_nodes_and_relations(carded_db):
    g = build_graph(carded_db)
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert kinds == {"vendor", "chip", "segment", "event", "topic", "source", "concept"}
    assert all("label" in d for _, d in g.nodes(data=True))
    # AlexNet is one node however many cards describe it
    assert sum(1 for n in g if n.startswith("event:alexnet")) == 1
    describes = [(u, v) for u, v, d in g.edges(data=True) if d["relation"] == "DESCRIBES"]
    assert {u for u, v in describes if v == "event:alexnet-imagenet-2012"} == {"topic:card-one", "topic:card-two"}
    makes = g.get_edge_data("vendor:nvidia", "chip:nvidia-h100-sxm5-80gb")
    assert [d["source_id"] for d in makes.values()] == ["nvidia-h100-datasheet"]
    targets = {v for _, v, d in g.out_edges("chip:nvidia-h100-sxm5-80gb", data=True) if d["relation"] == "TARGETS"}
    assert targets == {"segment:training", "segment:inference"}  # segment 'both'
    mentions = [d for u, v, d in g.edges(data=True) if d["relation"] == "MENTIONS" and v == "concept:family-TPU"]
    assert mentions and all(d["topic_id"] in ("card-one", "card-two") for d in mentions)
    for _, _, d in g.edges(data=True):
        assert d.get("source_id") or d.get("topic_id") or d["relation"] in ("CITES",), d


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_gexf_round_trip(carded_db, fmt, reader):
    g = build_graph(carded_db)
    text = export(g, fmt)
    back = reader(io.BytesIO(text.encode("utf-8")))
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    some = "chip:google-tpu-v4"
    node = back.nodes[some] if some in back else next(d for n, d in back.nodes(data=True)
                                                         if d.get("label") == "TPU v4")
    assert node["kind"] == "chip"


def test_json_and_cytoscape(carded_db):
    g = build_graph(carded_db)
    data = json.loads(export(g, "json"))
    assert {"nodes", "links"} <= set(data) and len(data["nodes"]) == g.number_of_nodes()
    back = nx.node_link_graph(data, edges="links")
    assert back.number_of_edges() == g.number_of_edges()
    cy = json.loads(export(g, "cytoscape"))
    assert len(cy["elements"]["nodes"]) == g.number_of_nodes()


def test_find_show_path(carded_db):
    g = build_graph(carded_db)
    assert find_node(g, "TPU v4") == "chip:google-tpu-v4"
    assert find_node(g, "nvidia") == "vendor:nvidia"
    with pytest.raises(UnknownName, match="no node"):
        find_node(g, "nothing-like-this")
    rels = {r["relation"] for r in neighbourhood(g, "vendor:google")}
    assert {"MAKES", "MENTIONS"} <= rels
    path = shortest_path(g, "vendor:google", "event:alexnet-imagenet-2012")
    assert path[0]["from"] == "vendor:google" and path[-1]["to"] == "event:alexnet-imagenet-2012"
    assert len(path) <= 3


def test_cli_graph(carded_db, tmp_path):
    r = CliRunner()
    out = tmp_path / "g.gexf"
    res = r.invoke(main, ["graph", "export", "--format", "gexf", "--out", str(out), "--db", str(carded_db)])
    assert res.exit_code == 0 and nx.read_gexf(out).number_of_nodes() > 10
    res = r.invoke(main, ["graph", "show", "TPU v4", "--db", str(carded_db)])
    assert res.exit_code == 0 and "chip:google-tpu-v4" in res.output and "MAKES" in res.output
    res = r.invoke(main, ["graph", "path", "vendor:google", "alexnet-imagenet-2012", "--db", str(carded_db),
                          "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.output)[-1]["to"] == "event:alexnet-imagenet-2012"
    res = r.invoke(main, ["graph", "show", "zzz", "--db", str(carded_db)])
    assert res.exit_code == 1 and "no node" in res.output and "Traceback" not in res.output


def test_shipped_graph_exports_cleanly(shipped_db):
    g = build_graph(shipped_db)
    assert g.number_of_nodes() > 500
    back = nx.read_graphml(io.BytesIO(export(g, "graphml").encode()))
    assert back.number_of_nodes() == g.number_of_nodes()
