"""Epoch AI's chip-sales model export (``csv_export/`` of epoch-research/ai-chip-counts) → ``data/shipments.csv``.

Read as Epoch publishes it:

* one timeline file per designer. NVIDIA and the TPU come as calendar-quarter *and* fiscal-quarter files that
  cover the same units: only the calendar-quarter file is read, never both. AMD's and Trainium's
  ``*_chip_timelines.csv`` are calendar quarters although their row names say "FY24 Q1" (their dates are
  calendar quarters; the importer checks every period is one);
* each file orders its columns differently, so columns are found by header name;
* dates are written ``1/1/2022`` (month/day/year) or ``2022-01-01``;
* a period Epoch notes as ``Incomplete: …`` (its underlying fiscal data only partly covers it) is kept and
  flagged ``is_partial``;
* the chip type ("H100", "Instinct MI300X") is mapped to a chip_id through data/aliases.csv (scope
  ``epoch-chip-counts`` or unscoped) or a chip's own name; the alias note says which SKU stands for a family.
  Unmapped types are refused, all listed.

The import is lossless (per chip type and quarter the units and H100e are carried as published, so per chip and
calendar year they sum to the source files' figures) and idempotent: a second run replaces the rows of every
earlier Epoch chip-counts import instead of adding to them.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, DataErrors
from ..store.schema import SHIPMENTS, SOURCES

SOURCE_PREFIX = "epoch-ai-chip-counts-"
DEFAULT_COMMIT = "d1b1bc311479ed385befa400e94533afc8b59fb7"
SCOPE = "epoch-chip-counts"

_TIMELINE = re.compile(r"(?P<designer>[a-z0-9]+)_(?P<calendar>(?:calendar|fiscal)_quarter_)?chip_timelines\.csv")

# Our column ← Epoch's header (the same in every timeline file, in a different order).
COLUMNS = {
    "period_start": "Start date", "period_end": "End date", "chip_type": "Chip type", "name": "Name",
    "h100e": "Compute estimate in H100e (median)", "h100e_low": "H100e (5th percentile)",
    "h100e_high": "H100e (95th percentile)", "units": "Number of Units",
    "units_low": "Number of Units (5th percentile)", "units_high": "Number of Units (95th percentile)",
    "notes": "Notes",
}
NUMBERS = ("units", "units_low", "units_high", "h100e", "h100e_low", "h100e_high")


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)  # the fiscal-quarter duplicates
    rows: int = 0
    replaced: int = 0
    partial: int = 0
    by_chip: dict[str, int] = field(default_factory=dict)
    out: Path | None = None
    source_added: bool = False


def timeline_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The files to read (one per designer: calendar quarters) and those deliberately not read."""
    by_designer: dict[str, dict[str, Path]] = {}
    for p in sorted(folder.glob("*.csv")):
        m = _TIMELINE.fullmatch(p.name)
        if m:
            kind = (m.group("calendar") or "plain_").split("_")[0]  # calendar | fiscal | plain
            by_designer.setdefault(m.group("designer"), {})[kind] = p
    use, skip = [], []
    for designer, files in sorted(by_designer.items()):
        chosen = files.get("calendar") or files.get("plain")
        if chosen is None:
            raise DataErrors([DataError(str(files["fiscal"]), 1, 1, f"{designer}: only a fiscal-quarter timeline; "
                                        "the importer needs calendar quarters (the *_calendar_quarter_ file)")])
        use.append(chosen)
        skip += [p for p in files.values() if p != chosen]
    return use, skip


def parse_date(text: str) -> dt.date:
    text = text.strip()
    if "/" in text:
        return dt.datetime.strptime(text, "%m/%d/%Y").date()
    return dt.date.fromisoformat(text)


def _quarter_of(start: dt.date, end: dt.date) -> int | None:
    """The calendar quarter [start, end] is, or None if it is not exactly one."""
    if start.day != 1 or start.month not in (1, 4, 7, 10):
        return None
    q = (start.month - 1) // 3 + 1
    next_start = dt.date(start.year + (q == 4), 1 if q == 4 else start.month + 3, 1)
    return q if end == next_start - dt.timedelta(days=1) else None


def _read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def chip_lookup(data_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Normalised name → chip_id (aliases of this importer's scope and unscoped ones, and chip names), and
    chip_id → the alias note."""
    def norm(s: str) -> str:
        return " ".join(s.split()).casefold()

    lookup: dict[str, str] = {}
    notes: dict[str, str] = {}
    with (data_dir / "chips.csv").open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            lookup.setdefault(norm(r["name"]), r["chip_id"])
            lookup.setdefault(norm(r["chip_id"]), r["chip_id"])
    with (data_dir / "aliases.csv").open(encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["entity_kind"] == "chip" and (r.get("scope") or "") in ("", SCOPE):
                # the importer's own scope decides over a general alias of the same text
                if (r.get("scope") or "") == SCOPE or norm(r["alias"]) not in lookup:
                    lookup[norm(r["alias"])] = r["entity_id"]
                if r.get("note"):
                    notes[r["entity_id"]] = r["note"]
    return lookup, notes


def read_timelines(folder: Path, data_dir: Path, source_id: str) -> tuple[list[dict], ImportReport]:
    """Every shipments row the export holds, or DataErrors naming each problem at its file and line."""
    if not folder.is_dir():
        raise DataErrors([DataError(str(folder), 1, 1, "folder not found (give Epoch's csv_export folder)")])
    files, skipped = timeline_files(folder)
    if not files:
        raise DataErrors([DataError(str(folder), 1, 1, "no *_chip_timelines.csv files in this folder")])
    lookup, alias_notes = chip_lookup(data_dir)
    report = ImportReport([str(p) for p in files], [str(p) for p in skipped])
    errors: list[DataError] = []
    unmapped: dict[str, list[str]] = {}
    rows: list[dict] = []
    for path in files:
        table = _read_csv(path)
        header = [h.strip() for h in table[0]] if table else []
        missing = [h for h in COLUMNS.values() if h not in header]
        if missing:
            errors.append(DataError(str(path), 1, len(header) + 1, f"missing column(s): {', '.join(missing)}"))
            continue
        idx = {ours: header.index(theirs) for ours, theirs in COLUMNS.items()}
        for line, rec in enumerate(table[1:], 2):
            if not any(c.strip() for c in rec):
                continue
            if len(rec) != len(header):
                errors.append(DataError(str(path), line, 1, f"expected {len(header)} fields, found {len(rec)}"))
                continue
            cell = {k: rec[i].strip() for k, i in idx.items()}
            try:
                start, end = parse_date(cell["period_start"]), parse_date(cell["period_end"])
            except ValueError:
                errors.append(DataError(str(path), line, idx["period_start"] + 1,
                                        f"dates {cell['period_start']!r}–{cell['period_end']!r} are not M/D/YYYY "
                                        "or YYYY-MM-DD"))
                continue
            q = _quarter_of(start, end)
            if q is None:
                errors.append(DataError(str(path), line, idx["period_start"] + 1,
                                        f"{start}–{end} is not one calendar quarter"))
                continue
            values = {}
            for k in NUMBERS:
                try:
                    values[k] = float(cell[k].replace(",", "")) if cell[k] else None
                except ValueError:
                    errors.append(DataError(str(path), line, idx[k] + 1, f"{COLUMNS[k]}: {cell[k]!r} is not a number"))
            if len(values) != len(NUMBERS):
                continue
            chip_id = lookup.get(" ".join(cell["chip_type"].split()).casefold())
            if chip_id is None:
                unmapped.setdefault(cell["chip_type"], []).append(f"{path.name}:{line}")
                continue
            partial = cell["notes"].lower().startswith("incomplete")
            note = f"Epoch row '{cell['name']}' (chip type '{cell['chip_type']}')"
            if chip_id in alias_notes:
                note += f"; {alias_notes[chip_id]}"
            if partial:
                note += "; Epoch marks the quarter incomplete"
            rows.append({
                "shipment_id": f"epoch-{chip_id}-{start.year}q{q}", "chip_id": chip_id, "period_start": start,
                "period_end": end, **values, "interval": "p5-p95", "method": "modelled", "is_partial": partial,
                "source_id": source_id, "notes": note, "_where": (str(path), line),
            })
            report.partial += partial
            report.by_chip[chip_id] = report.by_chip.get(chip_id, 0) + 1
    for chip_type, where in sorted(unmapped.items()):
        file, line = where[0].rsplit(":", 1)
        errors.append(DataError(str(folder / file), int(line), 1,
                                f"chip type {chip_type!r} maps to no chip ({len(where)} row(s)); add an alias with "
                                f"scope {SCOPE} to data/aliases.csv, or the chip to chips.csv"))
    seen: dict[str, tuple[str, int]] = {}
    for r in rows:
        if r["shipment_id"] in seen:
            f0, l0 = seen[r["shipment_id"]]
            errors.append(DataError(r["_where"][0], r["_where"][1], 1, f"a second row for {r['chip_id']} in that "
                                    f"quarter (first at {Path(f0).name}:{l0}); two chip types map to one chip"))
        seen[r["shipment_id"]] = r["_where"]
    if errors:
        raise DataErrors(errors)
    for r in rows:
        del r["_where"]
    report.rows = len(rows)
    return rows, report


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() else repr(v)
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


def source_row(commit: str) -> dict[str, str]:
    return {
        "source_id": SOURCE_PREFIX + commit[:7], "publisher": "Epoch AI",
        "title": "ai-chip-counts: csv_export (chip-sales model export)",
        "url": f"https://github.com/epoch-research/ai-chip-counts/tree/{commit}/csv_export",
        "accessed": dt.date.today().isoformat(), "source_type": "dataset", "licence": "MIT",
        "notes": f"Epoch AI's modelled AI-chip sales at commit {commit[:7]}: units and H100-equivalents per chip and "
                 "quarter with 5th/95th percentiles. Modelled estimates, not reported shipments.",
    }


def import_epoch_chip_counts(folder: str | Path, data_dir: str | Path, commit: str = DEFAULT_COMMIT) -> ImportReport:
    """Replace the Epoch chip-counts rows of ``data_dir/shipments.csv`` with those of ``folder``."""
    folder, data_dir = Path(folder), Path(data_dir)
    if not (data_dir / "chips.csv").is_file():
        raise DataErrors([DataError(str(data_dir), 1, 1, "not a marketgraph data folder (no chips.csv); pass --data")])
    if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
        raise DataErrors([DataError("--commit", 1, 1, f"{commit!r} is not a git commit id")])
    source_id = SOURCE_PREFIX + commit[:7]
    new, report = read_timelines(folder, data_dir, source_id)

    shipments = data_dir / SHIPMENTS.csv
    columns = [c.name for c in SHIPMENTS.file_columns]
    kept: list[list[str]] = []
    if shipments.is_file():
        table = _read_csv(shipments)
        header = table[0]
        src = header.index("source_id")
        for rec in table[1:]:
            if rec and rec[src].startswith(SOURCE_PREFIX):
                report.replaced += 1
            elif rec:
                kept.append([rec[header.index(c)] if c in header else "" for c in columns])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(kept)
    new.sort(key=lambda r: (r["chip_id"], r["period_start"]))
    w.writerows([[_cell(r[c]) for c in columns] for r in new])
    _write_atomically(shipments, buf.getvalue())

    sources = data_dir / SOURCES.csv
    table = _read_csv(sources)
    if source_id not in {rec[table[0].index("source_id")] for rec in table[1:] if rec}:
        row = source_row(commit)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow([row.get(c, "") for c in table[0]])
        text = sources.read_text(encoding="utf-8")
        _write_atomically(sources, text + ("" if text.endswith("\n") else "\n") + out.getvalue())
        report.source_added = True
    report.out = shipments
    return report
