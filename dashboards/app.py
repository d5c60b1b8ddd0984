"""The Dash app factory: one theme, a navigation bar, a router over the page modules, the download route.

Pages live in dashboards/pages/, one module each, and say where they are (``PATH``, a path with ``<name>``
parts), what the navigation calls them (``NAME``), how to draw themselves from the URL's query
(``layout(params, **path_values)``) and which callbacks they have (``register(app)``). Callbacks are bound
to each app that is created, never to a module-level registry, so tests and benchmarks can create several apps
in one process. No data is loaded at import.

The router reads the path and query when the address changes; a page that keeps its view in the URL writes its
query through its own ``dcc.Location`` without redrawing itself.
"""
from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html

from marketgraph.errors import MarketgraphError

from . import ids, state
from .cache import current_db, store  # noqa: F401  (re-exported: pages open their Store through here)
from .downloads import register_routes

PAGE_MODULES = ["home", "market", "chips", "chip", "vendor", "timeline", "graph", "sql", "reports"]


def page_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__package__}.pages.{n}") for n in PAGE_MODULES]


def _pattern(path: str) -> re.Pattern:
    """'/vendors/<vendor_id>' → a regex with a named group per <part> (one path segment each)."""
    return re.compile("^" + re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", path.rstrip("/") or "/") + "/?$")


class Router:
    def __init__(self, modules: list[ModuleType]):
        self.routes = [(_pattern(m.PATH), m) for m in modules]

    def find(self, pathname: str | None) -> tuple[ModuleType | None, dict[str, str]]:
        for pattern, module in self.routes:
            m = pattern.match(pathname or "/")
            if m:
                return module, m.groupdict()
        return None, {}

    def render(self, pathname: str | None, search: str | None):
        """The page for an address, drawn from its query; a user error (an unknown vendor) is a message, not a
        500."""
        module, values = self.find(pathname)
        if module is None:
            return not_found(pathname), "marketgraph · not found"
        try:
            body = module.layout(state.parse(search), **values)
        except MarketgraphError as e:
            body = dbc.Alert(str(e), color="warning", className="mt-3")
        title = getattr(module, "TITLE", module.NAME or "marketgraph")
        return body, f"marketgraph · {title}"


def not_found(pathname: str | None) -> html.Div:
    return html.Div([html.H2("Page not found", className="h4"),
                     html.P(["Nothing lives at ", html.Code(pathname or ""), ". ",
                             dcc.Link("Back to the overview", href="/")])], className="mt-3")


def navbar(modules: list[ModuleType]) -> dbc.Navbar:
    items = [dbc.NavItem(dbc.NavLink(m.NAME, href=m.PATH, active="exact")) for m in
             sorted((m for m in modules if getattr(m, "NAV", True) and "<" not in m.PATH),
                    key=lambda m: m.ORDER)]
    return dbc.Navbar(dbc.Container([
        dbc.NavbarBrand("marketgraph", href="/"),
        dbc.Nav(items, id=ids.NAV, navbar=True, className="me-auto"),
        html.Span("AI-accelerator market · offline", className="navbar-text small"),
    ], fluid=True), color="primary", dark=True, className="py-1")


def create_app(db_path: str | Path) -> Dash:
    """The app for the (existing) database at ``db_path``; the `dashboard` command ensures it exists."""
    modules = page_modules()
    router = Router(modules)
    app = Dash(__name__, title="marketgraph", suppress_callback_exceptions=True, update_title=None,
               assets_folder=str(Path(__file__).parent / "assets"), serve_locally=True)
    app.server.config["MARKETGRAPH_DB"] = str(db_path)
    app.layout = html.Div([
        dcc.Location(id=ids.URL),
        navbar(modules),
        html.Div(id=ids.PAGE, className="page"),
        html.Div(id=ids.TITLE, hidden=True),
    ])

    @app.callback(Output(ids.PAGE, "children"), Output(ids.TITLE, "children"), Input(ids.URL, "pathname"),
                  Input(ids.URL, "search"))
    def route(pathname, search):
        return router.render(pathname, search)

    app.clientside_callback("function(t) { if (t) { document.title = t; } return null; }",
                            Output(ids.TITLE, "title"), Input(ids.TITLE, "children"))
    for m in modules:
        m.register(app)
    register_routes(app.server)
    return app
