"""Data checks: SQL queries whose rows are the failures (PUDL/dbt style).

Each file in ``queries/checks/`` starts with comment lines ``-- severity: error|warning`` and ``-- why: …``
(the reason for any tolerance) and selects ``subject_table, subject_id, field, message``. The build runs them
on the new database before it replaces the old one: an ``error`` row aborts the build with a
``FILE:LINE:COLUMN`` message pointing at the offending row, a ``warning`` row is reported.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import DataError, DataErrors
from .build import BuildWarning
from .db import Store, named_query_names, named_query_sql, query_comment
from .load import Dataset

CHECK_COLUMNS = ["check", "severity", "subject_table", "subject_id", "field", "message"]


@dataclass(frozen=True)
class Check:
    name: str  # the named query, e.g. checks/chip_has_citation
    severity: str
    why: str

    @property
    def short_name(self) -> str:
        return self.name.split("/", 1)[1]


def all_checks() -> list[Check]:
    out = []
    for name in named_query_names("checks"):
        sql = named_query_sql(name)
        severity = query_comment(sql, "severity") or "error"
        if severity not in ("error", "warning"):
            raise AssertionError(f"{name}.sql: severity must be error or warning")  # a bug in the package
        out.append(Check(name, severity, query_comment(sql, "why")))
    return out


def run_checks(store: Store) -> pd.DataFrame:
    """Every failing row of every check, with the check's name and severity."""
    frames = []
    for check in all_checks():
        df = store.query(check.name)
        if len(df):
            df.insert(0, "severity", check.severity)
            df.insert(0, "check", check.short_name)
            frames.append(df)
    return pd.concat(frames, ignore_index=True)[CHECK_COLUMNS] if frames else pd.DataFrame(columns=CHECK_COLUMNS)


def run_build_checks(store: Store, ds: Dataset) -> list[BuildWarning]:
    """Build step: raise DataErrors for error rows (located in the data files), return the warnings."""
    failures = run_checks(store)
    errors, warnings = [], []
    for r in failures.itertuples(index=False):
        table = r.subject_table if r.subject_table in ds.tables else None
        file, line, col = (ds.locate(table, r.subject_id, r.field if isinstance(r.field, str) else None)
                           if table else ("(database)", 1, 1))
        if r.severity == "error":
            errors.append(DataError(file, line, col, f"check {r.check}: {r.message}"))
        else:
            warnings.append(BuildWarning(file, line, col, r.check, r.message))
    if errors:
        raise DataErrors(errors)
    return sorted(warnings)
