"""What-if scenarios on one segment-year's market shares: a merger, an entrant, a shift of share.

Scenarios run on share bases only (what ships, or shares a source published): a count of products is not a
market share, so merger arithmetic on it would mean nothing. The verdict is the 2023 Merger Guidelines'
Guideline 1 screening arithmetic, not a legal conclusion: a merger is presumed to lessen competition
substantially when it raises HHI by more than 100 and either leaves HHI above 1,800 or gives the merged firm
more than 30% of the market (the "30% rule", which by its nature applies to mergers only).
"""
from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..store.db import Store
from . import metrics
from .concentration import shares as basis_shares

DEFAULT_BASIS = "shipped_compute"
THIRTY_PCT_RULE = ("the 30% rule: a merger that raises HHI by more than 100 and leaves the merged firm above 30% "
                   "of the market is presumed to lessen competition substantially, whatever the HHI level")


def require_share_basis(store: Store, basis: str) -> None:
    rows = {r["basis"]: r for r in store.rows("market/concentration_bases")}
    if basis not in rows:
        raise InvalidArgument(f"no basis {basis!r}; share bases: "
                              + ", ".join(b for b, r in rows.items() if r["is_market_share"]))
    if not rows[basis]["is_market_share"]:
        raise InvalidArgument(f"{basis} counts products, it is not a market share; what-if scenarios need a share "
                              f"basis such as {DEFAULT_BASIS} or a published one (see marketgraph metrics)")


def run_whatif(store: Store, segment: str, year: int, basis: str = DEFAULT_BASIS, *,
               merge: tuple[str, str] | None = None, entrant: tuple[str, str] | None = None,
               shift: tuple[str, str, str] | None = None) -> dict[str, Any]:
    """HHI before/after one scenario and whether the 2023 Merger Guidelines' presumption would apply.

    Figures are rounded to what the inputs support: HHI to whole points, shares and coverage to one decimal.
    """
    require_share_basis(store, basis)
    before = basis_shares(store, segment, year, basis)
    merged_share = None
    try:
        if merge:
            a, b = merge
            after = metrics.merge(before, a, b)
            merged_share = before[a] + before[b]
            scenario, label = f"{a} acquires {b}", "post-merger"
        elif entrant:
            name, share = entrant[0], float(entrant[1])
            after = metrics.add_entrant(before, name, share)
            scenario, label = f"{name} enters with {share:g} points", "after the scenario"
        elif shift:
            a, b, pts = shift[0], shift[1], float(shift[2])
            after = metrics.shift(before, a, b, pts)
            scenario, label = f"{pts:g} points move from {a} to {b}", "after the scenario"
        else:
            raise InvalidArgument("no scenario given: pass merge, entrant or shift")
    except (KeyError, ValueError) as e:  # the pure metrics reject the scenario: say why, with the vendors to name
        if isinstance(e, InvalidArgument):
            raise
        raise InvalidArgument(f"{e} (vendors in {segment} {year} under {basis}: {', '.join(before)})") from None
    p = metrics.presumption(before, after, merged_share, after_label=label)
    return {
        "segment": segment, "year": year, "basis": basis, "scenario": scenario,
        "hhi_before": round(p.hhi_before), "hhi_after": round(p.hhi_after), "delta_hhi": round(p.delta),
        "label_after": metrics.concentration_label(p.hhi_after),
        "presumption_applies": p.presumed, "reason": p.reason,
        "thirty_percent_rule": (f"merged firm {merged_share:.1f}%: " + THIRTY_PCT_RULE) if merged_share is not None
        else "not applicable: " + THIRTY_PCT_RULE,
        "coverage_pct": round(metrics.coverage(before), 1),
    }
