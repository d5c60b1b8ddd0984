"""Overview: what the database holds and when it was built."""
from __future__ import annotations

import dash
from dash import dash_table, html

import marketgraph as mg

from .. import ids
from ..app import current_db

dash.register_page(__name__, path="/", name="Overview", title="marketgraph · overview")


def layout(**_):
    info = mg.build_info(current_db())
    counts = info.pop("row_counts")
    return html.Div([
        html.H2("AI-accelerator market: what the store holds"),
        html.P(f"Built {info.get('built_at')} from {info.get('data_dir')} · marketgraph "
               f"{info.get('package_version')}", id=ids.HOME_BUILD),
        dash_table.DataTable(
            id=ids.HOME_COUNTS,
            data=[{"table": k, "rows": v} for k, v in counts.items()],
            columns=[{"name": "table", "id": "table"}, {"name": "rows", "id": "rows"}],
            style_table={"maxWidth": "30em"},
        ),
    ])
