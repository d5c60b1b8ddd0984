"""The ``marketgraph`` command: thin click commands over the Python API.

Every command maps to a library function; errors the user can fix (bad data, bad SQL, a missing database) are
reported as plain messages with a non-zero exit, never as a traceback.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import db as dbmod
from .formats import FORMATS, render
from .load import DataErrors


class UserError(click.ClickException):
    """A problem the user can fix; printed without a traceback, exit code 1."""

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def db_option(f):
    return click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="Database file (default: $MARKETGRAPH_DB or the per-user default, built from the "
                             "shipped data on first use).")(f)


def format_option(default: str = "table"):
    return click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default=default, show_default=True,
                        help="Output format.")


def friendly_errors(f):
    """Turn the library's expected failures into clean messages."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        from .safesql import UnsafeQuery
        try:
            return f(*args, **kwargs)
        except DataErrors as e:
            raise UserError(f"{e}\n{len(e.errors)} error(s); nothing was written.") from None
        except (dbmod.DatabaseMissing, UnsafeQuery, KeyError) as e:
            raise UserError(str(e).strip("'\"")) from None
        except OSError as e:  # unwritable folder, a directory where the database should be, disk full …
            raise UserError(f"{e.strerror or e}: {e.filename or ''}".rstrip(": ")) from None
    return wrapper


def coerce_param(value: str):
    """``-p`` values arrive as text; numbers become numbers so they compare with numeric columns."""
    for conv in (int, float):
        try:
            return conv(value)
        except ValueError:
            pass
    return value


EPILOG = """\b
Examples:
  marketgraph build                       # rebuild the default database from the shipped data/
  marketgraph sql "select name, bf16_tflops from chips order by bf16_tflops desc limit 5"
  marketgraph info
  marketgraph schema --table chips
  marketgraph findings                    # what the data says, with numbers and sources
  marketgraph metrics --segment inference --basis launches_3y
  marketgraph whatif --segment inference --year 2025 --merge amd intel
  marketgraph check                       # data checks on the built database
  marketgraph ingest ../shared/seeds/training_vs_inference.txt
  marketgraph graph show vendor:nvidia
  marketgraph graph export --format gexf --out marketgraph.gexf
  marketgraph dashboard                   # http://127.0.0.1:8050
"""


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="marketgraph", message="%(prog)s %(version)s")
def main() -> None:
    """marketgraph: AI-accelerator market analytics and knowledge graph.

    Who dominates AI training hardware, how fast inference is diversifying, what accelerators exist and how
    they compare: curated, sourced data in DuckDB, queried with SQL.
    """


def _echo_warnings(warnings: list[str], shown: int = 3) -> None:
    """Warnings grouped by check: the first few locations in full, then a count (the rest via `check`)."""
    groups: dict[str, list[str]] = {}
    for w in warnings:
        key = w.split(": warning: ", 1)[-1].split(":", 1)[0]
        groups.setdefault(key, []).append(w)
    for items in groups.values():
        for w in items[:shown]:
            click.echo(w, err=True)
        if len(items) > shown:
            click.echo(f"  … and {len(items) - shown} more like this (marketgraph check lists them all)", err=True)


@main.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Data folder to build from (default: the shipped data/).")
@db_option
@friendly_errors
def build(data_dir: Path | None, db: Path | None) -> None:
    """Validate the data files and (re)build the database atomically.

    Every problem is reported at once as FILE:LINE:COLUMN: message. On any error nothing is written and the
    previous database stays byte-identical.

    \b
    Example:
      marketgraph build --data data --db /tmp/marketgraph.duckdb
    """
    report = dbmod.build(data_dir, db)
    _echo_warnings(report.warnings)
    counts = ", ".join(f"{k} {v}" for k, v in report.row_counts.items() if v)
    click.echo(f"built {report.db_path} from {report.data_dir}\n{counts}")


@main.command()
@click.argument("sql")
@click.option("-p", "--param", "params", type=(str, str), multiple=True, metavar="NAME VALUE",
              help="Named parameter, used as $NAME in the query (repeatable).")
@click.option("--max-rows", type=int, default=None, help="Stop after this many rows (default: all rows).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Time limit in seconds.")
@db_option
@format_option()
@friendly_errors
def sql(sql: str, params, max_rows: int | None, timeout: float, db: Path | None, fmt: str) -> None:
    """Run one read-only SELECT and print the result. Use - to read the query from stdin.

    The query runs under the same guards as the dashboard console: SELECT only, read-only, no file or network
    access, a time limit.

    \b
    Examples:
      marketgraph sql "select vendor_id, count(*) n from chips group by 1 order by n desc"
      marketgraph sql "select name from chips where year = \\$y" -p y 2016 --format csv
      echo "select * from segments" | marketgraph sql - --format json
    """
    from .safesql import run_untrusted_sql

    text = sys.stdin.read() if sql == "-" else sql
    result = run_untrusted_sql(text, {k: coerce_param(v) for k, v in params}, db, timeout, max_rows)
    click.echo(render(result.frame, fmt))
    if result.truncated:
        click.echo(f"(stopped at {result.max_rows} rows; raise --max-rows to see more)", err=True)


@main.command()
@db_option
@format_option()
@friendly_errors
def info(db: Path | None, fmt: str) -> None:
    """Where the database is, when and from what it was built, and its row counts.

    \b
    Example:
      marketgraph info --format json
    """
    import pandas as pd

    path = dbmod.resolve_db(db)
    bi = dbmod.build_info(path)
    counts = bi.pop("row_counts")
    if fmt == "table":
        click.echo(f"{'database':<16}{path}")
        for k, v in bi.items():
            click.echo(f"{k:<16}{v}")
        if db is None and dbmod.is_stale(path):
            click.echo("note            the shipped data changed since this build; run: marketgraph build")
        click.echo("")
    rows = [{"table": k, "rows": v} for k, v in counts.items()]
    if fmt == "table":
        click.echo(render(pd.DataFrame(rows), fmt))
    else:
        meta = pd.DataFrame([{"table": f"({k})", "rows": str(v)} for k, v in
                             {"database": path, **bi}.items()] + [{"table": r["table"], "rows": str(r["rows"])}
                                                                   for r in rows])
        click.echo(render(meta.rename(columns={"table": "key", "rows": "value"}), fmt))


@main.command()
@click.option("--table", "table_name", default=None, help="Only this table.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "sql"]), default="markdown", show_default=True,
              help="markdown: the data dictionary; sql: the DDL.")
def schema(table_name: str | None, fmt: str) -> None:
    """Print the data dictionary (or the DDL) generated from the one schema declaration.

    \b
    Example:
      marketgraph schema --table chips
    """
    from . import schema as s

    if table_name and table_name not in s.TABLES_BY_NAME:
        raise UserError(f"no table {table_name!r}; tables: {', '.join(s.TABLES_BY_NAME)}")
    tables = (s.TABLES_BY_NAME[table_name],) if table_name else s.TABLES
    if fmt == "sql":
        click.echo(";\n\n".join(s.ddl(tables)) + ";")
        return
    text = s.data_dictionary()
    if table_name:
        start = text.index(f"## `{table_name}`")
        end = text.find("\n## ", start + 1)
        text = text[start:end if end != -1 else None]
    click.echo(text.rstrip())


@main.command()
@db_option
@format_option()
@friendly_errors
def check(db: Path | None, fmt: str) -> None:
    """Run the data checks (SQL queries that return offending rows) against a built database.

    Exit code 1 when any check of severity error fails.

    \b
    Example:
      marketgraph check --format markdown
    """
    from .checks import run_checks

    with dbmod.connect(db) as con:
        failures = run_checks(con)
    if len(failures):
        click.echo(render(failures, fmt))
    click.echo(f"{len(failures)} failing row(s)", err=True)
    if (failures["severity"] == "error").any():
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Ingest the valid cards and list the invalid ones.")
@db_option
@friendly_errors
def ingest(paths, skip_invalid: bool, db: Path | None) -> None:
    """Ingest knowledge cards (files, or folders of *.txt) into the database.

    Strict by default: any invalid card is reported as FILE:LINE: message and nothing is written. A card whose
    title is already in the database replaces that topic, so ingesting twice changes nothing.

    \b
    Example:
      marketgraph ingest ../shared/seeds/training_vs_inference.txt
    """
    from .ingest import ingest as run_ingest

    report = run_ingest(paths, db, skip_invalid)
    for p in report.skipped:
        click.echo(f"{p.file}:{p.line}: {p.message}", err=True)
    click.echo(f"ingested {len(report.ingested)} new and {len(report.replaced)} replaced topic(s) into "
               f"{report.db_path}" + (f"; skipped {len({p.file for p in report.skipped})} invalid card(s)"
                                      if report.skipped else ""))


@main.group()
def graph() -> None:
    """The knowledge graph: export it, look at a node, find a path.

    \b
    Example:
      marketgraph graph show vendor:nvidia
    """


@graph.command("export")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json", "cytoscape"]), default="graphml",
              show_default=True, help="graphml/gexf open in Gephi; json is networkx node-link data.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: stdout).")
@db_option
@friendly_errors
def graph_export(fmt: str, out: Path | None, db: Path | None) -> None:
    """Export the whole knowledge graph.

    \b
    Example:
      marketgraph graph export --format gexf --out marketgraph.gexf
    """
    from .graph import build_graph, export

    text = export(build_graph(db), fmt)
    if out:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text)


@graph.command("show")
@click.argument("node")
@db_option
@format_option()
@friendly_errors
def graph_show(node: str, db: Path | None, fmt: str) -> None:
    """A node, its neighbours and the sources behind each link.

    NODE is an id (chip:google-tpu-v4), a bare id (google-tpu-v4) or a label ("TPU v4").

    \b
    Example:
      marketgraph graph show "TPU v4"
    """
    import pandas as pd

    from .graph import build_graph, find_node, neighbourhood

    g = build_graph(db)
    n = find_node(g, node)
    attrs = g.nodes[n]
    if fmt == "table":
        click.echo(f"{n}  ({attrs.get('kind')}) {attrs.get('label')}")
        for k, v in sorted(attrs.items()):
            if k not in ("kind", "label"):
                click.echo(f"  {k}: {v}")
        click.echo("")
    click.echo(render(pd.DataFrame(neighbourhood(g, n)), fmt))


@graph.command("path")
@click.argument("a")
@click.argument("b")
@db_option
@format_option()
@friendly_errors
def graph_path(a: str, b: str, db: Path | None, fmt: str) -> None:
    """The shortest chain of relations between two nodes.

    \b
    Example:
      marketgraph graph path vendor:google event:alexnet-imagenet-2012
    """
    import pandas as pd

    from .graph import build_graph, find_node, shortest_path

    g = build_graph(db)
    click.echo(render(pd.DataFrame(shortest_path(g, find_node(g, a), find_node(g, b))), fmt))


@main.command("metrics")
@click.option("--segment", type=click.Choice(["training", "inference", "all"]), default=None)
@click.option("--basis", default=None, help="A basis id, or a prefix such as 'published' or 'launches'.")
@click.option("--view", type=click.Choice(["concentration", "centrality", "entrants"]), default="concentration",
              show_default=True, help="concentration: segment_concentration; centrality: vendor degree and "
                                      "PageRank in the segment's graph; entrants: first launches per year.")
@click.option("--year", type=int, default=None, help="For centrality: launches up to this year (default: all).")
@db_option
@format_option()
@friendly_errors
def metrics_cmd(segment: str | None, basis: str | None, view: str, year: int | None, db: Path | None,
                fmt: str) -> None:
    """Concentration and graph measures per segment.

    The default view prints segment_concentration (CR1, CR4, HHI, effective vendors, entropy, ΔHHI, coverage);
    values are rounded for display only, the table in the database is unrounded.

    \b
    Examples:
      marketgraph metrics --segment training --basis launches_3y
      marketgraph metrics --view centrality --segment inference --year 2020
      marketgraph metrics --view entrants --segment inference
    """
    from . import analytics

    if view == "concentration":
        df = analytics.concentration(segment, basis, db)
        if fmt == "table":
            df = df.round({"cr1": 1, "cr4": 1, "hhi": 0, "effective_vendors": 2, "entropy": 3, "delta_hhi": 0,
                           "coverage_pct": 1})
        click.echo(render(df, fmt))
        return
    if segment not in ("training", "inference"):
        raise UserError(f"--view {view} needs --segment training or inference")
    if view == "centrality":
        g = analytics.segment_graph(segment, year, db)  # built once, read by both measures
        df = analytics.vendor_centrality(segment, graph=g)
        c = analytics.vendor_projection_centralization(segment, graph=g)
        click.echo(render(df.round(4) if fmt == "table" else df, fmt))
        if fmt == "table":
            click.echo(f"\ndegree centralization of the vendor–chip graph: {c:.3f}")
    else:
        df = analytics.entrants(segment, db)
        df["new_vendors"] = df.new_vendors.map(lambda v: ", ".join(v) if hasattr(v, "__iter__") else "")
        click.echo(render(df, fmt))


@main.command()
@click.option("--segment", required=True, type=click.Choice(["training", "inference", "all"]))
@click.option("--year", required=True, type=int)
@click.option("--basis", default="launches_3y", show_default=True, help="Share basis (see `marketgraph metrics`).")
@click.option("--merge", "merge_", nargs=2, metavar="A B", default=None, help="A acquires B.")
@click.option("--entrant", nargs=2, metavar="NAME SHARE", default=None, help="A new vendor takes SHARE points.")
@click.option("--shift", "shift_", nargs=3, metavar="A B PTS", default=None, help="Move PTS points from A to B.")
@db_option
@format_option()
@friendly_errors
def whatif(segment, year, basis, merge_, entrant, shift_, db, fmt) -> None:
    """HHI before and after a hypothetical merger, entrant or share shift, and whether the 2023 Merger
    Guidelines' presumption would apply.

    \b
    Example:
      marketgraph whatif --segment inference --year 2024 --merge amd intel
    """
    import pandas as pd

    from .whatif import run_whatif

    if sum(x is not None for x in (merge_, entrant, shift_)) != 1:
        raise UserError("give exactly one of --merge, --entrant, --shift")
    result = run_whatif(segment, year, basis, merge=merge_, entrant=entrant, shift=shift_, db=db)
    click.echo(render(pd.DataFrame([result]), fmt) if fmt != "table" else
               "\n".join(f"{k:<22}{v}" for k, v in result.items()))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
@db_option
@friendly_errors
def findings(fmt: str, db: Path | None) -> None:
    """The analyst's summary: what the data says about training dominance and inference diversification,
    each statement with its numbers, basis, sources and caveats. Computed from the database, never typed in.

    \b
    Example:
      marketgraph findings --format markdown
    """
    from .findings import compute_findings, render_findings

    click.echo(render_findings(compute_findings(db), fmt))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False)
@db_option
@friendly_errors
def dashboard(host: str, port: int, debug: bool, db: Path | None) -> None:
    """Serve the Dash dashboard on the database (the default one is built on first use).

    \b
    Example:
      marketgraph dashboard --port 8050
    """
    from dashboards.app import create_app

    path = dbmod.resolve_db(db)
    if db is None and dbmod.is_stale(path):
        click.echo("note: the shipped data changed since this database was built; run: marketgraph build", err=True)
    app = create_app(path)
    click.echo(f"marketgraph dashboard on http://{host}:{port}/ (database {path})")
    app.run(host=host, port=port, debug=debug)


if __name__ == "__main__":  # pragma: no cover
    main()
