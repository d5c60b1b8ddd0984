"""The guarded executor for untrusted SQL (the dashboard console, ``marketgraph sql``).

Defence in depth, because analysts paste SQL from anywhere:
1. the text must parse as exactly one statement, and that statement must be a SELECT (CTEs, VALUES and
   FROM-first queries count as SELECT; PRAGMA, SET, ATTACH, COPY, INSTALL, CALL, EXPORT … do not);
2. it runs on a read-only connection with external access off (no files, no network, no extensions) and the
   configuration locked, so the query cannot turn those back on;
3. a timer interrupts it after ``timeout_s``;
4. at most ``max_rows`` rows are fetched, and the result says when it was cut.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import duckdb
import pandas as pd

from ..errors import QueryFailed, QueryRefused, QueryTimeout
from .db import connect

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 10_000

@dataclass
class SqlResult:
    frame: pd.DataFrame
    truncated: bool  # True when the query had more than max_rows rows
    max_rows: int | None
    elapsed_s: float


def _short(sql: str, n: int = 120) -> str:
    one = " ".join(sql.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def check_select_only(sql: str) -> str:
    """Return the single SELECT statement in ``sql`` or raise :class:`~marketgraph.errors.QueryRefused`.

    >>> check_select_only("select 1;")
    'select 1;'
    >>> check_select_only("drop table chips")
    Traceback (most recent call last):
    ...
    marketgraph.errors.QueryRefused: only SELECT statements are allowed; got DROP in: drop table chips
    """
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as e:
        raise QueryRefused(f"{str(e).strip()}") from None
    if not statements:
        raise QueryRefused("no SQL statement given")
    if len(statements) > 1:
        raise QueryRefused(f"one statement at a time; got {len(statements)} in: {_short(sql)}")
    st = statements[0]
    if st.type != duckdb.StatementType.SELECT:
        kind = str(st.type).rsplit(".", 1)[-1]
        raise QueryRefused(f"only SELECT statements are allowed; got {kind} in: {_short(st.query)}")
    return st.query


def run_untrusted_sql(sql: str, params: Mapping[str, Any] | None = None, db: str | Path | None = None,
                      timeout_s: float | None = DEFAULT_TIMEOUT_S,
                      max_rows: int | None = DEFAULT_MAX_ROWS, max_bytes: int | None = None) -> SqlResult:
    """Run SQL from an untrusted author under the guards above on the existing database ``db``.
    ``max_rows=None`` fetches everything; ``max_bytes`` (None: no cap) refuses a result larger than that."""
    if db is None:
        raise TypeError("run_untrusted_sql needs the database path (marketgraph.run_untrusted_sql finds the default)")
    statement = check_select_only(sql)
    start = time.monotonic()
    with connect(db) as con:
        timer = threading.Timer(timeout_s, con.interrupt) if timeout_s else None
        if timer:
            timer.daemon = True
            timer.start()
        try:
            cur = con.execute(statement, dict(params) if params else None)
            names = [d[0] for d in cur.description] if cur.description else []
            rows = cur.fetchall() if max_rows is None else cur.fetchmany(max_rows + 1)
        except duckdb.InterruptException:
            raise QueryTimeout(f"query stopped after the {timeout_s:g} s time limit: {_short(statement)}") from None
        except duckdb.Error as e:
            raise QueryFailed(f"{str(e).strip()}\n  in: {_short(statement)}") from None
        finally:
            if timer:
                timer.cancel()
    truncated = max_rows is not None and len(rows) > max_rows
    if truncated:
        rows = rows[:max_rows]
    frame = pd.DataFrame.from_records(rows, columns=names)
    if max_bytes is not None and int(frame.memory_usage(deep=True).sum()) > max_bytes:
        raise QueryFailed(f"result larger than the {max_bytes:,}-byte limit: {_short(statement)}")
    return SqlResult(frame, truncated, max_rows, time.monotonic() - start)
