"""Training vs inference: how shipments of parts positioned for both segments are split between them.

A part tagged ``training`` or ``inference`` counts in its segment; a part tagged ``both`` is split by the
inference percentage of its designer and year in ``segment_allocation`` (a row without a vendor is the default
for designers without their own row). The range of each row is the sensitivity sweep's span.
"""
from __future__ import annotations

from typing import Any

from ..errors import InvalidArgument
from ..store.db import Store
from . import metrics
from .shipped import MEASURES, segment_totals, load_model


def reallocate(store: Store, year: int, inference_pct: float, basis: str = "shipped_compute") -> dict[str, Any]:
    """Training and inference shares of ``year`` under ``basis`` if every both-positioned part sent
    ``inference_pct`` percent of its shipments to inference (the /market slider; central figures, no draws).

    Returns ``{"training": {...}, "inference": {...}, "inference_pct_of_total": x}``, each segment with its
    vendor ``shares`` (percent), ``cr1``, ``hhi`` and ``top_vendor_id``; a segment with nothing shipped is absent.
    """
    if basis not in MEASURES:
        raise InvalidArgument(f"reallocate works on shipped bases ({', '.join(MEASURES)}), not {basis!r}")
    if not 0 <= inference_pct <= 100:
        raise InvalidArgument(f"inference_pct must be between 0 and 100, not {inference_pct!r}")
    model = load_model(store)
    out: dict[str, Any] = {}
    totals = {}
    for seg in ("training", "inference", "all"):
        point = segment_totals(model, year, MEASURES[basis], seg, "central", override_pct=inference_pct)["point"]
        totals[seg] = sum(point.values())
        if seg == "all" or totals[seg] <= 0:
            continue
        shares = {d: 100.0 * v / totals[seg] for d, v in point.items()}
        out[seg] = {"shares": dict(sorted(shares.items(), key=lambda kv: -kv[1])), "cr1": metrics.cr1(shares),
                    "hhi": metrics.hhi(shares), "top_vendor_id": max(shares.items(), key=lambda kv: (kv[1], kv[0]))[0]}
    if totals["all"] <= 0:
        raise InvalidArgument(f"nothing shipped in {year} under {basis}")
    out["inference_pct_of_total"] = 100.0 * totals["inference"] / totals["all"]
    return out
