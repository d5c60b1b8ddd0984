"""Overview: KPI tiles (who leads shipped compute and how concentrated each segment is, with p5–p95; how much
compute goes to inference), then every finding, each linking to the chart or rows behind it."""
from __future__ import annotations

from typing import Any, Mapping

import dash_bootstrap_components as dbc
from dash import dcc, html

from marketgraph.market.findings import Finding, compute_findings
from marketgraph.market.names import vendor_names
from marketgraph.present.figures import is_low_coverage

from .. import ids, state
from ..cache import cached, store
from ..components import download_link, external, grid, kpi, page_header

PATH = "/"
NAME = "Overview"
TITLE = "overview"
ORDER = 0
SEGMENTS = ("all", "training", "inference")


def _range(lo, hi, fmt: str = "{:,.0f}") -> str:
    if lo is None or hi is None or lo != lo or hi != hi:
        return ""
    return f" (p5–p95 {fmt.format(lo)}–{fmt.format(hi)})"


def behind(f: Finding) -> str:
    """The page that shows the rows or chart a finding was computed from."""
    n = f.numbers or {}
    fid = f.id
    for seg in SEGMENTS:
        if fid == f"shipped-{seg}":
            return "/market" + state.encode({"basis": n.get("basis") or "shipped_compute", "segment": seg})
        if fid == f"{seg}-breadth":
            return "/market" + state.encode({"basis": f.basis, "segment": seg})
        if fid == f"{seg}-entrants":
            return "/timeline" + state.encode({"kind": "launch", "segment": seg})
    if fid == "breadth-comparison":
        return "/market" + state.encode({"basis": f.basis})
    if fid in ("inference-share-of-compute", "allocation-sensitivity", "training-vs-inference"):
        return "/market#allocation"
    if fid == "supply-dependency":
        return "/graph" + state.encode({"kinds": "vendor,chip,supplier"})
    if fid in ("published-leader-shares", "segment-split-shares", "no-published-shares"):
        return "/sql" + state.encode({"q": "console/published_shares"})
    return "/market" + (state.encode({"basis": f.basis}) if f.basis and f.basis != "shipped_compute" else "")


def tiles(findings: list[Finding], names: Mapping[str, str]) -> list:
    """The KPI row. Shipped-compute findings when the model has produced them; until then the launch-based
    ones, labelled as counts of products (not market shares)."""
    by_id = {f.id: f for f in findings}
    out = []
    shipped = [by_id[f"shipped-{s}"] for s in SEGMENTS if f"shipped-{s}" in by_id]
    if shipped:
        for f in shipped:
            n = f.numbers
            seg = f.id.split("-", 1)[1]
            low = is_low_coverage(n.get("coverage_pct"))
            leader = names.get(n.get("top_vendor_id"), n.get("top_vendor_id"))
            detail = [f"HHI {n.get('hhi', 0):,.0f}{_range(n.get('hhi_low'), n.get('hhi_high'))} · "
                      f"{n.get('year')} · coverage {n.get('coverage_pct', 0):.0f}%"]
            if low:
                detail.append(html.Div("low coverage: shares of the covered designers only, not a monopoly",
                                       className="low-coverage"))
            out.append(kpi(f"{seg} · shipped compute leader", f"{leader} {n.get('cr1', 0):.0f}%",
                           detail + [html.Div(f"CR1{_range(n.get('cr1_low'), n.get('cr1_high'), '{:.0f}')}")],
                           behind(f), muted=low))
    else:  # no shipment model in this database: how broad each segment is, never a share of it
        for seg in ("training", "inference"):
            f = by_id.get(f"{seg}-breadth")
            if f is None:
                continue
            n = f.numbers
            top = names.get(n["top_vendor_id"], n["top_vendor_id"])
            out.append(kpi(f"{seg} · product breadth", f"{n['products']} products, {n['vendor_count']} vendors",
                           [f"{n['year'] - 2}–{n['year']} · most from {top} ({n['top_pct']:.0f}%)",
                            html.Div("a count of products, not a market share (shipment model not in this "
                                     "database)", className="low-coverage")], behind(f), muted=True))
    inf = by_id.get("inference-share-of-compute")
    if inf:
        n = inf.numbers
        out.append(kpi("inference share of compute", f"{n['inference_pct']:.0f}%",
                       f"{n['year']}{_range(n.get('inference_pct_low'), n.get('inference_pct_high'), '{:.0f}%')}",
                       behind(inf)))
    else:
        pub = next((f for f in findings if f.id == "inference-compute_share_pct"), None)
        pts = (pub.numbers or {}).get("points", []) if pub else []
        last = next((p for p in reversed(pts) if not p.get("forecast")), pts[-1] if pts else None)
        out.append(kpi("inference share of compute", f"{last['value']:g}%" if last else "—",
                       (f"{last['year']}, one published estimate" if last else "no estimate in this database"),
                       behind(pub) if pub else None, muted=True))
    return out


MAX_SOURCES_SHOWN = 25


def finding_item(f: Finding) -> html.Li:
    parts: list[Any] = [html.Strong(f.statement),
                        html.Div([f"basis: {f.basis} · ", dcc.Link("the rows behind it →", href=behind(f))],
                                 className="basis")]
    parts += [html.Div(f"caveat: {c}", className="caveat") for c in f.caveats]
    if f.sources:
        # A finding over a large database can cite thousands of sources; the page lists the first few and the
        # findings CSV carries all of them (the page stays small, nothing is hidden).
        shown = [html.Li([f"{x.get('publisher')}: ", external(x.get("url"), x.get("title"))], className="small")
                 for x in f.sources[:MAX_SOURCES_SHOWN]]
        if len(f.sources) > MAX_SOURCES_SHOWN:
            shown.append(html.Li([f"… and {len(f.sources) - MAX_SOURCES_SHOWN:,} more, all listed in the ",
                                  download_link(None, "findings", "findings CSV")], className="small"))
        parts.append(html.Details([html.Summary(f"{len(f.sources):,} source(s)", className="small"),
                                   html.Ul(shown)]))
    return html.Li(parts, className="finding", id=f"finding-{f.id}")


def layout(params: Mapping[str, str], **_) -> html.Div:
    with store() as s:
        info = s.build_info()
        counts = cached(s, "row-counts", s.row_counts)
        findings = cached(s, "findings", lambda: compute_findings(s))  # deterministic per database file
        names = vendor_names(s)
    return html.Div([
        page_header("Training dominance vs inference diversification",
                    "Every number below is computed from the database when this page loads, with its basis, "
                    "caveats and sources; each links to the chart or rows behind it."),
        dbc.Row(tiles(findings, names), id=ids.HOME_KPIS, className="g-2"),
        html.H3("What the data says", className="h5 mt-2"),
        html.Ul([finding_item(f) for f in findings], id=ids.HOME_FINDINGS, className="list-unstyled"),
        html.Div([download_link(None, "findings", "findings CSV"), download_link(None, "findings", "JSON", "json")]),
        html.H3("What the store holds", className="h5 mt-3"),
        html.P(f"Built {info.get('built_at')} UTC from {info.get('data_dir')} · marketgraph "
               f"{info.get('package_version')} · DuckDB {info.get('duckdb_version')}", id=ids.HOME_BUILD,
               className="small text-muted"),
        grid(ids.HOME_COUNTS, [{"field": "table", "headerTooltip": "table name (marketgraph schema --table T)"},
                               {"field": "rows", "type": "rightAligned", "filter": "agNumberColumnFilter"}],
             [{"table": t, "rows": n} for t, n in counts.items()], height=300,
             options={"pagination": False}),
    ])


def register(app) -> None:
    """The overview has no callbacks: everything on it is computed when it is drawn."""
