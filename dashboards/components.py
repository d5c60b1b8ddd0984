"""Layout pieces every page shares: grids, chart cards with their download, links to vendor and chip pages.

Text from the data only ever reaches the page as React text children or as AG Grid cell values rendered by the
renderers in assets/dashAgGridComponentFunctions.js (which build elements, never HTML), so a title such as
``<img onerror=…>`` shows as text.
"""
from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import quote, urlencode

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

GRID_CLASS = "ag-theme-alpine"


def grid(id_: str, column_defs: list[dict], rows: list[dict] | None = None, *, height: int = 420,
         server: bool = False, row_id: str | None = None, options: dict | None = None,
         default_col_def: dict | None = None, **kw) -> dag.AgGrid:
    """An AG Grid. ``server=True`` uses the infinite row model: the grid asks a callback for each block of rows
    (filtered and sorted on the server), so a 27,000-row table never crosses the wire whole."""
    grid_options: dict[str, Any] = {"tooltipShowDelay": 300, "enableCellTextSelection": True,
                                    "ensureDomOrder": True, "suppressMenuHide": False}
    if row_id:  # stable ids keep selections and cell clicks pointing at the same row across pages and sorts
        kw["getRowId"] = f"params.data.{row_id}"
    if server:
        kw.update(rowModelType="infinite")
        grid_options.update(cacheBlockSize=100, maxBlocksInCache=20, infiniteInitialRowCount=100,
                            rowBuffer=10)
    else:
        kw["rowData"] = rows or []
        grid_options.update(pagination=True, paginationPageSize=50, paginationPageSizeSelector=False)
    grid_options.update(options or {})
    return dag.AgGrid(id=id_, columnDefs=column_defs, className=GRID_CLASS, dashGridOptions=grid_options,
                      defaultColDef=default_col_def or {"sortable": True, "resizable": True, "filter": True,
                                                        "minWidth": 80},
                      style={"height": f"{height}px", "width": "100%"}, **kw)


def vendor_col(field: str = "vendor", id_field: str = "vendor_id", **kw) -> dict:
    """A column whose cells link to /vendors/<id>."""
    return {"field": field, "headerName": kw.pop("headerName", "vendor"),
            "cellRenderer": "EntityLink", "cellRendererParams": {"prefix": "/vendors/", "idField": id_field},
            "filter": "agTextColumnFilter", **kw}


def chip_col(field: str = "chip", id_field: str = "chip_id", **kw) -> dict:
    """A column whose cells link to /chips/<id>."""
    return {"field": field, "headerName": kw.pop("headerName", "accelerator"),
            "cellRenderer": "EntityLink", "cellRendererParams": {"prefix": "/chips/", "idField": id_field},
            "filter": "agTextColumnFilter", **kw}


def url_col(field: str, header: str = "source", **kw) -> dict:
    """A column of source URLs shown as links (space-separated URLs become several links)."""
    return {"field": field, "headerName": header, "cellRenderer": "UrlLinks", "filter": "agTextColumnFilter",
            **kw}


def vendor_link(vendor_id: str, name: str | None) -> dcc.Link:
    return dcc.Link(name or vendor_id, href=f"/vendors/{quote(vendor_id)}", className="entity-link")


def chip_link(chip_id: str, name: str | None) -> dcc.Link:
    return dcc.Link(name or chip_id, href=f"/chips/{quote(chip_id)}", className="entity-link")


def external(url: str | None, text: str | None = None) -> html.A | str:
    """A link to a source page, opened in a new tab; only http(s) addresses become links."""
    if not url or not str(url).startswith(("http://", "https://")):
        return text or ""
    return html.A(text or url, href=url, target="_blank", rel="noopener noreferrer")


def download_href(dataset: str, fmt: str = "csv", **params: Any) -> str:
    """The address of a full download of one dataset (see dashboards.downloads)."""
    clean = {k: v for k, v in params.items() if v not in (None, "", [], ())}
    return f"/download/{dataset}.{fmt}" + (f"?{urlencode(clean, doseq=True)}" if clean else "")


def download_link(id_: str | None, dataset: str, label: str = "CSV", fmt: str = "csv", **params: Any) -> html.A:
    kw = {"id": id_} if id_ else {}
    return html.A(f"⬇ {label}", href=download_href(dataset, fmt, **params), className="download-link",
                  title="Every row behind this view, with its sources and the database's build date", **kw)


def chart_card(graph: dcc.Graph, downloads: Iterable | None = None, note: Any = None) -> dbc.Card:
    """A chart with its downloads under it (the figure itself carries title, axes and source line)."""
    footer = [x for x in (downloads or [])]
    return dbc.Card([dbc.CardBody([graph] + ([html.Div(note, className="chart-note")] if note else [])),
                     dbc.CardFooter(footer, className="chart-downloads") if footer else None],
                    className="mb-3 shadow-sm")


def page_header(title: str, lead: Any = None) -> html.Div:
    return html.Div([html.H2(title, className="h4 mb-1")] + ([html.P(lead, className="text-muted small mb-2")]
                                                             if lead else []), className="mb-2")


def labelled(label: str, control) -> html.Div:
    return html.Div([html.Label(label, className="form-label small mb-0 text-muted"), control],
                    className="control")


def dropdown(id_: str, options, value=None, placeholder: str | None = None, width: str = "14em",
             clearable: bool = True, **kw) -> dcc.Dropdown:
    return dcc.Dropdown(options=options, value=value, id=id_, placeholder=placeholder, clearable=clearable,
                        style={"minWidth": width}, **kw)


def kpi(title: str, value: str, detail: Any, href: str | None = None, muted: bool = False) -> dbc.Col:
    body = [html.Div(title, className="kpi-title"), html.Div(value, className="kpi-value"),
            html.Div(detail, className="kpi-detail")]
    if href:
        body.append(dcc.Link("see the rows →", href=href, className="small"))
    return dbc.Col(dbc.Card(dbc.CardBody(body), className="kpi h-100" + (" kpi-muted" if muted else "")),
                   md=3, sm=6, className="mb-3")
