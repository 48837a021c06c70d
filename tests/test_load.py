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
    articles, skipped = _read([tmp_path / "a", tmp_path / "b" / "x.txt"])
    assert len(articles) == 1
    assert "duplicate id 'x'" in skipped[0].reason and str(tmp_path / "a" / "x.txt") in skipped[0].reason


def test_missing_path_and_empty_directory_raise(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        _read([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no article files"):
        _read([tmp_path / "empty"])


# --- ids with several directory arguments (issue 10, item 4) ---


def test_several_directories_qualify_ids_by_the_argument(tmp_path):
    for site in ("site1", "site2"):
        (tmp_path / site).mkdir()
        (tmp_path / site / "story.txt").write_text(f"{TEXT} from {site}")
    articles, skipped = _read(["site1/", "./site2"])
    assert [a.id for a in articles] == ["site1/story", "site2/story"]
    assert skipped == []


def test_one_directory_keeps_relative_ids(tmp_path):
    (tmp_path / "site1").mkdir()
    (tmp_path / "site1" / "story.txt").write_text(TEXT)
    (tmp_path / "loose.txt").write_text(TEXT)
    articles, _ = _read(["site1/", "loose.txt"])
    assert [a.id for a in articles] == ["story", "loose"]


def test_a_real_clash_is_skipped_as_a_duplicate_id_and_warned_by_the_cli(tmp_path):
    from click.testing import CliRunner

    from newsdedup.cli import main

    (tmp_path / "a.jsonl").write_text(json.dumps({"id": "x", "text": TEXT}) + "\n")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "x", "text": TEXT + " more"}) + "\n")
    result = CliRunner().invoke(main, ["cluster", "a.jsonl", "b.jsonl", "--format", "json"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["skipped"][0]["reason"].startswith("duplicate id 'x'")
    assert "duplicate id 'x'" in result.stderr


# --- JSON Lines that must cost one line only (items 5 and 9) ---


@pytest.mark.parametrize("line, reason", [
    ('{"id": "a", "text": ' + "[" * 100_000 + "}", "nested too deeply"),
    ('{"id": "a", "text": "t", "n": ' + "9" * 5000 + "}", "number of 5000 digits"),
    ('{"id": ["a"], "text": "t"}', "bad field: 'id' must be a non-empty string or integer, got list"),
    ('{"id": true, "text": "t"}', "bad field: 'id' must be a non-empty string or integer, got bool"),
    ('{"id": " ", "text": "t"}', "bad field: 'id' is empty"),
    ('{"text": "t"}', "missing field: 'id'"),
    ('{"id": null, "text": "t"}', "missing field: 'id'"),
    ('{"id": "a", "text": 5}', "bad field: 'text' must be a string, got int"),
    ('{"id": "a"}', "missing field: 'text'"),
    ('{"id": "a\\udfff", "text": "t"}', "bad field: 'id' holds a lone surrogate"),
    ('{"id": "a", "text": "t", "title": "t\\udfff"}', "bad field: 'title' holds a lone surrogate"),
    ('{"id": "a", "text": "t", "url": "\\ud800"}', "bad field: 'url' holds a lone surrogate"),
])
def test_a_bad_json_line_is_skipped_with_its_reason_and_the_next_is_read(tmp_path, line, reason):
    good = json.dumps({"id": "good", "text": TEXT})
    (tmp_path / "a.jsonl").write_text(line + "\n" + good + "\n")
    articles, skipped = _read(["a.jsonl"])
    assert [a.id for a in articles] == ["good"]
    assert [item.path for item in skipped] == ["a.jsonl:1"]
    assert reason in skipped[0].reason


def test_a_lone_surrogate_in_the_text_is_replaced_and_said(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "a", "text": "broken \\ud83d emoji and \\udfff"}\n')
    articles, skipped = _read(["a.jsonl"])
    assert skipped == []
    assert articles[0].text == "broken \ufffd emoji and \ufffd"
    assert articles[0].encoding == "utf-8, 2 lone surrogates replaced"


def test_a_surrogate_pair_is_one_character_not_a_lone_surrogate(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "a\\ud83d\\ude00", "text": "smile \\ud83d\\ude00"}\n')
    articles, skipped = _read(["a.jsonl"])
    assert skipped == [] and articles[0].id == "a\U0001F600" and articles[0].encoding == "utf-8"


def test_an_oversized_json_line_is_skipped_without_being_read_whole(tmp_path):
    good = json.dumps({"id": "good", "text": TEXT})
    (tmp_path / "a.jsonl").write_text('{"id": "big", "text": "' + "x" * 5000 + '"}\n' + good + "\n")
    articles, skipped = _read(["a.jsonl"], InputSettings(max_bytes=1000))
    assert [a.id for a in articles] == ["good"]
    assert skipped[0].path == "a.jsonl:1" and skipped[0].reason.startswith("oversized")


def test_article_from_record_validates_one_record():
    from newsdedup.load import article_from_record

    article = article_from_record({"id": 3, "text": TEXT, "title": "T"}, "texts[0]")
    assert article == Article(id="3", path="texts[0]", text=TEXT, title="T")
    assert article_from_record(["x"], "texts[1]").reason.startswith("malformed record")
    assert "'source'" in article_from_record({"id": "a", "text": TEXT, "source": 1}, "texts[2]").reason
    huge = article_from_record({"id": 10 ** 5000, "text": TEXT}, "texts[3]")
    assert isinstance(huge, Skipped) and "'id'" in huge.reason


# --- declared charsets and stray bytes (item 6) ---

GERMAN = "Die Bürgermeisterin äußerte sich über die Änderungen im Haushalt für größere Straßenbauprojekte. " * 5


def test_a_declared_charset_wins_over_detection_despite_a_stray_byte(tmp_path):
    page = f'<html><head><meta charset="utf-8"><title>T</title></head><body><p>{GERMAN}</p></body></html>'
    data = page.encode("utf-8").replace(b"Haushalt", b"Haus\xffhalt", 1)
    (tmp_path / "page.html").write_bytes(data)
    articles, skipped = _read(["page.html"])
    assert skipped == []
    assert "Bürgermeisterin äußerte" in articles[0].text and "Haus\ufffdhalt" in articles[0].text
    assert articles[0].encoding == "utf-8, 1 byte replaced"


@pytest.mark.parametrize("declaration", [
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
    "<meta charset='iso-8859-1'>",
    '<?xml version="1.0" encoding="cp1252"?>',
])
def test_declared_charsets_are_read(tmp_path, declaration):
    page = f"{declaration}<html><body><p>{GERMAN}</p></body></html>"
    (tmp_path / "page.html").write_bytes(page.encode("cp1252"))
    articles, _ = _read(["page.html"])
    assert "Bürgermeisterin äußerte" in articles[0].text and articles[0].encoding == "cp1252"


@pytest.mark.parametrize("label", ["unicode_escape", "raw_unicode_escape", "utf-7", "punycode", "base64", "rot13"])
def test_a_label_that_is_not_a_charset_is_ignored(tmp_path, label):
    page = f'<meta charset="{label}"><title>T \\ud800 +2AA-</title><p>{GERMAN}</p>'
    (tmp_path / "page.html").write_bytes(page.encode("utf-8"))
    articles, skipped = _read(["page.html"])
    assert skipped == [] and articles[0].encoding == "utf-8"
    assert articles[0].title == "T \\ud800 +2AA-" and "Bürgermeisterin" in articles[0].text


def test_a_bom_wins_over_the_declaration(tmp_path):
    page = f'<meta charset="iso-8859-1"><p>{GERMAN}</p>'
    (tmp_path / "page.html").write_bytes(b"\xef\xbb\xbf" + page.encode("utf-8"))
    articles, _ = _read(["page.html"])
    assert "Bürgermeisterin" in articles[0].text and articles[0].encoding == "utf-8"


def test_utf8_text_with_a_stray_byte_stays_utf8(tmp_path):
    (tmp_path / "a.txt").write_bytes(GERMAN.encode("utf-8") + b"\x81 end.")
    articles, _ = _read(["a.txt"])
    assert "Bürgermeisterin äußerte" in articles[0].text and articles[0].encoding == "utf-8, 1 byte replaced"


def test_a_stray_nul_does_not_make_a_text_binary(tmp_path):
    (tmp_path / "a.txt").write_bytes(GERMAN.encode("utf-8").replace(b" ", b"\x00", 1))
    articles, skipped = _read(["a.txt"])
    assert skipped == [] and "Bürgermeisterin" in articles[0].text


# --- special files and symbolic links (item 10) ---


def test_links_out_of_the_folder_and_special_files_are_skipped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(TEXT)
    outside = tmp_path / "secret.txt"
    outside.write_text(TEXT)
    os.symlink(outside, folder / "passwd.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink("ok.txt", folder / "alias.txt")
    os.mkfifo(folder / "pipe.txt")
    articles, skipped = _read(["in"])
    assert [a.id for a in articles] == ["alias", "ok"]
    reasons = {os.path.basename(item.path): item.reason for item in skipped}
    assert reasons["passwd.txt"].startswith("symbolic link out of the input folder")
    assert "--follow-symlinks" in reasons["passwd.txt"]
    assert reasons["zero.txt"].startswith("symbolic link out of the input folder")
    assert reasons["pipe.txt"] == "not a regular file (a FIFO)"


def test_follow_symlinks_reads_links_out_of_the_folder_but_never_devices(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "linked.txt").write_text(TEXT)
    os.symlink(outside / "linked.txt", folder / "file.txt")
    os.symlink(outside, folder / "more")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink(folder, folder / "loop")
    articles, skipped = _read(["in"], InputSettings(follow_symlinks=True))
    assert [a.id for a in articles] == ["file", "more/linked"]
    assert [(os.path.basename(item.path), item.reason) for item in skipped] == [
        ("zero.txt", "not a regular file (a character device)")]


def test_a_linked_directory_out_of_the_folder_is_skipped_with_its_reason(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(TEXT)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "linked.txt").write_text(TEXT)
    os.symlink(tmp_path / "elsewhere", folder / "more")
    articles, skipped = _read(["in"])
    assert [a.id for a in articles] == ["ok"]
    assert skipped[0].path == "in/more" and skipped[0].reason.startswith("symbolic link out of the input folder")


def test_special_files_given_as_arguments_are_skipped(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "ok.txt").write_text(TEXT)
    articles, skipped = _read(["pipe.txt", "/dev/zero", "ok.txt"])
    assert [a.id for a in articles] == ["ok"]
    assert sorted((item.path, item.reason) for item in skipped) == [
        ("/dev/zero", "not a regular file (a character device)"), ("pipe.txt", "not a regular file (a FIFO)")]


def test_the_read_is_bounded_whatever_the_size_says(tmp_path, monkeypatch):
    from newsdedup import load

    (tmp_path / "big.txt").write_text(TEXT * 100)
    real_fstat = os.fstat

    def lying_fstat(descriptor):
        result = real_fstat(descriptor)
        return os.stat_result((*result[:6], 0, *result[7:]))  # a size of 0, as /proc files say

    monkeypatch.setattr(load.os, "fstat", lying_fstat)
    articles, skipped = _read(["big.txt"], InputSettings(max_bytes=1000))
    assert articles == [] and skipped[0].reason.startswith("oversized")


def test_an_unreadable_subdirectory_is_reported(tmp_path, monkeypatch):
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "ok.txt").write_text(TEXT)
    (tmp_path / "in" / "locked" / "lost.txt").write_text(TEXT)
    real_scandir = os.scandir

    def refusing_scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    articles, skipped = _read(["in"])
    assert [a.id for a in articles] == ["ok"]
    assert skipped == [Skipped("in/locked", "unreadable directory: Permission denied")]


def test_a_file_name_that_is_not_utf8_gives_a_printable_id(tmp_path):
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / "in").mkdir()
    with open(os.path.join(os.fsencode(tmp_path / "in"), b"caf\xe9.txt"), "w") as stream:
        stream.write(TEXT)
    articles, _ = _read(["in"])
    assert name != "caf\\xe9.txt"
    assert articles[0].id == "caf\\xe9" and articles[0].path == "in/caf\\xe9.txt"
    articles[0].id.encode("utf-8")


# --- standard input formats (item 19) ---


@pytest.mark.parametrize("stdin_format", ["auto", "text"])
def test_plain_text_on_stdin_is_one_article(stdin_format):
    stdin = io.BytesIO(("\n  " + GERMAN).encode("utf-8"))
    articles, skipped = _read(["-"], InputSettings(stdin_format=stdin_format), stdin=stdin)
    assert skipped == []
    assert [(a.id, a.path) for a in articles] == [("stdin", "<stdin>")] and "Bürgermeisterin" in articles[0].text


def test_auto_reads_json_lines_when_stdin_starts_with_a_brace():
    lines = "\n\n" + json.dumps({"id": "a", "text": TEXT}) + "\n" + json.dumps({"id": "b", "text": TEXT}) + "\n"
    articles, _ = _read(["-"], stdin=io.BytesIO(lines.encode()))
    assert [(a.id, a.path) for a in articles] == [("a", "<stdin>:3"), ("b", "<stdin>:4")]


def test_jsonl_format_reports_text_as_malformed_lines():
    articles, skipped = _read(["-"], InputSettings(stdin_format="jsonl"), stdin=io.BytesIO(b"plain words\n"))
    assert articles == [] and skipped[0].reason.startswith("malformed JSON")


def test_empty_stdin_is_reported():
    articles, skipped = _read(["-"], stdin=io.BytesIO(b" \n"))
    assert articles == [] and skipped == [Skipped("<stdin>", "empty input: nothing on standard input")]


def test_text_on_stdin_is_bounded():
    articles, skipped = _read(["-"], InputSettings(max_bytes=100), stdin=io.BytesIO(b"word " * 1000))
    assert articles == [] and skipped[0].reason.startswith("oversized")


def test_cli_stdin_format_and_follow_symlinks_flags(tmp_path):
    from click.testing import CliRunner

    from newsdedup.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["cluster", "-", "--stdin-format", "text", "--format", "json"],
                           input=b"{ not json, just a brace " + GERMAN.encode())
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["config"]["input"]["stdin_format"] == "text"
    assert [m["id"] for c in report["clusters"] for m in c["members"]] == ["stdin"]
    (tmp_path / "in").mkdir()
    (tmp_path / "elsewhere.txt").write_text(GERMAN)
    os.symlink(tmp_path / "elsewhere.txt", tmp_path / "in" / "linked.txt")
    result = runner.invoke(main, ["cluster", "in", "--follow-symlinks", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["config"]["input"]["follow_symlinks"] is True


def test_an_unknown_stdin_format_is_a_configuration_error():
    from newsdedup.config import load_config
    from newsdedup.errors import ConfigError

    with pytest.raises(ConfigError, match="input.stdin_format: 'xml' is not one of auto, jsonl, text"):
        load_config(environ={"NEWSDEDUP_INPUT__STDIN_FORMAT": "xml"})
    assert load_config(environ={"NEWSDEDUP_INPUT__FOLLOW_SYMLINKS": "yes"}).input.follow_symlinks is True


# --- pages: a declared charset judged, stray control bytes (issue 13 item 3) ---

NEWS_EN = ("NBC\u2019s correspondent said on Tuesday that the talks had \u201cmade real progress\u201d "
           "and that both delegations would meet again in Geneva next week. ")


def test_a_utf8_page_declaring_windows_1252_is_read_as_utf8(tmp_path):
    page = f'<html><head><meta charset="windows-1252"><title>Talks</title></head><body><p>{NEWS_EN * 5}</p></body>'
    (tmp_path / "page.html").write_bytes(page.encode("utf-8"))
    articles, skipped = _read(["page.html"])
    assert skipped == [] and "NBC\u2019s correspondent" in articles[0].text and "â€" not in articles[0].text
    assert articles[0].encoding == "utf-8 (declared cp1252)"


def test_a_cp1252_page_declaring_utf8_names_the_declaration(tmp_path):
    text = "Le président a déclaré que la réunion était très importante pour l'économie française. " * 5
    page = f'<html><head><meta charset="utf-8"><title>T</title></head><body><p>{text}</p></body></html>'
    (tmp_path / "page.html").write_bytes(page.encode("cp1252"))
    articles, skipped = _read(["page.html"])
    assert skipped == [] and "président a déclaré" in articles[0].text
    assert articles[0].encoding == "cp1252 (declared utf-8, 40 bytes not utf-8)"


@pytest.mark.parametrize("stray", [b"\x00", b"\x01", b"\x1b", b"\x7f"])
def test_a_stray_control_byte_does_not_make_a_page_binary(tmp_path, stray):
    page = f'<html><head><meta charset="utf-8"><title>T</title></head><body><p>{GERMAN}</p></body></html>'
    (tmp_path / "page.html").write_bytes(page.encode("utf-8").replace(b"Haushalt", b"Haus" + stray + b"halt", 1))
    articles, skipped = _read(["page.html"])
    assert skipped == [] and "Bürgermeisterin äußerte" in articles[0].text and articles[0].encoding == "utf-8"


@pytest.mark.parametrize("codec, declaration, encoding", [
    ("utf-8", "", "utf-8"),
    ("cp1252", "", "cp1250"),  # detected: this German text is the same bytes in cp1250
    ("cp1252", '<meta charset="iso-8859-1">', "cp1252"),
])
def test_one_nul_in_a_69_kb_page_does_not_make_it_binary(tmp_path, codec, declaration, encoding):
    count = 69_000 // len(f"<p>100. {GERMAN}</p>\n".encode(codec)) + 1
    paragraphs = "".join(f"<p>{index}. {GERMAN}</p>\n" for index in range(count))
    data = f"<html><head>{declaration}<title>Haushalt</title></head><body>{paragraphs}</body></html>".encode(codec)
    data = data[:len(data) // 2] + b"\x00" + data[len(data) // 2:]
    assert 69_000 < len(data) < 70_000
    (tmp_path / "page.html").write_bytes(data)
    articles, skipped = _read(["page.html"])
    assert skipped == [] and "Bürgermeisterin äußerte" in articles[0].text and articles[0].encoding == encoding


# --- a declared byline (issue 13) ---


def test_a_json_lines_byline_is_read_by_both_readers_and_credits_the_wire(tmp_path):
    from newsdedup.pipeline import cluster_articles

    feed = tmp_path / "feed.jsonl"
    records = [{"id": "plain", "text": TEXT, "byline": "Jane Doe, Reuters"},  # read by the core
               {"id": "page", "html": f"<p>{TEXT}</p>", "byline": "Jane Doe, Reuters"},  # read in Python
               {"id": "none", "text": TEXT + " More.", "byline": None}]
    feed.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    articles, skipped = _read([feed])
    assert skipped == [] and [article.byline for article in articles] == ["Jane Doe, Reuters"] * 2 + [None]
    documents = {member.document.id: member.document for cluster in cluster_articles([str(feed)]).clusters
                 for member in cluster.members}
    assert documents["plain"].byline == "Jane Doe, Reuters" and documents["plain"].wire_credit.kind == "byline"
    assert documents["page"].wire_credit.agency == "Reuters"
