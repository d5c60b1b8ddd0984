"""A read-only SQL console over the same guarded executor as `marketgraph sql`."""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from marketgraph.errors import UnsafeQuery
from marketgraph.store.db import named_query_sql
from marketgraph.store.guard import run_untrusted_sql

from .. import ids
from ..app import current_db
from ..components import records, table


MAX_ROWS = 2_000
TIMEOUT_S = 5.0
EXAMPLE = "console/chips_by_vendor"  # a named query: the console's SQL lives in store/queries/console/


def example_sql() -> str:
    """The example query without its header comments."""
    return "\n".join(l for l in named_query_sql(EXAMPLE).splitlines() if not l.startswith("--")).strip()


def layout(**_):
    import pandas as pd

    return html.Div([
        html.H2("SQL console"),
        html.P(f"One SELECT at a time, read-only, no file or network access, {TIMEOUT_S:g} s and "
               f"{MAX_ROWS:,} rows at most. Tables and columns: marketgraph schema, or docs/schema.md."),
        dcc.Textarea(id=ids.SQL_INPUT, value=example_sql(), style={"width": "100%", "height": "9em",
                                                             "fontFamily": "monospace"}),
        html.Button("Run", id=ids.SQL_RUN, n_clicks=0),
        html.Pre(id=ids.SQL_STATUS, style={"whiteSpace": "pre-wrap"}),
        table(ids.SQL_RESULT, pd.DataFrame(), page_size=25),
    ])


@callback(Output(ids.SQL_RESULT, "data"), Output(ids.SQL_RESULT, "columns"), Output(ids.SQL_STATUS, "children"),
          Input(ids.SQL_RUN, "n_clicks"), State(ids.SQL_INPUT, "value"), prevent_initial_call=True)
def run(_, sql):
    try:
        result = run_untrusted_sql(sql or "", db=current_db(), timeout_s=TIMEOUT_S, max_rows=MAX_ROWS)
    except UnsafeQuery as e:
        return [], [], f"Refused or failed: {e}"
    df = result.frame
    note = f" (stopped at {MAX_ROWS:,} rows)" if result.truncated else ""
    return (records(df), [{"name": c, "id": c} for c in df.columns],
            f"{len(df):,} row(s) in {result.elapsed_s:.2f} s{note}")


# Registered after layout() exists: pages are imported by the app factory, not from a pages folder.
dash.register_page(__name__, layout=layout, path="/sql", name="SQL", title="marketgraph · SQL", order=4)
