"""Run trusted SQL (the library's own, and named queries in ``queries/``) into DataFrames."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from .db import connect
from .paths import queries_dir


def query(sql: str, params: Mapping[str, Any] | None = None, db: str | Path | None = None) -> pd.DataFrame:
    """Run one SQL statement on a read-only connection and return a DataFrame.

    Parameters are DuckDB named parameters: ``$name`` in the SQL, ``{"name": value}`` here.

    >>> query("SELECT count(*) AS n FROM segments WHERE segment_id = $s", {"s": "training"}).n[0]  # doctest: +SKIP
    1
    """
    with connect(db) as con:
        return con.execute(sql, dict(params) if params else None).df()


def named_query_names() -> list[str]:
    return sorted(p.stem for p in queries_dir().glob("*.sql"))


def named_query_sql(name: str) -> str:
    path = queries_dir() / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no named query {name!r}; known: {', '.join(named_query_names())}")
    return path.read_text(encoding="utf-8")


def named_query(name: str, db: str | Path | None = None, **params: Any) -> pd.DataFrame:
    """Run ``marketgraph/queries/<name>.sql`` with named parameters."""
    return query(named_query_sql(name), params or None, db)
