"""The dashboard's /reports page hands out the same files as the CLI, from the same code (no browser needed:
the callbacks' work is called inside the app's context, as Dash calls it)."""
from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest

import marketgraph as mg

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboards.app import create_app

    db = tmp_path_factory.mktemp("page") / "page.duckdb"
    mg.build(FIXTURE, db)
    app = create_app(db)
    import dashboards.pages.reports  # noqa: F401  (the dashboard engineer adds it to PAGE_MODULES)
    return app


def test_page_lists_vendors_and_formats(app):
    from dashboards import ids
    from dashboards.pages import reports

    with app.server.app_context():
        layout = reports.layout()
    found = {}

    def walk(c):
        if getattr(c, "id", None):
            found[c.id] = c
        for child in (c.children if isinstance(getattr(c, "children", None), list) else
                      [c.children] if hasattr(getattr(c, "children", None), "children") else []):
            walk(child)
    walk(layout)
    assert [o["value"] for o in found[ids.REPORTS_VENDOR].options] == ["amd", "google", "nvidia"]
    assert [o["value"] for o in found[ids.REPORTS_FORMAT].options] == ["markdown", "html", "pdf", "xlsx"]
    assert [o["value"] for o in found[ids.EXPORT_FORMAT].options] == ["csv", "json", "xlsx", "parquet"]


def test_report_download_is_the_cli_report(app, tmp_path):
    from openpyxl import load_workbook

    from dashboards.pages import reports

    with app.server.app_context():
        data, status = reports.make_report("xlsx", "inference", 2023, None, "Inference since 2023")
    assert data["filename"] == "marketgraph-inference-since-2023.xlsx" and data["base64"]
    raw = base64.b64decode(data["content"])
    assert status == f"{data['filename']}: {len(raw):,} bytes"
    (tmp_path / "r.xlsx").write_bytes(raw)
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb["summary"]["A1"].value == "Inference since 2023"
    chips = wb["chips"]
    col = [c.value for c in chips[1]].index("chip")
    assert {r[col].value for r in chips.iter_rows(min_row=2)} == {"TPU v5e", "Instinct MI300X"}


def test_bad_choices_are_said_not_raised(app):
    from dashboards.pages import reports

    with app.server.app_context():
        assert reports.make_report("xlsx", "edge", None, None, None) == (
            None, "Could not make the report: unknown segment 'edge'; use one of: all, training, inference")
        assert reports.make_export([], "csv") == (None, "Choose at least one table.")


def test_export_download_zips_several_tables_with_a_datapackage(app):
    from dashboards.pages import reports

    with app.server.app_context():
        data, _ = reports.make_export(["chips", "vendors"], "csv")
    z = zipfile.ZipFile(io.BytesIO(base64.b64decode(data["content"])))
    pkg = json.loads(z.read("marketgraph-export/datapackage.json"))
    assert [r["name"] for r in pkg["resources"]] == ["chips", "vendors"]
    assert z.read("marketgraph-export/chips.csv").decode().count("\n") == 6  # header + 5 chips
