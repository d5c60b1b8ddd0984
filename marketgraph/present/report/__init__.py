"""Reports: one model computed from the database (:mod:`.model`), one writer per format (:mod:`.render`),
chosen through the shared format registry (:mod:`marketgraph.present.formats`, capability ``report``).

>>> with open_store(path) as store:                                          # doctest: +SKIP
...     write_report(store, ReportOptions(segment="inference"), "pdf", "inference.pdf")
"""
from __future__ import annotations

from pathlib import Path

from ...errors import InvalidArgument
from ...store.db import Store
from ..formats import get_format, names_for, writer
from .model import Report, ReportOptions, build_report

__all__ = ["Report", "ReportOptions", "build_report", "write_report", "report_formats", "default_filename"]


def report_formats() -> list[str]:
    """Formats that can write a report (with their aliases: ``md``)."""
    return names_for("report")


def default_filename(options: ReportOptions, fmt: str) -> str:
    stem = f"marketgraph-{options.vendor}" if options.vendor else (
        "marketgraph-report" if options.segment == "all" else f"marketgraph-{options.segment}")
    if options.since is not None:
        stem += f"-since-{options.since}"
    return f"{stem}.{get_format(fmt).extension}"


def write_report(store: Store, options: ReportOptions, fmt: str, out: str | Path | None = None,
                 progress=None) -> list[Path]:
    """Compute the report from ``store`` and write it as ``fmt`` to ``out`` (default: a name from the options in
    the current folder, or inside ``out`` when it is a folder). Returns the files written, the report first."""
    write = writer(fmt, "report")  # an unknown format fails before any work
    folder_given = out is not None and str(out).endswith(("/", "\\"))  # Path() drops the trailing slash
    out = Path(out).expanduser() if out is not None else Path(default_filename(options, fmt))
    if out.is_dir() or folder_given:
        out = out / default_filename(options, fmt)
    if progress:
        progress("computing the report")
    report = build_report(store, options)
    if progress:
        progress(f"writing {get_format(fmt).name.upper()}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return write(report, out)
    except OSError as e:  # a folder that cannot be made, no permission, disk full: the user's to fix
        raise InvalidArgument(f"cannot write the report to {out}: {e.strerror or e}") from None


def report_download(store: Store, options: ReportOptions, fmt: str) -> tuple[str, bytes]:
    """The report as one file to hand to a browser: ``(filename, bytes)``. A Markdown report with its PNG charts
    comes as a ZIP of the page and its chart folder, as ``write_report`` lays them out on disk."""
    import tempfile

    from ..export import zip_files

    with tempfile.TemporaryDirectory(prefix="marketgraph-report-") as tmp:
        files = write_report(store, options, fmt, Path(tmp) / default_filename(options, fmt))
        if len(files) == 1:
            return files[0].name, files[0].read_bytes()
        return files[0].stem + ".zip", zip_files(files, Path(tmp))
