"""Build the DuckDB store atomically from validated data, and open it read-only.

A build writes a temporary file next to the target, closes it and ``os.replace``-s it over the old one, so a
failed or killed build leaves the previous database byte-identical, and readers that have the old file open
keep their data while new connections see the new one.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pandas as pd

from . import __version__, paths
from .load import DataError, DataErrors, Dataset, load_dataset
from .schema import BUILD_INFO, DATA_TABLES, TABLES, Table, ddl

# Every read connection uses this one configuration: DuckDB refuses a second connection to the same file with a
# different one, and nothing the library reads needs files, network or extensions beyond the database itself.
READ_ONLY_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,
}

_build_lock = threading.Lock()


class DatabaseMissing(Exception):
    """The database file does not exist (and is not the default one, which is built on first use)."""


@dataclass
class BuildReport:
    db_path: Path
    data_dir: Path
    digest: str
    row_counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)


_DTYPES = {"DOUBLE": "Float64", "INTEGER": "Int64", "BOOLEAN": "boolean"}


def frame(table: Table, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame with nullable dtypes, so empty cells arrive in DuckDB as NULL (never NaN)."""
    data = {}
    for c in table.columns:
        values = [r.get(c.name) for r in rows]
        data[c.name] = pd.array(values, dtype=_DTYPES.get(c.type, object))
    return pd.DataFrame(data, columns=table.column_names)


def _self_ref_layers(table: Table, rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split rows so each batch only references rows of earlier batches.

    DuckDB checks a foreign key against rows already in the table, not against the batch being inserted, so a
    chip whose predecessor comes later in the file would fail (the loader has already verified the reference).
    """
    self_cols = [c.name for c in table.columns if c.references and c.references.startswith(table.name + ".")]
    if not self_cols:
        return [rows]
    pk = table.primary_key[0]
    done: set = set()
    pending, layers = rows, []
    while pending:
        layer = [r for r in pending if all(r[c] is None or r[c] in done or r[c] == r[pk] for c in self_cols)]
        if not layer:  # a cycle: let DuckDB report it
            layer = pending
        done.update(r[pk] for r in layer)
        layers.append(layer)
        pending = [r for r in pending if r[pk] not in done]
    return layers


def insert_rows(con: duckdb.DuckDBPyConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    for layer in _self_ref_layers(table, rows):
        _insert_batch(con, table, layer)


def _insert_batch(con: duckdb.DuckDBPyConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    df = frame(table, rows)
    con.register("_incoming", df)
    try:
        cols = ", ".join(f"CAST({c.name} AS {c.type}) AS {c.name}" for c in table.columns)
        con.execute(f"INSERT INTO {table.name} SELECT {cols} FROM _incoming")
    finally:
        con.unregister("_incoming")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in ddl(TABLES):
        con.execute(stmt)


def populate(con: duckdb.DuckDBPyConnection, ds: Dataset) -> list[str]:
    """Create the schema, insert the validated data and run every registered step; return warnings."""
    create_schema(con)
    for t in DATA_TABLES:
        insert_rows(con, t, ds.rows(t.name))
    from .build_steps import STEPS  # imported late: the steps themselves use this module

    warnings: list[str] = []
    for _name, step in STEPS:
        warnings.extend(step(con, ds) or [])
    return warnings


STALE_TEMP_SECONDS = 6 * 3600  # a build takes seconds; a temp file this old was left by a killed process


def _remove_stale_temps(target: Path) -> None:
    """Delete temporary files that killed builds left next to ``target`` (never a live build's: too young)."""
    import time

    for p in target.parent.glob(f".{target.name}.*.tmp*"):
        try:
            if time.time() - p.stat().st_mtime > STALE_TEMP_SECONDS:
                p.unlink()
        except OSError:
            pass


def _temp_path(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(name)  # DuckDB must create the file itself
    return Path(name)


@contextmanager
def atomic_db(target: Path, copy_from: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a temporary database that replaces ``target`` only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target)
    tmp = _temp_path(target)
    con = None
    try:
        if copy_from is not None:
            shutil.copyfile(copy_from, tmp)
        con = duckdb.connect(str(tmp))
        yield con
        con.execute("CHECKPOINT")
        con.close()
        con = None
        os.replace(tmp, target)
    finally:
        if con is not None:
            con.close()
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            if leftover.exists():
                leftover.unlink()


def build(data_dir: str | Path | None = None, db_path: str | Path | None = None) -> BuildReport:
    """Validate ``data_dir`` (default: the shipped data) and build the database at ``db_path``.

    Raises :class:`~marketgraph.load.DataErrors` listing every problem; the old database is then untouched.

    >>> report = build(db_path="/tmp/doctest-marketgraph.duckdb")   # doctest: +SKIP
    >>> report.row_counts["chips"] > 0                                # doctest: +SKIP
    True
    """
    ds = load_dataset(data_dir)
    target = Path(db_path) if db_path else paths.default_db_path()
    with atomic_db(target) as con:
        warnings = populate(con, ds)
        insert_rows(con, BUILD_INFO, [{
            "data_digest": ds.digest,
            "built_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0),
            "package_version": __version__,
            "duckdb_version": duckdb.__version__,
            "data_dir": str(ds.data_dir),
        }])
        counts = row_counts(con)
    return BuildReport(target, ds.data_dir, ds.digest, counts, warnings)


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> tuple | None:
    """The first row of a query, or None. Fetches everything: DuckDB 2 blocks the connection while a result is
    only partly fetched, so ``fetchone()`` on a multi-row (or even one-row) result is a trap."""
    rows = con.execute(sql, params).fetchall()
    return rows[0] if rows else None


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t.name: first_row(con, f"SELECT count(*) FROM {t.name}")[0] for t in TABLES}


def resolve_db(db: str | Path | None = None) -> Path:
    """The database to read: ``db`` if given (it must exist), else the default, built on first use."""
    if db is not None:
        path = Path(db).expanduser()
        if not path.is_file():
            raise DatabaseMissing(f"no database at {path}; create it with: marketgraph build --db {path}")
        return path
    path = paths.default_db_path()
    if not path.is_file():
        with _build_lock:
            if not path.is_file():
                build(db_path=path)
    return path


def connect(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection with external access off. Close it when done (or use it in ``with``).

    Take one connection per thread: a DuckDB connection shared across threads gives wrong results.
    """
    return duckdb.connect(str(resolve_db(db)), read_only=True, config=READ_ONLY_CONFIG)


def build_info(db: str | Path | None = None) -> dict[str, Any]:
    with connect(db) as con:
        cur = con.execute("SELECT * FROM build_info")
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
        row = rows[0] if rows else None
        info = dict(zip(names, row)) if row else {}
        info["row_counts"] = row_counts(con)
    return info


def is_stale(db: str | Path | None = None, data_dir: str | Path | None = None) -> bool:
    """True when the database was built from data other than ``data_dir`` (default: shipped data) as it is now."""
    from .load import digest

    data = Path(data_dir) if data_dir else paths.shipped_data_dir()
    return build_info(db).get("data_digest") != digest(data)


__all__ = ["build", "connect", "resolve_db", "build_info", "is_stale", "atomic_db", "insert_rows",
           "BuildReport", "DatabaseMissing", "DataErrors", "DataError", "READ_ONLY_CONFIG"]
