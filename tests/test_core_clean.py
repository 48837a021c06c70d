"""The Rust core's clean, header and date recognisers against golden outputs of the Python reference.

tests/golden/core/clean.json was written by benchmarks/core_clean_golden.py from the Python
version (clean.py, header.py, dates.py): a few hundred articles cleaned under three settings,
every header recogniser's answer for a few hundred lines, every date recogniser's answer for
a few hundred date lines, and published values as instants and compared in pairs. The Python
version and the generator were deleted once the core replaced them (the generator is in the
history: git show 406b20b:benchmarks/core_clean_golden.py). These tests read only that file and
the core: the Python version's answers keep guarding the core.
"""

import json

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from conftest import ROOT
from newsdedup import _core
from newsdedup.models import Document, WireCredit

GOLDEN = json.loads((ROOT / "tests" / "golden" / "core" / "clean.json").read_text(encoding="utf-8"))
ARTICLES = GOLDEN["articles"]
SETTINGS = GOLDEN["about"]["settings"]


def core_settings(name: str) -> _core.CleanSettings:
    return _core.CleanSettings(**SETTINGS[name])


def plain(value):
    """Tuples as lists, as the golden file holds them."""
    return json.loads(json.dumps(value))


def article_row(fields: list) -> tuple:
    """A golden article (the fields of a text or JSON Lines article) as a row: no byline, not a web page."""
    return (*fields, None, False)


def articles(name: str) -> list[dict]:
    return [record for record in ARTICLES if name in record["documents"]]


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_documents_equal_the_python_reference(name):
    records = articles(name)
    rows = _core.clean_batch([article_row(record["article"]) for record in records], core_settings(name))
    for record, row in zip(records, rows, strict=True):
        assert plain(row) == record["documents"][name], record["article"][2][:200]


def test_blocks_and_their_kinds():
    found = _core.blocks_batch([record["article"][2] for record in ARTICLES], core_settings("default"))
    for record, blocks in zip(ARTICLES, found, strict=True):
        assert plain(blocks) == record["blocks"], record["article"][2][:200]


def test_header_recognisers():
    lines = GOLDEN["lines"]
    found = _core.header_batch([record["line"] for record in lines], GOLDEN["about"]["lines_wire_agencies"])
    for record, row in zip(lines, found, strict=True):
        assert plain(row) == record["header"], record["line"]


def test_date_recognisers():
    lines = GOLDEN["date_lines"]
    found = _core.dates_batch([record["line"] for record in lines])
    for record, row in zip(lines, found, strict=True):
        assert plain(row) == record["dates"], record["line"]


def test_published_values_as_instants_and_in_order():
    moments = GOLDEN["moments"]
    found = _core.moments_batch([record["value"] for record in moments])
    for record, moment in zip(moments, found, strict=True):
        assert plain(moment) == record["moment"], record["value"]
    pairs = GOLDEN["pairs"]
    found = _core.published_pairs_batch([tuple(record["pair"]) for record in pairs])
    for record, compared in zip(pairs, found, strict=True):
        assert plain(compared) == record["compared"], record["pair"]


def test_rows_make_documents():
    record = next(record for record in ARTICLES if record["documents"]["default"][8])
    article = record["article"]
    row = _core.clean_batch([article_row(article)], core_settings("default"))[0]
    document = Document(article[0], article[1], *row[:8], WireCredit(*row[8]), *row[9:])
    assert document.body == record["documents"]["default"][0]
    assert document.wire_credit.kind in ("dateline", "byline", "credit line")
    assert document.encoding == article[7] and document.url == article[5]
    assert document.published_ambiguous is record["documents"]["default"][12]


def test_the_language_settles_a_swappable_date():
    text = "Bank raises rates\n\n05/10/2024 12:34\n\n" + "The bank said it would keep rates where they are. " * 8
    rows = _core.clean_batch([("a", "a", text, None, None, None, None, "utf-8", language, None, False)
                              for language in (None, "en-US", "de", "en-GB", "en-CA")], core_settings("default"))
    assert [(row[5], row[12]) for row in rows] == [
        ("2024-05-10T12:34", True), ("2024-05-10T12:34", False), ("2024-10-05T12:34", False),
        ("2024-10-05T12:34", False), ("2024-05-10T12:34", True)]


def test_results_do_not_depend_on_the_thread_count():
    rows = [article_row(record["article"]) for record in ARTICLES]
    settings = core_settings("default")
    one = _core.clean_batch(rows, settings, 1)
    assert _core.clean_batch(rows, settings, 3) == one
    assert _core.clean_batch(rows, settings) == one
    assert _core.clean_batch([], settings) == []


def test_lone_surrogates_come_back_as_themselves():
    text = "KAZAN, Russia (Reuters) - \ud800 said the minister on Thursday in a long statement " * 3
    row = _core.clean_batch([("a", "a", text, None, None, None, None, "utf-8", None, None, False)],
                            core_settings("default"))[0]
    assert "\ud800" in row[0] and row[1] == len(row[0])


# Lines of the kinds the cleaner judges, and any text.
LINES = st.sampled_from([
    "By Jane Doe", "Updated: October 24, 2024 19:25", " date 2024-10-24 Example Times", "\u00a9 Reuters",
    "KAZAN, Russia (Reuters) - Officials said the talks had made progress on trade.", "Home", "Share this article",
    "REUTERS/Maxim Shemetov", "$ 0.295454 8.21% -0.03", "https://example.com/a", "The board approved a dividend.",
    "\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3", "\u0130STANBUL (AP) \u2014", "\t\tIndented line of text",
])
TEXT = st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=12).flatmap(
    lambda parts: st.sampled_from(["\n", "\n\n", "\r\n", " "]).map(lambda joint: joint.join(parts)))
DECLARED = st.one_of(st.none(), st.text(max_size=20), st.sampled_from(["2024-10-24T15:02:00Z", "26-FEB-1987", "05/10/2024"]))
LANGUAGE = st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["en-US", "de", "en_GB"]))


@hypothesis_settings(max_examples=200, derandomize=True, deadline=None)
@given(TEXT, DECLARED, DECLARED, DECLARED, LANGUAGE)
def test_never_fails_on_any_text(text, title, source, published, language):
    for web_page in (False, True):  # a body a page's tree gave is cleaned by other rules
        article = ("a", "a", text, title, source, None, published, "utf-8", language, title, web_page)
        for name in SETTINGS:
            row = _core.clean_batch([article], core_settings(name))[0]
            assert row[1] == len(row[0]) and 0 <= row[11] <= row[10] and row[12] in (True, False)
    assert len(_core.header_batch([text], ["Reuters", "", "\u00df"])) == 1
    assert len(_core.blocks_batch([text], core_settings("default"))) == 1
    assert len(_core.dates_batch([text])) == 1
    assert len(_core.moments_batch([text])) == 1
    assert len(_core.published_pairs_batch([(text, text)])) == 1
