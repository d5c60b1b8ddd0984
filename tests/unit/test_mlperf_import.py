"""`import mlperf` on small summaries of our own in MLCommons' format: a v4.1-like round and a round whose
accelerator strings the importer has never seen."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import marketgraph as mg
from marketgraph.cli import main
from marketgraph.errors import DataErrors
from marketgraph.importers.mlperf import import_mlperf
from marketgraph.store.db import open_store

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "depth"
V41 = FIX / "mlperf" / "summary_results.json"
UNSEEN = FIX / "mlperf" / "summary_results_unseen_round.json"


@pytest.fixture
def data(tmp_path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(FIX / "data", dest)
    return dest


def _rows(data: Path) -> dict[str, dict[str, str]]:
    with (data / "mlperf_results.csv").open(encoding="utf-8", newline="") as f:
        return {r["result_id"]: r for r in csv.DictReader(f)}


def test_rows_are_read_as_published(data):
    report = import_mlperf(V41, data, commit="4a0c8741")
    rows = _rows(data)
    assert len(rows) == 10 and report.round == "v4.1"
    r = rows["v4.1-0001/resnet/Offline"]
    assert (r["round"], r["division"], r["category"], r["accelerators_per_node"], r["nodes"]) == \
        ("v4.1", "closed", "available", "8", "1")
    assert (r["chip_id"], r["source_id"]) == ("nvidia-h100-sxm5-80gb", "mlcommons-inference-results-v4.1")
    assert rows["v4.1-0004/resnet/Offline"]["chip_id"] == "nvidia-h100-pcie-80gb"
    assert rows["v4.1-0003/llama2-70b-99/Offline"]["chip_id"] == "amd-instinct-mi300x"  # NPS1-SPX-192GB-750W dropped
    assert rows["v4.1-0005/resnet/Offline"]["chip_id"] == "google-tpu-v6e"  # through the scoped alias "TPU v6"
    assert rows["v4.1-0005/resnet/Offline"]["category"] == "preview"
    assert rows["v4.1-0006/resnet/SingleStream"]["chip_id"] == "nvidia-jetson-agx-orin-64gb"  # "64G"
    mixed = rows["v4.1-0008/resnet/Offline"]
    assert mixed["chip_id"] == "" and "mixed system" in mixed["notes"]
    cpu = rows["v4.1-0007/resnet/Offline"]
    assert (cpu["accelerator"], cpu["chip_id"], cpu["accelerators_per_node"]) == ("", "", "")
    assert "no accelerator" in cpu["notes"]
    # 8 closed rows name an accelerator; the mixed one stays unmapped
    assert (report.closed_named, report.closed_mapped) == (8, 7)
    assert sorted(a for a, _ in report.unmapped) == ["NVIDIA H100-SXM-80GB, NVIDIA L40S", "NVIDIA RTX A5000 GPU"]


def test_a_round_it_has_not_seen_maps_too(data):
    report = import_mlperf(UNSEEN, data)
    rows = _rows(data)
    assert report.closed_named == 21 and report.closed_mapped == 19  # the mixed system and the B200 we lack
    assert report.closed_mapped_pct >= 90
    expect = {"v5.0-0001/resnet/Offline": "nvidia-h100-sxm5-80gb", "v5.0-0003/resnet/Offline": "nvidia-h100-nvl-94gb",
              "v5.0-0005/resnet/Offline": "nvidia-l40s", "v5.0-0009/llama2-70b-99/Offline": "amd-instinct-mi300x",
              "v5.0-0010/resnet/Offline": "google-tpu-v6e", "v5.0-0012/bert-99/Offline": "nvidia-tesla-p40",
              "v5.0-0014/gptj-99/Server": "nvidia-h100-sxm5-80gb", "v5.0-0015/bert-99/Offline": "google-tpu-v4"}
    assert {k: rows[k]["chip_id"] for k in expect} == expect
    assert "names no chip" in rows["v5.0-0017/resnet/Offline"]["notes"]


def test_a_second_run_replaces_its_round_and_keeps_the_others(data):
    import_mlperf(V41, data)
    import_mlperf(UNSEEN, data)
    again = import_mlperf(V41, data)
    rows = _rows(data)
    assert again.replaced == 10 and not again.source_added
    assert sum(r["round"] == "v4.1" for r in rows.values()) == 10
    assert sum(r["round"] == "v5.0" for r in rows.values()) == 21
    with (data / "sources.csv").open(encoding="utf-8") as f:
        ids = [r["source_id"] for r in csv.DictReader(f)]
    assert ids.count("mlcommons-inference-results-v4.1") == 1 and "mlcommons-inference-results-v5.0" in ids


def test_throughput_per_chip_and_per_peak_pflop(data, tmp_path):
    import_mlperf(V41, data)
    db = tmp_path / "m.duckdb"
    mg.build(data, db)
    with open_store(db) as store:
        df = store.query("chips/mlperf_per_chip", chip_id=None, round="v4.1", division="closed")
    key = df.set_index(["chip_id", "benchmark", "scenario"])
    h100 = key.loc[("nvidia-h100-sxm5-80gb", "llama2-70b-99", "Offline")]
    assert h100.best_per_chip == pytest.approx(24000 / (8 * 2))          # two nodes of eight
    assert h100.peak_dense_pflops == pytest.approx(1.979)                # fp8 weights → dense FP8
    assert h100.best_per_peak_pflop == pytest.approx(1500 / 1.979)
    assert h100.best_per_fp16e_pflop == pytest.approx(1500 / 0.989)      # BF16 989 TFLOPS
    mi = key.loc[("amd-instinct-mi300x", "llama2-70b-99", "Offline")]
    assert mi.best_per_peak_pflop == pytest.approx(2500 / 2.6149)
    assert key.loc[("nvidia-h100-sxm5-80gb", "resnet", "Offline")].best_per_chip == pytest.approx(10000)
    # latency results are not throughputs; mixed and unmapped rows have no chip
    assert "nvidia-jetson-agx-orin-64gb" not in set(df.chip_id)
    assert len(df) == 6


def test_bad_files_are_reported(data, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"ID": "v4.1-0001",\n  "version": }]', encoding="utf-8")
    with pytest.raises(DataErrors, match=r"broken.json:2:14: not JSON"):
        import_mlperf(broken, data)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(V41.read_text(encoding="utf-8").replace('"Category": "open"', '"Category": "secret"'),
                     encoding="utf-8")
    line = next(i for i, t in enumerate(wrong.read_text(encoding="utf-8").splitlines(), 1) if '"v4.1-0009"' in t)
    with pytest.raises(DataErrors, match=rf"wrong.json:{line}:1: record 10 \(v4.1-0009\): Category 'secret' is "
                                         "not one of closed, network, open"):
        import_mlperf(wrong, data)
    assert not (data / "mlperf_results.csv").read_text(encoding="utf-8").count("v4.1")  # nothing written


def test_cli_reports_the_mapped_share_and_the_rest(data):
    res = CliRunner().invoke(main, ["import", "mlperf", str(V41), "--data", str(data)])
    assert res.exit_code == 0, res.output
    assert "7 of 8 rows that name an accelerator mapped to a chip (87.5 %)" in res.output
    assert "not mapped (1 rows): mixed system" in res.output
