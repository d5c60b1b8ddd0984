"""The fast path of a build: DuckDB reads and types the data files itself, Python touches no cell.

Each file declared in :mod:`marketgraph.store.schema` goes through DuckDB's strict CSV reader into a staging
table of text, then one ``INSERT … SELECT`` per table casts and checks every cell as the Python loader would
(the same slug, choice, range, number and date rules; a bad cell calls ``error()``). The table constraints of the
DDL catch duplicate keys and unknown references; what they cannot say (references whose table is named by
another column, UNIQUE over nullable columns, lineage cycles) is checked by the named queries in
``queries/load/``. Everything runs in one transaction.

The fast path never reports a problem itself: on *any* doubt — a missing file, an unexpected header, bytes that
are not UTF-8, a NUL, a dialect corner where DuckDB and Python's ``csv`` could read a line differently, a bad
cell, a failed check — it rolls back and returns None, and the build runs the Python loader
(:func:`marketgraph.store.load.load_dataset`), which produces the precise ``FILE:LINE:COLUMN`` errors. So on bad
input the messages are exactly those of the Python loader, and on good input the tables are the same rows
(tests/unit/test_fastload.py compares both paths table by table).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

import duckdb

from .db import Store, named_query_sql
from .load import Dataset, LoadedTable, _display, digest, read_table
from .render import _sql_str
from .schema import DATA_TABLES, SLUG_PATTERN, Column, Table

# What str.strip() removes (every character whose isspace() is true); the Python loader strips each cell.
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")

# Only the plain forms on which Python's int()/float()/date.fromisoformat() and DuckDB's casts agree exactly;
# other spellings Python accepts ('1_000', ' 5', '٣', '20160501') go to the Python path.
_INTEGER = r"[+-]?[0-9]+"
_NUMBER = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"
_DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_PARTIAL = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"


class _Decline(Exception):
    """The fast path cannot vouch for this input; the Python loader will read it."""


@dataclass
class _Plan:
    table: Table
    path: Path
    header: list[str]
    # Some field begins or ends in whitespace other than spaces: trim with str.strip()'s full list (slower).
    full_trim: bool = False

    def trim(self, field: str) -> str:
        return f"trim(coalesce({field}, ''), $ws)" if self.full_trim else f"trim(coalesce({field}, ''))"

    @property
    def stage(self) -> str:
        return f"_stage_{self.table.name}"

    def field(self, name: str) -> str | None:
        """The staging column holding file column ``name`` (c1 … cN), or None if the file has no such column."""
        return f"c{self.header.index(name) + 1}" if name in self.header else None


def _plan(con: duckdb.DuckDBPyConnection, t: Table, data_dir: Path) -> _Plan:
    path = data_dir / t.csv  # type: ignore[operator]
    if not path.is_file():
        raise _Decline
    with path.open("rb") as f:
        first = f.readline().rstrip(b"\r\n").decode("utf-8", "replace")
    if '"' in first:  # a quoted header could span lines; the Python reader handles it
        raise _Decline
    header = [h.strip() for h in first.split(",")]
    known = [c.name for c in t.file_columns]
    if len(set(header)) != len(header) or any(h not in known for h in header):
        raise _Decline
    if any(c.required and c.name not in header for c in t.file_columns):
        raise _Decline
    if any(c.type not in ("VARCHAR", "INTEGER", "DOUBLE", "DATE", "BOOLEAN") for c in t.columns if c.from_file):
        raise _Decline
    try:
        if Store(con).first("load/file_doubts", path=str(path))[0]:
            raise _Decline
    except duckdb.Error:  # not UTF-8, unreadable
        raise _Decline from None
    return _Plan(t, path, header)


# ---------------------------------------------------------------- cell expressions

def _fail(col: Column) -> str:
    return f"error({_sql_str(f'{col.name}: bad cell')})"


def _typed(col: Column, v: str) -> str:
    """SQL for the typed value of file column ``col`` given its stripped text ``v`` (NULL when empty)."""
    whens = [f"WHEN {v} IS NULL THEN {_fail(col) if col.required else 'NULL'}"]
    bad = _fail(col)
    if col.type == "VARCHAR":
        if col.slug:
            # A literal pattern, compiled once: a bound one is compiled again for every row.
            whens.append(f"WHEN NOT regexp_full_match({v}, {_sql_str(SLUG_PATTERN)}) THEN {bad}")
        if col.choices:
            whens.append(f"WHEN {v} NOT IN ({', '.join(map(_sql_str, col.choices))}) THEN {bad}")
        return f"CASE {' '.join(whens)} ELSE {v} END"
    if col.type in ("INTEGER", "DOUBLE"):
        pattern = _INTEGER if col.type == "INTEGER" else _NUMBER
        value = f"TRY_CAST({v} AS {col.type})"
        whens.append(f"WHEN NOT regexp_full_match({v}, '{pattern}') OR {value} IS NULL THEN {bad}")
        if col.type == "DOUBLE":
            whens.append(f"WHEN NOT isfinite({value}) THEN {bad}")
        if col.ge is not None:
            whens.append(f"WHEN {value} < {float(col.ge)!r} THEN {bad}")
        if col.le is not None:
            whens.append(f"WHEN {value} > {float(col.le)!r} THEN {bad}")
        return f"CASE {' '.join(whens)} ELSE {value} END"
    if col.type == "DATE":
        pattern = _PARTIAL if col.precision_column else _DAY
        text = (f"CASE length({v}) WHEN 4 THEN {v} || '-01-01' WHEN 7 THEN {v} || '-01' ELSE {v} END"
                if col.precision_column else v)
        value = f"TRY_CAST({text} AS DATE)"
        # Year 0 is 1 BC to DuckDB and no date at all to Python.
        whens.append(f"WHEN NOT regexp_full_match({v}, '{pattern}') OR {value} IS NULL "
                     f"OR starts_with({v}, '0000') THEN {bad}")
        return f"CASE {' '.join(whens)} ELSE {value} END"
    if col.type == "BOOLEAN":
        return f"CASE {whens[0]} WHEN lower({v}) = 'true' THEN true WHEN lower({v}) = 'false' THEN false ELSE {bad} END"
    raise AssertionError(col.type)


def _value(p: _Plan, col: Column) -> str:
    t = p.table
    if col.derive:
        fn, src = col.derive
        if fn == "year":
            return f"year({_value(p, t.column(src))})"
        return _sql_str(fn.split(":", 1)[1])  # constant:<text>
    if t.is_precision(col.name):
        date_col = next(c for c in t.columns if c.precision_column == col.name)
        f = p.field(date_col.name)
        if f is None:
            return "CAST(NULL AS VARCHAR)"
        return f"CASE length(s.{f}) WHEN 10 THEN 'day' WHEN 7 THEN 'month' WHEN 4 THEN 'year' END"
    f = p.field(col.name)
    return f"CAST(NULL AS {col.type})" if f is None else _typed(col, f"s.{f}")


def _insert_sql(p: _Plan, where: str = "") -> str:
    t = p.table
    values = ", ".join(f"CAST({_value(p, c)} AS {c.type})" for c in t.columns)
    # The staging table's text, stripped as the Python loader strips it, empty as NULL, in file order.
    stripped = ", ".join(f"nullif({p.trim(f'c{i}')}, '') AS c{i}" for i in range(1, len(p.header) + 1))
    source = f"(SELECT {stripped} FROM {p.stage}) s"
    # A scan, filter and projection keep the staging table's order (DuckDB's preserve_insertion_order), so the
    # rows go in in file order without a sort; the layered inserts, which join, sort their own.
    return f"INSERT INTO {t.name} ({', '.join(t.column_names)}) SELECT {values} FROM {source} {where}"


# ---------------------------------------------------------------- loading

def _stage(con: duckdb.DuckDBPyConnection, p: _Plan) -> int:
    columns = {f"c{i}": "VARCHAR" for i in range(1, len(p.header) + 1)}
    con.execute(f"CREATE TEMP TABLE {p.stage} AS " + named_query_sql("load/read_csv"),
                {"path": str(p.path), "columns": columns})
    # Lines whose every field is blank are allowed between rows (the Python loader skips them too).
    store = Store(con)
    p.full_trim = bool(store.first("load/odd_blanks", table=p.stage)[0])
    blank = " AND ".join(f"{p.trim(f'c{i}')} = ''" for i in range(1, len(p.header) + 1))
    con.execute(f"DELETE FROM {p.stage} WHERE {blank}", {"ws": WHITESPACE} if p.full_trim else None)
    return store.first("store/table_rows", table=p.stage)[0]


def _insert(con: duckdb.DuckDBPyConnection, p: _Plan, staged: int) -> None:
    t = p.table
    params = {"ws": WHITESPACE} if p.full_trim else None
    self_refs = [c for c in t.columns if c.references and c.references.startswith(t.name + ".")]
    if not self_refs:
        con.execute(_insert_sql(p), params)
        return
    # DuckDB checks a foreign key against rows already in the table, not against the statement's own rows:
    # insert a chip only once its predecessor and base SKU are in, layer by layer, each in file order (as the
    # Python path's batches). A layer that adds nothing while rows remain means a cycle, a row that is its own
    # predecessor, or an unknown reference: the Python loader reports those.
    # The cells are cast and checked once, into a constraint-free copy; the layers then move typed rows.
    typed = f"_typed_{t.name}"
    con.execute(f"CREATE TEMP TABLE {typed} ({', '.join(f'{c.name} {c.type}' for c in t.columns)})")
    con.execute(_insert_sql(p).replace(f"INSERT INTO {t.name} ", f"INSERT INTO {typed} ", 1), params)
    pk = t.primary_key[0]
    conds = [f"{pk} NOT IN (SELECT {pk} FROM {t.name})"]
    # Uncorrelated, so DuckDB runs each as one hash join; a row naming itself never gets in (see above).
    conds += [f"({c.name} IS NULL OR {c.name} IN (SELECT {pk} FROM {t.name}))" for c in self_refs]
    cols = ", ".join(t.column_names)
    sql = f"INSERT INTO {t.name} ({cols}) SELECT {cols} FROM {typed} WHERE {' AND '.join(conds)} ORDER BY rowid"
    done = 0
    while done < staged:
        added = con.execute(sql).fetchone()[0]
        if not added:
            raise _Decline
        done += added
    con.execute(f"DROP TABLE {typed}")


def _check(store: Store) -> None:
    """What the DDL's constraints cannot say; any row found sends the build to the Python loader."""
    for t in DATA_TABLES:
        for u in t.unique:
            if not all(t.column(n).required or n in t.primary_key for n in u):
                if store.first("load/duplicate_keys", table=t.name, columns=list(u))[0]:
                    raise _Decline
        for p in t.polyrefs:
            for kind, target_name in p.targets.items():
                target = next(x for x in DATA_TABLES if x.name == target_name)
                refs = {"table": t.name, "kind_column": p.kind_column, "id_column": p.id_column, "kind": kind,
                        "target": target.name, "pk": target.primary_key[0]}
                if store.first("load/polyref_unknown", **refs)[0]:
                    raise _Decline
                if not p.field_column:
                    continue
                for (field,) in store.tuples("load/polyref_fields", table=t.name, kind_column=p.kind_column,
                                             field_column=p.field_column, kind=kind):
                    if field not in target.column_names:
                        raise _Decline
                    if store.first("load/polyref_empty_field", **refs, field_column=p.field_column,
                                   field=field)[0]:
                        raise _Decline


def fast_load(store: Store, data_dir: Path) -> Dataset | None:
    """Load every data table into the (empty, schema-created) store; None when the Python loader must do it."""
    if not data_dir.is_dir():
        return None
    try:
        plans = [_plan(store.con, t, data_dir) for t in DATA_TABLES]
    except (_Decline, OSError):
        return None
    con = store.con
    con.execute("BEGIN")
    try:
        staged = [_stage(con, p) for p in plans]
        for p, n in zip(plans, staged):  # DATA_TABLES lists referenced tables first
            _insert(con, p, n)
        _check(store)
        for p in plans:
            con.execute(f"DROP TABLE {p.stage}")
        con.execute("COMMIT")
    except (duckdb.Error, _Decline):
        con.execute("ROLLBACK")
        return None
    return FastDataset(data_dir, LazyTables({p.table.name: p for p in plans}), digest(data_dir))


class FastDataset(Dataset):
    """A Dataset whose rows stay in DuckDB: steps get its tables by name and warnings located in the files."""

    def locate(self, table: str, key: str | None, column: str | None = None) -> tuple[str, int, int]:
        tables: LazyTables = self.tables  # type: ignore[assignment]
        p = tables.plan(table)
        pk = p.table.primary_key
        if len(pk) != 1 or p.table.column(pk[0]).type != "VARCHAR":
            return super().locate(table, key, column)  # keys the light index does not parse: the full reader
        line = tables.key_lines(table).get(key, 1) if key is not None else 1
        col = p.header.index(column) + 1 if column and column in p.header else 1
        return _display(p.path), line, col


class LazyTables(Mapping):
    """The Dataset's tables for build steps, read by the Python loader only if a step asks for one (to locate a
    check's warning in its file): a build without warnings parses no CSV in Python."""

    def __init__(self, plans: dict[str, _Plan]):
        self._plans = plans
        self._loaded: dict[str, LoadedTable] = {}
        self._lines: dict[str, dict[str, int]] = {}

    def __getitem__(self, name: str) -> LoadedTable:
        if name not in self._loaded:
            p = self._plans[name]
            errors: list = []
            lt = read_table(p.table, p.path, _display(p.path), errors)
            if lt is None or errors:  # the file changed since the fast path read it
                raise RuntimeError(f"{p.path} changed during the build")
            self._loaded[name] = lt
        return self._loaded[name]

    def plan(self, name: str) -> _Plan:
        return self._plans[name]

    def key_lines(self, name: str) -> dict[str, int]:
        """Line of each key's first row, counted as the Python loader counts (a record's first line; records
        that span lines and blank lines counted): csv's C reader and one column, not every cell parsed."""
        if name not in self._lines:
            p = self._plans[name]
            i = p.header.index(p.table.primary_key[0])
            index: dict[str, int] = {}
            with p.path.open(newline="", encoding="utf-8") as f:
                reader = csv.reader(f, strict=True)
                next(reader)
                prev_end = reader.line_num
                for record in reader:
                    line, prev_end = prev_end + 1, reader.line_num
                    key = record[i].strip() if len(record) > i else ""
                    if key:  # a key is required, so a row without one is a blank line
                        index.setdefault(key, line)
            self._lines[name] = index
        return self._lines[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._plans)

    def __len__(self) -> int:
        return len(self._plans)

    def __contains__(self, name: Any) -> bool:
        return name in self._plans
