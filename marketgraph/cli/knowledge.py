"""Commands over knowledge cards and the knowledge graph: ingest, graph export/show/path."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import db_option, format_option, open_db


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Ingest the valid cards and list the invalid ones.")
@click.option("--replace", is_flag=True,
              help="Accept a card that empties a part of its topic or drops more than half its rows.")
@db_option
def ingest(paths, skip_invalid: bool, replace: bool, db: Path | None) -> None:
    """Ingest knowledge cards (files, or folders of *.txt) into the database.

    Strict by default: any invalid card is reported as FILE:LINE: message and nothing is written. A card whose
    title is already in the database replaces that topic, so ingesting twice changes nothing. A card that
    would empty its topic's attributes, timeline, sources or sections, or keep less than half their rows (a
    card cut short), is refused with what would be lost, unless --replace.

    \b
    Example:
      marketgraph ingest data/cards/training-vs-inference.txt
    """
    from ..knowledge.ingest import ingest as run_ingest
    from ..pipeline import ensure_db

    report = run_ingest(paths, ensure_db(db), skip_invalid, replace)
    for p in report.skipped:
        click.echo(str(p), err=True)
    for lost in report.losses:
        click.echo(f"replaced as asked: {lost}", err=True)
    click.echo(f"ingested {len(report.ingested)} new and {len(report.replaced)} replaced topic(s) into "
               f"{report.db_path}" + (f"; skipped {len({p.file for p in report.skipped})} invalid card(s)"
                                      if report.skipped else ""))


@click.group()
def graph() -> None:
    """The knowledge graph: export it, look at a node, find a path.

    \b
    Example:
      marketgraph graph show vendor:nvidia
    """


@graph.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json", "cytoscape"]), default="graphml",
              show_default=True, help="graphml/gexf open in Gephi; json is networkx node-link data.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: stdout).")
@click.option("--basis", default=None, help="Share basis of the vendors' year-by-year shares (default: "
                                            "shipped_compute when the database has it, else products_announced_3y).")
@db_option
def graph_export(fmt: str, out: Path | None, basis: str | None, db: Path | None) -> None:
    """Export the whole knowledge graph (GEXF 1.3 carries the vendors' shares over time for Gephi's timeline).

    \b
    Example:
      marketgraph graph export --format gexf --out marketgraph.gexf
    """
    from ..knowledge.export import STREAMED_FORMATS, write_graph, write_graph_stream
    from ..knowledge.graph import build_graph, graph_items, share_basis

    with open_db(db) as store:
        if fmt in STREAMED_FORMATS:  # written from the database in passes, never holding the graph
            basis = share_basis(store, basis)  # an unknown basis is refused before any file is opened

            def write(f):
                write_graph_stream(lambda: graph_items(store, basis), fmt, f)
        else:
            g = build_graph(store, basis)

            def write(f):
                write_graph(g, fmt, f)
        if out:
            with out.open("w", encoding="utf-8") as f:
                write(f)
            click.echo(f"wrote {out}", err=True)
        else:
            write(sys.stdout)


@graph.command("show")
@click.argument("node")
@db_option
@format_option()
def graph_show(node: str, db: Path | None, fmt: str) -> None:
    """A node, its neighbours and the sources behind each link.

    NODE is an id (chip:google-tpu-v4), a bare id (google-tpu-v4) or a label ("TPU v4").

    \b
    Example:
      marketgraph graph show "TPU v4"
    """
    import pandas as pd

    from ..knowledge.graph import build_graph, describe_node, find_node, neighbourhood
    from ..present.formats import render_table

    with open_db(db) as store:
        g = build_graph(store)
    n = find_node(g, node)
    if fmt == "table":
        click.echo("\n".join(describe_node(g, n)) + "\n")
    click.echo(render_table(pd.DataFrame(neighbourhood(g, n)), fmt))


@graph.command("path")
@click.argument("a")
@click.argument("b")
@db_option
@format_option()
def graph_path(a: str, b: str, db: Path | None, fmt: str) -> None:
    """The shortest chain of relations between two nodes.

    \b
    Example:
      marketgraph graph path vendor:google event:alexnet-imagenet-2012
    """
    import pandas as pd

    from ..knowledge.graph import build_graph, find_node, shortest_path
    from ..present.formats import render_table

    with open_db(db) as store:
        g = build_graph(store)
    click.echo(render_table(pd.DataFrame(shortest_path(g, find_node(g, a), find_node(g, b))), fmt))
