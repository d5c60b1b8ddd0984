"""The `marketgraph dashboard` command, added to the CLI through the ``marketgraph.commands`` entry point so
the library never imports the dashboard."""
from __future__ import annotations

import os
from pathlib import Path

import click

from marketgraph.cli.common import db_option

THREADS = 8  # waitress worker threads: DuckDB releases the GIL while it runs a query, so readers overlap


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False, help="Flask's development server with Dash's debug tools "
                                                        "(reloader off); without it the app runs on waitress.")
@click.option("--threads", default=THREADS, show_default=True, type=int, help="Waitress worker threads.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes sharing the port, each opening the database read-only (one Python process "
                   "saturates about one core; use up to the number of cores).")
@db_option
def dashboard(host: str, port: int, debug: bool, threads: int, workers: int, db: Path | None) -> None:
    """Serve the dashboard on the database (the default one is built on first use).

    It opens the database read-only, one connection per request, and picks up a rebuilt database (marketgraph
    build replaces the file atomically) on the next request, without a restart.

    \b
    Examples:
      marketgraph dashboard --port 8050
      marketgraph dashboard --host 0.0.0.0 --workers 2     # a team on a 2-core machine
    """
    if debug and workers > 1:
        raise click.UsageError("--debug runs Flask's development server in one process; drop --workers")
    from marketgraph.pipeline import ensure_db
    from marketgraph.store.build import is_stale
    from marketgraph.store.db import open_store

    path = ensure_db(db)
    if db is None:
        with open_store(path) as store:
            if is_stale(store):
                click.echo("note: the shipped data changed since this database was built; run: marketgraph build",
                           err=True)
    if debug:
        from .app import create_app

        app = create_app(path)
        click.echo(f"marketgraph dashboard on http://{host}:{port}/ (database {path}; debug)", err=True)
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    from .serve import listen, serve_many, serve_one

    try:
        sock = listen(host, port)
    except OSError as e:
        raise click.ClickException(f"cannot listen on {host}:{port}: {os.strerror(e.errno) if e.errno else e} "
                                   "(another server on that port? pick one with --port)") from None
    click.echo(f"marketgraph dashboard on http://{host}:{port}/ (database {path}"
               + (f"; {workers} processes" if workers > 1 else "") + ")", err=True)
    if workers > 1:
        raise SystemExit(serve_many(path, threads, workers, sock))
    serve_one(path, threads, sock)
