"""Commands over the store itself: build, sql, info, schema, check."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import coerce_param, db_option, format_option, open_db


def echo_warnings(warnings, shown: int = 3) -> None:
    """Warnings grouped by check: the first few locations in full, then a count (the rest via `check`)."""
    groups: dict[str, list] = {}
    for w in warnings:
        groups.setdefault(w.check, []).append(w)
    for items in groups.values():
        for w in items[:shown]:
            click.echo(str(w), err=True)
        if len(items) > shown:
            click.echo(f"  … and {len(items) - shown} more like this (marketgraph check lists them all)", err=True)


@click.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Data folder to build from (default: the shipped data/).")
@db_option
def build(data_dir: Path | None, db: Path | None) -> None:
    """Validate the data files and (re)build the database atomically.

    Every problem is reported at once as FILE:LINE:COLUMN: message. On any error nothing is written and the
    previous database stays byte-identical.

    \b
    Example:
      marketgraph build --data data --db /tmp/marketgraph.duckdb
    """
    from ..pipeline import build as run_build

    report = run_build(data_dir, db)
    echo_warnings(report.warnings)
    counts = ", ".join(f"{k} {v}" for k, v in report.row_counts.items() if v)
    click.echo(f"built {report.db_path} from {report.data_dir}\n{counts}")


@click.command()
@click.argument("sql")
@click.option("-p", "--param", "params", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="Named parameter, used as $NAME in the query (repeatable).")
@click.option("--max-rows", type=int, default=None, help="Stop after this many rows (default: all rows).")
@click.option("--max-bytes", type=int, default=None, help="Stop after this many bytes of results (default: no cap).")
@click.option("--timeout", type=float, default=60.0, show_default=True,
              help="Time limit in seconds, from submission to the last row.")
@db_option
@format_option()
def sql(sql: str, params, max_rows: int | None, max_bytes: int | None, timeout: float, db: Path | None,
        fmt: str) -> None:
    """Run one read-only SELECT and print the result. Use - to read the query from stdin.

    The query runs under the same guards as the dashboard console (SELECT only, read-only, no file or network
    access, a worker process stopped at the time limit, a memory limit, no spilling to disk); only the
    defaults differ: 60 s, and no row or byte cap unless asked for.

    \b
    Examples:
      marketgraph sql "select vendor_id, count(*) n from chips group by 1 order by n desc"
      marketgraph sql "select name from chips where year = \\$y" -p y 2016 --format csv
      echo "select * from segments" | marketgraph sql - --format json
    """
    from ..pipeline import ensure_db
    from ..present.formats import render_table
    from ..store.guard import run_untrusted_sql

    text = sys.stdin.read() if sql == "-" else sql
    result = run_untrusted_sql(text, {k: coerce_param(v) for k, v in params}, ensure_db(db), timeout, max_rows,
                               max_bytes)
    click.echo(render_table(result.frame, fmt))
    if result.truncated:
        flag = "--max-rows" if result.truncated_by == "rows" else "--max-bytes"
        click.echo(f"({result.note}; raise {flag} to see more)", err=True)


@click.command()
@db_option
@format_option()
def info(db: Path | None, fmt: str) -> None:
    """Where the database is, when and from what it was built, and its row counts.

    \b
    Example:
      marketgraph info --format json
    """
    import pandas as pd

    from ..present.formats import render_table
    from ..store.build import is_stale

    with open_db(db) as store:
        bi = store.build_info()
        counts = store.row_counts()
        stale = db is None and is_stale(store)
    if fmt == "table":
        click.echo(f"{'database':<16}{store.path}")
        for k, v in bi.items():
            click.echo(f"{k:<16}{v}")
        if stale:
            click.echo("note            the shipped data changed since this build; run: marketgraph build")
        click.echo("")
        click.echo(render_table(pd.DataFrame({"table": list(counts), "rows": list(counts.values())}), fmt))
        return
    meta = [{"key": f"({k})", "value": str(v)} for k, v in {"database": store.path, **bi}.items()]
    meta += [{"key": k, "value": str(v)} for k, v in counts.items()]
    click.echo(render_table(pd.DataFrame(meta), fmt))


@click.command()
@click.option("--table", "table_name", default=None, help="Only this table (or view).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "sql"]), default="markdown", show_default=True,
              help="markdown: the data dictionary; sql: the DDL.")
def schema(table_name: str | None, fmt: str) -> None:
    """Print the data dictionary (or the DDL) generated from the one schema declaration.

    \b
    Example:
      marketgraph schema --table chips
    """
    from ..errors import UnknownName
    from ..store import render
    from ..store.schema import TABLES, TABLES_BY_NAME, VIEWS, VIEWS_BY_NAME

    if table_name and table_name not in TABLES_BY_NAME and table_name not in VIEWS_BY_NAME:
        raise UnknownName(f"no table {table_name!r}; tables: {', '.join([*TABLES_BY_NAME, *VIEWS_BY_NAME])}")
    if fmt == "sql":
        if table_name:
            tables = (TABLES_BY_NAME[table_name],) if table_name in TABLES_BY_NAME else ()
            views = (VIEWS_BY_NAME[table_name],) if table_name in VIEWS_BY_NAME else ()
        else:
            tables, views = TABLES, VIEWS
        click.echo(";\n\n".join(render.ddl(tables, views)) + ";")
        return
    text = render.data_dictionary()
    if table_name:
        start = text.index(f"## `{table_name}`")
        end = text.find("\n## ", start + 1)
        text = text[start:end if end != -1 else None]
    click.echo(text.rstrip())


@click.command()
@db_option
@format_option()
def check(db: Path | None, fmt: str) -> None:
    """Run the data checks (SQL queries that return offending rows) against a built database.

    Exit code 1 when any check of severity error fails.

    \b
    Example:
      marketgraph check --format markdown
    """
    from ..present.formats import render_table
    from ..store.checks import run_checks

    with open_db(db) as store:
        failures = run_checks(store)
    if len(failures):
        click.echo(render_table(failures, fmt))
    click.echo(f"{len(failures)} failing row(s)", err=True)
    if (failures["severity"] == "error").any():
        sys.exit(1)
