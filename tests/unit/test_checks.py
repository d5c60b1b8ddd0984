"""Each data check returns the offending rows, and the build reports them at the row's file and line."""
from __future__ import annotations

import pytest

import marketgraph as mg
from marketgraph.store.checks import all_checks
from marketgraph.errors import DataErrors
from conftest import append_line
from test_load_errors import CHIP_HEADER, chip_line

EST = "estimate_id,year,segment,scope,measure,vendor_id,value,low,high,unit,currency,geography,is_forecast,"\
      "period_note,published,source_id,notes"


def build_errors(data, tmp_path) -> list[str]:
    with pytest.raises(DataErrors) as exc:
        mg.build(data, tmp_path / "c.duckdb")
    return [str(e) for e in exc.value.errors]


def add_chip(data, **over) -> int:
    line = append_line(data / "chips.csv", chip_line(**over))
    append_line(data / "citations.csv", f"chips,{over.get('chip_id', 'test-chip')},,nvidia-h100-datasheet,")
    return line


def test_every_check_documents_why():
    checks = all_checks()
    assert len(checks) >= 10
    for c in checks:
        assert c.why, f"{c.name} has no '-- why:' line"


def test_clean_data_passes(tiny_data, tmp_path):
    report = mg.build(tiny_data, tmp_path / "ok.duckdb")
    assert report.warnings == []


@pytest.mark.parametrize("over, check, column", [
    ({"memory_bandwidth_tbs": "3350"}, "chip_bandwidth_plausible", "memory_bandwidth_tbs"),
    ({"tdp_w": "7000"}, "chip_tdp_plausible", "tdp_w"),
    ({"fp16_tflops": "1979", "fp16_sparse_tflops": "989"}, "chip_dense_not_above_sparse", "fp16_tflops"),
    ({"announced": "2021-06", "available": "2021-03-02"}, "chip_available_after_announced", "available"),
    ({"predecessor_id": "nvidia-h100-sxm5-80gb", "announced": "2019"}, "chip_lineage_consistent",
     "predecessor_id"),
])
def test_chip_checks(tiny_data, tmp_path, over, check, column):
    line = add_chip(tiny_data, **over)
    errs = build_errors(tiny_data, tmp_path)
    col = CHIP_HEADER.index(column) + 1
    assert any(f"chips.csv:{line}:{col}: check {check}:" in e for e in errs), errs


def test_available_same_year_at_year_precision_is_fine(tiny_data, tmp_path):
    add_chip(tiny_data, announced="2021-06-01", available="2021")
    mg.build(tiny_data, tmp_path / "ok.duckdb")


def test_systems_exempt_from_tdp_bound(tiny_data, tmp_path):
    add_chip(tiny_data, tdp_w="23000", form="system")
    mg.build(tiny_data, tmp_path / "ok.duckdb")


def test_chip_without_citation(tiny_data, tmp_path):
    line = append_line(tiny_data / "chips.csv", chip_line())
    errs = build_errors(tiny_data, tmp_path)
    assert any(f"chips.csv:{line}:1: check chip_has_citation" in e for e in errs)


def test_event_without_entities(tiny_data, tmp_path):
    line = append_line(tiny_data / "events.csv", "lonely-event,2020,Lonely,other,Nothing links here.")
    append_line(tiny_data / "citations.csv", "events,lonely-event,,krizhevsky-2012-alexnet,")
    errs = build_errors(tiny_data, tmp_path)
    assert any(f"events.csv:{line}:1: check event_linked_and_cited" in e for e in errs)


def test_estimate_checks(tiny_data, tmp_path):
    p = tiny_data / "market_estimates.csv"
    l1 = append_line(p, "e1,2023,all,data-center GPUs,revenue_share_pct,nvidia,98,,,pct,,global,false,,,"
                        "nvidia-h100-datasheet,")
    append_line(p, "e2,2023,all,data-center GPUs,revenue_share_pct,google,5,,,pct,,global,false,,,"
                   "nvidia-h100-datasheet,")
    l3 = append_line(p, "e3,2024,all,x,revenue_share_pct,nvidia,50,60,70,pct,,global,false,,,"
                        "nvidia-h100-datasheet,")
    l4 = append_line(p, "e4,2024,all,x,market_size_usd,,5,,,pct,,global,false,,,nvidia-h100-datasheet,")
    errs = build_errors(tiny_data, tmp_path)
    val = EST.split(",").index("value") + 1
    unit = EST.split(",").index("unit") + 1
    assert any(f":{l1}:{val}: check estimate_shares_sum" in e and "103" in e for e in errs), errs
    assert any(f":{l3}:{val}: check estimate_range_consistent" in e for e in errs), errs
    assert any(f":{l4}:{unit}: check estimate_unit_matches_measure" in e for e in errs), errs


def test_unused_vendor_is_a_warning_not_an_error(tiny_data, tmp_path):
    line = append_line(tiny_data / "vendors.csv", "acme,Acme,US,startup,2020,,,,")
    report = mg.build(tiny_data, tmp_path / "w.duckdb")
    assert any(f"vendors.csv:{line}:1: warning: check vendor_used" in str(w) for w in report.warnings)
    w = next(w for w in report.warnings if w.check == "vendor_used")  # structured, not a string to re-parse
    assert (w.line, w.column) == (line, 1) and w.file.endswith("vendors.csv")
