"""What a build does after the data tables are inserted, in order.

Each step takes the open build connection and the validated dataset, may add rows, and returns warnings or
raises :class:`~marketgraph.load.DataErrors` (which aborts the build and leaves the old database untouched).
Cards go first so card-created events exist before the checks; the concentration measures run last, on data
the checks have passed.
"""
from __future__ import annotations

from .analytics import refresh_concentration
from .checks import run_build_checks
from .ingest import ingest_shipped_cards

STEPS = [
    ("knowledge cards", ingest_shipped_cards),
    ("data checks", run_build_checks),
    ("concentration", refresh_concentration),
]
