"""Overview: what the data says (computed findings) and what the store holds."""
from __future__ import annotations

import dash
from dash import html

import pandas as pd

from marketgraph.market.findings import compute_findings

from .. import ids
from ..app import store
from ..components import table


def _finding(f) -> html.Li:
    parts = [html.Strong(f.statement), html.Div(f"basis: {f.basis}", className="basis")]
    parts += [html.Div(f"caveat: {c}", className="caveat") for c in f.caveats]
    if f.sources:
        parts.append(html.Details([html.Summary(f"{len(f.sources)} source(s)"), html.Ul([
            html.Li(html.A(f"{s['publisher']}: {s['title']}", href=s["url"], target="_blank", rel="noopener"))
            for s in f.sources])]))
    return html.Li(parts, style={"marginBottom": "0.9em"})


def layout(**_):
    with store() as s:
        info = s.build_info()
        counts = s.row_counts()
        findings = compute_findings(s)
    return html.Div([
        html.H2("Training dominance vs inference diversification"),
        html.P("Every statement below is computed from the database when this page loads, with its basis, "
               "caveats and sources."),
        html.Ul([_finding(f) for f in findings], id=ids.HOME_FINDINGS),
        html.H3("What the store holds"),
        html.P(f"Built {info.get('built_at')} UTC from {info.get('data_dir')} · marketgraph "
               f"{info.get('package_version')}", id=ids.HOME_BUILD),
        table(ids.HOME_COUNTS, pd.DataFrame({"table": list(counts), "rows": list(counts.values())}),
              page_size=25, style_as_list_view=True),
    ])


# Registered after layout() exists: pages are imported by the app factory, not from a pages folder.
dash.register_page(__name__, layout=layout, path="/", name="Overview", title="marketgraph · overview", order=0)
