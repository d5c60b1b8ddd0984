"""Small layout helpers shared by pages."""
from __future__ import annotations

import pandas as pd
from dash import dash_table


def table(id_: str, df: pd.DataFrame, page_size: int = 20, **kw) -> dash_table.DataTable:
    """A sortable, filterable DataTable of a DataFrame. Dash escapes cell text, so data never becomes HTML."""
    return dash_table.DataTable(
        id=id_, data=records(df), columns=[{"name": c, "id": c} for c in df.columns],
        page_size=page_size, sort_action="native", filter_action="native",
        style_table={"overflowX": "auto"}, style_cell={"fontFamily": "system-ui, sans-serif", "fontSize": 13,
                                                        "textAlign": "left", "maxWidth": 360,
                                                        "whiteSpace": "normal"},
        style_header={"fontWeight": "600"}, **kw)


def _plain(v):
    if isinstance(v, pd.Timestamp) and v == v.normalize():  # a DATE arrives as midnight: show just the day
        return v.date().isoformat()
    return v.isoformat() if hasattr(v, "isoformat") else v


def records(df: pd.DataFrame) -> list[dict]:
    """JSON-safe rows: NULL stays empty, dates become ISO text."""
    out = df.astype(object).where(df.notna(), None)
    return [{k: _plain(v) for k, v in r.items()} for r in out.to_dict("records")]
