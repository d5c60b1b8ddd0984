"""Full exports: never capped, types kept, formulas neutralised, a datapackage.json that describes the files."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import marketgraph as mg
from marketgraph.cli import main
from marketgraph.errors import InvalidArgument, QueryRefused, UnknownName
from marketgraph.present import export as ex
from marketgraph.present.formats import names_for
from marketgraph.store.db import open_store
from marketgraph.store.schema import TABLES, table

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reports"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "export.duckdb"
    mg.build(FIXTURE, path)
    return path


def test_a_100000_row_query_exports_100000_rows(db, tmp_path):
    sql = "select i, i * 0.5 as half, 'row ' || i as label from range(100000) t(i)"
    for fmt in ("csv", "parquet", "json"):
        out = tmp_path / f"q.{fmt}"
        result = ex.export_query(db, sql, fmt, out)
        assert result.rows == {"query": 100_000}
    with (tmp_path / "q.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 100_001 and rows[-1] == ["99999", "49999.5", "row 99999"]
    assert pq.read_table(tmp_path / "q.parquet").num_rows == 100_000
    assert len(json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))) == 100_000


def test_query_export_stays_select_only(db, tmp_path):
    with pytest.raises(QueryRefused):
        ex.export_query(db, "delete from chips", "csv", tmp_path / "x.csv")
    with pytest.raises(QueryRefused):
        ex.export_query(db, "with x as (select 1) copy chips to 'out.csv'", "csv", tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_csv_and_xlsx_neutralise_formulas_and_keep_numbers(db, tmp_path):
    from openpyxl import load_workbook

    sql = "select -3.5 as n, '-3.5' as t, '=1+1' as f, '@SUM(A1)' as a, 'plain' as p"
    ex.export_query(db, sql, "csv", tmp_path / "f.csv")
    ex.export_query(db, sql, "xlsx", tmp_path / "f.xlsx")
    row = list(csv.reader((tmp_path / "f.csv").open(encoding="utf-8")))[1]
    assert row == ["-3.5", "-3.5", "'=1+1", "'@SUM(A1)", "plain"]
    ws = load_workbook(tmp_path / "f.xlsx").active
    assert [c.value for c in ws[2]] == [-3.5, "-3.5", "'=1+1", "'@SUM(A1)", "plain"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E2"
    with open_store(db) as store:
        ex.export_tables(store, ["events"], "csv", tmp_path / "events.csv")
    text = (tmp_path / "events.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in text and ",=HYPERLINK(" not in text


def test_parquet_keeps_column_types(db, tmp_path):
    with open_store(db) as store:
        ex.export_tables(store, ["chips", "market_estimates"], "parquet", tmp_path / "pq")
    chips = pq.read_table(tmp_path / "pq" / "chips.parquet").schema
    assert chips.field("announced").type == pa.date32()
    assert chips.field("year").type == pa.int32()
    assert chips.field("bf16_tflops").type == pa.float64()
    est = pq.read_table(tmp_path / "pq" / "market_estimates.parquet").schema
    assert est.field("is_forecast").type == pa.bool_()


def test_folder_export_writes_one_file_per_table_and_a_datapackage(db, tmp_path):
    with open_store(db) as store:
        result = ex.export_all(store, "csv", tmp_path / "all")
        counts = store.row_counts()
    files = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert files == sorted([f"{t.name}.csv" for t in TABLES] + ["datapackage.json"])
    assert result.rows == counts  # every row of every table
    pkg = json.loads((tmp_path / "all" / "datapackage.json").read_text(encoding="utf-8"))
    assert pkg["profile"] == "tabular-data-package" and pkg["licenses"][0]["name"] == "CC-BY-4.0"
    assert {s["path"] for s in pkg["sources"]} >= {"https://example.org/techinsights-dc-gpu-2023"}
    res = {r["name"]: r for r in pkg["resources"]}
    assert set(res) == {t.name for t in TABLES}
    chips = res["chips"]
    assert chips["path"] == "chips.csv" and chips["rows"] == counts["chips"]
    fields = {f["name"]: f for f in chips["schema"]["fields"]}
    assert fields["tdp_w"]["type"] == "number" and fields["tdp_w"]["unit"] == "W"
    assert fields["year"]["type"] == "integer" and fields["announced"]["type"] == "date"
    assert fields["tdp_w"]["description"] == table("chips").column("tdp_w").description
    assert fields["segment"]["constraints"]["enum"] == ["training", "inference", "both"]
    assert chips["schema"]["primaryKey"] == ["chip_id"]
    assert {"fields": ["vendor_id"], "reference": {"resource": "vendors", "fields": ["vendor_id"]}} in \
        chips["schema"]["foreignKeys"]
    header = (tmp_path / "all" / "chips.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [f["name"] for f in chips["schema"]["fields"]]  # the descriptor matches the file


def test_one_table_to_a_file_and_unknown_tables(db, tmp_path):
    with open_store(db) as store:
        result = ex.export_tables(store, ["vendors"], "xlsx", tmp_path / "v.xlsx")
        assert result.files == [tmp_path / "v.xlsx"] and result.rows == {"vendors": 3}
        with pytest.raises(UnknownName, match="no table 'chipz'"):
            ex.export_tables(store, ["chipz"], "csv", tmp_path / "x.csv")
        with pytest.raises(InvalidArgument):
            ex.export_tables(store, ["chips"], "markdown", tmp_path / "x.md")


def test_export_download_gives_one_file_or_a_zip(db):
    import io
    import zipfile

    with open_store(db) as store:
        name, data = ex.export_download(store, ["chips"], "json")
        assert name == "chips.json" and len(json.loads(data)) == 5
        name, data = ex.export_download(store, ["chips", "vendors"], "parquet")
    assert name == "marketgraph-export-parquet.zip"
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == [
        "marketgraph-export/chips.parquet", "marketgraph-export/datapackage.json",
        "marketgraph-export/vendors.parquet"]


def test_export_cli(db, tmp_path):
    from marketgraph.cli.export import EXPORT_FORMATS

    assert sorted(names_for("export")) == sorted(EXPORT_FORMATS)
    run = CliRunner().invoke
    res = run(main, ["export", "chips", "--format", "csv", "--out", str(tmp_path / "c.csv"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "chips: 5 rows" in res.output and "wrote 5 rows" in res.output
    res = run(main, ["export", "--query", "select * from chips where year >= $y", "-p", "y", "2023",
                     "--format", "json", "--out", str(tmp_path / "q.json"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert len(json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))) == 2
    res = run(main, ["export", "chips", "--all", "--format", "csv", "--out", str(tmp_path), "--db", str(db)])
    assert res.exit_code == 1 and "exactly one" in res.output
    res = run(main, ["export", "--help"])
    assert "marketgraph export --all --format parquet" in res.output


def test_an_unwritable_out_is_a_user_error(db, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with open_store(db) as store:
        with pytest.raises(InvalidArgument, match="cannot write"):
            ex.export_tables(store, ["chips"], "csv", blocker / "chips.csv")
        with pytest.raises(InvalidArgument, match="is a file"):
            ex.export_all(store, "csv", blocker)
