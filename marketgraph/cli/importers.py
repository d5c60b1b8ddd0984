"""Commands over external datasets: `marketgraph import …` writes curated rows into data/; `marketgraph
compare …` checks our figures against another dataset without changing anything."""
from __future__ import annotations

from pathlib import Path

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


@import_group.command("epoch-chip-counts")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"),
              show_default=True, help="The data folder whose shipments.csv receives the rows.")
@click.option("--commit", default=None, help="The ai-chip-counts commit the files come from (cited as the "
                                             "source; default: the snapshot the project was built on, d1b1bc3).")
def epoch_chip_counts(folder: Path, data_dir: Path, commit: str | None) -> None:
    """Epoch AI's chip-sales model export (its csv_export/ folder) into DATA/shipments.csv, by calendar quarter.

    Reads NVIDIA's and the TPU's calendar-quarter timelines and AMD's and Trainium's timelines (never the
    fiscal-quarter files, which count the same units again); maps each chip type to a chip through
    data/aliases.csv; a second run replaces the rows of the first. Run `marketgraph build` afterwards.

    \b
    Example:
      marketgraph import epoch-chip-counts tests/fixtures/epoch_chip_counts --data /tmp/data
    """
    from ..importers.epoch_chip_counts import DEFAULT_COMMIT, import_epoch_chip_counts

    report = import_epoch_chip_counts(folder, data_dir, commit or DEFAULT_COMMIT)
    for f in report.skipped_files:
        click.echo(f"not read (same units by fiscal quarter): {f}", err=True)
    click.echo(f"wrote {report.rows} shipment rows for {len(report.by_chip)} chips to {report.out} "
               f"({report.partial} in periods Epoch marks incomplete; replaced {report.replaced} earlier rows)"
               + ("; added the source to sources.csv" if report.source_added else ""))
