"""The `marketgraph dashboard` command, added to the CLI through the ``marketgraph.commands`` entry point so
the library never imports the dashboard."""
from __future__ import annotations

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
@db_option
def dashboard(host: str, port: int, debug: bool, threads: int, db: Path | None) -> None:
    """Serve the dashboard on the database (the default one is built on first use).

    It opens the database read-only, one connection per request, and picks up a rebuilt database (marketgraph
    build replaces the file atomically) on the next request, without a restart.

    \b
    Example:
      marketgraph dashboard --port 8050
    """
    import waitress

    from marketgraph.pipeline import ensure_db
    from marketgraph.store.build import is_stale
    from marketgraph.store.db import open_store

    from .app import create_app

    path = ensure_db(db)
    if db is None:
        with open_store(path) as store:
            if is_stale(store):
                click.echo("note: the shipped data changed since this database was built; run: marketgraph build",
                           err=True)
    app = create_app(path)
    click.echo(f"marketgraph dashboard on http://{host}:{port}/ (database {path})", err=True)
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False)
    else:
        waitress.serve(app.server, host=host, port=port, threads=threads, ident="marketgraph",
                       _quiet=True)
