"""A run's documents kept in the core (DocumentTable) and its clusters made when read (ClusterTable)."""

from __future__ import annotations

import pickle

import pytest
from click.testing import CliRunner

from newsdedup import _core, models
from newsdedup.clean import article_row, clean_all
from newsdedup.cli import main
from newsdedup.config import Config
from newsdedup.models import Article, ClusterTable, Result
from newsdedup.pipeline import cluster_articles, cluster_texts, prepare, prepare_batches

WIRE = ("LONDON (Reuters) - The central bank held its main rate at 5.25 percent on Thursday, "
        "as inflation eased for a third month and wage growth slowed across the economy.\n\n"
        "Officials said further moves would depend on the data, and markets priced a cut by March.\n")

# Every field that can hold text, with lone surrogates (a JSON "\ud800" escape, or a file name
# read with surrogateescape), a missing url, another encoding, and ids out of order.
ARTICLES = [
    Article(id="b", path="feeds/b.txt", text="Rates held\n\nBy Jane Doe\n\n" + WIRE, url="https://x.example/b",
            published="05/10/2024"),
    Article(id="a\ud800", path="feeds/\udcff.txt", text="Title \udc80 here\n\n" + WIRE + "Tail \ud83d.\n",
            title="T\udc80", source="S\ud800", encoding="cp1252"),
    Article(id="\U0001f600", path="p", text=WIRE, url=None, published="2024-05-10T09:30:00+01:00",
            language="en-GB"),
    Article(id="\ue000", path="p2", text="", encoding="utf-8 (replaced 2 bytes)"),
    Article(id="a", path="p3", text="Short.\n", source="AP"),
]
BATCH = _core.ArticleBatch([article_row(article) for article in ARTICLES])


@pytest.mark.parametrize("keep_bodies", [True, False])
def test_documents_from_the_table_are_what_cleaning_makes(keep_bodies):
    config = Config()
    expected = clean_all(ARTICLES, config.boilerplate, config.canonical)
    documents = [document for document, _ in prepare(ARTICLES, config, keep_bodies=keep_bodies)]
    if not keep_bodies:
        expected = [models.Document(**{**{slot: getattr(document, slot) for slot in models.Document.__slots__
                                          if not slot.startswith("__")}, "body": ""}) for document in expected]
    assert documents == expected
    assert any(document.wire_credit is not None for document in documents)


def test_the_table_orders_ids_as_python_orders_strs():
    [(table, encoded)] = list(prepare_batches([BATCH], Config()))
    assert len(table) == len(encoded) == len(ARTICLES)
    order = table.order_by_id()
    assert [ARTICLES[position].id for position in order] == sorted(article.id for article in ARTICLES)
    table.reorder(order)
    assert table.ids() == sorted(article.id for article in ARTICLES)
    assert table.published() == [document.published for document in models.documents_at(table, range(len(table)))]
    assert [table.ids()[position] for position in table.other_encodings()] == ["a\ud800", "\ue000"]


def test_the_table_refuses_what_it_cannot_answer():
    [(table, _)] = list(prepare_batches([BATCH], Config()))
    with pytest.raises(ValueError, match="appears twice"):
        table.reorder([0, 0, 1, 2, 3])
    with pytest.raises(ValueError, match="positions for 5 documents"):
        table.reorder([0])
    with pytest.raises(IndexError, match="out of range"):
        table.rows([5])
    with pytest.raises(ValueError, match="itself"):
        table.extend(table)
    other = _core.DocumentTable()
    other.extend(table)
    assert other.rows([4, 0]) == table.rows([4, 0])
    assert table.held_bytes() > 0


def test_a_run_s_clusters_behave_as_the_tuple_of_them(seeds_dir):
    result = cluster_articles([str(seeds_dir)])
    assert isinstance(result.clusters, ClusterTable)
    clusters = tuple(result.clusters)
    assert result.clusters == clusters and clusters == result.clusters
    assert result == Result(clusters=clusters, skipped=result.skipped, config=result.config)
    assert len(result.clusters) == len(clusters) == 3
    assert [result.clusters[index] for index in range(-3, 3)] == [*clusters, *clusters]
    assert result.clusters[1:] == clusters[1:] and result.clusters[::2] == clusters[::2]
    assert hash(result.clusters) == hash(clusters)
    assert [cluster.id for cluster in clusters] == [1, 2, 3]
    with pytest.raises(IndexError):
        result.clusters[3]
    tupled = Result(clusters=clusters, skipped=())
    assert (result.article_count, result.duplicate_clusters, result.duplicate_count) == \
        (tupled.article_count, tupled.duplicate_clusters, tupled.duplicate_count) == (5, 1, 2)
    assert result.clusters != clusters[:2] and result.clusters != "not clusters"
    assert pickle.loads(pickle.dumps(result)) == result  # the clusters travel as a tuple


@pytest.mark.parametrize("members_per_read", [1, 3])
def test_clusters_read_a_few_members_at_a_time_are_the_same(seeds_dir, monkeypatch, members_per_read):
    whole = tuple(cluster_articles([str(seeds_dir)]).clusters)
    monkeypatch.setattr(models, "_MEMBERS_PER_READ", members_per_read)
    assert tuple(cluster_articles([str(seeds_dir)]).clusters) == whole


def test_clusters_are_numbered_largest_first_then_by_canonical_id():
    records = [{"id": article_id, "text": text} for article_id, text in [
        ("z-1", WIRE), ("z-2", WIRE), ("m", "Another story entirely, about the harvest and the rain in the north."),
        ("c-1", WIRE.replace("LONDON", "PARIS") + "More."), ("b", "A third story: the match ended two all."),
    ]]
    result = cluster_texts(records)
    shape = [(cluster.size, cluster.canonical) for cluster in result.clusters]
    assert shape == sorted(shape, key=lambda item: (-item[0], item[1])) and shape[1:] == [(1, "b"), (1, "m")]
    assert shape[0][0] == 3 and [cluster.id for cluster in result.clusters] == [1, 2, 3]


def test_documents_not_read_as_utf8_are_found_without_a_pass_over_every_document():
    result = cluster_texts(ARTICLES)
    tupled = Result(clusters=tuple(result.clusters), skipped=())
    assert [document.id for document in result.documents_not_utf8()] == ["a\ud800", "\ue000"]
    assert result.documents_not_utf8() == tupled.documents_not_utf8()


def test_the_cli_warns_about_each_article_not_read_as_utf8(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "latin.txt").write_bytes(WIRE.replace("central", "c\xe9ntral").encode("cp1252"))
    (folder / "plain.txt").write_text(WIRE.replace("LONDON", "PARIS"), encoding="utf-8")
    run = CliRunner().invoke(main, ["cluster", str(folder), "--format", "json"])
    assert run.exit_code == 0
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "latin.txt: read as " in warnings[0] and "utf-8" not in warnings[0]
