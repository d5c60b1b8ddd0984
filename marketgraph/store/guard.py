"""The guarded executor for untrusted SQL (the dashboard console, ``marketgraph sql``, the export of a query).

Defence in depth, because analysts paste SQL from anywhere and the console is reachable by anyone who can reach
the dashboard:

1. the payload must be a string of at most :data:`MAX_SQL_CHARS` characters without NUL, and parameters plain
   scalars; anything else is a :class:`~marketgraph.errors.QueryRefused`, never a traceback;
2. the text must parse as exactly one statement, and DuckDB's own parse of it (``json_serialize_sql``) must
   contain only query nodes that read — so ``WITH x AS (DELETE … RETURNING *) SELECT …`` is refused — and no
   function that discloses paths or settings (``duckdb_settings()``, ``current_setting()``,
   ``duckdb_databases()`` …) or runs SQL of its own (``query()``);
3. it runs in a separate worker process on a read-only connection with external access off and the
   configuration locked, under a DuckDB memory limit with spilling to disk disabled, and an address-space limit
   on the worker as a backstop;
4. the worker is SIGKILLed at the deadline, which is measured from submission to the last byte received: bind
   and plan (a 20,000-way ``UNION ALL``) and single expensive functions (``regexp_replace`` over a huge string),
   which DuckDB's interrupt does not reach, are stopped too;
5. at most ``max_rows`` rows and ``max_bytes`` bytes are returned, and the result says which cap cut it.

A process per query costs a fork (about 20–40 ms): nothing the worker does can leave state behind, and killing
it is always safe. The worker is forked directly when this process has a single thread (the CLI), else from a
fork server started once (the dashboard, whose threads and DuckDB instances must not be forked).
"""
from __future__ import annotations

import contextlib
import io
import json
import math
import multiprocessing
import os
import pickle
import re
import resource
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from multiprocessing import context as _mp_context, forkserver as _mp_forkserver, reduction as _mp_reduction
from multiprocessing import popen_forkserver as _popen_forkserver, spawn as _mp_spawn, util as _mp_util
from typing import TYPE_CHECKING, Any, Iterator, Mapping

import duckdb

from ..errors import DatabaseMissing, DatabaseUnusable, QueryFailed, QueryRefused, QueryTimeout
from .db import Store, _count_connection, connect

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_MAX_BYTES = 32_000_000  # what a browser table or a terminal can usefully show, with room to spare
MAX_SQL_CHARS = 50_000  # longer than any hand-written query; a 20,000-way UNION ALL is ten times this
MEMORY_LIMIT = "1GB"  # DuckDB's own limit for the worker's query
ADDRESS_SPACE_BYTES = 6 * 1024**3  # hard backstop on the worker (DuckDB's limit covers its buffers only)
_CHUNK_ROWS = 512
# No temp directory and a zero-byte cap on it: a query over the memory limit fails instead of filling the disk.
WORKER_SETTINGS = {"memory_limit": MEMORY_LIMIT, "temp_directory": "", "max_temp_directory_size": "0B",
                   "enable_progress_bar": False}

# Query-node types in DuckDB's parse that only read. DELETE/INSERT/UPDATE_QUERY_NODE (data-modifying CTEs) and
# anything a newer DuckDB adds are refused until someone looks at them.
READING_NODES = {"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"}
# Functions that disclose the database's path, settings, environment or secrets, or run SQL text of their own
# (which would bypass this check). File readers (read_csv, glob …) are left to the connection, whose external
# access is off: it refuses them as "disabled by configuration".
DENIED_FUNCTIONS = {
    "current_setting", "getenv", "duckdb_settings", "duckdb_databases", "duckdb_extensions", "duckdb_secrets",
    "which_secret", "duckdb_temporary_files", "duckdb_memory", "duckdb_external_file_cache", "duckdb_logs",
    "duckdb_log_contexts", "pragma_database_list", "pragma_database_size", "pragma_user_agent",
    "pragma_platform", "query", "query_table", "json_execute_serialized_sql", "json_deserialize_sql",
    "checkpoint", "force_checkpoint", "enable_logging", "disable_logging", "truncate_duckdb_logs",
}
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class SqlResult:
    frame: "pd.DataFrame"
    truncated: bool  # True when a cap cut the result (truncated_by says which)
    max_rows: int | None
    elapsed_s: float  # from submission to the last byte
    truncated_by: str | None = None  # "rows" or "bytes"
    max_bytes: int | None = None
    result_bytes: int = 0

    @property
    def note(self) -> str:
        """What the user must be told when a cap applied ('' when the result is whole)."""
        if self.truncated_by == "rows":
            return f"stopped at {self.max_rows:,} rows"
        if self.truncated_by == "bytes":
            return f"stopped at {self.max_bytes / 1e6:g} MB of results ({len(self.frame):,} rows)"
        return ""


def _short(sql: str, n: int = 120) -> str:
    one = " ".join(sql.split())
    return one if len(one) <= n else one[: n - 1] + "…"


# ---------------------------------------------------------------- the checks before anything runs

def check_payload(sql: Any, params: Any = None) -> tuple[str, dict[str, Any] | None]:
    """The SQL text and parameters, or :class:`QueryRefused` for anything that is not a plain payload."""
    if not isinstance(sql, str):
        raise QueryRefused(f"the query must be text, not {type(sql).__name__}")
    if len(sql) > MAX_SQL_CHARS:
        raise QueryRefused(f"the query is {len(sql):,} characters long; at most {MAX_SQL_CHARS:,} are allowed")
    if "\x00" in sql:
        raise QueryRefused("the query contains a NUL character")
    if params is None:
        return sql, None
    if not isinstance(params, Mapping):
        raise QueryRefused(f"parameters must be a mapping of name to value, not {type(params).__name__}")
    out = {}
    for name, value in params.items():
        if not isinstance(name, str) or not _PARAM_NAME.fullmatch(name):
            raise QueryRefused(f"parameter name {name!r} is not a plain name (letters, digits, _)")
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise QueryRefused(f"parameter {name}: {type(value).__name__} values are not allowed")
        if isinstance(value, str) and (len(value) > MAX_SQL_CHARS or "\x00" in value):
            raise QueryRefused(f"parameter {name}: too long or contains a NUL character")
        if isinstance(value, float) and not math.isfinite(value):
            raise QueryRefused(f"parameter {name}: {value} is not a finite number")
        out[name] = value
    return sql, out


def _walk(node: Any) -> Iterator[dict]:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            yield n
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)


def _parser() -> Store:
    """A throwaway in-memory connection for parsing. Never ``duckdb.extract_statements`` (module level): that
    opens DuckDB's default connection, whose threads live on and would make forking the worker unsafe."""
    return Store(duckdb.connect(":memory:", config={"enable_external_access": False, "threads": 1}))


_parsers = threading.local()


@contextlib.contextmanager
def _parsing() -> Iterator[Store]:
    """The connection that parses a statement (it only parses: nothing the author wrote runs on it).

    A new one costs about 15 ms, a sixth of a console query. A process that already has other threads (the
    dashboard) forks its workers from the fork server, never itself, so it keeps one per thread; a
    single-threaded process (the CLI) may fork directly, so it must not keep DuckDB's threads alive and parses
    on a throwaway connection."""
    if _os_threads() > 1:
        parser = getattr(_parsers, "store", None)
        if parser is None:
            parser = _parsers.store = _parser()
        yield parser
    else:
        with _parser() as parser:
            yield parser


def check_select_only(sql: str) -> str:
    """Return the single reading SELECT statement in ``sql`` or raise :class:`~marketgraph.errors.QueryRefused`.

    >>> check_select_only("select 1;")
    'select 1;'
    >>> check_select_only("drop table chips")
    Traceback (most recent call last):
    ...
    marketgraph.errors.QueryRefused: only SELECT statements are allowed; got DROP in: drop table chips
    """
    sql, _ = check_payload(sql)
    with _parsing() as parser:
        try:
            statements = parser.con.extract_statements(sql)
        except duckdb.Error as e:
            raise QueryRefused(f"{str(e).strip()}") from None
        if len(statements) == 1 and statements[0].type == duckdb.StatementType.SELECT:
            (text,) = parser.first("guard/parse", sql=statements[0].query)
            tree = json.loads(text)
    if not statements:
        raise QueryRefused("no SQL statement given")
    if len(statements) > 1:
        raise QueryRefused(f"one statement at a time; got {len(statements)} in: {_short(sql)}")
    st = statements[0]
    if st.type != duckdb.StatementType.SELECT:
        kind = str(st.type).rsplit(".", 1)[-1]
        raise QueryRefused(f"only SELECT statements are allowed; got {kind} in: {_short(st.query)}")
    if tree.get("error"):
        # PIVOT and a few other SELECT forms have no serialised parse; they are refused, not guessed at.
        raise QueryRefused(f"this form of SELECT cannot be checked ({tree.get('error_message', 'no parse')}); "
                           f"write it as a plain SELECT: {_short(st.query)}")
    for node in _walk(tree["statements"]):
        kind = node.get("type")
        if isinstance(kind, str) and kind.endswith("_NODE") and kind not in READING_NODES:
            what = kind.removesuffix("_NODE").removesuffix("_QUERY")
            raise QueryRefused(f"only reading queries are allowed; the statement contains a {what} "
                               f"in: {_short(st.query)}")
        # A table function may be named without parentheses (FROM duckdb_settings): a BASE_TABLE in the parse.
        name = node.get("function_name") or (node.get("table_name") if kind == "BASE_TABLE" else None)
        if isinstance(name, str):
            low = name.lower()
            if low in DENIED_FUNCTIONS:
                raise QueryRefused(f"{name}() is not available in the console (it reads files, settings or "
                                   f"paths, or runs SQL of its own) in: {_short(st.query)}")
    return st.query


# ---------------------------------------------------------------- the worker

def _cell_bytes(v: Any) -> int:
    if isinstance(v, (str, bytes, bytearray)):
        return len(v)
    if isinstance(v, (list, tuple)):
        return 8 + sum(map(_cell_bytes, v))
    if isinstance(v, dict):
        return 8 + sum(_cell_bytes(k) + _cell_bytes(x) for k, x in v.items())
    return 8


def _limit_address_space() -> None:
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = ADDRESS_SPACE_BYTES if hard == resource.RLIM_INFINITY else min(hard, ADDRESS_SPACE_BYTES)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):  # not permitted here: DuckDB's memory limit still applies
        pass


def _worker(pipe, db: str, sql: str, params, max_rows: int | None, max_bytes: int | None) -> None:
    """Run one query and send ("cols", names), ("rows", pickled chunk)…, then ("done", cut) or ("error", …)."""
    _limit_address_space()
    try:
        con = connect(db, WORKER_SETTINGS)
    except (DatabaseMissing, DatabaseUnusable) as e:
        pipe.send(("error", "unusable", str(e)))
        return
    try:
        cur = con.execute(sql, params)
        names = [d[0] for d in cur.description] if cur.description else []
        pipe.send(("cols", names))
        rows = size = 0
        cut = None
        while cut is None:
            chunk = cur.fetchmany(_CHUNK_ROWS)
            if not chunk:
                break
            keep = []
            for row in chunk:
                if max_rows is not None and rows >= max_rows:
                    cut = "rows"
                    break
                b = sum(map(_cell_bytes, row))
                if max_bytes is not None and size + b > max_bytes:
                    cut = "bytes"
                    break
                keep.append(row)
                rows += 1
                size += b
            if keep:
                pipe.send_bytes(pickle.dumps(keep, protocol=pickle.HIGHEST_PROTOCOL))
        pipe.send(("done", cut, size))
    except duckdb.InterruptException:
        pipe.send(("error", "timeout", ""))
    except (duckdb.Error, MemoryError, OverflowError, ValueError) as e:
        pipe.send(("error", "failed", str(e).strip() or type(e).__name__))
    finally:
        con.close()


def _os_threads() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 2  # unknown: assume forking is unsafe


_forkserver = None


# The fork-server context, except that a child does not re-import the parent's main script.
#
# multiprocessing sends every fork-server child the parent's ``__main__`` path, and the child runs that script
# again before it starts (Python 3.11 cannot preload it in the server: ``set_forkserver_preload(["__main__"])``
# looks for a key the preparation data does not have). For the dashboard or a benchmark whose main script imports
# Dash, that is a second per query, and a parent without a main file (``python -``) cannot query at all. The
# worker is this module's function, which the server has imported, so the child needs no main. The classes live
# at module level because the process object is pickled to the server.

class _WorkerPopen(_popen_forkserver.Popen):
    def _launch(self, process_obj):  # the stdlib's, with the main module left out of the preparation data
        prep = {k: v for k, v in _mp_spawn.get_preparation_data(process_obj._name).items()
                if k not in ("init_main_from_path", "init_main_from_name")}
        buf = io.BytesIO()
        _mp_context.set_spawning_popen(self)
        try:
            _mp_reduction.dump(prep, buf)
            _mp_reduction.dump(process_obj, buf)
        finally:
            _mp_context.set_spawning_popen(None)
        self.sentinel, w = _mp_forkserver.connect_to_new_process(self._fds)
        parent_w = os.dup(w)  # a sentinel of the parent for the child, as the stdlib keeps it
        self.finalizer = _mp_util.Finalize(self, _mp_util.close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = _mp_forkserver.read_signed(self.sentinel)


class _WorkerProcess(_mp_context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _WorkerPopen(process_obj)


class _WorkerContext(_mp_context.ForkServerContext):
    Process = _WorkerProcess


def _worker_context() -> _WorkerContext:
    ctx = _WorkerContext()
    ctx.set_forkserver_preload([__name__])
    return ctx


def _context():
    """A plain fork when this process has one thread (safe, and fastest); else a fork server, started once,
    that has imported this module and nothing else."""
    global _forkserver
    if _os_threads() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    if _forkserver is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            _forkserver = _worker_context()
        else:
            _forkserver = multiprocessing.get_context("spawn")
    return _forkserver


def _redact(message: str, db: Path) -> str:
    for p in {str(db), str(db.resolve())}:
        message = message.replace(p, "<database>")
    return message


def run_untrusted_sql(sql: str, params: Mapping[str, Any] | None = None, db: str | Path | None = None,
                      timeout_s: float | None = DEFAULT_TIMEOUT_S, max_rows: int | None = DEFAULT_MAX_ROWS,
                      max_bytes: int | None = DEFAULT_MAX_BYTES) -> SqlResult:
    """Run SQL from an untrusted author under the guards above on the existing database ``db``.

    ``max_rows=None`` / ``max_bytes=None`` lift those caps (the export of a user's own query); the other guards
    always hold. ``timeout_s=None`` means no deadline (only for a trusted caller).
    """
    if db is None:
        raise TypeError("run_untrusted_sql needs the database path (marketgraph.run_untrusted_sql finds the default)")
    start = time.monotonic()
    sql, params = check_payload(sql, params)
    statement = check_select_only(sql)
    db = Path(db).expanduser()
    if not db.is_file():
        raise DatabaseMissing(f"no database at {db}; create it with: marketgraph build --db {db}")
    deadline = start + timeout_s if timeout_s else None
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(send, str(db), statement, params, max_rows, max_bytes), daemon=True)
    proc.start()
    send.close()
    _count_connection()  # the worker's one connection is this unit of work's (the count is per process)
    names: list[str] = []
    rows: list[tuple] = []
    cut = None
    size = 0
    try:
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and (remaining <= 0 or not receive.poll(remaining)):
                raise QueryTimeout(f"query stopped after the {timeout_s:g} s time limit: {_short(statement)}")
            try:
                raw = receive.recv_bytes()
            except EOFError:
                # The worker died without a word: the address-space backstop, or the OS out of memory.
                raise QueryFailed(f"the query was stopped: it needed more memory than the console allows "
                                  f"({MEMORY_LIMIT})\n  in: {_short(statement)}") from None
            msg = pickle.loads(raw)
            if isinstance(msg, list):
                rows.extend(msg)
            elif msg[0] == "cols":
                names = msg[1]
            elif msg[0] == "done":
                cut, size = msg[1], msg[2]
                break
            elif msg[1] == "timeout":
                raise QueryTimeout(f"query stopped after the {timeout_s:g} s time limit: {_short(statement)}")
            elif msg[1] == "unusable":
                raise DatabaseUnusable(msg[2])
            else:
                raise QueryFailed(f"{_redact(msg[2], db)}\n  in: {_short(statement)}")
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    import pandas as pd  # only here: `marketgraph sql` pays for pandas after the query, not before

    frame = pd.DataFrame.from_records(rows, columns=names)
    return SqlResult(frame, cut is not None, max_rows, time.monotonic() - start, cut, max_bytes, size)


__all__ = ["SqlResult", "check_payload", "check_select_only", "run_untrusted_sql", "DEFAULT_TIMEOUT_S",
           "DEFAULT_MAX_ROWS", "DEFAULT_MAX_BYTES", "MAX_SQL_CHARS", "MEMORY_LIMIT"]
