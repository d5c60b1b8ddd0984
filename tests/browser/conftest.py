"""Browser tests skip on a machine without Debian's chromium and chromedriver — except in CI, which sets
MARKETGRAPH_REQUIRE_BROWSER=1 so a missing browser fails the run instead of silently skipping it."""
from __future__ import annotations

import os
import shutil

import pytest


def pytest_collection_modifyitems(config, items):
    have = (shutil.which("chromium") or shutil.which("chromium-browser")) and shutil.which("chromedriver")
    if os.environ.get("MARKETGRAPH_REQUIRE_BROWSER") and not have:
        raise pytest.UsageError("MARKETGRAPH_REQUIRE_BROWSER is set but chromium/chromedriver are missing")
