"""What-if scenarios on one segment-year's shares: merger, entrant, shift."""
from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..store.db import Store
from . import metrics
from .concentration import shares as basis_shares


def run_whatif(store: Store, segment: str, year: int, basis: str, *, merge: tuple[str, str] | None = None,
               entrant: tuple[str, str] | None = None,
               shift: tuple[str, str, str] | None = None) -> dict[str, Any]:
    """HHI before/after one scenario and whether the 2023 Merger Guidelines' presumption would apply."""
    before = basis_shares(store, segment, year, basis)
    merged_share = None
    try:
        if merge:
            a, b = merge
            after = metrics.merge(before, a, b)
            merged_share = before[a] + before[b]
            scenario = f"{a} acquires {b}"
        elif entrant:
            name, share = entrant[0], float(entrant[1])
            after = metrics.add_entrant(before, name, share)
            scenario = f"{name} enters with {share:g} points"
        elif shift:
            a, b, pts = shift[0], shift[1], float(shift[2])
            after = metrics.shift(before, a, b, pts)
            scenario = f"{pts:g} points move from {a} to {b}"
        else:
            raise InvalidArgument("no scenario given: pass merge, entrant or shift")
    except InvalidArgument:
        raise
    except ValueError as e:  # the pure metrics reject the scenario: say why, with the vendors one could name
        raise InvalidArgument(f"{e} (vendors in {segment} {year} under {basis}: {', '.join(before)})") from None
    p = metrics.presumption(before, after, merged_share)
    return {
        "segment": segment, "year": year, "basis": basis, "scenario": scenario,
        "hhi_before": round(p.hhi_before, 1), "hhi_after": round(p.hhi_after, 1), "delta_hhi": round(p.delta, 1),
        "label_after": metrics.concentration_label(p.hhi_after),
        "presumption_applies": p.presumed, "reason": p.reason,
        "coverage_pct": round(metrics.coverage(before), 1),
    }
