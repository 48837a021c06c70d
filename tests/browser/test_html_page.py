"""The HTML report in a real browser (headless chromium): it loads without a console error, the
search filters, a click opens a copy's diff, hostile text stays text, and the page fits 1280 and
390 px wide. Screenshots go to $TMPDIR/newsdedup-html-screenshots/ (look at them)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from chromium import browser, open_page, problems, set_width  # noqa: F401 (browser: a fixture)

from html_pages import HOSTILE, UNSPACED_COPY, hostile_result, many_result, page, seeds_result, unspaced_result

SCREENSHOTS = Path(tempfile.gettempdir()) / "newsdedup-html-screenshots"


@pytest.fixture(scope="module")
def seeds_page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "seeds.html"
    path.write_text(page(seeds_result()), encoding="utf-8")
    return path


def _by(browser, selector: str):
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, selector)


def _search(browser, text: str) -> None:
    """Type into the search box and wait for the list to follow it."""
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    box = _by(browser, "#query")[0]
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE, text)
    WebDriverWait(browser, 5).until(lambda session: session.execute_script(
        "return document.querySelector('#query').value === arguments[0] && "
        "document.querySelector('#match-count').dataset.query === arguments[0]", text))


def _drawn(browser, selector: str):
    """The elements at ``selector`` once there are any (a details element draws its content on opening)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, 5).until(lambda session: _by(session, selector))


def _open_first_copy(browser) -> None:
    _by(browser, "details.cluster > summary")[0].click()
    _drawn(browser, "details.copy > summary")[0].click()
    _drawn(browser, ".diff")


def test_the_seeds_page_loads_without_a_console_error(browser, seeds_page):
    set_width(browser, 1280)
    open_page(browser, seeds_page)
    assert problems(browser) == []
    assert browser.title.startswith("newsdedup: 5 articles")
    assert len(_by(browser, "details.cluster")) == 1
    assert "Putin" in _by(browser, "details.cluster > summary")[0].text
    _open_first_copy(browser)
    assert problems(browser) == []


def test_the_search_filters_clusters_and_single_articles(browser, seeds_page):
    set_width(browser, 1280)
    open_page(browser, seeds_page)
    _by(browser, "details.singles > summary")[0].click()
    assert len(_by(browser, "details.singles tbody tr")) == 2
    _search(browser, "jerusalem")  # a source in the seeds' cluster
    assert len(_by(browser, "details.cluster")) == 1 and len(_by(browser, "details.singles tbody tr")) == 0
    _search(browser, "004_1599dfc235326334")  # a single article's id
    assert len(_by(browser, "details.cluster")) == 0
    rows = _by(browser, "details.singles tbody tr")
    assert len(rows) == 1 and "004_1599dfc235326334" in rows[0].text
    _search(browser, "no such words anywhere")
    assert len(_by(browser, "details.cluster")) == 0 and len(_by(browser, "details.singles tbody tr")) == 0
    assert "0 of 1" in _by(browser, "#match-count")[0].text
    _search(browser, "")
    assert len(_by(browser, "details.cluster")) == 1 and len(_by(browser, "details.singles tbody tr")) == 2
    assert problems(browser) == []


def test_a_click_opens_the_copys_diff_with_its_marks(browser, seeds_page):
    set_width(browser, 1280)
    open_page(browser, seeds_page)
    assert _by(browser, ".diff") == []  # nothing is drawn before it is opened
    _open_first_copy(browser)
    (diff,) = _by(browser, ".diff")
    assert _by(diff, ".kept") and _by(diff, "del.cut, .changed del") and _by(diff, "ins.added, .changed ins")
    # 000's closing paragraph (the 12,000 troops) is its own: added against the canonical, 001.
    assert "000_a0337443bc97db64" in _by(browser, "details.copy[open] > summary")[0].text
    assert any("12,000" in mark.text for mark in _by(diff, "ins.added"))
    assert problems(browser) == []


@pytest.fixture(scope="module")
def many_page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "many.html"
    path.write_text(page(many_result(45)), encoding="utf-8")
    return path


def test_a_long_kept_passage_shows_its_ends_and_the_rest_on_request(browser, many_page):
    set_width(browser, 1280)
    open_page(browser, many_page)
    _open_first_copy(browser)
    (diff,) = _by(browser, ".diff")
    before = len(diff.text)
    more = _by(diff, "button.more")
    assert more and "characters kept" in more[0].text
    more[0].click()
    assert len(_by(diff, "button.more")) == len(more) - 1 and len(diff.text) > before
    assert browser.switch_to.active_element == diff


def test_the_copys_text_reads_whole_once_its_kept_passages_are_shown(browser, tmp_path):
    path = tmp_path / "unspaced.html"
    path.write_text(page(unspaced_result()), encoding="utf-8")
    set_width(browser, 390, 844)
    open_page(browser, path)
    _open_first_copy(browser)
    lone = ("let count = 0; const walk = document.createTreeWalker(document.querySelector('.diff'), NodeFilter.SHOW_TEXT);"
            "while (walk.nextNode()) { if (/[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?:^|[^\\ud800-\\udbff])[\\udc00-\\udfff]/"
            ".test(walk.currentNode.data)) { count += 1; } } return count")
    assert browser.execute_script(lone) == 0
    (more,) = _by(browser, ".diff button.more")
    assert int(more.text.split()[1].replace(",", "")) > 500
    more.click()
    assert _copy_text(browser) == UNSPACED_COPY
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    assert problems(browser) == []


def _copy_text(browser) -> str:
    """What a reader of the open copy sees: its diff without what it cut and without the spoken labels."""
    return "".join(map(chr, browser.execute_script(
        "const diff = document.querySelector('details.copy[open] .diff').cloneNode(true);"
        "diff.querySelectorAll('del, .sr-only, button.more').forEach((node) => node.remove());"
        "return Array.from(diff.textContent, (character) => character.codePointAt(0))")))


def test_each_seed_copy_reads_as_its_own_text_spacing_and_quotes_included(browser, seeds_page):
    """The alignment keeps words whose spacing or quotes differ: the page shows the copy's own."""
    cluster = next(cluster for cluster in seeds_result().clusters if cluster.size > 1)
    set_width(browser, 1280)
    open_page(browser, seeds_page)
    _by(browser, "details.cluster > summary")[0].click()
    copies = _drawn(browser, "details.copy > summary")
    assert len(copies) == len(cluster.members) - 1
    for summary, member in zip(copies, cluster.members[1:]):
        summary.click()
        for more in _drawn(browser, "details.copy[open] .diff") and _by(browser, "details.copy[open] button.more"):
            more.click()
        assert _copy_text(browser) == member.document.body
        summary.click()  # closed again, so that the next one is the open copy
    assert problems(browser) == []


def test_clusters_and_single_articles_come_a_page_at_a_time(browser, many_page):
    from selenium.webdriver.common.keys import Keys

    set_width(browser, 1280)
    open_page(browser, many_page)

    def numbers() -> list[str]:
        return [summary.text.split()[0] for summary in _by(browser, "details.cluster > summary")]

    assert numbers() == [f"#{number}" for number in range(1, 21)]
    _by(browser, "button.next")[0].click()
    assert numbers()[0] == "#21"
    box = _by(browser, "input.page-number")[0]
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("3", Keys.ENTER)
    assert numbers() == [f"#{number}" for number in range(41, 46)]
    assert _by(browser, "button.next")[0].get_attribute("disabled") is not None
    _by(browser, "details.singles > summary")[0].click()
    assert len(_by(browser, "details.singles tbody tr")) == 45
    _search(browser, "007")  # the ids story-007, copy-007 and single-007
    assert numbers() == ["#8"] and len(_by(browser, "details.singles tbody tr")) == 1
    assert problems(browser) == []


def test_a_link_to_a_cluster_opens_it_on_its_page(browser, many_page):
    set_width(browser, 1280)
    open_page(browser, many_page, "cluster-33")
    opened = _by(browser, "details.cluster[open] > summary")
    assert [summary.text.split()[0] for summary in opened] == ["#33"]
    assert browser.switch_to.active_element == opened[0]
    assert _by(browser, "input.page-number")[0].get_attribute("value") == "2"
    link = _drawn(browser, "#cluster-33 .permalink a")[0]
    assert link.get_attribute("href").endswith("#cluster-33")
    browser.execute_script("location.hash = '#cluster-45'")
    assert _drawn(browser, "#cluster-45 details[open]")
    assert problems(browser) == []


def test_the_bottom_pager_brings_the_keyboard_to_the_top_of_the_list(browser, many_page):
    set_width(browser, 1280)
    open_page(browser, many_page)
    _by(browser, "nav.pager button.next")[1].click()  # the bottom pager's
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "page-number" and focused.get_attribute("value") == "2"
    _by(browser, "nav.pager button.next")[0].click()  # to the last page: the button is off now
    assert browser.switch_to.active_element.get_attribute("class") == "page-number"


def test_the_keyboard_reaches_the_search_and_opens_a_cluster(browser, seeds_page):
    from selenium.webdriver.common.keys import Keys

    set_width(browser, 1280)
    open_page(browser, seeds_page)
    _by(browser, "body")[0].send_keys("/")
    assert browser.switch_to.active_element.get_attribute("id") == "query"
    summary = _by(browser, "details.cluster > summary")[0]
    summary.send_keys(Keys.ENTER)
    assert _by(browser, "details.cluster")[0].get_attribute("open") is not None
    copy = _drawn(browser, "details.copy > summary")[0]
    copy.send_keys(Keys.SPACE)
    assert _drawn(browser, ".diff")


def test_hostile_text_is_shown_as_text_and_runs_nothing(browser, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_text(page(hostile_result()), encoding="utf-8")
    set_width(browser, 1280)
    open_page(browser, path)
    _open_first_copy(browser)
    _by(browser, "details.singles > summary")[0].click()
    assert browser.execute_script("return window.pwned") is None
    assert not _by(browser, "main img, main b")
    # As code points: the driver cannot carry a lone surrogate back.
    shown = browser.execute_script("return Array.from(document.querySelector('details.cluster .cluster-title')"
                                   ".textContent, (character) => character.codePointAt(0))")
    assert shown == [ord(character) for character in HOSTILE]
    assert browser.execute_script("return document.querySelector('.diff').textContent.includes(arguments[0])",
                                  "</script><script>window.pwned = 1</script><!--")
    _by(browser, "details.skipped-box > summary")[0].click()
    skipped = browser.execute_script("return Array.from(document.querySelector('ul.skipped .path').textContent, "
                                     "(character) => character.codePointAt(0))")
    assert skipped == [ord(character) for character in HOSTILE]
    assert problems(browser) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_fits_the_width_with_a_diff_open(browser, seeds_page, width):
    SCREENSHOTS.mkdir(exist_ok=True)
    set_width(browser, width, 900 if width > 500 else 844)
    open_page(browser, seeds_page)
    browser.save_screenshot(str(SCREENSHOTS / f"seeds-{width}-top.png"))
    _open_first_copy(browser)
    browser.execute_script("document.querySelector('.diff').scrollIntoView({block: 'start'})")
    browser.save_screenshot(str(SCREENSHOTS / f"seeds-{width}-diff.png"))
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    _by(browser, "details.singles > summary")[0].click()
    _by(browser, "details.settings > summary")[0].click()
    browser.execute_script("document.querySelector('details.singles').scrollIntoView({block: 'start'})")
    browser.save_screenshot(str(SCREENSHOTS / f"seeds-{width}-singles.png"))
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    # No column squeezed to a letter a line (a table's cells, or the cards they become on a phone).
    narrowest = browser.execute_script(
        "return Math.min(...Array.from(document.querySelectorAll('main tbody td, main tbody th'))"
        ".filter((cell) => cell.getClientRects().length).map((cell) => cell.getBoundingClientRect().width))")
    assert narrowest >= 60
    body_font = browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_font >= 14
    assert problems(browser) == []
