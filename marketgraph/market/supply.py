"""Dominance as dependency: how much of the compute shipped in a year rests on each upstream supplier.

For every role (foundry, memory, packaging) and supplier, the share of the year's covered shipped compute whose
chips have that supplier in that role in ``supply_links``. A chip with two memory suppliers counts for both (each
is a dependency), so a role's shares can add up to more than 100; compute whose chips have no published link for
a role is reported as unknown, never guessed.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..store.db import Store
from .shipped import load_model

ROLES = ("foundry", "memory", "packaging")


def supplier_dependency(store: Store, year: int) -> dict[str, Any]:
    """``{role: {"suppliers": {name: pct}, "unknown_pct": pct}}`` for ``year``'s shipped compute, plus the
    compute total it is a share of."""
    model = load_model(store)
    compute = defaultdict(float)
    for r in model.rows:
        if r.year == year and r.central["compute"]:
            compute[r.chip_id] += r.central["compute"]
    total = sum(compute.values())
    links: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in store.rows("market/supply_links"):
        links[(row["chip_id"], row["role"])].add(row["supplier"])
    out: dict[str, Any] = {"year": year, "total_compute_tflops": total}
    for role in ROLES:
        by_supplier: dict[str, float] = defaultdict(float)
        unknown = 0.0
        for chip, c in compute.items():
            who = links.get((chip, role))
            if not who:
                unknown += c
            for s in who or ():
                by_supplier[s] += c
        out[role] = {"suppliers": {s: 100.0 * v / total for s, v in sorted(by_supplier.items(), key=lambda kv: -kv[1])}
                     if total else {}, "unknown_pct": 100.0 * unknown / total if total else 0.0}
    return out
