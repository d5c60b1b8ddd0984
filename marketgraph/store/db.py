"""The one way in to the database: :class:`Store` owns a connection and runs named queries.

Callers hold one ``Store`` per unit of work (a CLI command, a dashboard callback, a report) and pass it down;
they never open their own connection or paste SQL together. Every SELECT the library runs is a ``.sql`` file
under ``store/queries/`` (subfolders group them by who uses them), run with bound ``$name`` parameters.

Reading never writes: :func:`open_store` opens an existing file read-only and raises
:class:`~marketgraph.errors.DatabaseMissing` when there is none. Building the default database on first use is
``marketgraph.ensure_db``'s job alone.
"""
from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

import duckdb

from ..errors import DatabaseMissing, DatabaseUnusable, UnknownName
from .schema import TABLES, Table

# A reader opens a fresh in-memory instance and ATTACHes the file read-only, rather than
# ``duckdb.connect(path)``: DuckDB's instance cache hands a new connection the instance already open on that
# *path*, so while any connection stays open every new reader would keep seeing the file a rebuild replaced.
# ATTACH opens the file by its current identity. External access is switched off (and the configuration locked)
# only after the ATTACH, which itself needs file access; nothing a reader runs can switch it back on.
ATTACH_ALIAS = "marketgraph"
INSTANCE_CONFIG = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
}
LOCKDOWN = (("enable_external_access", False), ("lock_configuration", True))

QUERIES_DIR = Path(__file__).resolve().parent / "queries"

_opened = 0
_opened_lock = threading.Lock()


def connections_opened() -> int:
    """How many connections this process has opened so far (tests assert one per unit of work)."""
    return _opened


def _count_connection() -> None:
    global _opened
    with _opened_lock:
        _opened += 1


# ---------------------------------------------------------------- named queries

def named_query_names(folder: str = "") -> list[str]:
    """Names of the named queries in ``folder`` (e.g. ``console``), as passed to :meth:`Store.query`."""
    base = QUERIES_DIR / folder if folder else QUERIES_DIR
    return sorted(p.relative_to(QUERIES_DIR).with_suffix("").as_posix() for p in base.glob("*.sql"))


@functools.lru_cache(maxsize=None)
def named_query_sql(name: str) -> str:
    """The text of ``store/queries/<name>.sql``."""
    path = QUERIES_DIR / f"{name}.sql"
    if ".." in Path(name).parts or not path.is_file():
        folder = name.rsplit("/", 1)[0] if "/" in name else ""
        raise UnknownName(f"no named query {name!r}; known: {', '.join(named_query_names(folder))}")
    return path.read_text(encoding="utf-8")


def query_comment(sql: str, key: str) -> str:
    """The value of a ``-- key: value`` header line of a named query ('' when absent)."""
    for line in sql.splitlines():
        line = line.strip()
        if line.startswith(f"-- {key}:"):
            return line.split(":", 1)[1].strip()
    return ""


# ---------------------------------------------------------------- the Store

class Store:
    """One connection and what one unit of work computes from it.

    >>> with open_store("/tmp/marketgraph.duckdb") as store:          # doctest: +SKIP
    ...     store.query("chips_overview", segment=None, vendor="google", deployment=None)
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None = None, *, owns: bool = True):
        self.con = con
        self.path = path
        self._owns = owns
        self._memo: dict[Any, Any] = {}
        self._providers: dict[Any, Callable[[], Any]] = {}

    # -- reading
    def execute(self, name: str, params: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
        return self.con.execute(named_query_sql(name), params or None)

    def query(self, name: str, **params: Any):
        """A named query as a pandas DataFrame."""
        return self.execute(name, params).df()

    def rows(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """A named query as a list of dicts (column name → value)."""
        cur = self.execute(name, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def iter_rows(self, name: str, batch: int = 10_000, **params: Any) -> Iterator[dict[str, Any]]:
        """A named query's rows as dicts, fetched ``batch`` at a time (a large table never sits in memory
        whole). Read each to its end before running another query on this Store: DuckDB holds the connection
        while a result is partly fetched."""
        cur = self.execute(name, params)
        names = [d[0] for d in cur.description]
        while rows := cur.fetchmany(batch):
            for r in rows:
                yield dict(zip(names, r))

    def tuples(self, name: str, **params: Any) -> list[tuple]:
        return self.execute(name, params).fetchall()

    def first(self, name: str, **params: Any) -> tuple | None:
        """The first row, or None. Fetches everything: DuckDB blocks a connection while a result is only partly
        fetched, so ``fetchone()`` on a multi-row result is a trap."""
        rows = self.tuples(name, **params)
        return rows[0] if rows else None

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per Store: what a unit of work needs twice (the concentration table) is read once.
        A provider registered for ``key`` (see :meth:`provide`) is asked instead of ``compute``."""
        if key not in self._memo:
            self._memo[key] = self._providers.pop(key, compute)()
        return self._memo[key]

    def provide(self, key: Any, compute: Callable[[], Any]) -> None:
        """Have ``memo(key)`` call ``compute`` when first asked, not the caller's own computation: a server
        hands every Store of one database file the values it keeps per file (the dashboard's caches), and a
        unit of work that never asks pays nothing."""
        if key not in self._memo:
            self._providers[key] = compute

    def row_counts(self) -> dict[str, int]:
        return {t.name: self.first("store/table_rows", table=t.name)[0] for t in TABLES}

    def build_info(self) -> dict[str, Any]:
        rows = self.rows("store/build_info")
        return rows[0] if rows else {}

    # -- writing (only on a build's own temporary database)
    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        from .write import insert_rows

        insert_rows(self.con, table, rows)

    def delete(self, table: Table, column: str | None = None, values: list[Any] | None = None) -> None:
        """Delete every row of ``table``, or those whose ``column`` is one of ``values``."""
        if column is None:
            self.con.execute(f"DELETE FROM {table.name}")
        elif values:
            # Table and column names come from the schema declaration (table.column raises for others).
            col = table.column(column).name
            self.con.execute(f"DELETE FROM {table.name} WHERE list_contains($v, {col})", {"v": list(values)})

    # -- lifetime
    def close(self) -> None:
        if self._owns:
            self.con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def file_identity(path: str | Path) -> tuple[int, int, int, int]:
    """(device, inode, size, mtime_ns) of ``path``: a rebuild replaces the file, so this changes with it even
    within one second. Caches of what was computed from a database key on it (the dashboard's graph)."""
    st = os.stat(Path(path).expanduser())
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def connect(path: str | Path, settings: Mapping[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database file as it is now, with external access off.

    ``settings`` (e.g. ``memory_limit``) are applied before the configuration is locked; the guarded executor
    uses them for its limits.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise DatabaseMissing(f"no database at {path}; create it with: marketgraph build --db {path}")
    con = duckdb.connect(":memory:", config=INSTANCE_CONFIG)
    try:
        con.execute(f"ATTACH $path AS {ATTACH_ALIAS} (READ_ONLY)", {"path": str(path)})
        con.execute(f"USE {ATTACH_ALIAS}")
        for name, value in [*(settings or {}).items(), *LOCKDOWN]:
            # Setting names come from this package, never from a user; values are bound.
            con.execute(f"SET {name} = $v", {"v": value})
    except duckdb.Error as e:
        con.close()
        raise DatabaseUnusable(f"cannot open {path} as a marketgraph database: {str(e).strip()}") from None
    _count_connection()
    return con


def open_store(path: str | Path) -> Store:
    """A read-only :class:`Store` on an existing database file. Close it (or use ``with``)."""
    path = Path(path).expanduser()
    return Store(connect(path), path)

