"""Docstring examples in the library are runnable and correct."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import marketgraph

MODULES = sorted(m.name for m in pkgutil.walk_packages(marketgraph.__path__, "marketgraph.")
                 if not m.name.startswith("marketgraph.data") and m.name != "marketgraph.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
