"""The knowledge graph: a Cytoscape view laid out by NetworkX, filtered by node kind, segment and years and
capped in size; a search box whose suggestions put things before the pages about them and forgive a typo; a
click on a node shows its details, neighbours and the source of every link; and the chain between two nodes,
hop by hop, with the source of each hop."""
from __future__ import annotations

from typing import Any, Mapping

import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
from dash import Input, Output, State, dcc, html

from marketgraph.errors import UnknownName

from .. import graphview as gv
from .. import ids, state
from ..cache import store
from ..components import download_link, external, labelled, page_header

PATH = "/graph"
NAME = "Graph"
TITLE = "knowledge graph"
ORDER = 4
DEFAULT_NODE = "vendor:nvidia"
KIND_COLOURS = {"vendor": "#2c3e50", "chip": "#18bc9c", "segment": "#e74c3c", "event": "#f39c12",
                "topic": "#8e44ad", "concept": "#95a5a6", "source": "#3498db"}
YEARS = (2000, 2030)

STYLESHEET = [
    {"selector": "node", "style": {"label": "data(label)", "font-size": 9, "width": 14, "height": 14,
                                   "text-valign": "bottom", "text-margin-y": 3, "color": "#333",
                                   "text-outline-color": "#fff", "text-outline-width": 1}},
    *[{"selector": f".{k}", "style": {"background-color": c}} for k, c in KIND_COLOURS.items()],
    {"selector": ".segment", "style": {"width": 26, "height": 26, "shape": "round-rectangle", "font-size": 11}},
    {"selector": ".vendor", "style": {"width": 20, "height": 20}},
    {"selector": ".focus", "style": {"border-width": 3, "border-color": "#000", "width": 28, "height": 28,
                                     "font-size": 12, "font-weight": "bold"}},
    {"selector": "edge", "style": {"width": 1, "line-color": "#c8ccd0", "curve-style": "haystack"}},
    {"selector": "node:selected", "style": {"border-width": 3, "border-color": "#e74c3c"}},
]


def _search(id_: str, value: str | None, options: list[dict], placeholder: str) -> dcc.Dropdown:
    return dcc.Dropdown(id=id_, value=value, options=options, placeholder=placeholder, searchable=True,
                        clearable=True, style={"minWidth": "22em"})


def layout(params: Mapping[str, str], **_) -> html.Div:
    with store() as s:
        g = gv.graph(s)
        node = params.get("node") or DEFAULT_NODE
        try:
            node = gv.resolve(s, node)
        except UnknownName:
            node = None
        a = _resolve_or_none(s, params.get("from"))
        b = _resolve_or_none(s, params.get("to"))
        opts = {n: gv.option(g, n) for n in (node, a, b) if n}
    kinds = [k for k in state.as_list(params.get("kinds")) if k in gv.NODE_KINDS] or gv.DEFAULT_KINDS
    years = _years(params.get("years"))
    cap = state.as_int(params.get("cap"), gv.DEFAULT_CAP)
    return html.Div([
        dcc.Location(id=ids.GRAPH_URL, refresh=False),
        page_header("Knowledge graph", "Vendors, chips, segments, events, knowledge-card topics and sources, each "
                                       "link with the source or card behind it. Search, then click a node."),
        html.Div([
            labelled("focus on", _search(ids.GRAPH_SEARCH, node, list(opts.values())[:1] if node else [],
                                         "type a name: NVIDIA, H100, TPU v4 …")),
            labelled("node kinds", dcc.Checklist(list(gv.NODE_KINDS), kinds, id=ids.GRAPH_KINDS, inline=True,
                                                 inputClassName="ms-2 me-1")),
            labelled("segment", dcc.Dropdown(["training", "inference"], params.get("segment"), id=ids.GRAPH_SEGMENT,
                                             placeholder="any", style={"minWidth": "9em"})),
        ], className="controls"),
        html.Div([
            html.Div(labelled("years (chips and events)", dcc.RangeSlider(
                YEARS[0], YEARS[1], 1, value=list(years or YEARS), id=ids.GRAPH_YEARS,
                marks={y: str(y) for y in range(YEARS[0], YEARS[1] + 1, 5)},
                tooltip={"placement": "bottom"})), style={"width": "28em"}),
            html.Div(labelled("at most this many nodes", dcc.Slider(20, gv.MAX_CAP, 10, value=cap, id=ids.GRAPH_CAP,
                                                                    marks={20: "20", 120: "120",
                                                                           gv.MAX_CAP: str(gv.MAX_CAP)})),
                     style={"width": "20em"}),
        ], className="controls"),
        html.Div(id=ids.GRAPH_NOTE, className="small text-muted mb-1"),
        dbc.Row([
            dbc.Col(cyto.Cytoscape(id=ids.GRAPH_CY, elements=[], layout={"name": "preset", "fit": True,
                                                                         "padding": 20},
                                   stylesheet=STYLESHEET, style={"width": "100%", "height": "560px"},
                                   minZoom=0.2, maxZoom=3, boxSelectionEnabled=False), lg=8),
            dbc.Col(html.Div(id=ids.GRAPH_DETAILS, className="details-panel"), lg=4),
        ], className="g-2"),
        html.H3("How are two things connected?", className="h6 mt-3"),
        html.Div([
            labelled("from", _search(ids.GRAPH_FROM, a, [opts[a]] if a else [], "e.g. Google")),
            labelled("to", _search(ids.GRAPH_TO, b, [opts[b]] if b else [], "e.g. AlexNet")),
            dbc.Button("Find the path", id=ids.GRAPH_PATH_RUN, size="sm", color="secondary"),
        ], className="controls"),
        html.Div(id=ids.GRAPH_PATH),
    ])


def _resolve_or_none(s, text):
    if not text:
        return None
    try:
        return gv.resolve(s, text)
    except UnknownName:
        return None


def _years(text: str | None) -> tuple[int, int] | None:
    parts = (text or "").split("-")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return int(parts[0]), int(parts[1])
    return None


def suggest(search, value):
    """Suggestions as the user types (things before sources, typos forgiven); the chosen value stays listed."""
    with store() as s:
        g = gv.graph(s)
        hits = gv.index(s).suggest(search, limit=15) if isinstance(search, str) and search.strip() else []
        if isinstance(value, str) and value in g and value not in hits:
            hits = [value] + hits
        return [gv.option(g, n) for n in hits]


def draw(node, kinds, segment, years, cap):
    """The Cytoscape elements of the view, with a note on how many nodes the cap left out (and the last click
    cleared, so the details show the new focus)."""
    yrs = tuple(years) if isinstance(years, list) and len(years) == 2 and tuple(years) != YEARS else None
    kinds = [k for k in (kinds or []) if k in gv.NODE_KINDS] or gv.DEFAULT_KINDS
    with store() as s:
        g = gv.graph(s)
        focus = node if isinstance(node, str) and node in g else None
        sub, total = gv.view(g, focus, kinds, segment if segment in ("training", "inference") else None, yrs,
                             state.as_int(cap, gv.DEFAULT_CAP))
        pos = gv.positions(sub, key=(focus, tuple(kinds), segment, yrs))
        els = gv.elements(g, sub, pos, focus)
    shown = sub.number_of_nodes()
    where = f"around {g.nodes[focus].get('label')}" if focus else "best-connected nodes"
    note = (f"{shown} of {total} nodes ({where}); raise the cap or narrow the filters to see others."
            if total > shown else f"{shown} nodes ({where}), {sub.number_of_edges()} links.")
    params = {"node": focus, "kinds": kinds if kinds != gv.DEFAULT_KINDS else None, "segment": segment,
              "years": f"{yrs[0]}-{yrs[1]}" if yrs else None, "cap": cap if cap != gv.DEFAULT_CAP else None}
    return els, [note, " ", download_link(None, "graph-view", "links CSV", **{
        k: (",".join(v) if isinstance(v, list) else v) for k, v in params.items()})], None


def url(node, kinds, segment, years, cap, a, b):
    yrs = tuple(years) if isinstance(years, list) and len(years) == 2 and tuple(years) != YEARS else None
    return state.encode({"node": node, "kinds": kinds if kinds and list(kinds) != gv.DEFAULT_KINDS else None,
                         "segment": segment, "years": f"{yrs[0]}-{yrs[1]}" if yrs else None,
                         "cap": cap if cap not in (None, gv.DEFAULT_CAP) else None, "from": a, "to": b})


def details(tapped, node):
    """The clicked node (or the focus, until a node is clicked: a new view clears the click), its attributes,
    every link and the source of each."""
    target = tapped.get("id") if isinstance(tapped, dict) and tapped.get("id") else node
    if not isinstance(target, str):
        return html.P("Click a node to see its details and sources.", className="text-muted")
    with store() as s:
        g = gv.graph(s)
        if target not in g:
            return html.P(f"No node {target!r}.", className="text-muted")
        d = gv.details(g, target)
    return details_view(d)


def _entity_href(node: str) -> str | None:
    kind, _, key = node.partition(":")
    return {"vendor": f"/vendors/{key}", "chip": f"/chips/{key}"}.get(kind)


def details_view(d: dict[str, Any]) -> html.Div:
    head = [html.H3(d["label"], className="h6 mb-0"), html.Div(f"{d['node']} · {d['kind']}", className="small")]
    href = _entity_href(d["node"])
    if href:
        head.append(dcc.Link("open its page →", href=href, className="small"))
    if d.get("url"):
        head.append(html.Div(external(d["url"], "the source page"), className="small"))
    attrs = html.Ul([html.Li(line.strip(), className="small") for line in d["lines"][1:]], className="mb-1")
    rows = [html.Tr([html.Td(f"{r['relation']} {'→' if r['direction'] == 'out' else '←'}"),
                     html.Td(dcc.Link(r["label"] or r["node"], href=_entity_href(r["node"]))
                             if _entity_href(r["node"]) else f"{r['label']} ({r['node_kind']})"),
                     html.Td(external(r["url"], r["source"]) if r.get("url") else r["source"])])
            for r in d["links"][:200]]
    return html.Div(head + [attrs, html.Div(f"{len(d['links'])} links", className="fw-bold small"),
                            dbc.Table([html.Thead(html.Tr([html.Th("relation"), html.Th("node"), html.Th("source")])),
                                       html.Tbody(rows)], size="sm", className="small", id="graph-links"),
                            download_link(None, "graph-neighbours", "links CSV", node=d["node"])])


def find_path(_, a, b):
    """The chain from a to b, each hop with its source."""
    if not (isinstance(a, str) and isinstance(b, str)):
        return html.P("Pick both ends.", className="text-muted small")
    with store() as s:
        g = gv.graph(s)
        try:
            steps = gv.path(g, a, b)
        except UnknownName as e:
            return dbc.Alert(str(e), color="warning", className="py-1 small")
    rows = [html.Tr([html.Td(st["from_label"]), html.Td(st["relation"]), html.Td(st["to_label"]),
                     html.Td(external(st["url"], st["source"]) if st.get("url") else st["source"]),
                     html.Td(st["from"], className="text-muted"), html.Td(st["to"], className="text-muted")])
            for st in steps]
    return html.Div([dbc.Table([html.Thead(html.Tr([html.Th(x) for x in ("from", "relation", "to", "source",
                                                                         "from id", "to id")])),
                                html.Tbody(rows)], size="sm", className="small bg-white", id="graph-path-table"),
                     download_link(None, "graph-path", "path CSV", **{"from": a, "to": b})])


def register(app) -> None:
    for id_ in (ids.GRAPH_SEARCH, ids.GRAPH_FROM, ids.GRAPH_TO):
        app.callback(Output(id_, "options"), Input(id_, "search_value"), State(id_, "value"),
                     prevent_initial_call=True)(suggest)
    app.callback(Output(ids.GRAPH_CY, "elements"), Output(ids.GRAPH_NOTE, "children"),
                 Output(ids.GRAPH_CY, "tapNodeData"),
                 Input(ids.GRAPH_SEARCH, "value"), Input(ids.GRAPH_KINDS, "value"), Input(ids.GRAPH_SEGMENT, "value"),
                 Input(ids.GRAPH_YEARS, "value"), Input(ids.GRAPH_CAP, "value"))(draw)
    app.callback(Output(ids.GRAPH_URL, "search"), Input(ids.GRAPH_SEARCH, "value"), Input(ids.GRAPH_KINDS, "value"),
                 Input(ids.GRAPH_SEGMENT, "value"), Input(ids.GRAPH_YEARS, "value"), Input(ids.GRAPH_CAP, "value"),
                 Input(ids.GRAPH_FROM, "value"), Input(ids.GRAPH_TO, "value"), prevent_initial_call=True)(url)
    app.callback(Output(ids.GRAPH_DETAILS, "children"), Input(ids.GRAPH_CY, "tapNodeData"),
                 Input(ids.GRAPH_SEARCH, "value"))(details)
    app.callback(Output(ids.GRAPH_PATH, "children"), Input(ids.GRAPH_PATH_RUN, "n_clicks"),
                 State(ids.GRAPH_FROM, "value"), State(ids.GRAPH_TO, "value"))(find_path)
