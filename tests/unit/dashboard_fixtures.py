"""Shared by the dashboard's unit tests: an app on a small database with hostile text in it."""
from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dashboard"


def build_dashboard_db(tmp: Path) -> Path:
    """tests/fixtures/dashboard (the tiny dataset plus a vendor, chip, source and event whose text is HTML and
    script payloads) built into a database under ``tmp``."""
    import marketgraph as mg

    data = tmp / "data"
    shutil.copytree(FIXTURE, data)
    db = tmp / "dashboard.duckdb"
    mg.build(data, db)
    return db
