"""Reports and exports: the same files as `marketgraph report` and `marketgraph export`, from the same code,
handed to the browser with dcc.Download."""
from __future__ import annotations

from typing import Mapping

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from marketgraph.errors import MarketgraphError
from marketgraph.present.export import export_download
from marketgraph.present.formats import get_format, names_for
from marketgraph.present.report import ReportOptions, report_download
from marketgraph.present.report.model import SEGMENT_CHOICES
from marketgraph.store.schema import TABLES

from .. import ids
from ..cache import store
from ..components import page_header

PATH = "/reports"
NAME = "Reports"
TITLE = "reports"
ORDER = 6

REPORT_FORMATS = [f for f in names_for("report") if f != "md"]
EXPORT_FORMATS = names_for("export")
LABEL = {"display": "block", "marginTop": "0.6em", "fontWeight": 600}


# How each format reads as a report (the registry's descriptions are about tables).
REPORT_LABELS = {"markdown": "Markdown — tables, with PNG charts beside it (a ZIP)",
                 "html": "HTML — one self-contained page, interactive charts, no network",
                 "pdf": "PDF — paginated: contents, running headers, page numbers",
                 "xlsx": "XLSX — a summary sheet, one sheet per table, a sources sheet"}


def _choice(fmt: str, labels: dict[str, str] | None = None) -> dict[str, str]:
    label = (labels or {}).get(fmt) or f"{fmt.upper()} — {get_format(fmt).description}"
    return {"label": label, "value": fmt}


def layout(params: Mapping[str, str] | None = None, **_):
    with store() as s:
        vendors = s.rows("report/vendor_ids")
    return html.Div([
        page_header("Reports", "The market report, or a vendor's profile, computed from the database: title page "
                    "with the data's as-of date and digest, findings, concentration per segment and basis, vendors, "
                    "chips, timeline, the knowledge graph, methodology and a numbered bibliography. A Markdown "
                    "report comes as a ZIP with its PNG charts. The same files as `marketgraph report` and "
                    "`marketgraph export`, from the same code."),
        html.Label("Format", style=LABEL),
        dcc.RadioItems(id=ids.REPORTS_FORMAT, options=[_choice(f, REPORT_LABELS) for f in REPORT_FORMATS],
                       value="pdf"),
        html.Label("Segment", style=LABEL),
        dcc.RadioItems(id=ids.REPORTS_SEGMENT, options=list(SEGMENT_CHOICES), value="all", inline=True),
        html.Label("Since year (empty: all years)", style=LABEL),
        dcc.Input(id=ids.REPORTS_SINCE, type="number", min=1990, max=2100, step=1, debounce=True,
                  style={"width": "8em"}),
        html.Label("Vendor profile instead (empty: the market report)", style=LABEL),
        dcc.Dropdown(id=ids.REPORTS_VENDOR, options=[{"label": v["name"], "value": v["vendor_id"]} for v in vendors],
                     placeholder="the market report", clearable=True, style={"maxWidth": "24em"}),
        html.Label("Title (empty: the default)", style=LABEL),
        dcc.Input(id=ids.REPORTS_TITLE, type="text", style={"width": "32em"}),
        html.Div(dbc.Button("Make report", id=ids.REPORTS_MAKE, n_clicks=0, color="primary", size="sm"), style={"marginTop": "0.8em"}),
        dcc.Loading(html.Pre(id=ids.REPORTS_STATUS, style={"whiteSpace": "pre-wrap"})),
        dcc.Download(id=ids.REPORTS_DOWNLOAD),

        html.H2("Exports", style={"marginTop": "1.6em"}),
        html.P("Whole tables, never capped: one table as its file, several as a ZIP with one file per table and a "
               "Frictionless datapackage.json (fields, types, units, descriptions, sources, licence)."),
        html.Label("Tables", style=LABEL),
        dcc.Dropdown(id=ids.EXPORT_TABLES, options=[t.name for t in TABLES], value=["chips"], multi=True),
        html.Label("Format", style=LABEL),
        dcc.RadioItems(id=ids.EXPORT_FORMAT, options=[_choice(f) for f in EXPORT_FORMATS], value="csv"),
        html.Div(dbc.Button("Export", id=ids.EXPORT_MAKE, n_clicks=0, color="primary", size="sm"), style={"marginTop": "0.8em"}),
        dcc.Loading(html.Pre(id=ids.EXPORT_STATUS, style={"whiteSpace": "pre-wrap"})),
        dcc.Download(id=ids.EXPORT_DOWNLOAD),
    ])


def make_report(fmt, segment, since, vendor, title) -> tuple[dict | None, str]:
    """The callback's work, apart from Dash: (dcc.Download data or None, status text)."""
    try:
        options = ReportOptions(segment=segment or "all", since=int(since) if since else None,
                                vendor=vendor or None, title=(title or "").strip() or None)
        with store() as s:
            name, data = report_download(s, options, fmt)
    except (MarketgraphError, ValueError, TypeError) as e:
        return None, f"Could not make the report: {e}"
    return dcc.send_bytes(data, name), f"{name}: {len(data):,} bytes"


def make_export(tables, fmt) -> tuple[dict | None, str]:
    if not tables:
        return None, "Choose at least one table."
    try:
        with store() as s:
            name, data = export_download(s, list(tables), fmt)
    except (MarketgraphError, ValueError, TypeError) as e:
        return None, f"Could not export: {e}"
    return dcc.send_bytes(data, name), f"{name}: {len(data):,} bytes"


def _report(_, fmt, segment, since, vendor, title):
    return make_report(fmt, segment, since, vendor, title)


def _export(_, tables, fmt):
    return make_export(tables, fmt)


def register(app) -> None:
    app.callback(Output(ids.REPORTS_DOWNLOAD, "data"), Output(ids.REPORTS_STATUS, "children"),
                 Input(ids.REPORTS_MAKE, "n_clicks"), State(ids.REPORTS_FORMAT, "value"),
                 State(ids.REPORTS_SEGMENT, "value"), State(ids.REPORTS_SINCE, "value"),
                 State(ids.REPORTS_VENDOR, "value"), State(ids.REPORTS_TITLE, "value"),
                 prevent_initial_call=True)(_report)
    app.callback(Output(ids.EXPORT_DOWNLOAD, "data"), Output(ids.EXPORT_STATUS, "children"),
                 Input(ids.EXPORT_MAKE, "n_clicks"), State(ids.EXPORT_TABLES, "value"),
                 State(ids.EXPORT_FORMAT, "value"), prevent_initial_call=True)(_export)
