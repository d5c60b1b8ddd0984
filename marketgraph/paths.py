"""Where things live: the shipped data folder and the default database. Nothing else."""
from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

DB_ENV = "MARKETGRAPH_DB"


def shipped_data_dir() -> Path:
    """The data/ folder that ships with the package.

    In a source checkout or an editable install this is the repository's data/; a normal install carries a copy
    as the ``marketgraph.data`` package (pyproject maps data/ to it).
    """
    source_tree = Path(__file__).resolve().parent.parent / "data"
    try:
        installed = Path(str(importlib.resources.files("marketgraph.data")))
    except ModuleNotFoundError:  # editable installs put the repository on sys.path instead of mapping data/
        return source_tree
    return installed if (installed / "chips.csv").is_file() else source_tree


def default_db_path() -> Path:
    """``$MARKETGRAPH_DB`` if set, else the per-user data folder (``$XDG_DATA_HOME`` or ~/.local/share)."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "marketgraph" / "marketgraph.duckdb"


def queries_dir() -> Path:
    """Named .sql files shared by the CLI, the dashboard and the reports."""
    return Path(__file__).resolve().parent / "queries"
