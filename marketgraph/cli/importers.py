"""Commands over external datasets: `marketgraph import …` writes curated rows into data/; `marketgraph
compare …` checks our figures against another dataset without changing anything."""
from __future__ import annotations

from pathlib import Path

import click

from .common import db_option, format_option, open_db


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


@compare_group.command("epoch-hardware")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@format_option()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the records to this file (default: stdout); the summary goes to stderr.")
@db_option
def epoch_hardware(file: Path, fmt: str, out: Path | None, db: Path | None) -> None:
    """Our chips against a snapshot of Epoch AI's Machine Learning Hardware table, field by field.

    FILE is Epoch's ml_hardware.csv, any snapshot format (columns renamed or reordered, `Infinity` cells,
    SI units). One record per chip and field: ours, theirs (in our units), theirs minus ours, and a verdict
    (agree within 2 %, disagree, only_ours, only_theirs); records with an empty field list the chips only one
    side has. Their names are matched through a normalisation and aliases with scope epoch-hardware.

    \b
    Example:
      marketgraph compare epoch-hardware ml_hardware.csv --format csv --out epoch-vs-ours.csv
    """
    from ..importers.epoch_hardware import compare_epoch_hardware
    from ..present.formats import render_table

    with open_db(db) as store:
        result = compare_epoch_hardware(store, file)
    text = render_table(result.records, fmt)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {len(result.records)} records to {out}", err=True)
    else:
        click.echo(text)
    click.echo(result.summary(), err=True)


@import_group.command("mlperf")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data"),
              show_default=True, help="The data folder whose mlperf_results.csv receives the rows.")
@click.option("--commit", default=None, help="The results repository's commit the file comes from (cited in the "
                                             "round's source row).")
def mlperf(file: Path, data_dir: Path, commit: str | None) -> None:
    """A round of MLCommons MLPerf Inference results (its summary_results.json) into DATA/mlperf_results.csv.

    Each accelerator string is normalised (vendor and model kept; memory size, power and partition suffixes
    dropped) and looked up through data/aliases.csv (scope mlperf) and our chip names; mixed systems and
    unknown parts keep chip_id empty with a note. A second run of the same round replaces its rows. Prints how
    many closed-division rows that name an accelerator were mapped, and lists the strings that were not. Run
    `marketgraph build` afterwards.

    \b
    Example:
      marketgraph import mlperf tests/fixtures/depth/mlperf/summary_results.json --data /tmp/data
    """
    from ..importers.mlperf import import_mlperf

    report = import_mlperf(file, data_dir, commit)
    click.echo(f"{report.round}: wrote {len(report.rows)} result rows to {report.out} (replaced "
               f"{report.replaced} earlier rows of the round)"
               + ("; added the round's source to sources.csv" if report.source_added else ""))
    click.echo(f"closed division: {report.closed_mapped} of {report.closed_named} rows that name an accelerator "
               f"mapped to a chip ({report.closed_mapped_pct:.1f} %)")
    for (accelerator, why), n in sorted(report.unmapped.items(), key=lambda x: (-x[1], x[0])):
        click.echo(f"  not mapped ({n} rows): {why}")
