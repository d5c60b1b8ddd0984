"""Share bases: how vendor shares of a segment and year are attributed.

Shares come from one of several *bases* (catalogued in the ``concentration_bases`` table):

``published/<measure>/<scope>/<geography>/<source_id>``
    Vendor shares exactly as one source published them, for one measure (revenue or unit share), one scope
    ("data-center GPUs" is never mixed with "all AI chips"), one geography and one source. A range without a
    point estimate contributes its midpoint. Published shares usually leave "others" unnamed: coverage_pct is
    the sum of the named shares and, below 100, the HHI is a lower bound.
``forecast/…``
    The same for shares a source published as a projection (``is_forecast``); kept apart from reported ones.
``launches``
    Data-centre products announced in the year (the ``product_announcements`` view). A vendor's share is its
    fraction of those announcements.
``products_announced_3y``
    The same over the trailing three years (Y-2 … Y), which steadies the small yearly counts.
``compute_weighted``
    Announcements weighted by dense FP16-equivalent peak (the view's ``fp16e_tflops``); coverage_pct is the
    percentage of announcements with a published figure, so it is never silently 100.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from ..store.db import Store
from ..store.schema import slugify

SEGMENTS = ("training", "inference")
SHARE_MEASURES = ("revenue_share_pct", "unit_share_pct")
WINDOW_YEARS = 3  # the trailing window of the *_3y bases: Y-2 … Y

COUNT_BASES = {
    "products_announced": "Share of the data-centre products announced in the year (chips, cards, modules; no "
                          "systems, no SKU variants; roadmap announcements included). 'both' chips count in each "
                          "segment; vendors rolled up to their parent. A count of products: breadth, not market "
                          "share.",
    "products_announced_3y": "As products_announced, over the trailing three years (Y-2 to Y).",
}
COUNT_COVERAGE = "every product announced in the window has a vendor, so always 100"
PUBLISHED_COVERAGE = "the sum of the shares the source names; the unnamed remainder ('others') is left out"


@dataclass(frozen=True)
class ShareSet:
    segment: str
    year: int
    basis: str
    shares: dict[str, float]  # vendor -> percent
    coverage_pct: float


def window(year: int) -> tuple[int, int]:
    """The trailing window ending in ``year``: (first year, last year), inclusive."""
    return year - WINDOW_YEARS + 1, year


def window_label(year: int, basis: str) -> str:
    """'2023–2025' for a trailing-window basis, '2025' otherwise."""
    if basis.endswith("_3y"):
        first, last = window(year)
        return f"{first}–{last}"
    return str(year)


def published_basis(measure: str, scope: str, geography: str, source_id: str, forecast: bool = False) -> str:
    return f"{'forecast' if forecast else 'published'}/{measure}/{slugify(scope)}/{slugify(geography)}/{source_id}"


def published_share_rows(store: Store):
    """Every published vendor share with its central value (a DataFrame; one query for all callers)."""
    return store.memo("published_share_rows",
                      lambda: store.query("market/published_shares", measures=list(SHARE_MEASURES)))


def published_share_sets(store: Store) -> tuple[list[ShareSet], list[dict[str, Any]]]:
    df = published_share_rows(store)
    groups: dict[tuple, dict[str, float]] = {}
    for r in df.itertuples(index=False):
        key = (r.segment, int(r.year), r.measure, r.scope, r.geography, r.source_id, bool(r.is_forecast))
        groups.setdefault(key, {})[r.vendor_id] = float(r.share)
    sets, catalogue = [], {}
    for (seg, year, measure, scope, geo, src, forecast), shares in groups.items():
        basis = published_basis(measure, scope, geo, src, forecast)
        total = sum(shares.values())
        if total > 100:  # rounded shares may add up to a little over 100 (the data check allows 1 point)
            shares = {v: x * 100 / total for v, x in shares.items()}
        sets.append(ShareSet(seg, year, basis, shares, min(total, 100.0)))
        catalogue[basis] = {"basis": basis, "kind": "forecast" if forecast else "published", "measure": measure,
                            "scope": scope, "geography": geo, "source_id": src, "is_market_share": True,
                            "coverage_meaning": PUBLISHED_COVERAGE, "draws": None,
                            "description": f"{measure.replace('_', ' ')} as {'forecast' if forecast else 'published'} "
                                           f"for '{scope}' ({geo}); unnamed remainder left out, so HHI is a lower "
                                           "bound below 100 % coverage."}
    return sets, list(catalogue.values())


def announcements(store: Store) -> list[dict[str, Any]]:
    """The rows of the product_announcements view (memoised per Store)."""
    return store.memo("product_announcements", lambda: store.rows("market/product_announcements"))


def window_counts(store: Store, segment: str) -> dict[int, int]:
    """Announcements behind each products_announced_3y row of a segment, by the window's last year."""
    years = Counter(r["year"] for r in announcements(store) if r["segment"] == segment)
    return {y: sum(n for x, n in years.items() if window(y)[0] <= x <= y) for y in sorted(years)}


def launch_share_sets(store: Store) -> list[ShareSet]:
    by_segment_year: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for r in announcements(store):
        by_segment_year[(r["segment"], r["year"])].append(r)
    years = sorted({y for _, y in by_segment_year})
    sets = []
    for seg in SEGMENTS:
        for year in years:
            one = by_segment_year.get((seg, year), [])
            if not one:
                continue
            counts = Counter(r["vendor_id"] for r in one)
            sets.append(ShareSet(seg, year, "products_announced",
                                 {v: 100.0 * n / len(one) for v, n in counts.items()}, 100.0))
            first, last = window(year)
            in_window = [r for y in range(first, last + 1) for r in by_segment_year.get((seg, y), [])]
            counts = Counter(r["vendor_id"] for r in in_window)
            sets.append(ShareSet(seg, year, "products_announced_3y",
                                 {v: 100.0 * n / len(in_window) for v, n in counts.items()}, 100.0))
    return sets
