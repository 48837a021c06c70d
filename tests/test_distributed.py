"""The batch run on Dask (cluster --scheduler): the local run's report, byte for byte, whatever the
partitions, the workers, or a worker lost in the middle of the run."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow
import pyarrow.parquet as parquet
import pytest
from click.testing import CliRunner

from labelled import LOCAL, labelled_set
from newsdedup import distributed, pipeline
from newsdedup.cli import main
from newsdedup.config import Config
from newsdedup.distributed import cluster_on_dask, connect
from newsdedup.errors import ConfigError, MissingDependencyError
from newsdedup.pipeline import cluster_articles
from newsdedup.report import render_json, write_report

distributed_package = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    """Two worker processes on this machine, shared by the tests of this module."""
    found = connect("local:2")
    yield found
    distributed.close(found)


def _report(result, output_format: str = "json") -> str:
    import io

    stream = io.StringIO()
    write_report(result, output_format, stream)
    return stream.getvalue()


def _corpus(folder: Path) -> list[str]:
    """A corpus in every input form, cut into many partitions by a small partition size: a JSON Lines
    file (exact copies on other days, a broken line, an id given twice), a Parquet file of several row
    groups, a folder of text files, and an empty JSON Lines file."""
    texts, _ = labelled_set()
    records = []
    for number, (article_id, text) in enumerate(sorted(texts.items())):
        records.append({"id": article_id, "text": text, "published": f"2024-10-{20 + number % 5}"})
        for copy in range(1, 3):
            records.append({"id": f"{article_id}/copy{copy}", "text": text + ("\n\n" + LOCAL if copy == 2 else "")})
    lines = [json.dumps(record) for record in records]
    lines.insert(7, "{not json")
    lines.insert(12, json.dumps({"id": records[3]["id"], "text": "The same id again, read second."}))
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "empty.jsonl").write_text("\n\n" * 40000, encoding="utf-8")
    table = pyarrow.table({"id": [f"pq-{record['id']}" for record in records[::3]],
                           "text": [record["text"] for record in records[::3]]})
    parquet.write_table(table, folder / "rows.parquet", row_group_size=4)
    pages = folder / "pages"
    pages.mkdir()
    for number, record in enumerate(records[1::4]):
        (pages / f"{number:03d}.txt").write_text(record["text"], encoding="utf-8")
    return [str(folder / "feed.jsonl"), str(folder / "empty.jsonl"), str(folder / "rows.parquet"), str(pages)]


def test_the_seeds_report_is_the_local_one(client, seeds_dir):
    local = cluster_articles([str(seeds_dir)], Config())
    on_dask = cluster_on_dask([str(seeds_dir)], client, Config())
    for output_format in ("json", "jsonl", "csv"):
        assert _report(on_dask, output_format) == _report(local, output_format)
    assert [cluster.canonical[:4] for cluster in on_dask.clusters if cluster.size > 1] == ["001_"]


@pytest.mark.parametrize("partition_bytes", [2_000, 50_000, 1 << 30])
def test_every_input_form_in_many_partitions_gives_the_local_report(client, tmp_path, partition_bytes):
    inputs = _corpus(tmp_path)
    local = cluster_articles(inputs, Config())
    on_dask = cluster_on_dask(inputs, client, Config(), partition_bytes=partition_bytes)
    assert render_json(on_dask) == render_json(local)
    assert [item.reason.split(":")[0] for item in on_dask.skipped] == [
        "empty file", "duplicate id 'rewrite'", "malformed JSON"]


def test_exact_copies_and_changes_are_the_local_run_s(client, tmp_path, monkeypatch):
    """A run with exact copies takes the local run's collapsed path; the Dask run compares every pair:
    the same clusters, scores, canonicals and changes."""
    inputs = _corpus(tmp_path)
    collapsed = []
    collapse = pipeline.collapsed_star_clusters
    monkeypatch.setattr(pipeline, "collapsed_star_clusters",
                        lambda *args, **kwargs: collapsed.append(1) or collapse(*args, **kwargs))
    local = cluster_articles(inputs, Config())
    assert collapsed and any(cluster.size >= 3 for cluster in local.clusters)
    on_dask = cluster_on_dask(inputs, client, Config(), partition_bytes=10_000)
    changed = [member.changes for cluster in on_dask.clusters for member in cluster.members if member.changes]
    assert changed and _report(on_dask, "jsonl") == _report(local, "jsonl")


SHARED_REUTERS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl"


@pytest.mark.skipif(not SHARED_REUTERS.exists(), reason="the Reuters-21578 corpus is in ../shared (CI has it)")
def test_the_wire_corpus_and_reuters_reports_are_the_local_ones(client, tmp_path):
    """The issue's real corpora: Reuters-21578 as it is, and the labelled wire corpus built from it."""
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "make_wire_corpus.py"
    subprocess.run([sys.executable, str(script), "--reuters", str(SHARED_REUTERS), "--out", str(tmp_path / "wire"),
                    "--size", "3000"], check=True, capture_output=True)
    for corpus in (str(SHARED_REUTERS), str(tmp_path / "wire" / "articles")):
        local = cluster_articles([corpus], Config())
        on_dask = cluster_on_dask([corpus], client, Config(), partition_bytes=4 << 20)
        assert local.duplicate_count > 700
        assert _report(on_dask, "jsonl") == _report(local, "jsonl")


def test_the_command_runs_on_a_local_cluster(seeds_dir):
    args = ["cluster", str(seeds_dir), "--format", "json", "-q"]
    local = CliRunner().invoke(main, args)
    on_dask = CliRunner().invoke(main, [*args, "--scheduler", "local:1"])
    assert on_dask.exit_code == 0, on_dask.output
    assert on_dask.stdout == local.stdout


def test_the_html_report_shows_the_bodies_the_workers_kept(seeds_dir, tmp_path):
    pages = []
    for extra in ([], ["--scheduler", "local:1"]):
        page = tmp_path / f"report{len(extra)}.html"
        done = CliRunner().invoke(main, ["cluster", str(seeds_dir), "--format", "html", "-q", "-o", str(page), *extra])
        assert done.exit_code == 0, done.output
        pages.append(page.read_bytes())
    assert pages[0] == pages[1]
    assert "Putin" in pages[1].decode()


def test_inputs_with_no_article_fail_as_a_local_run_does(client, tmp_path):
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(32)) * 10)
    local = cluster_articles([str(tmp_path)], Config())
    on_dask = cluster_on_dask([str(tmp_path)], client, Config())
    assert render_json(on_dask) == render_json(local)
    assert on_dask.article_count == 0 and len(on_dask.skipped) == 2
    done = CliRunner().invoke(main, ["cluster", str(tmp_path), "--scheduler", "local:1", "-q"])
    assert done.exit_code == 1 and "no article could be read" in done.stderr


def test_a_scheduler_that_does_not_answer_is_a_usage_error(seeds_dir, monkeypatch):
    monkeypatch.setattr(distributed, "CONNECT_SECONDS", 1)
    result = CliRunner().invoke(main, ["cluster", str(seeds_dir), "--scheduler", "tcp://127.0.0.1:9", "-q"])
    assert result.exit_code == 2
    assert "--scheduler tcp://127.0.0.1:9: no Dask scheduler answered within 1 s" in result.stderr
    assert "Traceback" not in result.output


class _FakeClient:
    """What _check_workers asks a client: whether a worker comes, and each worker's version."""

    def __init__(self, versions=None, workers_come=True):
        self.versions = versions or {}
        self.workers_come = workers_come

    def wait_for_workers(self, count, timeout):
        if not self.workers_come:
            raise TimeoutError

    def run(self, function):
        if isinstance(self.versions, Exception):
            raise self.versions
        return self.versions


def test_workers_of_another_version_or_none_at_all_are_usage_errors():
    from newsdedup import _core

    distributed._check_workers(_FakeClient({"tcp://a:1": _core.__version__}), "tcp://s:8786")
    with pytest.raises(ConfigError, match=r"must run newsdedup .*: tcp://b:1 has 0\.0\.1"):
        distributed._check_workers(_FakeClient({"tcp://a:1": _core.__version__, "tcp://b:1": "0.0.1"}), "tcp://s:8786")
    with pytest.raises(ConfigError, match="a worker cannot run newsdedup"):
        distributed._check_workers(_FakeClient(ModuleNotFoundError("No module named 'newsdedup'")), "tcp://s:8786")
    with pytest.raises(ConfigError, match=r"no worker after \d+ s; start some \(dask worker tcp://s:8786\)"):
        distributed._check_workers(_FakeClient(workers_come=False), "tcp://s:8786")


def test_a_cluster_that_fails_the_run_is_a_message_and_exit_1(seeds_dir, monkeypatch):
    from distributed.comm import CommClosedError

    def lose_the_scheduler(*args, **kwargs):
        raise CommClosedError("in <TCP (closed)>: Stream is closed")

    monkeypatch.setattr(distributed, "_run", lose_the_scheduler)
    done = CliRunner().invoke(main, ["cluster", str(seeds_dir), "--scheduler", "local:1", "-q"])
    assert done.exit_code == 1
    assert "failed the run (CommClosedError: in <TCP (closed)>" in done.stderr and "Traceback" not in done.output


@pytest.mark.parametrize("scheduler", ["local:0", "local:two"])
def test_a_bad_number_of_local_workers_is_a_usage_error(seeds_dir, scheduler):
    result = CliRunner().invoke(main, ["cluster", str(seeds_dir), "--scheduler", scheduler, "-q"])
    assert result.exit_code == 2
    assert "number of local workers must be 1 to 1024" in result.stderr


def test_standard_input_cannot_go_to_workers(seeds_dir):
    result = CliRunner().invoke(main, ["cluster", "-", "--scheduler", "local:1", "-q"], input='{"id": "a"}\n')
    assert result.exit_code == 2
    assert "standard input ('-') cannot be read by a cluster's workers" in result.stderr


def test_without_dask_the_option_names_the_extra(seeds_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingDependencyError, match=r"pip install 'newsdedup\[dask\]'"):
        connect("local:1")
    result = CliRunner().invoke(main, ["cluster", str(seeds_dir), "--scheduler", "local", "-q"])
    assert result.exit_code == 2


# A real scheduler and two workers, as on a cluster: one worker is killed while the run goes on.


def _start(*command: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


@pytest.fixture
def scheduler_and_workers(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes on loopback (no nanny: a killed worker stays dead)."""
    address_file = tmp_path / "scheduler.json"
    processes = [_start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                        "--no-dashboard", "--scheduler-file", str(address_file))]
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() or not address_file.read_text():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        workers = [_start("distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny",
                          "--no-dashboard", "--host", "127.0.0.1") for _ in range(2)]
        processes.extend(workers)
        yield address, workers
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _story_corpus(path: Path, stories: int = 400) -> None:
    """JSON Lines of generated stories, each with a few copies (cut, extended, re-dated)."""
    import random

    draw = random.Random(14)
    words = [f"{draw.choice('bcdfgklmnprstvz')}{draw.choice('aeiou')}{draw.choice('lmnrst')}{n % 97}"
             for n in range(5000)]
    with path.open("w", encoding="utf-8") as stream:
        for story in range(stories):
            paragraphs = [" ".join(draw.choice(words) for _ in range(40)) + "." for _ in range(6)]
            text = "\n\n".join(paragraphs)
            stream.write(json.dumps({"id": f"s{story:04d}", "text": text}) + "\n")
            for copy in range(draw.randrange(0, 4)):
                version = "\n\n".join(paragraphs[:5]) if copy == 1 else text + ("\n\n" + LOCAL if copy else "")
                stream.write(json.dumps({"id": f"s{story:04d}-c{copy}", "text": version}) + "\n")


def test_a_worker_killed_mid_run_leaves_the_report_unchanged(scheduler_and_workers, tmp_path):
    address, workers = scheduler_and_workers
    corpus = tmp_path / "stories.jsonl"
    _story_corpus(corpus)
    local = cluster_articles([str(corpus)], Config())
    client = connect(address)
    try:
        client.wait_for_workers(2, timeout=60)
        killed = []

        def kill_a_worker_once_some_partitions_are_done(stage, done, total):
            if stage == "fingerprint" and total is None and not killed:
                workers[0].send_signal(signal.SIGKILL)
                workers[0].wait()
                killed.append(done)

        result = cluster_on_dask([str(corpus)], client, Config(), on_progress=kill_a_worker_once_some_partitions_are_done,
                                 partition_bytes=40_000)
        assert killed and killed[0] < local.article_count
        assert len(client.nthreads()) == 1  # the run finished on the worker left
    finally:
        distributed.close(client)
    assert render_json(result) == render_json(local)
    ids = [member.document.id for cluster in result.clusters for member in cluster.members]
    assert len(ids) == len(set(ids)) == local.article_count  # nothing lost, nothing twice
