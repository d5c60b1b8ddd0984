"""The market measured by what ships: shares of units, of H100-equivalents and of dense compute shipped, per
calendar year, for the whole market and split into training and inference, with their uncertainty.

Inputs (all in the database, every row sourced):

* ``shipments`` — per chip and period: units and H100e with a range (Epoch AI's model: 5th–95th percentiles by
  quarter; analyst estimates: a point or a published range), and whether the source marks the period incomplete;
* ``chip_compute`` — one dense peak per chip (BF16, else FP16, else FP8 / 2, else INT8 / 2);
* ``segment_allocation`` — for parts positioned for ``both``, the inference percentage of their shipped volume per
  designer and span of years (a row without a designer is the default), with a plausible range.

Bases (names are part of the interface): ``shipped_units`` (units), ``shipped_h100e`` (Epoch's H100-equivalents as
published) and ``shipped_compute`` (units × the chip's dense peak). A chip-year with several sources is one
figure: their median, with the range spanning all of them (the sources disagree; both are kept in the data).

Uncertainty: a seeded Monte Carlo of :data:`DRAWS` draws. A 5th–95th percentile range is read as a two-piece
lognormal through the median (each side's spread fitted to its own percentile); a published range as uniform; a
point as exact. Draws are fully correlated within one designer's series from one source (a model that runs high
for one quarter runs high for all) and independent across designers and sources. Each allocation row's
percentage is drawn uniformly over its range, independently per row. The point values come from the central
figures and central allocation; every interval is widened where needed to contain its point.

Coverage (``coverage_pct``, one meaning for every shipped basis): the covered volume as a percentage of an estimate
of the market the shipments table knows about — the covered volume plus, for each designer that has shipments in
some year but not (all of) this one, its volume in its nearest complete year for the part of the year not covered.
Designers with no published shipments at all cannot be estimated: ``coverage_note`` lists them, and the shares are
then shares of the covered designers (so HHI overstates concentration when the uncovered designers are large).
"""
from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median
from typing import Any

import numpy as np
from scipy.special import ndtr

from ..store.db import Store
from . import metrics
from .names import vendor_names
from .shares import ShareSet

DRAWS = 2000
SEED = 20_261_201
Z95 = 1.6448536269514722  # the standard normal's 95th percentile
SEGMENTS_ALL = ("all", "training", "inference")
MEASURES = {"shipped_units": "units", "shipped_h100e": "h100e", "shipped_compute": "compute"}
BASIS_TEXT = {
    "shipped_units": "Share of accelerator units shipped in the calendar year (Epoch AI's chip-sales model for "
                     "NVIDIA, Google TPU, AMD and AWS Trainium; analyst estimates for other designers where "
                     "published). Every unit counts the same, whatever its speed.",
    "shipped_h100e": "Share of compute shipped in H100-equivalents as Epoch AI publishes them (normalised to the "
                     "H100's dense INT8 throughput); designers without an H100e figure are not covered.",
    "shipped_compute": "Share of dense compute shipped: units × the chip's dense peak (BF16, else FP16, else FP8/2, "
                       "else INT8/2; the chip_compute view). Chips without a published dense peak are not covered.",
}
COVERAGE_MEANING = ("the covered volume as a percentage of the covered volume plus an estimate of what designers "
                    "with shipments in other years shipped in the part of this year the data does not cover; "
                    "designers with no published shipments are listed in coverage_note, not estimated")
MIN_COVERAGE = 50.0  # below this a basis-year is shown greyed and never stated as a finding


@dataclass
class ChipYear:
    """One chip's shipments in one calendar year (quarters summed, sources combined)."""

    chip_id: str
    designer: str
    chip_segment: str
    year: int
    group: str  # draws are correlated within a designer's series from one source
    central: dict[str, float | None]
    low: dict[str, float | None]
    high: dict[str, float | None]
    kind: str  # lognormal | uniform | point
    sources: set[str] = field(default_factory=set)
    disagreement: str | None = None


@dataclass
class Model:
    """Everything the shipped bases need, read once from a Store."""

    rows: list[ChipYear]
    coverage_days: dict[tuple[str, int], float]  # (designer, year) -> fraction of the year covered, 0..1
    allocation: list[dict[str, Any]]
    designers: list[dict[str, Any]]
    publishers: dict[str, set[str]]  # designer -> publishers of its shipments
    missing_peak: dict[int, set[str]]  # year -> chip names shipped without a dense peak
    missing_h100e: dict[int, set[str]]


# ---------------------------------------------------------------- reading

def _days(start: dt.date, end: dt.date) -> set[int]:
    return set(range(start.toordinal(), end.toordinal() + 1))


def load_model(store: Store) -> Model:
    """Read shipments into chip-years (memoised per Store)."""
    return store.memo("shipped_model", lambda: read_model(store))


def read_model(store: Store) -> Model:
    """Shipments read into chip-years, not memoised (the dashboard keeps one per database file). Callers treat
    the Model as read-only; the indexes it caches on itself are derived, the same whoever computes them."""
    raw = store.rows("market/shipments")
    by_source: dict[tuple[str, int, str], list[dict]] = defaultdict(list)
    days: dict[tuple[str, int, str], set[int]] = defaultdict(set)
    partial_days: dict[tuple[str, int, str], set[int]] = defaultdict(set)
    publishers: dict[str, set[str]] = defaultdict(set)
    for r in raw:
        by_source[(r["chip_id"], r["year"], r["source_id"])].append(r)
        d = _days(r["period_start"], r["period_end"])
        key = (r["designer"], r["year"], r["source_id"])
        days[key] |= d
        if r["is_partial"]:
            partial_days[key] |= d
        publishers[r["designer"]].add(r["publisher"])

    per_chip: dict[tuple[str, int], list[ChipYear]] = defaultdict(list)
    missing_peak: dict[int, set[str]] = defaultdict(set)
    missing_h100e: dict[int, set[str]] = defaultdict(set)
    for (chip_id, year, source), rs in by_source.items():
        first = rs[0]
        peak = first["fp16e_tflops"]
        central, low, high = {}, {}, {}
        for m, col in (("units", "units"), ("h100e", "h100e")):
            vals = [r[col] for r in rs]
            central[m] = sum(vals) if all(v is not None for v in vals) else None
            # summing percentiles over quarters is exact when the quarters move together (full correlation)
            low[m] = sum(r[f"{col}_low"] if r[f"{col}_low"] is not None else r[col] for r in rs) \
                if central[m] is not None else None
            high[m] = sum(r[f"{col}_high"] if r[f"{col}_high"] is not None else r[col] for r in rs) \
                if central[m] is not None else None
        for part in (central, low, high):
            part["compute"] = part["units"] * peak if part["units"] is not None and peak else None
        if central["units"] is not None and not peak:
            missing_peak[year].add(first["chip_name"])
        if central["h100e"] is None:
            missing_h100e[year].add(first["chip_name"])
        interval = first["interval"]
        kind = {"p5-p95": "lognormal", "range as published": "uniform"}.get(interval, "point")
        per_chip[(chip_id, year)].append(ChipYear(chip_id, first["designer"], first["chip_segment"], year,
                                                  f"{first['designer']}|{source}", central, low, high, kind,
                                                  {source}))
    rows = []
    for (chip_id, year), items in sorted(per_chip.items()):
        rows.append(items[0] if len(items) == 1 else _combine(items))

    coverage: dict[tuple[str, int], float] = {}
    for (designer, year, source), d in days.items():
        n_days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
        # a quarter the source marks incomplete counts as half covered
        covered = (len(d) - 0.5 * len(partial_days[(designer, year, source)])) / n_days
        coverage[(designer, year)] = max(coverage.get((designer, year), 0.0), min(covered, 1.0))
    return Model(rows, coverage, store.rows("market/allocation"), store.rows("market/datacenter_designers"),
                 dict(publishers), dict(missing_peak), dict(missing_h100e))


def _combine(items: list[ChipYear]) -> ChipYear:
    """Several sources for one chip-year: their median, and a range spanning every source's figures."""
    central, low, high = {}, {}, {}
    for m in ("units", "h100e", "compute"):
        vals = [i.central[m] for i in items if i.central[m] is not None]
        if not vals:
            central[m] = low[m] = high[m] = None
            continue
        central[m] = median(vals)
        low[m] = min(vals + [i.low[m] for i in items if i.low[m] is not None])
        high[m] = max(vals + [i.high[m] for i in items if i.high[m] is not None])
    first = items[0]
    units = sorted(i.central["units"] for i in items if i.central["units"] is not None)
    note = (f"{len(items)} sources disagree ({units[0]:,.0f}–{units[-1]:,.0f} units)" if len(units) > 1
            and units[0] != units[-1] else None)
    return ChipYear(first.chip_id, first.designer, first.chip_segment, first.year,
                    f"{first.designer}|combined", central, low, high, "uniform",
                    set().union(*(i.sources for i in items)), note)


# ---------------------------------------------------------------- allocation

def _cached(model: Model, name: str, source: list, compute):
    """``compute()`` once per model while ``source`` is the same list of the same length: the computation asks
    for the same rows thousands of times, and at 100x the data a scan per question dominated a build."""
    key = (id(source), len(source))
    hit = model.__dict__.get(name)
    if hit is None or hit[0] != key:
        hit = (key, compute())
        model.__dict__[name] = hit
    return hit[1]


def _allocation_by_designer(model: Model) -> dict[str | None, list[dict[str, Any]]]:
    def index():
        out: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        for a in model.allocation:  # in order: the first row that covers a year applies
            out[a["vendor_id"]].append(a)
        return out
    return _cached(model, "_allocation_by_designer", model.allocation, index)


def _rows_by_year(model: Model) -> dict[int, list[tuple[int, ChipYear]]]:
    def index():
        out: dict[int, list[tuple[int, ChipYear]]] = defaultdict(list)
        for i, r in enumerate(model.rows):
            out[r.year].append((i, r))
        return out
    return _cached(model, "_rows_by_year", model.rows, index)


def inference_fraction(model: Model, designer: str, year: int) -> dict[str, Any]:
    """The allocation row that applies: the designer's own for that year, else the default."""
    by_designer = _allocation_by_designer(model)
    for who in (designer, None):
        for a in by_designer.get(who, ()):
            if a["year_from"] <= year <= a["year_to"]:
                return a
    raise LookupError(f"no segment_allocation row covers {designer} in {year} (and no default does)")


def segment_weight(chip_segment: str, segment: str, f: float) -> float:
    """How much of a chip's shipments counts in ``segment`` when a fraction ``f`` of both-parts serves inference."""
    if segment == "all":
        return 1.0
    if chip_segment == "both":
        return f if segment == "inference" else 1.0 - f
    return 1.0 if chip_segment == segment else 0.0


# ---------------------------------------------------------------- the computation

@dataclass
class BasisYear:
    segment: str
    year: int
    basis: str
    shares: dict[str, float]                  # point shares, percent
    share_low: dict[str, float]
    share_high: dict[str, float]
    cr1: tuple[float, float]                   # (p5, p95), widened to contain the point
    cr4: tuple[float, float]
    hhi: tuple[float, float]
    total: float                               # point total of the measure in the segment
    coverage_pct: float
    coverage_note: str
    is_partial: bool


def _quantile_draws(z: np.ndarray, c: float, lo: float, hi: float, kind: str) -> np.ndarray:
    if kind == "point" or lo == hi == c:
        return np.full(z.shape, c)
    if kind == "uniform":
        return lo + ndtr(z) * (hi - lo)
    if c > 0 and lo > 0:  # two-piece lognormal through the median
        s_lo, s_hi = (math.log(c) - math.log(lo)) / Z95, (math.log(hi) - math.log(c)) / Z95
        return np.exp(math.log(c) + np.where(z < 0, z * s_lo, z * s_hi))
    return np.maximum(0.0, c + np.where(z < 0, z * (c - lo), z * (hi - c)) / Z95)


def _percentile(x: np.ndarray, point: float) -> tuple[float, float]:
    lo, hi = np.percentile(x, 5), np.percentile(x, 95)
    return float(min(lo, point)), float(max(hi, point))


class Simulation:
    """Draws for every chip-year and allocation row, shared by every basis, segment and year."""

    def __init__(self, model: Model, draws: int = DRAWS, seed: int = SEED):
        rng = np.random.default_rng(seed)
        self.model = model
        groups = sorted({r.group for r in model.rows})
        z = rng.standard_normal((draws, len(groups)))
        zi = {g: z[:, i] for i, g in enumerate(groups)}
        self.values: dict[tuple[int, str], np.ndarray] = {}
        for i, r in enumerate(model.rows):
            for m in ("units", "h100e", "compute"):
                if r.central[m] is not None:
                    self.values[(i, m)] = _quantile_draws(zi[r.group], r.central[m], r.low[m], r.high[m], r.kind)
        alloc_ids = [a["allocation_id"] for a in model.allocation]
        u = rng.uniform(size=(draws, len(alloc_ids)))
        self.fractions = {a["allocation_id"]: (a["inference_pct_low"] + u[:, j] *
                                               (a["inference_pct_high"] - a["inference_pct_low"])) / 100.0
                          for j, a in enumerate(model.allocation)}
        self.draws = draws


def segment_totals(model: Model, year: int, measure: str, segment: str, setting: str,
            sim: Simulation | None = None, override_pct: float | None = None) -> dict[str, Any]:
    """Per designer: the point total (allocation at ``setting``, or every row at ``override_pct``) and, with
    ``sim``, the draws."""
    point: dict[str, float] = defaultdict(float)
    draws: dict[str, np.ndarray] = {}
    for i, r in _rows_by_year(model).get(year, ()):
        if r.central[measure] is None:
            continue
        a = inference_fraction(model, r.designer, year) if r.chip_segment == "both" and segment != "all" else None
        f = (override_pct if override_pct is not None else
             {"low": a["inference_pct_low"], "central": a["inference_pct"], "high": a["inference_pct_high"]}[setting]) \
            / 100.0 if a else 0.0
        w = segment_weight(r.chip_segment, segment, f)
        point[r.designer] += w * r.central[measure]
        if sim is not None:
            fd = sim.fractions[a["allocation_id"]] if a else 0.0
            wd = segment_weight(r.chip_segment, segment, fd) if a else np.full(sim.draws, w)
            draws[r.designer] = draws.get(r.designer, 0.0) + wd * sim.values[(i, measure)]
    return {"point": {k: v for k, v in point.items() if v > 0}, "draws": draws}


def coverage(model: Model, year: int, measure: str, names: dict[str, str]) -> tuple[float, str, bool]:
    """(coverage_pct, coverage_note, is_partial) of one basis-year; see the module docstring."""
    annual: dict[tuple[str, int], float] = defaultdict(float)
    units_without: dict[str, float] = defaultdict(float)  # this year's units shipped without the measure
    units_with = 0.0
    for r in model.rows:
        if r.central[measure] is not None:
            annual[(r.designer, r.year)] += r.central[measure]
            if r.year == year and r.central["units"] is not None:
                units_with += r.central["units"]
        elif r.year == year and r.central["units"] is not None:
            units_without[r.designer] += r.central["units"]
    shipping = {r.designer for r in model.rows}  # designers with any shipment figure, in any year
    universe = sorted({d for d, _ in annual})
    covered = sum(v for (d, y), v in annual.items() if y == year)
    imputed, incomplete = 0.0, []
    for d in universe:
        c = model.coverage_days.get((d, year), 0.0) if (d, year) in annual else 0.0
        if c >= 1.0:
            continue
        complete = [y for (dd, y) in annual if dd == d and model.coverage_days.get((d, y), 0) >= 1.0]
        if complete:
            ref = min(complete, key=lambda y: (abs(y - year), -y))
            full_year = annual[(d, ref)]
        else:  # never a complete year: scale its best year up to twelve months
            ref_y = max((y for (dd, y) in annual if dd == d), key=lambda y: model.coverage_days.get((d, y), 0))
            full_year = annual[(d, ref_y)] / max(model.coverage_days.get((d, ref_y), 1.0), 1e-9)
        imputed += (1.0 - c) * full_year
        incomplete.append((d, c))
    # Units shipped without this measure (no dense peak, no H100e figure) are uncovered volume too: estimated at
    # the covered chips' average measure per unit that year, for the coverage figure only.
    if units_with > 0:
        imputed += sum(units_without.values()) * covered / units_with
    pct = 100.0 * covered / (covered + imputed) if covered + imputed > 0 else 0.0
    # Ties broken by id: a set's order changes with the interpreter's hash seed, and the note must not.
    in_year = sorted({d for (d, y) in annual if y == year}, key=lambda d: (-annual[(d, year)], d))

    def label(d: str) -> str:
        return names.get(d, d)

    note = ("Covers " + ", ".join(f"{label(d)} ({'/'.join(sorted(model.publishers.get(d, [])))})"
                                  for d in in_year) + "." if in_year else "Covers no designer.")
    gaps = [label(d) + (f" ({c * 100:.0f}% of the year)" if c > 0 else "") for d, c in incomplete
            if c > 0 or d not in units_without]
    if gaps:
        note += f" Incomplete or missing this year: {', '.join(gaps)}."
    lacking = (model.missing_peak if measure == "compute" else model.missing_h100e if measure == "h100e"
               else {}).get(year, set())
    if lacking:
        what = "a dense peak" if measure == "compute" else "an H100e figure"
        note += f" Shipped without {what}, so left out (estimated only for coverage): {', '.join(sorted(lacking))}."
    known = []
    for d in model.designers:
        owner = d["parent_vendor_id"] if d["parent_vendor_id"] and (d["parent_since_year"] or 0) <= year \
            else d["vendor_id"]
        if d["first_year"] <= year and owner not in shipping and owner not in known:
            known.append(owner)
    if known:
        shown = sorted((label(k) for k in known), key=str.casefold)
        note += (" Not covered (no published shipment figures): " + ", ".join(shown[:12])
                 + (f" and {len(shown) - 12} more" if len(shown) > 12 else "") + ".")
    partial = any(0 < model.coverage_days.get((d, year), 0) < 1 for d in in_year)
    return pct, note, partial


def _basis_year(model: Model, sim: Simulation, year: int, basis: str, segment: str,
                cov: tuple[float, str, bool]) -> BasisYear | None:
    t = segment_totals(model, year, MEASURES[basis], segment, "central", sim)
    point = t["point"]
    total = sum(point.values())
    if total <= 0:
        return None
    shares = {d: min(100.0, 100.0 * v / total) for d, v in point.items()}
    vendors = sorted(t["draws"])
    mat = np.column_stack([np.broadcast_to(t["draws"][v], (sim.draws,)) for v in vendors])
    sums = mat.sum(axis=1, keepdims=True)
    # clipped: a lone vendor's 100 % must not come out as 100.00000000000001
    sh = np.clip(np.where(sums > 0, 100.0 * mat / np.where(sums > 0, sums, 1), 0.0), 0.0, 100.0)
    srt = -np.sort(-sh, axis=1)
    cr1_d, cr4_d, hhi_d = srt[:, 0], srt[:, :4].sum(axis=1), (sh ** 2).sum(axis=1)
    lows, highs = {}, {}
    # Every vendor's 5th and 95th percentile in one call (column by column the same numbers as one call per
    # vendor, which at 100x the data was thousands of calls per basis-year).
    q = np.percentile(sh, [5, 95], axis=0) if vendors else None
    for j, v in enumerate(vendors):
        if v in shares:
            lows[v], highs[v] = float(min(q[0, j], shares[v])), float(max(q[1, j], shares[v]))
    return BasisYear(segment, year, basis, shares, lows, highs,
                     _percentile(cr1_d, metrics.cr1(shares)), _percentile(cr4_d, metrics.cr4(shares)),
                     _percentile(hhi_d, metrics.hhi(shares)), total, *cov)


@dataclass
class ShippedResult:
    rows: list[BasisYear]
    sweep: list[dict[str, Any]]
    split: list[dict[str, Any]]


def compute(store: Store, draws: int = DRAWS, seed: int = SEED) -> ShippedResult:
    """Every shipped basis-year-segment with intervals, the allocation sweep and the segment split."""
    model = load_model(store)
    if not model.rows:
        return ShippedResult([], [], [])
    sim = Simulation(model, draws, seed)
    names = vendor_names(store)
    years = sorted({r.year for r in model.rows})
    out, sweep, split = [], [], []
    for basis, measure in MEASURES.items():
        for year in years:
            cov = coverage(model, year, measure, names)
            by_seg = {}
            for seg in SEGMENTS_ALL:
                by = _basis_year(model, sim, year, basis, seg, cov)
                if by is not None:
                    out.append(by)
                    by_seg[seg] = by
            if "all" not in by_seg:
                continue
            for seg in ("training", "inference"):
                for setting in ("low", "central", "high"):
                    p = segment_totals(model, year, measure, seg, setting)["point"]
                    tot = sum(p.values())
                    if tot <= 0:
                        continue
                    s = {d: 100.0 * v / tot for d, v in p.items()}
                    sweep.append({"segment": seg, "year": year, "basis": basis, "setting": setting,
                                  "top_vendor_id": max(s.items(), key=lambda kv: (kv[1], kv[0]))[0],
                                  "cr1": metrics.cr1(s), "hhi": metrics.hhi(s), "vendor_count": len(s)})
            inf = segment_totals(model, year, measure, "inference", "central", sim)
            allv = segment_totals(model, year, measure, "all", "central", sim)
            point = 100.0 * sum(inf["point"].values()) / sum(allv["point"].values())
            num = sum(inf["draws"].values()) if inf["draws"] else np.zeros(sim.draws)
            den = sum(allv["draws"].values())
            lo, hi = _percentile(100.0 * np.asarray(num) / den, point)
            at = {s: 100.0 * sum(segment_totals(model, year, measure, "inference", s)["point"].values())
                  / sum(segment_totals(model, year, measure, "all", s)["point"].values()) for s in ("low", "high")}
            split.append({"year": year, "basis": basis, "inference_pct": point, "inference_pct_low": lo,
                          "inference_pct_high": hi, "at_allocation_low": at["low"], "at_allocation_high": at["high"],
                          "coverage_pct": cov[0], "is_partial": cov[2]})
    return ShippedResult(out, sweep, split)


def as_share_set(b: BasisYear) -> ShareSet:
    return ShareSet(b.segment, b.year, b.basis, b.shares, b.coverage_pct)
