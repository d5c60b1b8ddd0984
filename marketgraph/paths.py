"""Where things live: the shipped data folder and the default database. Nothing else."""
from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "MARKETGRAPH_DB"
_PACKAGE = Path(__file__).resolve().parent


def shipped_data_dir() -> Path:
    """The data/ folder that ships with the package.

    A normal install carries a copy inside the package (pyproject maps data/ to ``marketgraph/data``); a source
    checkout or an editable install uses the repository's data/ next to the package.
    """
    installed = _PACKAGE / "data"
    return installed if (installed / "chips.csv").is_file() else _PACKAGE.parent / "data"


def default_db_path() -> Path:
    """``$MARKETGRAPH_DB`` if set, else the per-user data folder (``$XDG_DATA_HOME`` or ~/.local/share)."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "marketgraph" / "marketgraph.duckdb"


