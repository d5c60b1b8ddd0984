"""Commands over external datasets: `marketgraph import …` writes curated rows into data/; `marketgraph
compare …` checks our figures against another dataset without changing anything."""
from __future__ import annotations

import click


@click.group("import")
def import_group() -> None:
    """Import an external dataset into the data folder (then run `marketgraph build`).

    \b
    Example:
      marketgraph import --help
    """


@click.group("compare")
def compare_group() -> None:
    """Compare our figures with another dataset, field by field (reads only).

    \b
    Example:
      marketgraph compare --help
    """
