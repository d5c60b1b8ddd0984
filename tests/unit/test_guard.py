"""Untrusted SQL: SELECT-only, read-only, no external access, time limit, row cap."""
from __future__ import annotations

import pytest

from marketgraph.errors import QueryFailed, QueryRefused, QueryTimeout, UnsafeQuery
from marketgraph.store.guard import check_select_only, run_untrusted_sql


@pytest.mark.parametrize("sql, word", [
    ("DROP TABLE chips", "DROP"),
    ("DELETE FROM chips", "DELETE"),
    ("INSERT INTO segments VALUES ('a','b','c')", "INSERT"),
    ("UPDATE chips SET tdp_w = 0", "UPDATE"),
    ("ATTACH 'x.db'", "ATTACH"),
    ("COPY chips TO 'out.csv'", "COPY"),
    ("PRAGMA version", "PRAGMA"),
    ("SET enable_external_access = true", "SET"),
    ("INSTALL httpfs", "LOAD"),
    ("CREATE TABLE t AS SELECT 1", "CREATE"),
])
def test_non_select_is_refused(sql, word):
    with pytest.raises(QueryRefused, match=f"only SELECT statements are allowed; got {word}"):
        check_select_only(sql)


def test_multiple_statements_refused():
    with pytest.raises(UnsafeQuery, match="one statement at a time"):
        check_select_only("SELECT 1; DROP TABLE chips")


def test_syntax_error_is_reported_cleanly():
    with pytest.raises(UnsafeQuery, match="syntax error"):
        check_select_only("SELEC 1")


def test_select_forms_allowed(tiny_db):
    assert run_untrusted_sql("WITH x AS (SELECT 1 AS a) SELECT a FROM x", db=tiny_db).frame.a[0] == 1
    assert len(run_untrusted_sql("FROM chips", db=tiny_db).frame) == 2
    r = run_untrusted_sql("SELECT name FROM chips WHERE year = $y", {"y": 2021}, db=tiny_db)
    assert list(r.frame.name) == ["TPU v4"]


def test_external_access_is_off(tiny_db, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with pytest.raises(UnsafeQuery, match="disabled"):
        run_untrusted_sql(f"SELECT * FROM read_csv('{secret}')", db=tiny_db)


def test_row_cap_truncates_and_says_so(tiny_db):
    r = run_untrusted_sql("SELECT * FROM range(100)", db=tiny_db, max_rows=10)
    assert len(r.frame) == 10 and r.truncated
    r = run_untrusted_sql("SELECT * FROM range(10)", db=tiny_db, max_rows=10)
    assert len(r.frame) == 10 and not r.truncated


def test_time_limit_interrupts(tiny_db):
    slow = "SELECT count(*) FROM range(100000000000) a"
    with pytest.raises(QueryTimeout, match="time limit"):
        run_untrusted_sql(slow, db=tiny_db, timeout_s=0.5)


def test_runtime_error_quotes_statement(tiny_db):
    with pytest.raises(QueryFailed, match="in: SELECT nope FROM chips"):
        run_untrusted_sql("SELECT nope FROM chips", db=tiny_db)
