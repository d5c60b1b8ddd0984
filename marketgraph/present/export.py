"""Full exports: whole tables or the result of a query, to CSV, JSON, Parquet or XLSX — never capped.

Tables are read through the ``export/table`` named query as Arrow, so Parquet keeps DuckDB's column types
(DATE stays a date, INTEGER an int32, BOOLEAN a boolean). A folder export (several tables, or ``--all``) writes
one ``TABLE.<ext>`` per table and a Frictionless Data ``datapackage.json`` describing each file's fields, types,
units and descriptions from the schema declaration, the sources and the licence. CSV and XLSX are written for
people to open in a spreadsheet, so text that a spreadsheet would run as a formula is neutralised
(:func:`marketgraph.present.formats.neutralise_formula`); numbers stay numbers.
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import hashlib
import io
import json
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import pyarrow as pa

from ..errors import InvalidArgument
from ..store.db import Store, named_query_sql
from ..store.guard import run_untrusted_sql
from ..store.schema import TABLES, TABLES_BY_NAME, VIEWS_BY_NAME, table as schema_table
from .formats import csv_cell, get_format, names_for, neutralise_formula, plain, writer

DATA_LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/"}
FRICTIONLESS_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "DOUBLE": "number", "DATE": "date",
                      "TIMESTAMP": "datetime", "BOOLEAN": "boolean"}
WIDTH_SAMPLE = 200  # rows looked at to size a spreadsheet column
MAX_WIDTH = 60
BATCH_ROWS = 10_000

Progress = Callable[[str], None]


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # table or "query" -> rows written

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# ---------------------------------------------------------------- cells

def _cell_for_people(v):
    """A cell for CSV or XLSX: lists joined, text neutralised, everything else as it is."""
    if isinstance(v, (list, tuple)):
        return ", ".join("" if x is None else str(x) for x in v)
    return neutralise_formula(v)


def _batches(data: pa.Table) -> Iterable[list[dict[str, Any]]]:
    for batch in data.to_batches(max_chunksize=BATCH_ROWS):
        yield batch.to_pylist()


# ---------------------------------------------------------------- writers (named in the format registry)

def write_csv(data: pa.Table, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(data.column_names)
        for rows in _batches(data):
            w.writerows([csv_cell(_cell_for_people(v)) for v in r.values()] for r in rows)


def _json_value(v):
    """plain(), and DECIMAL (what DuckDB makes of ``i * 0.5``) as a JSON number."""
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return plain(v)


def write_json(data: pa.Table, path: Path) -> None:
    """A JSON list of records, streamed batch by batch (dates ISO, NULL null)."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        first = True
        for rows in _batches(data):
            for r in rows:
                fh.write(("\n" if first else ",\n") + json.dumps({k: _json_value(v) for k, v in r.items()},
                                                                 ensure_ascii=False))
                first = False
        fh.write("\n]\n")


def write_parquet(data: pa.Table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(data, path)


def write_xlsx(data: pa.Table, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    write_sheet(wb.create_sheet(path.stem[:31] or "data"), data)
    path.write_bytes(stable_xlsx_bytes(wb))


# ---------------------------------------------------------------- spreadsheets, shared with the XLSX report

def _xlsx_value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item") and not isinstance(v, (list, tuple)):
        v = v.item()
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, dt.datetime) and v.tzinfo is not None:
        v = v.astimezone(dt.timezone.utc).replace(tzinfo=None)  # Excel has no time zones
    if hasattr(v, "to_pydatetime"):
        v = v.to_pydatetime()
    return _cell_for_people(v)


def write_sheet(ws, data) -> None:
    """One table on a worksheet: typed cells (numbers, dates, booleans stay themselves), a bold header row on a
    dark fill, frozen, with an autofilter over the data and column widths from the header and the first rows.
    ``data`` is a pyarrow Table or a pandas DataFrame; ``ws`` a normal or a write-only worksheet."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if not isinstance(data, pa.Table):
        data = pa.Table.from_pandas(data, preserve_index=False)
    names = data.column_names
    sample = data.slice(0, WIDTH_SAMPLE).to_pylist()
    widths = [min(MAX_WIDTH, max([len(n)] + [len(str(_xlsx_value(r[n]) or "")) for r in sample]) + 2)
              for n in names]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    last = get_column_letter(max(1, len(names)))
    ws.auto_filter.ref = f"A1:{last}{data.num_rows + 1}"
    font, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="17365D")
    header = []
    for n in names:
        c = WriteOnlyCell(ws, value=n)
        c.font, c.fill, c.alignment = font, fill, Alignment(vertical="top")
        header.append(c)
    ws.append(header)
    for rows in _batches(data):
        for r in rows:
            ws.append([_xlsx_value(v) for v in r.values()])


def stable_xlsx_bytes(wb, as_of: str | None = None) -> bytes:
    """The workbook's bytes with its stated times fixed (the as-of date, else the epoch of the ZIP format), so
    the same data gives the same file: openpyxl stamps the save time into the properties and the ZIP entries."""
    when = dt.datetime.fromisoformat(as_of) if as_of else dt.datetime(1980, 1, 1)
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = "marketgraph"
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _fix_core_times(data, when)
            fixed = zipfile.ZipInfo(info.filename, date_time=(max(1980, when.year), when.month, when.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()


def _fix_core_times(xml: bytes, when: dt.datetime) -> bytes:
    import re

    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", xml)


# ---------------------------------------------------------------- what to export

def table_names(names: Iterable[str]) -> list[str]:
    """Check table (or view) names against the schema; unknown ones raise UnknownName listing the tables."""
    out = []
    for n in names:
        if n not in VIEWS_BY_NAME:
            schema_table(n)
        if n not in out:
            out.append(n)
    return out


def _extension(fmt: str) -> str:
    return get_format(fmt).extension


def _check_format(fmt: str) -> str:
    f = get_format(fmt)
    if f.export is None:
        raise InvalidArgument(f"format {f.name!r} cannot export; use one of: {', '.join(names_for('export'))}")
    return f.name


def read_table(store: Store, name: str) -> pa.Table:
    """The whole table as Arrow, straight from DuckDB (a relation, not a cursor: no extra copy of the rows)."""
    return store.con.sql(named_query_sql("export/table"), params={"table": name}).to_arrow_table()


def _write(write: Callable, data: pa.Table, path: Path) -> None:
    """Write one file, its folder made first; a path that cannot be written is the user's to fix."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(data, path)
    except OSError as e:
        raise InvalidArgument(f"cannot write {path}: {e.strerror or e}") from None


def export_tables(store: Store, names: Iterable[str], fmt: str, out: str | Path,
                  progress: Progress | None = None) -> ExportResult:
    """Every row of each table in ``names`` to ``out``: a file when there is one table and ``out`` is not an
    existing folder; else a folder with ``TABLE.<ext>`` per table and ``datapackage.json``."""
    fmt = _check_format(fmt)
    names = table_names(names)
    if not names:
        raise InvalidArgument("no table to export; name tables, or use --all or --query")
    folder_given = str(out).endswith(("/", "\\"))  # Path() drops the trailing slash
    out = Path(out).expanduser()
    as_folder = len(names) > 1 or out.is_dir() or folder_given or not out.suffix
    write = writer(fmt, "export")
    result = ExportResult()
    for n in names:
        path = out / f"{n}.{_extension(fmt)}" if as_folder else out
        data = read_table(store, n)
        _write(write, data, path)
        result.files.append(path)
        result.rows[n] = data.num_rows
        if progress:
            progress(n)
    if as_folder:
        result.files.append(write_datapackage(store, out, result, fmt))
    return result


def export_all(store: Store, fmt: str, out: str | Path, progress: Progress | None = None) -> ExportResult:
    """Every table of the store, one file each, into the folder ``out``, with ``datapackage.json``."""
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise InvalidArgument(f"--all writes one file per table into a folder; {out} is a file")
    return export_tables(store, [t.name for t in TABLES], fmt, str(out) + "/", progress)


def export_query(db: str | Path, sql: str, fmt: str, out: str | Path, params: Mapping[str, Any] | None = None,
                 timeout_s: float | None = None) -> ExportResult:
    """The whole result of one SELECT of the user's own to the file ``out``. It runs under the console's guards
    (one statement, SELECT only, read-only, no external access) but without its row, byte or time caps: an
    export is never cut."""
    fmt = _check_format(fmt)
    result = run_untrusted_sql(sql, params, db, timeout_s=timeout_s, max_rows=None, max_bytes=None)
    out = Path(out).expanduser()
    if out.is_dir():
        out = out / f"query.{_extension(fmt)}"
    data = pa.Table.from_pandas(result.frame, preserve_index=False)
    _write(writer(fmt, "export"), data, out)
    return ExportResult([out], {"query": data.num_rows})


# ---------------------------------------------------------------- datapackage.json

def _field(col) -> dict[str, Any]:
    f: dict[str, Any] = {"name": col.name, "type": FRICTIONLESS_TYPES.get(col.type, "any"),
                         "description": col.description}
    if col.unit:
        f["unit"] = col.unit
    constraints: dict[str, Any] = {}
    if col.required:
        constraints["required"] = True
    if col.choices:
        constraints["enum"] = list(col.choices)
    if col.ge is not None:
        constraints["minimum"] = col.ge
    if col.le is not None:
        constraints["maximum"] = col.le
    if constraints:
        f["constraints"] = constraints
    return f


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def datapackage(store: Store, files: Mapping[str, Path], rows: Mapping[str, int], fmt: str) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of exported tables (``files``: table -> file written)."""
    f = get_format(fmt)
    info = store.build_info()
    resources = []
    for name, path in files.items():
        spec = TABLES_BY_NAME.get(name) or VIEWS_BY_NAME[name]
        res: dict[str, Any] = {
            "name": name, "path": path.name, "profile": "tabular-data-resource" if f.name == "csv" else "data-resource",
            "format": f.extension, "mediatype": f.media_type, "encoding": "utf-8", "description": spec.description,
            "bytes": path.stat().st_size, "hash": f"sha256:{_sha256(path)}", "rows": rows[name],
            "schema": {"fields": [_field(c) for c in spec.columns]}}
        pk = getattr(spec, "primary_key", ())
        if pk:
            res["schema"]["primaryKey"] = list(pk)
        fks = [{"fields": [c.name], "reference": {"resource": c.references.split(".")[0],
                                                  "fields": [c.references.split(".")[1]]}}
               for c in spec.columns if c.references and c.references.split(".")[0] in files]
        if fks:
            res["schema"]["foreignKeys"] = fks
        resources.append(res)
    sources = [{"title": f"{r['publisher']}: {r['title']}", "path": r["url"], "accessed": r["accessed"].isoformat(),
                **({"licence": r["licence"]} if r["licence"] else {})} for r in store.rows("export/sources")]
    return {
        "profile": "tabular-data-package" if f.name == "csv" else "data-package",
        "name": "marketgraph", "title": "marketgraph: the AI-accelerator market database",
        "description": "Curated, sourced data on AI accelerators, their vendors, shipments, published market "
                       "estimates and events, with the concentration measures computed from them.",
        "version": str(info.get("package_version", "")),
        "marketgraph": {"data_digest": info.get("data_digest"), "duckdb_version": info.get("duckdb_version")},
        "licenses": [DATA_LICENCE],
        "contributors": [{"title": "marketgraph contributors", "role": "author"}],
        "sources": sources, "resources": resources}


def write_datapackage(store: Store, folder: Path, result: ExportResult, fmt: str) -> Path:
    files = {p.stem: p for p in result.files if p.stem in result.rows}
    path = folder / "datapackage.json"
    path.write_text(json.dumps(datapackage(store, files, result.rows, fmt), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    return path


# ---------------------------------------------------------------- one file for a browser (the /reports page)

def zip_files(files: Iterable[Path], root: Path) -> bytes:
    """A ZIP of ``files`` with paths relative to ``root`` and fixed times (same files, same bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(files):
            info = zipfile.ZipInfo(p.relative_to(root).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, p.read_bytes())
    return buf.getvalue()


def export_download(store: Store, names: Iterable[str], fmt: str) -> tuple[str, bytes]:
    """Tables as one file for a browser: ``(filename, bytes)`` — the file itself for one table, else a ZIP of the
    folder export (one file per table and datapackage.json)."""
    import tempfile

    names = table_names(names)
    with tempfile.TemporaryDirectory(prefix="marketgraph-export-") as tmp:
        root = Path(tmp)
        if len(names) == 1:
            result = export_tables(store, names, fmt, root / f"{names[0]}.{_extension(fmt)}")
            return result.files[0].name, result.files[0].read_bytes()
        result = export_tables(store, names, fmt, root / "marketgraph-export")
        return f"marketgraph-export-{get_format(fmt).name}.zip", zip_files(result.files, root)
