"""The knowledge graph: look up a node, its neighbours with provenance, and the chain between two nodes."""
from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from marketgraph.errors import UnknownName
from marketgraph.knowledge.graph import build_graph, describe_node, find_node, neighbourhood, shortest_path

from .. import ids
from ..app import store
from ..components import records, table


def _input(id_, value, placeholder):
    return dcc.Input(id=id_, value=value, placeholder=placeholder, debounce=True, style={"width": "22em"})


def layout(**_):
    return html.Div([
        html.H2("Knowledge graph"),
        html.P("Vendors, chips, segments, events, knowledge-card topics and sources, linked with the source or card "
               "behind each link. Type an id (vendor:nvidia), a bare id (google-tpu-v4) or a name (TPU v4)."),
        html.Div([_input(ids.GRAPH_NODE, "vendor:nvidia", "node"), html.Button("Show", id=ids.GRAPH_SHOW)],
                 style={"display": "flex", "gap": "0.6em"}),
        html.Pre(id=ids.GRAPH_SUMMARY, style={"whiteSpace": "pre-wrap"}),
        table(ids.GRAPH_NEIGHBOURS, pd.DataFrame(), page_size=20),
        html.H3("How are two things connected?"),
        html.Div([_input(ids.GRAPH_FROM, "vendor:google", "from"), _input(ids.GRAPH_TO, "AlexNet", "to"),
                  html.Button("Find path", id=ids.GRAPH_PATH_RUN)], style={"display": "flex", "gap": "0.6em"}),
        table(ids.GRAPH_PATH, pd.DataFrame(), page_size=20),
    ])


@callback(Output(ids.GRAPH_SUMMARY, "children"), Output(ids.GRAPH_NEIGHBOURS, "data"),
          Output(ids.GRAPH_NEIGHBOURS, "columns"), Input(ids.GRAPH_SHOW, "n_clicks"), Input(ids.GRAPH_NODE, "value"))
def show(_, text):
    with store() as s:
        g = build_graph(s)
    try:
        node = find_node(g, (text or "").strip())
    except UnknownName as e:
        return str(e), [], []
    lines = describe_node(g, node)
    df = pd.DataFrame(neighbourhood(g, node))
    if len(df):
        counts = df.groupby("relation").size()
        lines.append(f"{len(df)} links: " + ", ".join(f"{r} {n}" for r, n in counts.items()))
    return "\n".join(lines), records(df), [{"name": c, "id": c} for c in df.columns]


@callback(Output(ids.GRAPH_PATH, "data"), Output(ids.GRAPH_PATH, "columns"), Input(ids.GRAPH_PATH_RUN, "n_clicks"),
          State(ids.GRAPH_FROM, "value"), State(ids.GRAPH_TO, "value"), prevent_initial_call=True)
def path(_, a, b):
    with store() as s:
        g = build_graph(s)
    try:
        steps = shortest_path(g, find_node(g, (a or "").strip()), find_node(g, (b or "").strip()))
    except UnknownName as e:
        steps = [{"from": "", "relation": str(e), "to": "", "to_label": ""}]
    df = pd.DataFrame(steps)
    return records(df), [{"name": c, "id": c} for c in df.columns]


# Registered after layout() exists: pages are imported by the app factory, not from a pages folder.
dash.register_page(__name__, layout=layout, path="/graph", name="Graph", title="marketgraph · graph", order=5)
