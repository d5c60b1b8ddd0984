"""Read the data/ files, validate them against :mod:`marketgraph.schema`, and collect *all* errors.

Nothing here writes anything: :func:`load_dataset` either returns a fully validated :class:`Dataset` or raises
:class:`DataErrors` listing every problem as ``FILE:LINE:COLUMN: message``, so a build never half-writes.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import DataError, DataErrors, utf8_error_position
from .schema import DATA_TABLES, SLUG_PATTERN, Column, Table

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SLUG = re.compile(SLUG_PATTERN)


@dataclass
class LoadedTable:
    table: Table
    path: Path
    display: str  # the path as shown in error messages
    header: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    # The file's rows could not all be read as records (a quoting error, a wrong field count): references into
    # it are not checked, since every row it lost would otherwise be reported again from every other file.
    broken: bool = False

    def column_number(self, name: str | None) -> int:
        """1-based position of a column in the file (1 if the column is absent or None)."""
        if name and name in self.header:
            return self.header.index(name) + 1
        return 1

    def key_of(self, row: dict[str, Any]) -> tuple:
        return tuple(row[k] for k in self.table.primary_key)


@dataclass
class Dataset:
    data_dir: Path
    tables: dict[str, LoadedTable]
    digest: str
    _line_index: dict[str, dict[Any, int]] = field(default_factory=dict, repr=False)

    def rows(self, name: str) -> list[dict[str, Any]]:
        return self.tables[name].rows

    def locate(self, table: str, key: str | None, column: str | None = None) -> tuple[str, int, int]:
        """File, line and column of a row (by its single-column primary key) for error messages."""
        lt = self.tables[table]
        line = 1
        if key is not None and len(lt.table.primary_key) == 1:
            # Indexed once per table: a build with many check warnings would otherwise scan per warning.
            if table not in self._line_index:
                pk = lt.table.primary_key[0]
                index: dict[Any, int] = {}
                for row, ln in zip(lt.rows, lt.lines):
                    index.setdefault(row[pk], ln)
                self._line_index[table] = index
            line = self._line_index[table].get(key, 1)
        return lt.display, line, lt.column_number(column)


# ---------------------------------------------------------------- cell parsing

class CellError(ValueError):
    pass


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """``'2016'`` → (2016-01-01, 'year'); ``'2016-05'`` → (2016-05-01, 'month'); full dates → 'day'.

    >>> parse_partial_date('2016-05')
    (datetime.date(2016, 5, 1), 'month')
    """
    m = _PARTIAL_DATE.fullmatch(text)
    if not m:
        raise CellError(f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    y, mo, d = m.groups()
    try:
        value = dt.date(int(y), int(mo or 1), int(d or 1))
    except ValueError as e:
        raise CellError(f"{text!r} is not a valid date ({e})") from None
    return value, "day" if d else "month" if mo else "year"


def parse_cell(col: Column, text: str) -> Any:
    if col.type == "VARCHAR":
        if col.slug and not _SLUG.fullmatch(text):
            raise CellError(f"{text!r} is not a lowercase id (letters, digits and - _ . between them)")
        if col.choices and text not in col.choices:
            raise CellError(f"{text!r} is not one of {', '.join(col.choices)}")
        return text
    if col.type in ("DOUBLE", "INTEGER"):
        try:
            value = float(text) if col.type == "DOUBLE" else int(text)
        except ValueError:
            kind = "a number" if col.type == "DOUBLE" else "a whole number"
            raise CellError(f"{text!r} is not {kind}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise CellError(f"{text!r} is not a finite number")
        if col.ge is not None and value < col.ge:
            raise CellError(f"{text} is below the minimum {col.ge:g}")
        if col.le is not None and value > col.le:
            raise CellError(f"{text} is above the maximum {col.le:g}")
        return value
    if col.type == "DATE":
        if col.precision_column:
            return parse_partial_date(text)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise CellError(f"{text!r} is not a date (use YYYY-MM-DD)") from None
    if col.type == "BOOLEAN":
        low = text.lower()
        if low in ("true", "false"):
            return low == "true"
        raise CellError(f"{text!r} is not true or false")
    if col.type == "TIMESTAMP":
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            raise CellError(f"{text!r} is not a timestamp (use YYYY-MM-DD HH:MM:SS)") from None
    raise AssertionError(f"unhandled type {col.type}")


def _derive(col: Column, row: dict[str, Any]) -> Any:
    fn, src = col.derive  # type: ignore[misc]
    if fn == "year":
        return row[src].year if row.get(src) else None
    if fn.startswith("constant:"):
        return fn.split(":", 1)[1]
    raise AssertionError(f"unknown derivation {fn}")


# ---------------------------------------------------------------- reading one file

def _read_text(path: Path, display: str, errors: list[DataError]) -> str | None:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line, col = utf8_error_position(raw, e)
        errors.append(DataError(display, line, col, "file is not valid UTF-8"))
        return None


def read_table(table: Table, path: Path, display: str, errors: list[DataError]) -> LoadedTable | None:
    """Parse one CSV file into typed rows; append every cell-level problem to ``errors``."""
    if not path.is_file():
        errors.append(DataError(display, 1, 1, f"file not found (the {table.name} table is loaded from it)"))
        return None
    text = _read_text(path, display, errors)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        errors.append(DataError(display, 1, 1, "file is empty (a header row is required)"))
        return None
    except csv.Error as e:
        errors.append(DataError(display, 1, 1, f"malformed CSV: {e}"))
        return None
    lt = LoadedTable(table, path, display, header)
    known = {c.name for c in table.file_columns}
    for i, h in enumerate(header, 1):
        if h not in known:
            hint = "" if h not in table.column_names else " (it is computed by the loader)"
            errors.append(DataError(display, 1, i, f"unknown column {h!r} for table {table.name}{hint}"))
        elif header.index(h) != i - 1:
            errors.append(DataError(display, 1, i, f"column {h!r} appears twice"))
    missing = [c.name for c in table.file_columns if c.required and c.name not in header]
    for name in missing:
        errors.append(DataError(display, 1, len(header) + 1, f"required column {name!r} is missing"))
    if missing:
        return None
    cols = [table.column(h) if h in known else None for h in header]
    prev_end = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            # An unbalanced quote swallows the rest of the file into one field: name where it opened.
            hint = (f" (a quoted field that starts on line {prev_end + 1} is never closed: look for an unbalanced "
                    "quote there)" if "unexpected end of data" in str(e) else "")
            errors.append(DataError(display, prev_end + 1, 1, f"malformed CSV: {e}{hint}"))
            lt.broken = True
            break
        line = prev_end + 1
        prev_end = reader.line_num
        if not record or all(not f.strip() for f in record):
            continue  # blank lines are allowed between rows
        if len(record) != len(header):
            quoted = any("\n" in f for f in record)
            hint = (f" (a quoted field runs from line {line} to line {prev_end}: look for an unbalanced quote)"
                    if quoted else "")
            errors.append(DataError(display, line, min(len(record), len(header)) + 1,
                                    f"expected {len(header)} fields, found {len(record)}{hint}"))
            lt.broken = True
            continue
        row: dict[str, Any] = {c.name: None for c in table.columns}
        for i, (col, cell) in enumerate(zip(cols, record), 1):
            cell = cell.strip()
            if "\x00" in cell:
                # Stored, a NUL would cut the text short in half the tools that read the database.
                errors.append(DataError(display, line, i, f"{col.name if col else 'cell'}: contains a NUL character"))
                continue
            if col is None or cell == "":
                continue
            try:
                value = parse_cell(col, cell)
            except CellError as e:
                errors.append(DataError(display, line, i, f"{col.name}: {e}"))
                continue
            if col.precision_column:
                row[col.name], row[col.precision_column] = value
            else:
                row[col.name] = value
        for i, col in enumerate(cols, 1):
            if col is not None and col.required and row[col.name] is None and record[i - 1].strip() == "":
                errors.append(DataError(display, line, i, f"{col.name}: a value is required"))
        for col in table.columns:
            if col.derive:
                row[col.name] = _derive(col, row)
        # Rows with bad cells are kept (bad cells as None) so that references to them still resolve and
        # the report does not fill with follow-on errors; the build stops on the cell errors anyway.
        lt.rows.append(row)
        lt.lines.append(line)
    return lt


# ---------------------------------------------------------------- cross-file checks

def _check_keys(lt: LoadedTable, errors: list[DataError]) -> None:
    t = lt.table
    for key_cols in (t.primary_key, *t.unique):
        if not key_cols:
            continue
        seen: dict[tuple, int] = {}
        for row, line in zip(lt.rows, lt.lines):
            key = tuple(row[k] for k in key_cols)
            if any(v is None for v in key) and key_cols is t.primary_key:
                continue
            if key in seen:
                shown = ", ".join(f"{k}={v!r}" for k, v in zip(key_cols, key))
                errors.append(DataError(lt.display, line, lt.column_number(key_cols[0]),
                                        f"duplicate {shown} (first at line {seen[key]})"))
            else:
                seen[key] = line


def _check_references(ds_tables: dict[str, LoadedTable], errors: list[DataError]) -> None:
    index = {name: {lt.key_of(r)[0]: r for r in lt.rows} for name, lt in ds_tables.items()
             if len(lt.table.primary_key) == 1}
    for lt in ds_tables.values():
        t = lt.table
        for col in t.columns:
            if not col.references:
                continue
            ref_table, _ = col.references.split(".")
            if ref_table not in index or ds_tables[ref_table].broken:
                continue
            target = ds_tables[ref_table]
            for row, line in zip(lt.rows, lt.lines):
                v = row[col.name]
                if v is not None and v not in index[ref_table]:
                    what = ref_table[:-1] if ref_table.endswith("s") else ref_table
                    errors.append(DataError(lt.display, line, lt.column_number(col.name),
                                            f"unknown {what} {v!r} (not in {target.path.name})"))
        for p in t.polyrefs:
            for row, line in zip(lt.rows, lt.lines):
                target_name = p.targets.get(row[p.kind_column])
                if target_name is None or target_name not in ds_tables or ds_tables[target_name].broken:
                    continue
                target = ds_tables[target_name]
                if row[p.id_column] not in index.get(target_name, {}):
                    errors.append(DataError(lt.display, line, lt.column_number(p.id_column),
                                            f"{p.id_column}: no {target_name} row with id {row[p.id_column]!r} "
                                            f"(not in {target.path.name})"))
                    continue
                if p.field_column and row[p.field_column] is not None:
                    fname = row[p.field_column]
                    if fname not in target.table.column_names:
                        errors.append(DataError(lt.display, line, lt.column_number(p.field_column),
                                                f"{p.field_column}: {target_name} has no column {fname!r}"))
                    else:
                        subject = index[target_name][row[p.id_column]]
                        if subject[fname] is None:
                            errors.append(DataError(lt.display, line, lt.column_number(p.field_column),
                                                    f"{p.field_column}: cites {target_name}.{fname} of "
                                                    f"{row[p.id_column]!r}, which is empty"))


def _check_cycles(ds_tables: dict[str, LoadedTable], errors: list[DataError]) -> None:
    """A row that is its own predecessor/variant/parent, or a chain of them that comes back to where it started.

    The database's foreign keys cannot say this (they would raise a raw constraint error, or accept the loop),
    and every consumer that walks a lineage would loop forever.
    """
    for lt in ds_tables.values():
        t = lt.table
        if len(t.primary_key) != 1:
            continue
        pk = t.primary_key[0]
        for col in t.columns:
            if not (col.references and col.references.split(".")[0] == t.name):
                continue
            what = col.name.removesuffix("_id").replace("_", " ")
            nxt = {r[pk]: r[col.name] for r in lt.rows if r[pk] is not None and r[col.name] is not None}
            line_of = {r[pk]: ln for r, ln in zip(lt.rows, lt.lines)}
            reported: set = set()
            for start in nxt:
                chain, seen = [start], {start}
                cur = nxt.get(start)
                while cur is not None and cur not in seen and cur in nxt:
                    chain.append(cur)
                    seen.add(cur)
                    cur = nxt[cur]
                if cur != start or start in reported:
                    continue
                reported.update(chain)
                loop = " → ".join(map(repr, [*chain, start]))
                message = (f"{col.name}: {start!r} is its own {what}" if len(chain) == 1
                           else f"{col.name}: a {what} cycle: {loop}")
                errors.append(DataError(lt.display, line_of[start], lt.column_number(col.name), message))


# ---------------------------------------------------------------- entry point

def data_files(data_dir: Path) -> list[Path]:
    """Every file whose content goes into a build (for the digest)."""
    files = [data_dir / t.csv for t in DATA_TABLES if t.csv]
    cards = data_dir / "cards"
    if cards.is_dir():
        files += sorted(p for p in cards.rglob("*") if p.is_file())
    return [f for f in files if f.is_file()]


def digest(data_dir: Path) -> str:
    h = hashlib.sha256()
    for f in data_files(data_dir):
        h.update(f.relative_to(data_dir).as_posix().encode() + b"\0")
        h.update(f.read_bytes() + b"\0")
    return h.hexdigest()


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_dataset(data_dir: str | Path | None = None) -> Dataset:
    """Load and validate every data file; raise :class:`DataErrors` with all problems at once."""
    data_dir = Path(data_dir) if data_dir else paths.shipped_data_dir()
    errors: list[DataError] = []
    if not data_dir.is_dir():
        raise DataErrors([DataError(str(data_dir), 1, 1, "data folder not found")])
    tables: dict[str, LoadedTable] = {}
    for t in DATA_TABLES:
        path = data_dir / t.csv  # type: ignore[operator]
        lt = read_table(t, path, _display(path), errors)
        if lt is not None:
            tables[t.name] = lt
    for lt in tables.values():
        _check_keys(lt, errors)
    _check_references(tables, errors)
    _check_cycles(tables, errors)
    if errors:
        raise DataErrors(errors)
    return Dataset(data_dir, tables, digest(data_dir))
