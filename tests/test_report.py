"""The human-readable reports: safe to print whatever the articles hold, and fitted to the terminal."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

from conftest import SEEDS
from newsdedup.config import load_config
from newsdedup.drift import compare_reports
from newsdedup.evaluate import evaluate
from newsdedup.index import add_articles, index_stats
from newsdedup.pipeline import cluster_articles
from newsdedup.report import (
    render_drift, render_evaluation, render_index_report, render_index_stats, render_table, to_document,
)

HOSTILE_TITLE = "\x1b[2J\x1b[31mred [bold]loud[/bold] :smile: \u202eevil\u202c\r\nnext\x9b31m"
HOSTILE_ID = "x\x1b[2Jid"
HOSTILE_PATH = "bad\x1b[31m[bold].txt"
WIDTHS = (60, 80, 100, 140, 200)


@pytest.fixture
def hostile(tmp_path):
    """The seeds as JSON Lines with titles, ids and sources that would steer a terminal, plus an
    empty file whose name would, and labels with one id that is not in the input."""
    feed = tmp_path / "feed.jsonl"
    records = []
    for number, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        records.append({"id": HOSTILE_ID if number == 0 else f"{path.stem}\x07",
                        "text": path.read_text(encoding="utf-8"), "title": HOSTILE_TITLE,
                        "source": "[link=https://example.com]src[/link]\x1b]8;;x\x07", "published": "2024-10-24"})
    feed.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    (tmp_path / HOSTILE_PATH).write_text("")
    config = load_config()
    result = cluster_articles([str(feed), str(tmp_path / HOSTILE_PATH)], config, workers=1, keep_bodies=True)
    truth = {record["id"]: str(number) for number, record in enumerate(records)}
    truth["missing\x1b[5m"] = "x"
    return result, truth, config, tmp_path


def _assert_safe(text: str) -> None:
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text), repr(text)


def test_the_cluster_table_shows_control_characters_as_escapes(hostile):
    result, *_ = hostile
    for color in (False, True):
        text = render_table(result, color=color)
        for raw in ("\x1b[2J", "\x1b[31m", "\x07", "\x9b", "\u202e", "\x1b]8"):
            assert raw not in text
        if not color:
            _assert_safe(text)
    plain = render_table(result)
    assert "\\x1b[2J\\x1b[31mred [bold]loud[/bold] :smile: \\u202eevil\\u202c\\r\\nnext\\x9b31m" in plain
    assert "x\\x1b[2Jid" in plain and "[link=https://example.com]src[/link]" in plain
    assert "bad\\x1b[31m[bold].txt" in plain  # the skipped input's line


def test_every_other_table_shows_control_characters_as_escapes(hostile):
    result, truth, config, tmp_path = hostile
    evaluation = evaluate(result, truth, config)
    assert evaluation.false_merges and evaluation.missing  # so the titles and ids are in the table
    rendered = render_evaluation(evaluation, result, "table")
    assert "[bold]loud[/bold]" in rendered and "missing\\x1b[5m" in rendered
    expected = to_document(result)
    moved = {**expected, "clusters": [{**c, "canonical": HOSTILE_ID} for c in expected["clusters"]]}
    drift = render_drift(compare_reports(moved, expected), "golden\x1b[31m[bold].json", "table")
    assert "golden\\x1b[31m[bold].json" in drift
    no_drift = render_drift([], "golden\x1b[31m.json", "table")
    assert "golden\\x1b[31m.json" in no_drift
    target = str(tmp_path / "index\x1b[1m.db")
    report = add_articles([str(tmp_path / "feed.jsonl"), str(tmp_path / HOSTILE_PATH)], target, config, workers=1)
    index_table = render_index_report(report, "table")
    assert "index\\x1b[1m.db" in index_table and "x\\x1b[2Jid" in index_table
    assert "bad\\x1b[31m[bold].txt" in index_table
    stats_table = render_index_stats(index_stats(target), "table")
    assert "index\\x1b[1m.db" in stats_table
    for text in (rendered, drift, no_drift, index_table, stats_table):
        _assert_safe(text)


@pytest.fixture(scope="module")
def seeds_result():
    return cluster_articles([str(SEEDS)], load_config(), workers=1)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_cluster_table_fits_the_width(seeds_result, width):
    text = render_table(seeds_result, width=width)
    lines = text.splitlines()
    assert all(cell_len(line) <= width for line in lines), "\n" + text
    header = lines[0].split()
    assert header[:3] == ["#", "article", "role"] and header[-1] == "title"
    members = [member for cluster in seeds_result.clusters for member in cluster.members]
    for member in members:  # one line per article, its id whole
        assert sum(member.document.id in line for line in lines) == 1, "\n" + text
    canonical = seeds_result.clusters[0]
    for reason in canonical.canonical_reasons:  # one line per reason, cut with … when it does not fit
        marker = "✓" if reason.decisive else "·"
        shown = [line.strip() for line in lines if line.strip().startswith(f"{marker} {reason.detail[:8]}")]
        assert len(shown) == 1, "\n" + text
        line = shown[0][2:]
        assert line == reason.detail or (line.endswith("…") and reason.detail.startswith(line[:-1]))
    assert len(lines) <= len(members) + len(canonical.canonical_reasons) + 3  # header, two lines of counts


def test_columns_go_by_priority_as_the_width_shrinks(seeds_result):
    headers = {width: render_table(seeds_result, width=width).splitlines()[0].split() for width in WIDTHS}
    assert headers[200] == ["#", "article", "role", "sim", "cont", "changed", "source", "published", "title"]
    assert headers[100] == ["#", "article", "role", "sim", "cont", "changed", "title"]
    assert headers[80] == ["#", "article", "role", "sim", "cont", "title"]
    assert headers[60] == ["#", "article", "role", "title"]


def test_without_a_width_nothing_is_cut(seeds_result):
    text = render_table(seeds_result)
    assert "…" not in text
    for cluster in seeds_result.clusters:
        for member in cluster.members:
            assert member.document.title in text
        for reason in cluster.canonical_reasons:
            assert reason.detail in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_single_articles_can_be_left_out_and_the_caption_says_so(seeds_result):
    shown = render_table(seeds_result, width=100, singletons=False)
    assert "003_2e8e95844c9cb9a8" not in shown and "004_1599dfc235326334" not in shown
    assert "001_88b9becdf1984dad" in shown
    assert "5 articles, 3 clusters (1 with copies, 2 duplicates), 0 skipped" in shown
    assert "1 of 3 clusters shown: 2 single articles hidden (--all shows them)" in shown
    everything = render_table(seeds_result, width=100)
    assert "003_2e8e95844c9cb9a8" in everything and "hidden" not in everything


def test_a_long_id_is_never_cut(tmp_path):
    long_id = "https://example.com/news/2024/10/24/a-very-long-article-address-used-as-its-id"
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": long_id, "text": "A short text of a few words only."}) + "\n")
    result = cluster_articles([str(feed)], load_config(), workers=1)
    text = render_table(result, width=60)
    assert long_id in text
    assert text.splitlines()[0].split() == ["#", "article", "role"]  # the id leaves no room for a title
    wide = render_table(result, width=200)
    assert wide.splitlines()[0].split() == ["#", "article", "role", "title"]  # no source, date or copy: no column


def test_on_a_terminal_cluster_shows_clusters_of_copies_unless_all(seeds_dir, monkeypatch):
    from click.testing import CliRunner
    from newsdedup import cli

    monkeypatch.setattr(cli, "_on_terminal", lambda output: output is None)
    monkeypatch.setenv("COLUMNS", "100")
    for command in (["cluster", str(seeds_dir)], ["index", "export", "--index", "news.db"]):
        if command[0] == "index":
            assert CliRunner().invoke(cli.main, ["index", "add", str(seeds_dir), "--index", "news.db", "-q"]).exit_code == 0
        terminal = CliRunner().invoke(cli.main, [*command, "-q"])
        assert terminal.exit_code == 0, terminal.output
        shown = re.sub("\x1b\\[[0-9;]*m", "", terminal.stdout)  # a table on a terminal is in colour
        assert "003_2e8e95844c9cb9a8" not in shown and "2 single articles hidden" in shown
        assert all(len(line) <= 100 for line in shown.splitlines())
        everything = CliRunner().invoke(cli.main, [*command, "--all", "-q"])
        assert "003_2e8e95844c9cb9a8" in everything.stdout and "hidden" not in everything.stdout
    monkeypatch.setattr(cli, "_on_terminal", lambda output: False)
    piped = CliRunner().invoke(cli.main, ["cluster", str(seeds_dir), "-q"])
    assert "003_2e8e95844c9cb9a8" in piped.stdout


def test_warnings_on_stderr_show_control_characters_as_escapes(hostile):
    from click.testing import CliRunner
    from newsdedup.cli import main

    *_, tmp_path = hostile
    for command in (["cluster"], ["index", "add", "--index", str(tmp_path / "news.db")]):
        result = CliRunner().invoke(main, [*command, str(tmp_path / HOSTILE_PATH), str(tmp_path / "feed.jsonl"),
                                           "--format", "json"])
        assert result.exit_code == 0, result.output
        assert "warning: skipped " in result.stderr and "bad\\x1b[31m[bold].txt" in result.stderr
        _assert_safe(result.stderr)


def test_cluster_and_index_lines_name_a_cluster_by_its_canonical_id(seeds_dir, tmp_path):
    import csv
    import io

    from click.testing import CliRunner
    from newsdedup.cli import main

    def run(*args):
        result = CliRunner().invoke(main, [*args, "-q", "--workers", "1"])
        assert result.exit_code == 0, result.output
        return result.stdout

    clustered = [json.loads(line) for line in run("cluster", str(seeds_dir), "--format", "jsonl").splitlines()]
    indexed = [json.loads(line) for line in run("index", "add", str(seeds_dir), "--index", str(tmp_path / "i.db"),
                                                "--format", "jsonl").splitlines()]
    rows = list(csv.DictReader(io.StringIO(run("cluster", str(seeds_dir), "--format", "csv"))))
    expected = {"000_a0337443bc97db64": "001_88b9becdf1984dad", "001_88b9becdf1984dad": "001_88b9becdf1984dad",
                "002_930d4dede8731adf": "001_88b9becdf1984dad", "003_2e8e95844c9cb9a8": "003_2e8e95844c9cb9a8",
                "004_1599dfc235326334": "004_1599dfc235326334"}
    for records in (clustered, indexed, rows):
        assert {record["id"]: record["cluster"] for record in records} == expected
    shared = ("id", "cluster", "cluster_size", "path", "title", "source", "published")
    assert sorted(tuple(line[key] for key in shared) for line in clustered) == \
        sorted(tuple(line[key] for key in shared) for line in indexed)
    assert {line["cluster_number"] for line in clustered} == {1, 2, 3}


def test_the_readme_sample_is_what_a_100_column_terminal_shows(seeds_result):
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = readme.split("$ newsdedup cluster seeds/\n", 1)[1].split("```", 1)[0]
    assert sample == render_table(seeds_result, width=100, singletons=False)


def test_visible_names_each_kind_of_control_character():
    from newsdedup.terminal import visible

    assert visible("a\tb\nc\rd") == "a\\tb\\nc\\rd"
    assert visible("\x1b[31m\x7f\x9b\x00") == "\\x1b[31m\\x7f\\x9b\\x00"
    assert visible("\u202eabc\u2066\u2028") == "\\u202eabc\\u2066\\u2028"
    assert visible("Ελληνικά 日本語 \u200fعربي [b]x[/b] :smile:") == "Ελληνικά 日本語 \u200fعربي [b]x[/b] :smile:"
    assert visible(None) == ""


@pytest.mark.parametrize("width", WIDTHS)
def test_wide_characters_count_two_cells(tmp_path, width):
    feed = tmp_path / "feed.jsonl"
    records = [{"id": path.stem, "text": path.read_text(encoding="utf-8"), "source": "日本経済新聞 電子版",
                "title": "プーチン大統領、北朝鮮軍の派遣報道を否定せず 🇷🇺🇰🇵 " * 3} for path in sorted(SEEDS.glob("*.txt"))]
    feed.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    text = render_table(cluster_articles([str(feed)], load_config(), workers=1), width=width)
    assert all(cell_len(line) <= width for line in text.splitlines()), "\n" + text
    assert text.count("…") >= 5


@pytest.mark.parametrize("width", WIDTHS)
def test_the_index_eval_and_drift_tables_fit_the_width_with_ids_whole(seeds_result, tmp_path, width):
    config = load_config()
    report = add_articles([str(SEEDS)], "news.db", config, workers=1)
    truth = {member.document.id: str(number) for number, cluster in enumerate(seeds_result.clusters)
             for member in cluster.members}
    truth["000_a0337443bc97db64"] = "elsewhere"
    evaluation = evaluate(cluster_articles([str(SEEDS)], config, workers=1, keep_bodies=True), truth, config)
    golden = to_document(seeds_result)
    apart = {**golden, "clusters": [{**c, "members": [m]} for c in golden["clusters"] for m in c["members"]]}
    for text in (render_index_report(report, "table", width=width),
                 render_evaluation(evaluation, seeds_result, "table", width=width),
                 render_drift(compare_reports(apart, golden), "golden.json", "table", width=width)):
        lines = text.splitlines()
        assert all(cell_len(line) <= width for line in lines), "\n" + text
        assert any("000_a0337443bc97db64" in line for line in lines)
        ids = {member.document.id for cluster in seeds_result.clusters for member in cluster.members}
        assert set(re.findall(r"(?<![/\w])[0-9]{3}_[0-9a-f]*", text)) <= ids, "an id was cut\n" + text
