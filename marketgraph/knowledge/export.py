"""The knowledge graph written out for other tools, in a registry keyed by format.

Each exporter writes to a text stream as it goes, so a large graph is never held twice in memory as one string.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, TextIO

import networkx as nx

from ..errors import UnknownName


def _json(g: nx.MultiDiGraph, out: TextIO) -> None:
    json.dump(nx.node_link_data(g, edges="links"), out, ensure_ascii=False, indent=1, default=str)


def _cytoscape(g: nx.MultiDiGraph, out: TextIO) -> None:
    json.dump(nx.cytoscape_data(g), out, ensure_ascii=False, indent=1, default=str)


def _lines(generate: Callable[[nx.MultiDiGraph], object]) -> Callable[[nx.MultiDiGraph, TextIO], None]:
    def write(g: nx.MultiDiGraph, out: TextIO) -> None:
        for line in generate(g):
            out.write(line)
            out.write("\n")
    return write


@dataclass(frozen=True)
class GraphFormat:
    name: str
    extension: str
    write: Callable[[nx.MultiDiGraph, TextIO], None]
    description: str


GRAPH_FORMATS = {f.name: f for f in (
    GraphFormat("graphml", "graphml", _lines(lambda g: nx.generate_graphml(g, named_key_ids=True)),
                "GraphML, for Gephi, Cytoscape and yEd"),
    GraphFormat("gexf", "gexf", _lines(nx.generate_gexf), "GEXF, Gephi's own format"),
    GraphFormat("json", "json", _json, "networkx node-link JSON"),
    GraphFormat("cytoscape", "cyjs", _cytoscape, "Cytoscape.js JSON"),
)}


def write_graph(g: nx.MultiDiGraph, fmt: str, out: TextIO) -> None:
    """Write the whole graph to ``out`` in ``fmt`` (see GRAPH_FORMATS)."""
    if fmt not in GRAPH_FORMATS:
        raise UnknownName(f"unknown graph format {fmt!r}; known: {', '.join(GRAPH_FORMATS)}")
    GRAPH_FORMATS[fmt].write(g, out)


def export(g: nx.MultiDiGraph, fmt: str) -> str:
    """The whole graph as one string (small graphs, tests); prefer :func:`write_graph` for files."""
    import io

    buf = io.StringIO()
    write_graph(g, fmt, buf)
    return buf.getvalue()
