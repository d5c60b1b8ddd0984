"""A read-only SQL console over the same guarded executor as `marketgraph sql`, with a schema browser, the canned
queries from the named .sql files, Ctrl-Enter to run, the query in the URL and CSV/JSON downloads of the result."""
from __future__ import annotations

import functools
from typing import Mapping

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from marketgraph.errors import UnknownName
from marketgraph.store.db import named_query_sql
from marketgraph.store.schema import TABLES

from .. import console, ids, state
from ..cache import current_db
from ..components import download_href, grid, page_header

PATH = "/sql"
NAME = "SQL"
TITLE = "SQL console"
ORDER = 5
DEFAULT = "console/chips_by_vendor"


def initial_sql(q: str | None) -> str:
    """The query from the URL: a canned query's name (console/…) or SQL text."""
    if q and q.startswith(f"{console.CANNED_FOLDER}/") and "\n" not in q and " " not in q:
        try:
            named_query_sql(q)
            return next(c["sql"] for c in console.canned() if c["name"] == q)
        except (UnknownName, StopIteration):
            return ""
    return q or next(c["sql"] for c in console.canned() if c["name"] == DEFAULT)


def _md(text: str) -> str:
    """Schema text (written in schema.py, not data) with Markdown's own characters taken literally."""
    return "".join("\\" + ch if ch in "\\`*_{}[]<>#|" else ch for ch in text)


@functools.lru_cache(maxsize=1)
def schema_browser() -> html.Div:
    """Every table and column with its type, unit and description, from the one schema declaration. One
    Markdown block per table: the page ships 24 components instead of 500."""
    items = []
    for t in TABLES:
        lines = [_md(t.description), ""] + [
            f"- `{c.name}` {c.type.lower()}{' · ' + _md(c.unit) if c.unit else ''}: {_md(c.description)}"
            for c in t.columns]
        items.append(dbc.AccordionItem(dcc.Markdown("\n".join(lines), className="small"), title=t.name,
                                       item_id=t.name))
    return html.Div([html.Div("Tables and columns", className="fw-bold small mb-1"),
                     dbc.Accordion(items, start_collapsed=True, flush=True, always_open=True)],
                    id=ids.SQL_SCHEMA, className="schema-browser")


def layout(params: Mapping[str, str], **_) -> html.Div:
    sql = initial_sql(params.get("q"))
    canned = console.canned()
    return html.Div([
        dcc.Location(id=ids.SQL_URL, refresh=False),
        page_header("SQL console", f"One SELECT at a time, read-only, no file or network access, "
                                   f"{console.TIMEOUT_S:g} s and {console.MAX_ROWS:,} rows at most. Ctrl-Enter runs."),
        dbc.Row([
            dbc.Col([
                html.Div([dcc.Dropdown([{"label": c["title"], "value": c["name"]} for c in canned], None,
                                       id=ids.SQL_CANNED, placeholder="canned queries …", style={"minWidth": "24em"}),
                          dbc.Button("Run (Ctrl-Enter)", id=ids.SQL_RUN, n_clicks=0, color="primary", size="sm")],
                         className="controls"),
                dcc.Textarea(id=ids.SQL_INPUT, value=sql, style={"width": "100%", "height": "10em"},
                             spellCheck=False),
                html.Div([html.Span(id=ids.SQL_STATUS, className="me-3"), html.Span(id=ids.SQL_DOWNLOADS)],
                         className="small my-1"),
                grid(ids.SQL_RESULT, [], [], height=420),
            ], lg=9),
            dbc.Col(schema_browser(), lg=3),
        ], className="g-2"),
    ])


def run(_, sql):
    """Run the console's query; refusals and failures are messages, whatever was posted."""
    result = console.run(sql, current_db())
    if not result.ok:
        return result.column_defs, result.rows, result.status, [], ""
    links = [html.A("⬇ CSV", href=download_href("sql", "csv", q=sql), className="download-link"),
             html.A("⬇ JSON", href=download_href("sql", "json", q=sql), className="download-link")]
    return result.column_defs, result.rows, result.status, links, state.encode({"q": sql})


def pick(name):
    """A canned query fills the editor."""
    return next((c["sql"] for c in console.canned() if c["name"] == name), "")


def register(app) -> None:
    app.callback(Output(ids.SQL_RESULT, "columnDefs"), Output(ids.SQL_RESULT, "rowData"),
                 Output(ids.SQL_STATUS, "children"), Output(ids.SQL_DOWNLOADS, "children"),
                 Output(ids.SQL_URL, "search"),
                 Input(ids.SQL_RUN, "n_clicks"), State(ids.SQL_INPUT, "value"))(run)
    app.callback(Output(ids.SQL_INPUT, "value"), Input(ids.SQL_CANNED, "value"), prevent_initial_call=True)(pick)
