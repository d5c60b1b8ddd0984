"""The dashboard in a real headless Chromium: each page renders numbers computed from the database."""
from __future__ import annotations

import os
import re

import pytest

import marketgraph as mg

from pages import CHROMEDRIVER, CHROMIUM, ChipsPage, LiveServer, MarketPage, OverviewPage, Page, SqlPage, \
    make_driver
from dashboards import ids

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs Debian chromium + chromium-driver")]
SHOTS = os.environ.get("MARKETGRAPH_SCREENSHOTS")  # a folder to save page screenshots in, for looking at


@pytest.fixture(scope="module")
def site(shipped_db, tmp_path_factory):
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not try to download anything
    driver = make_driver(tmp_path_factory.mktemp("chrome"))
    with LiveServer(shipped_db) as server:
        yield driver, server.url, shipped_db
    driver.quit()


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(os.path.join(SHOTS, f"{name}.png"))


def test_overview_shows_computed_findings(site):
    driver, url, db = site
    page = OverviewPage(driver, url).open()
    findings = page.findings()
    assert len(findings) >= 5
    # mg.query, not duckdb.connect: in one process every connection to the file must share the library's config
    cr1 = mg.query("SELECT cr1 FROM segment_concentration WHERE segment='all' AND basis='shipped_compute' "
                   "AND year = 2025", db=db).cr1[0]
    assert any(f"NVIDIA holds {cr1:.0f}%" in f for f in findings)  # the page states the DB's number
    shot(page, "overview")


def test_market_page_draws_both_years(site):
    driver, url, _ = site
    page = MarketPage(driver, url).open()
    titles = page.graph_titles()
    assert len([t for t in titles if "training HHI" in t and "inference HHI" in t]) == 2
    page.wait(f"#{ids.MARKET_TREND} .main-svg")
    shot(page, "market")


def test_chips_page_counts_match_db(site):
    driver, url, db = site
    page = ChipsPage(driver, url).open()
    n = mg.query("SELECT count(*) AS n FROM chips", db=db).n[0]
    assert page.count_text() == f"{n} accelerators"
    assert page.rows(ids.CHIPS_TABLE)
    shot(page, "chips")


def test_timeline_page(site):
    driver, url, _ = site
    page = Page(driver, url)
    page.path = "/timeline"
    page.open().wait(f"#{ids.TIMELINE_TABLE} td")
    rows = {r[-1]: r for r in page.rows(ids.TIMELINE_TABLE)}  # keyed by event_id, the last column
    # dates keep their precision: day, month and year forms as curated
    assert rows["alexnet-imagenet-2012"][0] == "2012-09-30"
    assert rows["nvidia-cuda-announced"][0] == "2006-11"
    assert rows["google-tpu-v1-internal-deployment"][0] == "2015"
    shot(page, "timeline")


def test_sql_console_runs_refuses_and_escapes(site):
    driver, url, _ = site
    page = SqlPage(driver, url).open()
    status = page.run("SELECT count(*) AS n FROM chips")
    assert re.match(r"1 row\(s\) in [\d.]+ s", status)
    status = page.run("DROP TABLE chips")
    assert "only SELECT statements are allowed" in status
    status = page.run("SELECT '<img src=x id=pwned>' AS t")
    assert status.startswith("1 row")
    cells = page.rows(ids.SQL_RESULT)
    assert cells == [["<img src=x id=pwned>"]]  # shown as text, never parsed as HTML
    assert not driver.find_elements("css selector", "#pwned")
    shot(page, "sql")


def test_graph_page_shows_neighbours_and_path(site):
    from selenium.webdriver.common.by import By

    driver, url, _ = site
    page = Page(driver, url)
    page.path = "/graph"
    page.open()
    summary = page.wait_text(f"#{ids.GRAPH_SUMMARY}", "vendor:nvidia")
    assert summary.startswith("vendor:nvidia (vendor): NVIDIA")
    page.wait(f"#{ids.GRAPH_NEIGHBOURS} td")
    makes = mg.query("SELECT count(*) AS n FROM chips WHERE vendor_id = 'nvidia'", db=site[2]).n[0]
    assert f"MAKES {makes}" in page.wait_text(f"#{ids.GRAPH_SUMMARY}", "links:")
    driver.find_element(By.ID, ids.GRAPH_PATH_RUN).click()
    page.wait(f"#{ids.GRAPH_PATH} td")
    steps = page.rows(ids.GRAPH_PATH)
    assert steps[0][0] == "vendor:google" and steps[-1][2] == "event:alexnet-imagenet-2012"
    shot(page, "graph")
