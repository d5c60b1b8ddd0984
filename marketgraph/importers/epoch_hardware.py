"""Our chips against Epoch AI's "Machine Learning Hardware" table (CC-BY 4.0), field by field. Reads only.

The table is read as Epoch publishes it, in any of its snapshot formats:

* columns are found by header name, and a field has every header it has had (``Memory size per board (Byte)``
  became ``Memory (bytes)``; ``INT4/FP4 performance (OP/s)`` became ``INT4 performance (OP/s)``), so a
  reordered or renamed snapshot reads the same; a field whose column a snapshot lacks is simply not compared;
* units are SI base units: FLOP/s and OP/s (÷10^12 → TFLOPS/TOPS), bytes (÷10^9 → GB: Epoch writes memory in
  decimal bytes, 80 GB as 8×10^10, so no GiB conversion is applied; :attr:`Comparison.memory_units` counts
  how many of their figures are whole GB and how many whole GiB), byte/s (÷10^12 → TB/s, ÷10^9 → GB/s),
  bit/s for inter-node bandwidth (÷8×10^9 → GB/s), transistors in millions (÷1000 → billions);
* ``Infinity`` / ``NaN`` cells (their price-performance of a chip without a price) are read as missing.

Names are matched through a normalisation plus aliases, never by raw name alone (their names change between
snapshots: "NVIDIA B300" became "NVIDIA B300 (Blackwell Ultra)"). :class:`NameMatcher` strips the vendor
from the front (every name a vendor goes by, and Epoch's ``Manufacturer``), folds case and punctuation, and
tries looser forms in turn: without a parenthesis, without brand words (Tesla, GeForce, Radeon, Instinct,
HGX), with ``SXM5`` read as ``SXM``, and without a form factor (``PCIe``) when their name gives no memory size;
on our side the memory size may be dropped ("H100 NVL" is our "H100 NVL 94GB"). A form that fits two of our
chips matches neither. Aliases with scope ``epoch-hardware`` (and unscoped chip aliases) are tried first.

Verdicts: ``agree`` when both have the figure and they differ by at most :data:`TOLERANCE` (2 %: published
figures are rounded — 989.4 vs 989.5 TFLOPS, 1307.4 vs 1307 — while a sparse-for-dense or GiB-for-GB mix-up
is 100 % or 7.4 % off); release dates agree within :data:`DATE_TOLERANCE_DAYS` of our announcement or
availability (Epoch's "release date" is sometimes one, sometimes the other); ``disagree`` otherwise;
``only_ours`` / ``only_theirs`` when one side lacks the figure — or, with ``field`` empty, the whole chip.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError, DataErrors
from ..store.db import Store

SCOPE = "epoch-hardware"
TOLERANCE = 0.02
DATE_TOLERANCE_DAYS = 92
RECORD_COLUMNS = ["chip_id", "epoch_name", "field", "ours", "theirs", "difference", "verdict"]
VERDICTS = ("agree", "disagree", "only_ours", "only_theirs")

NAME_HEADER = "Hardware name"
MANUFACTURER_HEADER = "Manufacturer"
MODIFIED_HEADER = "Last modified"


@dataclass(frozen=True)
class Field:
    """One compared figure: our column(s), every header Epoch has used for it, and the factor to our unit."""

    ours: tuple[str, ...]  # our columns, first non-empty wins (BF16, else FP16, for their tensor FP16/BF16)
    headers: tuple[str, ...]
    scale: float = 1.0
    kind: str = "number"  # number | text | date

    @property
    def name(self) -> str:
        return self.ours[0]


FIELDS: tuple[Field, ...] = (
    Field(("announced",), ("Release date",), kind="date"),
    Field(("fp64_tflops",), ("FP64 (double precision) performance (FLOP/s)",), 1e-12),
    Field(("fp32_tflops",), ("FP32 (single precision) performance (FLOP/s)",), 1e-12),
    Field(("tf32_tflops",), ("TF32 (TensorFloat-32) performance (FLOP/s)",), 1e-12),
    # Their "FP16 (half precision)" column is the vector rate; ours is the matrix rate, so only their tensor
    # column is compared.
    Field(("bf16_tflops", "fp16_tflops"), ("Tensor-FP16/BF16 performance (FLOP/s)",), 1e-12),
    Field(("fp8_tflops",), ("FP8 performance (FLOP/s)",), 1e-12),
    Field(("fp4_tflops",), ("FP4 performance (FLOP/s)",), 1e-12),
    Field(("int8_tops",), ("INT8 performance (OP/s)",), 1e-12),
    Field(("int4_tops",), ("INT4 performance (OP/s)", "INT4/FP4 performance (OP/s)"), 1e-12),
    Field(("tpp",), ("Total processing performance (bit-OP/s)",), 1e-12),
    Field(("memory_gb",), ("Memory (bytes)", "Memory size per board (Byte)"), 1e-9),
    Field(("memory_bandwidth_tbs",), ("Memory bandwidth (byte/s)",), 1e-12),
    Field(("interconnect_gbs",), ("Intranode bandwidth (byte/s)",), 1e-9),
    Field(("scale_out_gbs",), ("Internode bandwidth (bit/s)",), 1 / 8e9),
    Field(("tdp_w",), ("TDP (W)",)),
    Field(("die_size_mm2",), ("Die Size (mm^2)",)),
    Field(("transistors_b",), ("Transistors (millions)",), 1e-3),
    Field(("launch_price_usd",), ("Release price (USD)",)),
    Field(("foundry",), ("Foundry",), kind="text"),
)
MEMORY_FIELD = "memory_gb"


# ---------------------------------------------------------------- reading a snapshot

@dataclass
class EpochRow:
    name: str
    manufacturer: str
    line: int
    values: dict[str, Any]  # our field name -> value in our unit (numbers), date or text
    raw_memory: float | None = None  # bytes as published, for the GB-or-GiB count


@dataclass
class Snapshot:
    path: Path
    rows: list[EpochRow]
    headers: dict[str, str]  # our field -> the header this snapshot uses
    absent: list[str]  # our fields this snapshot has no column for
    last_modified: str | None


class _CellError(ValueError):
    pass


def parse_number(text: str) -> float | None:
    """A numeric cell as Epoch writes it: empty, ``Infinity`` and ``NaN`` are missing.

    >>> parse_number("2.307e+15"), parse_number("Infinity"), parse_number(" ")
    (2307000000000000.0, None, None)
    """
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise _CellError(f"{text!r} is not a number") from None
    return value if math.isfinite(value) else None


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise _CellError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def read_snapshot(path: str | Path) -> Snapshot:
    """Every row of one snapshot in our units, or DataErrors naming each bad cell as FILE:LINE:COLUMN."""
    path = Path(path)
    if not path.is_file():
        raise DataErrors([DataError(str(path), 1, 1, "file not found (give Epoch's ml_hardware.csv)")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataErrors([DataError(str(path), 1, 1, "file is not UTF-8 text")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    if NAME_HEADER not in header:
        raise DataErrors([DataError(str(path), 1, 1, f"no {NAME_HEADER!r} column: not an Epoch AI hardware "
                                                     "table")])
    headers, absent = {}, []
    for f in FIELDS:
        found = next((h for h in f.headers if h in header), None)
        if found:
            headers[f.name] = found
        else:
            absent.append(f.name)
    index = {h: i for i, h in enumerate(header)}
    errors: list[DataError] = []
    rows: list[EpochRow] = []
    modified: list[str] = []
    prev_end = 1
    for record in reader:
        line, prev_end = prev_end + 1, reader.line_num
        if not any(c.strip() for c in record):
            continue
        record = record + [""] * (len(header) - len(record))
        cell = {h: record[i] for h, i in index.items()}
        values: dict[str, Any] = {}
        for f in FIELDS:
            h = headers.get(f.name)
            if h is None:
                continue
            try:
                if f.kind == "number":
                    v = parse_number(cell[h])
                    values[f.name] = None if v is None else v * f.scale
                elif f.kind == "date":
                    values[f.name] = parse_date(cell[h])
                else:
                    values[f.name] = cell[h].strip() or None
            except _CellError as e:
                errors.append(DataError(str(path), line, index[h] + 1, f"{h}: {e}"))
        raw_memory = None
        if MEMORY_FIELD in headers:
            try:
                raw_memory = parse_number(cell[headers[MEMORY_FIELD]])
            except _CellError:
                pass  # reported above
        if cell.get(MODIFIED_HEADER, "").strip():
            modified.append(cell[MODIFIED_HEADER].strip()[:10])
        rows.append(EpochRow(cell[NAME_HEADER].strip(), cell.get(MANUFACTURER_HEADER, "").strip(), line, values,
                             raw_memory))
    if errors:
        raise DataErrors(errors)
    return Snapshot(path, rows, headers, absent, max(modified) if modified else None)


# ---------------------------------------------------------------- matching names

def squash(text: str) -> str:
    """Lowercase letters and digits only: ``'MLU370-X8'`` → ``'mlu370x8'``."""
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


BRAND_WORDS = {"tesla", "geforce", "radeon", "instinct", "hgx"}
_FORM = re.compile(r"\b(pcie|sxm\d?|oam)\b")
_MEMORY = re.compile(r"\b\d+(?:\.\d+)?\s*(?:gb|gib|g)\b")
_PAREN = re.compile(r"\([^)]*\)")
_SXM_GEN = re.compile(r"\bsxm\d\b")


def _strip_vendor(name: str, vendor_words: set[str]) -> str:
    # "pcle" is a typo in Epoch's table ("NVIDIA L2 PCle").
    words = name.casefold().replace("pcle", "pcie").replace("®", "").replace("™", "").split()
    while len(words) > 1 and squash(words[0]) in vendor_words:
        words = words[1:]
    return " ".join(words)


def _loosen(text: str) -> list[str]:
    forms = [text, _PAREN.sub(" ", text)]
    forms += [" ".join(w for w in f.split() if squash(w) not in BRAND_WORDS) for f in list(forms)]
    return forms


def _unique(keys) -> list[str]:
    out: list[str] = []
    for k in keys:
        if k and k not in out:
            out.append(k)
    return out


def their_keys(name: str, vendor_words: set[str]) -> list[str]:
    """Lookup keys for one of their names, most specific first."""
    forms = _loosen(_strip_vendor(name, vendor_words))
    forms += [_SXM_GEN.sub("sxm", f) for f in list(forms)]
    # Without a memory size in their name, "A10 PCIe" is our "A10"; with one, the size tells SKUs apart.
    forms += [_FORM.sub(" ", f) for f in list(forms) if not _MEMORY.search(f)]
    return _unique(squash(f) for f in forms)


def our_keys(name: str, vendor_words: set[str]) -> list[str]:
    """Keys under which one of our chip names is found."""
    forms = _loosen(_strip_vendor(name, vendor_words))
    forms += [_MEMORY.sub(" ", f) for f in list(forms)]
    return _unique(squash(f) for f in forms)


class NameMatcher:
    """Epoch's names → our chip ids, through aliases first, then the normalised forms above.

    >>> m = NameMatcher([("nvidia-h100-nvl-94gb", "H100 NVL 94GB"), ("nvidia-tesla-p40", "Tesla P40")],
    ...                 aliases=[], vendor_words={"nvidia"})
    >>> m.match("NVIDIA H100 NVL"), m.match("NVIDIA P40"), m.match("NVIDIA P100")
    ('nvidia-h100-nvl-94gb', 'nvidia-tesla-p40', None)
    """

    def __init__(self, chips: list[tuple[str, str]], aliases: list[tuple[str, str]], vendor_words: set[str]):
        self.vendor_words = vendor_words
        self._index: dict[str, set[str]] = defaultdict(set)
        for chip_id, name in chips:
            for k in our_keys(name, vendor_words) + [squash(chip_id)]:
                self._index[k].add(chip_id)
        self._aliases: dict[str, str] = {}
        for alias, chip_id in aliases:  # later (scoped) entries override earlier (unscoped) ones
            self._aliases[squash(_strip_vendor(alias, vendor_words))] = chip_id

    def match(self, name: str, manufacturer: str = "") -> str | None:
        words = self.vendor_words | {squash(w) for w in manufacturer.split()}
        # Most specific form first, an alias before a name at each form: a loose form ("h100" from "H100
        # PCIe") must not reach a short alias before the exact form has found its chip.
        for k in their_keys(name, words):
            if k in self._aliases:
                return self._aliases[k]
            hits = self._index.get(k)
            if hits:
                return next(iter(hits)) if len(hits) == 1 else None  # ambiguous: never guess
        return None


# ---------------------------------------------------------------- comparing

@dataclass
class Comparison:
    snapshot: Snapshot
    records: pd.DataFrame
    matched_chips: int = 0
    matched_rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # verdict -> field-level records
    only_ours_chips: int = 0
    only_theirs_rows: int = 0
    memory_units: dict[str, int] = field(default_factory=dict)  # "GB" / "GiB" / "other" -> their figures
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # chip -> their rows mapped to it

    def summary(self) -> str:
        c = self.counts
        mem = ", ".join(f"{n} {u}" for u, n in self.memory_units.items() if n)
        return (f"{self.snapshot.path.name} (rows modified up to {self.snapshot.last_modified or '?'}): "
                f"{self.matched_chips} of our chips matched by {self.matched_rows} of their "
                f"{len(self.snapshot.rows)} rows; fields: {c.get('agree', 0)} agree, {c.get('disagree', 0)} "
                f"disagree (tolerance {TOLERANCE:.0%}), {c.get('only_ours', 0)} only ours, "
                f"{c.get('only_theirs', 0)} only theirs; chips: {self.only_ours_chips} only ours, "
                f"{self.only_theirs_rows} of their rows unmatched; their memory figures: {mem or 'none'}")


def _date_bounds(day: dt.date | None, precision: str | None) -> tuple[dt.date, dt.date] | None:
    if day is None:
        return None
    if precision == "year":
        return day, dt.date(day.year, 12, 31)
    if precision == "month":
        nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return day, nxt - dt.timedelta(days=1)
    return day, day


def _days_off(theirs: dt.date, bounds: tuple[dt.date, dt.date]) -> int:
    lo, hi = bounds
    return 0 if lo <= theirs <= hi else min(abs((theirs - lo).days), abs((theirs - hi).days))


def _verdict(f: Field, chip: dict[str, Any], theirs: Any) -> tuple[str, Any, Any, Any] | None:
    """(field name, ours, difference, verdict) for one figure, or None when neither side has it."""
    col = next((c for c in f.ours if chip.get(c) is not None), f.ours[0])
    ours = chip.get(col)
    if f.kind == "date":
        ours_bounds = [b for b in (_date_bounds(chip.get("announced"), chip.get("announced_precision")),
                                   _date_bounds(chip.get("available"), chip.get("available_precision"))) if b]
        ours = chip.get("announced") or chip.get("available")
        if ours is None and theirs is None:
            return None
        if ours is None or theirs is None:
            return col, ours, None, "only_ours" if theirs is None else "only_theirs"
        off = min(_days_off(theirs, b) for b in ours_bounds)
        signed = (theirs - ours).days
        return col, ours, signed, "agree" if off <= DATE_TOLERANCE_DAYS else "disagree"
    if ours is None and theirs is None:
        return None
    if ours is None or theirs is None:
        return col, ours, None, "only_ours" if theirs is None else "only_theirs"
    if f.kind == "text":
        a, b = squash(str(ours)), squash(str(theirs))
        return col, ours, None, "agree" if a and b and (a in b or b in a) else "disagree"
    diff = theirs - ours
    scale = max(abs(ours), abs(theirs))
    return col, ours, diff, "agree" if scale == 0 or abs(diff) <= TOLERANCE * scale else "disagree"


def _round(v: Any) -> Any:
    """Figures after a unit conversion carry float noise (1.2e-12 × 10^12); 10 significant digits is exact
    for every published figure."""
    return float(f"{v:.10g}") if isinstance(v, float) else v


def memory_unit(value: float | None) -> str | None:
    """'GB' when a byte count is a whole number of 10^9, 'GiB' of 2^30, else 'other'.

    >>> memory_unit(80e9), memory_unit(8 * 2**30), memory_unit(1536e6)
    ('GB', 'GiB', 'other')
    """
    if value is None or value <= 0:
        return None
    if value % 1e9 == 0:
        return "GB"
    if value % 2**30 == 0:
        return "GiB"
    return "other"


def compare_epoch_hardware(store: Store, path: str | Path) -> Comparison:
    """Compare the chips of ``store`` with one Epoch AI hardware snapshot (either format)."""
    snap = read_snapshot(path)
    chips = store.rows("importers/epoch_hardware_chips")
    by_id = {c["chip_id"]: c for c in chips}
    vendor_words = {squash(w) for _, w in store.tuples("importers/vendor_words", scope=SCOPE)}
    aliases = [(a, cid) for a, cid, _scope, _note in store.tuples("importers/chip_aliases", scope=SCOPE)
               if cid in by_id]
    matcher = NameMatcher([(c["chip_id"], c["name"]) for c in chips], aliases, vendor_words)

    records: list[dict[str, Any]] = []
    matched: dict[str, list[str]] = defaultdict(list)
    unmatched: list[EpochRow] = []
    units = {"GB": 0, "GiB": 0, "other": 0}
    for row in snap.rows:
        unit = memory_unit(row.raw_memory)
        if unit:
            units[unit] += 1
        chip_id = matcher.match(row.name, row.manufacturer)
        if chip_id is None:
            unmatched.append(row)
            continue
        matched[chip_id].append(row.name)
        chip = by_id[chip_id]
        for f in FIELDS:
            if f.name not in snap.headers:
                continue
            v = _verdict(f, chip, row.values.get(f.name))
            if v:
                col, ours, diff, verdict = v
                records.append({"chip_id": chip_id, "epoch_name": row.name, "field": col, "ours": _round(ours),
                                "theirs": _round(row.values.get(f.name)), "difference": _round(diff),
                                "verdict": verdict})
    counts = {v: sum(r["verdict"] == v for r in records) for v in VERDICTS}
    only_ours = [c for c in by_id if c not in matched]
    for cid in only_ours:
        records.append({"chip_id": cid, "epoch_name": None, "field": None, "ours": None, "theirs": None,
                        "difference": None, "verdict": "only_ours"})
    for row in unmatched:
        records.append({"chip_id": None, "epoch_name": row.name, "field": None, "ours": None, "theirs": None,
                        "difference": None, "verdict": "only_theirs"})
    df = pd.DataFrame(records, columns=RECORD_COLUMNS).astype(object)
    df = df.where(df.notna(), None)
    return Comparison(snap, df, matched_chips=len(matched), matched_rows=sum(map(len, matched.values())),
                      counts=counts, only_ours_chips=len(only_ours), only_theirs_rows=len(unmatched),
                      memory_units=units, duplicates={k: v for k, v in matched.items() if len(v) > 1})
