"""One accelerator: every figure with the source that states it, who supplies it, the events it is part of, and
its measured results."""
from __future__ import annotations

from typing import Mapping

from dash import dcc, html

from marketgraph.errors import UnknownName

from ..cache import store
from ..components import download_link, external, grid, page_header, vendor_link
from ..downloads import chips_frame
from ..grid import column, records
from .chips import compare_view

PATH = "/chips/<chip_id>"
NAME = "Accelerator"
TITLE = "accelerator"
ORDER = 99
NAV = False


def layout(params: Mapping[str, str], chip_id: str = "", **_) -> html.Div:
    with store() as s:
        chips = chips_frame(s)
        row = chips[chips.chip_id == chip_id]
        if row.empty:
            raise UnknownName(f"no accelerator with id {chip_id!r}; see /chips for every one")
        r = row.iloc[0]
        specs = compare_view(s, [chip_id])
        supply = s.query("dashboard/chip_supply", chip_id=chip_id)
        events = s.query("dashboard/chip_events", chip_id=chip_id)
    lineage = []
    for label, other in (("variant of", r.variant_of), ("successor of", r.predecessor_id)):
        if isinstance(other, str):
            name = chips.set_index("chip_id").chip.get(other, other)
            lineage += [f"{label} ", dcc.Link(name, href=f"/chips/{other}"), " · "]
    return html.Div([
        page_header(f"{r.vendor} {r.chip}", [vendor_link(r.vendor_id, r.vendor), f" · {r.family} · {r.segment} · "
                                             f"{r.deployment} · {r.form} · announced {r.announced or 'undated'}"]),
        html.P(lineage + ([html.Span(r.notes, className="text-muted")] if isinstance(r.notes, str) else []),
               className="small"),
        specs,
        html.H3("Supply chain", className="h6 mt-3"),
        html.Ul([html.Li([f"{x.role}: {x.supplier}" + (f" ({x.detail})" if isinstance(x.detail, str) else "") + " — ",
                          external(x.url, x.publisher)]) for x in supply.itertuples()] or
                [html.Li("no supplier recorded", className="text-muted")], className="small"),
        html.H3("Events", className="h6 mt-3"),
        grid("chip-events", [column("date", width=110), column("title", width=520), column("kind", width=120)],
             records(events), height=220),
        html.Div(download_link(None, "compare", "this chip's figures with sources (CSV)", ids=chip_id),
                 className="mt-2"),
    ])


def register(app) -> None:
    """Drawn from the URL alone."""


