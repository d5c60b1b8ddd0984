"""Commands over the market measures: metrics, findings, whatif."""
from __future__ import annotations

from pathlib import Path

import click

from .common import db_option, format_option, open_db

ROUNDING = {"cr1": 1, "cr4": 1, "hhi": 0, "effective_vendors": 2, "entropy": 3, "delta_hhi": 0, "coverage_pct": 1}


@click.command("metrics")
@click.option("--segment", type=click.Choice(["training", "inference", "all"]), default=None)
@click.option("--basis", default=None, help="A basis id, or a prefix such as 'published' or 'products_announced'.")
@click.option("--view", type=click.Choice(["concentration", "centrality", "entrants"]), default="concentration",
              show_default=True, help="concentration: segment_concentration; centrality: vendor degree and "
                                      "PageRank in the segment's graph; entrants: first launches per year.")
@click.option("--year", type=int, default=None, help="For centrality: launches up to this year (default: all).")
@db_option
@format_option()
def metrics_cmd(segment: str | None, basis: str | None, view: str, year: int | None, db: Path | None,
                fmt: str) -> None:
    """Concentration and graph measures per segment.

    The default view prints segment_concentration (CR1, CR4, HHI, effective vendors, entropy, ΔHHI, coverage);
    values are rounded for display only, the table in the database is unrounded.

    \b
    Examples:
      marketgraph metrics --segment training --basis products_announced_3y
      marketgraph metrics --view centrality --segment inference --year 2020
      marketgraph metrics --view entrants --segment inference
    """
    from ..errors import InvalidArgument
    from ..market import structure
    from ..market.concentration import concentration
    from ..present.formats import render_table

    if view != "concentration" and segment not in ("training", "inference"):
        raise InvalidArgument(f"--view {view} needs --segment training or inference")
    with open_db(db) as store:
        if view == "concentration":
            df = concentration(store, segment, basis)
            click.echo(render_table(df.round(ROUNDING) if fmt == "table" else df, fmt))
        elif view == "centrality":
            g = structure.segment_graph(store, segment, year)  # built once, read by both measures
            df = structure.vendor_centrality(g)
            click.echo(render_table(df.round(4) if fmt == "table" else df, fmt))
            if fmt == "table":
                c = structure.vendor_projection_centralization(g)
                click.echo(f"\ndegree centralization of the vendor–chip graph: {c:.3f}")
        else:
            click.echo(render_table(structure.entrants(store, segment), fmt))


@click.command()
@click.option("--segment", required=True, type=click.Choice(["training", "inference", "all"]))
@click.option("--year", required=True, type=int)
@click.option("--basis", default="shipped_compute", show_default=True,
              help="A share basis: shipped_compute, shipped_units, shipped_h100e or a published/… basis (not a count).")
@click.option("--merge", "merge_", nargs=2, metavar="A B", default=None, help="A acquires B.")
@click.option("--entrant", nargs=2, metavar="NAME SHARE", default=None, help="A new vendor takes SHARE points.")
@click.option("--shift", "shift_", nargs=3, metavar="A B PTS", default=None, help="Move PTS points from A to B.")
@db_option
@format_option()
def whatif(segment, year, basis, merge_, entrant, shift_, db, fmt) -> None:
    """HHI before and after a hypothetical merger, entrant or share shift, and whether the 2023 Merger
    Guidelines' presumption would apply.

    \b
    Example:
      marketgraph whatif --segment all --year 2025 --merge amd aws
    """
    import pandas as pd

    from ..errors import InvalidArgument
    from ..market.whatif import run_whatif
    from ..present.formats import render_table

    if sum(x is not None for x in (merge_, entrant, shift_)) != 1:
        raise InvalidArgument("give exactly one of --merge, --entrant, --shift")
    with open_db(db) as store:
        result = run_whatif(store, segment, year, basis, merge=merge_, entrant=entrant, shift=shift_)
    click.echo(render_table(pd.DataFrame([result]), fmt) if fmt != "table" else
               "\n".join(f"{k:<22}{v}" for k, v in result.items()))


@click.command()
@db_option
@format_option("findings", default="table")
def findings(fmt: str, db: Path | None) -> None:
    """The analyst's summary: what the data says about training dominance and inference diversification,
    each statement with its numbers, basis, sources and caveats. Computed from the database, never typed in.

    \b
    Example:
      marketgraph findings --format markdown
    """
    from ..market.findings import compute_findings
    from ..present.formats import render_findings

    with open_db(db) as store:
        click.echo(render_findings(compute_findings(store), fmt), nl=False)
