import io
import json
import os

import pytest

from newsdedup.config import InputSettings
from newsdedup.errors import InputError
from newsdedup.load import read_articles
from newsdedup.models import Article, Skipped

SETTINGS = InputSettings()
TEXT = "A body of an article with enough words to be read as text.\n"


def _read(inputs, settings=SETTINGS, stdin=None):
    items = list(read_articles([str(item) for item in inputs], settings, stdin=stdin))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


def test_directory_ids_are_relative_paths_without_txt(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "b.txt").write_text(TEXT)
    (tmp_path / "in" / "sub" / "a.txt").write_text(TEXT)
    (tmp_path / "in" / "ignored.md").write_text(TEXT)
    articles, skipped = _read(["in"])
    assert [a.id for a in articles] == ["b", "sub/a"]
    assert [a.path for a in articles] == ["in/b.txt", "in/sub/a.txt"]
    assert skipped == []


def test_file_argument_id_is_its_name(tmp_path):
    (tmp_path / "one.txt").write_text(TEXT)
    articles, _ = _read([tmp_path / "one.txt"])
    assert articles[0].id == "one"


def test_json_lines_fields_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "x1", "text": TEXT, "title": "T", "source": "S", "url": "u", "published": "2024-01-02"}),
        "{not json",
        json.dumps({"id": "x2"}),
        json.dumps(["a list"]),
        "",
        json.dumps({"id": 7, "text": TEXT}),
        json.dumps({"id": "x3", "text": "   "}),
        json.dumps({"id": "x4", "text": TEXT, "title": 5}),
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    articles, skipped = _read([tmp_path / "a.jsonl"])
    assert [(a.id, a.title, a.source) for a in articles] == [("x1", "T", "S"), ("7", None, None)]
    reasons = {item.path.rsplit(":", 1)[1]: item.reason for item in skipped}
    assert reasons["2"].startswith("malformed JSON")
    assert "'text'" in reasons["3"]
    assert "JSON object" in reasons["4"]
    assert reasons["7"] == "empty text"
    assert "'title'" in reasons["8"]


def test_stdin_json_lines():
    stdin = io.BytesIO((json.dumps({"id": "s", "text": TEXT}) + "\n").encode())
    articles, _ = _read(["-"], stdin=stdin)
    assert articles[0].id == "s" and articles[0].path == "<stdin>:1"


def test_empty_binary_oversized_and_unreadable_files_are_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("  \n")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 20)
    (folder / "big.txt").write_text(TEXT * 100)
    os.symlink(folder / "missing-target", folder / "gone.txt")
    (folder / "empty.jsonl").write_text("")
    (folder / "ok.txt").write_text(TEXT)
    articles, skipped = _read([folder], InputSettings(max_bytes=1000))
    assert [a.id for a in articles] == ["ok"]
    reasons = {os.path.basename(item.path): item.reason for item in skipped}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["big.txt"].startswith("oversized")
    assert reasons["gone.txt"].startswith("unreadable")
    assert reasons["empty.jsonl"].startswith("empty file")


def test_non_utf8_text_is_detected_and_decoded(tmp_path):
    text = "Le président a déclaré que la réunion était très importante pour l'économie française. " * 3
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    articles, skipped = _read([tmp_path / "latin.txt"])
    assert skipped == []
    assert "président" in articles[0].text and articles[0].encoding != "utf-8"


def test_non_utf8_json_line_is_skipped(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(b'{"id": "a", "text": "caf\xe9 au lait"}\n')
    articles, skipped = _read([tmp_path / "a.jsonl"])
    assert articles == [] and "UTF-8" in skipped[0].reason


def test_duplicate_id_skips_the_later_article_naming_both(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text(TEXT)
    (tmp_path / "b" / "x.txt").write_text(TEXT)
    articles, skipped = _read([tmp_path / "a", tmp_path / "b"])
    assert len(articles) == 1
    assert "duplicate id 'x'" in skipped[0].reason and str(tmp_path / "a" / "x.txt") in skipped[0].reason


def test_missing_path_and_empty_directory_raise(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        _read([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no article files"):
        _read([tmp_path / "empty"])
