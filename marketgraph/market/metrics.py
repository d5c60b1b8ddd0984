"""Market-concentration measures: small pure functions with known answers.

Shares are market shares in **percent** (0-100), given either as a mapping ``vendor -> share_pct`` or as
a plain sequence of percents. Percent, not fractions, because the U.S. Merger Guidelines state the HHI on
a 0-10,000 scale (shares 50/30/20 -> 2,500 + 900 + 400 = 3,800) and their thresholds (1,800; 100) only
mean something on that scale.

    >>> from marketgraph.market import metrics as m
    >>> market = {"nvidia": 50, "amd": 30, "intel": 20}
    >>> m.hhi(market), m.cr1(market), m.cr4(market)
    (3800.0, 50.0, 100.0)
    >>> m.concentration_label(m.hhi(market))
    'highly concentrated'

Named shares may sum to less than 100 when a source attributes only part of the market; the rest is an
unnamed "others" remainder. Then :func:`hhi` of the named shares is a *lower* bound on the true HHI; see
:func:`coverage` and :func:`hhi_bounds`. Nothing here rescales silently: call :func:`normalise` when the
basis really does attribute the whole market (e.g. counts of launches, where every launch has a vendor).

The what-if transforms (:func:`merge`, :func:`add_entrant`, :func:`shift`) return new dicts and never
mutate their input.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

__all__ = [
    "MERGER_GUIDELINES_2023", "HORIZONTAL_MERGER_GUIDELINES_2010", "Presumption",
    "cr", "cr1", "cr4", "hhi", "effective_number", "shannon_entropy", "delta_hhi",
    "normalise", "coverage", "hhi_bounds", "concentration_label", "presumption",
    "merge", "add_entrant", "shift", "degree_centralization", "weighted_degree_shares",
]

Shares = Mapping[str, float] | Sequence[float]

# Float sums of percents (e.g. three shares of 33.333...) may overshoot 100 by rounding; anything beyond
# this tolerance is a data error, not rounding.
SUM_TOLERANCE = 1e-9


# --------------------------------------------------------------------------------------------------------
# Guidelines thresholds: one constant per document, each with its citation, so a reader can check the
# numbers against the source and no threshold is typed twice.
# --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MergerGuidelines2023:
    """Structural-presumption thresholds of the 2023 Merger Guidelines (Guideline 1, section 2.1).

    All comparisons are strict ("greater than"): an HHI of exactly 1,800 is not highly concentrated and a
    change of exactly 100 is not a significant increase. The 2023 text defines no "moderately
    concentrated" band; do not invent one (the 2010 bands live in HORIZONTAL_MERGER_GUIDELINES_2010).
    """

    title: str = "Merger Guidelines"
    issuer: str = "U.S. Department of Justice and Federal Trade Commission"
    issued: str = "2023-12-18"
    url: str = "https://www.justice.gov/atr/merger-guidelines"
    section: str = ("Guideline 1 (section 2.1): Mergers Raise a Presumption of Illegality When They "
                    "Significantly Increase Concentration in a Highly Concentrated Market")
    # A market with an HHI greater than this is "highly concentrated".
    highly_concentrated_hhi: float = 1800.0
    # A change in HHI greater than this is a "significant increase".
    significant_delta_hhi: float = 100.0
    # A merger creating a firm with a share greater than this (percent), together with a change in HHI
    # greater than significant_delta_hhi, also triggers the presumption.
    merged_share_pct: float = 30.0


@dataclass(frozen=True)
class HorizontalMergerGuidelines2010:
    """Concentration bands of the superseded 2010 Horizontal Merger Guidelines (section 5.3).

    Kept only for historical comparison (``concentration_label(h, guidelines="2010")``); the 2023
    Guidelines replaced them. Bands: HHI below 1,500 unconcentrated; 1,500 to 2,500 moderately
    concentrated; above 2,500 highly concentrated. Changes in HHI under 100 were unlikely to raise
    concerns; in highly concentrated markets an increase of more than 200 was presumed likely to enhance
    market power.
    """

    title: str = "Horizontal Merger Guidelines"
    issuer: str = "U.S. Department of Justice and Federal Trade Commission"
    issued: str = "2010-08-19"
    url: str = "https://www.justice.gov/atr/horizontal-merger-guidelines-08192010"
    section: str = "5.3 Market Concentration"
    unconcentrated_below_hhi: float = 1500.0
    highly_concentrated_above_hhi: float = 2500.0
    small_delta_hhi: float = 100.0
    presumption_delta_hhi: float = 200.0


MERGER_GUIDELINES_2023 = MergerGuidelines2023()
HORIZONTAL_MERGER_GUIDELINES_2010 = HorizontalMergerGuidelines2010()


# --------------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------------

def _check_value(label: str, value) -> float:
    # bool is an int subclass; True as a "share" is always a bug upstream.
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"share of {label} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"share of {label} must be finite, got {value!r}")
    if value < 0:
        raise ValueError(f"share of {label} is negative ({value!r}); shares are percents in 0-100")
    return value


def _items(shares: Shares, *, capped: bool = True) -> list[tuple[str, float]]:
    """(label, share) pairs, validated. ``capped``: reject a total over 100 (percent shares)."""
    if isinstance(shares, Mapping):
        pairs = [(str(k), _check_value(repr(k), v)) for k, v in shares.items()]
    elif isinstance(shares, (str, bytes)) or not isinstance(shares, Iterable):
        raise TypeError(f"shares must be a mapping vendor -> percent or a sequence of percents, "
                        f"got {type(shares).__name__}")
    else:
        pairs = [(f"#{i}", _check_value(f"item #{i}", v)) for i, v in enumerate(shares)]
    if capped:
        total = math.fsum(v for _, v in pairs)
        if total > 100 + SUM_TOLERANCE:
            raise ValueError(f"shares sum to {total!r}%, over 100; pass percents of one market "
                             f"(use normalise() for counts or other bases)")
    return pairs


def _values(shares: Shares) -> list[float]:
    return [v for _, v in _items(shares)]


def _mapping(shares: Mapping[str, float]) -> dict[str, float]:
    if not isinstance(shares, Mapping):
        raise TypeError("what-if transforms need vendor names: pass a mapping vendor -> percent")
    _items(shares)   # validates values and the <= 100 total
    return {k: float(v) for k, v in shares.items()}


def _require(shares: Mapping, *vendors) -> None:
    missing = [v for v in vendors if v not in shares]
    if missing:
        raise ValueError(f"unknown vendor(s) {', '.join(map(repr, missing))}; "
                         f"known: {', '.join(map(repr, shares)) or '(none)'}")


# --------------------------------------------------------------------------------------------------------
# Concentration measures
# --------------------------------------------------------------------------------------------------------

def cr(shares: Shares, n: int) -> float:
    """Concentration ratio CRn: the sum of the ``min(n, len(shares))`` largest shares, in percent.

    An empty market has CRn 0.0 (never None), so tables of CRn never carry holes.

    >>> cr({"a": 50, "b": 30, "c": 20}, 2)
    80.0
    >>> cr([], 4)
    0.0
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    return math.fsum(sorted(_values(shares), reverse=True)[:n])


def cr1(shares: Shares) -> float:
    """Share of the largest vendor (CR1).

    >>> cr1([20, 50, 30])
    50.0
    """
    return cr(shares, 1)


def cr4(shares: Shares) -> float:
    """Combined share of the four largest vendors (CR4), the classic four-firm ratio.

    >>> cr4([40, 20, 15, 10, 10, 5])
    85.0
    """
    return cr(shares, 4)


def hhi(shares: Shares) -> float:
    """Herfindahl-Hirschman Index: the sum of squared percent shares, 0-10,000.

    If the shares cover less than 100% (an unnamed remainder), this is a lower bound; see
    :func:`hhi_bounds`.

    >>> hhi({"a": 50, "b": 30, "c": 20})   # 2,500 + 900 + 400
    3800.0
    >>> hhi([100])
    10000.0
    """
    return math.fsum(v * v for v in _values(shares))


def effective_number(hhi_value: float) -> float | None:
    """Effective number of equal-sized firms, 10,000 / HHI; None for HHI 0 (no attributed market).

    >>> effective_number(2500.0)   # four equal 25% firms
    4.0
    >>> round(effective_number(3800.0), 4)
    2.6316
    >>> effective_number(0) is None
    True
    """
    h = _check_value("hhi", hhi_value)
    if h > 10_000 + SUM_TOLERANCE:
        raise ValueError(f"HHI {h!r} is above the 10,000 maximum of the percent scale")
    return None if h == 0 else 10_000 / h


def shannon_entropy(shares: Shares) -> float:
    """Shannon entropy in nats of the shares of the listed vendors, renormalised to sum to 1.

    Zero shares are ignored (0·ln 0 = 0). Any unnamed remainder is *not* counted: this is the entropy of
    the attributed part of the market. One vendor -> 0.0; n equal vendors -> ln n; an empty or all-zero
    market -> 0.0.

    >>> shannon_entropy([100])
    0.0
    >>> round(shannon_entropy([25, 25, 25, 25]), 6) == round(math.log(4), 6)
    True
    """
    positive = [v for v in _values(shares) if v > 0]
    total = math.fsum(positive)
    if total == 0:
        return 0.0
    h = -math.fsum((v / total) * math.log(v / total) for v in positive)
    # A single vendor gives -(1 * ln 1) == -0.0; report a plain 0.0 (max() would keep the -0.0).
    return h if h > 0 else 0.0


def delta_hhi(before: Shares, after: Shares) -> float:
    """Change in HHI from ``before`` to ``after`` (positive = more concentrated).

    >>> delta_hhi({"a": 50, "b": 30, "c": 20}, {"a": 50, "b": 50})   # 5,000 - 3,800
    1200.0
    """
    return hhi(after) - hhi(before)


def normalise(shares: Shares) -> dict[str, float] | list[float]:
    """Rescale non-negative weights to percents summing to 100.

    Use this only when the basis attributes the *whole* market to the listed vendors, e.g. counts of
    chip launches (every launch has a vendor). Do not use it to hide an unnamed remainder of a revenue
    share table: that would inflate every named share (see :func:`coverage`). Inputs need not be percents,
    so their total may exceed 100. A mapping returns a dict, a sequence a list.

    >>> normalise({"nvidia": 6, "amd": 3, "intel": 1})
    {'nvidia': 60.0, 'amd': 30.0, 'intel': 10.0}
    >>> normalise([1, 1, 2])
    [25.0, 25.0, 50.0]
    """
    pairs = _items(shares, capped=False)
    total = math.fsum(v for _, v in pairs)
    if not pairs:
        return {} if isinstance(shares, Mapping) else []
    if total == 0:
        raise ValueError("cannot normalise: all shares are zero")
    if isinstance(shares, Mapping):
        return {k: 100 * float(v) / total for k, v in shares.items()}
    return [100 * v / total for _, v in pairs]


def coverage(shares: Shares) -> float:
    """How much of the market the listed shares attribute, in percent (their sum).

    Below 100 means an unnamed "others" remainder of ``100 - coverage``; HHI from the named shares is
    then only a lower bound (:func:`hhi_bounds`).

    >>> coverage({"nvidia": 40, "amd": 30, "intel": 10})
    80.0
    """
    return math.fsum(_values(shares))


def hhi_bounds(shares: Shares) -> tuple[float, float]:
    """(lower, upper) bounds on the true HHI when the named shares leave an unnamed remainder.

    Assumes the remainder ``r = 100 - coverage`` belongs to firms that are not listed.

    * lower = HHI of the named shares only: the limit as the remainder splits into ever more, ever
      smaller firms (each contributes ~0 to a sum of squares).
    * upper = named HHI + r**2: the remainder held by one firm, the most concentrated possible split
      because (x + y)**2 >= x**2 + y**2.

    With full coverage both bounds equal :func:`hhi`.

    >>> hhi_bounds({"a": 40, "b": 30, "c": 10})   # 1,600 + 900 + 100; remainder 20 -> + 400
    (2600.0, 3000.0)
    """
    lower = hhi(shares)
    remainder = max(100.0 - coverage(shares), 0.0)
    return lower, lower + remainder * remainder


def concentration_label(hhi_value: float, guidelines: str = "2023") -> str:
    """Label an HHI with the bands of the chosen U.S. merger guidelines.

    ``"2023"`` (default, current): "highly concentrated" above 1,800, otherwise "not highly
    concentrated" -- the 2023 text defines no other band. ``"2010"`` (superseded, for comparison):
    "unconcentrated" below 1,500, "moderately concentrated" from 1,500 to 2,500, "highly concentrated"
    above 2,500.

    >>> concentration_label(1800), concentration_label(1800.01)
    ('not highly concentrated', 'highly concentrated')
    >>> concentration_label(2000, guidelines="2010")
    'moderately concentrated'
    """
    h = _check_value("hhi", hhi_value)
    if guidelines == "2023":
        g = MERGER_GUIDELINES_2023
        return "highly concentrated" if h > g.highly_concentrated_hhi else "not highly concentrated"
    if guidelines == "2010":
        g10 = HORIZONTAL_MERGER_GUIDELINES_2010
        if h < g10.unconcentrated_below_hhi:
            return "unconcentrated"
        if h > g10.highly_concentrated_above_hhi:
            return "highly concentrated"
        return "moderately concentrated"
    raise ValueError(f"guidelines must be '2023' or '2010', got {guidelines!r}")


@dataclass(frozen=True)
class Presumption:
    """Outcome of the 2023 Guideline 1 structural-presumption test (see :func:`presumption`)."""

    hhi_before: float
    hhi_after: float
    delta: float
    highly_concentrated_after: bool
    presumed: bool
    reason: str


def presumption(before: Shares, after: Shares, merged_share: float | None = None,
                after_label: str = "post-merger") -> Presumption:
    """Apply the 2023 Merger Guidelines' structural presumption (Guideline 1) to a before/after market.

    Presumed when ΔHHI > 100 and either the post-merger HHI > 1,800, or the merged firm's share
    (``merged_share``, percent) > 30. The share rule is only evaluated when ``merged_share`` is given;
    it is not guessed from the dicts. HHIs come from the named shares, so with partial coverage they are
    lower bounds (the reason says so). This is the screening arithmetic only, not a legal conclusion.
    ``after_label`` names the after-state in the reason ("after the scenario" for an entrant or a shift, which
    are not mergers).

    >>> before = {"a": 50, "b": 30, "c": 20}
    >>> p = presumption(before, merge(before, "b", "c"))
    >>> p.delta, p.presumed
    (1200.0, True)
    >>> print(p.reason)
    Guideline 1 (2023): post-merger HHI 5,000 > 1,800 (highly concentrated) and ΔHHI 1,200 > 100
    """
    g = MERGER_GUIDELINES_2023
    h0, h1 = hhi(before), hhi(after)
    delta = h1 - h0
    highly = h1 > g.highly_concentrated_hhi
    significant = delta > g.significant_delta_hhi
    share = None if merged_share is None else _check_value("merged firm", merged_share)
    if share is not None and share > 100 + SUM_TOLERANCE:
        raise ValueError(f"merged_share {share!r} is over 100%")

    triggered = []
    if highly and significant:
        triggered.append(f"{after_label} HHI {h1:,.0f} > {g.highly_concentrated_hhi:,.0f} (highly concentrated)"
                         f" and ΔHHI {delta:,.0f} > {g.significant_delta_hhi:,.0f}")
    if share is not None and share > g.merged_share_pct and significant:
        triggered.append(f"merged firm share {round(share, 1):g}% > {g.merged_share_pct:g}%"
                         f" and ΔHHI {delta:,.0f} > {g.significant_delta_hhi:,.0f}")
    if triggered:
        reason = "Guideline 1 (2023): " + "; ".join(triggered)
    else:
        why = []
        if not significant:
            why.append(f"ΔHHI {delta:,.0f} is not > {g.significant_delta_hhi:,.0f}")
        if not highly:
            why.append(f"{after_label} HHI {h1:,.0f} is not > {g.highly_concentrated_hhi:,.0f}")
        if share is None and after_label != "post-merger":
            why.append(f"the {g.merged_share_pct:g}% share rule applies to mergers only")
        elif share is None:
            why.append(f"{g.merged_share_pct:g}% share rule not evaluated (merged_share not given)")
        elif share <= g.merged_share_pct:
            why.append(f"merged firm share {round(share, 1):g}% is not > {g.merged_share_pct:g}%")
        reason = "no presumption under Guideline 1 (2023): " + "; ".join(why)
    partial = [c for c in (coverage(before), coverage(after)) if c < 100 - SUM_TOLERANCE]
    if partial:
        reason += f" [named shares cover {min(partial):g}% of the market: HHIs are lower bounds]"
    return Presumption(h0, h1, delta, highly, bool(triggered), reason)


# --------------------------------------------------------------------------------------------------------
# What-if transforms: each returns a new dict and preserves the attributed total.
# --------------------------------------------------------------------------------------------------------

def merge(shares: Mapping[str, float], a: str, b: str, name: str | None = None) -> dict[str, float]:
    """Vendor ``a`` absorbs ``b``; the combined firm sits at ``a``'s position, called ``name`` or ``a``.

    Shares are assumed to simply add (the Guidelines' convention for the ΔHHI screen), so
    ΔHHI = (s_a + s_b)**2 - s_a**2 - s_b**2 = 2·s_a·s_b.

    >>> before = {"a": 50, "b": 30, "c": 20}
    >>> after = merge(before, "b", "c", name="bc")
    >>> after
    {'a': 50.0, 'bc': 50.0}
    >>> delta_hhi(before, after) == 2 * 30 * 20
    True
    """
    current = _mapping(shares)
    _require(current, a, b)
    if a == b:
        raise ValueError(f"cannot merge {a!r} with itself")
    new_name = a if name is None else name
    if new_name in current and new_name not in (a, b):
        raise ValueError(f"merged name {new_name!r} already belongs to another vendor")
    out: dict[str, float] = {}
    for k, v in current.items():
        if k == a:
            out[new_name] = v + current[b]
        elif k != b:
            out[k] = v
    return out


def add_entrant(shares: Mapping[str, float], name: str, share: float) -> dict[str, float]:
    """A new vendor takes ``share`` points; incumbents shrink in proportion, so the total is unchanged.

    Each incumbent keeps its relative size (scaled by (total - share) / total). The entrant is appended
    last. Any unnamed remainder (coverage < 100) is left alone: the entrant wins from named vendors.

    >>> add_entrant({"a": 60, "b": 40}, "new", 10)
    {'a': 54.0, 'b': 36.0, 'new': 10.0}
    """
    current = _mapping(shares)
    if name in current:
        raise ValueError(f"entrant {name!r} is already in the market")
    s = _check_value(repr(name), share)
    total = math.fsum(current.values())
    if s > total + SUM_TOLERANCE:
        raise ValueError(f"entrant share {s!r} exceeds the incumbents' total {total!r}")
    # Clamp: a share within SUM_TOLERANCE above the total must not leave incumbents at -1e-14.
    factor = max((total - s) / total, 0.0) if total > 0 else 1.0
    out = {k: v * factor for k, v in current.items()}
    out[name] = s
    return out


def shift(shares: Mapping[str, float], a: str, b: str, points: float) -> dict[str, float]:
    """Move ``points`` percentage points from vendor ``a`` to vendor ``b`` (both must exist).

    To move share to a vendor not yet in the market use :func:`add_entrant`.

    >>> shift({"a": 50, "b": 30, "c": 20}, "a", "c", 10)
    {'a': 40.0, 'b': 30.0, 'c': 30.0}
    """
    current = _mapping(shares)
    _require(current, a, b)
    p = _check_value("points", points)
    if p > current[a] + SUM_TOLERANCE:
        raise ValueError(f"cannot shift {p!r} points: {a!r} has only {current[a]!r}")
    out = dict(current)
    out[a] = max(out[a] - p, 0.0)   # clamp a float residue like -1e-15 to zero
    out[b] = out[b] + p
    return out


# --------------------------------------------------------------------------------------------------------
# Graph measures
# --------------------------------------------------------------------------------------------------------

def degree_centralization(G: nx.Graph) -> float:
    """Freeman degree centralization in [0, 1]: how star-like the graph is.

    C = Σ (d_max - d_i) / ((n - 1)(n - 2)), the denominator being the value for a star on n nodes.
    The graph is read as a simple undirected graph: directions dropped, parallel edges collapsed and
    self-loops ignored, because each of those would push C outside [0, 1]. Graphs with fewer than 3
    nodes have no meaningful centralization and return 0.0.

    >>> degree_centralization(nx.star_graph(4))    # hub + 4 leaves
    1.0
    >>> degree_centralization(nx.cycle_graph(5))
    0.0
    """
    H = nx.Graph(G.to_undirected(as_view=True)) if G.is_directed() else nx.Graph(G)
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    n = H.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in H.degree()]
    d_max = max(degrees)
    return sum(d_max - d for d in degrees) / ((n - 1) * (n - 2))


def weighted_degree_shares(G: nx.Graph, nodes: Iterable, weight: str | None = "weight") -> dict:
    """Each listed node's share (percent) of the listed nodes' total weighted degree.

    E.g. vendors' shares of chip-to-customer edges. Edges without the ``weight`` attribute count 1
    (NetworkX's convention); in a directed graph degree is in + out. An edge between two listed nodes
    counts for both. If the total is zero every share is 0.0.

    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("nvidia", "x", 3), ("nvidia", "y", 3), ("amd", "x", 2)])
    >>> weighted_degree_shares(G, ["nvidia", "amd"])
    {'nvidia': 75.0, 'amd': 25.0}
    """
    nodes = list(nodes)
    missing = [v for v in nodes if v not in G]
    if missing:
        raise ValueError(f"unknown node(s) {', '.join(map(repr, missing))}")
    degrees = {v: float(G.degree(v, weight=weight)) for v in nodes}
    for v, d in degrees.items():
        if d < 0:
            raise ValueError(f"node {v!r} has negative weighted degree {d!r}; weights must be >= 0")
    total = math.fsum(degrees.values())
    return {v: (100 * d / total if total else 0.0) for v, d in degrees.items()}
