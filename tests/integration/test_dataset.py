"""The shipped dataset: size, coverage, provenance, and datasheet spot checks (issue: curated dataset)."""
from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(shipped_db):
    c = duckdb.connect(str(shipped_db), read_only=True)
    yield c
    c.close()


def one(con, sql, params=None):
    return con.execute(sql, params).fetchall()[0]


def test_size_and_span(con):
    chips, vendors, first, last = one(con, "SELECT count(*), count(DISTINCT vendor_id), min(year), max(year) "
                                           "FROM chips")
    assert chips >= 180 and vendors >= 30 and first <= 2012 and last >= 2025
    assert one(con, "SELECT count(*) FROM events WHERE origin = 'curated'")[0] >= 120
    est, segs = one(con, "SELECT count(*), list(DISTINCT segment) FROM market_estimates")
    assert est >= 30 and {"training", "inference"} <= set(segs)


def test_every_chip_and_event_cited_every_source_complete(con):
    assert one(con, "SELECT count(*) FROM chips c WHERE NOT EXISTS (SELECT 1 FROM citations x "
                    "WHERE x.subject_table='chips' AND x.subject_id=c.chip_id)")[0] == 0
    assert one(con, "SELECT count(*) FROM sources WHERE publisher = '' OR title = '' OR url NOT LIKE 'http%' "
                    "OR accessed IS NULL")[0] == 0


@pytest.mark.parametrize("chip_id, expected", [
    ("nvidia-h100-sxm5-80gb", {"bf16_tflops": 989, "memory_gb": 80, "memory_bandwidth_tbs": 3.35, "tdp_w": 700}),
    ("google-tpu-v4", {"bf16_tflops": 275, "memory_gb": 32, "memory_bandwidth_tbs": 1.2}),
    ("amd-instinct-mi300x", {"fp16_tflops": 1307.4, "memory_gb": 192, "memory_bandwidth_tbs": 5.3, "tdp_w": 750}),
    ("nvidia-tesla-t4", {"fp16_tflops": 65, "int8_tops": 130, "memory_gb": 16, "tdp_w": 70}),
])
def test_datasheet_spot_checks(con, chip_id, expected):
    cols = ", ".join(expected)
    got = dict(zip(expected, one(con, f"SELECT {cols} FROM chips WHERE chip_id = ?", [chip_id])))
    assert got == pytest.approx(expected)


def test_sparse_never_in_dense_columns(con):
    # NVIDIA's sparse H100 headline (1,979 FP16) must sit in the sparse column, not the dense one
    dense, sparse = one(con, "SELECT fp16_tflops, fp16_sparse_tflops FROM chips "
                             "WHERE chip_id='nvidia-h100-sxm5-80gb'")
    assert dense == 989 and sparse == 1979


def test_all_vendors_have_country_and_kind(con):
    assert one(con, "SELECT count(*) FROM vendors WHERE country IS NULL OR kind IS NULL")[0] == 0


def test_training_and_inference_both_well_covered(con):
    for seg in ("training", "inference"):
        n = one(con, "SELECT count(*) FROM chips WHERE segment IN (?, 'both')", [seg])[0]
        assert n >= 50, seg
