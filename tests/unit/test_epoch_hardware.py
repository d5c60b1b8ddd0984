"""`compare epoch-hardware` on a small fixture in both of Epoch's snapshot formats, with hand-checked answers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import marketgraph as mg
from marketgraph.cli import main
from marketgraph.errors import DataErrors
from marketgraph.importers.epoch_hardware import (NameMatcher, compare_epoch_hardware, read_snapshot,
                                                  their_keys)
from marketgraph.store.db import open_store

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "depth"
OLD, NEW = FIX / "epoch" / "ml_hardware-old.csv", FIX / "epoch" / "ml_hardware-new.csv"


@pytest.fixture(scope="module")
def depth_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("depth") / "depth.duckdb"
    mg.build(FIX / "data", path)
    return path


def _compare(db: Path, snapshot: Path):
    with open_store(db) as store:
        return compare_epoch_hardware(store, snapshot)


def _record(df, chip_id, field):
    rows = df[(df.chip_id == chip_id) & (df.field == field)]
    assert len(rows) == 1, (chip_id, field, rows)
    return rows.iloc[0].to_dict()


@pytest.mark.parametrize("snapshot", [OLD, NEW], ids=["2025-format", "2026-format"])
def test_both_formats_give_the_same_verdicts(depth_db, snapshot):
    r = _compare(depth_db, snapshot)
    df = r.records
    # H100 SXM5: BF16 989.4 vs our 989 is within 2 %; memory read from either header, in GB.
    bf16 = _record(df, "nvidia-h100-sxm5-80gb", "bf16_tflops")
    assert (bf16["ours"], bf16["theirs"], bf16["verdict"]) == (989.0, 989.4, "agree")
    assert _record(df, "nvidia-h100-sxm5-80gb", "memory_gb")["theirs"] == 80.0
    # bit/s → GB/s: 400 Gb/s is 50 GB/s, which we lack
    so = _record(df, "nvidia-h100-sxm5-80gb", "scale_out_gbs")
    assert (so["ours"], so["theirs"], so["verdict"]) == (None, 50.0, "only_theirs")
    assert _record(df, "nvidia-h100-sxm5-80gb", "transistors_b")["theirs"] == 80.0
    # "NVIDIA H100 PCIe" (no size) is our H100 PCIe 80GB; their 300 W against our 350 W
    tdp = _record(df, "nvidia-h100-pcie-80gb", "tdp_w")
    assert (tdp["difference"], tdp["verdict"]) == (-50.0, "disagree")
    # "NVIDIA P40" is our Tesla P40 (brand word dropped); 11 vs 12 TFLOPS is 8 % off
    assert _record(df, "nvidia-tesla-p40", "fp32_tflops")["verdict"] == "disagree"
    assert _record(df, "nvidia-tesla-p40", "launch_price_usd")["theirs"] == 5699.0
    # their tensor FP16/BF16 is compared with our FP16 when we have no BF16 (the P40 has neither)
    mi = _record(df, "amd-instinct-mi300x", "bf16_tflops")
    assert mi["verdict"] == "agree"
    # the TPU matched in both snapshots: by normalised name in one, through a scoped alias in the other
    assert _record(df, "google-tpu-v6e", "int8_tops")["verdict"] == "agree"
    # TPP is compared with our computed one (15832 = 1979 TOPS × 8)
    tpp = _record(df, "nvidia-h100-sxm5-80gb", "tpp")
    assert (tpp["ours"], tpp["theirs"], tpp["verdict"]) == (15832.0, 15832.0, "agree")
    # release date within 92 days of our announcement
    assert _record(df, "nvidia-h100-sxm5-80gb", "announced")["verdict"] == "agree"
    # chips only one side has: their generic "NVIDIA A100"; our TPU v4
    assert df[(df.verdict == "only_theirs") & df.field.isna()].epoch_name.tolist() == ["NVIDIA A100"]
    assert "google-tpu-v4" in df[(df.verdict == "only_ours") & df.field.isna()].chip_id.tolist()
    assert r.matched_chips == 5 and r.only_theirs_rows == 1
    assert r.memory_units == {"GB": 6, "GiB": 0, "other": 0}


def test_infinity_cells_are_missing_not_errors(depth_db):
    df = _compare(depth_db, OLD).records
    # the MI300X price is "Infinity": no price on either side, so no record at all
    assert df[(df.chip_id == "amd-instinct-mi300x") & (df.field == "launch_price_usd")].empty


def test_snapshot_headers_are_found_by_name():
    old, new = read_snapshot(OLD), read_snapshot(NEW)
    assert old.headers["memory_gb"] == "Memory size per board (Byte)"
    assert new.headers["memory_gb"] == "Memory (bytes)"
    assert old.headers["int4_tops"] == "INT4/FP4 performance (OP/s)"
    assert new.headers["int4_tops"] == "INT4 performance (OP/s)"
    assert "fp4_tflops" in old.absent  # neither fixture has the FP4 column: that field is not compared
    assert (old.last_modified, new.last_modified) == ("2025-11-14", "2026-05-12")


def test_bad_cells_are_reported_with_file_line_column(tmp_path):
    bad = tmp_path / "bad.csv"
    text = OLD.read_text(encoding="utf-8").replace("346000000000.0", "fast", 1).replace(",300.0,", ",300 W,", 1)
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors) as e:
        read_snapshot(bad)
    lines = str(e.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{bad}:3:20: TDP (W): '300 W' is not a number")
    assert lines[1].startswith(f"{bad}:4:16: Memory bandwidth (byte/s): 'fast' is not a number")


def test_a_file_that_is_not_epochs_is_refused(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("name,value\nx,1\n", encoding="utf-8")
    with pytest.raises(DataErrors, match="no 'Hardware name' column"):
        read_snapshot(other)


def test_normalisation_never_guesses_between_two_skus():
    m = NameMatcher([("a100-40", "A100 SXM4 40GB"), ("a100-80", "A100 SXM4 80GB")], [], {"nvidia"})
    assert m.match("NVIDIA A100 SXM4 80 GB") == "a100-80"
    assert m.match("NVIDIA A100 SXM4") is None  # fits both sizes
    assert their_keys("NVIDIA L2 PCle", {"nvidia"})[-1] == "l2"  # Epoch's typo and the form factor


def test_cli_json_records_and_summary(depth_db, tmp_path):
    out = tmp_path / "cmp.json"
    res = CliRunner().invoke(main, ["compare", "epoch-hardware", str(NEW), "--format", "json", "--out", str(out),
                                    "--db", str(depth_db)])
    assert res.exit_code == 0, res.output
    records = json.loads(out.read_text(encoding="utf-8"))
    assert set(records[0]) == {"chip_id", "epoch_name", "field", "ours", "theirs", "difference", "verdict"}
    assert {r["verdict"] for r in records} == {"agree", "disagree", "only_ours", "only_theirs"}
    assert "5 of our chips matched" in res.output


def test_cli_reports_a_missing_file_as_a_user_error(depth_db, tmp_path):
    res = CliRunner().invoke(main, ["compare", "epoch-hardware", str(tmp_path / "nope.csv"), "--db", str(depth_db)])
    assert res.exit_code == 1 and "file not found" in res.output
