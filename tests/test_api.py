"""The library: clustering and indexing texts held in memory, the names it exports, the README's example."""

from __future__ import annotations

import doctest
import json
import re

import pytest

import newsdedup
from conftest import ROOT
from newsdedup import Article, Index, Result, cluster_articles, cluster_texts


def _seed_records(seeds_dir) -> list[dict]:
    return [{"id": path.stem, "text": path.read_text(encoding="utf-8")} for path in sorted(seeds_dir.glob("*.txt"))]


def _answer(result: Result) -> list:
    """Who is with whom, the canonical choice, its reasons and every score: all but where each article came from."""
    return [(cluster.canonical, cluster.canonical_reasons,
             [(m.document.id, m.role, m.similarity, m.containment, m.document.title) for m in cluster.members])
            for cluster in result.clusters]


def test_cluster_texts_answers_as_cluster_does_for_the_same_records(seeds_dir, tmp_path, capsys):
    records = _seed_records(seeds_dir)
    feed = tmp_path / "seeds.jsonl"
    feed.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    in_memory = cluster_texts(record for record in reversed(records))  # any iterable, any order
    assert _answer(in_memory) == _answer(cluster_articles([str(feed)]))
    assert in_memory.duplicate_count == 2
    assert sorted(m.document.path for c in in_memory.clusters for m in c.members) == [f"<item {n}>" for n in range(5)]
    assert capsys.readouterr() == ("", "")  # the library never prints


def test_items_may_be_articles_and_bad_ones_are_skipped_saying_which(seeds_dir):
    records = _seed_records(seeds_dir)
    first = records[0]
    items = [Article(id=first["id"], path="desk/first.txt", text=first["text"]), *records[1:],
             {"id": "no-text"}, 42, {**records[1], "title": 7}, {"id": first["id"], "text": "the same id again"},
             {"id": "blank", "text": "   "}]
    result = cluster_texts(items)
    assert result.article_count == 5
    assert [(item.path, item.reason) for item in result.skipped] == [
        ("<item 5>", "missing field: 'text' (a string) is required, or 'html' (a saved page's HTML)"),
        ("<item 6>", "malformed record: expected a JSON object, got int"),
        ("<item 7>", "bad field: 'title' must be a string, got int"),
        ("<item 8>", f"duplicate id {first['id']!r}: already read from desk/first.txt"),
        ("<item 9>", "empty text"),
    ]


def test_index_adds_and_queries_texts_as_it_does_files(seeds_dir, tmp_path, capsys):
    records = _seed_records(seeds_dir)
    with Index(str(tmp_path / "news.db")) as index:  # a new index takes the built-in settings
        added = index.add_texts(records[:1] + records[3:] + [{"id": "broken"}])
        assert [verdict.status for verdict in added.verdicts] == ["new", "new", "new"]
        assert [item.path for item in added.skipped] == ["<item 3>"]
        asked = index.query_texts(iter(records[1:3]))
        assert [(v.document.id, v.status, v.cluster) for v in asked.verdicts] == [
            (records[1]["id"], "copy", records[0]["id"]), (records[2]["id"], "copy", records[0]["id"])]
        index.add_texts(records[1:3])
        assert _answer(index.export()) == _answer(cluster_texts(records))
    assert capsys.readouterr() == ("", "")


def test_the_package_exports_what_its_all_lists():
    assert {"Article", "Index", "Result", "cluster_texts", "cluster_articles", "load_config"} <= set(newsdedup.__all__)
    for name in newsdedup.__all__:
        assert getattr(newsdedup, name) is not None


def test_the_readme_library_example_runs_as_shown(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Library\n(.*?)^## ", readme, re.S | re.M)
    assert section, "README has no Library section"
    examples = doctest.DocTestParser().get_doctest(section.group(1), {}, "README.md Library", "README.md", 0)
    assert len(examples.examples) >= 5
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(examples, out=lambda text: pytest.fail(text, pytrace=False))
    assert runner.summarize(verbose=False).failed == 0
