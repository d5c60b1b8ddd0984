"""Every table and column of the marketgraph store, declared once.

The DuckDB DDL (with PRIMARY KEY / FOREIGN KEY / CHECK / NOT NULL and ``COMMENT ON``), the CSV validation in
:mod:`marketgraph.store.load` and the data dictionary (``marketgraph schema``, docs/schema.md) are all rendered
from the declarations below (renderers in :mod:`marketgraph.store.render`), so documentation cannot drift from
the database. Table and column names are a public
interface: analysts' SQL depends on them. Add, never rename.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import UnknownName

SLUG_PATTERN = r"[a-z0-9]+(?:[-_.][a-z0-9]+)*"


def slugify(text: str, empty: str = "") -> str:
    """A lowercase id from free text: ``'Training vs Inference'`` → ``'training-vs-inference'``.

    >>> slugify("CUDA: the Software Moat!")
    'cuda-the-software-moat'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or empty


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type: VARCHAR, INTEGER, DOUBLE, DATE, TIMESTAMP, BOOLEAN
    description: str
    unit: str | None = None
    required: bool = False
    choices: tuple[str, ...] | None = None
    ge: float | None = None  # inclusive lower bound
    le: float | None = None  # inclusive upper bound
    slug: bool = False  # lowercase identifier, SLUG_PATTERN
    references: str | None = None  # "table.column"
    # A DATE column given in the CSV as YYYY, YYYY-MM or YYYY-MM-DD; the precision goes to this column.
    precision_column: str | None = None
    # (function, source column): the value is computed by the loader, never read from the file.
    derive: tuple[str, str] | None = None

    @property
    def from_file(self) -> bool:
        return self.derive is None


@dataclass(frozen=True)
class PolyRef:
    """A reference whose target table is named by another column (e.g. citations.subject_table)."""

    kind_column: str
    id_column: str
    targets: dict[str, str]  # value of kind_column -> table name
    field_column: str | None = None  # optional column that must name a column of the target table


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    csv: str | None = None  # file in data/ this table is loaded from
    origin: str = "data"  # data | cards | build | analytics
    polyrefs: tuple[PolyRef, ...] = ()

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise UnknownName(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def file_columns(self) -> list[Column]:
        return [c for c in self.columns if c.from_file and not self.is_precision(c.name)]

    def is_precision(self, name: str) -> bool:
        return any(c.precision_column == name for c in self.columns)


@dataclass(frozen=True)
class View:
    """A view over the tables; its definition is ``store/queries/views/<name>.sql`` (DDL, run by the build)."""

    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


PRECISIONS = ("day", "month", "year")
SEGMENTS_OF_CHIPS = ("training", "inference", "both")


def _id(name: str, what: str) -> Column:
    return Column(name, "VARCHAR", f"Stable identifier of the {what}: a lowercase slug.", required=True, slug=True)


def _date(name: str, what: str, required: bool = False, precision: str | None = None) -> tuple[Column, Column]:
    precision = precision or f"{name}_precision"
    return (
        Column(name, "DATE", f"{what}. Stored as the first day of the period when only the month or year is "
               f"known; see {precision}.", required=required, precision_column=precision),
        Column(precision, "VARCHAR", f"How precisely {name} is known: day, month or year. Derived from "
               "the form of the date in the data file.", choices=PRECISIONS),
    )


def _tflops(name: str, what: str) -> Column:
    return Column(name, "DOUBLE", what, unit="TFLOPS (10^12 FLOP/s)", ge=0)


SEGMENTS = Table(
    "segments",
    "Market segments an accelerator or estimate can belong to. `all` is the whole AI-accelerator market "
    "(training and inference together), used by estimates that do not split the two.",
    (
        _id("segment_id", "segment"),
        Column("name", "VARCHAR", "Display name.", required=True),
        Column("description", "VARCHAR", "What the segment covers.", required=True),
    ),
    primary_key=("segment_id",),
    csv="segments.csv",
)

VENDORS = Table(
    "vendors",
    "Companies and institutions that design AI accelerators.",
    (
        _id("vendor_id", "vendor"),
        Column("name", "VARCHAR", "The brand as analysts say it: NVIDIA, Google, AWS, AMD.", required=True),
        Column("country", "VARCHAR", "Headquarters, ISO 3166-1 alpha-2 code (US, CN, GB …).", required=True),
        Column("kind", "VARCHAR", "incumbent: established chip company; hyperscaler: cloud/platform company "
               "designing its own chips; startup: venture-funded chip company; device_maker: makes chips for "
               "its own devices; research: university or national lab.", required=True,
               choices=("incumbent", "hyperscaler", "startup", "device_maker", "research")),
        Column("founded_year", "INTEGER", "Year the company was founded.", unit="year", ge=1800, le=2100),
        Column("parent_vendor_id", "VARCHAR", "The group that owns this vendor now (habana → intel).",
               references="vendors.vendor_id"),
        Column("parent_since_year", "INTEGER", "Year the parent acquired or spun off this vendor.", unit="year",
               ge=1900, le=2100),
        Column("website", "VARCHAR", "Home page."),
        Column("notes", "VARCHAR", "Free-text remarks."),
    ),
    primary_key=("vendor_id",),
    csv="vendors.csv",
)

SOURCES = Table(
    "sources",
    "Where figures come from. Every figure in the store cites one of these through `citations` or a "
    "`source_id` column.",
    (
        _id("source_id", "source"),
        Column("publisher", "VARCHAR", "Who published it (NVIDIA, Google Cloud, arXiv, TrendForce).", required=True),
        Column("title", "VARCHAR", "Title as on the page.", required=True),
        Column("url", "VARCHAR", "Exact address of the page that was read.", required=True),
        Column("accessed", "DATE", "When the page was read to confirm the figures.", required=True),
        *_date("published", "When the source itself was published"),
        Column("source_type", "VARCHAR", "Kind of source; primary kinds (datasheet, vendor_docs, vendor_press, "
               "paper, filing) outrank secondary ones.", required=True,
               choices=("datasheet", "vendor_docs", "vendor_press", "vendor_blog", "paper", "filing", "news",
                        "analyst", "dataset", "reference")),
        Column("licence", "VARCHAR", "Licence of the material where it asks for attribution (e.g. CC-BY-4.0)."),
        Column("via", "VARCHAR", "The outlet the figure was read in when it is not the publisher: for an analyst "
               "estimate, publisher is the firm that made it (TechInsights) and via the outlet that reported it "
               "(Tom's Hardware)."),
        Column("notes", "VARCHAR", "Free-text remarks."),
    ),
    primary_key=("source_id",),
    csv="sources.csv",
)

CHIPS = Table(
    "chips",
    "AI accelerators, one row per package as sold (chip, card, module or system). All FLOP/OP figures are "
    "dense (no structured sparsity) and all units decimal (TB/s = 10^12 bytes/s, GB = 10^9 bytes).",
    (
        _id("chip_id", "accelerator"),
        Column("vendor_id", "VARCHAR", "Vendor that sells it.", required=True, references="vendors.vendor_id"),
        Column("name", "VARCHAR", "Full marketing name with generation and variant, as the vendor writes it, "
               "without the vendor: 'Tesla K20X', 'H100 SXM5 80GB', 'TPU v4', 'Instinct MI300X'.", required=True),
        Column("family", "VARCHAR", "Product line or architecture: Hopper, TPU, Instinct CDNA 3.", required=True),
        Column("variant_of", "VARCHAR", "The base SKU this row is a variant of (H100 PCIe → H100 SXM5).",
               references="chips.chip_id"),
        Column("predecessor_id", "VARCHAR", "The previous generation in the same line.", references="chips.chip_id"),
        *_date("announced", "First public announcement (empty when no source we read dates it)"),
        Column("year", "INTEGER", "Year of announcement (from `announced`).", unit="year",
               derive=("year", "announced")),
        *_date("available", "General availability, first shipping or cloud GA (not the announcement)"),
        Column("segment", "VARCHAR", "Workload the vendor positions it for: training, inference, or both.",
               required=True, choices=SEGMENTS_OF_CHIPS),
        Column("segment_note", "VARCHAR", "Why it is in that segment (the vendor's positioning)."),
        Column("deployment", "VARCHAR", "Where it runs.", required=True, choices=("datacenter", "edge", "client")),
        Column("form", "VARCHAR", "Level of aggregation the figures describe.", required=True,
               choices=("chip", "card", "module", "system")),
        Column("sales_model", "VARCHAR", "merchant: sold to anyone; cloud: rentable only in the vendor's cloud; "
               "internal: the vendor's own use only.", required=True, choices=("merchant", "cloud", "internal")),
        Column("process_node", "VARCHAR", "Manufacturing process as published (TSMC 4N, Samsung 8nm)."),
        Column("foundry", "VARCHAR", "Who fabricates the die (TSMC, Samsung, SMIC, Intel, GlobalFoundries)."),
        Column("die_size_mm2", "DOUBLE", "Area of the compute die as published; for multi-die packages the sum of "
               "the compute dies (notes say how many).", unit="mm²", ge=0),
        Column("transistors_b", "DOUBLE", "Transistor count of the package as the vendor states it.",
               unit="billions", ge=0),
        Column("memory_gb", "DOUBLE", "Off-chip DRAM capacity (HBM, GDDR, LPDDR). GiB figures are converted.",
               unit="GB (10^9 bytes)", ge=0),
        Column("memory_type", "VARCHAR", "Off-chip memory technology: HBM3, GDDR6, LPDDR5."),
        Column("memory_bandwidth_tbs", "DOUBLE", "Off-chip memory bandwidth.", unit="TB/s (10^12 bytes/s)", ge=0),
        Column("onchip_sram_mb", "DOUBLE", "On-die SRAM where the vendor states it.", unit="MB (10^6 bytes)",
               ge=0),
        Column("tdp_w", "DOUBLE", "Design TDP or total board power of the package as sold; not provisioned "
               "system power and never an estimate.", unit="W", ge=0),
        _tflops("fp64_tflops", "Peak FP64: the higher of vector and matrix (tensor) units; notes say which."),
        _tflops("fp32_tflops", "Peak FP32 on the vector (non-tensor) units."),
        _tflops("tf32_tflops", "Peak dense TF32 (or the vendor's 19-bit-class FP32 matrix format) on matrix units."),
        _tflops("fp16_tflops", "Peak dense FP16 on matrix/tensor units (vector FP16 for chips without them)."),
        _tflops("bf16_tflops", "Peak dense BF16 on matrix/tensor units."),
        _tflops("fp8_tflops", "Peak dense FP8."),
        _tflops("fp4_tflops", "Peak dense FP4."),
        Column("int8_tops", "DOUBLE", "Peak dense INT8.", unit="TOPS (10^12 OP/s)", ge=0),
        Column("int4_tops", "DOUBLE", "Peak dense INT4.", unit="TOPS (10^12 OP/s)", ge=0),
        _tflops("fp16_sparse_tflops", "Vendor's FP16 figure with 2:4 structured sparsity, when published."),
        _tflops("fp8_sparse_tflops", "Vendor's FP8 figure with 2:4 structured sparsity, when published."),
        Column("int8_sparse_tops", "DOUBLE", "Vendor's INT8 figure with structured sparsity, when published.",
               unit="TOPS (10^12 OP/s)", ge=0),
        Column("launch_price_usd", "DOUBLE", "Price at launch; launch_price_kind says whether it is the vendor's "
               "list price, a reported street price or an estimate.", unit="USD", ge=0),
        Column("launch_price_kind", "VARCHAR", "list: the vendor's published list/MSRP; street: a price reported "
               "as paid or quoted by resellers; estimate: an analyst's or reporter's estimate.",
               choices=("list", "street", "estimate")),
        Column("interconnect", "VARCHAR", "Scale-up (intra-node) link (NVLink 4, ICI, Infinity Fabric, NeuronLink)."),
        Column("interconnect_gbs", "DOUBLE", "Scale-up (intra-node) bandwidth: total bidirectional per-package "
               "scale-up bandwidth as the vendor states it.", unit="GB/s (10^9 bytes/s)", ge=0),
        Column("scale_out_interconnect", "VARCHAR", "Scale-out (inter-node) network as the vendor specifies it "
               "per package (e.g. 'ConnectX-7 400 Gb/s', 'EFA', 'integrated 24x 100 GbE RoCE')."),
        Column("scale_out_gbs", "DOUBLE", "Scale-out (inter-node) bandwidth per package, total bidirectional; "
               "Gb/s network figures are divided by 8.", unit="GB/s (10^9 bytes/s)", ge=0),
        Column("notes", "VARCHAR", "Conventions applied to this row: sparse halved, GiB converted, board totals, "
               "sources that disagree."),
    ),
    primary_key=("chip_id",),
    unique=(("vendor_id", "name"),),
    csv="chips.csv",
)

EVENTS = Table(
    "events",
    "Dated things that shaped the market: launches, breakthroughs, acquisitions, funding, export controls, "
    "benchmark rounds, cloud launches. Curated in data/events.csv or created from knowledge-card timelines.",
    (
        _id("event_id", "event"),
        *_date("event_date", "When it happened", required=True, precision="date_precision"),
        Column("year", "INTEGER", "Year of event_date.", unit="year", derive=("year", "event_date")),
        Column("title", "VARCHAR", "Short headline.", required=True),
        Column("kind", "VARCHAR", "What sort of event.", required=True,
               choices=("launch", "research", "software", "acquisition", "funding", "ipo", "export_control",
                        "benchmark", "cloud", "partnership", "market", "other")),
        Column("description", "VARCHAR", "Why it matters for the training/inference hardware market."),
        Column("origin", "VARCHAR", "curated: from data/events.csv; card: created from a knowledge-card "
               "timeline row that matched no curated event.", choices=("curated", "card"),
               derive=("constant:curated", "event_id")),
        Column("topic_id", "VARCHAR", "For origin=card, the topic whose card created it."),
    ),
    primary_key=("event_id",),
    csv="events.csv",
)

ENTITY_TABLES = {"vendor": "vendors", "chip": "chips", "segment": "segments", "event": "events"}

EVENT_ENTITIES = Table(
    "event_entities",
    "Which vendors, chips and segments an event concerns.",
    (
        Column("event_id", "VARCHAR", "The event.", required=True, references="events.event_id"),
        Column("entity_kind", "VARCHAR", "Kind of entity.", required=True, choices=("vendor", "chip", "segment")),
        Column("entity_id", "VARCHAR", "Id of the vendor, chip or segment.", required=True),
    ),
    primary_key=("event_id", "entity_kind", "entity_id"),
    csv="event_entities.csv",
    polyrefs=(PolyRef("entity_kind", "entity_id", {k: v for k, v in ENTITY_TABLES.items() if k != "event"}),),
)

CITED_TABLES = ("chips", "vendors", "events", "market_estimates", "segments")

CITATIONS = Table(
    "citations",
    "Which source backs which row or figure. `field` NULL means the whole row (typically the datasheet); a "
    "column name means that one figure comes from this source.",
    (
        Column("subject_table", "VARCHAR", "Table of the cited row.", required=True, choices=CITED_TABLES),
        Column("subject_id", "VARCHAR", "Primary key of the cited row.", required=True),
        Column("field", "VARCHAR", "Column of the cited figure; NULL for the whole row."),
        Column("source_id", "VARCHAR", "The source.", required=True, references="sources.source_id"),
        Column("note", "VARCHAR", "How the figure was read or converted from the source."),
    ),
    unique=(("subject_table", "subject_id", "field", "source_id"),),
    csv="citations.csv",
    polyrefs=(PolyRef("subject_table", "subject_id", {t: t for t in CITED_TABLES}, field_column="field"),),
)

MARKET_ESTIMATES = Table(
    "market_estimates",
    "Published market figures: vendor shares, market sizes, segment mixes. Calendar year unless period_note "
    "says otherwise (NVIDIA's fiscal year ends in January). Each row keeps its source's scope: "
    "'data-center GPUs' is not 'all AI accelerators'. Where sources disagree, both rows are kept.",
    (
        _id("estimate_id", "estimate"),
        Column("year", "INTEGER", "Year the figure describes.", unit="year", required=True, ge=2000, le=2040),
        Column("segment", "VARCHAR", "training, inference, or all (the source does not split them).",
               required=True, references="segments.segment_id"),
        Column("scope", "VARCHAR", "The universe as the source defines it ('data-center GPUs', 'AI accelerators "
               "in AI servers').", required=True),
        Column("measure", "VARCHAR", "What is measured.", required=True,
               choices=("revenue_share_pct", "unit_share_pct", "revenue_usd", "market_size_usd", "units",
                        "compute_share_pct", "vendor_revenue_mix_pct")),
        Column("vendor_id", "VARCHAR", "The vendor the figure is about; NULL for market totals.",
               references="vendors.vendor_id"),
        Column("value", "DOUBLE", "Point estimate as published (in `unit`)."),
        Column("low", "DOUBLE", "Low end when the source gives a range."),
        Column("high", "DOUBLE", "High end when the source gives a range."),
        Column("unit", "VARCHAR", "pct (0–100), usd, or units.", required=True, choices=("pct", "usd", "units")),
        Column("currency", "VARCHAR", "Currency of usd figures."),
        Column("geography", "VARCHAR", "global, or an ISO country code such as CN.", required=True),
        Column("is_forecast", "BOOLEAN", "True for projections rather than reported figures.", required=True),
        Column("period_note", "VARCHAR", "Calendar year, or the fiscal period the figure covers."),
        *_date("published", "When the source published the figure"),
        Column("source_id", "VARCHAR", "Where the figure comes from.", required=True,
               references="sources.source_id"),
        Column("notes", "VARCHAR", "Scope caveats and disagreements with other estimates."),
    ),
    primary_key=("estimate_id",),
    csv="market_estimates.csv",
)

ALIASES = Table(
    "aliases",
    "Other names for vendors, chips, segments and events, used to resolve names in knowledge cards. An "
    "entity's own name and id are aliases implicitly.",
    (
        Column("alias", "VARCHAR", "The name as written in text (matched case-insensitively).", required=True),
        Column("entity_kind", "VARCHAR", "Kind of entity.", required=True,
               choices=("vendor", "chip", "family", "segment", "event")),
        Column("entity_id", "VARCHAR", "Id of the entity; for kind=family the family name as in chips.family.",
               required=True),
        Column("scope", "VARCHAR", "Where the alias applies: empty = everywhere (knowledge cards and importers); "
               "an importer's name (epoch-chip-counts, epoch-hardware, mlperf) = only when that importer maps "
               "an external name, so a short external label such as 'H100' never changes what cards mention.",
               choices=("epoch-chip-counts", "epoch-hardware", "mlperf")),
        Column("note", "VARCHAR", "Why this mapping: e.g. which SKU stands for a family in an external dataset."),
    ),
    primary_key=("alias", "entity_kind", "entity_id"),
    csv="aliases.csv",
    polyrefs=(PolyRef("entity_kind", "entity_id", ENTITY_TABLES),),
)

SHIPMENTS = Table(
    "shipments",
    "Accelerators shipped per chip and period: units and H100-equivalents, with their uncertainty. Modelled "
    "series (Epoch AI's chip-sales model) and reported or analyst figures are kept apart by `method`; a period "
    "the source marks incomplete has is_partial = true.",
    (
        _id("shipment_id", "shipment row"),
        Column("chip_id", "VARCHAR", "The chip shipped; where the source counts a family, the SKU that stands for "
               "it (the alias note says which).", required=True, references="chips.chip_id"),
        Column("period_start", "DATE", "First day of the period.", required=True),
        Column("period_end", "DATE", "Last day of the period, inclusive.", required=True),
        Column("units", "DOUBLE", "Units shipped in the period (central estimate: the median of a modelled "
               "series, the point of a published figure).", unit="units", ge=0),
        Column("units_low", "DOUBLE", "Low end of units (the 5th percentile of a modelled series, the low end of "
               "a published range).", unit="units", ge=0),
        Column("units_high", "DOUBLE", "High end of units (95th percentile, or the high end of a range).",
               unit="units", ge=0),
        Column("h100e", "DOUBLE", "Compute shipped in H100-equivalents as the source publishes it (Epoch: "
               "normalised to the H100's dense INT8 throughput).", unit="H100e", ge=0),
        Column("h100e_low", "DOUBLE", "Low end of h100e.", unit="H100e", ge=0),
        Column("h100e_high", "DOUBLE", "High end of h100e.", unit="H100e", ge=0),
        Column("interval", "VARCHAR", "What low and high mean: p5-p95 (a model's 5th/95th percentiles), range as "
               "published, or point (no range; low = high = value or empty).", required=True,
               choices=("p5-p95", "range as published", "point")),
        Column("method", "VARCHAR", "modelled: a model's estimate (Epoch AI); reported: the vendor or a filing "
               "states it; analyst estimate: an analyst firm's estimate.", required=True,
               choices=("modelled", "reported", "analyst estimate")),
        Column("is_partial", "BOOLEAN", "True when the source marks the period incomplete (e.g. a quarter its "
               "underlying data only partly covers).", required=True),
        Column("source_id", "VARCHAR", "Where the figure comes from.", required=True,
               references="sources.source_id"),
        Column("notes", "VARCHAR", "How the row was read or mapped."),
    ),
    primary_key=("shipment_id",),
    csv="shipments.csv",
)

SEGMENT_ALLOCATION = Table(
    "segment_allocation",
    "How shipments of chips positioned for both training and inference are split between the segments: the "
    "percentage of a designer's shipped compute used for inference, over a span of years, with its range. A row "
    "with no vendor_id is the default for designers without a row of their own.",
    (
        _id("allocation_id", "allocation row"),
        Column("vendor_id", "VARCHAR", "The designer; empty for the default.", references="vendors.vendor_id"),
        Column("year_from", "INTEGER", "First calendar year the row applies to.", unit="year", required=True,
               ge=2000, le=2040),
        Column("year_to", "INTEGER", "Last calendar year the row applies to (inclusive).", unit="year",
               required=True, ge=2000, le=2040),
        Column("inference_pct", "DOUBLE", "Central inference share of the 'both' parts' shipped compute.",
               unit="percent", required=True, ge=0, le=100),
        Column("inference_pct_low", "DOUBLE", "Low end of the plausible range (the sensitivity sweep's start).",
               unit="percent", required=True, ge=0, le=100),
        Column("inference_pct_high", "DOUBLE", "High end of the plausible range (the sweep's end).",
               unit="percent", required=True, ge=0, le=100),
        Column("source_id", "VARCHAR", "The statement the fraction rests on.", required=True,
               references="sources.source_id"),
        Column("notes", "VARCHAR", "What the source says and how it was turned into a fraction."),
    ),
    primary_key=("allocation_id",),
    csv="segment_allocation.csv",
)

MLPERF_RESULTS = Table(
    "mlperf_results",
    "Measured performance: MLCommons MLPerf results as published in a round's summary, with the accelerator "
    "mapped to a chip where the published string names one part.",
    (
        Column("result_id", "VARCHAR", "MLCommons result id as published (v4.1-0001), plus the benchmark and "
               "scenario (one id covers several).", required=True),
        Column("round", "VARCHAR", "Round, from the summary's version (v4.1).", required=True),
        Column("suite", "VARCHAR", "datacenter or edge."),
        Column("division", "VARCHAR", "closed (comparable) or open, from the summary's Category.", required=True,
               choices=("closed", "open", "network")),
        Column("category", "VARCHAR", "available, preview or rdi (research, development, internal), from the "
               "summary's Availability.", required=True, choices=("available", "preview", "rdi")),
        Column("submitter", "VARCHAR", "Organisation that submitted.", required=True),
        Column("system", "VARCHAR", "System name as published.", required=True),
        Column("accelerator", "VARCHAR", "Accelerator string as published (NVIDIA H100-SXM-80GB)."),
        Column("chip_id", "VARCHAR", "The chip the accelerator string names; NULL when it names none or a mix.",
               references="chips.chip_id"),
        Column("accelerators_per_node", "DOUBLE", "Accelerators per node as published.", ge=0),
        Column("nodes", "INTEGER", "Nodes in the system.", ge=0),
        Column("benchmark", "VARCHAR", "Benchmark (model) as published: llama2-70b-99, resnet, …", required=True),
        Column("scenario", "VARCHAR", "LoadGen scenario: Offline, Server, SingleStream, MultiStream.",
               required=True),
        Column("result", "DOUBLE", "The performance result.", required=True),
        Column("result_units", "VARCHAR", "Its unit: Tokens/s, Samples/s, Queries/s, Latency (ms).",
               required=True),
        Column("weight_data_types", "VARCHAR", "Weight precision as self-reported by the submitter."),
        Column("source_id", "VARCHAR", "The round's results repository.", required=True,
               references="sources.source_id"),
        Column("notes", "VARCHAR", "Why chip_id is empty, when it is."),
    ),
    primary_key=("result_id",),
    csv="mlperf_results.csv",
)

SUPPLIERS = Table(
    "suppliers",
    "Upstream companies the accelerators depend on: foundries, memory makers, packaging (OSAT) houses.",
    (
        _id("supplier_id", "supplier"),
        Column("name", "VARCHAR", "Name as analysts say it (TSMC, SK hynix).", required=True),
        Column("country", "VARCHAR", "Headquarters, ISO 3166-1 alpha-2 code.", required=True),
        Column("kind", "VARCHAR", "What it mainly supplies.", required=True,
               choices=("foundry", "memory", "packaging", "foundry_packaging", "idm")),
        Column("website", "VARCHAR", "Home page."),
        Column("notes", "VARCHAR", "Free-text remarks."),
    ),
    primary_key=("supplier_id",),
    csv="suppliers.csv",
)

SUPPLY_LINKS = Table(
    "supply_links",
    "Who supplies what for a chip: its foundry, its HBM/DRAM maker(s), its advanced packaging, each with a "
    "source. Several memory suppliers for one chip are several rows.",
    (
        Column("chip_id", "VARCHAR", "The chip.", required=True, references="chips.chip_id"),
        Column("role", "VARCHAR", "foundry: fabricates the die; memory: supplies the HBM/DRAM; packaging: does "
               "the advanced packaging (CoWoS, EMIB, …).", required=True,
               choices=("foundry", "memory", "packaging")),
        Column("supplier_id", "VARCHAR", "The supplier.", required=True, references="suppliers.supplier_id"),
        Column("detail", "VARCHAR", "What exactly: 'HBM3E 12-Hi', 'CoWoS-L', 'N4P'."),
        Column("source_id", "VARCHAR", "Where it is published.", required=True, references="sources.source_id"),
        Column("notes", "VARCHAR", "Qualifications (sole vs one of several suppliers, reported vs confirmed)."),
    ),
    primary_key=("chip_id", "role", "supplier_id"),
    csv="supply_links.csv",
)

EXPORT_CONTROL_THRESHOLDS = Table(
    "export_control_thresholds",
    "The US export-control thresholds for advanced-computing ICs (EAR ECCN 3A090) as published, one row per "
    "paragraph: a chip falls in the paragraph's class when its TPP and performance density meet every bound of "
    "the row. Read by the chip_export_class view. Indicative only, not legal advice: the classification of a "
    "real export depends on the full rule, its notes and later amendments.",
    (
        _id("threshold_id", "threshold row"),
        Column("rule", "VARCHAR", "The rule as cited: issuing agency, title and Federal Register reference.",
               required=True),
        Column("rule_published", "DATE", "When the rule was published in the Federal Register.", required=True),
        Column("rule_effective", "DATE", "When the thresholds took effect.", required=True),
        Column("paragraph", "VARCHAR", "The ECCN paragraph the row states (3A090.a.1, 3A090.b.2 …).",
               required=True),
        Column("export_class", "VARCHAR", "The class a chip meeting the row falls in (3A090.a: licence "
               "required for the listed destinations; 3A090.b: notified advanced computing (NAC) path).",
               required=True),
        Column("severity", "INTEGER", "Order of the classes, 1 = strictest: a chip meeting rows of two classes "
               "takes the strictest.", required=True, ge=1),
        Column("deployment", "VARCHAR", "datacenter: the row applies only to ICs designed or marketed for data "
               "centres; empty: to every IC.", choices=("datacenter",)),
        Column("tpp_min", "DOUBLE", "Lowest TPP the row covers (inclusive).", unit="TPP (bit × TOPS)",
               required=True, ge=0),
        Column("tpp_below", "DOUBLE", "TPP the row stops at (exclusive); empty = no upper bound.",
               unit="TPP (bit × TOPS)", ge=0),
        Column("density_min", "DOUBLE", "Lowest performance density the row covers (inclusive); empty = any.",
               unit="TPP / mm²", ge=0),
        Column("density_below", "DOUBLE", "Performance density the row stops at (exclusive); empty = no upper "
               "bound.", unit="TPP / mm²", ge=0),
        Column("source_id", "VARCHAR", "The rule's text.", required=True, references="sources.source_id"),
        Column("notes", "VARCHAR", "How the paragraph reads."),
    ),
    primary_key=("threshold_id",),
    csv="export_control_thresholds.csv",
)

TOPICS = Table(
    "topics",
    "Knowledge cards: one row per card, identified by its title (case-insensitive).",
    (
        _id("topic_id", "topic (slug of the title)"),
        Column("title", "VARCHAR", "Card title, exactly as written.", required=True),
        Column("description", "VARCHAR", "The one-line description under `Topic`."),
        Column("first_mentioned", "TIMESTAMP", "`First Mentioned` timestamp."),
        Column("last_updated", "TIMESTAMP", "`Last Updated` timestamp."),
        Column("research_retrieved", "TIMESTAMP", "`Research Retrieved` timestamp."),
        Column("summary", "VARCHAR", "The `Summary` section."),
        Column("document_count", "INTEGER", "N of `Referenced in N Document(s)`.", ge=0),
        Column("source_file", "VARCHAR", "File the card was ingested from (as given on the command line)."),
    ),
    primary_key=("topic_id",),
    origin="cards",
)

def _card_part(name: str, description: str, *columns: Column) -> Table:
    """A table of one card section's rows: keyed by the topic and the row's position in the card."""
    return Table(name, description, (
        Column("topic_id", "VARCHAR", "The topic.", required=True, references="topics.topic_id"),
        Column("position", "INTEGER", "Order within the card, from 1.", required=True),
        *columns,
    ), primary_key=("topic_id", "position"), origin="cards")


TOPIC_ATTRIBUTES = _card_part(
    "topic_attributes",
    "A card's `Extracted Attributes`, in card order.",
    Column("key", "VARCHAR", "Attribute name.", required=True),
    Column("value", "VARCHAR", "Attribute value, exactly as written.", required=True),
)

TOPIC_TIMELINE = _card_part(
    "topic_timeline",
    "A card's `Timeline` rows. Every row is kept; event_id links it to the event it describes.",
    Column("date_text", "VARCHAR", "The date exactly as written on the card ('2012', 'Ongoing').",
           required=True),
    Column("event_date", "DATE", "Parsed date (first day of the month/year when less precise); NULL for "
           "free text such as 'Ongoing'."),
    Column("date_precision", "VARCHAR", "day, month or year; NULL when there is no date.", choices=PRECISIONS),
    Column("description", "VARCHAR", "Event text.", required=True),
    Column("source_text", "VARCHAR", "What the card gives in `(Source: …)`."),
    Column("event_id", "VARCHAR", "The curated or card-created event this row describes."),
)

TOPIC_SECTIONS = _card_part(
    "topic_sections",
    "Free-form sections of a card (related topics such as 'Unsupervised learning').",
    Column("heading", "VARCHAR", "Section heading.", required=True),
    Column("body", "VARCHAR", "Section text.", required=True),
)

TOPIC_SOURCES = _card_part(
    "topic_sources",
    "A card's `Web Search Results`: title and publisher split from `Title - Publisher` / `Title | Publisher`.",
    Column("title", "VARCHAR", "Result title.", required=True),
    Column("publisher", "VARCHAR", "Publisher, when the heading names one."),
    Column("excerpt", "VARCHAR", "The excerpt under the heading."),
)

TOPIC_MENTIONS = Table(
    "topic_mentions",
    "Entities a card mentions, found by alias resolution, with where in the card the mention is.",
    (
        Column("topic_id", "VARCHAR", "The topic.", required=True, references="topics.topic_id"),
        Column("entity_kind", "VARCHAR", "vendor, chip, family, segment or event.", required=True,
               choices=("vendor", "chip", "family", "segment", "event")),
        Column("entity_id", "VARCHAR", "Id of the entity.", required=True),
        Column("section", "VARCHAR", "Card section the mention was found in (title, description, summary, "
               "attribute, timeline, section, source).", required=True),
        Column("matched_text", "VARCHAR", "The text that matched the alias.", required=True),
    ),
    primary_key=("topic_id", "entity_kind", "entity_id", "section"),
    origin="cards",
)

SEGMENT_CONCENTRATION = Table(
    "segment_concentration",
    "Market concentration per segment, year and share basis. Point values are computed from the central "
    "figures and are unrounded; *_low/*_high are the 5th/95th percentiles of a seeded Monte Carlo over each "
    "input's range (equal to the point for bases built from point figures), widened where needed so that every "
    "interval contains its point. See docs/metrics.md for each basis.",
    (
        Column("segment", "VARCHAR", "training, inference or all.", required=True),
        Column("year", "INTEGER", "Year the shares describe.", unit="year", required=True),
        Column("basis", "VARCHAR", "How shares were attributed; see concentration_bases.", required=True,
               references="concentration_bases.basis"),
        Column("vendor_count", "INTEGER", "Vendors with a positive share.", required=True),
        Column("top_vendor_id", "VARCHAR", "Vendor with the largest share."),
        Column("cr1", "DOUBLE", "Largest share.", unit="percent"),
        Column("cr1_low", "DOUBLE", "5th percentile of CR1 (the point for point-only bases).", unit="percent"),
        Column("cr1_high", "DOUBLE", "95th percentile of CR1 (the point for point-only bases).", unit="percent"),
        Column("cr4", "DOUBLE", "Sum of the top min(4, n) shares.", unit="percent", required=True),
        Column("cr4_low", "DOUBLE", "5th percentile of CR4.", unit="percent"),
        Column("cr4_high", "DOUBLE", "95th percentile of CR4.", unit="percent"),
        Column("hhi", "DOUBLE", "Herfindahl–Hirschman index, shares in percent.", unit="0–10,000"),
        Column("hhi_low", "DOUBLE", "5th percentile of HHI (the point for point-only bases).", unit="0–10,000"),
        Column("hhi_high", "DOUBLE", "95th percentile of HHI (the point for point-only bases).", unit="0–10,000"),
        Column("effective_vendors", "DOUBLE", "10,000 / HHI.", unit="vendors"),
        Column("entropy", "DOUBLE", "Shannon entropy of the shares.", unit="nats"),
        Column("delta_hhi", "DOUBLE", "Change in HHI from the previous year with data, same segment and basis."),
        Column("coverage_pct", "DOUBLE", "How much of the market the basis can attribute; what it is a percentage "
               "of depends on the basis (concentration_bases.coverage_meaning). Below 100 the HHI is a lower "
               "bound.", unit="percent"),
        Column("coverage_note", "VARCHAR", "For shipped bases: the designers the row covers and the known "
               "designers it does not."),
        Column("is_partial", "BOOLEAN", "True when a source marks part of the year's data incomplete."),
    ),
    primary_key=("segment", "year", "basis"),
    origin="analytics",
)

BASIS_KINDS = ("published", "forecast", "products_announced", "products_announced_3y", "shipped_units",
               "shipped_h100e", "shipped_compute")

CONCENTRATION_BASES = Table(
    "concentration_bases",
    "The catalogue of share bases used by segment_concentration: what each basis counts, where its shares come "
    "from, whether its shares are market shares, and what its coverage_pct means.",
    (
        Column("basis", "VARCHAR", "Basis id as used in segment_concentration.basis.", required=True),
        Column("kind", "VARCHAR", "published: vendor shares from one source, one measure and one scope; "
               "forecast: the same for projected shares; products_announced / products_announced_3y: counts of "
               "data-centre products announced (breadth, not market share); shipped_units / shipped_h100e / "
               "shipped_compute: what ships, from the shipments table.", required=True, choices=BASIS_KINDS),
        Column("is_market_share", "BOOLEAN", "True when the shares are market shares (what ships, or what a "
               "source published as a share); false for counts of products, to which merger-guideline "
               "thresholds do not apply.", required=True),
        Column("measure", "VARCHAR", "For published bases, the market_estimates.measure."),
        Column("scope", "VARCHAR", "For published bases, the source's universe, exactly as in market_estimates."),
        Column("geography", "VARCHAR", "For published bases, the geography."),
        Column("source_id", "VARCHAR", "For published bases, the source.", references="sources.source_id"),
        Column("coverage_meaning", "VARCHAR", "What coverage_pct is a percentage of, for this basis.",
               required=True),
        Column("draws", "INTEGER", "Monte Carlo draws behind the intervals (NULL: point figures only)."),
        Column("description", "VARCHAR", "How shares are attributed under this basis, and its caveats.",
               required=True),
    ),
    primary_key=("basis",),
    origin="analytics",
)

SEGMENT_SHARES = Table(
    "segment_shares",
    "The vendor shares behind each segment_concentration row, so every measure can be recomputed and audited.",
    (
        Column("segment", "VARCHAR", "training, inference or all.", required=True),
        Column("year", "INTEGER", "Year the shares describe.", unit="year", required=True),
        Column("basis", "VARCHAR", "Share basis; see concentration_bases.", required=True,
               references="concentration_bases.basis"),
        Column("vendor_id", "VARCHAR", "The vendor (rolled up to its parent for launch bases).", required=True,
               references="vendors.vendor_id"),
        Column("share_pct", "DOUBLE", "The vendor's share, unrounded, from the central figures.", unit="percent",
               required=True, ge=0, le=100),
        Column("share_low_pct", "DOUBLE", "5th percentile of the share (the point for point-only bases).",
               unit="percent", ge=0, le=100),
        Column("share_high_pct", "DOUBLE", "95th percentile of the share (the point for point-only bases).",
               unit="percent", ge=0, le=100),
    ),
    primary_key=("segment", "year", "basis", "vendor_id"),
    origin="analytics",
)

ALLOCATION_SWEEP = Table(
    "allocation_sweep",
    "The allocation sensitivity sweep: shipped-basis concentration of training and inference recomputed with every "
    "segment_allocation row at the low end of its range, at its central value and at the high end, so one can see "
    "which conclusions hold for every fraction and which flip.",
    (
        Column("segment", "VARCHAR", "training or inference.", required=True),
        Column("year", "INTEGER", "Calendar year.", unit="year", required=True),
        Column("basis", "VARCHAR", "A shipped basis.", required=True),
        Column("setting", "VARCHAR", "Where every allocation row was set.", required=True,
               choices=("low", "central", "high")),
        Column("top_vendor_id", "VARCHAR", "Vendor with the largest share at that setting."),
        Column("cr1", "DOUBLE", "Largest share.", unit="percent"),
        Column("hhi", "DOUBLE", "Herfindahl–Hirschman index.", unit="0–10,000"),
        Column("vendor_count", "INTEGER", "Vendors with a positive share."),
    ),
    primary_key=("segment", "year", "basis", "setting"),
    origin="analytics",
)

SEGMENT_SPLIT = Table(
    "segment_split",
    "How much of what shipped in a year served inference, under each shipped basis, with the Monte Carlo "
    "interval and the value at the low and high ends of the allocation ranges.",
    (
        Column("year", "INTEGER", "Calendar year.", unit="year", required=True),
        Column("basis", "VARCHAR", "A shipped basis.", required=True),
        Column("inference_pct", "DOUBLE", "Inference share of the covered shipments (central values).",
               unit="percent", required=True),
        Column("inference_pct_low", "DOUBLE", "5th percentile.", unit="percent"),
        Column("inference_pct_high", "DOUBLE", "95th percentile.", unit="percent"),
        Column("at_allocation_low", "DOUBLE", "With every allocation row at its low end.", unit="percent"),
        Column("at_allocation_high", "DOUBLE", "With every allocation row at its high end.", unit="percent"),
        Column("coverage_pct", "DOUBLE", "As segment_concentration.coverage_pct for segment all.", unit="percent"),
        Column("is_partial", "BOOLEAN", "True when part of the year's data is incomplete."),
    ),
    primary_key=("year", "basis"),
    origin="analytics",
)

BUILD_INFO = Table(
    "build_info",
    "One row describing the build that produced this database.",
    (
        Column("data_digest", "VARCHAR", "SHA-256 over the data files the build read.", required=True),
        Column("built_at", "TIMESTAMP", "When the build finished (UTC).", required=True),
        Column("package_version", "VARCHAR", "marketgraph version that built it.", required=True),
        Column("duckdb_version", "VARCHAR", "DuckDB version that wrote the file.", required=True),
        Column("data_dir", "VARCHAR", "Folder the data was read from.", required=True),
    ),
    origin="build",
)

# Creation order respects foreign keys.
TABLES: tuple[Table, ...] = (
    SEGMENTS, VENDORS, SOURCES, CHIPS, EVENTS, EVENT_ENTITIES, CITATIONS, MARKET_ESTIMATES, ALIASES,
    SHIPMENTS, SEGMENT_ALLOCATION, MLPERF_RESULTS, SUPPLIERS, SUPPLY_LINKS, EXPORT_CONTROL_THRESHOLDS,
    TOPICS, TOPIC_ATTRIBUTES, TOPIC_TIMELINE, TOPIC_SECTIONS, TOPIC_SOURCES, TOPIC_MENTIONS,
    CONCENTRATION_BASES, SEGMENT_CONCENTRATION, SEGMENT_SHARES, ALLOCATION_SWEEP, SEGMENT_SPLIT, BUILD_INFO,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}
DATA_TABLES = tuple(t for t in TABLES if t.csv)

CHIP_SEGMENTS = View(
    "chip_segments",
    "Each chip with every segment it serves: a chip positioned for `both` appears once for training and once "
    "for inference.",
    (Column("chip_id", "VARCHAR", "The chip.", references="chips.chip_id"),
     Column("segment", "VARCHAR", "training or inference.")),
)

VENDOR_OWNERSHIP = View(
    "vendor_ownership",
    "Who owned each vendor in which years, so that measures roll a vendor up to its parent from the year the "
    "parent took it over (Habana is Habana until 2018 and Intel from 2019). Open-ended spans use 0 and 9999.",
    (Column("vendor_id", "VARCHAR", "The vendor.", references="vendors.vendor_id"),
     Column("owner_id", "VARCHAR", "The vendor itself, or its parent.", references="vendors.vendor_id"),
     Column("year_from", "INTEGER", "First year of the span.", unit="year"),
     Column("year_to", "INTEGER", "Last year of the span.", unit="year")),
)

CHIP_COMPUTE = View(
    "chip_compute",
    "One dense peak per chip on a common footing, for weighting what ships: dense BF16, else dense FP16, else "
    "dense FP8 / 2, else dense INT8 / 2 (most accelerators run 8-bit formats at twice their 16-bit rate, so "
    "halving puts 8-bit-only parts on the same footing instead of dropping them). Chips with none of these "
    "have no row.",
    (Column("chip_id", "VARCHAR", "The chip.", references="chips.chip_id"),
     Column("fp16e_tflops", "DOUBLE", "Dense FP16-equivalent peak.", unit="TFLOPS"),
     Column("peak_basis", "VARCHAR", "Which figure it is: bf16, fp16, fp8/2 or int8/2.")),
)

PRODUCT_ANNOUNCEMENTS = View(
    "product_announcements",
    "Data-centre products (chips, cards, modules; not systems, which repackage counted chips, and not "
    "variants/SKUs of a counted product) by announcement year and segment, with the vendor rolled up to its "
    "parent from the year the parent took it over (Habana → Intel from 2019). Counts what vendors announce — "
    "roadmap parts included — not what ships.",
    (Column("chip_id", "VARCHAR", "The chip.", references="chips.chip_id"),
     Column("year", "INTEGER", "Year of announcement.", unit="year"),
     Column("segment", "VARCHAR", "training or inference (both-positioned chips appear in each)."),
     Column("vendor_id", "VARCHAR", "The vendor, rolled up to its parent.", references="vendors.vendor_id"),
     Column("fp16e_tflops", "DOUBLE", "Dense FP16-equivalent peak: BF16, else FP16, else FP8 / 2, else INT8 / 2.",
            unit="TFLOPS")),
)

CHIP_EXPORT_CLASS = View(
    "chip_export_class",
    "Each chip's Total Processing Performance, performance density and the class it falls in under the US "
    "advanced-computing thresholds (export_control_thresholds), computed from its dense figures, never typed. "
    "Indicative only, not legal advice.",
    (Column("chip_id", "VARCHAR", "The chip.", references="chips.chip_id"),
     Column("tpp", "DOUBLE", "Total Processing Performance: the highest dense rate × the operation's bit length "
            "over the precisions the chip publishes (FP64 × 64, FP32 and TF32 × 32, FP16 and BF16 × 16, FP8 and "
            "INT8 × 8, FP4 and INT4 × 4); structured-sparsity figures are not used. NULL without a dense figure.",
            unit="TPP (bit × TOPS)"),
     Column("performance_density", "DOUBLE", "TPP / die_size_mm2 (the compute dies' area); NULL without a die "
            "area.", unit="TPP / mm²"),
     Column("export_class", "VARCHAR", "3A090.a or 3A090.b when a threshold row is met; 'below thresholds' when "
            "none can be; 'undetermined' when a density-based row could apply but the die area is unknown; 'not "
            "assessed' for systems (the rule classes their ICs, see the chips they contain); NULL without a "
            "dense figure."),
     Column("rule", "VARCHAR", "The paragraph that decided the class (3A090.a.1) and the threshold_id of its "
            "row; for the other classes, the rule the chip was assessed against.")),
)

# Creation order: a view may read the views before it.
VIEWS: tuple[View, ...] = (CHIP_SEGMENTS, VENDOR_OWNERSHIP, CHIP_COMPUTE, PRODUCT_ANNOUNCEMENTS, CHIP_EXPORT_CLASS)
VIEWS_BY_NAME = {v.name: v for v in VIEWS}


def table(name: str) -> Table:
    try:
        return TABLES_BY_NAME[name]
    except KeyError:
        raise UnknownName(f"no table {name!r}; tables: {', '.join(TABLES_BY_NAME)}") from None
