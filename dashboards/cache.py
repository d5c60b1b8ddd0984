"""Per-database caches keyed by the file's identity, and the one Store each unit of work opens.

Opening a DuckDB file costs 30–90 ms on a busy 2-core machine (the catalogue is read each time), more than a
callback may take in all. So the app keeps one open database per file identity and gives each unit of work its
own connection to it (``cursor()``: about a millisecond); the unit closes it when done. When the file is
replaced, the old database is retired and closed once the requests still reading it finish ("old connections
finish on the old file"), and the next request opens the new file (``store.db.connect`` ATTACHes the file as
it is now, so it never gets the replaced one back from DuckDB's instance cache).

A rebuild replaces the database file atomically, so the identity of the file (device, inode, size, mtime), not
its age or its path, tells whether something computed earlier still describes it. Whatever is expensive and
shared by many requests (the knowledge graph with its label index, the chips table, the concentration table) is
computed once per identity; the next request after a rebuild sees a new identity and recomputes. Old entries are
dropped as soon as a new identity is seen, so a long-running server holds one generation at a time.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

import flask

from marketgraph.market.shipped import read_model
from marketgraph.store.db import ATTACH_ALIAS, Store, connect, file_identity, named_query_sql

IDENTITY_KEY = "dashboard/file_identity"


def current_db() -> str:
    """The database the running app serves (set by create_app)."""
    return flask.current_app.config["MARKETGRAPH_DB"]


class _Database:
    """One open database file: its identity, its build, and how many units of work are reading it."""

    def __init__(self, identity: Any, con, built_at: Any):
        self.identity, self.con, self.built_at, self.users = identity, con, built_at, 0


class _ReaderStore(Store):
    """A Store on its own connection to a shared open database; closing it releases the database."""

    def __init__(self, con, path: Path, db: _Database, readers: "Readers"):
        super().__init__(con, path)
        self._db, self._readers = db, readers

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._readers.release(self._db)


class Readers:
    """The open databases of one served path (see the module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: _Database | None = None
        self._retired: list[_Database] = []

    def open(self, path: str | Path) -> Store:
        path = Path(path)
        identity = file_identity(path)
        with self._lock:
            cur = self._current
            if cur is not None and cur.identity != identity:
                self._retired.append(cur)
                self._current = None
                self._reap()
            if self._current is None:
                self._current = self._open(path, identity)
            db = self._current
            db.users += 1
            con = db.con.cursor()
            # A cursor starts in the in-memory catalogue of the reader's instance, not in the attached
            # database file (USE is per connection), so point it at the file again.
            con.execute(f"USE {ATTACH_ALIAS}")
        s = _ReaderStore(con, path, db, self)
        s.memo(IDENTITY_KEY, lambda: db.identity)
        return s

    def _open(self, path: Path, identity: Any) -> _Database:
        con = connect(path)
        built = con.execute(named_query_sql("store/build_info")).fetchall()
        return _Database(identity, con, built[0] if built else None)

    def release(self, db: _Database) -> None:
        with self._lock:
            db.users -= 1
            self._reap()

    def _reap(self) -> None:
        for db in [d for d in self._retired if d.users <= 0]:
            db.con.close()
            self._retired.remove(db)

    def close(self) -> None:
        with self._lock:
            for db in self._retired + ([self._current] if self._current else []):
                db.con.close()
            self._current, self._retired = None, []


_readers: dict[str, Readers] = {}
_readers_lock = threading.Lock()


def readers(path: str | Path) -> Readers:
    key = str(Path(path).resolve())
    with _readers_lock:
        return _readers.setdefault(key, Readers())


def warm(s: Store) -> Store:
    """What the library memoises per Store (the concentration table, vendor names, the bases, the shipments
    model), provided from the per-file cache instead: a callback does not re-read the tables, and one that never
    asks for them pays nothing. Each value is read-only to its users, so one copy serves every request."""
    s.provide("segment_concentration", lambda: cached(s, "memo:segment_concentration",
                                                      lambda: s.query("market/segment_concentration")))
    s.provide("vendor_names", lambda: cached(s, "memo:vendor_names", lambda: dict(s.tuples("market/vendor_names"))))
    s.provide("dashboard/bases", lambda: cached(s, "memo:bases", lambda: {r["basis"]: r for r in
                                                                          s.rows("dashboard/bases")}))
    s.provide("shipped_model", lambda: cached(s, "memo:shipped_model", lambda: read_model(s)))
    return s


def store() -> Store:
    """A read-only Store on the served database: its own connection, with the identity of the file it reads
    (so a cache entry is never keyed by a newer file than the one it was computed from) and the small tables
    every page reads already in its memo. One per layout or callback, with ``with``."""
    return warm(readers(current_db()).open(current_db()))


class PerDatabase:
    """Values computed from a database, kept while its file is unchanged.

    >>> cache = PerDatabase()
    >>> with store() as s:                                   # doctest: +SKIP
    ...     g = cache.get(s, "graph", lambda: build_graph(s))
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._identity: Any = None
        self._values: dict[str, Any] = {}
        self._locks: dict[str, threading.Lock] = {}

    def get(self, s: Store, name: str, compute: Callable[[], Any]) -> Any:
        identity = s.memo(IDENTITY_KEY, lambda: file_identity(s.path))
        with self._lock:
            if identity != self._identity:
                self._identity, self._values, self._locks = identity, {}, {}
            if name in self._values:
                return self._values[name]
            lock = self._locks.setdefault(name, threading.Lock())
        # One computation per name at a time: twenty clients arriving after a rebuild wait for the first one
        # instead of each building the graph.
        with lock:
            with self._lock:
                if self._identity == identity and name in self._values:
                    return self._values[name]
            value = compute()
            with self._lock:
                if self._identity == identity:
                    self._values[name] = value
            return value

    def clear(self) -> None:
        with self._lock:
            self._identity, self._values, self._locks = None, {}, {}


CACHE = PerDatabase()


def cached(s: Store, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per database file (see :class:`PerDatabase`)."""
    return CACHE.get(s, name, compute)


def close_all() -> None:
    """Close every database the app holds open (a server shutting down; tests that reuse the file after)."""
    with _readers_lock:
        for r in _readers.values():
            r.close()
        _readers.clear()
    CACHE.clear()
