"""Renderers of the schema declaration: DuckDB DDL with ``COMMENT ON``, and the Markdown data dictionary."""
from __future__ import annotations

from pathlib import Path

from .schema import TABLES, VIEWS, Column, Table, View

VIEWS_DIR = Path(__file__).resolve().parent / "queries" / "views"


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _column_ddl(t: Table, c: Column) -> str:
    # DuckDB accepts a self-reference only as a table constraint (create_table_sql adds those).
    parts = [c.name, c.type]
    if c.required or c.name in t.primary_key:
        parts.append("NOT NULL")
    checks = []
    if c.choices:
        checks.append(f"{c.name} IN ({', '.join(_sql_str(v) for v in c.choices)})")
    if c.ge is not None:
        checks.append(f"{c.name} >= {c.ge:g}")
    if c.le is not None:
        checks.append(f"{c.name} <= {c.le:g}")
    if checks:
        parts.append(f"CHECK ({' AND '.join(checks)})")
    if c.references and not c.references.startswith(t.name + "."):
        ref_table, ref_col = c.references.split(".")
        parts.append(f"REFERENCES {ref_table}({ref_col})")
    return " ".join(parts)


def create_table_sql(t: Table) -> str:
    lines = [_column_ddl(t, c) for c in t.columns]
    if t.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(t.primary_key)})")
    for u in t.unique:
        # UNIQUE over nullable columns would treat NULLs as distinct; the loader checks those itself.
        if all(t.column(n).required or n in t.primary_key for n in u):
            lines.append(f"UNIQUE ({', '.join(u)})")
    for c in t.columns:
        if c.references and c.references.startswith(t.name + "."):
            lines.append(f"FOREIGN KEY ({c.name}) REFERENCES {t.name}({c.references.split('.')[1]})")
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {t.name} (\n  {body}\n)"


def view_sql(v: View) -> str:
    return f"CREATE VIEW {v.name} AS\n" + (VIEWS_DIR / f"{v.name}.sql").read_text(encoding="utf-8").strip()


def comment_sql(t: Table | View) -> list[str]:
    kind = "VIEW" if isinstance(t, View) else "TABLE"
    out = [f"COMMENT ON {kind} {t.name} IS {_sql_str(t.description)}"]
    for c in t.columns:
        text = c.description + (f" Unit: {c.unit}." if c.unit else "")
        out.append(f"COMMENT ON COLUMN {t.name}.{c.name} IS {_sql_str(text)}")
    return out


def ddl(tables: tuple[Table, ...] = TABLES, views: tuple[View, ...] = VIEWS) -> list[str]:
    """All statements that create the empty store (tables, then the views over them), in dependency order."""
    out: list[str] = []
    for t in tables:
        out.append(create_table_sql(t))
        out.extend(comment_sql(t))
    for v in views:
        out.append(view_sql(v))
        out.extend(comment_sql(v))
    return out


def data_dictionary() -> str:
    """The data dictionary as Markdown (docs/schema.md is this text)."""
    lines = [
        "# marketgraph data dictionary",
        "",
        "Generated from `marketgraph/store/schema.py` by `marketgraph schema --format markdown`; do not edit by "
        "hand.",
        "The same text is stored in the database as table and column comments "
        "(`SELECT * FROM duckdb_columns()`).",
        "",
    ]
    for t in TABLES:
        where = f"loaded from `data/{t.csv}`" if t.csv else {
            "cards": "filled from knowledge cards (`data/cards/`, `marketgraph ingest`)",
            "analytics": "computed by the build from the tables above",
            "build": "written by the build",
        }[t.origin]
        lines += [f"## `{t.name}`", "", t.description, "", f"*{where}*"]
        if t.primary_key:
            lines.append(f" · primary key ({', '.join(t.primary_key)})")
        lines += _column_lines(t.columns, t.primary_key)
        for p in t.polyrefs:
            lines += ["", f"`{p.id_column}` refers to the table named by `{p.kind_column}`: "
                      + ", ".join(f"{k} → `{v}`" for k, v in p.targets.items()) + "."]
        lines.append("")
    for v in VIEWS:
        lines += [f"## `{v.name}` (view)", "", v.description, "",
                  f"*a view: `store/queries/views/{v.name}.sql`*", ""]
        lines += _column_lines(v.columns, ())
        lines.append("")
    return "\n".join(lines)


def _column_lines(columns: tuple[Column, ...], primary_key: tuple[str, ...]) -> list[str]:
    lines = ["", "| column | type | unit | required | description |", "|---|---|---|---|---|"]
    for c in columns:
        desc = c.description
        if c.choices:
            desc += " One of: " + ", ".join(f"`{v}`" for v in c.choices) + "."
        if c.references:
            desc += f" → `{c.references}`."
        if c.derive:
            desc += " *(derived by the loader)*"
        req = "yes" if (c.required or c.name in primary_key) else ""
        lines.append(f"| `{c.name}` | {c.type} | {c.unit or ''} | {req} | {desc.replace('|', '/')} |")
    return lines
