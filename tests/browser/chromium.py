"""A real browser for the HTML report's tests: Debian's chromium, driven by selenium through Debian's
chromium-driver (the two come from one source package, so they always match; selenium is told both
paths and never downloads anything).

Without chromium, chromedriver or selenium the tests skip, unless REQUIRE_BROWSER=1 (CI sets it
and installs them), when they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
BROWSERS = ("chromium", "chromium-browser")
DRIVERS = ("chromedriver", "chromium-driver")


def _missing(what: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"REQUIRE_BROWSER=1 but {what}")
    pytest.skip(what)


def _found(names: tuple[str, ...]) -> str | None:
    return next((path for path in map(shutil.which, names) if path), None)


@pytest.fixture(scope="session")
def browser(tmp_path_factory) -> Iterator[Any]:
    """A headless chromium, 1280 px wide, that keeps its console messages (read with ``console``)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed (pip install -e '.[test]')")
    chromium, driver = _found(BROWSERS), _found(DRIVERS)
    if chromium is None or driver is None:
        _missing("no chromium or chromedriver on PATH (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    session = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield session
    finally:
        session.quit()


def console(browser: Any) -> list[dict[str, Any]]:
    """The console messages since the last call (errors, warnings, CSP reports, uncaught exceptions)."""
    return list(browser.get_log("browser"))


def problems(browser: Any) -> list[dict[str, Any]]:
    """The console's errors and warnings since the last call."""
    return [entry for entry in console(browser) if entry["level"] in ("SEVERE", "WARNING")]


def set_width(browser: Any, width: int, height: int = 900) -> None:
    """Lay the page out at ``width`` CSS pixels, as a phone does below 500."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})


def open_page(browser: Any, path: Path, fragment: str = "", timeout: float = 30.0) -> None:
    """Open a report from disk (at ``#fragment``) and wait until its script has drawn it (``data-ready``)."""
    from selenium.webdriver.support.ui import WebDriverWait

    console(browser)  # what an earlier page said is not this one's
    browser.get("about:blank")  # the same page at another fragment would not load again
    browser.get(path.resolve().as_uri() + (f"#{fragment}" if fragment else ""))
    WebDriverWait(browser, timeout).until(
        lambda session: session.execute_script("return document.documentElement.dataset.ready === 'true'"))
