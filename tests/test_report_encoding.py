"""The JSON, JSON Lines and CSV writers give exactly the bytes of the standard library's encoding
(``json.dumps(..., ensure_ascii=False)``, csv rows of the JSON Lines fields) whatever a Result holds."""

from __future__ import annotations

import csv
import io
import json
import math
import struct
from unittest import mock

import orjson
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsdedup import _core, jsontext, models
from newsdedup.config import Config
from newsdedup.models import (
    Article, Changes, Cluster, ClusterTable, ClusterTableBuilder, Document, Member, Reason, Result, Skipped,
    Substitution, WireCredit,
)
from newsdedup.pipeline import cluster_articles, cluster_texts
from newsdedup.report import (
    CSV_COLUMNS, LINE_FIELDS, _article_line, _score, to_document, write_csv, write_json, write_jsonl,
)

FOUR_DECIMALS = [k / 10000 for k in range(0, 10001)]


def _orjson_text(value):
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()


def test_orjson_writes_every_float_plain_float_accepts_as_the_standard_library():
    """Every score is one of these (``round(x, 4)`` in [0, 1]): checked one by one, and the sign of zero."""
    for value in [*FOUR_DECIMALS, -0.0]:
        assert jsontext.plain_float(value)
        assert _orjson_text(value) == json.dumps(value), value


@given(st.floats(min_value=0.0001, max_value=1.0))
def test_orjson_writes_any_float_from_a_ten_thousandth_to_one_as_repr(value):
    assert jsontext.plain_float(value) and _orjson_text(value) == repr(value)


def test_plain_float_turns_away_the_floats_orjson_writes_otherwise():
    for value in (math.nan, math.inf, -math.inf, 1e-05, 1e-07, 0.00009999, 1.5, 1e16, -0.5):
        assert not jsontext.plain_float(value), value
    assert _orjson_text(1e-07) != json.dumps(1e-07) and _orjson_text(math.nan) != json.dumps(math.nan)


def test_orjson_escapes_text_as_the_standard_library():
    """Every character that is not a surrogate: controls as lowercase ``\\u001f``, DEL, U+2028,
    U+2029 and everything else kept as they are."""
    text = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    assert _orjson_text({"t": text}) == json.dumps({"t": text}, ensure_ascii=False, indent=2)


def _neighbours(value):
    bits = struct.unpack("<q", struct.pack("<d", value))[0]
    return [struct.unpack("<d", struct.pack("<q", bits + step))[0] for step in (-2, -1, 0, 1, 2)]


def test_score_rounds_as_round_at_every_half_ten_thousandth_and_around_it():
    """Ties and near-ties are where a scaled product could round the wrong way."""
    for k in range(0, 10001):
        for value in _neighbours((k + 0.5) / 10000) + _neighbours(k / 10000):
            assert repr(_score(value)) == repr(round(value, 4)), value


@given(st.one_of(st.floats(), st.floats(min_value=0.0, max_value=1.0), st.integers(-2**70, 2**70)))
@example(-0.0)
@example(-0.00001)
@example(1)
def test_score_is_round_to_four_decimals(value):
    expected = round(value, 4)
    assert repr(_score(value)) == repr(expected) and type(_score(value)) is type(expected)


# Text with what JSON escapes (controls, quotes, backslashes) and what it keeps (U+2028, U+2029,
# DEL, C1 controls, non-ASCII, emoji); in one Result of three, lone surrogates too (the writers
# must give the standard library's text for those as well: the stream decides what becomes of them).
CHARACTERS = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(["\x00", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", '"', "\\", "\n", "\r", "\t", "\b", "\f",
                     "é", "中", "😀", "\U0010fffd"]),
)
TEXT = st.text(CHARACTERS, max_size=12)
WITH_SURROGATES = TEXT | st.text(st.sampled_from(["\ud800", "\udcff", "a"]), max_size=3)
ODD_FLOATS = st.sampled_from([0.0, -0.0, 1.0, 0.0001, 0.00005, 1e-05, 1e-07, 1e16, 1e22, 2.5, -0.3, math.nan,
                              math.inf, -math.inf, 0.1 + 0.2, 5e-324])
SCORES = st.floats(min_value=0.0, max_value=1.0) | ODD_FLOATS
INTEGERS = st.integers(0, 10**6) | st.integers(-2**130, 2**130) | st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64,
                                                                                     -2**63, -2**63 - 1])


@st.composite
def documents(draw, text):
    total = draw(st.integers(0, 10**6))
    optional = st.none() | text
    credit = draw(st.none() | st.builds(WireCredit, agency=text, evidence=text, kind=text))
    return Document(id=draw(text), path=draw(text), body="", body_chars=draw(st.integers(0, 10**6) | INTEGERS),
                    title=draw(optional), source=draw(optional), url=draw(optional), published=draw(optional),
                    byline=draw(optional), dateline=draw(optional), wire_credit=credit, encoding=draw(text),
                    total_chars=total, boilerplate_chars_removed=draw(st.integers(0, total) | INTEGERS),
                    published_ambiguous=draw(st.booleans()))


def changes(text):
    counts = st.integers(0, 10**6)
    edits = st.lists(st.builds(Substitution, before=text, after=text, figure=st.booleans(), name=st.booleans()),
                     max_size=3)
    return st.none() | st.builds(Changes, words_kept=counts, words_cut=counts, words_added=counts,
                                 passages_kept=counts, passages_cut=counts, passages_added=counts,
                                 substitution_count=counts, substitutions=edits.map(tuple),
                                 headline_differs=st.booleans())


@st.composite
def clusters(draw, number, text):
    scores = st.floats(min_value=0.0, max_value=1.0) | SCORES
    members = draw(st.lists(st.builds(Member, document=documents(text), role=st.sampled_from(["canonical", "duplicate"]),
                                      similarity=scores, containment=scores, changes=changes(text)),
                            min_size=1, max_size=4))
    reasons = draw(st.lists(st.builds(Reason, criterion=text, detail=text, decisive=st.booleans()), max_size=2))
    return Cluster(id=number, canonical=members[0].document.id, canonical_reasons=tuple(reasons),
                   members=tuple(members))


CONFIG_VALUES = st.recursive(
    st.none() | st.booleans() | INTEGERS | st.floats() | ODD_FLOATS | WITH_SURROGATES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8,
)


@st.composite
def results(draw):
    text = draw(st.sampled_from([TEXT, TEXT, WITH_SURROGATES]))
    count = draw(st.integers(0, 8))
    return Result(clusters=tuple(draw(clusters(number, text)) for number in range(1, count + 1)),
                  skipped=tuple(draw(st.lists(st.builds(Skipped, path=text, reason=text), max_size=3))),
                  config=draw(st.dictionaries(TEXT, CONFIG_VALUES, max_size=4)))


def _written(write, result):
    stream = io.StringIO()
    write(result, stream)
    return stream.getvalue()


def _reference_jsonl(result):
    lines = [_article_line(cluster, member) for cluster in result.clusters for member in cluster.members]
    lines += [{"id": None, "cluster": None, "path": item.path, "skipped": item.reason} for item in result.skipped]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _reference_csv(result):
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for cluster in result.clusters:
        for member in cluster.members:
            line = _article_line(cluster, member)
            line["changes"] = "" if member.changes is None else member.changes.label()
            writer.writerow([("" if line[key] is None else str(line[key]).lower() if isinstance(line[key], bool)
                              else line[key]) for key in LINE_FIELDS] + [""])
    for item in result.skipped:
        writer.writerow([item.path if key == "path" else "" for key in LINE_FIELDS] + [item.reason])
    return stream.getvalue()


def test_text_that_looks_like_the_clusters_place_stays_text():
    """The writer once split the outline at a placeholder string, which a skipped reason or a
    config value could hold too (found by the test below)."""
    for text in ("\x00clusters\x00", '\n  "clusters": []', "clusters"):
        result = Result(clusters=(), skipped=(Skipped(path="", reason=text),), config={"clusters": text, text: [text]})
        assert _written(write_json, result) == json.dumps(to_document(result), ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=300, deadline=None)
@given(results(), st.sampled_from([1, 2, 3, jsontext.BATCH_ITEMS]))
def test_the_writers_give_the_standard_librarys_text_for_any_result(result, batch_items):
    """Batches of 1 to 3 items make every cluster and line a batch of its own, or put a plain
    one and one that falls back in one batch."""
    with mock.patch.object(jsontext, "BATCH_ITEMS", batch_items):
        assert _written(write_json, result) == json.dumps(to_document(result), ensure_ascii=False, indent=2) + "\n"
        assert _written(write_jsonl, result) == _reference_jsonl(result)
    assert _written(write_csv, result) == _reference_csv(result)


# A run's ClusterTable: the core writes its clusters from the document table (report._cluster_chunks).
STORY = ("The central bank raised interest rates by a quarter point on Thursday, its third increase this "
         "year, citing persistent inflation in services and in wages across the region. ") * 3
LEADS = ["", "LONDON (Reuters) - ", "WASHINGTON (AP) \u2014 ", "By Jane Doe\nAssociated Press\n\n"]
DATES = st.sampled_from([None, "05/10/2024", "2024-05-10T12:00:00+02:00", "10 May 2024", "2024-13-45"])


@st.composite
def corpora(draw):
    """A folder of a JSON Lines feed (copies of one story among other texts, random metadata) and
    files in other encodings."""
    text = draw(st.sampled_from([TEXT, TEXT, WITH_SURROGATES]))
    records = []
    for number in range(draw(st.integers(1, 7))):
        body = draw(st.sampled_from([STORY, STORY + draw(text), draw(text) + " other words entirely"]))
        record = {"id": f"{draw(text)}#{number}", "text": draw(st.sampled_from(LEADS)) + body}
        for key in ("title", "source", "url"):
            if draw(st.booleans()):
                record[key] = draw(text)
        record["published"] = draw(DATES | text)
        records.append(record)
    files = {"feed.jsonl": "".join(json.dumps(record) + "\n" for record in records).encode()}
    if draw(st.booleans()):
        files["cp1252.txt"] = ("Title: \u00dcber \u201cquotes\u201d\n\n" + STORY + " caf\u00e9").encode("cp1252")
    if draw(st.booleans()):
        files["broken.txt"] = STORY.encode() + b" \xff\xfe bytes that are not UTF-8"
    return files


def _cluster_run(files, tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return cluster_articles([str(folder)], Config())


@settings(max_examples=80, deadline=None)
@given(corpora(), st.sampled_from([1, 2, 3, 2000]))
def test_the_core_writes_a_runs_clusters_as_the_standard_library(tmp_path_factory, files, members_per_read):
    """Reports of real runs (wire credits, ambiguous dates, other encodings, escapes, lone
    surrogates) against ``json.dumps`` of the same clusters; small spans mix spans the core
    writes with spans it turns down."""
    result = _cluster_run(files, tmp_path_factory)
    assert isinstance(result.clusters, ClusterTable)
    with mock.patch.object(models, "_MEMBERS_PER_READ", members_per_read):
        assert _written(write_json, result) == json.dumps(to_document(result), ensure_ascii=False, indent=2) + "\n"
        assert _written(write_jsonl, result) == _reference_jsonl(result)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_the_core_writes_any_scores_and_reasons_as_the_standard_library(tmp_path_factory, data):
    """Random groupings of a run's documents with random scores (odd floats included) and reasons."""
    result = _cluster_run(data.draw(corpora()), tmp_path_factory)
    documents = result.clusters.documents
    order = data.draw(st.permutations(range(len(documents))))
    builder = ClusterTableBuilder(documents)
    start = 0
    while start < len(order):
        size = data.draw(st.integers(1, len(order) - start))
        members = order[start:start + size]
        scores = [(data.draw(SCORES), data.draw(SCORES)) for _ in members[1:]]
        reasons = data.draw(st.lists(st.builds(Reason, criterion=WITH_SURROGATES, detail=TEXT,
                                               decisive=st.booleans()), max_size=2))
        builder.add(members, scores, tuple(reasons))
        start += size
    made = Result(clusters=builder.numbered(), skipped=result.skipped, config=result.config)
    with mock.patch.object(models, "_MEMBERS_PER_READ", data.draw(st.sampled_from([1, 3, 2000]))):
        assert _written(write_json, made) == json.dumps(to_document(made), ensure_ascii=False, indent=2) + "\n"
        assert _written(write_jsonl, made) == _reference_jsonl(made)


def test_the_core_writes_the_clusters_of_plain_runs():
    """Without a lone surrogate or an odd float, no span falls back to Python."""
    result = cluster_texts([{"id": str(number), "text": LEADS[number % 4] + STORY} for number in range(8)]
                           + [{"id": "x", "text": "Something else \x00 \"entirely\" \\ \u2028 \U0001f600"}])
    for name, write, reference in (("clusters_json", write_json, json.dumps(to_document(result), ensure_ascii=False,
                                                                            indent=2) + "\n"),
                                   ("clusters_jsonl", write_jsonl, _reference_jsonl(result))):
        answers = []
        real = getattr(_core, name)

        def spied(*arguments, real=real, answers=answers):
            answers.append(real(*arguments))
            return answers[-1]

        with mock.patch.object(_core, name, spied), mock.patch.object(models, "_MEMBERS_PER_READ", 2):
            assert _written(write, result) == reference
        assert len(answers) > 1 and all(isinstance(answer, str) for answer in answers)


def test_a_run_with_lone_surrogates_is_written_by_python_as_the_standard_library():
    """Articles given as objects keep their lone surrogates in the document table: the core turns
    their span down, and the Python path writes the standard library's escapes."""
    result = cluster_texts([Article(id="a\ud800", path="p\udcff", text=STORY, title="t\udcff"),
                            Article(id="b", path="q", text=STORY)])
    assert result.clusters[0].members[0].document.id == "a\ud800"
    assert _core.clusters_json(result.clusters.documents, 1, [0, 1], [0, 2], [1.0, 1.0], [1.0, 1.0], []) is None
    assert _written(write_json, result) == json.dumps(to_document(result), ensure_ascii=False, indent=2) + "\n"
    assert _written(write_jsonl, result) == _reference_jsonl(result)
