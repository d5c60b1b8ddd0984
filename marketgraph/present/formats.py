"""Output formats, in one registry keyed by name, shared by every command that prints (sql, metrics, findings,
info, check, graph show …), by ``marketgraph report`` and by ``marketgraph export``.

A :class:`Format` says what it can render: a table (a DataFrame), a list of findings, a whole report (a
:class:`~marketgraph.present.report.model.Report` written to a file), a full export of tables, or several. Commands offer
the formats that can render what they print, so ``--format`` means the same everywhere; adding a format is one
entry here and never touches a caller. Renderers get the whole frame: nothing is capped here.
"""
from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict, dataclass, is_dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

if TYPE_CHECKING:  # pandas costs ~250 ms to import: `marketgraph --help` lists formats without it
    import pandas as pd

from ..errors import UnknownName

# ---------------------------------------------------------------- cell conversions


def is_null(v) -> bool:
    import pandas as pd

    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def display_cell(v) -> str:
    """A cell as people read it: NULL empty, booleans lowercase, floats to 6 significant digits."""
    if is_null(v):
        return ""
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.6g}" if abs(v) < 1e15 else f"{v:.6e}"
    if isinstance(v, (list, tuple)) or type(v).__name__ == "ndarray":
        return ", ".join(display_cell(x) for x in v)
    return str(v)


def plain(v):
    """A cell as JSON can carry it (None, numbers, text, ISO dates, lists)."""
    if isinstance(v, (list, tuple)) or type(v).__name__ == "ndarray":
        return [plain(x) for x in v]
    if is_null(v):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(v):
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection); numbers,
    negative ones included, stay numbers. For CSV and XLSX written for people to open.

    >>> neutralise_formula("=HYPERLINK(\"http://x\")"), neutralise_formula(-3.5), neutralise_formula("-3.5")
    ('\'=HYPERLINK("http://x")', -3.5, '-3.5')
    """
    if isinstance(v, str) and v.startswith(FORMULA_TRIGGERS):
        try:
            float(v)
            return v  # "-3.5" is a number written as text, not a formula
        except ValueError:
            return "'" + v
    return v


# ---------------------------------------------------------------- tables

def _headers(df: pd.DataFrame) -> list[str]:
    return [str(c) for c in df.columns]


def table_text(df: pd.DataFrame) -> str:
    headers = _headers(df)
    rows = [[display_cell(v) for v in r] for r in df.itertuples(index=False, name=None)]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    def line(cells): return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(out)


def _md_escape(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def table_markdown(df: pd.DataFrame) -> str:
    headers = [_md_escape(h) for h in _headers(df)]
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for r in df.itertuples(index=False, name=None):
        out.append("| " + " | ".join(_md_escape(display_cell(v)) for v in r) + " |")
    return "\n".join(out)


def csv_cell(v) -> str:
    """repr-exact floats in CSV (it is for machines), NULL as an empty cell, booleans lowercase."""
    if isinstance(v, float) and not math.isnan(v):
        return repr(v)
    return display_cell(v)


def table_csv(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_headers(df))
    w.writerows([[csv_cell(v) for v in r] for r in df.itertuples(index=False, name=None)])
    return buf.getvalue().rstrip("\n")


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): plain(v) for k, v in zip(df.columns, r)} for r in df.itertuples(index=False, name=None)]


def table_json(df: pd.DataFrame) -> str:
    return json.dumps(records(df), ensure_ascii=False, indent=2)


# ---------------------------------------------------------------- findings (anything with statement/basis/…)

def _as_dict(f) -> dict[str, Any]:
    return asdict(f) if is_dataclass(f) else dict(f)


def _source_line(sources: list[dict[str, Any]], shown: int = 5) -> str:
    more = f" (+{len(sources) - shown} more)" if len(sources) > shown else ""
    return "; ".join(f"{s['publisher']}, \"{s['title']}\" <{s['url']}>" for s in sources[:shown]) + more


def findings_text(findings: Sequence) -> str:
    lines: list[str] = []
    for f in map(_as_dict, findings):
        lines.append(f"* {f['statement']}")
        lines.append(f"    basis: {f['basis']}")
        lines += [f"    caveat: {c}" for c in f["caveats"]]
        if f["sources"]:
            lines.append(f"    sources: {_source_line(f['sources'])}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def findings_markdown(findings: Sequence) -> str:
    lines = ["# marketgraph findings", ""]
    for f in map(_as_dict, findings):
        lines.append(f"- **{f['statement']}**")
        lines.append(f"  - basis: `{f['basis']}`")
        lines += [f"  - caveat: {c}" for c in f["caveats"]]
        if f["sources"]:
            lines.append(f"  - sources: {_source_line(f['sources'])}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def findings_json(findings: Sequence) -> str:
    return json.dumps([_as_dict(f) for f in findings], ensure_ascii=False, indent=2, default=str)


def findings_csv(findings: Sequence) -> str:
    """One row per finding: the statement, basis, caveats and source ids (the numbers are in the JSON)."""
    rows = [{"id": f["id"], "statement": f["statement"], "basis": f["basis"], "caveats": " | ".join(f["caveats"]),
             "sources": " ".join(s["source_id"] for s in f["sources"])} for f in map(_as_dict, findings)]
    import pandas as pd

    return table_csv(pd.DataFrame(rows, columns=["id", "statement", "basis", "caveats", "sources"]))


# ---------------------------------------------------------------- the registry

@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    media_type: str
    description: str
    table: Callable[[pd.DataFrame], str] | None = None
    findings: Callable[[Sequence], str] | None = None
    # Report and export writers are named "module:function" and imported when first used, as the CLI's commands
    # are: they pull in WeasyPrint, kaleido, openpyxl and pyarrow, which `marketgraph sql` should not pay for.
    # A report writer is ``write(report, path) -> list[Path]``; an export writer ``write(frame_or_arrow, path)``.
    report: str | None = None
    export: str | None = None
    binary: bool = False  # the file is bytes (PDF, XLSX, Parquet), not text


FORMATS: dict[str, Format] = {}
ALIASES = {"text": "table", "md": "markdown"}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


_REPORT = "marketgraph.present.report.render"
_EXPORT = "marketgraph.present.export"

for _f in (
    Format("table", "txt", "text/plain", "aligned text for the terminal", table_text, findings_text),
    Format("csv", "csv", "text/csv", "comma-separated values", table_csv, findings_csv,
           export=f"{_EXPORT}:write_csv"),
    Format("json", "json", "application/json", "a JSON list of records", table_json, findings_json,
           export=f"{_EXPORT}:write_json"),
    Format("markdown", "md", "text/markdown", "a Markdown table or list", table_markdown, findings_markdown,
           report=f"{_REPORT}:write_markdown"),
    Format("html", "html", "text/html", "a self-contained HTML page (charts interactive, no network)",
           report=f"{_REPORT}:write_html"),
    Format("pdf", "pdf", "application/pdf", "a paginated PDF document", report=f"{_REPORT}:write_pdf",
           binary=True),
    Format("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "an Excel workbook, one sheet per table", report=f"{_REPORT}:write_xlsx",
           export=f"{_EXPORT}:write_xlsx", binary=True),
    Format("parquet", "parquet", "application/vnd.apache.parquet", "Apache Parquet, column types kept",
           export=f"{_EXPORT}:write_parquet", binary=True),
):
    register(_f)


def get_format(name: str) -> Format:
    name = ALIASES.get(name, name)
    if name not in FORMATS:
        raise UnknownName(f"unknown format {name!r}; known: {', '.join(FORMATS)}")
    return FORMATS[name]


def names_for(capability: str) -> list[str]:
    """Format names that can render ``capability`` ('table', 'findings', 'report', 'export'), plus their
    aliases."""
    names = [f.name for f in FORMATS.values() if getattr(f, capability, None) is not None]
    return names + [a for a, target in ALIASES.items() if target in names]


def render_table(df: pd.DataFrame, fmt: str) -> str:
    f = get_format(fmt)
    if f.table is None:
        raise UnknownName(f"format {f.name!r} cannot render a table; use one of: {', '.join(names_for('table'))}")
    return f.table(df)


def render_findings(findings: Sequence, fmt: str) -> str:
    f = get_format(fmt)
    if f.findings is None:
        raise UnknownName(f"format {f.name!r} cannot render findings; use one of: {', '.join(names_for('findings'))}")
    return f.findings(findings)


def writer(fmt: str, capability: str) -> Callable:
    """The report or export writer of ``fmt`` (``capability`` is 'report' or 'export'), imported on first use."""
    from importlib import import_module

    f = get_format(fmt)
    target = getattr(f, capability)
    if target is None:
        raise UnknownName(f"format {f.name!r} cannot write a {capability}; use one of: "
                          f"{', '.join(names_for(capability))}")
    module, attr = target.split(":")
    return getattr(import_module(module), attr)
