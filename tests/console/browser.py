"""Debian's Chromium, headless, driven by Selenium through Debian's chromedriver (make install puts both on the
machine; nothing is downloaded at run time), with what a page test needs: waits on conditions, full-page
screenshots, downloads into a folder of the test's."""

import base64
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.console.system import System, grants_up

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
REPO = Path(__file__).resolve().parents[2]
# Without the background-networking flags Chromium keeps reaching for Google's hosts, which this closed
# network refuses (docs of the machine kind).
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--window-size=1280,1000")


def start_chromium(downloads: Path, accept_language: str = "zh-CN,zh") -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='console-chromium-')}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": accept_language,
                                              "download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


class Page:
    """One browser session, reused across the steps of the scenario."""

    def __init__(self, driver: WebDriver, base: str, shots: Path, downloads: Path):
        self.d, self.base, self.shots, self.downloads = driver, base, shots, downloads

    def open(self, path: str) -> None:
        self.d.get(self.base + path)

    def text(self, css: str) -> str:
        # A page that reloads itself (a job's, a log's) can replace the element between finding and reading
        # it: `wait` looks again (a 1-tuple, since an element's text may be empty).
        return self.wait(lambda: (self.d.find_element(By.CSS_SELECTOR, css).text,), 10, f"no {css}")[0]

    def texts(self, css: str) -> list[str]:
        return [e.text for e in self.d.find_elements(By.CSS_SELECTOR, css)]

    def has(self, css: str) -> bool:
        return bool(self.d.find_elements(By.CSS_SELECTOR, css))

    def click(self, css: str) -> None:
        self.d.find_element(By.CSS_SELECTOR, css).click()

    def type(self, element_id: str, value: str) -> None:
        field = self.d.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(value)

    def choose(self, element_id: str, value: str) -> None:
        Select(self.d.find_element(By.ID, element_id)).select_by_value(value)

    def set_date(self, element_id: str, value: str) -> None:
        """A date input takes keystrokes in the browser's own locale's order; set its ISO value instead."""
        self.d.execute_script("arguments[0].value = arguments[1]", self.d.find_element(By.ID, element_id), value)

    def wait(self, condition: Callable[[], Any], timeout: float = 30, message: str = "") -> Any:
        # A condition read while the page navigates can hold an element of the page being left: look again.
        return WebDriverWait(self.d, timeout, poll_frequency=0.2,
                             ignored_exceptions=(StaleElementReferenceException, NoSuchElementException)
                             ).until(lambda _d: condition(), message)

    def wait_for(self, css: str, timeout: float = 30) -> None:
        self.wait(lambda: self.has(css), timeout, f"no {css} on {self.d.current_url}")

    def reload_until(self, condition: Callable[[], bool], timeout: float = 60, message: str = "") -> None:
        """For what another service does in its own time (a decision, a ledger posting): reload until it shows."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(message or f"not shown on {self.d.current_url} within {timeout:.0f} s")
            time.sleep(0.5)
            self.d.refresh()

    def sign_in(self, role: str, name: str) -> None:
        if self.has("#sign-out"):
            self.click("#sign-out")
        self.open("/signin")
        self.click(f"#role-{role}")
        self.type("name", name)
        self.click("#signin-submit")
        self.wait(lambda: "/signin" not in self.d.current_url, 10, "sign-in did not leave the sign-in page")

    def switch_language(self, lang: str) -> None:
        self.choose("lang-switch", lang)
        self.click("#lang-apply")
        self.wait(lambda: self.d.find_element(By.TAG_NAME, "html").get_attribute("lang") ==
                  ("zh-Hans" if lang == "zh_CN" else "en"), 10)

    def screenshot(self, name: str) -> Path:
        """The whole page, not only the window."""
        shot = self.d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        path = self.shots / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def downloaded(self, name: str, timeout: float = 20) -> Path:
        path = self.downloads / name
        self.wait(lambda: path.exists() and path.stat().st_size > 0 and
                  not (self.downloads / f"{name}.crdownload").exists(), timeout, f"{name} was not downloaded")
        return path


@contextmanager
def console_in_chromium(work: Path) -> Iterator[tuple[Page, System]]:
    """The whole system as `grants up` starts it under `work`, and one browser session on its console.
    Screenshots go to var/console-screenshots (CONSOLE_SCREENSHOTS=docs: docs/console, the README's)."""
    system = grants_up(work)
    downloads = work / "downloads"
    downloads.mkdir()
    shots = REPO / ("docs/console" if os.environ.get("CONSOLE_SCREENSHOTS") == "docs" else "var/console-screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    driver = start_chromium(downloads)
    try:
        yield Page(driver, system.url("console"), shots, downloads), system
    finally:
        driver.quit()
        system.stop()
