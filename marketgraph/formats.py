"""Output formats for tables, in a registry keyed by name (adding one never touches the callers).

Exports are always complete: a renderer gets the whole DataFrame it is given.
"""
from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from typing import Callable

import pandas as pd


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:.6g}" if abs(v) < 1e15 else f"{v:.6e}"
    return str(v)


def _plain(v):
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def render_table(df: pd.DataFrame) -> str:
    headers = [str(c) for c in df.columns]
    rows = [[_cell(v) for v in r] for r in df.itertuples(index=False, name=None)]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    def line(cells): return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(out)


def render_markdown(df: pd.DataFrame) -> str:
    def esc(s: str) -> str: return s.replace("|", "\\|").replace("\n", " ")
    headers = [esc(str(c)) for c in df.columns]
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for r in df.itertuples(index=False, name=None):
        out.append("| " + " | ".join(esc(_cell(v)) for v in r) + " |")
    return "\n".join(out)


def render_csv(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([str(c) for c in df.columns])
    # repr-exact floats in CSV (it is for machines), but NULL as an empty cell and booleans lowercase.
    w.writerows([[_cell(v) if not isinstance(v, float) else ("" if math.isnan(v) else repr(v)) for v in r]
                 for r in df.itertuples(index=False, name=None)])
    return buf.getvalue().rstrip("\n")


def render_json(df: pd.DataFrame) -> str:
    records = [{str(k): _plain(v) for k, v in zip(df.columns, r)} for r in df.itertuples(index=False, name=None)]
    return json.dumps(records, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    render: Callable[[pd.DataFrame], str]


FORMATS = {f.name: f for f in (
    Format("table", "txt", render_table),
    Format("csv", "csv", render_csv),
    Format("json", "json", render_json),
    Format("markdown", "md", render_markdown),
)}


def render(df: pd.DataFrame, fmt: str) -> str:
    return FORMATS[fmt].render(df)
