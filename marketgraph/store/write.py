"""Bulk inserts into a build's temporary database, typed by the schema declaration."""
from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from .schema import Table

_DTYPES = {"DOUBLE": "Float64", "INTEGER": "Int64", "BOOLEAN": "boolean"}


def frame(table: Table, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a DataFrame with nullable dtypes, so empty cells arrive in DuckDB as NULL (never NaN)."""
    data = {}
    for c in table.columns:
        values = [r.get(c.name) for r in rows]
        data[c.name] = pd.array(values, dtype=_DTYPES.get(c.type, object))
    return pd.DataFrame(data, columns=table.column_names)


def _self_ref_layers(table: Table, rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split rows so each batch only references rows of earlier batches.

    DuckDB checks a foreign key against rows already in the table, not against the batch being inserted, so a
    chip whose predecessor comes later in the file would fail (the loader has already verified the reference).
    """
    self_cols = [c.name for c in table.columns if c.references and c.references.startswith(table.name + ".")]
    if not self_cols:
        return [rows]
    pk = table.primary_key[0]
    done: set = set()
    pending, layers = rows, []
    while pending:
        layer = [r for r in pending if all(r[c] is None or r[c] in done or r[c] == r[pk] for c in self_cols)]
        if not layer:  # a cycle: let DuckDB report it
            layer = pending
        done.update(r[pk] for r in layer)
        layers.append(layer)
        pending = [r for r in pending if r[pk] not in done]
    return layers


def insert_rows(con: duckdb.DuckDBPyConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    for layer in _self_ref_layers(table, rows):
        _insert_batch(con, table, layer)


def _insert_batch(con: duckdb.DuckDBPyConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    df = frame(table, rows)
    con.register("_incoming", df)
    try:
        cols = ", ".join(f"CAST({c.name} AS {c.type}) AS {c.name}" for c in table.columns)
        con.execute(f"INSERT INTO {table.name} SELECT {cols} FROM _incoming")
    finally:
        con.unregister("_incoming")

