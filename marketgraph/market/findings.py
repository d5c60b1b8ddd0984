"""The analyst's summary statements, computed from the database at run time.

Each finding carries its numbers, the basis or scope they were computed under, the sources behind them and a
caveat where the data is thin or estimates disagree. Nothing here is typed in: change the data and the
statements change. Where the data cannot support a claim the finding says so instead of making it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..store.db import Store
from . import metrics
from .concentration import concentration, latest_year
from .names import sources, vendor_names
from .shares import SHARE_MEASURES, published_share_rows, window, window_counts
from .structure import entrants

PRIMARY_BASIS = "products_announced_3y"
THIN_LAUNCHES = 8  # fewer launches than this in a window: shares move a lot with one product; say so


@dataclass
class Finding:
    id: str
    statement: str
    numbers: dict[str, Any]
    basis: str
    sources: list[dict[str, str]] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)


def _launch_sources(store: Store, segment: str, year: int) -> list[dict[str, str]]:
    """The row-level sources of the chips behind a products_announced_3y row."""
    first, last = window(year)
    rows = store.tuples("market/announcement_row_sources", segment=segment, year_from=first, year_to=last)
    return sources(store, [r[1] for r in rows])


def _segment_finding(store: Store, names, segment: str, year: int, df) -> Finding:
    d = df[(df.segment == segment) & (df.basis == PRIMARY_BASIS)].sort_values("year")
    row = d[d.year == year].iloc[0]
    counts = window_counts(store, segment)
    # Compare with the first window that has enough launches to mean something, not a one-product year.
    solid = d[d.year.map(lambda y: counts.get(int(y), 0) >= THIN_LAUNCHES)]
    first = solid.iloc[0] if len(solid) else d.iloc[0]
    n, row_sources = counts.get(int(year), 0), _launch_sources(store, segment, year)
    top = names.get(row.top_vendor_id, row.top_vendor_id)
    label = metrics.concentration_label(row.hhi)
    trend = "down" if row.hhi < first.hhi else "up" if row.hhi > first.hhi else "flat"
    statement = (f"{segment.capitalize()}: over {window(year)[0]}–{year}, {top} accounts for {row.cr1:.0f}% of "
                 f"data-centre {segment} product launches; HHI {row.hhi:,.0f} ({label}), "
                 f"{row.effective_vendors:.1f} effective vendors, {row.vendor_count} vendors in all. "
                 f"HHI is {trend} from {first.hhi:,.0f} in {window(int(first.year))[0]}–{first.year} "
                 f"({counts.get(int(first.year), 0)} launches).")
    numbers = {
        "year": int(year), "top_vendor_id": row.top_vendor_id, "cr1": float(row.cr1), "cr4": float(row.cr4),
        "hhi": float(row.hhi), "effective_vendors": float(row.effective_vendors),
        "vendor_count": int(row.vendor_count), "first_year": int(first.year), "first_hhi": float(first.hhi),
        "launches_in_window": n}
    caveats = ["Launch counts measure how many vendors bring products to the segment, not revenue or units "
               "shipped; a vendor with one product can sell far more than one with many."]
    if n < THIN_LAUNCHES:
        caveats.append(f"Only {n} launches in the window: one product moves shares by {100 / n:.0f} points.")
    early = [y for y, k in counts.items() if k < THIN_LAUNCHES and y < first.year]
    if early:
        caveats.append(f"Windows ending {min(early)}–{max(early)} hold fewer than {THIN_LAUNCHES} launches each "
                       "and are left out of the trend.")
    return Finding(f"{segment}-concentration", statement, numbers, PRIMARY_BASIS, row_sources, caveats)


def compute_findings(store: Store) -> list[Finding]:
    out: list[Finding] = []
    df = concentration(store)
    year = latest_year(store, PRIMARY_BASIS)
    names = vendor_names(store)
    if year is None:
        out.append(Finding("no-launch-data", "The database has no year with launches in both segments, so "
                           "training and inference cannot be compared.", {}, PRIMARY_BASIS))
    else:
        tr = _segment_finding(store, names, "training", year, df)
        inf = _segment_finding(store, names, "inference", year, df)
        out += [tr, inf]
        more = "more" if inf.numbers["hhi"] < tr.numbers["hhi"] else "less"
        supported = more == "more"
        out.append(Finding(
            "diversification-comparison",
            (f"In {window(year)[0]}–{year} inference is {more} diversified than training by launches: "
             f"{inf.numbers['effective_vendors']:.1f} vs {tr.numbers['effective_vendors']:.1f} effective "
             f"vendors (HHI {inf.numbers['hhi']:,.0f} vs {tr.numbers['hhi']:,.0f})."
             + ("" if supported else " The data does not support the claim that inference is the more "
                                     "diversified segment.")),
            {"year": year, "inference_effective_vendors": inf.numbers["effective_vendors"],
             "training_effective_vendors": tr.numbers["effective_vendors"]},
            PRIMARY_BASIS, [], tr.caveats[:1]))
        for seg in ("training", "inference"):
            e = entrants(store, seg)
            since = 2016
            new = e[e.year >= since]
            vendors = sorted({v for lst in new.new_vendors for v in lst})
            out.append(Finding(
                f"{seg}-entrants",
                f"{seg.capitalize()}: {len(vendors)} vendors launched their first data-centre {seg} product "
                f"in {since} or later; {int(e.cumulative_vendors.iloc[-1])} vendors in all by {int(e.year.iloc[-1])}.",
                {"since": since, "new_vendors": vendors, "total_vendors": int(e.cumulative_vendors.iloc[-1])},
                "products_announced", [], []))
    out += _published_findings(store, names)
    return out


def _published_findings(store: Store, names) -> list[Finding]:
    out: list[Finding] = []
    rows = published_share_rows(store)
    rows = rows[~rows.is_forecast.astype(bool)].sort_values(["vendor_id", "year"], ascending=[True, False])
    if rows.empty:
        return [Finding("no-published-shares", "No published vendor shares are in the database.", {}, "published")]
    # The leading vendor in each scope's latest year: scopes are different universes, so each gets its own line.
    latest = rows[rows.year == rows.groupby(["scope", "geography", "measure"]).year.transform("max")]
    leaders = (latest.sort_values(["share", "vendor_id"], ascending=[False, True])
               .groupby(["scope", "geography", "measure"], as_index=False).head(1)
               .sort_values(["geography", "year", "share"], ascending=[False, False, False]))
    parts, nums = [], []
    for r in leaders.itertuples(index=False):
        rng = f" (range {r.low:g}–{r.high:g})" if r.low == r.low and r.high == r.high else ""
        parts.append(f"{names.get(r.vendor_id, r.vendor_id)} {r.share:g}%{rng} of {r.scope} in {int(r.year)} "
                     f"({r.geography}, {r.measure.replace('_pct', '').replace('_', ' ')}, {r.publisher})")
        nums.append({"vendor_id": r.vendor_id, "value": float(r.share), "year": int(r.year), "scope": r.scope,
                     "measure": r.measure, "geography": r.geography, "source_id": r.source_id})
    caveats = []
    glob = [n["value"] for n in nums if n["geography"] == "global"]
    if len(glob) > 1 and max(glob) - min(glob) >= 10:
        caveats.append(f"Published leading-vendor shares range from {min(glob):g}% to {max(glob):g}% because "
                       "they measure different universes (scope) and years; they are not comparable with each "
                       "other, and none is 'the' market share.")
    out.append(Finding("published-leader-shares",
                       "Latest published share of the leading vendor, scope by scope: " + "; ".join(parts) + ".",
                       {"leaders": nums}, "published", sources(store, [n["source_id"] for n in nums]), caveats))

    by_seg = dict(store.tuples("market/share_rows_by_segment", measures=list(SHARE_MEASURES)))
    if not by_seg.get("training") or not by_seg.get("inference"):
        out.append(Finding(
            "segment-split-shares",
            "No source in the database publishes vendor shares of the training market and of the inference "
            "market separately, so published estimates cannot by themselves confirm training dominance or "
            "inference diversification; the launch-based bases above are the segment-level evidence.",
            {"vendor_share_rows_by_segment": {k: int(v) for k, v in by_seg.items()}}, "published", [],
            ["Segment-level vendor shares are analyst estimates at best; NVIDIA does not break its revenue out "
             "by training and inference beyond occasional remarks."]))

    mix = store.query("market/inference_mix")
    for measure, grp in mix.groupby("measure"):
        pts = [f"{int(r.year)}: {r.value:g}%{' (forecast)' if r.is_forecast else ''}" for r in grp.itertuples()
               if r.value == r.value]
        if not pts:
            continue
        who = (names.get(grp.vendor_id.iloc[0], grp.vendor_id.iloc[0]) + "'s "
               if isinstance(grp.vendor_id.iloc[0], str) else "")
        what = ("inference share of all AI compute" if measure == "compute_share_pct"
                else f"share of {who}revenue ({grp.scope.iloc[0]}) driven by inference")
        out.append(Finding(f"inference-{measure}", f"Published {what}: " + ", ".join(pts) + ".",
                           {"points": [{"year": int(r.year), "value": float(r.value), "forecast": bool(r.is_forecast)}
                                       for r in grp.itertuples() if r.value == r.value]},
                           f"published/{measure}", sources(store, grp.source_id), [
                               "Single-source figures; the direction (inference growing) is the robust part, "
                               "the exact percentages are estimates."]))
    return out
