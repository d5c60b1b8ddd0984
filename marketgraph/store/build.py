"""Build the DuckDB store atomically from validated data, running the steps the layers above hand in.

A build writes a temporary file next to the target, closes it and ``os.replace``-s it over the old one, so a
failed or killed build leaves the previous database byte-identical, and readers that have the old file open
keep their data while new connections see the new one.

The store knows nothing of knowledge cards or market measures: a build runs a list of :class:`BuildStep`
given by its caller (``marketgraph.pipeline`` lists the shipped ones: card ingest, data checks, concentration).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

import duckdb

from .. import __version__, paths
from ..errors import DatabaseMissing, DatabaseUnusable
from .db import Store
from .load import Dataset, load_dataset
from .render import ddl
from .schema import BUILD_INFO, DATA_TABLES, TABLES


@dataclass(frozen=True, order=True)
class BuildWarning:
    """A data check's warning, located in the data files."""

    file: str
    line: int
    column: int
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: warning: check {self.check}: {self.message}"


# A step gets the build's Store (on the temporary database) and the validated dataset; it may add rows, returns
# warnings, or raises DataErrors, which aborts the build and leaves the old database untouched.
StepFunction = Callable[[Store, Dataset], "Sequence[BuildWarning] | None"]


@dataclass(frozen=True)
class BuildStep:
    name: str
    run: StepFunction


@dataclass
class BuildReport:
    db_path: Path
    data_dir: Path
    digest: str
    row_counts: dict[str, int]
    warnings: list[BuildWarning] = field(default_factory=list)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    # One transaction: each DDL statement committed alone costs a WAL flush.
    con.execute("BEGIN")
    for stmt in ddl(TABLES):
        con.execute(stmt)
    con.execute("COMMIT")


def populate(store: Store, ds: Dataset | None, steps: Sequence[BuildStep],
             data_dir: Path | None = None) -> tuple[Dataset, list[BuildWarning]]:
    """Create the schema, insert the data and run every step; return the dataset and the warnings.

    With ``ds`` None the data tables are loaded from ``data_dir`` by DuckDB (:mod:`.fastload`); if that path
    declines (anything it cannot vouch for), the Python loader validates the files, raising DataErrors with
    every problem located, and its rows are inserted.
    """
    create_schema(store.con)
    if ds is None:
        from .fastload import fast_load

        ds = fast_load(store, data_dir) if data_dir is not None else None
        if ds is None:
            ds = load_dataset(data_dir)
            _insert_dataset(store, ds)
    else:
        _insert_dataset(store, ds)
    warnings: list[BuildWarning] = []
    for step in steps:
        warnings.extend(step.run(store, ds) or [])
    return ds, warnings


def _insert_dataset(store: Store, ds: Dataset) -> None:
    for t in DATA_TABLES:
        store.insert(t, ds.rows(t.name))


# ---------------------------------------------------------------- atomic replacement

# Each writer's temporary database carries its pid in its name (".<db>.<pid>-<random>.tmp", plus DuckDB's
# ".wal"). The name is chosen and created in one step, so a kill at any moment leaves nothing whose owner is
# unknown (a separate lock file had a window between its creation and its pid being written). A temp file whose
# pid is dead is removed by the next writer at once; one whose owner lives is never touched. Names without a
# pid (an older version's leftovers) and files older than any build (the pid may have been reused) go by age.
STALE_TEMP_SECONDS = 6 * 3600


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def _owner(name: str, prefix: str) -> int | None:
    """The pid in a temp file's name (".<db>.<pid>-<random>.tmp"), or None for a name without one."""
    head, dash, _ = name[len(prefix):].partition("-")
    return int(head) if dash and head.isdigit() else None


def _remove_stale_temps(target: Path) -> None:
    """Delete what dead writers left next to ``target``: temporary databases and their WAL."""
    prefix = f".{target.name}."
    groups: dict[Path, list[Path]] = {}
    for p in target.parent.glob(f"{glob_escape(prefix)}*.tmp*"):
        groups.setdefault(Path(str(p).split(".tmp", 1)[0] + ".tmp"), []).append(p)
    for base, files in groups.items():
        pid = _owner(base.name, prefix)
        try:
            old = time.time() - max(f.stat().st_mtime for f in files) > STALE_TEMP_SECONDS
            if old or (pid is not None and not _pid_alive(pid)):
                for f in files:
                    f.unlink()
        except OSError:
            pass


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _temp_path(target: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(name)  # DuckDB must create the file itself; a kill before this leaves a file named for its pid
    return Path(name)


@contextmanager
def atomic_db(target: Path, copy_from: Path | None = None) -> Iterator[Store]:
    """A writable Store on a temporary database that replaces ``target`` only if the block succeeds."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(target)
        tmp = _temp_path(target)
    except OSError as e:
        raise DatabaseUnusable(f"cannot write next to {target}: {e.strerror or e}") from None
    con = None
    try:
        try:
            if copy_from is not None:
                shutil.copyfile(copy_from, tmp)
            con = duckdb.connect(str(tmp))
        except (OSError, duckdb.Error) as e:
            raise DatabaseUnusable(f"cannot open {copy_from or tmp} for writing: {str(e).strip()}") from None
        yield Store(con, tmp, owns=False)
        con.execute("CHECKPOINT")
        con.close()
        con = None
        try:
            os.replace(tmp, target)
        except OSError as e:  # e.g. the target is a folder
            raise DatabaseUnusable(f"cannot replace {target}: {e.strerror or e}") from None
    finally:
        if con is not None:
            con.close()
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            if leftover.exists():
                leftover.unlink()


def build(data_dir: str | Path | None, db_path: str | Path | None, steps: Sequence[BuildStep]) -> BuildReport:
    """Validate ``data_dir`` (default: the shipped data) and build the database at ``db_path`` (default: the
    default database), running ``steps`` after the data tables are in.

    Raises :class:`~marketgraph.errors.DataErrors` listing every problem; the old database is then untouched.
    """
    data = Path(data_dir) if data_dir else paths.shipped_data_dir()
    target = Path(db_path).expanduser() if db_path else paths.default_db_path()
    try:
        db = atomic_db(target)
        store = db.__enter__()
    except DatabaseUnusable:
        load_dataset(data)  # bad data is reported before an unwritable target, as it always was
        raise
    with contextlib.ExitStack() as stack:
        stack.push(db)
        ds, warnings = populate(store, None, steps, data)
        store.insert(BUILD_INFO, [{
            "data_digest": ds.digest,
            "built_at": dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0),
            "package_version": __version__,
            "duckdb_version": duckdb.__version__,
            "data_dir": str(ds.data_dir),
        }])
        counts = store.row_counts()
    return BuildReport(target, ds.data_dir, ds.digest, counts, sorted(warnings))


_first_use_lock = threading.Lock()
FIRST_USE_MESSAGE = "building the default database from the shipped data…"


def ensure_db(db: str | Path | None, steps: Sequence[BuildStep] | Callable[[], Sequence[BuildStep]],
              quiet: bool = False) -> Path:
    """The database to read: ``db`` if given (it must exist), else the default one, built from the shipped data
    the first time it is needed (saying so on stderr, TTY or not, unless ``quiet``). ``steps`` may be a function
    returning them, called only when a build is needed: listing the steps imports every layer that has one
    (pandas among them), which `marketgraph sql` on an existing database should not pay for."""
    if db is not None:
        path = Path(db).expanduser()
        if not path.is_file():
            raise DatabaseMissing(f"no database at {path}; create it with: marketgraph build --db {path}")
        return path
    path = paths.default_db_path()
    if not path.is_file():
        with _first_use_lock:
            if not path.is_file():
                if not quiet:
                    print(f"{FIRST_USE_MESSAGE} ({path})", file=sys.stderr, flush=True)
                build(None, path, steps() if callable(steps) else steps)
    return path


def is_stale(store: Store, data_dir: str | Path | None = None) -> bool:
    """True when the database was built from data other than ``data_dir`` (default: the shipped data) as it is
    now."""
    from .load import digest

    data = Path(data_dir) if data_dir else paths.shipped_data_dir()
    return store.build_info().get("data_digest") != digest(data)
