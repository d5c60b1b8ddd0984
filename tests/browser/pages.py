"""Helpers for browser tests: the dashboard on waitress in a background thread, and one helper object per page."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import urllib.request
from pathlib import Path

from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from dashboards import ids

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
WIDTH, HEIGHT = 1366, 768  # the smallest laptop screen the dashboard is laid out for
TIMEOUT = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app served by waitress (as `marketgraph dashboard` serves it) on a loopback port."""

    def __init__(self, db: Path):
        import waitress

        from dashboards.app import create_app

        self.port = free_port()
        self.server = waitress.create_server(create_app(db).server, host="127.0.0.1", port=self.port, threads=4)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        from dashboards.cache import close_all

        self.server.close()
        close_all()  # the database file is free for the tests after this one


def make_driver(tmp: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", f"--window-size={WIDTH},{HEIGHT}", f"--user-data-dir={tmp}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_window_size(WIDTH, HEIGHT)
    return driver


def console_errors(driver) -> list[str]:
    """SEVERE browser-console entries since the last call (the log is drained on read)."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def no_dialog(driver) -> bool:
    try:
        driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


class Page:
    path = "/"

    def __init__(self, driver, base: str):
        self.driver, self.base = driver, base

    def open(self, query: str = ""):
        self.driver.get(self.base + self.path + query)
        self.wait(f"#{ids.PAGE} > *")
        return self

    def wait(self, css: str, timeout: float = TIMEOUT):
        return WebDriverWait(self.driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def wait_text(self, css: str, text: str, timeout: float = TIMEOUT) -> str:
        WebDriverWait(self.driver, timeout).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def until(self, fn, timeout: float = TIMEOUT):
        def safe(d):
            try:
                return fn(d)
            except StaleElementReferenceException:
                return False
        return WebDriverWait(self.driver, timeout).until(safe)

    def click(self, css: str, timeout: float = TIMEOUT) -> None:
        """Find ``css`` afresh and click it, again if the element was replaced in between (AG Grid and Dash
        re-render rows when their data arrives, so an element found a moment ago may be gone)."""
        def attempt(d):
            d.find_element(By.CSS_SELECTOR, css).click()
            return True
        self.wait(css, timeout)
        self.until(attempt, timeout)

    def search(self) -> str:
        return self.driver.execute_script("return window.location.search")

    def grid_rows(self, grid_id: str) -> list[dict[str, str]]:
        """The rendered rows of an AG Grid: col-id → text (pinned and scrolled parts merged by row index)."""
        # One script for the whole grid: a WebDriver round trip per cell took half a minute for 100 rows.
        return self.driver.execute_script(
            """const rows = {};
               document.querySelectorAll(arguments[0] + ' .ag-row').forEach(r => {
                 const i = r.getAttribute('row-index') || '0';
                 rows[i] = rows[i] || {};
                 r.querySelectorAll('.ag-cell').forEach(c => { rows[i][c.getAttribute('col-id')] = c.innerText.trim(); });
               });
               return Object.keys(rows).sort((a, b) => Number(a) - Number(b)).map(k => rows[k]);""", f"#{grid_id}")

    def options(self, dropdown_id: str) -> list[str]:
        """The labels a dcc.Dropdown offers (opened and closed again, as a user looks)."""
        self.click(f"#{dropdown_id}")
        opts = self.until(lambda d: [o.text for o in d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content [role=option]")] or False)
        self.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        self.until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content [role=option]"))
        return opts

    def choose(self, dropdown_id: str, text: str) -> str:
        """Open a dcc.Dropdown and click the first option whose label contains ``text``; returns the label."""
        self.click(f"#{dropdown_id}")
        option = self.until(lambda d: next((o for o in d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content [role=option]")
                                            if text in o.text), False))
        label = option.text
        option.click()
        if self.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-content [role=option]"):
            self.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        return label

    def download(self, css: str) -> str:
        """Fetch what a download link points at, as the browser would (the same server, the same URL)."""
        href = self.wait(css).get_attribute("href")
        with urllib.request.urlopen(href, timeout=30) as r:  # loopback: the test's own server
            return r.read().decode("utf-8")

    def screenshot(self, name: str) -> None:
        folder = os.environ.get("MARKETGRAPH_SCREENSHOTS")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            time.sleep(0.8)  # let charts finish their transitions
            self.driver.save_screenshot(str(Path(folder) / f"{name}.png"))


class OverviewPage(Page):
    path = "/"

    def findings(self) -> list[str]:
        self.wait(f"#{ids.HOME_FINDINGS} li")
        return [li.text for li in self.driver.find_elements(By.CSS_SELECTOR, f"#{ids.HOME_FINDINGS} > li")]


class MarketPage(Page):
    path = "/market"

    def year_options(self) -> list[str]:
        return self.options(ids.MARKET_YEAR_A)


class ChipsPage(Page):
    path = "/chips"

    def count(self) -> str:
        return self.wait_text(f"#{ids.CHIPS_COUNT}", "accelerators")

    def filter_column(self, header: str, text: str) -> None:
        """Type into the floating filter under the column headed ``header`` (matched by aria-colindex)."""
        head = self.until(lambda d: next((h for h in d.find_elements(
            By.CSS_SELECTOR, f"#{ids.CHIPS_GRID} .ag-header-row-column .ag-header-cell")
            if h.text.strip() == header), False))
        index = head.get_attribute("aria-colindex")
        box = self.wait(f"#{ids.CHIPS_GRID} .ag-header-row-filter [aria-colindex='{index}'] input")
        box.click()
        box.send_keys(text)

    def click_cell(self, row: int, col_id: str) -> None:
        self.click(f"#{ids.CHIPS_GRID} .ag-row[row-index='{row}'] .ag-cell[col-id='{col_id}']")

    def tick(self, row: int) -> None:
        self.click(f"#{ids.CHIPS_GRID} .ag-row[row-index='{row}'] .ag-selection-checkbox input")


class GraphPage(Page):
    path = "/graph"

    def click_node(self, node_id: str) -> None:
        """A real mouse click where Cytoscape drew the node (its instance hangs on the container as _cyreg)."""
        self.wait(f"#{ids.GRAPH_CY} canvas")
        pos = self.until(lambda d: d.execute_script(
            """const el = [...document.querySelectorAll('#%s, #%s *')].find(e => e._cyreg && e._cyreg.cy);
               if (!el) return null; const cy = el._cyreg.cy; const n = cy.getElementById(arguments[0]);
               if (!n || n.empty()) return null; const p = n.renderedPosition(); const r = el.getBoundingClientRect();
               return [p.x, p.y, r.width, r.height];""" % (ids.GRAPH_CY, ids.GRAPH_CY), node_id))
        container = self.driver.find_element(By.CSS_SELECTOR, f"#{ids.GRAPH_CY}")
        x, y, w, h = pos
        ActionChains(self.driver).move_to_element_with_offset(container, int(x - w / 2), int(y - h / 2)).click().perform()


class SqlPage(Page):
    path = "/sql"

    def run(self, sql: str) -> str:
        box = self.wait(f"#{ids.SQL_INPUT}")
        box.send_keys(Keys.CONTROL, "a")  # clear() does not reach a React-controlled textarea
        box.send_keys(Keys.DELETE)
        box.send_keys(sql)
        before = self.driver.find_element(By.ID, ids.SQL_STATUS).text
        box.send_keys(Keys.CONTROL, Keys.ENTER)  # Ctrl-Enter runs, as the page says
        self.until(lambda d: d.find_element(By.ID, ids.SQL_STATUS).text not in ("", before))
        return self.driver.find_element(By.ID, ids.SQL_STATUS).text

    def headers(self) -> list[str]:
        return [h.text for h in self.driver.find_elements(By.CSS_SELECTOR, f"#{ids.SQL_RESULT} .ag-header-cell-text")]


def read_csv(text: str):
    import io

    import pandas as pd

    return pd.read_csv(io.StringIO(text), comment="#")


