"""The SQL examples in README.md and docs/ run against the shipped database, so the docs cannot drift."""
from __future__ import annotations

import re

import pytest

from marketgraph.store.guard import run_untrusted_sql
from conftest import REPO


def sql_blocks() -> list[tuple[str, str]]:
    out = []
    for doc in (REPO / "README.md", REPO / "docs" / "metrics.md"):
        text = doc.read_text(encoding="utf-8")
        for block in re.findall(r"```sql\n(.*?)```", text, re.S):
            for stmt in [s.strip() for s in block.split(";") if s.strip()]:
                out.append((doc.name, stmt))
        for cmd in re.findall(r'marketgraph sql "([^"]+)"', text):
            out.append((doc.name, cmd.replace("\\$", "$")))
    return out


@pytest.mark.parametrize("doc, sql", sql_blocks())
def test_documented_sql_runs(shipped_db, doc, sql):
    params = {"y": 2016} if "$y" in sql else None
    result = run_untrusted_sql(sql, params, db=shipped_db)
    assert len(result.frame.columns) > 0, (doc, sql)


def test_there_are_examples():
    assert len(sql_blocks()) >= 3
