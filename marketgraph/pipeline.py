"""What a build does, in order, and the public entry points that run it.

The store builds whatever list of steps it is given; this module is where the layers above hand theirs in:
cards first (card-created events must exist before the checks), then the data checks, then the market
measures, computed on data the checks have passed.
"""
from __future__ import annotations

from pathlib import Path

from .store import build as store_build
from .store.build import BuildReport, BuildStep


def build_steps() -> list[BuildStep]:
    from .knowledge.ingest import ingest_shipped_cards
    from .market.concentration import refresh_concentration
    from .store.checks import run_build_checks

    return [
        BuildStep("knowledge cards", ingest_shipped_cards),
        BuildStep("data checks", run_build_checks),
        BuildStep("concentration", refresh_concentration),
    ]


def build(data_dir: str | Path | None = None, db_path: str | Path | None = None) -> BuildReport:
    """Validate ``data_dir`` (default: the shipped data) and rebuild the database at ``db_path`` (default: the
    default database) atomically. Raises :class:`~marketgraph.errors.DataErrors` listing every problem; the old
    database is then untouched.

    >>> report = build(db_path="/tmp/doctest-marketgraph.duckdb")   # doctest: +SKIP
    >>> report.row_counts["chips"] > 0                                # doctest: +SKIP
    True
    """
    return store_build.build(data_dir, db_path, build_steps())


def ensure_db(db: str | Path | None = None, quiet: bool = False) -> Path:
    """The database to read: ``db`` if given (it must exist), else the default one, which is built from the
    shipped data the first time it is needed (saying so on stderr unless ``quiet``)."""
    return store_build.ensure_db(db, build_steps, quiet)  # the steps are imported only if a build is needed
