"""The knowledge graph: one ``networkx.MultiDiGraph`` built from the database.

Nodes are ``"<kind>:<id>"`` with attributes ``kind`` (vendor, chip, segment, event, topic, source, concept,
supplier) and ``label``. Edges carry ``relation`` and provenance: ``source_id`` for facts from the curated data,
``topic_id`` for links found in knowledge cards. One node per real-world thing: an event mentioned by three cards
is one node. A supplier is its own node (``supplier:samsung``) even where the company also designs chips
(``vendor:samsung``): the two roles have different edges.

Relations (tail → head):
  MAKES          vendor → chip              SUBSIDIARY_OF  vendor → vendor
  TARGETS        chip → segment             FAMILY         chip → concept (the product line)
  SUCCEEDS       chip → chip (predecessor)  VARIANT_OF     chip → chip
  FABRICATED_BY  chip → supplier (foundry)  MEMORY_FROM    chip → supplier (HBM/DRAM maker)
  PACKAGED_BY    chip → supplier (advanced packaging: CoWoS, EMIB …); supply edges carry role, detail, source_id
  INVOLVES       event → vendor/chip/segment
  PRECEDED_BY    event → event (the previous dated row of the same card's timeline)
  MENTIONS       topic → vendor/chip/segment/event/concept
  DESCRIBES      topic → event (a timeline row)   RELATED_TO  topic → concept (a related-topic section)
  CITES          chip/vendor/event → source; topic → source (its web results)

Year-varying market shares are graph data, not node attributes (they are a series, not a scalar):
``g.graph["share_basis"]`` names the basis and ``g.graph["vendor_shares"]`` maps a vendor node to
``{segment: {year: share_pct}}``; the GEXF export writes them as dynamic attributes for Gephi's timeline.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

import networkx as nx

from ..errors import UnknownName
from ..store.db import Store

NODE_KINDS = ("vendor", "chip", "segment", "event", "topic", "concept", "supplier", "source")  # lookup priority
SUPPLY_RELATIONS = {"foundry": "FABRICATED_BY", "memory": "MEMORY_FROM", "packaging": "PACKAGED_BY"}
# The basis whose shares animate the vendors, and the one used when a database has no shipments.
DEFAULT_SHARE_BASIS, FALLBACK_SHARE_BASIS = "shipped_compute", "products_announced_3y"


def node_id(kind: str, key: str) -> str:
    return f"{kind}:{key}"


def _clean(attrs: dict[str, Any]) -> dict[str, Any]:
    """GraphML/GEXF accept only scalars: drop None, turn dates into ISO text."""
    out = {}
    for k, v in attrs.items():
        if v is None:
            continue
        if isinstance(v, (dt.date, dt.datetime)):
            v = v.isoformat()
        elif hasattr(v, "item"):
            v = v.item()
        out[k] = v
    return out


CITED_KINDS = {"chips": "chip", "vendors": "vendor", "events": "event", "segments": "segment"}


def share_basis(store: Store, basis: str | None = None) -> str:
    """``basis`` if given, else shipped compute when the database has those shares, else launches over 3 years."""
    if basis:
        if not store.first("graph/share_basis_rows", basis=basis)[0]:
            known = [b for (b,) in store.tuples("graph/share_bases")]
            raise UnknownName(f"no vendor shares on basis {basis!r}; bases with shares: {', '.join(known)}")
        return basis
    return DEFAULT_SHARE_BASIS if store.first("graph/share_basis_rows", basis=DEFAULT_SHARE_BASIS)[0] \
        else FALLBACK_SHARE_BASIS


# One item of the graph as the database describes it, in the order the graph is built:
#   ("node", id, attrs)            the first time a node is named (a later add of the same id changes nothing)
#   ("edge", tail, head, key, attrs) an edge; the same (tail, head, key) again merges its attrs into the first
#   ("graph", attrs)               graph-level data (the share basis and the vendors' shares over time)
# An edge to a node nothing has added yet first yields that node bare ({}), as networkx would create it.
Item = tuple


def graph_items(store: Store, basis: str | None = None) -> Iterator[Item]:
    """The knowledge graph of a database as a stream of items (see ``Item``): what :func:`build_graph` puts in a
    MultiDiGraph, and what the streamed exports write without holding the graph (at 100x the data the graph
    alone is about 600 MB). Vendor shares over the years come from ``basis`` (see :func:`share_basis`)."""
    seen: set[str] = set()
    out: list[Item] = []

    def drain() -> list[Item]:
        items = out[:]
        out.clear()
        return items

    def add_node(kind: str, key: str, label: str, **attrs) -> str:
        n = node_id(kind, key)
        if n not in seen:
            seen.add(n)
            out.append(("node", n, _clean({"kind": kind, "label": label, **attrs})))
        return n

    def add_link(a: str, b: str, key: str, attrs: dict[str, Any]) -> None:
        for n in (a, b):
            if n not in seen:
                seen.add(n)
                out.append(("node", n, {}))
        out.append(("edge", a, b, key, attrs))

    def add_edge(a: str, b: str, relation: str, **attrs) -> None:
        add_link(a, b, f"{relation}:{attrs.get('source_id') or attrs.get('topic_id') or ''}",
                 _clean({"relation": relation, **attrs}))

    for s in store.iter_rows("graph/sources"):
        add_node("source", s["source_id"], s["title"], publisher=s["publisher"], url=s["url"],
                 source_type=s["source_type"], accessed=s["accessed"])
        yield from drain()
    for s in store.rows("graph/segments"):
        add_node("segment", s["segment_id"], s["name"])
    yield from drain()
    row_source = {(r["subject_table"], r["subject_id"]): r["source_id"] for r in store.rows("graph/row_sources")}
    vendors = store.rows("graph/vendors")
    for v in vendors:
        add_node("vendor", v["vendor_id"], v["name"], country=v["country"], vendor_kind=v["kind"],
                 founded_year=v["founded_year"])
    yield from drain()
    for v in vendors:
        if v["parent_vendor_id"]:
            add_edge(node_id("vendor", v["vendor_id"]), node_id("vendor", v["parent_vendor_id"]), "SUBSIDIARY_OF",
                     since=v["parent_since_year"], source_id=row_source.get(("vendors", v["vendor_id"])))
    yield from drain()
    chip_segments: dict[str, list[str]] = {}
    for cid, seg in store.tuples("graph/chip_segments"):
        chip_segments.setdefault(cid, []).append(seg)
    for c in store.iter_rows("graph/chips"):
        n = add_node("chip", c["chip_id"], c["name"], vendor_id=c["vendor_id"], family=c["family"],
                     year=c["year"], segment=c["segment"], deployment=c["deployment"], form=c["form"])
        src = row_source.get(("chips", c["chip_id"]))
        add_edge(node_id("vendor", c["vendor_id"]), n, "MAKES", source_id=src)
        for seg in sorted(chip_segments.get(c["chip_id"], [])):
            add_edge(n, node_id("segment", seg), "TARGETS", source_id=src)
        fam = add_node("concept", f"family-{c['family']}", c["family"], concept_kind="product family")
        add_edge(n, fam, "FAMILY", source_id=src)
        if c["predecessor_id"]:
            add_edge(n, node_id("chip", c["predecessor_id"]), "SUCCEEDS", source_id=src)
        if c["variant_of"]:
            add_edge(n, node_id("chip", c["variant_of"]), "VARIANT_OF", source_id=src)
        yield from drain()
    for s in store.rows("graph/suppliers"):
        add_node("supplier", s["supplier_id"], s["name"], country=s["country"], supplier_kind=s["kind"])
    for link in store.iter_rows("graph/supply_links"):
        add_edge(node_id("chip", link["chip_id"]), node_id("supplier", link["supplier_id"]),
                 SUPPLY_RELATIONS[link["role"]], role=link["role"], detail=link["detail"],
                 source_id=link["source_id"])
        yield from drain()
    basis = share_basis(store, basis)
    shares: dict[str, dict[str, dict[int, float]]] = {}
    for vendor_id, segment, year, pct in store.tuples("graph/vendor_shares", basis=basis):
        n = node_id("vendor", vendor_id)
        if n in seen:
            shares.setdefault(n, {}).setdefault(segment, {})[int(year)] = float(pct)
    yield ("graph", {"share_basis": basis, "vendor_shares": shares})
    for e in store.iter_rows("graph/events"):
        add_node("event", e["event_id"], e["title"], date=e["event_date"], date_precision=e["date_precision"],
                 year=e["year"], event_kind=e["kind"], origin=e["origin"])
        yield from drain()
    for x in store.iter_rows("graph/event_entities"):
        prov = ({"source_id": row_source.get(("events", x["event_id"]))} if x["origin"] == "curated"
                else {"topic_id": x["topic_id"]})
        add_edge(node_id("event", x["event_id"]), node_id(x["entity_kind"], x["entity_id"]), "INVOLVES", **prov)
        yield from drain()
    for c in store.iter_rows("graph/citations"):
        a = node_id(CITED_KINDS.get(c["subject_table"], ""), c["subject_id"])
        if a in seen:
            add_edge(a, node_id("source", c["source_id"]), "CITES", source_id=c["source_id"], field=c["field"])
            yield from drain()

    for t in store.iter_rows("graph/topics"):
        add_node("topic", t["topic_id"], t["title"], description=t["description"], source_file=t["source_file"])
        yield from drain()
    for m in store.iter_rows("graph/topic_mentions"):
        kind, key = m["entity_kind"], m["entity_id"]
        target = (add_node("concept", f"family-{key}", key, concept_kind="product family") if kind == "family"
                  else node_id(kind, key))
        add_link(node_id("topic", m["topic_id"]), target, f"MENTIONS:{m['topic_id']}:{m['section']}",
                 {"relation": "MENTIONS", "topic_id": m["topic_id"], "section": m["section"],
                  "matched_text": m["matched_text"]})
        yield from drain()
    previous: dict[str, str] = {}
    for t in store.iter_rows("graph/topic_timeline"):
        ev = node_id("event", t["event_id"])
        add_edge(node_id("topic", t["topic_id"]), ev, "DESCRIBES", topic_id=t["topic_id"], date_text=t["date_text"])
        if t["topic_id"] in previous and previous[t["topic_id"]] != ev:
            add_edge(ev, previous[t["topic_id"]], "PRECEDED_BY", topic_id=t["topic_id"])
        previous[t["topic_id"]] = ev
        yield from drain()
    for s in store.iter_rows("graph/topic_sections"):
        c = add_node("concept", f"topic-section-{s['heading'].casefold()}", s["heading"], concept_kind="related topic")
        add_edge(node_id("topic", s["topic_id"]), c, "RELATED_TO", topic_id=s["topic_id"])
        yield from drain()
    for s in store.iter_rows("graph/topic_sources"):
        src = add_node("source", f"{s['topic_id']}-web-{s['position']}", s["title"], publisher=s["publisher"],
                       source_type="web search result")
        add_edge(node_id("topic", s["topic_id"]), src, "CITES", topic_id=s["topic_id"])
        yield from drain()


def build_graph(store: Store, basis: str | None = None) -> nx.MultiDiGraph:
    """The whole knowledge graph of a database; vendor shares over the years from ``basis`` (see
    :func:`share_basis`)."""
    g = nx.MultiDiGraph()
    for item in graph_items(store, basis):
        if item[0] == "edge":
            g.add_edge(item[1], item[2], key=item[3], **item[4])
        elif item[0] == "node":
            g.add_node(item[1], **item[2])
        else:
            g.graph.update(item[1])
    return g


# ---------------------------------------------------------------- lookups for `graph show` / `graph path`

def find_node(g: nx.MultiDiGraph, text: str) -> str:
    """A node by id (``chip:google-tpu-v4``), bare id (``google-tpu-v4``), label (case-insensitive), or a
    unique piece of a label; among several hits the most specific kind wins (a chip over its datasheet)."""
    if text in g:
        return text
    hits = [n for n in g if n.split(":", 1)[1] == text]
    folded = text.casefold()
    if not hits:
        hits = [n for n, d in g.nodes(data=True) if str(d.get("label", "")).casefold() == folded]
    if not hits and len(folded) >= 3:  # "AlexNet" finds the event titled "AlexNet wins ImageNet …"
        hits = [n for n, d in g.nodes(data=True) if folded in str(d.get("label", "")).casefold()]
    if len(hits) > 1:  # a chip named like its datasheet: the thing wins over the page about it
        best = min(NODE_KINDS.index(g.nodes[n]["kind"]) for n in hits)
        hits = [n for n in hits if NODE_KINDS.index(g.nodes[n]["kind"]) == best]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise UnknownName(f"no node matches {text!r} (try an id such as vendor:nvidia or a label such as 'TPU v4')")
    raise UnknownName(f"{text!r} is ambiguous: {', '.join(sorted(hits)[:8])}")


def describe_node(g: nx.MultiDiGraph, node: str) -> list[str]:
    """A node's id, kind, label and attributes, one per line (the CLI and the dashboard show the same)."""
    attrs = g.nodes[node]
    lines = [f"{node} ({attrs.get('kind')}): {attrs.get('label')}"]
    lines += [f"  {k}: {v}" for k, v in sorted(attrs.items()) if k not in ("kind", "label")]
    return lines


def neighbourhood(g: nx.MultiDiGraph, node: str) -> list[dict[str, Any]]:
    """Every edge touching ``node``: direction, relation, the other node and provenance."""
    out = []
    for _, other, d in g.out_edges(node, data=True):
        out.append({"direction": "out", "relation": d["relation"], "node": other,
                    "label": g.nodes[other].get("label"), "source_id": d.get("source_id"),
                    "topic_id": d.get("topic_id")})
    for other, _, d in g.in_edges(node, data=True):
        out.append({"direction": "in", "relation": d["relation"], "node": other,
                    "label": g.nodes[other].get("label"), "source_id": d.get("source_id"),
                    "topic_id": d.get("topic_id")})
    return sorted(out, key=lambda r: (r["relation"], r["direction"], r["node"]))


def shortest_path(g: nx.MultiDiGraph, a: str, b: str) -> list[dict[str, Any]]:
    """The shortest chain of relations between two nodes, ignoring edge direction (and source nodes, which
    would connect everything through one generic reference)."""
    view = nx.subgraph_view(g.to_undirected(as_view=True),
                            filter_node=lambda n: g.nodes[n].get("kind") != "source" or n in (a, b))
    try:
        nodes = nx.shortest_path(view, a, b)
    except nx.NetworkXNoPath:
        raise UnknownName(f"no path between {a} and {b}") from None
    steps = []
    for x, y in zip(nodes, nodes[1:]):
        data = g.get_edge_data(x, y) or {}
        forward = bool(data)
        data = data or g.get_edge_data(y, x)
        rel = next(iter(data.values()))["relation"]
        steps.append({"from": x, "relation": rel if forward else f"{rel} (reverse)", "to": y,
                      "to_label": g.nodes[y].get("label")})
    return steps
