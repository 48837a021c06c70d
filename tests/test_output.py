"""Where reports go: stdout that is closed or full, and -o files that must never be left half-written."""

import errno
import json
import os
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

import newsdedup.cli
from newsdedup.cli import main
from conftest import ROOT

FORMATS = ("table", "json", "jsonl", "csv")
COMMAND = [sys.executable, "-m", "newsdedup", "cluster", str(ROOT / "seeds")]


def _run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(output_format):
    with open("/dev/full", "w") as full:
        completed = subprocess.run([*COMMAND, "--format", output_format], stdout=full, stderr=subprocess.PIPE,
                                   text=True)
    assert completed.returncode == 1
    errors = [line for line in completed.stderr.splitlines() if "rror" in line]
    assert errors == ["Error: cannot write the report to stdout: No space left on device"], completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_pipe_closed_before_the_report_ends_quietly_with_exit_0(output_format):
    process = subprocess.Popen([*COMMAND, "--format", output_format], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the first byte, as after `| head -0`
    stderr = process.stderr.read().decode()
    assert process.wait() == 0, stderr
    assert "rror" not in stderr and "Traceback" not in stderr and "Exception" not in stderr


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("redirect", ["-q", "2>&1"])
def test_head_1_gets_the_first_line_and_the_exit_code_is_0(output_format, redirect):
    """Also with stderr in the same pipe: the summary after the report meets the closed pipe too."""
    command = " ".join(f"'{part}'" for part in [*COMMAND, "--format", output_format])
    completed = subprocess.run(["bash", "-c", f"set -o pipefail; {command} {redirect} | head -1"],
                               capture_output=True, text=True)
    assert completed.returncode == 0 and completed.stderr == ""
    assert len(completed.stdout.splitlines()) == 1


def test_a_closed_pipe_keeps_the_verdict_of_a_check(tmp_path):
    """The reader leaving early is no failure of ours, but it does not turn drift into success."""
    command = [sys.executable, "-m", "newsdedup", "check", str(ROOT / "seeds"), "--expect",
               str(ROOT / "tests" / "golden" / "seeds.json"), "--set", "verify.min_containment=0.99", "-q"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait() == 1 and "3 change(s)" in stderr and "Traceback" not in stderr


def test_a_closed_stdout_is_one_line_and_exit_1():
    completed = subprocess.run([*COMMAND, "--format", "json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, preexec_fn=lambda: os.close(1))
    assert completed.returncode == 1
    assert completed.stderr.splitlines()[-1].startswith("Error: cannot write the report to stdout")
    assert "Traceback" not in completed.stderr


def _failing_after_half(monkeypatch):
    """Make the report writer die half-way, as a full disk would."""
    def write_half_then_fail(result, output_format, stream, **_):
        stream.write('{"schema_version": 1, "clusters": [')
        stream.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(newsdedup.cli, "write_report", write_half_then_fail)


def test_a_failed_write_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    good = tmp_path / "good.json"
    assert _run("cluster", str(ROOT / "seeds"), "--format", "json", "-o", str(good), "-q").exit_code == 0
    before = good.read_bytes()
    _failing_after_half(monkeypatch)
    result = _run("cluster", str(ROOT / "seeds"), "--format", "json", "-o", str(good), "-q")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {good}: cannot write the report (No space left on device)\n"
    assert good.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["good.json"]  # no temporary file left behind


def test_a_new_report_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        assert _run("cluster", str(ROOT / "seeds"), "-o", str(tmp_path / "new.txt"), "-q").exit_code == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.txt").st_mode) == 0o644
    (tmp_path / "kept.txt").write_text("old")
    os.chmod(tmp_path / "kept.txt", 0o600)
    assert _run("cluster", str(ROOT / "seeds"), "-o", str(tmp_path / "kept.txt"), "-q").exit_code == 0
    assert stat.S_IMODE(os.stat(tmp_path / "kept.txt").st_mode) == 0o600


def test_a_symlinked_report_is_written_through_the_link(tmp_path):
    (tmp_path / "real.json").write_text("old")
    (tmp_path / "link.json").symlink_to("real.json")
    result = _run("cluster", str(ROOT / "seeds"), "--format", "json", "-o", str(tmp_path / "link.json"), "-q")
    assert result.exit_code == 0
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "real.json").read_text())["stats"]["articles"] == 5


def test_a_fifo_is_written_in_place_never_renamed_over(tmp_path):
    fifo = tmp_path / "reader"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = _run("cluster", str(ROOT / "seeds"), "--format", "jsonl", "-o", str(fifo), "-q")
        received = os.read(reader, 1 << 20).decode()
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert len(received.splitlines()) == 5


def test_the_golden_update_is_atomic_too(tmp_path, monkeypatch):
    golden = tmp_path / "golden.json"
    golden.write_text("previous, reviewed")

    def fail(*args, **kwargs):
        raise OSError(errno.EIO, os.strerror(errno.EIO))
    monkeypatch.setattr(newsdedup.cli.os, "fsync", fail)
    result = _run("check", str(ROOT / "seeds"), "--expect", str(golden), "--update", "-q")
    assert result.exit_code == 1 and "Input/output error" in result.stderr
    assert golden.read_text() == "previous, reviewed" and sorted(os.listdir(tmp_path)) == ["golden.json"]


@pytest.mark.parametrize("to_file", [False, True])
def test_a_lone_surrogate_cannot_kill_the_writer(tmp_path, monkeypatch, to_file):
    """Text the loader let through with a lone surrogate is written as a visible escape, never a crash."""
    from newsdedup import _core, report

    original = report._member

    def with_surrogate(member):
        return {**original(member), "title": "broken \udcff title"}
    monkeypatch.setattr(report, "_member", with_surrogate)
    # The core turns down a span with a lone surrogate (it has no UTF-8 form): the Python path writes it.
    monkeypatch.setattr(_core, "clusters_json", lambda *arguments: None)
    target = tmp_path / "out.json"
    args = ["cluster", str(ROOT / "seeds"), "--format", "json", "-q"] + (["-o", str(target)] if to_file else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8") if to_file else result.stdout
    document = json.loads(text)  # \udcff is also how JSON writes that code point
    assert document["clusters"][0]["members"][0]["title"] == "broken \udcff title"
    assert "broken \\udcff title" in text
