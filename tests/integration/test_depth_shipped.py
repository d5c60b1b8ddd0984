"""Shipped data: MLPerf v4.1 mapped to our chips, other rounds' strings mapped too, export classes computed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO
from marketgraph.importers.mlperf import import_mlperf
from marketgraph.store.db import open_store

OTHER_ROUNDS = REPO / "tests" / "fixtures" / "depth" / "mlperf" / "summary_results_other_rounds.json"
UNSEEN = REPO / "tests" / "fixtures" / "depth" / "mlperf" / "summary_results_unseen_round.json"


def test_mlperf_v41_ships_with_nine_in_ten_closed_rows_mapped(shipped_db):
    with open_store(shipped_db) as store:
        df = store.query("importers/mlperf_mapping", round="v4.1")
    closed = df[(df.division == "closed") & df.accelerator.notna()]
    assert len(df) == 937 and len(closed) > 700
    assert closed.chip_id.notna().mean() >= 0.90
    # every unmapped row says why
    assert df[df.chip_id.isna()].notes.notna().all()


@pytest.mark.parametrize("summary", [OTHER_ROUNDS, UNSEEN], ids=["other-rounds", "unseen-round"])
def test_rounds_the_importer_has_not_seen_map_against_the_shipped_chips(tmp_path, summary):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    report = import_mlperf(summary, data)
    assert report.closed_mapped_pct >= 90, report.unmapped


def test_export_classes_are_computed_for_the_shipped_chips(shipped_db):
    with open_store(shipped_db) as store:
        rows = {r["chip_id"]: r for r in store.rows("chips/export_class")}
    h100 = rows["nvidia-h100-sxm5-80gb"]
    assert h100["tpp"] == pytest.approx(1979 * 8) and h100["export_class"] == "3A090.a"
    assert {r["export_class"] for r in rows.values()} >= {"3A090.a", "below thresholds"}


def test_shipped_graph_gexf_validates_and_carries_supply_and_shares(shipped_db):
    from lxml import etree

    from marketgraph.knowledge.export import export
    from marketgraph.knowledge.graph import build_graph

    with open_store(shipped_db) as store:
        g = build_graph(store)
    rels = {d["relation"] for _, _, d in g.edges(data=True)}
    assert {"FABRICATED_BY", "MEMORY_FROM", "PACKAGED_BY"} <= rels
    assert g.graph["vendor_shares"]  # some basis has shares in the shipped data
    schema = etree.RelaxNG(etree.parse(str(REPO / "tests" / "fixtures" / "gexf-1.3" / "gexf.rng")))
    assert schema.validate(etree.fromstring(export(g, "gexf").encode("utf-8"))), schema.error_log
