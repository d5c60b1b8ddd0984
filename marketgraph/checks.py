"""Data checks: SQL queries whose rows are the failures (PUDL/dbt style).

Each file in ``queries/checks/`` starts with comment lines ``-- severity: error|warning`` and ``-- why: …``
(the reason for any tolerance) and selects ``subject_table, subject_id, field, message``. The build runs them
on the new database before it replaces the old one: an ``error`` row aborts the build with a
``FILE:LINE:COLUMN`` message pointing at the offending row, a ``warning`` row is reported.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from .load import DataError, DataErrors, Dataset
from .paths import queries_dir


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    why: str
    sql: str


def _header(sql: str, key: str) -> str:
    for line in sql.splitlines():
        line = line.strip()
        if line.startswith(f"-- {key}:"):
            return line.split(":", 1)[1].strip()
    return ""


def all_checks() -> list[Check]:
    out = []
    for path in sorted((queries_dir() / "checks").glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        severity = _header(sql, "severity") or "error"
        if severity not in ("error", "warning"):
            raise ValueError(f"{path}: severity must be error or warning")
        out.append(Check(path.stem, severity, _header(sql, "why"), sql))
    return out


def run_checks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every failing row of every check, with the check's name and severity."""
    frames = []
    for check in all_checks():
        df = con.execute(check.sql).df()
        if len(df):
            df.insert(0, "severity", check.severity)
            df.insert(0, "check", check.name)
            frames.append(df)
    cols = ["check", "severity", "subject_table", "subject_id", "field", "message"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def run_build_checks(con: duckdb.DuckDBPyConnection, ds: Dataset) -> list[str]:
    """Build step: raise DataErrors for error rows (located in the data files), return warning lines."""
    failures = run_checks(con)
    errors, warnings = [], []
    for r in failures.itertuples(index=False):
        table = r.subject_table if r.subject_table in ds.tables else None
        file, line, col = (ds.locate(table, r.subject_id, r.field if isinstance(r.field, str) else None)
                           if table else ("(database)", 1, 1))
        err = DataError(file, line, col, f"check {r.check}: {r.message}")
        (errors if r.severity == "error" else warnings).append(err)
    if errors:
        raise DataErrors(errors)
    return [f"{w.file}:{w.line}:{w.column}: warning: {w.message}" for w in sorted(warnings)]
