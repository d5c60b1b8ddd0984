"""What the command modules share: options, the error boundary, opening the database."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import DataErrors, MarketgraphError


class UserError(click.ClickException):
    """A problem the user can fix; printed without a traceback, exit code 1."""

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)


def user_message(e: MarketgraphError) -> str:
    if isinstance(e, DataErrors):
        return f"{e}\n{len(e.errors)} error(s); nothing was written."
    return str(e)


class CatchingGroup(click.Group):
    """The one place user errors become messages: a MarketgraphError prints its message and exits 1. Anything
    else is a bug and keeps its traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MarketgraphError as e:
            raise UserError(user_message(e)) from None


def db_option(f):
    return click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="Database file (default: $MARKETGRAPH_DB or the per-user default, built from the "
                             "shipped data on first use).")(f)


def format_option(capability: str = "table", default: str = "table"):
    """``--format`` with the formats of the shared registry that can render ``capability``."""
    from ..present.formats import names_for

    return click.option("--format", "fmt", type=click.Choice(names_for(capability)), default=default,
                        show_default=True, help="Output format.")


def open_db(db: Path | None):
    """The Store for this command: ``--db`` if given (it must exist), else the default database, built from the
    shipped data on first use (announced on stderr)."""
    from ..pipeline import ensure_db
    from ..store.db import open_store

    return open_store(ensure_db(db))


def coerce_param(value: str):
    """``-p`` values arrive as text; numbers become numbers so they compare with numeric columns."""
    for conv in (int, float):
        try:
            return conv(value)
        except ValueError:
            pass
    return value
