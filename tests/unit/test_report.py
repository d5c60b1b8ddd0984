"""Reports from a small fixture database (tests/fixtures/reports), checked for what they say, not that they exist.

The fixture's numbers are small enough to compute by hand: launches 2021–2023 give each of NVIDIA, Google and
AMD one training product (HHI 3,333); the published unit shares NVIDIA 80 / AMD 15 give HHI 6,625 at 95 %
coverage.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import marketgraph as mg
from marketgraph.cli import main
from marketgraph.errors import InvalidArgument, UnknownName
from marketgraph.market.findings import compute_findings
from marketgraph.present.formats import names_for
from marketgraph.present.report import ReportOptions, build_report, default_filename, report_download, write_report
from marketgraph.present.report.render import markdown_text
from marketgraph.store.db import open_store

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
HAS_CHROMIUM = shutil.which("chromium") is not None or shutil.which("google-chrome") is not None
HAS_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None
needs_charts = pytest.mark.skipif(not HAS_CHROMIUM, reason="kaleido draws static charts with Chromium")
needs_poppler = pytest.mark.skipif(not HAS_POPPLER, reason="pdftotext/pdftoppm (Debian poppler-utils) absent")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "reports.duckdb"
    mg.build(FIXTURE, path)
    return path


@pytest.fixture(scope="module")
def report(db):
    with open_store(db) as store:
        return build_report(store)


def _squash(text: str) -> str:
    """Text without whitespace or hyphens: pdftotext breaks lines wherever the page does, and joins a word
    hyphenated at a line end ("data-" / "center" → "datacenter")."""
    return re.sub(r"[\s-]+", "", text)


# ---------------------------------------------------------------- the model

def test_summary_holds_every_finding_as_computed(db, report):
    with open_store(db) as store:
        computed = compute_findings(store)
    assert [f.statement for f in report.findings] == [f.statement for f in computed]
    tr = next(f for f in report.findings if f.id == "training-breadth")
    assert round(tr.numbers["effective_vendors"]) == 3 and tr.numbers["vendor_count"] == 3  # 3 vendors, equal


def test_concentration_table_states_published_hhi_and_coverage(report):
    t = next(t for t in report.tables if t.key == "concentration-all").frame
    row = t[t.basis.str.contains("data-center GPUs")].iloc[0]
    assert row["HHI"] == pytest.approx(80 ** 2 + 15 ** 2)  # 6,625
    assert row["coverage"] == pytest.approx(95)
    assert row["market share?"] == "yes"
    block = next(t for t in report.tables if t.key == "concentration-all")
    # what coverage means: under the table when every basis shares it, else per row
    assert "unnamed remainder" in (block.note or "") or block.frame["coverage means"].str.contains(
        "unnamed remainder").any()


def test_bibliography_numbers_sources_in_order_of_first_citation(report):
    numbers = [r.number for r in report.references]
    assert numbers == list(range(1, len(numbers) + 1))
    first_finding_refs = report.findings[0].refs
    assert first_finding_refs == list(range(1, len(first_finding_refs) + 1))
    cited = {n for t in report.tables if t.refs for refs in t.frame[t.refs] for n in refs}
    cited |= {n for f in report.findings for n in f.refs}
    assert cited == set(numbers)  # every reference is cited somewhere, every citation has a reference
    assert {r.source_id for r in report.references} >= {"analyst-dc-gpu-2023", "amd-mi300x-datasheet"}


def test_title_page_facts_come_from_the_database(db, report):
    with open_store(db) as store:
        info = store.build_info()
    assert report.data_digest == info["data_digest"]
    assert report.as_of == "2026-11-29"  # the last accessed date among the fixture's sources


def test_segment_and_since_filter_the_report(db):
    with open_store(db) as store:
        r = build_report(store, ReportOptions(segment="inference", since=2023))
    assert not any(f.id.startswith("training-") for f in r.findings)
    chips = next(t for t in r.tables if t.key == "chips-inference").frame
    assert set(chips.year) == {2023} and "TPU v5e" in set(chips.chip)
    assert not any(t.key == "chips-training" for t in r.tables)
    assert set(r.datasets["concentration"].segment) <= {"inference", "all"}


def test_bad_options_are_user_errors(db):
    with open_store(db) as store:
        with pytest.raises(InvalidArgument):
            build_report(store, ReportOptions(segment="edge"))
        with pytest.raises(UnknownName, match="no vendor 'nvdia'"):
            build_report(store, ReportOptions(vendor="nvdia"))


def test_vendor_profile_has_its_chips_shares_and_events(db):
    with open_store(db) as store:
        r = build_report(store, ReportOptions(vendor="amd"))
    assert r.kind == "vendor" and r.title == "AMD: vendor profile"
    chips = next(t for t in r.tables if t.key == "vendor-chips").frame
    assert list(chips.chip) == ["Instinct MI300X"]
    shares = next(t for t in r.tables if t.key == "vendor-share-table").frame
    assert 15.0 in set(shares.share)
    events = next(t for t in r.tables if t.key == "vendor-events").frame
    assert list(events.title) == ["AMD launches the Instinct MI300X"]
    assert {x.source_id for x in r.references} == {"amd-mi300x-datasheet", "analyst-dc-gpu-2023"}


def test_default_filenames():
    assert default_filename(ReportOptions(), "md") == "marketgraph-report.md"
    assert default_filename(ReportOptions(vendor="amd", since=2020), "pdf") == "marketgraph-amd-since-2020.pdf"


def test_registry_names_the_report_formats_the_cli_offers():
    from marketgraph.cli.report import REPORT_FORMATS

    assert sorted(names_for("report")) == sorted(REPORT_FORMATS)


# ---------------------------------------------------------------- HTML

class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self.links.append(a.get("href", ""))
        for key in ("src", "href", "data", "poster", "srcset"):
            if key in a and tag != "a":
                self.fetched.append(f"{tag} {key}={a[key]}")


def test_html_is_self_contained_and_escapes_data(db, tmp_path):
    with open_store(db) as store:
        path = write_report(store, ReportOptions(vendor="amd"), "html", tmp_path / "amd.html")[0]
        market = write_report(store, ReportOptions(), "html", tmp_path / "m.html")[0]
    for p in (path, market):
        html = p.read_text(encoding="utf-8")
        parser = _Refs()
        parser.feed(html)
        assert parser.fetched == []  # no script, stylesheet, image or frame loaded from anywhere
        assert not re.search(r"url\(\s*['\"]?https?:", html) and "@import" not in html
        assert len(html) > 1_000_000 and "Plotly.newPlot" in html  # plotly.js inlined, charts drawn by it
        assert all(h.startswith(("#", "https://", "http://")) for h in parser.links)
    html = path.read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html


# ---------------------------------------------------------------- PDF

@pytest.fixture(scope="module")
def pdf(db, tmp_path_factory):
    if not HAS_CHROMIUM:
        pytest.skip("kaleido draws static charts with Chromium")
    out = tmp_path_factory.mktemp("pdf")
    with open_store(db) as store:
        return write_report(store, ReportOptions(), "pdf", out / "report.pdf")[0]


def _pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


@needs_poppler
def test_pdf_text_holds_the_findings_numbers_and_every_source(pdf, report):
    text = _squash(_pdftotext(pdf))
    for f in report.findings:
        assert _squash(f.statement) in text, f.id
    assert "3,333" in text and "6,625" in text
    for r in report.references:
        assert _squash(r.title) in text and _squash(r.url) in text, r.source_id
        assert f"{r.number}." in text


@needs_poppler
def test_pdf_is_paginated_with_header_footer_and_toc(pdf):
    pages = _pdftotext(pdf, "-layout").split("\f")
    pages = [p for p in pages if p.strip()]
    n = len(pages)
    assert n >= 5
    for i, page in enumerate(pages, 1):
        assert f"Page {i} of {n}" in page
        assert "As of 2026-11-29" in page
    assert "Executive summary" in pages[2]  # running header names the section (page 1 is the title page)
    toc = pages[1]
    assert re.search(r"Executive summary \.+ *3\b", toc) and re.search(r"Bibliography \.+ *\d+", toc)


@needs_poppler
def test_pdf_pages_render_to_png(pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == len([p for p in _pdftotext(pdf).split("\f") if p.strip()])
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 2000 for p in pngs)


@needs_poppler
def test_pdf_charts_are_vector_and_text_is_the_same_each_time(db, pdf, tmp_path):
    # Axis labels of the SVG charts are text in the PDF, not pixels.
    assert "HHI(0–10,000)" in _squash(_pdftotext(pdf))
    with open_store(db) as store:
        again = write_report(store, ReportOptions(), "pdf", tmp_path / "again.pdf")[0]
    assert _pdftotext(again) == _pdftotext(pdf)


# ---------------------------------------------------------------- XLSX

def test_xlsx_sheets_types_header_and_sources(db, tmp_path):
    from openpyxl import load_workbook

    with open_store(db) as store:
        path = write_report(store, ReportOptions(), "xlsx", tmp_path / "r.xlsx")[0]
        again = write_report(store, ReportOptions(), "xlsx", tmp_path / "again.xlsx")[0]
    assert path.read_bytes() == again.read_bytes()  # byte for byte
    wb = load_workbook(path)
    assert wb.sheetnames == ["summary", "concentration", "vendors", "chips", "events", "shipments", "estimates",
                             "sources"]
    chips = wb["chips"]
    header = [c.value for c in chips[1]]
    bf16 = header.index("bf16_tflops") + 1
    values = {chips.cell(r, header.index("chip") + 1).value: chips.cell(r, bf16).value
              for r in range(2, chips.max_row + 1)}
    assert values["Instinct MI300X"] == pytest.approx(1307.4) and isinstance(values["Instinct MI300X"], float)
    assert isinstance(chips.cell(2, header.index("year") + 1).value, int)
    for ws in wb.worksheets[1:]:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert ws["A1"].font.bold
    events = wb["events"]
    desc = [c.value for c in events[1]].index("description") + 1
    assert any(str(events.cell(r, desc).value).startswith("'=HYPERLINK") for r in range(2, events.max_row + 1))
    sources = wb["sources"]
    ids = {sources.cell(r, 1).value for r in range(2, sources.max_row + 1)}
    assert {"analyst-dc-gpu-2023", "amd-mi300x-datasheet", "nvidia-a100-datasheet"} <= ids
    summary = [c.value for c in wb["summary"]["B"]]
    with open_store(db) as store:
        first = compute_findings(store)[0].statement
    assert first in summary  # the findings, as the database computes them


# ---------------------------------------------------------------- Markdown

def test_markdown_is_identical_across_runs(db):
    texts = []
    for _ in range(2):  # two runs: the report computed afresh each time, from its own Store
        with open_store(db) as store:
            texts.append(markdown_text(build_report(store), "report_charts"))
    assert texts[0] == texts[1]
    assert "| 6,625 |" in texts[0] and "[1](#ref-1)" in texts[0] and '<a id="ref-1"></a>' in texts[0]


@needs_charts
def test_markdown_writes_its_png_charts_beside_it(db, tmp_path):
    with open_store(db) as store:
        files = write_report(store, ReportOptions(), "md", tmp_path / "report.md")
    text = files[0].read_text(encoding="utf-8")
    linked = re.findall(r"!\[[^]]*\]\((report_charts/[^)]+\.png)\)", text)
    assert linked and sorted(linked) == sorted(p.relative_to(files[0].parent).as_posix() for p in files[1:])
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in files[1:])
    with open_store(db) as store:
        assert text == markdown_text(build_report(store), "report_charts")  # the file is that text, byte for byte


def test_report_cli_writes_the_file(db, tmp_path):
    out = tmp_path / "r.xlsx"
    res = CliRunner().invoke(main, ["report", "--format", "xlsx", "--db", str(db), "--out", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    assert out.is_file() and f"wrote {out}" in res.output
    # A trailing slash names a folder to create, with the file named from the options inside it.
    res = CliRunner().invoke(main, ["report", "--format", "xlsx", "--since", "2023", "--db", str(db), "--quiet",
                                    "--out", f"{tmp_path}/new/"])
    assert res.exit_code == 0 and (tmp_path / "new" / "marketgraph-report-since-2023.xlsx").is_file()
    res = CliRunner().invoke(main, ["report", "--vendor", "nope", "--db", str(db), "--out", str(tmp_path)])
    assert res.exit_code == 1 and "no vendor 'nope'" in res.output


def test_report_download_zips_markdown_with_its_charts(db, monkeypatch):
    import io
    import zipfile

    from marketgraph.present.report import render

    # No Chromium needed here: the charts are one stand-in PNG each; what is tested is the ZIP's layout.
    monkeypatch.setattr(render, "static_images", lambda charts, fmt: {k: b"\x89PNG-" + k.encode() for k in charts})
    with open_store(db) as store:
        name, data = report_download(store, ReportOptions(segment="training"), "md")
    assert name == "marketgraph-training.zip"
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "marketgraph-training.md" in names and any(n.startswith("marketgraph-training_charts/") for n in names)
