"""Epoch AI's chip-sales export → shipments: the real format, lossless, idempotent, strict about what it cannot map."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import Counter

import pytest
from click.testing import CliRunner

import marketgraph as mg
from marketgraph.cli import main
from marketgraph.errors import DataErrors
from marketgraph.importers.epoch_chip_counts import import_epoch_chip_counts, parse_date
from conftest import FIXTURES, append_line

EXPORT = FIXTURES / "epoch_chip_counts"


@pytest.fixture
def export(tmp_path):
    dest = tmp_path / "csv_export"
    shutil.copytree(EXPORT, dest)
    (dest / "amd_chip_timelines.csv").unlink()  # its chip type maps to nothing: see test_unmapped_types_refused
    return dest


@pytest.fixture
def data(tiny_data):
    append_line(tiny_data / "aliases.csv", "H100,chip,nvidia-h100-sxm5-80gb,epoch-chip-counts,all H100 SKUs")
    return tiny_data


def shipments(data_dir):
    with (data_dir / "shipments.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_dates_in_both_forms():
    assert parse_date("1/1/2022") == parse_date("2022-01-01") == dt.date(2022, 1, 1)
    assert parse_date("12/31/2023") == dt.date(2023, 12, 31)


def test_import_is_lossless_by_chip_and_calendar_year(export, data):
    report = import_epoch_chip_counts(export, data)
    rows = shipments(data)
    assert report.rows == len(rows) == 5  # 3 H100 quarters + 2 TPU v4 quarters; fiscal files never read
    assert sorted(p.rsplit("/", 1)[1] for p in report.skipped_files) == [
        "nvidia_fiscal_quarter_chip_timelines.csv", "tpu_fiscal_quarter_chip_timelines.csv"]
    by_year = Counter()
    for r in rows:
        by_year[(r["chip_id"], r["period_start"][:4], "units")] += float(r["units"])
        by_year[(r["chip_id"], r["period_start"][:4], "h100e")] += float(r["h100e"])
    # the calendar files' own sums, by hand: H100 2023: 100; 2024: 200 + 300; TPU v4 2023: 100 / 14 H100e …
    assert by_year == Counter({("nvidia-h100-sxm5-80gb", "2023", "units"): 100,
                               ("nvidia-h100-sxm5-80gb", "2023", "h100e"): 100,
                               ("nvidia-h100-sxm5-80gb", "2024", "units"): 500,
                               ("nvidia-h100-sxm5-80gb", "2024", "h100e"): 500,
                               ("google-tpu-v4", "2023", "units"): 100, ("google-tpu-v4", "2023", "h100e"): 14,
                               ("google-tpu-v4", "2024", "units"): 50, ("google-tpu-v4", "2024", "h100e"): 7})
    q2 = next(r for r in rows if r["period_start"] == "2024-04-01")
    assert q2["period_end"] == "2024-06-30"  # the last day, inclusive
    assert q2["is_partial"] == "true" and report.partial == 1
    assert (q2["units_low"], q2["units_high"], q2["interval"], q2["method"]) == ("240", "390", "p5-p95", "modelled")
    assert "all H100 SKUs" in q2["notes"]  # which SKU stands for the family


def test_second_run_replaces_and_keeps_other_sources(export, data):
    append_line(data / "shipments.csv", "analyst-1,google-tpu-v4,2024-01-01,2024-12-31,5,,,,,,point,"
                                        "analyst estimate,false,google-cloud-tpu-v4,")
    import_epoch_chip_counts(export, data)
    first = shipments(data)
    report = import_epoch_chip_counts(export, data)
    assert shipments(data) == first and report.replaced == 5
    assert [r["shipment_id"] for r in first].count("analyst-1") == 1
    sources = (data / "sources.csv").read_text(encoding="utf-8")
    assert sources.count("epoch-ai-chip-counts-d1b1bc3") == 1  # cited once, with the commit
    db = data.parent / "s.duckdb"
    with pytest.raises(DataErrors, match="no segment_allocation row covers nvidia in 2023"):
        mg.build(data, db)  # the H100 is positioned for both: the split needs an allocation row
    append_line(data / "segment_allocation.csv", "default,,2023,2024,40,30,50,nvidia-h100-datasheet,")
    mg.build(data, db)  # the written files pass every check
    assert mg.query("SELECT count(*) AS n FROM shipments", db=db).n[0] == 6


def test_unmapped_types_refused_with_a_list(tmp_path, data):
    dest = tmp_path / "all"
    shutil.copytree(EXPORT, dest)
    before = (data / "shipments.csv").read_bytes()
    with pytest.raises(DataErrors) as e:
        import_epoch_chip_counts(dest, data)
    assert "amd_chip_timelines.csv:2:1: chip type 'Accelerator Not In Data' maps to no chip" in str(e.value)
    assert (data / "shipments.csv").read_bytes() == before  # nothing half-written


def test_a_period_that_is_not_a_calendar_quarter_is_refused(export, data):
    p = export / "tpu_calendar_quarter_chip_timelines.csv"
    line = append_line(p, "Q2 2024 - TPU v4,Google,4/1/2024,6/29/2024,1,1,1,1,1,1,TPU v4,x,")
    with pytest.raises(DataErrors, match=f"tpu_calendar_quarter_chip_timelines.csv:{line}:3: .* not one calendar"):
        import_epoch_chip_counts(export, data)


def test_cli(export, data):
    res = CliRunner().invoke(main, ["import", "epoch-chip-counts", str(export), "--data", str(data)])
    assert res.exit_code == 0 and "wrote 5 shipment rows for 2 chips" in res.output, res.output
    res = CliRunner().invoke(main, ["import", "epoch-chip-counts", str(export / "nope"), "--data", str(data)])
    assert res.exit_code == 1 and "folder not found" in res.output and "Traceback" not in res.output
