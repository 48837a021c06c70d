"""Parquet input: the format corpora come in, read a batch of rows at a time with the JSON Lines rules."""

import datetime
import json
import sys

import pyarrow
import pyarrow.parquet as parquet
import pytest
from click.testing import CliRunner

from labelled import INDEPENDENT, WIRE
from newsdedup.cli import main
from newsdedup.config import InputSettings
from newsdedup.errors import MissingDependencyError
from newsdedup.load import PARQUET_BATCH_ROWS, discover, read_articles
from newsdedup.models import Article, Skipped

STORY = "\n\n".join(WIRE)
OTHER = "\n\n".join(INDEPENDENT)


def _write(path, columns: dict) -> None:
    parquet.write_table(pyarrow.table(columns), path)


def _cluster(*inputs) -> dict:
    result = CliRunner().invoke(main, ["cluster", *map(str, inputs), "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_rows_are_articles_and_cluster_as_json_lines_records_do(tmp_path):
    _write(tmp_path / "corpus.parquet", {
        "id": ["a", "b", "c"], "text": [STORY, STORY + "\n\nAn added closing paragraph of the copy.", OTHER],
        "source": ["Reuters", None, "AP"], "extra": [1, 2, 3]})
    (tmp_path / "same.jsonl").write_text("".join(json.dumps({"id": i, "text": t, "source": s}) + "\n" for i, t, s in (
        ("a", STORY, "Reuters"), ("b", STORY + "\n\nAn added closing paragraph of the copy.", None), ("c", OTHER, "AP"))))
    from_parquet = _cluster(tmp_path / "corpus.parquet")
    from_lines = _cluster(tmp_path / "same.jsonl")
    assert from_parquet["clusters"] == json.loads(json.dumps(from_lines["clusters"]).replace("same.jsonl", "corpus.parquet"))
    assert {member["id"] for member in from_parquet["clusters"][0]["members"]} == {"a", "b"}


def test_bad_rows_are_skipped_by_name_and_the_rest_are_read(tmp_path):
    big = "word " * 2000
    _write(tmp_path / "rows.parquet", {
        "id": ["ok", None, "blank", "big", "7"], "text": [STORY, OTHER, " ", big, OTHER]})
    items = list(read_articles([str(tmp_path / "rows.parquet")], InputSettings(max_bytes=5000)))
    shown = str(tmp_path / "rows.parquet")
    assert [item.id for item in items if isinstance(item, Article)] == ["ok", "7"]
    assert [(item.path, item.reason) for item in items if isinstance(item, Skipped)] == [
        (f"{shown}:2", "missing field: 'id' (a non-empty string or integer) is required"),
        (f"{shown}:3", "empty text"),
        (f"{shown}:4", "oversized: more than input.max_bytes (5000 bytes)"),
    ]


def test_integer_ids_dates_and_html_columns(tmp_path):
    _write(tmp_path / "typed.parquet", {
        "id": pyarrow.array([1, 2], pyarrow.int64()),
        "html": [f"<html><body><article><p>{STORY}</p></article></body></html>", None],
        "text": [None, OTHER],
        "published": pyarrow.array([datetime.datetime(2024, 10, 24, 15, 2), None], pyarrow.timestamp("s"))})
    items = list(read_articles([str(tmp_path / "typed.parquet")], InputSettings()))
    assert [(item.id, item.published, item.web_page) for item in items] == [
        ("1", "2024-10-24T15:02:00", True), ("2", None, False)]


def test_many_rows_are_read_a_batch_at_a_time_in_order(tmp_path):
    count = 2 * PARQUET_BATCH_ROWS + 3
    _write(tmp_path / "many.parquet", {"id": [f"r{n}" for n in range(count)], "text": [f"Story {n}." for n in range(count)]})
    ids = [item.id for item in read_articles([str(tmp_path / "many.parquet")], InputSettings())]
    assert ids == [f"r{n}" for n in range(count)]


def test_a_file_that_is_not_an_article_table_is_skipped_with_the_reason(tmp_path):
    _write(tmp_path / "wrong.parquet", {"title": ["x"], "body": ["y"]})
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    _write(tmp_path / "empty.parquet", {"id": pyarrow.array([], pyarrow.string()), "text": pyarrow.array([], pyarrow.string())})
    _write(tmp_path / "good.parquet", {"id": ["a"], "text": [STORY]})
    report = _cluster(tmp_path / "wrong.parquet", tmp_path / "broken.parquet", tmp_path / "empty.parquet",
                      tmp_path / "good.parquet")
    reasons = {item["path"]: item["reason"] for item in report["skipped"]}
    assert reasons[str(tmp_path / "wrong.parquet")] == (
        "Parquet without the columns of an article: 'id' and 'text' (or 'html') are needed, the file has body, title")
    assert reasons[str(tmp_path / "broken.parquet")].startswith("unreadable Parquet after 0 rows: ")
    assert reasons[str(tmp_path / "empty.parquet")] == "empty file: no Parquet rows"


def test_directories_read_parquet_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder / "part-0.parquet", {"id": ["a"], "text": [STORY]})
    _write(folder / "part-1.parquet", {"id": ["b"], "text": [STORY]})
    report = _cluster(folder)
    assert [sorted(member["id"] for member in cluster["members"]) for cluster in report["clusters"]] == [["a", "b"]]


def test_without_pyarrow_a_parquet_input_is_a_usage_error(tmp_path, monkeypatch):
    _write(tmp_path / "corpus.parquet", {"id": ["a"], "text": [STORY]})
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'newsdedup\[parquet\]'"):
        discover([str(tmp_path / "corpus.parquet")], InputSettings())
    result = CliRunner().invoke(main, ["cluster", str(tmp_path / "corpus.parquet"), "-q"])
    assert result.exit_code == 2 and "newsdedup[parquet]" in result.output
