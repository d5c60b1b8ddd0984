"""Full downloads: every table and chart's data as CSV (or JSON), with the sources and the database's build
date in the file's header.

``GET /download/<dataset>.<csv|json>?<the view's parameters>`` — the parameters are the page's own URL query,
so a download is always of the view on screen, and always of the whole of it (every row that passes the
filters, never the visible page). CSV headers are ``#`` comment lines (``pandas.read_csv(comment="#")``,
``duckdb.read_csv(..., comment='#')``); text cells that a spreadsheet would run as a formula are neutralised.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import flask
import pandas as pd

from marketgraph.errors import MarketgraphError, UnknownName
from marketgraph.market.concentration import concentration
from marketgraph.market.findings import compute_findings
from marketgraph.present.figures import basis_source
from marketgraph.present.formats import get_format, neutralise_formula, records, render_findings
from marketgraph.store.db import Store
from marketgraph.store.guard import run_untrusted_sql

from . import graphview, grid
from .cache import cached, current_db, store
from .console import MAX_ROWS, TIMEOUT_S, console_sql


@dataclass
class Download:
    title: str
    frame: pd.DataFrame
    sources: list[str] = field(default_factory=list)  # header lines naming the sources
    notes: list[str] = field(default_factory=list)


Maker = Callable[[Store, Mapping[str, str]], Download]
DATASETS: dict[str, Maker] = {}


def dataset(name: str):
    def add(f: Maker) -> Maker:
        DATASETS[name] = f
        return f
    return add


SOURCES_NOTE = ("per row in source_ids / source_urls; every source's publisher, title and URL: "
                "/download/sources.csv")


def chips_frame(s: Store) -> pd.DataFrame:
    """Every chip with every figure (cached per database: the grid, compare view and downloads share it)."""
    return cached(s, "chips", lambda: s.query("dashboard/chips_grid"))


def events_frame(s: Store) -> pd.DataFrame:
    return cached(s, "events", lambda: s.query("dashboard/events_grid"))


def filter_chips(df: pd.DataFrame, segment: str | None, vendor: str | None, deployment: str | None) -> pd.DataFrame:
    if segment:
        df = df[(df.segment == segment) | (df.segment == "both")]
    if vendor:
        df = df[df.vendor_id == vendor]
    if deployment:
        df = df[df.deployment == deployment]
    return df


def filter_events(df: pd.DataFrame, kind: str | None = None, vendor: str | None = None, segment: str | None = None,
                  topic: str | None = None) -> pd.DataFrame:
    if kind:
        df = df[df.kind == kind]
    if vendor:
        df = df[df.vendor_ids.map(lambda v: vendor in list(v))]
    if segment:
        df = df[df.segments.fillna("").str.split(", ").map(lambda v: segment in v)]
    if topic:
        df = df[df.topic_ids.map(lambda v: topic in list(v))]
    return df


@dataset("chips")
def _chips(s: Store, p: Mapping[str, str]) -> Download:
    df = filter_chips(chips_frame(s), p.get("segment"), p.get("vendor"), p.get("deployment"))
    df = grid.filtered(df, grid.load_model(p.get("filter"), dict), grid.load_model(p.get("sort"), list))
    return Download("accelerators (every figure dense, decimal units)", df, [SOURCES_NOTE])


@dataset("sources")
def _sources(s: Store, p: Mapping[str, str]) -> Download:
    return Download("sources", s.query("dashboard/sources_all"), ["this file is the list of sources"])


@dataset("compare")
def _compare(s: Store, p: Mapping[str, str]) -> Download:
    chip_ids = [c for c in (p.get("ids") or "").split(",") if c]
    cites = s.query("dashboard/chip_citations", chip_ids=chip_ids)
    chips = chips_frame(s)
    chips = chips[chips.chip_id.isin(chip_ids)]
    long = chips.melt(id_vars=["chip_id"], var_name="field", value_name="value")
    long = long.merge(cites[["chip_id", "field", "source_id", "url"]], on=["chip_id", "field"], how="left")
    return Download(f"compare {', '.join(chip_ids)}", long.sort_values(["field", "chip_id"]),
                    ["per figure in source_id / url (empty: the row's datasheet, see the chips download)"])


@dataset("events")
def _events(s: Store, p: Mapping[str, str]) -> Download:
    df = filter_events(events_frame(s), p.get("kind"), p.get("vendor"), p.get("segment"), p.get("topic"))
    df = df.drop(columns=["event_date"]).assign(vendor_ids=df.vendor_ids.map(" ".join),
                                                topic_ids=df.topic_ids.map(" ".join))
    return Download("events, newest first", df, ["per row in source / source_url; cards in cards"])


def _basis_sources(s: Store, basis: str) -> list[str]:
    return [basis_source(s, basis)]


@dataset("concentration")
def _concentration(s: Store, p: Mapping[str, str]) -> Download:
    basis = p.get("basis") or "products_announced_3y"
    df = concentration(s, basis=basis)
    df = df[df.basis == basis]
    if p.get("segment"):
        df = df[df.segment == p["segment"]]
    return Download(f"concentration per segment and year, basis {basis}", df, _basis_sources(s, basis))


@dataset("shares")
def _shares(s: Store, p: Mapping[str, str]) -> Download:
    basis = p.get("basis") or "products_announced_3y"
    segment = p.get("segment") or "training"
    df = s.query("dashboard/shares_by_year", basis=basis, segment=segment)
    return Download(f"vendor shares of {segment}, basis {basis}", df, _basis_sources(s, basis))


@dataset("findings")
def _findings(s: Store, p: Mapping[str, str]) -> Download:
    findings = cached(s, "findings", lambda: compute_findings(s))
    text = render_findings(findings, "csv")
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    srcs = sorted({f"{x['source_id']} | {x.get('publisher')} | {x.get('url')}" for f in findings for x in f.sources})
    return Download("findings", df, srcs)


def _vendor(p: Mapping[str, str]) -> str:
    v = p.get("vendor")
    if not v:
        raise UnknownName("the download needs ?vendor=<vendor_id>")
    return v


@dataset("vendor-chips")
def _vendor_chips(s: Store, p: Mapping[str, str]) -> Download:
    v = _vendor(p)
    return Download(f"accelerators of {v}", filter_chips(chips_frame(s), None, v, None), [SOURCES_NOTE])


@dataset("vendor-shares")
def _vendor_shares(s: Store, p: Mapping[str, str]) -> Download:
    v = _vendor(p)
    return Download(f"shares of {v} by basis", s.query("dashboard/vendor_shares", vendor_id=v),
                    ["each basis' sources: the concentration download of that basis"])


@dataset("vendor-events")
def _vendor_events(s: Store, p: Mapping[str, str]) -> Download:
    v = _vendor(p)
    return Download(f"events of {v}", s.query("dashboard/vendor_events", vendor_id=v), ["per row in source_url"])


@dataset("vendor-sources")
def _vendor_sources(s: Store, p: Mapping[str, str]) -> Download:
    v = _vendor(p)
    return Download(f"sources behind {v}", s.query("dashboard/vendor_sources", vendor_id=v),
                    ["this file is the list of sources"])


@dataset("mlperf")
def _mlperf(s: Store, p: Mapping[str, str]) -> Download:
    return Download("MLPerf throughput per accelerator and per dense PFLOP", s.query("dashboard/mlperf_per_chip"),
                    ["per row in source_url (MLCommons results)"])


@dataset("graph-neighbours")
def _graph_neighbours(s: Store, p: Mapping[str, str]) -> Download:
    g = graphview.graph(s)
    node = graphview.resolve(s, p.get("node"))
    d = graphview.details(g, node)
    return Download(f"links of {node}", pd.DataFrame(d["links"]), ["per row in source / url"])


@dataset("graph-path")
def _graph_path(s: Store, p: Mapping[str, str]) -> Download:
    g = graphview.graph(s)
    a, b = graphview.resolve(s, p.get("from")), graphview.resolve(s, p.get("to"))
    return Download(f"path {a} → {b}", pd.DataFrame(graphview.path(g, a, b)), ["per hop in source / url"])


@dataset("graph-view")
def _graph_view(s: Store, p: Mapping[str, str]) -> Download:
    g = graphview.graph(s)
    focus = graphview.resolve(s, p["node"]) if p.get("node") else None
    years = tuple(int(y) for y in p["years"].split("-")) if p.get("years", "").count("-") == 1 else None
    sub, _ = graphview.view(g, focus, [k for k in (p.get("kinds") or "").split(",") if k] or None,
                            p.get("segment"), years, int(p.get("cap") or graphview.DEFAULT_CAP))
    rows = []
    for a, b in sub.edges():
        for d in (g.get_edge_data(a, b) or {}).values() or (g.get_edge_data(b, a) or {}).values():
            src = graphview.source_of(g, d)
            rows.append({"from": a, "relation": d.get("relation"), "to": b, "source": src["source"],
                         "url": src["url"]})
    return Download("links in the graph view", pd.DataFrame(rows), ["per row in source / url"])


# ---------------------------------------------------------------- rendering

def header(s: Store | None, info: Mapping[str, Any], d: Download, params: Mapping[str, str]) -> list[str]:
    lines = [f"marketgraph · {d.title}",
             f"database built {info.get('built_at')} UTC by marketgraph {info.get('package_version')} "
             f"(data digest {str(info.get('data_digest', ''))[:12]})",
             f"rows: {len(d.frame)} (the whole view, not the page on screen)"]
    if params:
        lines.append("view: " + "&".join(f"{k}={v}" for k, v in params.items()))
    lines += [f"sources: {x}" for x in d.sources] + d.notes
    return [f"# {x}" for x in lines]


def render(d: Download, info: Mapping[str, Any], params: Mapping[str, str], fmt: str) -> tuple[str, str]:
    """(body, media type) of one download."""
    f = get_format(fmt)
    if f.name == "json":
        body = json.dumps({"title": d.title, "built_at": str(info.get("built_at")), "sources": d.sources,
                           "view": dict(params), "rows": records(d.frame)}, ensure_ascii=False, indent=1)
        return body, f.media_type
    if f.name != "csv":
        raise UnknownName(f"downloads are csv or json, not {fmt!r}")
    safe = d.frame.copy()
    safe.columns = [str(c) for c in safe.columns]
    for c in safe.columns:
        if safe[c].dtype == object or pd.api.types.is_string_dtype(safe[c]):
            safe[c] = safe[c].map(neutralise_formula)
    body = "\n".join(header(None, info, d, params)) + "\n" + f.table(safe) + "\n"
    return body, f.media_type


def make(name: str, params: Mapping[str, str]) -> tuple[str, str, str]:
    """(body, media type, filename) of a download, opening one Store (the console's SQL runs after it closes,
    on the guarded executor's own connection)."""
    fmt = params.get("_fmt", "csv")
    params = {k: v for k, v in params.items() if not k.startswith("_")}
    if name == "sql":
        with store() as s:
            info = s.build_info()
        sql = console_sql(params.get("q"))
        result = run_untrusted_sql(sql, db=current_db(), timeout_s=TIMEOUT_S, max_rows=MAX_ROWS)
        frame = result.frame
        frame.columns = _unique(list(frame.columns))
        d = Download("SQL console result", frame, ["the query's own tables: see /download/sources.csv"],
                     [f"query: {' '.join(sql.split())}"] +
                     ([f"stopped at the console's limit of {MAX_ROWS:,} rows"] if result.truncated else []))
    else:
        maker = DATASETS.get(name)
        if maker is None:
            raise UnknownName(f"no download named {name!r}; known: {', '.join(sorted(DATASETS))}, sql")
        with store() as s:
            info = s.build_info()
            d = maker(s, params)
    body, media = render(d, info, params, fmt)
    return body, media, f"marketgraph-{name}.{get_format(fmt).extension}"


def _unique(names: list[str]) -> list[str]:
    """Duplicate column names kept apart: name, name_2, name_3 (a CSV reader would merge them otherwise)."""
    seen: dict[str, int] = {}
    out = []
    for n in map(str, names):
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return out


def register_routes(server: flask.Flask) -> None:
    @server.route("/download/<name>.<fmt>")
    def download(name: str, fmt: str):
        params = {k: v for k, v in flask.request.args.items()}
        params["_fmt"] = fmt
        try:
            body, media, filename = make(name, params)
        except MarketgraphError as e:
            return flask.Response(f"{e}\n", status=400, mimetype="text/plain")
        except (KeyError, ValueError) as e:  # a hand-edited URL: say what is wrong, never a traceback
            return flask.Response(f"bad download parameters: {e}\n", status=400, mimetype="text/plain")
        return flask.Response(body, mimetype=f"{media}; charset=utf-8",
                              headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                       "Cache-Control": "no-store"})
