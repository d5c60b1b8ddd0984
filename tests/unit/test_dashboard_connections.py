"""One Store per unit of work: every page layout and every callback opens at most one Store (one connection of
its own), called directly the way Dash calls them."""
from __future__ import annotations

import pytest

from dashboards import cache
from dashboards.app import Router, create_app, page_modules
from dashboards.pages import chips, graph, market, sql, timeline, vendor
from dashboard_fixtures import build_dashboard_db
from marketgraph.store.db import connections_opened

PATHS = ["/", "/market", "/chips", "/chips/nvidia-h100-sxm5-80gb", "/vendors/nvidia", "/timeline", "/graph", "/sql",
         "/reports"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(build_dashboard_db(tmp_path_factory.mktemp("conn")))


@pytest.fixture
def stores(monkeypatch):
    """Counts the Stores each call opens (cursors of the shared database and fallback connections alike)."""
    opened = []
    real = cache.Readers.open

    def counting(self, path):
        s = real(self, path)
        opened.append(s)
        return s

    monkeypatch.setattr(cache.Readers, "open", counting)
    return opened


def opened_by(stores, fn, *args):
    before_stores, before_conns = len(stores), connections_opened()
    fn(*args)
    return len(stores) - before_stores, connections_opened() - before_conns


def test_every_page_is_covered():
    """A page added to the app must be added to PATHS (and so to the test below)."""
    router = Router(page_modules())
    covered = {router.find(p)[0].__name__ for p in PATHS}
    assert covered == {m.__name__ for m in page_modules()}


@pytest.mark.parametrize("path", PATHS)
def test_every_page_layout_opens_at_most_one_store(app, stores, path):
    router = Router(page_modules())
    with app.server.test_request_context():
        n_stores, n_conns = opened_by(stores, router.render, path, "")
    assert n_stores <= 1 and n_conns <= 1, f"{path} opened {n_stores} stores, {n_conns} connections"


REQUEST = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
CALLBACKS = [
    (market.update, "products_announced_3y", "training", 2021, 2022),
    (market.allocate, 2022, 40),
    (market.whatif, 1, "merge", "nvidia", "google", 10, "products_announced_3y", "training", 2022),
    (chips.rows, REQUEST, None),
    (chips.charts, {"filter": None}),
    (chips.citation, {"rowId": "nvidia-h100-sxm5-80gb", "colId": "bf16_tflops"}),
    (chips.show_compare, ["nvidia-h100-sxm5-80gb", "google-tpu-v4"]),
    (timeline.rows, REQUEST, "research", None, None, None),
    (timeline.update, "research", None, None, None),
    (graph.suggest, "nvdia", None),
    (graph.draw, "vendor:nvidia", ["vendor", "chip"], None, [2000, 2030], 120),
    (graph.details, None, "vendor:nvidia"),
    (graph.find_path, 1, "vendor:google", "vendor:nvidia"),
    (vendor.event_rows, REQUEST, "nvidia"),
    (vendor.source_rows, REQUEST, "nvidia"),
]


@pytest.mark.parametrize("call", CALLBACKS, ids=lambda c: f"{c[0].__module__.rsplit('.', 1)[-1]}.{c[0].__name__}")
def test_every_callback_opens_at_most_one_store(app, stores, call):
    fn, *args = call
    with app.server.test_request_context():
        n_stores, n_conns = opened_by(stores, fn, *args)
    assert n_stores <= 1 and n_conns <= 1, f"{fn.__name__} opened {n_stores} stores, {n_conns} connections"


def test_the_console_opens_one_connection_and_no_store(app, stores):
    """The console's query runs on the guarded executor's own connection (its limits own it)."""
    with app.server.test_request_context():
        n_stores, n_conns = opened_by(stores, sql.run, 1, "SELECT count(*) AS n FROM chips")
    assert (n_stores, n_conns) == (0, 1)


def test_callbacks_share_one_open_database(app, stores):
    """After the first request, a unit of work gets a connection to the already open file: no new open."""
    with app.server.test_request_context():
        chips.rows(REQUEST, None)
        before = connections_opened()
        for _ in range(5):
            chips.rows(REQUEST, None)
        assert connections_opened() == before
