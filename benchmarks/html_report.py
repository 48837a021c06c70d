"""The HTML report of a big run: its size, the time to write it, and how long headless chromium takes
until the page is usable (its script has drawn the first page of clusters and the search box answers).

`newsdedup cluster INPUT --format html` runs once (the whole run: reading, clustering, the report);
then the page is opened --runs times, each in a fresh tab of one chromium (Debian's, through
chromium-driver: the test extra's selenium). Load time is the page's own clock, from the start of
navigation to its ``newsdedup-ready`` mark; the search time is from the last key typed to the lists
redrawn (120 ms of it is the box's wait for more typing). Medians of the runs.

    python benchmarks/html_report.py /work/scratch/modern-100000.jsonl
    python benchmarks/html_report.py seeds/ --runs 5 --keep /tmp/seeds.html
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def _browser(profile: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def _open(browser: webdriver.Chrome, page: Path, query: str) -> tuple[float, float, float]:
    """(wall seconds from the request to a usable page, the page's own milliseconds to its ready
    mark, the milliseconds a search takes to redraw)."""
    browser.get("about:blank")
    started = time.perf_counter()
    browser.get(page.resolve().as_uri())
    WebDriverWait(browser, 600, poll_frequency=0.05).until(
        lambda session: session.execute_script("return document.documentElement.dataset.ready === 'true'"))
    wall = time.perf_counter() - started
    ready = browser.execute_script("return performance.getEntriesByName('newsdedup-ready')[0].startTime")
    box = browser.find_element(By.ID, "query")
    box.send_keys(query[:-1])
    typed = time.perf_counter()
    box.send_keys(query[-1])
    WebDriverWait(browser, 60, poll_frequency=0.01).until(lambda session: session.execute_script(
        "return document.querySelector('#match-count').dataset.query === arguments[0]", query))
    search = (time.perf_counter() - typed) * 1000
    errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    if errors:
        sys.exit(f"console errors: {errors}")
    return wall, float(ready), search


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="articles to cluster (a file or a folder)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query", default="reuters", help="what to type into the search box")
    parser.add_argument("--keep", type=Path, help="write the page here (default: a temporary file)")
    arguments = parser.parse_args()
    newsdedup = Path(sys.executable).parent / "newsdedup"
    with tempfile.TemporaryDirectory(prefix="newsdedup-html-bench-") as folder:
        page = arguments.keep or Path(folder) / "report.html"
        started = time.perf_counter()
        subprocess.run([str(newsdedup), "cluster", arguments.input, "--format", "html", "-o", str(page), "--quiet"],
                       check=True)
        written = time.perf_counter() - started
        json_started = time.perf_counter()
        subprocess.run([str(newsdedup), "cluster", arguments.input, "--format", "json", "-o",
                        str(Path(folder) / "report.json"), "--quiet"], check=True)
        json_written = time.perf_counter() - json_started
        size = page.stat().st_size
        print(f"page: {size:,} bytes ({size / 1e6:.1f} MB); `cluster --format html` {written:.1f} s "
              f"(--format json {json_written:.1f} s)")
        browser = _browser(str(Path(folder) / "profile"))
        try:
            runs = [_open(browser, page, arguments.query) for _ in range(arguments.runs)]
        finally:
            browser.quit()
    walls, readies, searches = zip(*runs)
    print(f"usable after (page clock, navigation start to ready): median {statistics.median(readies) / 1000:.2f} s "
          f"of {', '.join(f'{value / 1000:.2f}' for value in readies)}")
    print(f"usable after (wall, request to ready seen): median {statistics.median(walls):.2f} s "
          f"of {', '.join(f'{value:.2f}' for value in walls)}")
    print(f"search '{arguments.query}' redrawn after: median {statistics.median(searches):.0f} ms "
          f"of {', '.join(f'{value:.0f}' for value in searches)} (120 ms of it the box's wait)")


if __name__ == "__main__":
    main()
