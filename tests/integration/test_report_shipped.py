"""The reports on the shipped data: every format and a vendor profile, with what an analyst would check first."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from marketgraph.cli import main
from marketgraph.market.findings import compute_findings
from marketgraph.store.db import open_store

needs_pdf_tools = pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("pdftotext")),
    reason="the PDF's charts need chromium; reading it needs pdftotext (poppler-utils)")


def _report(db, tmp_path, *args):
    res = CliRunner().invoke(main, ["report", "--db", str(db), "--quiet", *args])
    assert res.exit_code == 0, res.output
    return res


@needs_pdf_tools
def test_shipped_pdf_tables_continue_across_pages_with_their_header(shipped_db, tmp_path):
    out = tmp_path / "market.pdf"
    _report(shipped_db, tmp_path, "--format", "pdf", "--out", str(out))
    pages = [p for p in subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                                       check=True).stdout.split("\f") if p.strip()]
    assert len(pages) > 20
    # The events table runs over several pages; each of them starts with its header row again.
    header = re.compile(r"^\s*date\s+title\s+kind\s+vendors\s+refs\s*$", re.M)
    assert sum(1 for p in pages if header.search(p)) >= 3
    text = re.sub(r"[\s-]+", "", "".join(pages))
    with open_store(shipped_db) as store:
        findings = compute_findings(store)
    for f in findings:
        assert re.sub(r"[\s-]+", "", f.statement) in text, f.id


def test_shipped_vendor_profile_and_xlsx(shipped_db, tmp_path):
    from openpyxl import load_workbook

    _report(shipped_db, tmp_path, "--vendor", "nvidia", "--format", "html", "--out", str(tmp_path / "nv.html"))
    html = (tmp_path / "nv.html").read_text(encoding="utf-8")
    assert "NVIDIA: vendor profile" in html and "H100 SXM5 80GB" in html
    _report(shipped_db, tmp_path, "--format", "xlsx", "--out", str(tmp_path / "m.xlsx"))
    wb = load_workbook(tmp_path / "m.xlsx", read_only=True)
    with open_store(shipped_db) as store:
        n_chips = len(store.query("chips_overview", segment=None, vendor=None, deployment=None))
    assert wb["chips"].max_row == n_chips + 1  # every chip, not just the leading ones
