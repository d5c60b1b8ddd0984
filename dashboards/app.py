"""Dash app factory. Pages live in dashboards/pages/, one module each; no data is loaded at import."""
from __future__ import annotations

from pathlib import Path

import dash
from dash import Dash, dcc, html

from . import ids

PAGE_MODULES = ["dashboards.pages.home", "dashboards.pages.market", "dashboards.pages.chips",
                "dashboards.pages.timeline", "dashboards.pages.graph", "dashboards.pages.sql"]


def create_app(db_path: str | Path) -> Dash:
    """Build the app for the (existing) database at ``db_path``; the `dashboard` command ensures it exists."""
    import importlib

    app = Dash(__name__, use_pages=True, pages_folder="", title="marketgraph", suppress_callback_exceptions=True)
    app.server.config["MARKETGRAPH_DB"] = str(db_path)
    for mod in PAGE_MODULES:
        importlib.import_module(mod)
    app.layout = html.Div([
        html.Header([
            html.H1("marketgraph", style={"margin": "0 1em 0 0", "fontSize": "1.4em"}),
            html.Nav([dcc.Link(p["name"], href=p["relative_path"], style={"marginRight": "1em"})
                      for p in dash.page_registry.values()], id=ids.NAV),
        ], style={"display": "flex", "alignItems": "center", "padding": "0.6em 1em",
                  "borderBottom": "1px solid #ddd", "fontFamily": "system-ui, sans-serif"}),
        html.Main(dash.page_container, style={"padding": "1em", "fontFamily": "system-ui, sans-serif"}),
    ])
    return app


def current_db() -> str:
    """The database the running app serves (set by create_app)."""
    import flask

    return flask.current_app.config["MARKETGRAPH_DB"]


def store():
    """A read-only Store on the served database: open one per page layout or callback, with ``with``."""
    from marketgraph.store.db import open_store

    return open_store(current_db())
