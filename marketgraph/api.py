"""Convenience entry points for notebooks and scripts: a Store on a database, a trusted query, build info."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from . import paths
from .store.db import Store, open_store


def _path(db: str | Path | None) -> Path:
    return Path(db).expanduser() if db is not None else paths.default_db_path()


def connect(db: str | Path | None = None) -> Store:
    """A read-only :class:`~marketgraph.store.db.Store` on ``db`` (default: the default database). Reading never
    writes: a missing file raises :class:`~marketgraph.errors.DatabaseMissing`; call
    :func:`marketgraph.ensure_db` first to build the default database on first use. Close the Store when done, or
    use it in ``with``."""
    return open_store(_path(db))


def query(sql: str, params: Mapping[str, Any] | None = None, db: str | Path | None = None) -> pd.DataFrame:
    """Run one SQL statement of your own (trusted: it is not the guarded console) on a read-only connection.

    Parameters are DuckDB named parameters: ``$name`` in the SQL, ``{"name": value}`` here.
    """
    with connect(db) as store:
        return store.con.execute(sql, dict(params) if params else None).df()


def named_query(name: str, db: str | Path | None = None, **params: Any) -> pd.DataFrame:
    """Run ``store/queries/<name>.sql`` with named parameters."""
    with connect(db) as store:
        return store.query(name, **params)


def build_info(db: str | Path | None = None) -> dict[str, Any]:
    """The build_info row and every table's row count."""
    with connect(db) as store:
        info = store.build_info()
        info["row_counts"] = store.row_counts()
    return info


def run_untrusted_sql(sql: str, params: Mapping[str, Any] | None = None, db: str | Path | None = None, **limits):
    """SQL from an untrusted author under the console's guards (see :mod:`marketgraph.store.guard`), on ``db`` or
    the default database."""
    from .store.guard import run_untrusted_sql as guarded

    return guarded(sql, params, _path(db), **limits)
