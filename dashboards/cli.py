"""The `marketgraph dashboard` command, added to the CLI through the ``marketgraph.commands`` entry point so
the library never imports the dashboard."""
from __future__ import annotations

from pathlib import Path

import click

from marketgraph.cli.common import db_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8050, show_default=True, type=int)
@click.option("--debug/--no-debug", default=False)
@db_option
def dashboard(host: str, port: int, debug: bool, db: Path | None) -> None:
    """Serve the Dash dashboard on the database (the default one is built on first use).

    \b
    Example:
      marketgraph dashboard --port 8050
    """
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
    click.echo(f"marketgraph dashboard on http://{host}:{port}/ (database {path})")
    app.run(host=host, port=port, debug=debug)
