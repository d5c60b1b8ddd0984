"""The export-control class is computed from the chips' dense figures against the thresholds table."""
from __future__ import annotations

from pathlib import Path

import pytest

import marketgraph as mg
from marketgraph.store.db import open_store

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "depth" / "data"


@pytest.fixture(scope="module")
def classes(tmp_path_factory) -> dict[str, tuple]:
    path = tmp_path_factory.mktemp("export") / "x.duckdb"
    mg.build(FIX, path)
    with open_store(path) as store:
        rows = store.rows("chips/export_class")
    return {r["chip_id"]: (r["tpp"], r["performance_density"], r["export_class"], r["rule"]) for r in rows}


def test_tpp_is_the_highest_dense_rate_times_bit_length(classes):
    # H100 SXM5: FP8 1979 × 8 = 15832 beats BF16 989 × 16 = 15824 and INT8 1979 × 8
    tpp, density, cls, rule = classes["nvidia-h100-sxm5-80gb"]
    assert tpp == 15832.0
    assert density == pytest.approx(15832 / 814)
    assert (cls, rule) == ("3A090.a", "3A090.a.1 (t-a1)")


@pytest.mark.parametrize("chip, expected", [
    ("toy-a2", ("3A090.a", "3A090.a.2 (t-a2)")),     # TPP 2400, density 8
    ("toy-b1", ("3A090.b", "3A090.b.1 (t-b1)")),     # TPP 2800, density 2.8
    ("toy-b2", ("3A090.b", "3A090.b.2 (t-b2)")),     # TPP 2000, density 4
    ("toy-edge", ("below thresholds", "3A090 as effective 2023-11-17")),  # density rows are data-centre only
    ("toy-nodie", ("undetermined", "3A090 as effective 2023-11-17")),     # a density row could apply
    ("nvidia-tesla-p40", ("below thresholds", "3A090 as effective 2023-11-17")),  # TPP 384
    ("nvidia-dgx-h100", ("not assessed", "3A090 as effective 2023-11-17")),  # systems are classed by their ICs
])
def test_classes_by_hand(classes, chip, expected):
    assert classes[chip][2:] == expected


def test_sparse_figures_do_not_count(classes):
    assert classes["toy-sparse"] == (None, None, None, None)
    assert classes["nvidia-jetson-agx-orin-64gb"][0] is None
