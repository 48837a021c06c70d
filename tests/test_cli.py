import csv
import io
import json
import shutil
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from newsdedup.cli import main

SEED_COPIES = {"000_a0337443bc97db64", "001_88b9becdf1984dad", "002_930d4dede8731adf"}


def _run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_cluster_seeds_json_is_the_right_answer(seeds_dir):
    result = _run("cluster", str(seeds_dir), "--format", "json", "--quiet")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert list(report)[0] == "schema_version"
    first, *rest = report["clusters"]
    assert {m["id"] for m in first["members"]} == SEED_COPIES
    assert first["canonical"] == "001_88b9becdf1984dad"
    assert first["members"][0]["role"] == "canonical" and first["members"][0]["id"] == first["canonical"]
    assert any(reason["decisive"] for reason in first["canonical_reasons"])
    assert [c["size"] for c in rest] == [1, 1]
    assert report["stats"] == {"articles": 5, "clusters": 3, "duplicate_clusters": 1, "duplicates": 2, "skipped": 0}


def test_json_is_byte_identical_run_after_run(seeds_dir):
    first = _run("cluster", str(seeds_dir), "--format", "json", "-q").stdout
    assert _run("cluster", str(seeds_dir), "--format", "json", "-q").stdout == first


def test_result_does_not_depend_on_input_order(seeds_dir, tmp_path):
    lines = [json.dumps({"id": p.stem, "text": p.read_text()}) for p in sorted(seeds_dir.glob("*.txt"))]
    forward = _run("cluster", "-", "--format", "json", "-q", input="\n".join(lines)).stdout
    backward = _run("cluster", "-", "--format", "json", "-q", input="\n".join(reversed(lines))).stdout
    strip = lambda text: [[(m["id"], m["role"]) for m in c["members"]] for c in json.loads(text)["clusters"]]
    assert strip(forward) == strip(backward)
    assert forward.replace("<stdin>:", "") .count("001_88b9becdf1984dad") == backward.count("001_88b9becdf1984dad")


def test_table_names_the_canonical_and_the_reasons(seeds_dir):
    result = _run("cluster", str(seeds_dir))
    assert result.exit_code == 0
    assert "001_88b9becdf1984dad" in result.stdout and "★ canonical" in result.stdout
    assert "wire dateline" in result.stdout
    assert "5 articles, 3 clusters" in result.stdout and result.stderr.startswith("done in")


@pytest.mark.parametrize("output_format", ["table", "json", "jsonl", "csv"])
def test_the_counts_and_the_skipped_inputs_are_said_once(seeds_dir, tmp_path, output_format):
    """The table on stdout ends with the counts and the skipped inputs, so stderr does not repeat them;
    the data formats leave them to the summary on stderr, which is for people."""
    folder = tmp_path / "in"
    shutil.copytree(seeds_dir, folder)
    (folder / "empty.txt").write_text("")
    result = _run("cluster", str(folder), "--format", output_format)
    assert result.exit_code == 0
    said = result.stdout + result.stderr
    assert said.count("5 articles, 3 clusters") == 1
    assert said.count("empty.txt: empty file") == 1
    to_file = _run("cluster", str(folder), "--format", output_format, "-o", str(tmp_path / "report"))
    assert "5 articles, 3 clusters" in to_file.stderr and "empty.txt: empty file" in to_file.stderr


@pytest.mark.parametrize("output_format", ["table", "json", "jsonl", "csv"])
def test_index_commands_say_their_summary_once_and_hold_their_peace_with_q(seeds_dir, tmp_path, output_format):
    index = str(tmp_path / "news.db")
    commands = {
        "add": (["index", "add", str(seeds_dir), "--index", index], "5 articles"),
        "query": (["index", "query", str(seeds_dir), "--index", index], "5 articles"),
        "export": (["index", "export", "--index", index], "5 articles, 3 clusters"),
        "stats": (["index", "stats", "--index", index], "5 articles in 3 clusters"),
        "prune": (["index", "prune", "--before", "2000-01-01", "--index", index], "pruned 0 articles"),
    }
    for name, (args, summary) in commands.items():
        result = _run(*args, "--format", output_format)
        assert result.exit_code == 0, (name, result.output)
        if output_format == "table":
            assert summary not in result.stderr, name
        else:
            assert result.stderr.count(summary) == 1, (name, result.stderr)
        quiet = _run(*args, "--format", output_format, "-q")
        assert quiet.exit_code == 0 and quiet.stderr == "", (name, quiet.stderr)


def test_jsonl_and_csv_have_one_row_per_article(seeds_dir):
    rows = [json.loads(line) for line in _run("cluster", str(seeds_dir), "--format", "jsonl", "-q").stdout.splitlines()]
    assert len(rows) == 5 and sum(row["is_canonical"] for row in rows) == 3
    assert {row["cluster"] for row in rows if row["id"] in SEED_COPIES} == {"001_88b9becdf1984dad"}
    table = list(csv.DictReader(io.StringIO(_run("cluster", str(seeds_dir), "--format", "csv", "-q").stdout)))
    assert len(table) == 5 and table[0]["is_canonical"] == "true"


def test_output_file(seeds_dir, tmp_path):
    target = tmp_path / "report.json"
    result = _run("cluster", str(seeds_dir), "--format", "json", "-o", str(target), "-q")
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["stats"]["articles"] == 5


def test_bad_inputs_are_skipped_and_reported(seeds_dir, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(seeds_dir, folder)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\xff" * 50)
    (folder / "feed.jsonl").write_text('{"id": "j1", "text": "short"}\n{oops\n')
    result = _run("cluster", str(folder), "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    skipped = {item["path"].rsplit("/", 1)[-1]: item["reason"] for item in report["skipped"]}
    assert set(skipped) == {"empty.txt", "binary.txt", "feed.jsonl:2"}
    assert report["stats"]["articles"] == 6
    assert "warning: skipped" in result.stderr


def test_usage_and_configuration_errors_exit_2(seeds_dir, tmp_path):
    assert _run("cluster", str(tmp_path / "missing")).exit_code == 2
    assert _run("cluster", str(seeds_dir), "--format", "xml").exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("verify:\n  min_contanment: 0.5\n")
    result = _run("cluster", str(seeds_dir), "--config", str(bad))
    assert result.exit_code == 2 and "verify.min_contanment" in result.stderr and "Traceback" not in result.output
    result = _run("cluster", str(seeds_dir), "--set", "verify.min_containment=2")
    assert result.exit_code == 2 and "out of range" in result.stderr


def test_nothing_to_read_exits_1(tmp_path):
    (tmp_path / "empty").mkdir()
    result = _run("cluster", str(tmp_path / "empty"))
    assert result.exit_code == 1 and "no article files" in result.stderr
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "blank.txt").write_text("")
    result = _run("cluster", str(tmp_path / "only"), "--format", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)["skipped"][0]["reason"] == "empty file"


def test_flags_override_the_config_file(seeds_dir, tmp_path):
    (tmp_path / "config.yaml").write_text("verify:\n  min_containment: 0.99\n")
    strict = json.loads(_run("cluster", str(seeds_dir), "--format", "json", "-q").stdout)
    assert strict["config"]["verify"]["min_containment"] == 0.99
    assert strict["stats"]["duplicates"] == 0
    relaxed = json.loads(_run("cluster", str(seeds_dir), "--threshold", "0.6", "--format", "json", "-q").stdout)
    assert relaxed["stats"]["duplicates"] == 2


def test_python_dash_m_and_version():
    import subprocess
    import sys
    completed = subprocess.run([sys.executable, "-m", "newsdedup", "--version"], capture_output=True, text=True)
    assert completed.returncode == 0 and "newsdedup" in completed.stdout


def test_progress_reports_every_stage_in_order_and_ends_complete(seeds_dir):
    from newsdedup.config import load_config
    from newsdedup.pipeline import cluster_articles

    seen: list[tuple[str, int, int | None]] = []
    cluster_articles([str(seeds_dir)], load_config(environ={}), on_progress=lambda *call: seen.append(call))
    stages = list(dict.fromkeys(stage for stage, _, _ in seen))
    assert stages == ["read", "fingerprint", "index", "verify", "cluster"]
    last = {stage: (done, total) for stage, done, total in seen}
    assert last["read"] == (5, 5) and last["fingerprint"] == (5, 5)
    assert all(done == total for done, total in last.values())


def test_no_progress_on_stderr_when_it_is_not_a_terminal(seeds_dir):
    result = CliRunner().invoke(main, ["cluster", str(seeds_dir), "--format", "json"])
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # the summary line only
    assert result.stderr.startswith("5 articles, 3 clusters")


def test_the_json_report_written_a_cluster_at_a_time_is_json_dumps_of_the_whole(seeds_dir, tmp_path):
    from newsdedup.config import load_config
    from newsdedup.models import Result, Skipped
    from newsdedup.pipeline import cluster_articles
    from newsdedup.report import render_json, to_document

    result = cluster_articles([str(seeds_dir)], load_config(environ={}))
    empty = Result(clusters=(), skipped=(Skipped("x.txt", "empty file"),), config={"a": 1})
    for case in (result, empty):
        assert render_json(case) == json.dumps(to_document(case), ensure_ascii=False, indent=2) + "\n"
    written = tmp_path / "report.json"
    assert CliRunner().invoke(main, ["cluster", str(seeds_dir), "--format", "json", "-o", str(written)]).exit_code == 0
    assert written.read_text(encoding="utf-8") == render_json(result)


def _commands(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def test_every_command_helps_with_examples():
    for path, command in _commands(main):
        text = _run(*path, "--help").stdout
        assert "Examples:" in text and "newsdedup " + " ".join(path) in text.split("Examples:")[1], path


def test_command_lists_are_never_cut_off():
    for path in [(), *(path for path, command in _commands(main) if isinstance(command, click.Group))]:
        commands = _run(*path, "--help").stdout.split("Commands:")[1]
        assert "..." not in commands and "…" not in commands, (path, commands)
    for path, command in _commands(main):  # click's fish completion cuts a description at its first comma
        assert "," not in command.get_short_help_str(limit=1000), path


def test_help_names_file_kinds_environment_variables_and_what_threshold_sets():
    text = _run("cluster", "--help").stdout
    flat = " ".join(text.split())
    for kind in (".txt", ".html", ".htm", ".jsonl", ".ndjson", ".parquet"):
        assert kind in flat
    assert "env var: NEWSDEDUP_WORKERS" in flat and "env var: NEWSDEDUP_CONFIG" in flat
    assert "NEWSDEDUP_SECTION__KEY" in flat
    assert "sets verify.min_containment" in flat
    assert "env var: NEWSDEDUP_INDEX" in " ".join(_run("index", "add", "--help").stdout.split())


def test_shell_completion_as_the_readme_sets_it_up():
    """The README's bash line, then what bash asks when TAB follows `newsdedup index st`."""
    import os
    import subprocess
    bin_folder = str(Path(sys.executable).parent)
    script = ('eval "$(_NEWSDEDUP_COMPLETE=bash_source newsdedup)"; COMP_WORDS=(newsdedup index st); COMP_CWORD=2; '
              '_newsdedup_completion newsdedup; echo "${COMPREPLY[@]}"')
    completed = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                               env={**os.environ, "PATH": bin_folder + os.pathsep + os.environ["PATH"]})
    assert completed.returncode == 0 and completed.stdout.split() == ["stats"], completed.stderr
