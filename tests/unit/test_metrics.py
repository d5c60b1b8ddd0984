"""Known-answer tests for marketgraph.metrics: toy markets whose answers are computed by hand."""
from __future__ import annotations

import doctest
import math

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import marketgraph.market.metrics as m

THREE = {"a": 50, "b": 30, "c": 20}


# ---------------------------------------------------------------------------------------- toy markets

def test_fifty_thirty_twenty():
    # HHI = 50² + 30² + 20² = 2500 + 900 + 400 = 3800
    assert m.hhi(THREE) == 3800
    assert m.hhi([50, 30, 20]) == 3800          # a plain sequence works too
    assert m.cr1(THREE) == 50                     # largest share
    assert m.cr4(THREE) == 100                    # only 3 vendors: 50 + 30 + 20
    assert m.cr(THREE, 2) == 80                   # 50 + 30
    # effective number = 10000 / 3800 = 2.63157...
    assert m.effective_number(m.hhi(THREE)) == pytest.approx(2.6316, abs=5e-5)
    assert m.concentration_label(3800) == "highly concentrated"


def test_monopoly():
    # HHI = 100² = 10000; entropy = -(1 · ln 1) = 0; effective = 10000 / 10000 = 1
    assert m.hhi({"nvidia": 100}) == 10_000
    assert m.shannon_entropy({"nvidia": 100}) == 0.0
    assert math.copysign(1, m.shannon_entropy([100])) == 1   # +0.0, not -0.0
    assert m.effective_number(m.hhi([100])) == 1.0
    assert m.cr1([100]) == m.cr4([100]) == 100


def test_four_equal():
    # HHI = 4 · 25² = 4 · 625 = 2500; entropy = -4 · (1/4 · ln 1/4) = ln 4; effective = 10000 / 2500 = 4
    shares = [25, 25, 25, 25]
    assert m.hhi(shares) == 2500
    assert m.shannon_entropy(shares) == pytest.approx(math.log(4))
    assert m.effective_number(m.hhi(shares)) == 4.0


def test_ten_equal():
    # HHI = 10 · 10² = 1000; effective = 10; CR4 = 4 · 10 = 40
    shares = [10] * 10
    assert m.hhi(shares) == 1000
    assert m.effective_number(1000) == 10.0
    assert m.cr4(shares) == 40
    assert m.shannon_entropy(shares) == pytest.approx(math.log(10))


def test_zeros_ignored_by_entropy():
    # the zero vendor contributes 0·ln 0 = 0; the other two are 50/50 -> ln 2
    assert m.shannon_entropy({"a": 50, "b": 50, "c": 0}) == pytest.approx(math.log(2))


def test_empty_market():
    assert m.cr([], 4) == 0.0
    assert m.cr({}, 1) == 0.0
    assert m.hhi([]) == 0.0
    assert m.coverage({}) == 0.0
    assert m.shannon_entropy([]) == 0.0
    assert m.effective_number(0) is None
    assert m.normalise({}) == {}


def test_partial_coverage_bounds():
    # named 40/30/10 -> coverage 40 + 30 + 10 = 80; remainder 20
    # lower = 40² + 30² + 10² = 1600 + 900 + 100 = 2600; upper = 2600 + 20² = 3000
    named = {"a": 40, "b": 30, "c": 10}
    assert m.coverage(named) == 80
    assert m.hhi(named) == 2600
    assert m.hhi_bounds(named) == (2600, 3000)


def test_bounds_equal_with_full_coverage():
    assert m.hhi_bounds(THREE) == (3800, 3800)


def test_normalise_counts():
    # launch counts 6/3/1 of 10 -> 60/30/10
    assert m.normalise({"x": 6, "y": 3, "z": 1}) == {"x": 60.0, "y": 30.0, "z": 10.0}
    # counts may total over 100: 150/50 of 200 -> 75/25
    assert m.normalise([150, 50]) == [75.0, 25.0]
    with pytest.raises(ValueError, match="all shares are zero"):
        m.normalise([0, 0])


def test_delta_hhi():
    # 50/30/20 -> 50/50: 2·50² = 5000; 5000 - 3800 = 1200
    assert m.delta_hhi(THREE, {"a": 50, "bc": 50}) == 1200


# -------------------------------------------------------------------------------------------- labels

def test_label_2023_boundary_is_strict():
    # "greater than 1,800": exactly 1,800 is not highly concentrated
    assert m.concentration_label(1800) == "not highly concentrated"
    assert m.concentration_label(1800.01) == "highly concentrated"
    assert m.concentration_label(0) == "not highly concentrated"


def test_label_2010_bands():
    # 2010 HMG §5.3: < 1500 un-, 1500..2500 moderately, > 2500 highly
    assert m.concentration_label(1499.99, guidelines="2010") == "unconcentrated"
    assert m.concentration_label(1500, guidelines="2010") == "moderately concentrated"
    assert m.concentration_label(2500, guidelines="2010") == "moderately concentrated"
    assert m.concentration_label(2500.01, guidelines="2010") == "highly concentrated"
    with pytest.raises(ValueError, match="guidelines"):
        m.concentration_label(1000, guidelines="1992")


def test_guideline_constants_cite_their_source():
    g = m.MERGER_GUIDELINES_2023
    assert (g.highly_concentrated_hhi, g.significant_delta_hhi, g.merged_share_pct) == (1800, 100, 30)
    assert g.title == "Merger Guidelines" and g.issued == "2023-12-18"
    assert g.url == "https://www.justice.gov/atr/merger-guidelines"
    g10 = m.HORIZONTAL_MERGER_GUIDELINES_2010
    assert (g10.unconcentrated_below_hhi, g10.highly_concentrated_above_hhi) == (1500, 2500)
    assert (g10.small_delta_hhi, g10.presumption_delta_hhi) == (100, 200)


# -------------------------------------------------------------------------------------------- merges

def test_merge_thirty_and_twenty():
    # b (30) absorbs c (20) in 50/30/20 -> 50/50
    # ΔHHI = 2 · 30 · 20 = 1200; after = 50² + 50² = 5000 > 1800 and 1200 > 100 -> presumed
    after = m.merge(THREE, "b", "c")
    assert after == {"a": 50.0, "b": 50.0}
    assert m.delta_hhi(THREE, after) == 1200
    p = m.presumption(THREE, after)
    assert (p.hhi_before, p.hhi_after, p.delta) == (3800, 5000, 1200)
    assert p.highly_concentrated_after and p.presumed
    assert "1,800" in p.reason and "ΔHHI 1,200 > 100" in p.reason


def test_merge_keeps_position_and_name():
    assert list(m.merge({"a": 10, "b": 20, "c": 30}, "b", "c", name="bc")) == ["a", "bc"]
    assert list(m.merge({"a": 10, "b": 20, "c": 30}, "c", "a")) == ["b", "c"]
    with pytest.raises(ValueError, match="already belongs"):
        m.merge(THREE, "b", "c", name="a")
    with pytest.raises(ValueError, match="itself"):
        m.merge(THREE, "a", "a")


def test_presumption_delta_exactly_100_is_not_significant():
    # 40/30/15/10/5: before = 1600 + 900 + 225 + 100 + 25 = 2850
    # merge 10 + 5 -> 15: after = 1600 + 900 + 225 + 225 = 2950; ΔHHI = 2·10·5 = 100, not > 100
    before = {"a": 40, "b": 30, "c": 15, "d": 10, "e": 5}
    p = m.presumption(before, m.merge(before, "d", "e"))
    assert p.delta == 100 and p.highly_concentrated_after
    assert not p.presumed
    assert "ΔHHI 100 is not > 100" in p.reason


def test_presumption_share_rule():
    # 28 + 3 merge into 31% with 23 others of 3% each (28 + 3 + 69 = 100)
    # before = 784 + 9 + 23·9 = 1000; after = 961 + 207 = 1168 (not > 1800); ΔHHI = 2·28·3 = 168
    before = {"x": 28, "y": 3, **{f"o{i}": 3 for i in range(23)}}
    after = m.merge(before, "x", "y")
    assert m.hhi(before) == 1000 and m.hhi(after) == 1168
    no_share = m.presumption(before, after)
    assert not no_share.presumed and "not evaluated" in no_share.reason
    with_share = m.presumption(before, after, merged_share=31)
    assert with_share.presumed and not with_share.highly_concentrated_after
    assert "31% > 30%" in with_share.reason
    # exactly 30% is not "over 30%"
    assert not m.presumption(before, after, merged_share=30).presumed


def test_presumption_flags_partial_coverage():
    p = m.presumption({"a": 40, "b": 30}, {"ab": 70})
    assert "lower bounds" in p.reason


# ------------------------------------------------------------------------------- entrant and shift

def test_add_entrant_preserves_total():
    # entrant 10 of 100: incumbents scaled by 90/100 -> 45/27/18 + 10
    out = m.add_entrant(THREE, "new", 10)
    assert out == pytest.approx({"a": 45, "b": 27, "c": 18, "new": 10})
    assert sum(out.values()) == pytest.approx(100)
    assert THREE == {"a": 50, "b": 30, "c": 20}   # input untouched


def test_add_entrant_partial_coverage_preserves_named_total():
    # named total 80; entrant 20 -> incumbents scaled by 60/80: 40->30, 40->30
    out = m.add_entrant({"a": 40, "b": 40}, "new", 20)
    assert out == pytest.approx({"a": 30, "b": 30, "new": 20})
    assert m.coverage(out) == pytest.approx(80)


def test_shift_preserves_total():
    out = m.shift(THREE, "a", "b", 15)   # 50-15 = 35, 30+15 = 45, 20
    assert out == {"a": 35.0, "b": 45.0, "c": 20.0}
    assert sum(out.values()) == 100
    assert m.shift(THREE, "c", "a", 20)["c"] == 0.0   # all of c's points


@pytest.mark.parametrize("call, message", [
    (lambda: m.shift(THREE, "c", "a", 20.5), "has only"),
    (lambda: m.shift(THREE, "a", "zz", 1), "unknown vendor"),
    (lambda: m.shift(THREE, "a", "b", -1), "negative"),
    (lambda: m.merge(THREE, "a", "zz"), "unknown vendor"),
    (lambda: m.add_entrant(THREE, "a", 5), "already in the market"),
    (lambda: m.add_entrant({"a": 10}, "new", 20), "exceeds"),
    (lambda: m.hhi({"a": -1, "b": 50}), "negative"),
    (lambda: m.hhi([60, 50]), "over 100"),
    (lambda: m.cr1([float("nan")]), "finite"),
    (lambda: m.cr([10], -1), "non-negative integer"),
    (lambda: m.effective_number(-5), "negative"),
    (lambda: m.presumption(THREE, THREE, merged_share=120), "over 100"),
])
def test_clear_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_sum_tolerance_allows_float_rounding():
    thirds = [100 / 3] * 3
    assert m.coverage(thirds) == pytest.approx(100)
    assert m.hhi(thirds) == pytest.approx(10_000 / 3)


def test_non_numbers_are_type_errors():
    with pytest.raises(TypeError):
        m.hhi({"a": "50"})
    with pytest.raises(TypeError):
        m.hhi("50")
    with pytest.raises(TypeError):
        m.shift([50, 50], "a", "b", 1)


# -------------------------------------------------------------------------------------------- graphs

def test_degree_centralization_known_graphs():
    # star on 5 nodes: hub degree 4, leaves 1 -> Σ(4 - d) = 4 · 3 = 12; (n-1)(n-2) = 4 · 3 = 12 -> 1
    assert m.degree_centralization(nx.star_graph(4)) == 1.0
    assert m.degree_centralization(nx.cycle_graph(6)) == 0.0
    assert m.degree_centralization(nx.complete_graph(5)) == 0.0
    assert m.degree_centralization(nx.path_graph(2)) == 0.0     # n < 3
    assert m.degree_centralization(nx.Graph()) == 0.0
    # path on 4 nodes: degrees 1,2,2,1 -> Σ(2 - d) = 2; / (3 · 2) = 1/3
    assert m.degree_centralization(nx.path_graph(4)) == pytest.approx(1 / 3)


def test_degree_centralization_reads_directed_and_multi_as_simple():
    D = nx.DiGraph([(0, i) for i in range(1, 5)] + [(i, 0) for i in range(1, 5)])  # both directions
    assert m.degree_centralization(D) == 1.0
    M = nx.MultiGraph(nx.star_graph(4))
    M.add_edges_from([(0, 1), (0, 1), (2, 2)])   # parallel edges and a self-loop are ignored
    assert m.degree_centralization(M) == 1.0


def test_weighted_degree_shares():
    G = nx.Graph()
    # nvidia: 3 + 3 = 6; amd: 2; total 8 -> 75% / 25%
    G.add_weighted_edges_from([("nvidia", "x", 3), ("nvidia", "y", 3), ("amd", "x", 2)])
    assert m.weighted_degree_shares(G, ["nvidia", "amd"]) == {"nvidia": 75.0, "amd": 25.0}
    # unweighted: nvidia degree 2, amd 1 -> 66.67 / 33.33
    assert m.weighted_degree_shares(G, ["nvidia", "amd"], weight=None) == pytest.approx(
        {"nvidia": 200 / 3, "amd": 100 / 3})
    G.add_node("lonely")
    assert m.weighted_degree_shares(G, ["lonely"]) == {"lonely": 0.0}
    with pytest.raises(ValueError, match="unknown node"):
        m.weighted_degree_shares(G, ["ghost"])


# ------------------------------------------------------------------------------------ property tests

weights = st.lists(st.floats(min_value=0, max_value=1000, allow_nan=False, allow_subnormal=False),
                   min_size=1, max_size=30).filter(lambda xs: sum(xs) > 0)
full_markets = weights.map(m.normalise)          # shares summing to 100
partial_markets = weights.map(lambda xs: [v * 0.9 for v in m.normalise(xs)])   # coverage 90


@given(full_markets)
def test_cr1_le_cr4(shares):
    assert m.cr1(shares) <= m.cr4(shares) + 1e-9


@given(full_markets)
def test_hhi_between_cr1_squared_and_100_cr1(shares):
    # cr1² is one term of the sum of squares; Σ s² <= max(s) · Σ s = cr1 · 100
    c1, h = m.cr1(shares), m.hhi(shares)
    assert c1 * c1 <= h * (1 + 1e-9) + 1e-9
    assert h <= 100 * c1 * (1 + 1e-9) + 1e-9


@given(st.floats(min_value=1e-6, max_value=10_000))
def test_effective_times_hhi(h):
    assert m.effective_number(h) * h == pytest.approx(10_000)


@given(full_markets)
def test_entropy_at_most_ln_n(shares):
    n = sum(1 for v in shares if v > 0)
    assert 0 <= m.shannon_entropy(shares) <= math.log(n) + 1e-9


@given(partial_markets)
def test_bounds_bracket_any_split_of_remainder(shares):
    lower, upper = m.hhi_bounds(shares)
    remainder = 100 - m.coverage(shares)
    for parts in (1, 2, 7):   # the remainder split among `parts` equal unnamed firms
        h = m.hhi(list(shares) + [remainder / parts] * parts)
        assert lower - 1e-6 <= h <= upper + 1e-6


@given(st.floats(0, 50), st.floats(0, 50))
def test_merge_delta_is_twice_product(a, b):
    market = {"a": a, "b": b, "rest": 100 - a - b}
    assert m.delta_hhi(market, m.merge(market, "a", "b")) == pytest.approx(2 * a * b, abs=1e-6)


@given(full_markets, st.floats(0, 100))
def test_entrant_and_shift_preserve_total(shares, points):
    market = {f"v{i}": v for i, v in enumerate(shares)}
    entered = m.add_entrant(market, "new", points)
    assert sum(entered.values()) == pytest.approx(100)
    moved = m.shift(entered, "v0", "new", min(points, entered["v0"]))
    assert sum(moved.values()) == pytest.approx(100)


# -------------------------------------------------------------------------------------------- doctests

def test_doctests_pass():
    result = doctest.testmod(m, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
