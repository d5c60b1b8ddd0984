"""Concentration per segment/year/basis on a toy market whose answers are computed by hand."""
from __future__ import annotations

import math

import duckdb
import pytest
from click.testing import CliRunner

import marketgraph as mg
from marketgraph.cli import main
from marketgraph.errors import InvalidArgument
from marketgraph.market import concentration as conc
from marketgraph.market.findings import compute_findings
from marketgraph.market.market_graph import market_graph
from marketgraph.market.structure import entrants, segment_graph, vendor_centrality
from marketgraph.market.whatif import run_whatif
from marketgraph.present.figures import market_layout
from marketgraph.present.formats import render_findings
from marketgraph.store.db import open_store
from conftest import append_line
from test_load_errors import chip_line


def add(data, chip_id, **kw):
    append_line(data / "chips.csv", chip_line(chip_id=chip_id, **kw))
    append_line(data / "citations.csv", f"chips,{chip_id},,nvidia-h100-datasheet,")


@pytest.fixture
def toy_db(tiny_data, tmp_path):
    # training 2020: nvidia 2 launches (bf16 100 each), google 1 (bf16 200)
    add(tiny_data, "n-t1", announced="2020-01", bf16_tflops="100")
    add(tiny_data, "n-t2", name="T2", announced="2020-02", bf16_tflops="100")
    add(tiny_data, "g-t1", vendor_id="google", name="G1", announced="2020-03", bf16_tflops="200")
    # inference 2020: google 1 (INT8 only: 400 TOPS -> 200 FP16-equivalent), nvidia 1 with no figure
    add(tiny_data, "g-i1", vendor_id="google", name="G2", announced="2020", segment="inference", int8_tops="400")
    add(tiny_data, "n-i1", name="I1", announced="2020", segment="inference")
    # never counted: a variant, a system, an edge part
    add(tiny_data, "n-var", name="V", announced="2020", variant_of="n-t1", bf16_tflops="100")
    add(tiny_data, "n-sys", name="S", announced="2020", form="system", bf16_tflops="800")
    add(tiny_data, "n-edge", name="E", announced="2020", deployment="edge", segment="inference")
    p = tiny_data / "market_estimates.csv"
    for i, (v, x) in enumerate([("nvidia", 60), ("google", 20)]):
        append_line(p, f"e{i},2023,all,data-center GPUs,revenue_share_pct,{v},{x},,,pct,,global,false,"
                       f"calendar year,,nvidia-h100-datasheet,")
    db = tiny_data.parent / "toy.duckdb"
    mg.build(tiny_data, db)
    return db


def concentration(segment=None, basis=None, db=None):
    with open_store(db) as s:
        return conc.concentration(s, segment, basis)


def findings_of(db):
    with open_store(db) as s:
        return compute_findings(s)


def row(db, segment, year, basis):
    df = concentration(segment, basis, db)
    r = df[(df.year == year) & (df.basis == basis)]
    assert len(r) == 1, df
    return r.iloc[0]


def test_launch_basis_hand_computed(toy_db):
    r = row(toy_db, "training", 2020, "products_announced")
    # shares 2/3 and 1/3 -> HHI = 66.67^2 + 33.33^2 = 4444.4 + 1111.1 = 5555.6
    assert r.hhi == pytest.approx(5555.555, rel=1e-6)
    assert (r.cr1, r.cr4, r.vendor_count, r.top_vendor_id) == (pytest.approx(200 / 3), pytest.approx(100), 2,
                                                               "nvidia")
    assert r.effective_vendors == pytest.approx(1.8)
    assert r.entropy == pytest.approx(-(2 / 3) * math.log(2 / 3) - (1 / 3) * math.log(1 / 3))
    assert r.coverage_pct == 100


def test_variants_systems_edge_not_counted(toy_db):
    r = row(toy_db, "inference", 2020, "products_announced")
    assert r.vendor_count == 2 and r.hhi == pytest.approx(5000)  # 50/50: n-i1 and g-i1 only


def test_both_counts_in_each_segment_and_delta(toy_db):
    t22 = row(toy_db, "training", 2022, "products_announced")
    i22 = row(toy_db, "inference", 2022, "products_announced")
    assert t22.top_vendor_id == i22.top_vendor_id == "nvidia"  # the H100 (segment both) in each
    t21 = row(toy_db, "training", 2021, "products_announced")
    assert t21.delta_hhi == pytest.approx(t21.hhi - 5555.555, rel=1e-6)  # previous year with data: 2020
    assert t22.delta_hhi == pytest.approx(t22.hhi - t21.hhi)


def test_no_row_without_data(toy_db):
    df = concentration(db=toy_db)
    assert not ((df.segment == "inference") & (df.year == 2021) & (df.basis == "products_announced")).any()
    assert (df.vendor_count > 0).all()


def test_published_basis_keeps_scope_and_is_lower_bound(toy_db):
    df = concentration("all", "published", toy_db)
    assert len(df) == 1
    r = df.iloc[0]
    assert r.basis == "published/revenue_share_pct/data-center-gpus/global/nvidia-h100-datasheet"
    assert r.hhi == pytest.approx(4000) and r.coverage_pct == pytest.approx(80) and r.cr4 == pytest.approx(80)
    con = duckdb.connect(str(toy_db), read_only=True)
    (scope, desc), = con.execute("SELECT scope, description FROM concentration_bases WHERE basis = ?",
                                 [r.basis]).fetchall()
    assert scope == "data-center GPUs" and "lower bound" in desc


def test_graph_measures(toy_db):
    with open_store(toy_db) as s:
        c = vendor_centrality(segment_graph(s, "training", 2020))
        e = entrants(s, "training")
    assert list(c.vendor_id) == ["nvidia", "google"] and list(c.degree) == [2, 1]
    assert c.pagerank.iloc[0] > c.pagerank.iloc[1]
    first = e[e.year == 2020].iloc[0]
    assert sorted(first.new_vendors) == ["google", "nvidia"] and first.cumulative_vendors == 2


def test_market_graph_and_deterministic_layout(toy_db):
    with open_store(toy_db) as s:
        g = market_graph(s, 2020, "products_announced")
        again = market_graph(s, 2020, "products_announced")
    assert g.edges["vendor:nvidia", "segment:training"]["weight"] == pytest.approx(200 / 3)
    assert g.nodes["vendor:google"]["size"] == pytest.approx(100 / 3 + 50)
    pos1, pos2 = market_layout(g), market_layout(again)
    assert pos1 == pos2 and pos1["segment:training"][0] < 0 < pos1["segment:inference"][0]


def test_whatif_merge_hand_computed(toy_db):
    basis = "published/revenue_share_pct/data-center-gpus/global/nvidia-h100-datasheet"
    with open_store(toy_db) as s:
        r = run_whatif(s, "all", 2023, basis, merge=("nvidia", "google"))
        e = run_whatif(s, "all", 2023, basis, entrant=("acme", "10"))
        with pytest.raises(InvalidArgument, match="counts products, it is not a market share"):
            run_whatif(s, "training", 2020, "products_announced", merge=("nvidia", "google"))
    # shares 60/20 (80 named): ΔHHI of a merger = 2·60·20 = 2,400; after: 80² = 6,400
    assert (r["hhi_before"], r["hhi_after"], r["delta_hhi"]) == (4000, 6400, 2400)
    assert r["presumption_applies"] is True and "post-merger HHI 6,400" in r["reason"]
    assert r["thirty_percent_rule"].startswith("merged firm 80.0%")
    assert "applies to mergers only" in e["reason"] and "post-merger" not in e["reason"]
    assert e["thirty_percent_rule"].startswith("not applicable") and e["presumption_applies"] is False
    res = CliRunner().invoke(main, ["whatif", "--segment", "all", "--year", "2023", "--basis", basis,
                                    "--shift", "nvidia", "acme", "5", "--db", str(toy_db)])
    assert res.exit_code == 1 and "acme" in res.output and "Traceback" not in res.output


def test_findings_follow_the_data(toy_db, tiny_data):
    text = render_findings(findings_of(toy_db), "table")
    assert "NVIDIA 60% of data-center GPUs, 2023" in text
    assert "No source in the database publishes vendor shares of the training market" in text
    # add two more google training launches in 2022: the findings change with the data
    add(tiny_data, "g-t9", vendor_id="google", name="G9", announced="2022", bf16_tflops="1")
    add(tiny_data, "g-t8", vendor_id="google", name="G8", announced="2022", bf16_tflops="1")
    mg.build(tiny_data, toy_db)
    tr = next(f for f in findings_of(toy_db) if f.id == "training-breadth")
    assert tr.numbers["top_vendor_id"] == "google"


def test_metrics_cli(toy_db):
    res = CliRunner().invoke(main, ["metrics", "--segment", "training", "--basis", "products_announced", "--db", str(toy_db),
                                    "--format", "csv"])
    assert res.exit_code == 0 and res.output.splitlines()[0].startswith("segment,year,basis,vendor_count")


def test_shipped_concentration_invariants(shipped_db):
    df = concentration(db=shipped_db)
    for seg in ("training", "inference"):
        assert df[df.segment == seg].basis.nunique() >= 2
        assert df[(df.segment == seg) & (df.basis == "products_announced_3y")].year.nunique() >= 10
    assert (df.cr1 <= df.cr4 + 1e-9).all()
    assert (df.cr1 ** 2 <= df.hhi + 1e-6).all() and (df.hhi <= 100 * df.cr1 + 1e-6).all()
    assert ((df.effective_vendors * df.hhi - 10_000).abs() < 1e-6).all()
    assert df.cr4.notna().all()


def test_metrics_cli_graph_views(toy_db):
    r = CliRunner()
    res = r.invoke(main, ["metrics", "--view", "centrality", "--segment", "training", "--year", "2020",
                          "--db", str(toy_db)])
    assert res.exit_code == 0 and res.output.splitlines()[2].split()[:2] == ["nvidia", "2"]
    assert "degree centralization" in res.output
    res = r.invoke(main, ["metrics", "--view", "entrants", "--segment", "training", "--db", str(toy_db),
                          "--format", "csv"])
    assert res.exit_code == 0 and '2020,"google, nvidia",2,2' in res.output
    res = r.invoke(main, ["metrics", "--view", "entrants", "--db", str(toy_db)])
    assert res.exit_code == 1 and "needs --segment" in res.output


def test_segment_shares_reproduce_every_concentration_row(shipped_db):
    # the stored shares are the audit trail: HHI, CR1 and coverage must follow from them exactly
    df = mg.query("""
        SELECT c.segment, c.year, c.basis, c.hhi, c.cr1, c.coverage_pct, c.vendor_count,
               sum(s.share_pct * s.share_pct) AS hhi2, max(s.share_pct) AS cr1b, sum(s.share_pct) AS total,
               count(*) AS n
        FROM segment_concentration c JOIN segment_shares s USING (segment, year, basis)
        GROUP BY ALL""", db=shipped_db)
    assert len(df) == mg.query("SELECT count(*) AS n FROM segment_concentration", db=shipped_db).n[0]
    assert ((df.hhi - df.hhi2).abs() < 1e-6).all() and ((df.cr1 - df.cr1b).abs() < 1e-9).all()
    assert (df.n == df.vendor_count).all()
    launch = df[~df.basis.str.contains("/")]
    assert ((launch.total - 100).abs() < 1e-6).all()  # launch bases attribute the whole segment
