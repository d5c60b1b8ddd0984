"""The report model: everything a report says, computed from one Store, as data — no formatting, no markup.

Renderers (one per format, see :mod:`marketgraph.present.report`) turn a :class:`Report` into HTML, PDF, XLSX
or Markdown; none of them queries the database or types a number, so all four say the same thing. Findings come
from :func:`marketgraph.market.findings.compute_findings` as objects; tables from named queries; charts are
Plotly figures built from the same frames the tables show.

Citations: every block that states something sourced carries the numbers of its references, which the
:class:`Bibliography` hands out in order of first citation, so "[3]" means the same source on every page.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from ...errors import InvalidArgument, UnknownName
from ...knowledge.graph import build_graph
from ...market import metrics
from ...market.shipped import MIN_COVERAGE
from ...market.concentration import latest_year
from ...market.findings import compute_findings
from ...market.names import vendor_names
from ...store.db import Store
from .. import figures

SEGMENT_CHOICES = ("all", "training", "inference")
LEADING_PER_SEGMENT = 10  # leading parts listed per segment: the frontier, not the catalogue (XLSX has all)
CENTRAL_VENDORS = 12
PRIMARY_GRAPH_BASIS = "products_announced_3y"


# ---------------------------------------------------------------- the blocks a section is made of

@dataclass
class Text:
    text: str
    refs: list[int] = field(default_factory=list)


@dataclass
class FindingBlock:
    id: str
    statement: str
    basis: str
    numbers: dict[str, Any]
    caveats: list[str]
    refs: list[int]


@dataclass
class TableBlock:
    """A table as the reader sees it. ``frame`` keeps typed cells (numbers stay numbers); ``units`` maps a
    column to its unit for headers; ``refs`` is the column holding each row's reference numbers (a list)."""

    key: str
    title: str
    frame: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)
    refs: str | None = None
    note: str = ""


@dataclass
class ChartBlock:
    key: str
    title: str
    figure: go.Figure
    caption: str = ""
    width: int = 900
    height: int = 420


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Any] = field(default_factory=list)
    level: int = 1


@dataclass
class Reference:
    number: int
    source_id: str
    publisher: str
    title: str
    url: str
    accessed: str
    via: str | None
    licence: str | None


class Bibliography:
    """Numbers sources in order of first citation."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def cite(self, ids: Iterable[str | None]) -> list[int]:
        out = []
        for i in ids:
            if isinstance(i, str) and i:
                out.append(self._numbers.setdefault(i, len(self._numbers) + 1))
        return sorted(set(out))

    @property
    def ids(self) -> list[str]:
        return list(self._numbers)

    def references(self, store: Store) -> list[Reference]:
        rows = {r["source_id"]: r for r in store.rows("report/sources", ids=self.ids)}
        return [Reference(n, sid, rows[sid]["publisher"], rows[sid]["title"], rows[sid]["url"],
                          rows[sid]["accessed"].isoformat(), rows[sid]["via"], rows[sid]["licence"])
                for sid, n in self._numbers.items()]


@dataclass
class ReportOptions:
    segment: str = "all"
    since: int | None = None
    vendor: str | None = None
    title: str | None = None

    def check(self) -> None:
        if self.segment not in SEGMENT_CHOICES:
            raise InvalidArgument(f"unknown segment {self.segment!r}; use one of: {', '.join(SEGMENT_CHOICES)}")

    @property
    def segment_filter(self) -> str | None:
        return None if self.segment == "all" else self.segment


@dataclass
class Report:
    kind: str  # market | vendor
    title: str
    subtitle: str
    as_of: str
    data_digest: str
    built_at: str
    package_version: str
    options: ReportOptions
    sections: list[Section]
    references: list[Reference]
    # Full tables for the spreadsheet (sheet name -> frame with a source_ids column where rows are sourced).
    datasets: dict[str, pd.DataFrame]
    # The sources those sheets cite, with the sheets citing each.
    sheet_sources: pd.DataFrame

    def blocks(self) -> list[Any]:
        """Every block, subsections' included, in reading order."""
        out: list[Any] = []

        def walk(blocks):
            for b in blocks:
                out.append(b)
                if isinstance(b, Section):
                    walk(b.blocks)
        walk(self.sections)
        return out

    @property
    def charts(self) -> list[ChartBlock]:
        return [b for b in self.blocks() if isinstance(b, ChartBlock)]

    @property
    def tables(self) -> list[TableBlock]:
        return [b for b in self.blocks() if isinstance(b, TableBlock)]

    @property
    def findings(self) -> list[FindingBlock]:
        return [b for b in self.blocks() if isinstance(b, FindingBlock)]

    @property
    def filters_text(self) -> str:
        o = self.options
        parts = [f"segment: {o.segment}", f"since: {o.since if o.since is not None else 'all years'}"]
        if o.vendor:
            parts.append(f"vendor: {o.vendor}")
        return " · ".join(parts)


# ---------------------------------------------------------------- helpers

def _params(o: ReportOptions, *names: str) -> dict[str, Any]:
    every = {"segment": o.segment_filter, "since": o.since, "vendor": o.vendor}
    return {n: every[n] for n in names}


def _refs_column(df: pd.DataFrame, bib: Bibliography, ids_of_row) -> pd.DataFrame:
    df = df.copy()
    df["refs"] = [bib.cite(ids_of_row(r)) for r in df.itertuples(index=False)]
    return df


def _row_sources(store: Store, table: str) -> dict[str, list[str]]:
    return {sid: list(ids) for sid, ids in store.tuples("report/row_sources", table=table)}


def _interval(point, low, high, fmt: str = "{:,.0f}") -> str:
    if point is None or point != point:
        return ""
    text = fmt.format(point)
    if low == low and high == high and low is not None and (low != point or high != point):
        text += f" ({fmt.format(low)}–{fmt.format(high)})"
    return text


def basis_label(r) -> str:
    """A published basis as readers name it (scope, geography, measure); other bases by their id."""
    if r.kind in ("published", "forecast") and isinstance(r.scope, str):
        measure = str(r.measure).replace("_share_pct", " share")
        return f"{r.kind}: {r.scope} ({r.geography}, {measure}, {r.source_id})"
    return r.basis


def _shared_text_as_note(t: pd.DataFrame, column: str, lead: str) -> tuple[pd.DataFrame, str]:
    """A text column with one value on every row becomes a note under the table instead of a tall column."""
    values = t[column].dropna().unique()
    if len(values) == 1:
        return t.drop(columns=[column]), f"{lead} {values[0]}."
    return t, ""


def _long_text_as_notes(t: pd.DataFrame, column: str, limit: int = 60) -> tuple[pd.DataFrame, str]:
    """Long texts in a column become numbered notes under the table (a narrow column of prose is unreadable)."""
    if column not in t or not t[column].dropna().map(lambda v: len(str(v)) > limit).any():
        return t, ""
    notes, marks = [], []
    for v in t[column]:
        if isinstance(v, str) and v:
            if v not in notes:
                notes.append(v)
            marks.append(f"note {notes.index(v) + 1}")
        else:
            marks.append("")
    return t.assign(**{column: marks}), " ".join(f"Note {i}: {n}" for i, n in enumerate(notes, 1))


def _money(v: float) -> str:
    for div, unit in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if abs(v) >= div:
            return f"${v / div:,.3g} {unit}"
    return f"${v:,.0f}"


def estimate_value(value, low, high, unit: str) -> str:
    """A published figure in its unit, with its range: 80.6%, 60–70%, $1.8 bn, 2,670,000 units."""
    def one(v):
        if unit == "pct":
            return f"{v:g}%"
        if unit == "usd":
            return _money(v)
        return f"{v:,.0f}"
    has_range = low == low and high == high and low is not None and high is not None
    if value == value and value is not None:
        return one(value) + (f" ({one(low)}–{one(high)})" if has_range and (low != value or high != value) else "")
    if has_range:
        return f"{one(low)}–{one(high)}"
    if low == low and low is not None:
        return f"≥ {one(low)}"
    return f"≤ {one(high)}" if high == high and high is not None else ""


def _header(store: Store, options: ReportOptions) -> dict[str, Any]:
    info = store.build_info()
    as_of = store.first("report/as_of")[0]
    return {"as_of": as_of.isoformat() if as_of else "unknown",
            "data_digest": str(info.get("data_digest", "")),
            "built_at": info["built_at"].strftime("%Y-%m-%d %H:%M UTC") if info.get("built_at") else "unknown",
            "package_version": str(info.get("package_version", ""))}


# ---------------------------------------------------------------- the market report

def build_report(store: Store, options: ReportOptions | None = None) -> Report:
    """The report for ``options`` (a vendor profile when ``options.vendor`` is set), computed from ``store``.

    >>> with open_store(path) as store:                        # doctest: +SKIP
    ...     report = build_report(store, ReportOptions(segment="training", since=2018))
    """
    options = options or ReportOptions()
    options.check()
    if options.vendor:
        return _vendor_profile(store, options)
    bib = Bibliography()
    names = vendor_names(store)
    findings = compute_findings(store)
    sections = [
        _summary(findings, bib, options),
        _concentration(store, bib, options, names),
        _market_data(store, bib, options),
        _vendors(store, bib, options),
        _chips(store, bib, options),
        _timeline(store, bib, options),
        _knowledge_graph(store, options, names),
        _methodology(store, bib, findings),
    ]
    header = _header(store, options)
    title = options.title or "The AI-accelerator market: training dominance and inference diversification"
    subtitle = f"Market report · {options.segment if options.segment != 'all' else 'training and inference'}"
    datasets = _datasets(store, options)
    return Report("market", title, subtitle, **header, options=options, sections=sections,
                  references=bib.references(store), datasets=datasets,
                  sheet_sources=dataset_sources(store, datasets))


def _summary(findings, bib: Bibliography, options: ReportOptions) -> Section:
    seg = options.segment_filter
    blocks: list[Any] = [Text(
        "Each statement below is computed from the database when the report is made: its numbers, the basis "
        "they were computed under, its caveats and its sources. Nothing in it is typed in.")]
    for f in findings:
        # A segment report keeps the findings about that segment and those about the market as a whole.
        other = {"training": "inference", "inference": "training"}.get(seg or "")
        if other and f.id.startswith(other + "-"):
            continue
        blocks.append(FindingBlock(f.id, f.statement, f.basis, dict(f.numbers), list(f.caveats),
                                   bib.cite(s["source_id"] for s in f.sources)))
    return Section("summary", "Executive summary", blocks)


def _concentration(store: Store, bib: Bibliography, options: ReportOptions, names: dict[str, str]) -> Section:
    df = store.query("report/concentration", **_params(options, "segment", "since"))
    threshold = metrics.MERGER_GUIDELINES_2023.highly_concentrated_hhi
    blocks: list[Any] = [Text(
        f"Concentration per segment and share basis. HHI runs from 0 to 10,000; the 2023 Merger Guidelines call a "
        f"market with an HHI above {threshold:,.0f} highly concentrated, a threshold that applies only to bases "
        "whose shares are market shares (what ships, or what a source published as a share). Product-count bases "
        "measure breadth of supply, not market share. Intervals in brackets are the 5th–95th percentiles of the "
        "Monte Carlo over each input's range where the basis has one. Coverage says how much of the market a "
        "basis can attribute; below 100% the HHI is a lower bound.")]
    if df.empty:
        blocks.append(Text("The database has no concentration rows for these options."))
        return Section("concentration", "Market concentration", blocks)
    for seg in [s for s in ("training", "inference", "all") if s in set(df.segment)]:
        d = df[df.segment == seg]
        sub = Section(f"concentration-{seg}", f"{seg.capitalize()}" if seg != "all"
                      else "The whole market (training and inference together)", [], level=2)
        trend = d[d.groupby("basis").year.transform("count") >= 2]
        if not trend.empty:
            sub.blocks.append(ChartBlock(
                f"concentration-{seg}", f"HHI over time, {seg}", figures.concentration_intervals_figure(trend, seg),
                "HHI per basis and year; bars span the 5th–95th percentile where the basis has an interval. "
                f"Dotted line: {threshold:,.0f} (2023 Merger Guidelines)."))
        # The latest year each basis may be stated for: complete and at least half covered (a partial or
        # low-coverage year would read as a finding the data cannot support); the latest year where none is.
        stateable = d[(~d.is_partial.fillna(False).astype(bool)) & (d.coverage_pct.fillna(0) >= MIN_COVERAGE)]
        pool = pd.concat([stateable, d[~d.basis.isin(stateable.basis)]])
        latest = pool[pool.year == pool.groupby("basis").year.transform("max")]
        t = pd.DataFrame({
            "basis": [basis_label(r) for r in latest.itertuples(index=False)],
            "market share?": latest.is_market_share.map({True: "yes", False: "no"}),
            "year": latest.year, "top vendor": latest.top_vendor.fillna(latest.top_vendor_id),
            "CR1": latest.cr1, "CR1 5–95%": [_interval(p, lo, hi, "{:.1f}")
                                             for p, lo, hi in zip(latest.cr1, latest.cr1_low, latest.cr1_high)],
            "HHI": latest.hhi, "HHI 5–95%": [_interval(p, lo, hi) for p, lo, hi in
                                             zip(latest.hhi, latest.hhi_low, latest.hhi_high)],
            "effective vendors": latest.effective_vendors, "vendors": latest.vendor_count,
            "coverage": latest.coverage_pct,
            "coverage means": [n if isinstance(n, str) and n else m
                               for n, m in zip(latest.coverage_note, latest.coverage_meaning)],
            "source_id": latest.source_id,
        })
        # An interval column only where some basis has an interval; otherwise it would repeat the point.
        for col, point in (("CR1 5–95%", "CR1"), ("HHI 5–95%", "HHI")):
            if not t[col].str.contains("–").any():
                t = t.drop(columns=[col])
        t = _refs_column(t, bib, lambda r: [r.source_id]).drop(columns=["source_id"])
        t, note = _shared_text_as_note(t, "coverage means", "Coverage is")
        t, more = _long_text_as_notes(t, "coverage means")
        note = " ".join(x for x in (note, more) if x)
        sub.blocks.append(TableBlock(f"concentration-{seg}", f"Latest year per basis, {seg}", t.reset_index(drop=True),
                                     {"CR1": "%", "HHI": "0–10,000", "coverage": "%"}, "refs", note))
        blocks.append(sub)
    return Section("concentration", "Market concentration", blocks)


def _market_data(store: Store, bib: Bibliography, options: ReportOptions) -> Section:
    ship = store.query("report/shipments", **_params(options, "vendor", "since"))
    est = store.query("report/estimates", **_params(options, "vendor", "since", "segment"))
    blocks: list[Any] = [Text(
        "The inputs behind the shipped and published bases: units shipped per part (modelled series with their "
        "5th–95th percentiles, reported and analyst figures as published) and the published market figures, each "
        "in its source's own scope.")]
    if not ship.empty:
        t = ship.assign(period=[f"{x:%Y-%m}–{y:%Y-%m}" for x, y in zip(ship.period_start, ship.period_end)],
                        range=[_interval(p, lo, hi).partition(" ")[2].strip("()") for p, lo, hi in
                               zip(ship.units, ship.units_low, ship.units_high)])
        t = _refs_column(t, bib, lambda r: [r.source_id])
        blocks.append(TableBlock("shipments", "Shipments", t[[
            "period", "vendor", "chip", "units", "range", "h100e", "method", "interval", "refs"]]
            .reset_index(drop=True), {"units": "units", "h100e": "H100e"}, "refs"))
    else:
        blocks.append(Text("No shipment rows match these options."))
    if not est.empty:
        t = est.assign(figure=[estimate_value(v, lo, hi, u) for v, lo, hi, u in
                               zip(est.value, est.low, est.high, est.unit)],
                       measure=est.measure.str.replace("_pct", "").str.replace("_usd", "").str.replace("_", " "),
                       forecast=est.is_forecast.map({True: "forecast", False: ""}))
        t = _refs_column(t, bib, lambda r: [r.source_id])
        blocks.append(TableBlock("estimates", "Published market figures", t[[
            "year", "segment", "scope", "measure", "vendor", "figure", "geography", "forecast", "refs"]]
            .reset_index(drop=True), {}, "refs"))
    return Section("market-data", "Shipments and published estimates", blocks)


def _vendors(store: Store, bib: Bibliography, options: ReportOptions) -> Section:
    df = store.query("report/vendors", **_params(options, "since", "vendor"))
    srcs = _row_sources(store, "vendors")
    df = _refs_column(df, bib, lambda r: srcs.get(r.vendor_id, []))
    kinds = df.groupby("kind").vendor_id.count().sort_values(ascending=False)
    countries = df.groupby("country").vendor_id.count().sort_values(ascending=False)
    text = (f"{len(df)} vendors have announced at least one accelerator{' since ' + str(options.since) if options.since else ''}: "
            + ", ".join(f"{n} {k.replace('_', ' ')}{'s' if n != 1 else ''}" for k, n in kinds.items())
            + "; by headquarters " + ", ".join(f"{c} {n}" for c, n in countries.head(6).items()) + ".")
    t = df[["name", "country", "kind", "parent", "chips", "training_chips", "inference_chips", "both_chips",
            "first_year", "latest_year", "refs"]].rename(columns={
                "name": "vendor", "training_chips": "training", "inference_chips": "inference", "both_chips": "both",
                "first_year": "first", "latest_year": "latest"})
    return Section("vendors", "Vendor landscape", [Text(text), TableBlock(
        "vendors", "Vendors by accelerators announced (training / inference / both: the vendor's positioning)",
        t, {}, "refs")])


def _chips(store: Store, bib: Bibliography, options: ReportOptions) -> Section:
    srcs = _row_sources(store, "chips")
    lead = store.query("report/leading_chips", **_params(options, "segment", "since", "vendor"),
                       per_segment=LEADING_PER_SEGMENT)
    blocks: list[Any] = [Text(
        f"The {LEADING_PER_SEGMENT} leading data-centre parts per segment by dense FP16-equivalent peak (BF16, "
        "else FP16, else half of FP8 or INT8; systems left out as they repackage counted chips). Parts positioned "
        "for both segments appear in each. All figures are dense and in decimal units.")]
    for seg in [s for s in ("training", "inference") if s in set(lead.segment)]:
        d = _refs_column(lead[lead.segment == seg], bib, lambda r: srcs.get(r.chip_id, []))
        blocks.append(TableBlock(f"chips-{seg}", f"Leading {seg} parts", d[[
            "rank", "vendor", "chip", "year", "positioned", "fp16e_tflops", "fp8_tflops", "memory_gb",
            "memory_bandwidth_tbs", "tdp_w", "refs"]].rename(columns={
                "fp16e_tflops": "FP16e", "fp8_tflops": "FP8", "memory_gb": "memory", "memory_bandwidth_tbs":
                "bandwidth", "tdp_w": "TDP"}).reset_index(drop=True),
            {"FP16e": "TFLOPS", "FP8": "TFLOPS", "memory": "GB", "bandwidth": "TB/s", "TDP": "W"}, "refs"))
    specs = store.query("report/chip_specs", **_params(options, "segment", "since", "vendor"))
    if not specs.empty:
        blocks.append(ChartBlock("chip-specs", "Compute against memory bandwidth",
                                 figures.chip_spec_figure(specs),
                                 f"{len(specs)} data-centre parts with both figures published; log scales."))
    return Section("chips", "Accelerators", blocks)


def _timeline(store: Store, bib: Bibliography, options: ReportOptions) -> Section:
    srcs = _row_sources(store, "events")
    ev = store.query("report/events", **_params(options, "since", "vendor", "segment"))
    blocks: list[Any] = []
    if ev.empty:
        return Section("timeline", "Timeline of key events", [Text("No curated events match these options.")])
    blocks.append(ChartBlock("events-per-year", "Curated events per year", figures.events_per_year_figure(ev),
                             f"{len(ev)} curated events by kind.", height=360))
    t = _refs_column(ev, bib, lambda r: srcs.get(r.event_id, []))
    blocks.append(TableBlock("events", "Events", t[["date", "title", "kind", "vendors", "refs"]].reset_index(drop=True),
                             {}, "refs"))
    return Section("timeline", "Timeline of key events", blocks)


def central_vendors(store: Store, limit: int = CENTRAL_VENDORS) -> pd.DataFrame:
    """The vendors most central in the knowledge graph: PageRank over the graph without sources (which every
    fact links to and would swamp the ranking), with each vendor's chips, events and card mentions."""
    g = build_graph(store)
    h = nx.Graph()
    h.add_nodes_from(n for n, d in g.nodes(data=True) if d.get("kind") != "source")
    h.add_edges_from((u, v) for u, v, d in g.edges(data=True) if u in h and v in h)
    pr = nx.pagerank(h)
    rows = []
    for n, d in g.nodes(data=True):
        if d.get("kind") != "vendor":
            continue
        rel = [e["relation"] for _, _, e in g.out_edges(n, data=True)] + [
            e["relation"] for _, _, e in g.in_edges(n, data=True)]
        rows.append({"vendor_id": n.split(":", 1)[1], "vendor": d.get("label"), "pagerank": pr.get(n, 0.0),
                     "links": h.degree(n) if n in h else 0, "chips": rel.count("MAKES"),
                     "events": rel.count("INVOLVES"), "card mentions": rel.count("MENTIONS")})
    df = pd.DataFrame(rows, columns=["vendor_id", "vendor", "pagerank", "links", "chips", "events", "card mentions"])
    df = df.sort_values(["pagerank", "vendor_id"], ascending=[False, True]).head(limit).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    return df


def _knowledge_graph(store: Store, options: ReportOptions, names: dict[str, str]) -> Section:
    cv = central_vendors(store)
    blocks: list[Any] = [Text(
        "The knowledge graph links vendors, chips, segments, events, knowledge cards and sources. Centrality is "
        "PageRank over the graph without its source nodes: a vendor ranks high when it makes many parts and is "
        "linked to many events and card topics."),
        TableBlock("central-vendors", "Most central vendors", cv.drop(columns=["vendor_id"]))]
    year = latest_year(store, PRIMARY_GRAPH_BASIS)
    if year is not None:
        blocks.append(ChartBlock(
            "vendor-segment-graph", "The vendor–segment graph",
            figures.market_graph_figure(store, year, basis=PRIMARY_GRAPH_BASIS),
            f"Vendors placed between the training (left) and inference (right) segments by where their "
            f"{PRIMARY_GRAPH_BASIS} shares lie in the window ending {year}; edge width is the share.",
            width=1000, height=560))
    return Section("knowledge-graph", "The knowledge graph", blocks)


def _bases_table(bases: pd.DataFrame, bib: Bibliography) -> TableBlock:
    t = pd.DataFrame({"basis": [basis_label(r) for r in bases.itertuples(index=False)], "kind": bases.kind,
                      "market share?": bases.is_market_share.map({True: "yes", False: "no"}),
                      "draws": bases.draws, "coverage is": bases.coverage_meaning, "source_id": bases.source_id})
    t = _refs_column(t, bib, lambda r: [r.source_id]).drop(columns=["source_id"])
    if t.draws.isna().all():
        t = t.drop(columns=["draws"])
    meanings = bases.drop_duplicates("kind").set_index("kind").coverage_meaning
    if bases.groupby("kind").coverage_meaning.nunique().max() == 1:
        t = t.drop(columns=["coverage is"])
        note = "Coverage is, " + "; ".join(f"for {k} bases: {m}" for k, m in meanings.items()) + "."
    else:
        note = ""
    return TableBlock("bases", "Share bases", t, {}, "refs", note)


def _methodology(store: Store, bib: Bibliography, findings) -> Section:
    bases = store.query("report/bases")
    g = metrics.MERGER_GUIDELINES_2023
    alloc = store.query("report/allocation")
    draws = sorted({int(d) for d in bases.draws.dropna()})
    blocks: list[Any] = [
        Text("Bases. Each concentration row is computed under one share basis; the catalogue below says what "
             "each counts, whether its shares are market shares, and what its coverage is a percentage of."),
        _bases_table(bases, bib),
        Text("Allocation. Parts positioned for both training and inference are split between the segments by "
             "the share of each designer's shipped compute used for inference, with a plausible range that the "
             "sensitivity analysis sweeps; a row without a vendor is the default for designers without one."
             + ("" if not alloc.empty else " This database has no allocation rows."),
             bib.cite(alloc.source_id) if not alloc.empty else []),
    ]
    if not alloc.empty:
        t = _refs_column(alloc, bib, lambda r: [r.source_id])
        blocks.append(TableBlock("allocation", "Inference share of 'both' parts", t[[
            "vendor", "year_from", "year_to", "inference_pct", "inference_pct_low", "inference_pct_high", "refs"]]
            .rename(columns={"year_from": "from", "year_to": "to", "inference_pct": "inference",
                             "inference_pct_low": "low", "inference_pct_high": "high"}),
            {"inference": "%", "low": "%", "high": "%"}, "refs"))
    blocks += [
        Text("Monte Carlo. Where inputs carry ranges (modelled percentiles, published ranges, allocation ranges), "
             "each interval is the 5th–95th percentile of a seeded simulation over them, widened where needed to "
             "contain the point; "
             + (f"the bases here use {', '.join(f'{d:,}' for d in draws)} draws." if draws
                else "no basis in this database has ranged inputs, so every interval equals its point.")),
        Text(f"Thresholds. {g.issuer}, {g.title} ({g.issued}), {g.section}: a market with an HHI above "
             f"{g.highly_concentrated_hhi:,.0f} is highly concentrated; a change above {g.significant_delta_hhi:,.0f} "
             f"is a significant increase; a merged share above {g.merged_share_pct:.0f}% with such a change also "
             f"triggers the presumption. {g.url}"),
    ]
    caveats = list(dict.fromkeys(c for f in findings for c in f.caveats))
    if caveats:
        blocks.append(Text("Caveats. " + " ".join(caveats)))
    return Section("methodology", "Methodology", blocks)


# ---------------------------------------------------------------- the full tables (spreadsheet)

def _datasets(store: Store, options: ReportOptions) -> dict[str, pd.DataFrame]:
    """Every table a spreadsheet reader wants, filtered by the options, each row with the ids of its sources."""
    chip_src, vendor_src, event_src = (_row_sources(store, t) for t in ("chips", "vendors", "events"))
    conc = store.query("report/concentration", **_params(options, "segment", "since"))
    chips = store.query("chips_overview", segment=options.segment_filter, vendor=options.vendor, deployment=None)
    if options.since is not None:
        chips = chips[chips.year >= options.since]
    vendors = store.query("report/vendors", **_params(options, "since", "vendor"))
    events = store.query("report/events", **_params(options, "since", "vendor", "segment"))
    ship = store.query("report/shipments", **_params(options, "vendor", "since"))
    est = store.query("report/estimates", **_params(options, "vendor", "since", "segment"))

    def ids(keys, table):
        return [" ".join(table.get(k, [])) for k in keys]

    conc = conc.assign(source_ids=conc.source_id.fillna("")).drop(columns=["source_id"])
    chips = chips.assign(source_ids=ids(chips.chip_id, chip_src)).reset_index(drop=True)
    vendors = vendors.assign(source_ids=ids(vendors.vendor_id, vendor_src))
    events = events.assign(source_ids=ids(events.event_id, event_src))
    ship = ship.rename(columns={"source_id": "source_ids"})
    est = est.rename(columns={"source_id": "source_ids"})
    return {"concentration": conc, "vendors": vendors, "chips": chips, "events": events, "shipments": ship,
            "estimates": est}


def dataset_sources(store: Store, datasets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The sources cited by the spreadsheet's sheets, with the sheets that cite each."""
    cited: dict[str, list[str]] = {}
    for name, df in datasets.items():
        for cell in df.get("source_ids", pd.Series(dtype=str)):
            for sid in str(cell or "").split():
                if name not in cited.setdefault(sid, []):
                    cited[sid].append(name)
    rows = store.rows("report/sources", ids=sorted(cited))
    out = pd.DataFrame(rows, columns=["source_id", "publisher", "title", "url", "accessed", "published",
                                      "published_precision", "source_type", "licence", "via"])
    out["cited_in"] = [", ".join(cited[s]) for s in out.source_id]
    return out


# ---------------------------------------------------------------- a vendor profile

def _vendor_profile(store: Store, options: ReportOptions) -> Report:
    rows = store.rows("report/vendor", vendor=options.vendor)
    if not rows:
        known = [v for v, _ in store.tuples("report/vendor_ids")]
        close = [k for k in known if options.vendor.lower() in k][:8]
        raise UnknownName(f"no vendor {options.vendor!r}" + (f"; did you mean: {', '.join(close)}" if close else
                                                             f"; {len(known)} vendors, e.g. {', '.join(known[:8])}"))
    v = rows[0]
    bib = Bibliography()
    vsrc = _row_sources(store, "vendors").get(v["vendor_id"], [])
    kind = v["kind"].replace("_", " ")
    article = "an" if kind[:1] in "aeiou" else "a"
    facts = [f"{v['name']} ({v['vendor_id']}) is {article} {kind} headquartered in {v['country']}"]
    if v["founded_year"]:
        facts.append(f"founded in {v['founded_year']}")
    if v["parent"]:
        facts.append(f"part of {v['parent']}" + (f" since {v['parent_since_year']}" if v["parent_since_year"] else ""))
    overview = [Text(", ".join(facts) + "." + (f" {v['notes']}" if v["notes"] else ""), bib.cite(vsrc))]
    if v["website"]:
        overview.append(Text(f"Website: {v['website']}"))

    chip_src = _row_sources(store, "chips")
    chips = store.query("report/vendor_chips", vendor=v["vendor_id"], since=options.since)
    chips = _refs_column(chips, bib, lambda r: chip_src.get(r.chip_id, []))
    chip_blocks: list[Any] = [Text(f"{len(chips)} accelerators in the database"
                                   f"{' announced since ' + str(options.since) if options.since else ''}.")]
    if not chips.empty:
        chips = chips.assign(where=chips.deployment + " " + chips.form)
        chip_blocks.append(TableBlock("vendor-chips", "Accelerators", chips[[
            "chip", "family", "year", "segment", "where", "bf16_tflops", "fp8_tflops", "int8_tops", "memory_gb",
            "memory_bandwidth_tbs", "tdp_w", "refs"]].rename(columns={
            "bf16_tflops": "BF16", "fp8_tflops": "FP8", "int8_tops": "INT8", "memory_gb": "memory",
            "memory_bandwidth_tbs": "bandwidth", "tdp_w": "TDP"}),
            {"BF16": "TFLOPS", "FP8": "TFLOPS", "INT8": "TOPS", "memory": "GB", "bandwidth": "TB/s", "TDP": "W"},
            "refs"))
    specs = store.query("report/chip_specs", segment=None, since=options.since, vendor=v["vendor_id"])
    if not specs.empty:
        chip_blocks.append(ChartBlock("vendor-chip-specs", "Compute against memory bandwidth",
                                      figures.chip_spec_figure(specs), f"{len(specs)} data-centre parts; log scales."))

    sh = store.query("report/vendor_shares", vendor=v["vendor_id"], since=options.since)
    share_blocks: list[Any] = []
    if sh.empty:
        share_blocks.append(Text(f"No share basis in the database attributes a share to {v['name']}."))
    else:
        share_blocks.append(Text(
            f"{v['name']}'s share under every basis that attributes one; product-count bases are breadth, not "
            "market share. Ranges are the 5th–95th percentiles where the basis has them."))
        trend = sh[sh.kind.isin(["products_announced_3y", "shipped_units", "shipped_h100e", "shipped_compute"])]
        if trend.year.nunique() >= 2:
            share_blocks.append(ChartBlock("vendor-shares", f"{v['name']}'s share over time",
                                           figures.vendor_share_figure(trend, v["name"]), height=380))
        latest = sh[sh.year == sh.groupby(["segment", "basis"]).year.transform("max")]
        t = latest.assign(**{"share 5–95%": [_interval(p, lo, hi, "{:.1f}") for p, lo, hi in
                                              zip(latest.share_pct, latest.share_low_pct, latest.share_high_pct)],
                             "market share?": latest.is_market_share.map({True: "yes", False: "no"}),
                             "basis": [basis_label(r) for r in latest.itertuples(index=False)]})
        t = _refs_column(t, bib, lambda r: [r.source_id])
        cols = ["segment", "year", "basis", "market share?", "share_pct", "share 5–95%", "coverage_pct", "refs"]
        if not t["share 5–95%"].str.contains("–").any():
            cols.remove("share 5–95%")  # no basis has an interval: the column would repeat the share
        share_blocks.append(TableBlock("vendor-share-table", "Latest share per basis", t[cols]
            .rename(columns={"share_pct": "share", "coverage_pct": "coverage"}).reset_index(drop=True),
            {"share": "%", "coverage": "%"}, "refs"))

    ev = store.query("report/events", since=options.since, vendor=v["vendor_id"], segment=None)
    ev_src = _row_sources(store, "events")
    ev_blocks: list[Any] = [Text(f"{len(ev)} curated events concern {v['name']}.")]
    if not ev.empty:
        t = _refs_column(ev, bib, lambda r: ev_src.get(r.event_id, []))
        ev_blocks.append(TableBlock("vendor-events", "Events", t[["date", "title", "kind", "refs"]], {}, "refs"))

    sections = [Section("overview", "Overview", overview), Section("chips", "Accelerators", chip_blocks),
                Section("shares", "Shares", share_blocks), Section("timeline", "Events", ev_blocks)]
    header = _header(store, options)
    ds = _datasets(store, ReportOptions("all", options.since, v["vendor_id"]))
    ds.pop("concentration")
    ds["shares"] = sh.rename(columns={"source_id": "source_ids"})
    return Report("vendor", options.title or f"{v['name']}: vendor profile", "Vendor profile", **header,
                  options=options, sections=sections, references=bib.references(store), datasets=ds,
                  sheet_sources=dataset_sources(store, ds))
