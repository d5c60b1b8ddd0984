"""AG Grid on the server: column definitions from the schema, and the rows of one page of a filtered, sorted
table for the grid's infinite row model (only the rows in view cross the wire, whatever the table's size).

The filter and sort models are AG Grid's own JSON, so the same object goes into the URL and comes back out.
"""
from __future__ import annotations

import json
import math
from typing import Any, Iterable

import pandas as pd

from marketgraph.present.formats import plain
from marketgraph.store.schema import TABLES_BY_NAME

PAGE_ROWS = 100  # rows per block the grid asks for


def describe(table: str, column: str) -> tuple[str | None, str | None]:
    """(description, unit) of a column as the schema declares it, or (None, None)."""
    t = TABLES_BY_NAME.get(table)
    if t is None:
        return None, None
    for c in t.columns:
        if c.name == column:
            return c.description, c.unit
    return None, None


def column(field: str, header: str | None = None, *, table: str | None = None, numeric: bool = False,
           width: int | None = None, **kw) -> dict[str, Any]:
    """One columnDef: the header says the unit, the tooltip is the schema's description."""
    desc, unit = describe(table, kw.pop("schema_column", field)) if table else (None, None)
    name = header or field
    d: dict[str, Any] = {"field": field, "headerName": f"{name} ({_short_unit(unit)})" if unit and numeric else name,
                         "headerTooltip": " ".join(x for x in (desc, f"Unit: {unit}." if unit else None) if x) or name,
                         "filter": "agNumberColumnFilter" if numeric else "agTextColumnFilter",
                         "sortable": True, "resizable": True}
    if numeric:
        d["type"] = "rightAligned"
    if numeric and unit != "year" and field != "year":  # 2,026 is not a year
        d["valueFormatter"] = {"function": "params.value == null ? '' : d3.format(',.4~g')(params.value)"}
    if width:
        d["width"] = width
    d.update(kw)
    return d


def _short_unit(unit: str) -> str:
    return unit.split(" (")[0]


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe rows: NULL as None, dates as ISO text, numpy scalars as Python numbers."""
    cols = [str(c) for c in df.columns]
    return [{k: plain(v) for k, v in zip(cols, r)} for r in df.itertuples(index=False, name=None)]


# ---------------------------------------------------------------- filtering and sorting like AG Grid does

def _text_mask(s: pd.Series, kind: str, value: Any) -> pd.Series:
    text = s.astype("string").str.casefold()
    v = str(value if value is not None else "").casefold()
    if kind == "blank":
        return s.isna() | (text == "")
    if kind == "notBlank":
        return s.notna() & (text != "")
    ops = {"contains": lambda: text.str.contains(v, regex=False), "notContains":
           lambda: ~text.str.contains(v, regex=False), "equals": lambda: text == v, "notEqual": lambda: text != v,
           "startsWith": lambda: text.str.startswith(v), "endsWith": lambda: text.str.endswith(v)}
    return ops.get(kind, ops["contains"])().fillna(kind in ("notContains", "notEqual")).astype(bool)


def _number_mask(s: pd.Series, kind: str, a: Any, b: Any) -> pd.Series:
    x = pd.to_numeric(s, errors="coerce")
    if kind == "blank":
        return x.isna()
    if kind == "notBlank":
        return x.notna()
    try:
        a = float(a) if a is not None else math.nan
        b = float(b) if b is not None else math.nan
    except (TypeError, ValueError):
        return pd.Series(True, index=s.index)
    ops = {"equals": x == a, "notEqual": x != a, "lessThan": x < a, "lessThanOrEqual": x <= a,
           "greaterThan": x > a, "greaterThanOrEqual": x >= a, "inRange": (x >= a) & (x <= b)}
    return ops.get(kind, x == a).fillna(False).astype(bool)


def _condition_mask(s: pd.Series, cond: dict[str, Any]) -> pd.Series:
    if "conditions" in cond:  # AG Grid's combined model: {operator: AND|OR, conditions: [...]}
        masks = [_condition_mask(s, c) for c in cond.get("conditions") or [] if isinstance(c, dict)]
        if not masks:
            return pd.Series(True, index=s.index)
        out = masks[0]
        for m in masks[1:]:
            out = (out | m) if str(cond.get("operator", "AND")).upper() == "OR" else (out & m)
        return out
    kind = str(cond.get("type") or "contains")
    if cond.get("filterType") == "number":
        return _number_mask(s, kind, cond.get("filter"), cond.get("filterTo"))
    return _text_mask(s, kind, cond.get("filter"))


def apply_filter(df: pd.DataFrame, model: dict[str, Any] | None) -> pd.DataFrame:
    """Rows of ``df`` that pass an AG Grid filter model; unknown columns and malformed entries are ignored (the
    model arrives from the browser and from URLs people edit)."""
    if not isinstance(model, dict) or not model:
        return df
    mask = pd.Series(True, index=df.index)
    for col, cond in model.items():
        if col in df.columns and isinstance(cond, dict):
            mask &= _condition_mask(df[col], cond)
    return df[mask]


def apply_sort(df: pd.DataFrame, model: Iterable[dict[str, Any]] | None) -> pd.DataFrame:
    """``df`` sorted by an AG Grid sort model ([{colId, sort}]); NULLs last either way, as people expect."""
    keys = [(m.get("colId"), m.get("sort") != "desc") for m in (model or [])
            if isinstance(m, dict) and m.get("colId") in df.columns]
    if not keys:
        return df
    return df.sort_values([k for k, _ in keys], ascending=[a for _, a in keys], na_position="last",
                          kind="stable", key=lambda s: s.str.casefold() if s.dtype == object else s)


def page(df: pd.DataFrame, request: dict[str, Any] | None) -> dict[str, Any]:
    """The response to one ``getRowsRequest``: the requested block of the filtered, sorted rows and their count."""
    request = request if isinstance(request, dict) else {}
    view = apply_sort(apply_filter(df, request.get("filterModel")), request.get("sortModel"))
    start = _int(request.get("startRow"), 0)
    end = _int(request.get("endRow"), start + PAGE_ROWS)
    end = min(max(end, start), start + 10 * PAGE_ROWS)  # a request cannot ask for the whole table at once
    return {"rowData": records(view.iloc[start:end]), "rowCount": len(view)}


def filtered(df: pd.DataFrame, filter_model: Any, sort_model: Any = None) -> pd.DataFrame:
    """The whole filtered, sorted table (downloads use this: full data, never the visible page)."""
    return apply_sort(apply_filter(df, filter_model), sort_model)


def _int(v: Any, default: int) -> int:
    try:
        return max(0, int(v))
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- the state in the URL

def load_model(text: str | None, kind: type) -> Any:
    """A filter (dict) or sort (list) model from its URL form; anything malformed is dropped, not an error."""
    if not text:
        return kind()
    try:
        value = json.loads(text)
    except ValueError:
        return kind()
    return value if isinstance(value, kind) else kind()


def dump_model(model: Any) -> str | None:
    return json.dumps(model, separators=(",", ":"), sort_keys=True) if model else None
