"""``marketgraph export``: whole tables or a query's whole result to CSV, JSON, Parquet or XLSX."""
from __future__ import annotations

from pathlib import Path

import click

from .common import coerce_param, db_option, open_db
from .progress import progress

EXPORT_FORMATS = ["csv", "json", "parquet", "xlsx"]  # the registry's export formats (checked in tests)


@click.command("export")
@click.argument("tables", nargs=-1)
@click.option("--query", "sql", default=None, help="One SELECT of your own (read-only, SELECT only, never capped); "
                                                   "'-' reads it from stdin.")
@click.option("-p", "--param", "params", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="A $NAME parameter of --query (repeatable).")
@click.option("--all", "everything", is_flag=True, help="Every table of the database, one file each, into the "
                                                        "folder --out, with datapackage.json.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True, help="File format.")
@click.option("--out", type=click.Path(), required=True,  # a str: Path() would drop a trailing slash
              help="A file for one table or a query; a folder for several tables or --all.")
@click.option("--quiet", is_flag=True, help="No progress on the terminal.")
@db_option
def export(tables: tuple[str, ...], sql: str | None, params, everything: bool, fmt: str, out: str,
           quiet: bool, db: Path | None) -> None:
    """Export whole tables, or the whole result of a query — never capped; the row count is printed.

    A folder export (several tables or --all) writes TABLE.<ext> per table and a Frictionless Data
    datapackage.json (fields, types, units, descriptions, sources, licence). Parquet keeps column types; CSV
    and XLSX neutralise text that a spreadsheet would run as a formula.

    \b
    Examples:
      marketgraph export chips --format csv --out chips.csv
      marketgraph export chips vendors sources --format xlsx --out tables/
      marketgraph export --all --format parquet --out marketgraph-parquet/
      marketgraph export --query "select * from chips where year >= \\$y" -p y 2020 --format json --out recent.json
    """
    from ..errors import InvalidArgument

    given = sum([bool(tables), sql is not None, everything])
    if given != 1:
        raise InvalidArgument("give table names, --query SQL or --all (exactly one of them)")
    if params and sql is None:
        raise InvalidArgument("-p/--param goes with --query")
    result = _run(tables, sql, params, everything, fmt, out, quiet, db)
    for name, n in result.rows.items():
        click.echo(f"{name}: {n:,} rows", err=len(result.rows) > 1 and quiet)
    written = [p for p in result.files if p.name != "datapackage.json"]
    where = written[0] if len(written) == 1 else written[0].parent
    click.echo(f"wrote {result.total_rows:,} rows to {where}"
               + (" (with datapackage.json)" if len(written) < len(result.files) else ""))


def _run(tables, sql, params, everything, fmt, out, quiet, db):
    import sys

    from ..pipeline import ensure_db
    from ..present import export as ex

    if sql is not None:
        if sql == "-":
            sql = sys.stdin.read()
        with progress("export", None, quiet) as step:
            result = ex.export_query(ensure_db(db), sql, fmt, out, {k: coerce_param(v) for k, v in params})
            step("query")
    else:
        with open_db(db) as store:
            names = [t.name for t in ex.TABLES] if everything else ex.table_names(tables)
            with progress("export", len(names), quiet) as step:
                result = (ex.export_all(store, fmt, out, step) if everything
                          else ex.export_tables(store, names, fmt, out, step))
    return result
