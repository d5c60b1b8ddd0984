"""The shipped data through the market model: what the findings open with, and properties every row keeps."""
from __future__ import annotations

import json

import pytest

import marketgraph as mg
from marketgraph.market.findings import compute_findings
from marketgraph.store.db import open_store


@pytest.fixture(scope="module")
def findings(shipped_db):
    with open_store(shipped_db) as s:
        return compute_findings(s)


def test_findings_open_with_shipped_compute_for_each_segment(findings):
    assert [f.id for f in findings[:3]] == ["shipped-all", "shipped-training", "shipped-inference"]
    for f in findings[:3]:
        n = f.numbers
        assert f.basis == "shipped_compute"
        assert n["cr1_low"] <= n["cr1"] <= n["cr1_high"] and n["hhi_low"] <= n["hhi"] <= n["hhi_high"]
        assert "p5–p95" in f.statement
        assert n["uncovered_designers"], "the designers not covered are named"
        assert any("Not covered" in c for c in f.caveats)
    ids = [f.id for f in findings]
    assert "allocation-sensitivity" in ids and "inference-share-of-compute" in ids


def test_no_count_of_products_carries_an_antitrust_label(findings, shipped_db):
    for f in findings:
        if f.basis.startswith("products_announced"):
            assert "Merger Guidelines" not in f.statement and "concentrated" not in f.statement
    counts = mg.query("SELECT basis FROM concentration_bases WHERE NOT is_market_share", db=shipped_db)
    assert set(counts.basis) == {"products_announced", "products_announced_3y"}


def test_every_interval_contains_its_point(shipped_db):
    bad = mg.query("""
        SELECT * FROM segment_concentration
        WHERE NOT (cr1_low <= cr1 + 1e-9 AND cr1 <= cr1_high + 1e-9 AND hhi_low <= hhi + 1e-6
                   AND hhi <= hhi_high + 1e-6 AND cr4_low <= cr4 + 1e-9 AND cr4 <= cr4_high + 1e-9)""", db=shipped_db)
    assert bad.empty
    bad = mg.query("SELECT * FROM segment_shares WHERE NOT (share_low_pct <= share_pct + 1e-9 AND "
                   "share_pct <= share_high_pct + 1e-9)", db=shipped_db)
    assert bad.empty
    shipped = mg.query("SELECT count(*) AS n, count(DISTINCT segment) AS segs FROM segment_concentration "
                       "WHERE basis = 'shipped_compute'", db=shipped_db)
    assert shipped.segs[0] == 3 and shipped.n[0] >= 9


def test_low_coverage_years_are_flagged_not_stated(findings, shipped_db):
    low = mg.query("SELECT year FROM segment_concentration WHERE basis = 'shipped_compute' AND segment = 'all' "
                   "AND (coverage_pct < 50 OR is_partial)", db=shipped_db)
    assert len(low)  # 2022 (NVIDIA only) and the partial 2026
    assert findings[0].numbers["year"] not in set(low.year)
    assert findings[0].numbers.get("first_year") not in set(low.year)


def test_findings_json_keeps_its_shape(shipped_db):
    from click.testing import CliRunner

    from marketgraph.cli import main

    res = CliRunner().invoke(main, ["findings", "--format", "json", "--db", str(shipped_db)])
    data = json.loads(res.stdout)
    assert isinstance(data, list) and data[0]["id"] == "shipped-all"
    assert all({"id", "statement", "numbers", "basis", "caveats", "sources"} <= set(d) for d in data)


def test_same_data_and_seed_same_numbers(shipped_db, tmp_path):
    again = tmp_path / "again.duckdb"
    mg.build(None, again)
    q = "SELECT segment, year, basis, cr1_low, cr1_high, hhi_low, hhi_high FROM segment_concentration ORDER BY ALL"
    assert mg.query(q, db=shipped_db).equals(mg.query(q, db=again))
