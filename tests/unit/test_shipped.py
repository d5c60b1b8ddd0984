"""The market measured by what ships, on a toy market whose answers are computed by hand."""
from __future__ import annotations

import pytest

import marketgraph as mg
from marketgraph.market import shipped
from marketgraph.market.concentration import concentration
from marketgraph.market.findings import compute_findings, hhi_text, pct
from marketgraph.store.db import open_store
from conftest import append_line

SRC = "nvidia-h100-datasheet"  # any source of the tiny fixture: the figures are made up for the test


def ship(data, sid, chip, start, end, units, low="", high="", interval="point", partial="false"):
    append_line(data / "shipments.csv", f"{sid},{chip},{start},{end},{units},{low},{high},,,,{interval},"
                                        f"analyst estimate,{partial},{SRC},")


def allocate(data, aid, vendor, y0, y1, pct_, low, high):
    append_line(data / "segment_allocation.csv", f"{aid},{vendor},{y0},{y1},{pct_},{low},{high},{SRC},")


@pytest.fixture
def toy(tiny_data, tmp_path):
    # 2024: NVIDIA 100 H100 (both; dense BF16 989) and Google 200 TPU v4 (training; BF16 275), point figures.
    ship(tiny_data, "n24", "nvidia-h100-sxm5-80gb", "2024-01-01", "2024-12-31", 100)
    ship(tiny_data, "g24", "google-tpu-v4", "2024-01-01", "2024-12-31", 200)
    # 2023: NVIDIA only, with a range; Google missing (so 2023 is not fully covered).
    ship(tiny_data, "n23", "nvidia-h100-sxm5-80gb", "2023-01-01", "2023-12-31", 100, 50, 150, "range as published")
    allocate(tiny_data, "default", "", 2023, 2024, 25, 10, 50)
    db = tmp_path / "toy.duckdb"
    mg.build(tiny_data, db)
    return db


def rows(db, basis):
    with open_store(db) as s:
        df = concentration(s, basis=basis)
    return {(r.segment, int(r.year)): r for r in df.itertuples()}


def test_compute_shares_hand_computed(toy):
    r = rows(toy, "shipped_compute")
    nv, go = 100 * 989, 200 * 275
    # all segments: every unit counts: 98,900 vs 55,000 TFLOPS
    s_nv, s_go = 100 * nv / (nv + go), 100 * go / (nv + go)
    a = r[("all", 2024)]
    assert a.cr1 == pytest.approx(s_nv) and a.hhi == pytest.approx(s_nv ** 2 + s_go ** 2)
    assert (a.cr1_low, a.cr1_high, a.hhi_low, a.hhi_high) == pytest.approx((a.cr1, a.cr1, a.hhi, a.hhi))  # points
    # training: 75% of the H100 (the default allocation sends 25% of "both" parts to inference) + all TPU v4
    t_nv = 0.75 * nv
    t = r[("training", 2024)]
    assert t.top_vendor_id == "nvidia" and t.cr1 == pytest.approx(100 * t_nv / (t_nv + go))  # 74,175 vs 55,000
    # inference: only the H100's quarter: NVIDIA alone
    assert r[("inference", 2024)].hhi == pytest.approx(10_000) and r[("inference", 2024)].vendor_count == 1


def test_units_basis_and_shares_sum(toy):
    a = rows(toy, "shipped_units")[("all", 2024)]
    assert a.cr1 == pytest.approx(200 / 3) and a.top_vendor_id == "google"  # 200 of 300 units
    with open_store(toy) as s:
        total = s.con.execute("SELECT sum(share_pct) FROM segment_shares WHERE basis = 'shipped_units' AND "
                              "segment = 'all' AND year = 2024").fetchone()[0]
    assert total == pytest.approx(100)


def test_coverage_imputes_a_designer_missing_that_year(toy):
    a23 = rows(toy, "shipped_compute")[("all", 2023)]
    # covered 2023: NVIDIA 98,900; Google missing, imputed at its nearest complete year (2024: 55,000)
    assert a23.coverage_pct == pytest.approx(100 * 98_900 / (98_900 + 55_000))
    assert "Incomplete or missing this year: Google" in a23.coverage_note
    assert rows(toy, "shipped_compute")[("all", 2024)].coverage_pct == pytest.approx(100)


def test_monte_carlo_interval_contains_point_and_is_reproducible(toy):
    n23 = rows(toy, "shipped_units")[("training", 2023)]
    assert (n23.hhi, n23.hhi_low, n23.hhi_high) == pytest.approx((10_000,) * 3)  # one designer: share certain
    with open_store(toy) as s:
        a = shipped.compute(s, draws=500, seed=7)
        b = shipped.compute(s, draws=500, seed=7)
        split = {r["year"]: r for r in a.split if r["basis"] == "shipped_units"}
    assert [(x.hhi, x.share_low) for x in a.rows] == [(x.hhi, x.share_low) for x in b.rows]
    # 2024 units: inference = 25 of the 100 H100s; all = 300 units -> 8.33 %; allocation 10–50 % -> 3.3–16.7 %
    s24 = split[2024]
    assert s24["inference_pct"] == pytest.approx(100 * 25 / 300)
    assert (s24["at_allocation_low"], s24["at_allocation_high"]) == pytest.approx((100 * 10 / 300, 100 * 50 / 300))
    assert s24["inference_pct_low"] <= s24["inference_pct"] <= s24["inference_pct_high"]
    assert s24["at_allocation_low"] - 1e-9 <= s24["inference_pct_low"] < s24["inference_pct_high"] <= \
        s24["at_allocation_high"] + 1e-9  # the draws stay inside the allocation range


def test_sweep_by_hand(toy):
    with open_store(toy) as s:
        sweep = {(r["segment"], r["setting"]): r for r in s.rows("market/allocation_sweep", year=2024,
                                                                 basis="shipped_compute")}
    nv, go = 98_900, 55_000
    for setting, f in (("low", 0.10), ("central", 0.25), ("high", 0.50)):
        t_nv = (1 - f) * nv
        assert sweep[("training", setting)]["cr1"] == pytest.approx(100 * max(t_nv, go) / (t_nv + go))
    # training's leader flips inside the range: NVIDIA at 10 % (89,010 > 55,000), Google at 50 % (49,450)
    assert sweep[("training", "low")]["top_vendor_id"] == "nvidia"
    assert sweep[("training", "high")]["top_vendor_id"] == "google"


def test_findings_lead_with_what_ships_and_state_the_flip(toy):
    with open_store(toy) as s:
        fs = compute_findings(s)
    assert fs[0].id == "shipped-all" and fs[0].numbers["year"] == 2024
    assert "2024: by dense compute shipped, NVIDIA holds 64%" in fs[0].statement
    assert fs[0].numbers["uncovered_designers"] == []  # the tiny market has no other data-centre designer
    sens = next(f for f in fs if f.id == "allocation-sensitivity")
    assert "the training leader changes (Google, NVIDIA)" in sens.statement
    # counts of products never carry a merger-guideline label
    for f in fs:
        if f.basis.startswith("products_announced"):
            assert "Merger Guidelines" not in f.statement and "concentrated" not in f.statement


def test_no_false_precision():
    assert pct(33.333) == "33%" and pct(66.7) == "67%"
    assert hhi_text(4886.0, 4396.0, 5467.0) == "4,900 (p5–p95 4,400–5,500)"
    assert hhi_text(1011.0) == "1,010"
    assert hhi_text(4886.0, 4396.0, 5467.0, interval=False) == "4,900"  # rounded for the interval, not printed


def test_reallocate_moves_both_parts_by_hand(toy):
    from marketgraph.errors import InvalidArgument
    from marketgraph.market.allocation import reallocate

    with open_store(toy) as s:
        r0 = reallocate(s, 2024, 0)
        r100 = reallocate(s, 2024, 100)
        with pytest.raises(InvalidArgument):
            reallocate(s, 2024, 120)
    nv, go = 98_900, 55_000
    # everything trains at 0 %: training is the whole market; inference has nothing
    assert r0["training"]["cr1"] == pytest.approx(100 * nv / (nv + go)) and "inference" not in r0
    # all H100s serve inference at 100 %: training is Google's alone
    assert r100["training"]["top_vendor_id"] == "google" and r100["training"]["hhi"] == pytest.approx(10_000)
    assert r100["inference_pct_of_total"] == pytest.approx(100 * nv / (nv + go))
