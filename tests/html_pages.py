"""Runs and hand-made results for the HTML report's tests (tests/test_html_report.py, tests/browser/)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from newsdedup.changes import Changes, Substitution
from newsdedup.config import load_config
from newsdedup.html_report import write_html
from newsdedup.models import Cluster, Document, Member, Reason, Result, Skipped
from newsdedup.pipeline import cluster_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# Text that would end the data element, open a comment, run script or break a JavaScript string
# if any of it reached the page unescaped; U+2028 and lone surrogates are there too.
HOSTILE = ("</script><script>window.pwned = 1</script><!-- <img src=x onerror=\"window.pwned = 2\">"
           " <\\/script> \u2028\u2029 \ud800 lone \udfff & &amp; \" ' ` ${x} \x00\x1b[31m \U0001f600 -->")


def seeds_result() -> Result:
    return cluster_articles([str(SEEDS)], load_config(), workers=1, keep_bodies=True)


def page(result: Result, workers: int = 1) -> str:
    buffer = io.StringIO()
    write_html(result, buffer, workers=workers)
    return buffer.getvalue()


def page_data(text: str) -> Any:
    """The data element's JSON, read back as the page's script reads it."""
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', text, re.S)
    assert found is not None
    return json.loads(found.group(1))


def _document(identifier: str, body: str, title: str, source: str, path: str) -> Document:
    return Document(id=identifier, path=path, body=body, body_chars=len(body), title=title, source=source,
                    url=f"https://example.com/{HOSTILE}", published="2024-10-24", byline=HOSTILE, dateline=None,
                    wire_credit=None, encoding="utf-8", total_chars=len(body), boilerplate_chars_removed=0)


def hostile_result() -> Result:
    """A cluster of a canonical and a copy whose ids, titles, sources, paths and bodies are all hostile,
    a single article as hostile, and a hostile skipped input."""
    canonical_body = (SEEDS / "001_88b9becdf1984dad.txt").read_text(encoding="utf-8")
    canonical_body = canonical_body.split("\n\n", 1)[1] + "\n\n" + HOSTILE + " closing words of the canonical."
    copy_body = canonical_body.replace("closing words", f"closing {HOSTILE} words") + "\n\nAdded " + HOSTILE
    changes = Changes(words_kept=300, words_cut=0, words_added=20, passages_kept=8, passages_cut=0,
                      passages_added=1, substitution_count=1,
                      substitutions=(Substitution(before=HOSTILE, after=HOSTILE + "!", figure=False, name=True),),
                      headline_differs=True)
    members = (
        Member(_document("a" + HOSTILE, canonical_body, HOSTILE, HOSTILE, "dir/" + HOSTILE), "canonical", 1.0, 1.0,
               changes=None),
        Member(_document("b" + HOSTILE, copy_body, "copy " + HOSTILE, HOSTILE, "x" + HOSTILE), "duplicate",
               0.9, 0.95, changes=changes),
    )
    single = Member(_document("c" + HOSTILE, "A single article. " + HOSTILE, "single " + HOSTILE, HOSTILE,
                              HOSTILE), "canonical", 1.0, 1.0, changes=None)
    return Result(
        clusters=(Cluster(1, "a" + HOSTILE, (Reason("wire", HOSTILE, True), Reason("earliest", HOSTILE, False)),
                          members),
                  Cluster(2, "c" + HOSTILE, (), (single,))),
        skipped=(Skipped(path=HOSTILE, reason=HOSTILE),),
        config={"input": {"note": HOSTILE}},
    )


def many_result(count: int) -> Result:
    """``count`` clusters of two (story ``k`` and its copy with a closing line of its own) and as many
    single articles: more than a page of each."""
    clusters = []
    for number in range(count):
        body = " ".join(f"Story {number} paragraph {line} says the council met on day {line}." for line in range(60))
        pair = (Member(Document(f"story-{number:03d}", "feed.jsonl", body, len(body), f"Story number {number}",
                                "Wire", None, "2024-10-24", None, None, None, "utf-8", len(body), 0),
                       "canonical", 1.0, 1.0, changes=None),
                Member(Document(f"copy-{number:03d}", "feed.jsonl", body + " A line of its own.", len(body) + 18,
                                f"Story number {number}", "Paper", None, "2024-10-25", None, None, None, "utf-8",
                                len(body) + 18, 0),
                       "duplicate", 0.97, 1.0, changes=None))
        clusters.append(Cluster(number + 1, pair[0].document.id, (), pair))
    for number in range(count):
        single = Member(Document(f"single-{number:03d}", "feed.jsonl", "Alone.", 6, f"Single number {number}",
                                 "Other", None, None, None, None, None, "utf-8", 6, 0), "canonical", 1.0, 1.0,
                        changes=None)
        clusters.append(Cluster(count + number + 1, single.document.id, (), (single,)))
    return Result(clusters=tuple(clusters), skipped=())


# A body with no spaces and characters JavaScript counts as two units: the page's offsets and its
# folding of long kept text must not split one.
UNSPACED = ("一二三四五六七八九十一二三四五六七八" + "東京で会議が開かれた。\U0001f600参加者は百人。" * 60  # an emoji at unit 150
            + "\n\n終わり。")
UNSPACED_COPY = UNSPACED.replace("\n\n終わり", "\n\n追加の段落\U0001f4f0。\n\n終わり")


def unspaced_result() -> Result:
    copy_body = UNSPACED_COPY
    members = tuple(
        Member(Document(identifier, "feed.jsonl", body, len(body), "会議", source, None, None, None, None, None,
                        "utf-8", len(body), 0), role, 1.0, 1.0, changes=None)
        for identifier, body, source, role in (("jp-1", UNSPACED, "A", "canonical"), ("jp-2", copy_body, "B", "duplicate")))
    return Result(clusters=(Cluster(1, "jp-1", (), members),), skipped=())
