"""The DuckDB-native loader (store/fastload.py) against the Python loader: the same tables on good input, and a
decline (so the Python loader's FILE:LINE:COLUMN errors) on every refused case of the bad-input corpus."""
from __future__ import annotations

import csv
import shutil
import sys

import duckdb
import pytest

from conftest import FIXTURES, REPO
from marketgraph.store.build import create_schema
from marketgraph.store.db import Store
from marketgraph.store.fastload import WHITESPACE, fast_load
from marketgraph.store.load import load_dataset
from marketgraph.store.schema import DATA_TABLES

BAD = REPO / "tests" / "badinput"
with (BAD / "cases.csv").open(newline="", encoding="utf-8") as f:
    CASES = [c for c in csv.DictReader(f) if c["kind"] == "data"]


def _fast(data_dir):
    con = duckdb.connect()
    create_schema(con)
    return con, fast_load(Store(con), data_dir)


def _python(data_dir):
    con = duckdb.connect()
    create_schema(con)
    ds = load_dataset(data_dir)
    for t in DATA_TABLES:
        Store(con).insert(t, ds.rows(t.name))
    return con


def _contents(con):
    return {t.name: (con.execute(f"DESCRIBE {t.name}").fetchall(), con.execute(f"FROM {t.name}").fetchall())
            for t in DATA_TABLES}


def assert_same_tables(data_dir):
    fast, ds = _fast(data_dir)
    assert ds is not None, "the fast path declined good data"
    slow = _python(data_dir)
    a, b = _contents(fast), _contents(slow)
    for t in DATA_TABLES:
        assert a[t.name][0] == b[t.name][0], t.name  # same columns and types
        assert a[t.name][1] == b[t.name][1], t.name  # same rows, in file order, NULL where empty
    # What the build steps ask of the dataset: the tables by name and warnings located in the files.
    py = load_dataset(data_dir)
    assert set(ds.tables) == set(py.tables)
    for t in DATA_TABLES:
        if len(t.primary_key) == 1:
            keys = [r[t.primary_key[0]] for r in py.rows(t.name)]
            for key in {*keys[:1], *keys[-1:], *keys[len(keys) // 2:][:1], "no-such-key"}:
                for column in (t.columns[-1].name, None, "no_such_column"):
                    assert ds.locate(t.name, key, column) == py.locate(t.name, key, column), (t.name, key)
    assert ds.rows("vendors") == py.rows("vendors")


def test_tiny_fixture_same_tables():
    assert_same_tables(FIXTURES / "tiny")


def test_shipped_data_same_tables():
    assert_same_tables(REPO / "data")


def test_whitespace_is_what_strip_removes():
    assert set(WHITESPACE) == {chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace()}


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_bad_input_declines_or_matches(case, tiny_data):
    for f in (BAD / "data" / case["case"]).iterdir():
        shutil.copyfile(f, tiny_data / f.name)
    if case["expect"] == "refuse":
        assert _fast(tiny_data)[1] is None
    else:
        fast, ds = _fast(tiny_data)
        if ds is not None:  # it may decline what it cannot vouch for; what it accepts must match
            assert _contents(fast) == _contents(_python(tiny_data))


def test_edge_spellings_match(tiny_data):
    # Blanks and tabs around cells, a blank line, CRLF endings: stripped and skipped as the Python loader does.
    path = tiny_data / "segments.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head, *rows = lines
    rows = [",".join(f" {c}\t" if c and '"' not in c else c for c in r.split(",")) for r in rows]
    path.write_bytes(("\r\n".join([head, rows[0], "", *rows[1:]]) + "\r\n").encode())
    fast, ds = _fast(tiny_data)
    assert ds is not None
    assert _contents(fast) == _contents(_python(tiny_data))
