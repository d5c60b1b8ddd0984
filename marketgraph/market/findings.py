"""The analyst's summary statements, computed from the database at run time, most important first.

1. What ships: per segment (all, training, inference), the latest full year's leader, CR1 and HHI with their
   p5–p95 intervals under the shipped-compute basis, the designers covered and not, and the change since the
   first full year — stated as a change only where the intervals do not overlap.
2. How much of what ships serves inference, and how the training/inference split depends on the allocation
   (the sensitivity sweep: which conclusions hold for every fraction, which flip).
3. Published shares, credited to the analyst firm that made them, with the outlet as "via".
4. Product breadth: counts of products announced — how many vendors bring products, never a market share, so
   never a merger-guideline label.
5. Entrants, published inference mixes, and what the data cannot support.

Nothing here is typed in: change the data and the statements change. Numbers are rounded to what their
uncertainty supports (whole percent; HHI to two or three significant figures), and words follow the numbers:
"rose" or "fell" only when the intervals of the two years do not overlap.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..store.db import Store
from . import metrics
from .concentration import concentration
from .names import sources, vendor_names
from .shares import SHARE_MEASURES, published_share_rows, window, window_counts
from .shipped import MIN_COVERAGE
from .structure import entrants
from .supply import supplier_dependency

PRIMARY_BASIS = "shipped_compute"
BREADTH_BASIS = "products_announced_3y"
THIN_LAUNCHES = 8  # fewer products than this in a window: one product moves shares a lot; say so
SEGMENT_WORDS = {"all": "All AI accelerators", "training": "Training", "inference": "Inference"}
MEASURE_WORDS = {"shipped_compute": "dense compute shipped", "shipped_h100e": "H100-equivalents shipped",
                 "shipped_units": "units shipped"}


@dataclass
class Finding:
    id: str
    statement: str
    numbers: dict[str, Any]
    basis: str
    sources: list[dict[str, str]] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- wording that fits the numbers

def pct(x: float) -> str:
    """A share as people say it: whole percent (a third is ~33%, not 33.3%)."""
    return f"{x:.0f}%"


def hhi_text(x: float, low: float | None = None, high: float | None = None, *, interval: bool = True) -> str:
    """HHI rounded to what its interval supports: 2 significant figures when the interval is wide, else 3.
    ``interval=False`` rounds the same way but leaves the interval out (a chart label)."""
    wide = low is not None and high is not None and (high - low) > 0.1 * max(x, 1)
    digits = 2 if wide else 3
    def r(v: float) -> float:
        if v <= 0:
            return 0.0
        return round(v, -int(math.floor(math.log10(v))) + digits - 1)
    out = f"{r(x):,.0f}"
    if interval and low is not None and high is not None and (low, high) != (x, x):
        out += f" (p5–p95 {r(low):,.0f}–{r(high):,.0f})"
    return out


def share_range(point: float, low: float, high: float) -> str:
    return pct(point) if (low, high) == (point, point) else f"{pct(point)} (p5–p95 {low:.0f}–{high:.0f}%)"


def change_word(first: tuple[float, float, float], last: tuple[float, float, float], noun: str) -> tuple[str, str]:
    """('fell', …) / ('rose', …) when the p5–p95 intervals do not overlap, else ('was about the same', …)."""
    (p0, lo0, hi0), (p1, lo1, hi1) = first, last
    if hi1 < lo0:
        return "fell", f"{noun} fell"
    if lo1 > hi0:
        return "rose", f"{noun} rose"
    return "flat", f"{noun} changed within its uncertainty"


def label(hhi: float, is_market_share: bool) -> str:
    """The 2023 Merger Guidelines' label, for market-share bases only."""
    return f", {metrics.concentration_label(hhi)} under the 2023 Merger Guidelines" if is_market_share else ""


def full_years(df, segment: str, basis: str):
    """Rows of one segment and basis that may be stated: not partial, coverage at least MIN_COVERAGE."""
    d = df[(df.segment == segment) & (df.basis == basis)].sort_values("year")
    return d[(~d.is_partial.fillna(False).astype(bool)) & (d.coverage_pct >= MIN_COVERAGE)]


# ---------------------------------------------------------------- 1. what ships

def _shipped_segment(store: Store, names, df, segment: str) -> Finding | None:
    ok = full_years(df, segment, PRIMARY_BASIS)
    if ok.empty:
        return None
    last, first = ok.iloc[-1], ok.iloc[0]
    top = names.get(last.top_vendor_id, last.top_vendor_id)
    shares = _shares(store, segment, int(last.year), PRIMARY_BASIS)
    top_share = shares.get(last.top_vendor_id, {})
    statement = (f"{SEGMENT_WORDS[segment]}, {int(last.year)}: by {MEASURE_WORDS[PRIMARY_BASIS]}, {top} holds "
                 f"{share_range(last.cr1, last.cr1_low, last.cr1_high)}; HHI "
                 f"{hhi_text(last.hhi, last.hhi_low, last.hhi_high)}{label(last.hhi, True)}.")
    numbers = {"year": int(last.year), "basis": PRIMARY_BASIS, "top_vendor_id": last.top_vendor_id,
               "cr1": float(last.cr1), "cr1_low": float(last.cr1_low), "cr1_high": float(last.cr1_high),
               "cr4": float(last.cr4), "hhi": float(last.hhi), "hhi_low": float(last.hhi_low),
               "hhi_high": float(last.hhi_high), "coverage_pct": float(last.coverage_pct),
               "vendor_count": int(last.vendor_count), "shares": shares}
    if int(first.year) != int(last.year):
        word, _ = change_word((first.cr1, first.cr1_low, first.cr1_high), (last.cr1, last.cr1_low, last.cr1_high),
                              "share")
        hword, _ = change_word((first.hhi, first.hhi_low, first.hhi_high), (last.hhi, last.hhi_low, last.hhi_high),
                               "HHI")
        lead = names.get(first.top_vendor_id, first.top_vendor_id)
        same_leader = first.top_vendor_id == last.top_vendor_id
        statement += (f" Since {int(first.year)}, the first full year with at least {MIN_COVERAGE:.0f}% covered, "
                      + (_moved(f"{top}'s share", word, pct(first.cr1), pct(last.cr1)) if same_leader
                         else f"the lead passed from {lead} ({pct(first.cr1)})")
                      + "; " + _moved("HHI", hword, hhi_text(first.hhi, first.hhi_low, first.hhi_high),
                                         hhi_text(last.hhi, last.hhi_low, last.hhi_high)) + ".")
        numbers.update(first_year=int(first.year), first_cr1=float(first.cr1), first_hhi=float(first.hhi),
                       first_top_vendor_id=first.top_vendor_id, trend_cr1=word, trend_hhi=hword)
    covered, uncovered = _coverage_lists(last.coverage_note)
    numbers.update(covered_designers=covered, uncovered_designers=uncovered)
    caveats = [f"Coverage {pct(last.coverage_pct)} of the volume the shipments data knows of. {last.coverage_note}",
               "Shares are of the covered designers: designers with no published shipments are left out, so HHI "
               "overstates concentration to the extent they ship."]
    if segment != "all":
        caveats.append("Parts positioned for both training and inference are split by the inference fractions "
                       "in segment_allocation (see the sensitivity finding); the split is modelled, not reported.")
    src_ids = store.tuples("market/shipment_sources", year=int(last.year))
    return Finding(f"shipped-{segment}", statement, numbers, PRIMARY_BASIS,
                   sources(store, [s for (s,) in src_ids]), caveats)


def _moved(what: str, word: str, before: str, after: str) -> str:
    if word == "flat":
        return f"{what} went from {before} to {after}, a change within the p5–p95 uncertainty"
    return f"{what} {word} from {before} to {after}"


def _shares(store: Store, segment: str, year: int, basis: str) -> dict[str, dict[str, float]]:
    return {r["vendor_id"]: {"share_pct": r["share_pct"], "low": r["share_low_pct"], "high": r["share_high_pct"]}
            for r in store.rows("market/basis_shares_with_intervals", segment=segment, year=year, basis=basis)}


def _coverage_lists(note: str | None) -> tuple[list[str], list[str]]:
    """The designers a coverage note names as covered and as not covered (names, as written)."""
    if not note:
        return [], []
    covered, uncovered = [], []
    for part in note.split(". "):
        if part.startswith("Covers "):
            covered = [c.split(" (")[0].strip() for c in _split_names(part[len("Covers "):])]
        if part.startswith("Not covered"):
            uncovered = [c.strip().rstrip(".") for c in part.split(": ", 1)[1].split(", ")]
    return covered, uncovered


def _split_names(text: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in text.rstrip("."):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return out + [cur] if cur.strip() else out


# ---------------------------------------------------------------- 2. inference share and the allocation

def _inference_share(store: Store) -> Finding | None:
    rows = [r for r in store.rows("market/segment_split", basis=PRIMARY_BASIS)
            if not r["is_partial"] and r["coverage_pct"] >= MIN_COVERAGE]
    if not rows:
        return None
    last, first = rows[-1], rows[0]
    statement = (f"In {last['year']}, {share_range(last['inference_pct'], last['inference_pct_low'], last['inference_pct_high'])}"
                 f" of the {MEASURE_WORDS[PRIMARY_BASIS]} served inference; across the allocation ranges it is "
                 f"{pct(last['at_allocation_low'])}–{pct(last['at_allocation_high'])}.")
    numbers = {"year": last["year"], "inference_pct": last["inference_pct"],
               "inference_pct_low": last["inference_pct_low"], "inference_pct_high": last["inference_pct_high"],
               "at_allocation_low": last["at_allocation_low"], "at_allocation_high": last["at_allocation_high"]}
    if first["year"] != last["year"]:
        word, _ = change_word((first["inference_pct"], first["inference_pct_low"], first["inference_pct_high"]),
                              (last["inference_pct"], last["inference_pct_low"], last["inference_pct_high"]), "share")
        statement += (f" In {first['year']} it was {pct(first['inference_pct'])}"
                      + ("; the rise is larger than the uncertainty." if word == "rose" else
                         "; the fall is larger than the uncertainty." if word == "fell" else
                         "; the two years' intervals overlap, so no change can be claimed."))
        numbers.update(first_year=first["year"], first_inference_pct=first["inference_pct"], trend=word)
    caveats = ["Most shipped parts are positioned for both segments, so this share comes mostly from the "
               "allocation fractions (NVIDIA's statements on inference revenue, a default from Deloitte's "
               "estimate), not from shipments data; read it as an assumption's consequence."]
    alloc = [s for (s,) in store.tuples("market/allocation_sources")]
    return Finding("inference-share-of-compute", statement, numbers, PRIMARY_BASIS, sources(store, alloc), caveats)


def _sensitivity(store: Store, names, df) -> Finding | None:
    ok = full_years(df, "all", PRIMARY_BASIS)
    if ok.empty:
        return None
    year = int(ok.iloc[-1].year)
    sweep = {(r["segment"], r["setting"]): r for r in store.rows("market/allocation_sweep", year=year,
                                                                basis=PRIMARY_BASIS)}
    if len(sweep) < 6:
        return None
    holds, flips = [], []
    for seg in ("training", "inference"):
        leaders = {sweep[(seg, s)]["top_vendor_id"] for s in ("low", "central", "high")}
        (holds if len(leaders) == 1 else flips).append(
            f"{names.get(next(iter(leaders)), next(iter(leaders)))} leads {seg}" if len(leaders) == 1
            else f"the {seg} leader changes ({', '.join(sorted(names.get(v, v) for v in leaders))})")
        high_conc = {sweep[(seg, s)]["hhi"] > metrics.MERGER_GUIDELINES_2023.highly_concentrated_hhi
                     for s in ("low", "central", "high")}
        (holds if len(high_conc) == 1 else flips).append(
            f"{seg} is {'highly concentrated' if True in high_conc else 'not highly concentrated'}"
            if len(high_conc) == 1 else f"whether {seg} is highly concentrated")
    less = {sweep[("inference", s)]["hhi"] < sweep[("training", s)]["hhi"] for s in ("low", "central", "high")}
    (holds if len(less) == 1 else flips).append(
        ("inference's HHI is below training's" if True in less else "inference's HHI is not below training's")
        if len(less) == 1 else "which of training and inference has the higher HHI")
    hhis = {f"{seg}_{s}": sweep[(seg, s)]["hhi"] for seg in ("training", "inference") for s in ("low", "central", "high")}
    statement = (f"Allocation sensitivity, {year}: with every inference fraction at the low end, central and high "
                 f"end of its range, HHI is {hhi_text(hhis['training_low'])} / {hhi_text(hhis['training_central'])}"
                 f" / {hhi_text(hhis['training_high'])} for training and {hhi_text(hhis['inference_low'])} / "
                 f"{hhi_text(hhis['inference_central'])} / {hhi_text(hhis['inference_high'])} for inference. "
                 + ("Holds for every fraction: " + "; ".join(holds) + "." if holds else "")
                 + (" Flips within the range: " + "; ".join(flips) + "." if flips else " Nothing flips."))
    return Finding("allocation-sensitivity", statement, {"year": year, "hhi": hhis, "holds": holds, "flips": flips},
                   PRIMARY_BASIS, [], [])


def _segments_compared(df, names) -> Finding | None:
    ok_t, ok_i = full_years(df, "training", PRIMARY_BASIS), full_years(df, "inference", PRIMARY_BASIS)
    years = sorted(set(ok_t.year) & set(ok_i.year))
    if not years:
        return None
    y = years[-1]
    t = ok_t[ok_t.year == y].iloc[0]
    i = ok_i[ok_i.year == y].iloc[0]
    if i.hhi_high < t.hhi_low:
        verdict = "inference is less concentrated than training"
    elif i.hhi_low > t.hhi_high:
        verdict = "inference is more concentrated than training"
    else:
        verdict = ("the two segments' HHI intervals overlap, so by what ships the data cannot say which is more "
                   "diversified")
    statement = (f"Training vs inference, {y}, by {MEASURE_WORDS[PRIMARY_BASIS]}: HHI "
                 f"{hhi_text(t.hhi, t.hhi_low, t.hhi_high)} vs {hhi_text(i.hhi, i.hhi_low, i.hhi_high)}; {verdict}.")
    return Finding("training-vs-inference", statement,
                   {"year": int(y), "training_hhi": float(t.hhi), "inference_hhi": float(i.hhi), "verdict": verdict},
                   PRIMARY_BASIS, [], ["Both segments share most of their parts (positioned for both); the split "
                                       "follows the allocation assumption."])


def _supply(store: Store, df) -> Finding | None:
    ok = full_years(df, "all", PRIMARY_BASIS)
    if ok.empty:
        return None
    year = int(ok.iloc[-1].year)
    dep = supplier_dependency(store, year)
    parts = []
    for role, noun in (("foundry", "dies fabricated by"), ("packaging", "packaging by"), ("memory", "memory from")):
        sup = dep[role]["suppliers"]
        if not sup:
            continue
        named = ", ".join(f"{s} {pct(v)}" for s, v in list(sup.items())[:3])
        parts.append(f"{noun} {named} ({pct(dep[role]['unknown_pct'])} with no published {role} link)")
    if not parts:
        return None
    statement = (f"Upstream dependency, {year}: of the {MEASURE_WORDS[PRIMARY_BASIS]}, at least — " + "; ".join(parts)
                 + ".")
    return Finding("supply-dependency", statement, dep, PRIMARY_BASIS,
                   sources(store, [s for (s,) in store.tuples("market/supply_sources", year=year)]),
                   ["'At least': compute whose chips have no published link may depend on the same suppliers. A "
                    "chip with several memory suppliers counts for each, so memory shares can add up to more than "
                    "100%."])


# ---------------------------------------------------------------- 3. published shares

def credit(publisher: str, via: str | None) -> str:
    """The analyst firm that made an estimate, with the outlet it was read in."""
    return f"{publisher} (via {via})" if isinstance(via, str) and via else publisher


def _published(store: Store, names) -> list[Finding]:
    rows = published_share_rows(store)
    rows = rows[~rows.is_forecast.astype(bool)]
    if rows.empty:
        return [Finding("no-published-shares", "No published vendor shares are in the database.", {}, "published")]
    latest = rows[rows.year == rows.groupby(["scope", "geography", "measure"]).year.transform("max")]
    leaders = (latest.sort_values(["share", "vendor_id"], ascending=[False, True])
               .groupby(["scope", "geography", "measure"], as_index=False).head(1)
               .sort_values(["geography", "year", "share"], ascending=[False, False, False]))
    parts, nums = [], []
    for r in leaders.itertuples(index=False):
        rng = (f" (range {r.low:g}–{r.high:g})" if r.low == r.low and r.high == r.high and r.low is not None
               else "")
        what = "unit share" if r.measure == "unit_share_pct" else "revenue share"
        parts.append(f"{names.get(r.vendor_id, r.vendor_id)} {r.share:g}%{rng} of {r.scope}, {int(r.year)} "
                     f"({r.geography}, {what}; {credit(r.publisher, r.via)})")
        nums.append({"vendor_id": r.vendor_id, "value": float(r.share), "year": int(r.year), "scope": r.scope,
                     "measure": r.measure, "geography": r.geography, "source_id": r.source_id,
                     "analyst": r.publisher, "via": r.via if isinstance(r.via, str) else None})
    caveats = []
    glob = [n["value"] for n in nums if n["geography"] == "global"]
    if len(glob) > 1 and max(glob) - min(glob) >= 10:
        caveats.append(f"Published leading-vendor shares range from {min(glob):g}% to {max(glob):g}% because they "
                       "measure different universes (scope), measures and years; none is 'the' market share.")
    return [Finding("published-leader-shares",
                    "Published shares, each credited to the analyst that made it: " + "; ".join(parts) + ".",
                    {"leaders": nums}, "published", sources(store, [n["source_id"] for n in nums]), caveats)]


# ---------------------------------------------------------------- 4. breadth (counts of products)

def breadth_year(df) -> int | None:
    """The year breadth is stated for: the latest full shipped year (so the findings speak of one year), else
    the latest year with announcements in both segments."""
    ok = full_years(df, "all", PRIMARY_BASIS)
    if not ok.empty:
        return int(ok.iloc[-1].year)
    b = df[df.basis == BREADTH_BASIS].groupby("year").segment.nunique()
    both = b[b == 2]
    return int(both.index.max()) if len(both) else None


def _breadth(store: Store, names, df, segment: str) -> Finding | None:
    year = breadth_year(df)
    d = df[(df.segment == segment) & (df.basis == BREADTH_BASIS) & (df.year == year)]
    if d.empty:
        return None
    counts = window_counts(store, segment)
    row = d.iloc[-1]
    year = int(row.year)
    n = counts.get(year, 0)
    first, last = window(year)
    top = names.get(row.top_vendor_id, row.top_vendor_id)
    statement = (f"Product breadth, {segment}: {n} data-centre {segment} products were announced in {first}–{last} by "
                 f"{int(row.vendor_count)} vendors; {top} announced the most ({pct(row.cr1)} of them; "
                 f"{row.effective_vendors:.0f} effective vendors). A count of products says how broad the field is, "
                 "not who holds the market.")
    caveats = ["Announcements include roadmap parts not yet shipping; every product counts the same."]
    if n < THIN_LAUNCHES:
        caveats.append(f"Only {n} products in the window: one product moves shares by {100 / max(n, 1):.0f} points.")
    return Finding(f"{segment}-breadth", statement,
                   {"year": year, "products": n, "vendor_count": int(row.vendor_count), "top_vendor_id": row.top_vendor_id,
                    "top_pct": float(row.cr1), "effective_vendors": float(row.effective_vendors)},
                   BREADTH_BASIS, [], caveats)


def _breadth_compared(df) -> Finding | None:
    out = {}
    for basis in ("products_announced", BREADTH_BASIS):
        t = df[(df.segment == "training") & (df.basis == basis)]
        i = df[(df.segment == "inference") & (df.basis == basis)]
        years = sorted(set(t.year) & set(i.year))
        target = breadth_year(df)
        if target in years:
            y = target
            out[basis] = (int(y), float(t[t.year == y].effective_vendors.iloc[0]),
                          float(i[i.year == y].effective_vendors.iloc[0]))
    if BREADTH_BASIS not in out:
        return None
    y, tv, iv = out[BREADTH_BASIS]
    more = iv > tv
    statement = (f"By breadth over {window(y)[0]}–{y}, inference has {'more' if more else 'fewer'} effective vendors "
                 f"than training ({iv:.0f} vs {tv:.0f}).")
    if "products_announced" in out:
        y1, t1, i1 = out["products_announced"]
        if (i1 > t1) != more:
            statement += (f" In {y1} alone it is the other way round ({i1:.0f} vs {t1:.0f}): the comparison flips "
                          "between the one-year and three-year windows.")
        else:
            statement += f" {y1} alone agrees ({i1:.0f} vs {t1:.0f})."
    return Finding("breadth-comparison", statement, {"windows": out}, BREADTH_BASIS, [],
                   ["Breadth, not market share: no merger-guideline label applies to counts of products."])


# ---------------------------------------------------------------- 5. entrants, mixes, limits

def _entrants(store: Store, seg: str, since: int = 2016) -> Finding | None:
    e = entrants(store, seg)
    if e.empty:
        return None
    vendors = sorted({v for lst in e[e.year >= since].new_vendors for v in lst})
    return Finding(f"{seg}-entrants",
                   f"{seg.capitalize()}: {len(vendors)} vendors announced their first data-centre {seg} product in "
                   f"{since} or later; {int(e.cumulative_vendors.iloc[-1])} vendors in all by {int(e.year.iloc[-1])}.",
                   {"since": since, "new_vendors": vendors, "total_vendors": int(e.cumulative_vendors.iloc[-1])},
                   "products_announced", [], [])


def _mixes(store: Store, names) -> list[Finding]:
    out = []
    mix = store.query("market/inference_mix")
    for measure, grp in mix.groupby("measure"):
        pts = [(int(r.year), float(r.value), bool(r.is_forecast)) for r in grp.itertuples() if r.value == r.value]
        if not pts:
            continue
        who = (names.get(grp.vendor_id.iloc[0], grp.vendor_id.iloc[0]) + "'s "
               if isinstance(grp.vendor_id.iloc[0], str) else "")
        what = ("inference share of all AI compute" if measure == "compute_share_pct"
                else f"share of {who}revenue ({grp.scope.iloc[0]}) driven by inference")
        values = [v for _, v, _ in sorted(pts)]
        rising = len(values) > 1 and all(b > a for a, b in zip(values, values[1:]))
        flat = len(values) > 1 and max(values) == min(values)
        caveat = ("Single-source estimates; each point rises on the one before, the direction is the robust part."
                  if rising else "The published points do not change between years." if flat else
                  "Single-source estimates that do not move in one direction.")
        out.append(Finding(f"inference-{measure}", f"Published {what}: " + ", ".join(
            f"{y}: {pct(v)}{' (forecast)' if f else ''}" for y, v, f in pts) + ".",
            {"points": [{"year": y, "value": v, "forecast": f} for y, v, f in pts]},
            f"published/{measure}", sources(store, grp.source_id), [caveat]))
    return out


def _limits(store: Store) -> Finding | None:
    by_seg = dict(store.tuples("market/share_rows_by_segment", measures=list(SHARE_MEASURES)))
    if by_seg.get("training") and by_seg.get("inference"):
        return None
    return Finding("segment-split-shares",
                   "No source in the database publishes vendor shares of the training market and of the inference "
                   "market separately; the training and inference shares above are modelled from shipments and the "
                   "allocation assumption.",
                   {"vendor_share_rows_by_segment": {k: int(v) for k, v in by_seg.items()}}, "published", [],
                   ["NVIDIA does not break its revenue out by training and inference beyond occasional remarks."])


def compute_findings(store: Store) -> list[Finding]:
    """Every finding, most important first (see the module docstring)."""
    df = concentration(store)
    names = vendor_names(store)
    out: list[Finding | None] = [_shipped_segment(store, names, df, seg) for seg in ("all", "training", "inference")]
    if not any(out):
        out.append(Finding("no-shipments", "The database holds no full year of shipments with at least "
                           f"{MIN_COVERAGE:.0f}% coverage, so it cannot say who holds the market by what ships.",
                           {}, PRIMARY_BASIS))
    out += [_inference_share(store), _sensitivity(store, names, df), _segments_compared(df, names)]
    out.append(_supply(store, df))
    out += _published(store, names)
    out += [_breadth(store, names, df, "training"), _breadth(store, names, df, "inference"), _breadth_compared(df)]
    out += [_entrants(store, "training"), _entrants(store, "inference")]
    out += _mixes(store, names)
    out.append(_limits(store))
    return [f for f in out if f is not None]
