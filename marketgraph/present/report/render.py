"""One writer per report format, named in the format registry (:mod:`marketgraph.present.formats`).

HTML and PDF come from the same jinja2 template and stylesheet: the HTML page carries interactive Plotly charts
with plotly.js inlined (nothing is fetched from the network); the PDF gets the same charts as SVG (vector, text
selectable) and is laid out by WeasyPrint, which implements CSS paged media — running headers, "Page n of m",
a table of contents with page numbers (``target-counter``) and table headers repeated on every page.
"""
from __future__ import annotations

import base64
import datetime as dt
import math
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from ..formats import display_cell, neutralise_formula
from .images import static_images
from .model import ChartBlock, FindingBlock, Report, Section, TableBlock, Text

TEMPLATES = resources.files(__package__) / "templates"


# ---------------------------------------------------------------- cells as people read them

def is_number(v) -> bool:
    """A number for alignment and formatting (numpy's included), never a boolean."""
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return False
    return isinstance(v, (int, float)) or type(v).__name__.startswith(("int", "float"))


def cell(v) -> str:
    """A cell as a reader wants it: thousands separators, decimals by size (1,124 · 808.7 · 23.1 · 8.89 · 0.273),
    years as years, NULL empty. Display only: the spreadsheet and the exports keep every digit."""
    if hasattr(v, "item") and not isinstance(v, (list, tuple)) and type(v).__name__ != "ndarray":
        v = v.item()
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if v == int(v) or abs(v) >= 1000:
            return f"{v:,.0f}"
        decimals = 1 if abs(v) >= 10 else 2 if abs(v) >= 1 else 3
        return f"{v:,.{decimals}f}".rstrip("0").rstrip(".")
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v) if 1800 <= v <= 2200 else f"{v:,}"  # years stay years
    if isinstance(v, (pd.Timestamp, dt.date)):
        return v.strftime("%Y-%m-%d")
    return display_cell(v)


def scalar_numbers(numbers: dict[str, Any]) -> str:
    """A finding's scalar numbers as ``key=value`` pairs (lists and nested records are in the statement)."""
    parts = [f"{k}={cell(v)}" for k, v in numbers.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)]
    return " · ".join(parts)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters.update(cell=cell, scalar_numbers=scalar_numbers, is_number=is_number)
    return env


def _chart_specs(report: Report) -> dict[str, tuple[Any, int, int]]:
    return {c.key: (c.figure, c.width, c.height) for c in report.charts}


def render_html_text(report: Report, mode: str, charts: dict[str, str]) -> str:
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    plotly_js = ""
    if mode == "html":
        from plotly.offline import get_plotlyjs

        plotly_js = get_plotlyjs()
    numeric = {t.key: {c for c in t.frame.columns if c != t.refs and t.frame[c].map(is_number).any()}
               for t in report.tables}
    return _environment().get_template("report.html.j2").render(report=report, mode=mode, css=css, charts=charts,
                                                                 plotly_js=plotly_js, numeric=numeric)


# ---------------------------------------------------------------- HTML

def write_html(report: Report, path: Path) -> list[Path]:
    import plotly.io as pio

    charts = {c.key: pio.to_html(c.figure, full_html=False, include_plotlyjs=False, div_id=f"plot-{c.key}",
                                 default_width="100%", default_height=f"{c.height}px",
                                 config={"displaylogo": False, "responsive": True})
              for c in report.charts}
    path.write_text(render_html_text(report, "html", charts), encoding="utf-8")
    return [path]


# ---------------------------------------------------------------- PDF

def pdf_bytes(report: Report) -> bytes:
    import weasyprint

    svgs = static_images(_chart_specs(report), "svg")
    charts = {k: "data:image/svg+xml;base64," + base64.b64encode(v).decode("ascii") for k, v in svgs.items()}
    html = render_html_text(report, "pdf", charts)
    doc = weasyprint.HTML(string=html, base_url=str(TEMPLATES)).render()
    # The as-of date stands in for a creation time, so the same database gives the same document.
    doc.metadata.created = doc.metadata.modified = report.as_of
    doc.metadata.title = report.title
    doc.metadata.generator = f"marketgraph {report.package_version}"
    return doc.write_pdf()


def write_pdf(report: Report, path: Path) -> list[Path]:
    path.write_bytes(pdf_bytes(report))
    return [path]


# ---------------------------------------------------------------- Markdown (+ PNG charts beside it)

def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_refs(refs) -> str:
    return (" [" + ", ".join(f"[{n}](#ref-{n})" for n in refs) + "]") if refs else ""


def _md_table(t: TableBlock) -> list[str]:
    cols = [f"{c} ({t.units[c]})" if c in t.units else str(c) for c in t.frame.columns]
    out = [f"**{_md(t.title)}** ({len(t.frame)} rows)", "", "| " + " | ".join(map(_md, cols)) + " |",
           "|" + "|".join("---:" if t.frame[c].map(is_number).any() and c != t.refs else "---"
                          for c in t.frame.columns) + "|"]
    for row in t.frame.itertuples(index=False, name=None):
        cells = [(_md_refs(v).strip() if c == t.refs else _md(cell(v))) for c, v in zip(t.frame.columns, row)]
        out.append("| " + " | ".join(cells) + " |")
    return out + [""]


def markdown_text(report: Report, chart_dir: str) -> str:
    lines = [f"# {report.title}", "", f"*{report.subtitle}*", "",
             f"- **Data as of:** {report.as_of}", f"- **Database built:** {report.built_at} "
             f"(marketgraph {report.package_version})", f"- **Data digest:** `{report.data_digest}`",
             f"- **Options:** {report.filters_text}", f"- **Sources cited:** {len(report.references)}", "",
             "## Contents", ""]
    for s in report.sections:
        lines.append(f"- [{s.title}](#{s.key})")
        lines += [f"  - [{b.title}](#{b.key})" for b in s.blocks if isinstance(b, Section)]
    lines += ["- [Bibliography](#bibliography)", ""]

    def block(b, depth: int) -> None:
        if isinstance(b, Section):
            lines.extend([f'<a id="{b.key}"></a>', "", f"{'#' * depth} {b.title}", ""])
            for x in b.blocks:
                block(x, depth + 1)
        elif isinstance(b, FindingBlock):
            lines.append(f"- **{_md(b.statement)}**{_md_refs(b.refs)}")
            lines.append(f"  - basis: `{b.basis}`")
            lines.extend(f"  - caveat: {_md(c)}" for c in b.caveats)
            if scalar_numbers(b.numbers):
                lines.append(f"  - numbers: {scalar_numbers(b.numbers)}")
            lines.append("")
        elif isinstance(b, ChartBlock):
            lines.extend([f"![{b.title}]({chart_dir}/{b.key}.png)", "", f"*{b.caption}*", ""])
        elif isinstance(b, TableBlock):
            lines.extend(_md_table(b))
        elif isinstance(b, Text):
            lines.extend([b.text + _md_refs(b.refs), ""])

    for s in report.sections:
        lines += [f'<a id="{s.key}"></a>', "", f"## {s.title}", ""]
        for b in s.blocks:
            block(b, 3)
    lines += ['<a id="bibliography"></a>', "", "## Bibliography", ""]
    for r in report.references:
        via = f" (via {r.via})" if r.via else ""
        lic = f" Licence: {r.licence}." if r.licence else ""
        lines.append(f'{r.number}. <a id="ref-{r.number}"></a>{_md(r.publisher)}{via}, “{_md(r.title)}”. '
                     f"<{r.url}>. Accessed {r.accessed}.{lic} `{r.source_id}`")
    return "\n".join(lines).rstrip() + "\n"


def write_markdown(report: Report, path: Path) -> list[Path]:
    chart_dir = path.parent / f"{path.stem}_charts"
    pngs = static_images(_chart_specs(report), "png")
    written = []
    if pngs:
        chart_dir.mkdir(parents=True, exist_ok=True)
        for key, data in pngs.items():
            (chart_dir / f"{key}.png").write_bytes(data)
            written.append(chart_dir / f"{key}.png")
    path.write_text(markdown_text(report, chart_dir.name), encoding="utf-8")
    return [path] + written


# ---------------------------------------------------------------- XLSX

def write_xlsx(report: Report, path: Path) -> list[Path]:
    """A summary sheet, one sheet per table (typed cells, styled frozen header, autofilter, widths) and a
    sources sheet listing every source a sheet cites, with the sheets that cite it."""
    from openpyxl import Workbook

    from ..export import stable_xlsx_bytes, write_sheet

    wb = Workbook()
    summary = wb.active
    summary.title = "summary"
    rows: list[list[Any]] = [[report.title], [report.subtitle], [],
                             ["data as of", report.as_of], ["database built", report.built_at],
                             ["data digest", report.data_digest], ["marketgraph", report.package_version],
                             ["options", report.filters_text], [], ["findings"]]
    rows += [[f.id, neutralise_formula(f.statement)] for f in report.findings]
    rows += [[], ["sheets"]] + [[name, f"{len(df)} rows"] for name, df in report.datasets.items()]
    rows += [["sources", "every source the sheets cite, with the sheets that cite it"]]
    for r in rows:
        summary.append(r)
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 120
    from openpyxl.styles import Font

    summary["A1"].font = Font(bold=True, size=14)
    for name, df in report.datasets.items():
        write_sheet(wb.create_sheet(name), df)
    write_sheet(wb.create_sheet("sources"), report.sheet_sources)
    path.write_bytes(stable_xlsx_bytes(wb, report.as_of))
    return [path]

