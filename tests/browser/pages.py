"""Helpers for browser tests: a live dashboard server and one small helper object per page."""
from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from dashboards import ids

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The Dash app served by werkzeug in a background thread on a loopback port."""

    def __init__(self, db: Path):
        from werkzeug.serving import make_server

        from dashboards.app import create_app

        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, create_app(db).server, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()


def make_driver(tmp: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1400,1000", f"--user-data-dir={tmp}"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


class Page:
    path = "/"

    def __init__(self, driver, base: str):
        self.driver, self.base = driver, base

    def open(self):
        self.driver.get(self.base + self.path)
        return self

    def wait(self, css: str, timeout: float = 40):
        return WebDriverWait(self.driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))

    def wait_text(self, css: str, text: str, timeout: float = 40):
        WebDriverWait(self.driver, timeout).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def rows(self, table_id: str) -> list[list[str]]:
        cells = self.driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tr")
        return [[c.text for c in r.find_elements(By.CSS_SELECTOR, "td")] for r in cells if
                r.find_elements(By.CSS_SELECTOR, "td")]

    def screenshot(self, path: Path) -> None:
        self.driver.save_screenshot(str(path))


class OverviewPage(Page):
    path = "/"

    def findings(self) -> list[str]:
        self.wait(f"#{ids.HOME_FINDINGS} li")
        return [li.text for li in self.driver.find_elements(By.CSS_SELECTOR, f"#{ids.HOME_FINDINGS} > li")]


class MarketPage(Page):
    path = "/market"

    def graph_titles(self) -> list[str]:
        self.wait(f"#{ids.MARKET_GRAPH} .main-svg")
        self.wait_text(f"#{ids.MARKET_GRAPH}", "HHI")
        return [t.text for t in self.driver.find_elements(By.CSS_SELECTOR, f"#{ids.MARKET_GRAPH} .annotation-text")]


class ChipsPage(Page):
    path = "/chips"

    def count_text(self) -> str:
        return self.wait_text(f"#{ids.CHIPS_COUNT}", "accelerators")


class SqlPage(Page):
    path = "/sql"

    def run(self, sql: str) -> str:
        from selenium.webdriver.common.keys import Keys

        box = self.wait(f"#{ids.SQL_INPUT}")
        box.send_keys(Keys.CONTROL, "a")  # clear() does not reach a React-controlled textarea
        box.send_keys(Keys.DELETE)
        box.send_keys(sql)
        before = self.driver.find_element(By.ID, ids.SQL_STATUS).text
        self.driver.find_element(By.ID, ids.SQL_RUN).click()
        WebDriverWait(self.driver, 20).until(
            lambda d: d.find_element(By.ID, ids.SQL_STATUS).text not in ("", before))
        return self.driver.find_element(By.ID, ids.SQL_STATUS).text
