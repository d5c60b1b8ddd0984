"""The dashboard in a real headless Chromium on waitress: every page loads with no console errors, and one real
interaction per page works. Screenshots (1366×768) go to $MARKETGRAPH_SCREENSHOTS when it is set."""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

import marketgraph as mg
from marketgraph.market.findings import hhi_text

from pages import CHROMEDRIVER, CHROMIUM, ChipsPage, GraphPage, LiveServer, MarketPage, OverviewPage, Page, \
    SqlPage, console_errors, make_driver, no_dialog, read_csv
from dashboards import ids

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))
from dashboard_fixtures import build_dashboard_db  # noqa: E402

# In CI a missing browser is a failure, not a skip (.ci/run installs Debian's chromium and chromium-driver).
MISSING = not (CHROMIUM and CHROMEDRIVER)
pytestmark = [pytest.mark.browser]
if MISSING and os.environ.get("CI"):
    pytest.fail("CI needs Debian chromium + chromium-driver for the browser tests", pytrace=False)
pytestmark.append(pytest.mark.skipif(MISSING, reason="needs Debian chromium + chromium-driver"))


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not try to download anything
    d = make_driver(tmp_path_factory.mktemp("chrome"))
    yield d
    d.quit()


@pytest.fixture(scope="module")
def site(shipped_db, driver):
    with LiveServer(shipped_db) as server:
        yield driver, server.url, shipped_db


@pytest.fixture(autouse=True)
def _no_console_errors(request):
    """Every test ends with an empty browser console (SEVERE entries: script errors, failed loads, React)."""
    if "site" not in request.fixturenames and "evil_site" not in request.fixturenames:
        yield
        return
    drv = request.getfixturevalue("driver")
    console_errors(drv)  # drain what earlier tests left
    yield
    errors = [e for e in console_errors(drv) if "favicon" not in e]
    assert errors == [], errors


def test_overview_tiles_and_findings_link_to_their_rows(site):
    driver, url, db = site
    page = OverviewPage(driver, url).open()
    findings = page.findings()
    assert len(findings) >= 5
    year = next(f for f in findings if f.startswith("Training, ")).split(",")[1].split(":")[0].strip()
    row = mg.query("SELECT hhi, hhi_low, hhi_high FROM segment_concentration WHERE segment='training' "
                   f"AND basis='shipped_compute' AND year={int(year)}", db=db).iloc[0]
    # the page states the database's number (rounded as far as its interval allows)
    assert any(f"HHI {hhi_text(row.hhi, row.hhi_low, row.hhi_high)}" in f for f in findings)
    tiles = driver.find_elements("css selector", f"#{ids.HOME_KPIS} .kpi")
    assert len(tiles) >= 3
    page.screenshot("overview")
    page.click("#finding-shipped-training a")
    page.wait_text(f"#{ids.MARKET_TREND}", "Concentration over time")
    assert urlparse(driver.current_url).path == "/market" and "segment=training" in page.search()


def test_market_year_choices_follow_the_basis(site):
    driver, url, db = site
    page = MarketPage(driver, url).open()
    page.wait_text(f"#{ids.MARKET_GRAPH}", "HHI")
    page.wait(f"#{ids.MARKET_TREND} .main-svg")
    first = page.year_options()
    published = mg.query("SELECT c.basis, min(c.year) AS y, any_value(s.publisher) AS publisher, "
                         "any_value(b.scope) AS scope FROM segment_concentration c JOIN concentration_bases b "
                         "USING (basis) JOIN sources s USING (source_id) WHERE c.basis LIKE 'published/%' "
                         "GROUP BY c.basis HAVING count(*) = 1 ORDER BY c.basis LIMIT 1", db=db)
    basis, year = published.basis[0], int(published.y[0])
    page.choose(ids.MARKET_BASIS, f"{published.publisher[0]} · {published.scope[0]}")
    page.until(lambda d: "basis=" in page.search())
    assert parse_qs(page.search()[1:])["basis"] == [basis]
    assert page.year_options() == [str(year)] != first
    page.screenshot("market")
    driver.refresh()  # the view survives a reload
    page.wait_text(f"#{ids.MARKET_TREND}", basis)
    assert page.year_options() == [str(year)]


def test_chips_filter_in_url_survives_reload_and_a_fresh_browser(site, tmp_path):
    driver, url, db = site
    page = ChipsPage(driver, url).open()
    n = int(mg.query("SELECT count(*) AS n FROM chips", db=db).n[0])
    assert page.count() == f"{n} accelerators"
    page.wait(f"#{ids.CHIPS_GRID} .ag-row .ag-cell")
    page.filter_column("vendor", "Google")
    google = int(mg.query("SELECT count(*) AS n FROM chips JOIN vendors USING (vendor_id) WHERE vendors.name ILIKE "
                          "'%google%'", db=db).n[0])
    page.wait_text(f"#{ids.CHIPS_COUNT}", f"{google} accelerators")
    page.until(lambda d: "filter=" in page.search())
    shared = driver.current_url
    assert json.loads(parse_qs(urlparse(shared).query)["filter"][0])["vendor"]["filter"] == "Google"
    driver.refresh()
    assert page.count() == f"{google} accelerators"
    # a copied address opens the same view in a fresh browser (nothing lives in cookies or storage)
    fresh = make_driver(tmp_path / "fresh")
    try:
        fresh.get(shared)
        other = ChipsPage(fresh, url)
        assert other.count() == f"{google} accelerators"
        assert {r.get("vendor") for r in other.grid_rows(ids.CHIPS_GRID) if r.get("vendor")} == {"Google"}
    finally:
        fresh.quit()
    page.screenshot("chips")


def test_chips_cell_citation_and_compare(site):
    driver, url, db = site
    page = ChipsPage(driver, url).open()
    page.wait(f"#{ids.CHIPS_GRID} .ag-row[row-index='1'] .ag-cell")
    page.click_cell(0, "family")
    page.wait_text(f"#{ids.CHIPS_CITATION}", "accessed")
    # the MLPerf grid asks the server for its rows too (at 100x the data it was 5.7 MB sent with the page)
    page.wait(f"#{ids.CHIPS_MLPERF_GRID} .ag-row[row-index='0'] .ag-cell[col-id='benchmark']")
    page.tick(0)
    page.tick(1)
    page.wait_text("#compare-view", "Comparing 2")
    assert "compare=" in page.search()
    assert driver.find_elements("css selector", "#compare-view tr.diff")  # two chips differ somewhere
    page.screenshot("chips-compare")
    csv = page.download("#compare-view .download-link")
    assert "# database built" in csv and len(read_csv(csv)) > 10


def test_vendor_and_chip_pages_link_each_other(site):
    driver, url, db = site
    page = Page(driver, url)
    page.path = "/vendors/nvidia"
    page.open()
    page.wait(f"#{ids.VENDOR_CHIPS} .ag-row .entity-link")
    page.wait(f"#{ids.VENDOR_SHARES} .main-svg")
    # the events and sources grids fetch their rows, and their headings count them
    page.wait(f"#{ids.VENDOR_EVENTS} .ag-row[row-index='0'] .ag-cell[col-id='title']")
    page.wait(f"#{ids.VENDOR_SOURCES} .ag-row[row-index='0'] .ag-cell[col-id='publisher']")
    assert page.wait_text(f"#{ids.VENDOR_SOURCES_COUNT}", " sources").split()[0].replace(",", "").isdigit()
    page.screenshot("vendor")
    def follow(d):  # the grid may re-render between finding the link and clicking it
        link = d.find_element("css selector", f"#{ids.VENDOR_CHIPS} .ag-row .entity-link")
        text = link.text
        link.click()
        return text
    name = page.until(follow)
    page.until(lambda d: urlparse(d.current_url).path.startswith("/chips/"))
    page.wait_text("#compare-view", name)
    page.screenshot("chip")


def test_timeline_kind_filter(site):
    driver, url, db = site
    page = Page(driver, url)
    page.path = "/timeline"
    page.open()
    page.wait(f"#{ids.TIMELINE_GRID} .ag-row .ag-cell")
    newest = page.grid_rows(ids.TIMELINE_GRID)[0]["date"]
    assert newest == mg.query("SELECT strftime(max(event_date), '%Y') AS y FROM events", db=db).y[0] or \
        newest.startswith(mg.query("SELECT strftime(max(event_date), '%Y') AS y FROM events", db=db).y[0])
    page.choose(ids.TIMELINE_KIND, "export_control")
    n = int(mg.query("SELECT count(*) AS n FROM events WHERE kind = 'export_control'", db=db).n[0])
    page.wait_text(f"#{ids.TIMELINE_COUNT}", f"{n} events")
    page.until(lambda d: len(page.grid_rows(ids.TIMELINE_GRID)) and
               {r.get("kind") for r in page.grid_rows(ids.TIMELINE_GRID)} == {"export_control"})
    assert "kind=export_control" in page.search()
    page.screenshot("timeline")


def test_graph_click_a_node_and_see_its_sources(site):
    driver, url, db = site
    page = GraphPage(driver, url).open("?node=chip:nvidia-h100-sxm5-80gb")
    page.wait_text(f"#{ids.GRAPH_NOTE}", "nodes")
    page.click_node("chip:nvidia-h100-sxm5-80gb")
    text = page.wait_text(f"#{ids.GRAPH_DETAILS}", "links")
    assert "H100 SXM5 80GB" in text
    assert driver.find_elements("css selector", f"#{ids.GRAPH_DETAILS} a[href^='http']")  # sources as links
    page.screenshot("graph")
    page.path = "/graph"
    page.open("?from=vendor:google&to=event:alexnet-imagenet-2012")
    page.wait_text("#graph-path-table", "AlexNet")


def in_order(row: dict[str, str]) -> list[str]:
    """A console row's cells by position (column ids are '<result shape>-c<position>')."""
    return [row[k] for k in sorted(row, key=lambda k: int(k.rsplit("-c", 1)[-1]))]


def test_sql_duplicate_names_download_and_escaping(site):
    driver, url, db = site
    page = SqlPage(driver, url).open()
    page.run("select count(*) AS a, count(*) AS b from chips")  # numbers first: the grid must not keep their type
    status = page.run("select v.name, c.name from chips c join vendors v using (vendor_id) order by c.name limit 5")
    assert re.match(r"5 row\(s\) in [\d.]+ s", status)
    assert page.headers() == ["name", "name"]
    rows = page.grid_rows(ids.SQL_RESULT)
    first = in_order(rows[0])
    assert first[0] != first[1]  # vendor and chip, kept apart
    shown = driver.find_element("css selector", f"#{ids.SQL_RESULT}").text
    assert first[1] in shown and "Invalid Number" not in shown  # text shown as text
    csv = page.download(f"#{ids.SQL_DOWNLOADS} a")
    back = read_csv(csv)
    assert list(back.columns) == ["name", "name_2"] and len(back) == 5
    assert "q=select" in page.search()
    page.screenshot("sql")
    assert "only SELECT statements are allowed" in page.run("DROP TABLE chips")
    page.run("SELECT '<img src=x id=pwned onerror=alert(1)>' AS t")
    assert in_order(page.grid_rows(ids.SQL_RESULT)[0])[0] == "<img src=x id=pwned onerror=alert(1)>"
    assert not driver.find_elements("css selector", "#pwned") and no_dialog(driver)


def test_reports_page_hands_out_an_export_and_a_report(site, tmp_path):
    driver, url, db = site
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    page = Page(driver, url)
    driver.get(url + "/reports")
    button = page.wait(f"#{ids.EXPORT_MAKE}")
    # the default: the chips table as CSV (a script click: the page is taller than the window)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", button)
    status = page.wait_text(f"#{ids.EXPORT_STATUS}", "bytes")
    name = status.split(":")[0]
    got = page.until(lambda d: (tmp_path / name).is_file() and (tmp_path / name).stat().st_size > 0 and tmp_path / name)
    n = int(mg.query("SELECT count(*) AS n FROM chips", db=db).n[0])
    assert len(read_csv(got.read_text(encoding="utf-8"))) == n  # the whole table, never the visible page
    for css in (f"#{ids.REPORTS_FORMAT} input[value='html']", f"#{ids.REPORTS_MAKE}"):
        el = driver.find_element("css selector", css)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", el)
    status = page.wait_text(f"#{ids.REPORTS_STATUS}", "bytes", timeout=120)
    report = page.until(lambda d: next((p for p in tmp_path.glob("*.html") if p.stat().st_size > 0), False))
    text = report.read_text(encoding="utf-8")
    assert report.name in status and "<html" in text.lower() and '<script src="http' not in text
    page.screenshot("reports")


@pytest.fixture(scope="module")
def evil_site(driver, tmp_path_factory):
    db = build_dashboard_db(tmp_path_factory.mktemp("evil"))
    with LiveServer(db) as server:
        yield driver, server.url


@pytest.mark.parametrize("path", ["/", "/market", "/chips", "/chips/evil-x1", "/vendors/evil", "/timeline",
                                  "/graph?node=vendor:evil", "/chips?compare=evil-x1,nvidia-h100-sxm5-80gb"])
def test_script_and_onerror_payloads_in_data_never_run(evil_site, path):
    driver, url = evil_site
    driver.get(url + path)
    page = Page(driver, url)
    page.wait(f"#{ids.PAGE} > *")
    if path.startswith("/chips") and not path.startswith("/chips/"):
        page.wait(f"#{ids.CHIPS_GRID} .ag-row .ag-cell")


    __import__("time").sleep(1.5)  # give an injected onerror time to fire
    assert no_dialog(driver)
    assert driver.execute_script("return window.__pwned === undefined")
    if path in ("/vendors/evil", "/chips/evil-x1"):
        assert "<script>" in driver.find_element("css selector", f"#{ids.PAGE}").text or \
            "onerror" in driver.find_element("css selector", f"#{ids.PAGE}").text  # shown as text
    if path == "/vendors/evil":
        page.screenshot("escaped")
