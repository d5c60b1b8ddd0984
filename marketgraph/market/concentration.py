"""The concentration table: CR1, CR4, HHI, effective vendors and entropy per segment, year and share basis.

The build step :func:`refresh_concentration` computes ``concentration_bases``, ``segment_concentration`` and
``segment_shares`` from the share bases (:mod:`marketgraph.market.shares`); the readers below take a
:class:`~marketgraph.store.db.Store` and read the table once per Store. No row is written for a segment-year a
basis has no data for (never a zero).
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ..errors import UnknownName
from ..store.build import BuildWarning
from ..store.db import Store
from ..store.load import Dataset
from ..store.schema import (ALLOCATION_SWEEP, CONCENTRATION_BASES, SEGMENT_CONCENTRATION, SEGMENT_SHARES,
                             SEGMENT_SPLIT)
from . import metrics, shipped
from .shares import COUNT_BASES, COUNT_COVERAGE, SEGMENTS, ShareSet, launch_share_sets, published_share_sets


def concentration_row(s: ShareSet) -> dict[str, Any]:
    h = metrics.hhi(s.shares)
    top = max(s.shares.items(), key=lambda kv: (kv[1], kv[0]))[0] if s.shares else None
    cr1, cr4 = metrics.cr1(s.shares), metrics.cr4(s.shares)
    return {"segment": s.segment, "year": s.year, "basis": s.basis, "vendor_count": sum(
        1 for v in s.shares.values() if v > 0), "top_vendor_id": top, "cr1": cr1, "cr1_low": cr1, "cr1_high": cr1,
        "cr4": cr4, "cr4_low": cr4, "cr4_high": cr4, "hhi": h, "hhi_low": h, "hhi_high": h,
        "effective_vendors": metrics.effective_number(h), "entropy": metrics.shannon_entropy(s.shares),
        "delta_hhi": None, "coverage_pct": s.coverage_pct, "coverage_note": None, "is_partial": False}


def shipped_row(b: shipped.BasisYear) -> dict[str, Any]:
    """A concentration row of a shipped basis: the point from the central figures, intervals from the draws."""
    row = concentration_row(shipped.as_share_set(b))
    row.update(cr1_low=b.cr1[0], cr1_high=b.cr1[1], cr4_low=b.cr4[0], cr4_high=b.cr4[1], hhi_low=b.hhi[0],
               hhi_high=b.hhi[1], coverage_note=b.coverage_note, is_partial=b.is_partial)
    return row


def concentration_rows(sets: list[ShareSet], extra: list[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    rows = sorted([*(concentration_row(s) for s in sets), *extra],
                  key=lambda r: (r["segment"], r["basis"], r["year"]))
    prev: dict[tuple, float] = {}
    for r in rows:
        key = (r["segment"], r["basis"])
        if key in prev:
            r["delta_hhi"] = r["hhi"] - prev[key]
        prev[key] = r["hhi"]
    return rows


def refresh_concentration(store: Store, ds: Dataset | None = None) -> list[BuildWarning]:
    """Build step: (re)compute concentration_bases, segment_concentration and segment_shares."""
    published, catalogue = published_share_sets(store)
    sets = published + launch_share_sets(store)
    catalogue += [{"basis": b, "kind": b, "is_market_share": False, "measure": None, "scope": None,
                   "geography": None, "source_id": None, "coverage_meaning": COUNT_COVERAGE, "draws": None,
                   "description": text} for b, text in COUNT_BASES.items()]
    result = shipped.compute(store)
    if result.rows:
        catalogue += [{"basis": b, "kind": b, "is_market_share": True, "measure": None, "scope": None,
                       "geography": None, "source_id": None, "coverage_meaning": shipped.COVERAGE_MEANING,
                       "draws": shipped.DRAWS, "description": text} for b, text in shipped.BASIS_TEXT.items()]
    for t in (SEGMENT_SHARES, SEGMENT_CONCENTRATION, CONCENTRATION_BASES, ALLOCATION_SWEEP, SEGMENT_SPLIT):
        store.delete(t)
    store.insert(CONCENTRATION_BASES, catalogue)
    store.insert(SEGMENT_CONCENTRATION, concentration_rows(sets, [shipped_row(b) for b in result.rows]))
    share_rows = [{"segment": s.segment, "year": s.year, "basis": s.basis, "vendor_id": v, "share_pct": x,
                   "share_low_pct": x, "share_high_pct": x} for s in sets for v, x in s.shares.items()]
    share_rows += [{"segment": b.segment, "year": b.year, "basis": b.basis, "vendor_id": v, "share_pct": x,
                    "share_low_pct": b.share_low[v], "share_high_pct": b.share_high[v]}
                   for b in result.rows for v, x in b.shares.items()]
    store.insert(SEGMENT_SHARES, share_rows)
    store.insert(ALLOCATION_SWEEP, result.sweep)
    store.insert(SEGMENT_SPLIT, result.split)
    return []


# ---------------------------------------------------------------- reading it back

def concentration(store: Store, segment: str | None = None, basis: str | None = None) -> pd.DataFrame:
    """segment_concentration, optionally filtered; ``basis`` may be a prefix such as ``published``."""
    df = store.memo("segment_concentration", lambda: store.query("market/segment_concentration"))
    if segment:
        df = df[df.segment == segment]
    if basis:
        prefix = basis.rstrip("/") + "/"
        df = df[(df.basis == basis) | df.basis.str.startswith(prefix)]
    return df.reset_index(drop=True)


def shares(store: Store, segment: str, year: int, basis: str) -> dict[str, float]:
    """The vendor shares behind one segment_concentration row, largest first (from segment_shares)."""
    rows = store.tuples("market/basis_shares", segment=segment, year=year, basis=basis)
    if not rows:
        raise UnknownName(f"no {basis} shares for {segment} in {year}")
    return dict(rows)


def years_with_both_segments(store: Store, basis: str) -> list[int]:
    """Years in which training and inference both have a row under ``basis``, ascending."""
    df = concentration(store, basis=basis)
    per_year = df[df.basis == basis].groupby("year").segment.nunique()
    return sorted(int(y) for y in per_year[per_year == len(SEGMENTS)].index)


def latest_year(store: Store, basis: str = "products_announced_3y") -> int | None:
    """The latest year in which both segments have rows under ``basis``."""
    years = years_with_both_segments(store, basis)
    return years[-1] if years else None
