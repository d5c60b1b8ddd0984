"""One connection per unit of work: every page layout and every callback opens at most one (called directly)."""
from __future__ import annotations

import dash
import pytest

from marketgraph.store.db import connections_opened


@pytest.fixture(scope="module")
def app(tiny_db_module):
    from dashboards.app import create_app

    return create_app(tiny_db_module)


@pytest.fixture(scope="module")
def tiny_db_module(tmp_path_factory):
    import shutil

    import marketgraph as mg
    from conftest import FIXTURES

    data = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(FIXTURES / "tiny", data)
    db = data.parent / "tiny.duckdb"
    mg.build(data, db)
    return db


def opened_by(fn, *args):
    before = connections_opened()
    result = fn(*args)
    return connections_opened() - before, result


def test_every_page_layout_opens_at_most_one_connection(app):
    with app.server.test_request_context():
        for page in dash.page_registry.values():
            n, _ = opened_by(page["layout"])
            assert n <= 1, f"{page['path']} opened {n} connections"


def test_every_callback_opens_at_most_one_connection(app):
    from dashboards.pages import chips, graph, market, sql, timeline

    calls = [
        (chips.filter_chips, "training", None, None),
        (timeline.filter_events, "launch", None),
        (market.update, "products_announced_3y", 2020, 2021),
        (graph.show, 1, "vendor:nvidia"),
        (graph.path, 1, "vendor:google", "vendor:nvidia"),
        (sql.run, 1, "SELECT count(*) AS n FROM chips"),
    ]
    with app.server.test_request_context():
        for fn, *args in calls:
            n, _ = opened_by(fn, *args)
            assert n == 1, f"{fn.__module__}.{fn.__name__} opened {n} connections"
