"""Shared fixtures: a tiny dataset copied per test, and databases built from it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_default_db(tmp_path_factory, monkeypatch):
    """No test may touch the user's default database."""
    monkeypatch.setenv("MARKETGRAPH_DB", str(tmp_path_factory.mktemp("default") / "default.duckdb"))


@pytest.fixture
def tiny_data(tmp_path) -> Path:
    """A writable copy of tests/fixtures/tiny (a handful of real rows)."""
    dest = tmp_path / "data"
    shutil.copytree(FIXTURES / "tiny", dest)
    return dest


@pytest.fixture
def tiny_db(tiny_data, tmp_path) -> Path:
    import marketgraph as mg

    path = tmp_path / "tiny.duckdb"
    mg.build(tiny_data, path)
    return path


@pytest.fixture(scope="session")
def shipped_db(tmp_path_factory) -> Path:
    """The shipped data/ built once per test session."""
    import marketgraph as mg

    path = tmp_path_factory.mktemp("shipped") / "shipped.duckdb"
    mg.build(None, path)
    return path


def append_line(path: Path, line: str) -> int:
    """Append a line to a CSV and return its line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    text += line + "\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


def pytest_collection_modifyitems(config, items):
    """Browser tests skip on a machine without Debian's chromium and chromedriver — except in CI, which sets
    MARKETGRAPH_REQUIRE_BROWSER=1 so that a missing browser fails the run instead of skipping it."""
    import os

    have = (shutil.which("chromium") or shutil.which("chromium-browser")) and shutil.which("chromedriver")
    if os.environ.get("MARKETGRAPH_REQUIRE_BROWSER") and not have:
        raise pytest.UsageError("MARKETGRAPH_REQUIRE_BROWSER is set but chromium/chromedriver are missing")
