"""What a build does after the data tables are inserted, in order.

Each step takes the open build connection and the validated dataset, may add rows, and returns warnings or
raises :class:`~marketgraph.load.DataErrors` (which aborts the build and leaves the old database untouched).
"""
from __future__ import annotations

from .checks import run_build_checks

STEPS = [
    ("data checks", run_build_checks),
]
