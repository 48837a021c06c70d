"""The core's readers against the Python rules they take the common case of.

The core reads JSON Lines and plain UTF-8 text files that are surely articles and hands
every other line or file to the Python readers (``_parse_json_line``, ``_read_text_file``),
which name the reasons. So every line must come out as Python would make it: here the
lines the core decided are compared with ``_parse_json_line``'s answer, and the line
numbers and oversized lengths with a reference splitter (the ``readline`` loop the core
replaced).
"""

from __future__ import annotations

import io
import json
import os
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdedup import _core, cluster_texts, load
from newsdedup.clean import article_row
from newsdedup.config import InputSettings
from newsdedup.load import InputFile, _parse_json_line, _read_text_file, read_articles, read_batches
from newsdedup.models import Article, Skipped
from newsdedup.readahead import read_ahead

CHECKS = settings(derandomize=True, deadline=None, database=None, max_examples=300,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TEXT = "A body of an article with enough words to be read as text.\n"


def reference_lines(data: bytes, limit: int) -> list[tuple[int, bytes | int]]:
    """(number, line or length when over ``limit``): the loop the core replaced, on a stream."""
    stream = io.BytesIO(data)
    lines: list[tuple[int, bytes | int]] = []
    while line := stream.readline(limit + 1):
        if len(line) > limit:
            length = len(line)
            while not line.endswith(b"\n"):
                line = stream.readline(1 << 20)
                if not line:
                    break
                length += len(line)
            lines.append((len(lines) + 1, length))
        else:
            lines.append((len(lines) + 1, line))
    return lines


def core_read(data: bytes, limit: int, chunk: int,
              threads: int = 1) -> tuple[list[Article], list[tuple[str, bytes | int]]]:
    """The articles the core decided, and (where, line or length) of every line it left to Python."""
    left: list[tuple[str, bytes | int]] = []

    def explain(line: bytes | int, where: str) -> Skipped:
        left.append((where, line))
        return Skipped(where, "left to Python")

    reader = _core.JsonLinesReader("a.jsonl", limit)
    articles: list[Article] = []
    reads = [reader.feed(data[start:start + chunk], explain, threads) for start in range(0, len(data), chunk)]
    reads.append(reader.finish(explain))
    for batch, skipped, records in reads:
        articles.extend(Article(*row) for row in batch.rows())
        assert records == len(batch) + len(skipped)
    return articles, left


def assert_as_python(data: bytes, limit: int, chunk: int) -> list[Article]:
    """Every line the core decided is the Article Python makes of it; the rest went to Python, unchanged."""
    articles, left = core_read(data, limit, chunk)
    decided = {article.path: article for article in articles}
    undecided = dict(left)
    for number, line in reference_lines(data, limit):
        where = f"a.jsonl:{number}"
        if isinstance(line, int):
            assert undecided.pop(where) == line
        elif not line.strip():
            assert where not in decided and where not in undecided
        elif where in decided:
            assert decided.pop(where) == _parse_json_line(line, where)
        else:
            assert undecided.pop(where) == line
    assert decided == {} and undecided == {}
    return articles


# --- JSON Lines ---

WORDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
SPACES = st.sampled_from(["", " ", "\t", "\u3000", "\u2003", "\x1c", "\x85", "\n", "\r\n"])
TEXTS = st.builds(lambda before, words, after: before + words + after, SPACES, WORDS, SPACES)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=-2**70, max_value=2**70),
                    st.floats(allow_nan=True), TEXTS)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(WORDS, inner, max_size=3)), max_leaves=6)
FIELDS = ("id", "text", "title", "source", "url", "published", "language")


@st.composite
def json_lines(draw: st.DrawFn) -> bytes:
    """One line: mostly a record that is nearly an article, sometimes broken in a way Python names."""
    record = {name: draw(st.one_of(TEXTS, VALUES)) for name in FIELDS if draw(st.booleans())}
    if draw(st.integers(0, 3)):  # mostly the shape of an article, with values at its edges
        record = {name: draw(st.one_of(st.none(), TEXTS)) for name in FIELDS[2:] if draw(st.booleans())}
        record["id"] = draw(st.one_of(WORDS, st.integers(), st.integers(min_value=2**63 - 2, max_value=2**64 + 1)))
        record["text"] = draw(TEXTS)
    record.update(draw(st.dictionaries(WORDS, VALUES, max_size=2)))
    line = json.dumps(record, ensure_ascii=draw(st.booleans()), allow_nan=True)
    damage = draw(st.sampled_from(["none"] * 6 + ["bom", "repeat", "surrogate", "truncate", "bytes", "nan",
                                   "huge", "trailing", "deep", "not an object"]))
    if damage == "bom":
        line = "\ufeff" + line
    elif damage == "repeat" and record:
        name = draw(st.sampled_from(sorted(record)))
        line = line[:-1] + (", " if len(record) else "") + json.dumps(name) + ": " + json.dumps(record[name]) + "}"
    elif damage == "surrogate":
        line = line[:-1] + ', "' + draw(st.sampled_from(list(FIELDS) + ["other"])) + '": "\\ud800x"}'
    elif damage == "truncate":
        line = line[:draw(st.integers(0, len(line)))]
    elif damage == "nan":
        line = line[:-1] + ', "n": ' + draw(st.sampled_from(["NaN", "-Infinity", "1e400", "-0", "1E5", "0.0"])) + "}"
    elif damage == "huge":
        line = line[:-1] + ', "n": ' + "9" * draw(st.sampled_from([19, 20, 300, 309, 310, 4300, 4301])) + "}"
    elif damage == "trailing":
        line += draw(st.sampled_from([" x", "\x0c", "\x0b", " ", "\t", "{}"]))
    elif damage == "deep":
        depth = draw(st.sampled_from([126, 127, 128, 129, 1200]))
        line = line[:-1] + ', "n": ' + "[" * depth + "]" * depth + "}"
    elif damage == "not an object":
        line = json.dumps(draw(VALUES))
    data = line.encode("utf-8", "surrogatepass")
    if damage == "bytes":
        data = draw(st.binary(max_size=40)) + data[draw(st.integers(0, len(data))):]
    return data


@CHECKS
@given(st.lists(st.tuples(json_lines(), st.sampled_from([b"\n", b"\r\n", b"\n\n", b" \n", b"\x0c\n", b"\r\n\r\n"])),
                max_size=8),
       st.integers(1, 300), st.sampled_from([60, 200, 100_000]))
def test_random_lines_give_what_python_gives(lines, chunk, limit):
    assert_as_python(b"".join(line + end for line, end in lines), limit, chunk)


def test_every_bad_line_kind_goes_to_python_and_the_rest_is_read_by_the_core():
    good = [
        {"id": "a", "text": TEXT, "title": "T", "source": "", "url": None, "extra": {"deep": [1, 2.5, None]}},
        {"id": 7, "text": "caf\u00e9 \U0001F600 " + TEXT, "published": "2024-05-10", "language": "fr"},
        {"id": -12, "text": TEXT, "n": 1e300},
    ]
    bad = [
        '{"id": "a", "text": ' + "[" * 2000 + "}", '{"id": "a", "text": "t", "n": ' + "9" * 5000 + "}",
        '{"id": ["a"], "text": "t"}', '{"id": true, "text": "t"}', '{"id": " ", "text": "t"}', '{"text": "t"}',
        '{"id": null, "text": "t"}', '{"id": "a", "text": 5}', '{"id": "a"}', '{"id": "a\\udfff", "text": "t"}',
        '{"id": "a", "text": "t", "title": "t\\udfff"}', '{"id": "a", "text": "broken \\ud83d x"}',
        '{"id": 1.5, "text": "t"}', '{"id": -0, "text": "t"}', '{"id": "a", "text": "t", "id": "b"}',
        '{"id": "a", "text": "t", "n": NaN}', '{"id": "a", "text": "\\u2003"}', '[1]', "not json",
        '{"id": "a", "text": "caf\xe9"}',
    ]
    lines = [json.dumps(record, ensure_ascii=False).encode() for record in good]
    lines.append(b"\xef\xbb\xbf" + lines[0].replace(b'"a"', b'"bom"'))
    lines += [line.encode("latin-1") for line in bad]
    data = b"\r\n".join(lines) + b"\n\n  \n" + b'{"id": "big", "text": "' + b"x" * 500 + b'"}'
    articles, left = core_read(data, 400, 1 << 20)
    assert [article.id for article in articles] == ["a", "7", "-12", "bom"]
    assert len(left) == len(bad) + 1 and left[-1] == (f"a.jsonl:{len(lines) + 3}", 525)
    assert_as_python(data, 400, 7)


def test_the_result_does_not_depend_on_threads_or_chunks():
    data = b"".join(json.dumps({"id": f"n{number}", "text": TEXT * (number % 5 + 1)}).encode() + b"\n"
                    for number in range(500))
    one = core_read(data, 10_000, 1 << 20, threads=1)
    assert one == core_read(data, 10_000, 997, threads=2)
    assert len(one[0]) == 500 and one[1] == []


# --- text files ---


def test_plain_text_files_are_read_by_the_core_and_the_rest_as_before(tmp_path):
    contents = {
        "plain.txt": TEXT.encode(), "unicode.txt": "Grüße aus Köln\u2003\n".encode(), "crlf.txt": b"a\r\nb\x0c\r\n",
        "bom.txt": b"\xef\xbb\xbf" + TEXT.encode(), "latin1.txt": "Bürgermeisterin äußerte".encode("latin-1"),
        "nul.txt": TEXT.encode() + b"\x00", "binary.txt": bytes(range(256)) * 4, "empty.txt": b"",
        "spaces.txt": "\u3000 \n".encode(), "big.txt": TEXT.encode() * 40, "utf16.txt": TEXT.encode("utf-16"),
    }
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    os.mkfifo(tmp_path / "pipe.txt")
    files = [InputFile(str(tmp_path / name), name, name[:-4]) for name in [*contents, "pipe.txt", "gone.txt"]]
    settings = InputSettings(max_bytes=1000)
    explained: list[str] = []

    def explain(position: int) -> _core.ArticleRow | Skipped:
        explained.append(files[position].shown)
        item = _read_text_file(files[position], settings)
        return article_row(item) if isinstance(item, Article) else item

    batch, skipped = _core.read_text_files([(f.path, f.shown, f.id) for f in files], 1000, explain, 2)
    expected = [_read_text_file(file, settings) for file in files]
    assert [Article(*row) for row in batch.rows()] == [item for item in expected if isinstance(item, Article)]
    assert skipped == [item for item in expected if isinstance(item, Skipped)]
    assert sorted(set(contents) - set(explained)) == ["crlf.txt", "plain.txt", "unicode.txt"]


# --- batches, ids, the thread ahead ---


def test_a_repeated_id_is_skipped_naming_the_first_across_batches_and_files(tmp_path):
    (tmp_path / "a.jsonl").write_text("".join(json.dumps({"id": i, "text": TEXT}) + "\n" for i in "xyxzy"))
    (tmp_path / "x.txt").write_text(TEXT)
    items = list(read_batches([str(tmp_path / "a.jsonl"), str(tmp_path / "x.txt")], InputSettings(), batch_size=2))
    batches = [item for item in items if isinstance(item, _core.ArticleBatch)]
    assert [article_id for batch in batches for article_id in batch.ids()] == ["x", "y", "z"]
    path = str(tmp_path / "a.jsonl")
    assert sorted((item.path, item.reason) for item in items if isinstance(item, Skipped)) == sorted([
        (f"{path}:3", f"duplicate id 'x': already read from {path}:1"),
        (f"{path}:5", f"duplicate id 'y': already read from {path}:2"),
        (str(tmp_path / "x.txt"), f"duplicate id 'x': already read from {path}:1"),
    ])


def test_a_read_error_costs_the_rest_of_that_file_only(tmp_path, monkeypatch):
    class Failing(io.RawIOBase):
        def __init__(self) -> None:
            super().__init__()
            self.given = False

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            if self.given:
                raise OSError(5, "Input/output error")
            self.given = True
            return json.dumps({"id": "first", "text": TEXT}).encode() + b"\n{\"id\": \"half"

    (tmp_path / "a.jsonl").write_text("")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "other", "text": TEXT}) + "\n")
    real = load.open_regular
    monkeypatch.setattr(load, "open_regular", lambda path: (Failing(), 0) if path.endswith("a.jsonl") else real(path))
    items = list(read_articles([str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")], InputSettings()))
    assert [item.id for item in items if isinstance(item, Article)] == ["first", "other"]
    assert [item for item in items if isinstance(item, Skipped)] == [
        Skipped(str(tmp_path / "a.jsonl"), "unreadable after 1 records: Input/output error")]


def test_an_article_batch_keeps_lone_surrogates_and_drops_positions():
    rows = [article_row(Article(id=f"a\udc80{number}", path="p", text="t\ud800", title="\udfff"))
            for number in range(4)]
    batch = _core.ArticleBatch(rows)
    assert batch.rows() == rows and batch.ids()[1] == "a\udc801"
    batch.discard([0, 2])
    assert batch.ids() == ("a\udc801", "a\udc803")
    with pytest.raises(IndexError):
        batch.discard([2])
    other = _core.ArticleBatch(rows[:1])
    batch.extend(other)
    assert len(batch) == 3 and len(other) == 0


def test_cluster_texts_takes_articles_with_lone_surrogates():
    result = cluster_texts([Article(id="a", path="p", text=TEXT + " \ud800"), {"id": "a", "text": TEXT}])
    assert [member.document.id for cluster in result.clusters for member in cluster.members] == ["a"]
    assert [item.reason for item in result.skipped] == ["duplicate id 'a': already read from p"]


def test_read_ahead_keeps_order_and_raises_where_the_error_was():
    def numbers():
        yield from range(5)
        raise ValueError("broken")

    seen = []
    with pytest.raises(ValueError, match="broken"):
        for number in read_ahead(numbers(), depth=2):
            seen.append(number)
    assert seen == [0, 1, 2, 3, 4]


def test_read_ahead_stops_its_thread_when_the_consumer_stops():
    closed = threading.Event()

    def endless():
        try:
            while True:
                yield 1
        finally:
            closed.set()

    stream = read_ahead(endless(), depth=2)
    assert next(stream) == 1
    stream.close()
    assert closed.wait(timeout=5)
