"""The SQL console's rules, shared by its page and its downloads: what a query may be and how a result is shown.

The query runs on the guarded executor (marketgraph.store.guard): one SELECT, read-only, no file or network
access, a time limit and a row cap. What arrives from the browser is checked first, so a number, a list or a
megabyte of text posted to the callback is a clean refusal, not a server error.
"""
from __future__ import annotations

import hashlib

from dataclasses import dataclass
from typing import Any

from marketgraph.errors import QueryRefused, UnsafeQuery
from marketgraph.present.formats import plain
from marketgraph.store.db import named_query_names, named_query_sql, query_comment
from marketgraph.store.guard import run_untrusted_sql

MAX_ROWS = 2_000
TIMEOUT_S = 5.0
MAX_SQL_CHARS = 20_000  # a pasted query is a few hundred characters; a 10 MB body is an attack on the parser
CANNED_FOLDER = "console"


def console_sql(value: Any) -> str:
    """The query text, or QueryRefused for anything that is not a reasonable piece of text."""
    if not isinstance(value, str):
        raise QueryRefused(f"the query must be text, not {type(value).__name__}")
    if len(value) > MAX_SQL_CHARS:
        raise QueryRefused(f"the query is {len(value):,} characters; the console takes at most {MAX_SQL_CHARS:,}")
    if not value.strip():
        raise QueryRefused("no SQL statement given")
    return value


def canned() -> list[dict[str, str]]:
    """The canned queries: every named query in store/queries/console/, titled by its ``-- title:`` line."""
    out = []
    for name in named_query_names(CANNED_FOLDER):
        sql = named_query_sql(name)
        out.append({"name": name, "title": query_comment(sql, "title") or name.rsplit("/", 1)[-1],
                    "sql": "\n".join(l for l in sql.splitlines() if not l.startswith("--")).strip()})
    return out


def _cell_type(dtype) -> dict[str, Any]:
    kind = getattr(dtype, "kind", "O")
    if kind in "iuf":
        return {"cellDataType": "number", "type": "rightAligned", "filter": "agNumberColumnFilter"}
    if kind == "b":
        return {"cellDataType": "boolean"}
    return {"cellDataType": "text", "filter": "agTextColumnFilter"}


@dataclass
class ConsoleResult:
    column_defs: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    status: str
    ok: bool


def run(value: Any, db: str) -> ConsoleResult:
    """Run a console query. Columns get positional field ids (c0, c1 …) with the query's names as headers, so
    ``select v.name, c.name …`` shows two different columns both headed ``name``."""
    try:
        sql = console_sql(value)
        result = run_untrusted_sql(sql, db=db, timeout_s=TIMEOUT_S, max_rows=MAX_ROWS)
    except UnsafeQuery as e:
        return ConsoleResult([], [], f"Refused or failed: {e}", False)
    df = result.frame
    names = [str(c) for c in df.columns]
    # Each column's type is stated, and each result's columns get ids of their own: AG Grid fixes a column's
    # type when it creates the column and keeps it while the id stays, so after `select count(*) …` the next
    # query's text in c1 showed "Invalid Number".
    shape = hashlib.sha1(repr([(n, str(t)) for n, t in zip(names, df.dtypes)]).encode()).hexdigest()[:8]
    defs = [{"field": f"c{i}", "colId": f"{shape}-c{i}", "headerName": n, "headerTooltip": f"{n} ({dtype})",
             "filter": True, "sortable": True, **_cell_type(dtype)}
            for i, (n, dtype) in enumerate(zip(names, df.dtypes))]
    rows = [{f"c{i}": plain(v) for i, v in enumerate(r)} for r in df.itertuples(index=False, name=None)]
    cap = (f" — stopped at the console's limit of {MAX_ROWS:,} rows; download the result or add LIMIT/WHERE"
           if result.truncated else "")
    return ConsoleResult(defs, rows, f"{len(rows):,} row(s) in {result.elapsed_s:.2f} s{cap}", True)
