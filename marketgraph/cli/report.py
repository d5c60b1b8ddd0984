"""``marketgraph report``: the market report or a vendor profile as HTML, PDF, XLSX or Markdown."""
from __future__ import annotations

from pathlib import Path

import click

from .common import db_option, open_db
from .progress import progress

REPORT_FORMATS = ["html", "pdf", "xlsx", "markdown", "md"]  # the registry's report formats (checked in tests)


@click.command("report")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="html", show_default=True,
              help="html: one self-contained page, charts interactive; pdf: paginated document; xlsx: a sheet "
                   "per table; markdown/md: tables, with PNG charts in a folder beside it.")
@click.option("--out", type=click.Path(), default=None,  # a str: Path() would drop a trailing slash
              help="File to write, or a folder (default: marketgraph-report.<ext> here; a vendor profile is "
                   "marketgraph-<vendor>.<ext>).")
@click.option("--segment", type=click.Choice(["all", "training", "inference"]), default="all", show_default=True,
              help="Concentration, chips and events of one segment only.")
@click.option("--since", type=int, default=None, help="Only years from this one on (concentration, chips, events, "
                                                      "shipments, estimates).")
@click.option("--vendor", default=None, help="A vendor id (nvidia, amd, google …): its profile instead of the "
                                             "market report.")
@click.option("--title", default=None, help="Title on the title page and in the running header.")
@click.option("--quiet", is_flag=True, help="No progress on the terminal.")
@db_option
def report(fmt: str, out: str | None, segment: str, since: int | None, vendor: str | None, title: str | None,
           quiet: bool, db: Path | None) -> None:
    """Write the market report, or a vendor's profile, computed from the database.

    The report has a title page (data as-of date, data digest, build date), an executive summary of the
    findings, concentration per segment and basis with its coverage, the vendor landscape, leading chips, a
    timeline, the knowledge graph's most central vendors, the methodology and a numbered bibliography of every
    source it cites. The same database and options give the same report.

    \b
    Examples:
      marketgraph report --format pdf --out market.pdf
      marketgraph report --format xlsx --segment inference --since 2020
      marketgraph report --format md --out wiki/market.md
      marketgraph report --vendor nvidia --format pdf
    """
    from ..present.report import ReportOptions, write_report

    options = ReportOptions(segment=segment, since=since, vendor=vendor, title=title)
    with open_db(db) as store, progress("report", None, quiet) as step:  # a spinner: steps differ in length
        files = write_report(store, options, fmt, out, progress=step)
    extra = f" and {len(files) - 1} chart(s) in {files[1].parent}" if len(files) > 1 else ""
    click.echo(f"wrote {files[0]}{extra}")
