"""Training dominance vs inference diversification, computed from the store.

Shares come from one of several *bases* (catalogued in the ``concentration_bases`` table):

``published/<measure>/<scope>/<geography>/<source_id>``
    Vendor shares exactly as one source published them, for one measure (revenue or unit share), one scope
    ("data-center GPUs" is never mixed with "all AI chips"), one geography and one source. A range without a
    point estimate contributes its midpoint. Published shares usually leave "others" unnamed: coverage_pct is
    the sum of the named shares and, below 100, the HHI is a lower bound.
``forecast/…``
    The same for shares a source published as a projection (``is_forecast``); kept apart from reported ones.
``launches``
    Data-centre products announced in the year (chips, cards and modules; not systems, which repackage counted
    chips, and not variants/SKUs of a counted product). A vendor's share is its fraction of those launches.
    Chips whose segment is ``both`` count in training and in inference. Vendors are rolled up to their parent
    from the year the parent took them over (Habana → Intel from 2019).
``launches_3y``
    The same over the trailing three years (Y-2 … Y), which steadies the small yearly counts.
``compute_weighted``
    Launches weighted by dense peak throughput in FP16-equivalent TFLOPS: BF16, else FP16, else FP8 / 2, else
    INT8 / 2 (most accelerators run 8-bit formats at twice their 16-bit rate, so halving puts INT8-only
    inference parts on the same footing instead of dropping them). Launches with no published figure cannot be
    weighted; coverage_pct is the percentage of launches that could be, so it is never silently 100.

No row is written for a segment-year a basis has no data for (never a zero).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import pandas as pd

from . import metrics
from .db import connect, insert_rows
from .load import Dataset
from .schema import CONCENTRATION_BASES, SEGMENT_CONCENTRATION, SEGMENT_SHARES

SEGMENTS = ("training", "inference")
SHARE_MEASURES = ("revenue_share_pct", "unit_share_pct")

# Throughput in FP16-equivalent dense TFLOPS, with the fallback stated in the module docstring.
FP16_EQUIVALENT_SQL = "coalesce(bf16_tflops, fp16_tflops, fp8_tflops / 2, int8_tops / 2)"

# Chips that count as product launches in a segment-year, with the vendor rolled up to its parent.
LAUNCHES_SQL = f"""
SELECT c.chip_id, c.year, s.segment,
       CASE WHEN v.parent_vendor_id IS NOT NULL AND coalesce(v.parent_since_year, 0) <= c.year
            THEN v.parent_vendor_id ELSE c.vendor_id END AS vendor_id,
       {FP16_EQUIVALENT_SQL} AS fp16e_tflops
FROM chips c
JOIN vendors v USING (vendor_id),
     unnest(CASE WHEN c.segment = 'both' THEN ['training', 'inference'] ELSE [c.segment] END) AS s(segment)
WHERE c.deployment = 'datacenter' AND c.form <> 'system' AND c.variant_of IS NULL AND c.year IS NOT NULL
"""

BASIS_TEXT = {
    "launches": "Share of data-centre product launches announced in the year (chips, cards, modules; no systems, "
                "no SKU variants). 'both' chips count in each segment; vendors rolled up to their parent.",
    "launches_3y": "As launches, over the trailing three years (Y-2 to Y).",
    "compute_weighted": "Launches weighted by dense FP16-equivalent TFLOPS (BF16, else FP16, else FP8/2, else "
                        "INT8/2). coverage_pct = percentage of launches with a published figure.",
}


@dataclass(frozen=True)
class ShareSet:
    segment: str
    year: int
    basis: str
    shares: dict[str, float]  # vendor -> percent
    coverage_pct: float


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def published_basis(measure: str, scope: str, geography: str, source_id: str, forecast: bool = False) -> str:
    return f"{'forecast' if forecast else 'published'}/{measure}/{_slug(scope)}/{_slug(geography)}/{source_id}"


# ---------------------------------------------------------------- share sets per basis

def published_share_sets(con: duckdb.DuckDBPyConnection) -> tuple[list[ShareSet], list[dict[str, Any]]]:
    rows = con.execute(f"""
        SELECT segment, year, measure, scope, geography, source_id, is_forecast, vendor_id,
               coalesce(value, (low + high) / 2) AS share
        FROM market_estimates
        WHERE measure IN {SHARE_MEASURES} AND vendor_id IS NOT NULL
          AND coalesce(value, (low + high) / 2) IS NOT NULL
        ORDER BY ALL""").fetchall()
    groups: dict[tuple, dict[str, float]] = {}
    for seg, year, measure, scope, geo, src, forecast, vendor, share in rows:
        groups.setdefault((seg, year, measure, scope, geo, src, forecast), {})[vendor] = float(share)
    sets, catalogue = [], {}
    for (seg, year, measure, scope, geo, src, forecast), shares in groups.items():
        basis = published_basis(measure, scope, geo, src, forecast)
        total = sum(shares.values())
        if total > 100:  # rounded shares may add up to a little over 100 (the data check allows 1 point)
            shares = {v: x * 100 / total for v, x in shares.items()}
        sets.append(ShareSet(seg, year, basis, shares, min(total, 100.0)))
        catalogue[basis] = {"basis": basis, "kind": "forecast" if forecast else "published", "measure": measure,
                            "scope": scope, "geography": geo, "source_id": src,
                            "description": f"{measure.replace('_', ' ')} as {'forecast' if forecast else 'published'} "
                                           f"for '{scope}' ({geo}); unnamed remainder left out, so HHI is a lower "
                                           "bound below 100 % coverage."}
    return sets, list(catalogue.values())


def launch_share_sets(con: duckdb.DuckDBPyConnection) -> list[ShareSet]:
    df = con.execute(LAUNCHES_SQL).df()
    if df.empty:
        return []
    sets = []
    years = sorted(df.year.unique())
    for seg in SEGMENTS:
        d = df[df.segment == seg]
        for year in years:
            one = d[d.year == year]
            if len(one):
                counts = one.vendor_id.value_counts()
                sets.append(ShareSet(seg, int(year), "launches",
                                     {v: 100.0 * n / len(one) for v, n in counts.items()}, 100.0))
                weighted = one.dropna(subset=["fp16e_tflops"])
                weighted = weighted[weighted.fp16e_tflops > 0]
                if len(weighted):
                    tot = weighted.fp16e_tflops.sum()
                    by_v = weighted.groupby("vendor_id").fp16e_tflops.sum()
                    sets.append(ShareSet(seg, int(year), "compute_weighted",
                                         {v: 100.0 * x / tot for v, x in by_v.items()},
                                         100.0 * len(weighted) / len(one)))
            window = d[(d.year <= year) & (d.year >= year - 2)]
            if len(window) and len(one):
                counts = window.vendor_id.value_counts()
                sets.append(ShareSet(seg, int(year), "launches_3y",
                                     {v: 100.0 * n / len(window) for v, n in counts.items()}, 100.0))
    return sets


def concentration_row(s: ShareSet) -> dict[str, Any]:
    h = metrics.hhi(s.shares)
    top = max(s.shares.items(), key=lambda kv: (kv[1], kv[0]))[0] if s.shares else None
    return {"segment": s.segment, "year": s.year, "basis": s.basis, "vendor_count": sum(
        1 for v in s.shares.values() if v > 0), "top_vendor_id": top, "cr1": metrics.cr1(s.shares),
        "cr4": metrics.cr4(s.shares), "hhi": h, "effective_vendors": metrics.effective_number(h),
        "entropy": metrics.shannon_entropy(s.shares), "delta_hhi": None, "coverage_pct": s.coverage_pct}


def concentration_rows(sets: list[ShareSet]) -> list[dict[str, Any]]:
    rows = sorted((concentration_row(s) for s in sets), key=lambda r: (r["segment"], r["basis"], r["year"]))
    prev: dict[tuple, float] = {}
    for r in rows:
        key = (r["segment"], r["basis"])
        if key in prev:
            r["delta_hhi"] = r["hhi"] - prev[key]
        prev[key] = r["hhi"]
    return rows


def refresh_concentration(con: duckdb.DuckDBPyConnection, ds: Dataset | None = None) -> list[str]:
    """Build step: (re)compute concentration_bases and segment_concentration."""
    published, catalogue = published_share_sets(con)
    sets = published + launch_share_sets(con)
    catalogue += [{"basis": b, "kind": b, "measure": None, "scope": None, "geography": None, "source_id": None,
                   "description": text} for b, text in BASIS_TEXT.items()]
    for t in (SEGMENT_SHARES, SEGMENT_CONCENTRATION, CONCENTRATION_BASES):
        con.execute(f"DELETE FROM {t.name}")
    insert_rows(con, CONCENTRATION_BASES, catalogue)
    insert_rows(con, SEGMENT_CONCENTRATION, concentration_rows(sets))
    insert_rows(con, SEGMENT_SHARES, [{"segment": s.segment, "year": s.year, "basis": s.basis, "vendor_id": v,
                                       "share_pct": x} for s in sets for v, x in s.shares.items()])
    return []


# ---------------------------------------------------------------- reading it back

def concentration(segment: str | None = None, basis: str | None = None,
                  db: str | Path | None = None) -> pd.DataFrame:
    """segment_concentration, optionally filtered; ``basis`` may be a prefix such as ``published``."""
    sql = "SELECT * FROM segment_concentration WHERE 1=1"
    params: dict[str, Any] = {}
    if segment:
        sql += " AND segment = $segment"
        params["segment"] = segment
    if basis:
        sql += " AND (basis = $basis OR basis LIKE $prefix)"
        params.update(basis=basis, prefix=basis.rstrip("/") + "/%")
    with connect(db) as con:
        return con.execute(sql + " ORDER BY segment, basis, year", params).df()


def shares(segment: str, year: int, basis: str, db: str | Path | None = None) -> dict[str, float]:
    """The vendor shares behind one segment_concentration row, largest first (from segment_shares)."""
    with connect(db) as con:
        rows = con.execute("SELECT vendor_id, share_pct FROM segment_shares WHERE segment = ? AND year = ? "
                           "AND basis = ? ORDER BY share_pct DESC, vendor_id", [segment, year, basis]).fetchall()
    if not rows:
        raise KeyError(f"no {basis} shares for {segment} in {year}")
    return dict(rows)


# ---------------------------------------------------------------- graph measures per segment

def segment_graph(segment: str, up_to_year: int | None = None, db: str | Path | None = None) -> nx.Graph:
    """Undirected vendor–chip–segment graph of the data-centre launches in ``segment`` (up to a year)."""
    with connect(db) as con:
        df = con.execute(LAUNCHES_SQL).df()
    df = df[df.segment == segment]
    if up_to_year is not None:
        df = df[df.year <= up_to_year]
    g = nx.Graph()
    seg = f"segment:{segment}"
    g.add_node(seg, kind="segment")
    for r in df.itertuples(index=False):
        v, c = f"vendor:{r.vendor_id}", f"chip:{r.chip_id}"
        g.add_node(v, kind="vendor")
        g.add_node(c, kind="chip")
        g.add_edge(v, c)
        g.add_edge(c, seg)
    return g


def vendor_centrality(segment: str, up_to_year: int | None = None, db: str | Path | None = None,
                      graph: nx.Graph | None = None) -> pd.DataFrame:
    """Per vendor: degree (launches), degree centrality and PageRank in the segment's graph (pass ``graph``
    from :func:`segment_graph` to reuse one already built)."""
    g = graph if graph is not None else segment_graph(segment, up_to_year, db)
    vendors = [n for n, d in g.nodes(data=True) if d["kind"] == "vendor"]
    if not vendors:
        return pd.DataFrame(columns=["vendor_id", "degree", "degree_centrality", "pagerank"])
    pr = nx.pagerank(g)
    dc = nx.degree_centrality(g)
    df = pd.DataFrame([{"vendor_id": v.split(":", 1)[1], "degree": g.degree(v), "degree_centrality": dc[v],
                        "pagerank": pr[v]} for v in vendors])
    return df.sort_values(["degree", "vendor_id"], ascending=[False, True], ignore_index=True)


def vendor_projection_centralization(segment: str, up_to_year: int | None = None, db: str | Path | None = None,
                                     graph: nx.Graph | None = None) -> float:
    """Freeman degree centralization of the segment's vendor–chip graph (1 = one vendor makes everything)."""
    g = graph if graph is not None else segment_graph(segment, up_to_year, db)
    g = g.subgraph(n for n in g if n != f"segment:{segment}")
    return metrics.degree_centralization(g) if g.number_of_nodes() >= 3 else 0.0


def entrants(segment: str, db: str | Path | None = None) -> pd.DataFrame:
    """Per year: vendors whose first data-centre launch in the segment is that year, and the running total."""
    with connect(db) as con:
        df = con.execute(f"""
            WITH l AS ({LAUNCHES_SQL}), first AS (
              SELECT vendor_id, min(year) AS year FROM l WHERE segment = $seg GROUP BY vendor_id)
            SELECT y.year, list(f.vendor_id ORDER BY f.vendor_id) FILTER (WHERE f.vendor_id IS NOT NULL)
                     AS new_vendors,
                   count(f.vendor_id) AS new_vendor_count
            FROM (SELECT DISTINCT year FROM l WHERE segment = $seg) y LEFT JOIN first f USING (year)
            GROUP BY y.year ORDER BY y.year""", {"seg": segment}).df()
    df["cumulative_vendors"] = df.new_vendor_count.cumsum()
    return df


# ---------------------------------------------------------------- the market graph

def market_graph(year: int, basis: str = "launches_3y", db: str | Path | None = None) -> nx.Graph:
    """Vendors and the training/inference segments for one year and basis.

    Edge weight = the vendor's share of the segment (percent); node attribute ``size`` = the vendor's summed
    share across the two segments (segments: 100 each). Only segments with data that year appear.
    """
    df = concentration(basis=basis, db=db)
    g = nx.Graph(year=year, basis=basis)
    for seg in SEGMENTS:
        row = df[(df.segment == seg) & (df.year == year) & (df.basis == basis)]
        if row.empty:
            continue
        g.add_node(f"segment:{seg}", kind="segment", label=seg.capitalize(), size=100.0,
                   hhi=float(row.hhi.iloc[0]), coverage_pct=float(row.coverage_pct.iloc[0]))
        for vendor, share in shares(seg, year, basis, db).items():
            v = f"vendor:{vendor}"
            if v not in g:
                g.add_node(v, kind="vendor", label=vendor, size=0.0)
            g.nodes[v]["size"] += share
            g.add_edge(v, f"segment:{seg}", weight=share)
    return g


def market_layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Deterministic positions: training at x=-1, inference at x=+1; each vendor between them at the point set
    by where its shares lie (all-training vendors near the left), stacked by size."""
    pos = {"segment:training": (-1.0, 0.0), "segment:inference": (1.0, 0.0)}
    vendors = sorted((n for n, d in g.nodes(data=True) if d["kind"] == "vendor"),
                     key=lambda n: (-g.nodes[n]["size"], n))
    for i, v in enumerate(vendors):
        t = g.edges[v, "segment:training"]["weight"] if g.has_edge(v, "segment:training") else 0.0
        inf = g.edges[v, "segment:inference"]["weight"] if g.has_edge(v, "segment:inference") else 0.0
        x = 0.7 * (inf - t) / (inf + t) if inf + t else 0.0
        # Alternate above/below the axis, the biggest vendors nearest to it.
        y = (1 + i // 2) * 0.35 * (1 if i % 2 == 0 else -1)
        pos[v] = (x, y)
    return {n: pos[n] for n in g.nodes}


def latest_year(basis: str = "launches_3y", db: str | Path | None = None) -> int | None:
    """The latest year in which both segments have rows under ``basis``."""
    df = concentration(basis=basis, db=db)
    years = df.groupby("year").segment.nunique()
    both = years[years == 2]
    return int(both.index.max()) if len(both) else None

