"""The persistent index: same answers as `cluster`, crash safety and concurrent writers.

Every test runs on SQLite and on a real Redis server started on loopback. Without a
redis-server on the machine the Redis cases are skipped, unless REQUIRE_REDIS=1 (CI
sets it) makes that a failure.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from labelled import labelled_set
from newsdedup.cli import main

REQUIRE_REDIS = os.environ.get("REQUIRE_REDIS") == "1"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A throwaway redis-server on a free loopback port; yields its base URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        if REQUIRE_REDIS:
            pytest.fail("REQUIRE_REDIS=1 but there is no redis-server on PATH")
        pytest.skip("no redis-server on PATH (apt-get install redis-server)")
    pytest.importorskip("redis")
    import redis

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(workdir), "--databases", "64"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.RedisError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


_databases = iter(range(1, 64))


@pytest.fixture(params=["sqlite", "redis"])
def target(request, tmp_path) -> str:
    """An empty index: an SQLite path, or a fresh Redis database."""
    if request.param == "sqlite":
        return str(tmp_path / "index.db")
    url = f"{request.getfixturevalue('redis_server')}/{next(_databases)}"
    import redis
    redis.Redis.from_url(url).flushdb()
    return url


def _write_set(path: Path, texts: dict[str, str], dates: dict[str, str] | None = None) -> Path:
    dates = dates or {}
    path.write_text("".join(json.dumps({"id": i, "text": t, **({"published": dates[i]} if i in dates else {})}) + "\n"
                            for i, t in sorted(texts.items())), encoding="utf-8")
    return path


def _bigger_set() -> dict[str, str]:
    """The labelled set four times over, each round its own dated bulletin: 64 articles, several stories."""
    texts, _ = labelled_set()
    return {f"r{round_}/{article_id}": f"Bulletin {round_} of the morning desk.\n\n{text}"
            for round_ in range(4) for article_id, text in texts.items()}


def _run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, (result.output, result.stderr if hasattr(result, "stderr") else "")
    return result


def _clusters(report: dict) -> dict:
    """Membership and canonical choice: what must not depend on how articles reached the index."""
    return {cluster["canonical"]: sorted(member["id"] for member in cluster["members"])
            for cluster in report["clusters"]}


def _without_paths(report: dict) -> list:
    """The clusters without paths, and without ``changes``: an index keeps no texts, so its export has none
    (docs/schema.md)."""
    return [{**cluster, "members": [{k: v for k, v in m.items() if k not in ("path", "changes")}
                                    for m in cluster["members"]]}
            for cluster in report["clusters"]]


def _exported(target: str) -> dict:
    return json.loads(_run("index", "export", "--index", target, "--format", "json", "-q").stdout)


def _clustered(*inputs: str) -> dict:
    return json.loads(_run("cluster", *inputs, "--format", "json", "-q", "--workers", "1").stdout)


def test_any_split_into_batches_gives_the_clusters_of_one_cluster_run(target, tmp_path, seeds_dir):
    texts = _bigger_set()
    whole = _write_set(tmp_path / "all.jsonl", texts)
    expected = _clustered(str(whole), str(seeds_dir))
    ids = sorted(texts)
    random.Random(7).shuffle(ids)
    parts = [ids[:5], ids[5:6], ids[6:40], ids[40:]]
    for number, part in enumerate(parts):
        feed = _write_set(tmp_path / f"part{number}.jsonl", {i: texts[i] for i in part})
        _run("index", "add", str(feed), "--index", target, "--batch-size", str(number + 1), "-q", "--workers", "1")
    _run("index", "add", str(seeds_dir), "--index", target, "-q", "--workers", "1")
    exported = _exported(target)
    assert _clusters(exported) == _clusters(expected)
    # Not only who is with whom: the whole report is the one `cluster` writes (but for the file each came from).
    assert _without_paths(exported) == _without_paths(expected)
    assert len(exported["clusters"]) < len(texts)  # the set has copies, so the check is not vacuous


def test_add_reports_copies_and_adding_again_changes_nothing(target, seeds_dir):
    first = json.loads(_run("index", "add", str(seeds_dir / "000_a0337443bc97db64.txt"), "--index", target,
                            "--format", "json", "-q").stdout)
    assert [a["status"] for a in first["articles"]] == ["new"]
    second = json.loads(_run("index", "add", str(seeds_dir), "--index", target, "--format", "json", "-q").stdout)
    statuses = {a["id"][:3]: (a["status"], a["cluster"]) for a in second["articles"]}
    assert statuses["000"] == ("indexed", "001_88b9becdf1984dad")
    assert statuses["001"] == ("copy", "001_88b9becdf1984dad")
    assert statuses["003"][0] == "new" and statuses["004"][0] == "new"
    copy_of = {a["id"][:3]: [c["id"] for c in a["copies"]] for a in second["articles"]}
    assert copy_of["001"] == ["000_a0337443bc97db64"]
    before = _exported(target)
    again = json.loads(_run("index", "add", str(seeds_dir), "--index", target, "--format", "json", "-q").stdout)
    assert {a["status"] for a in again["articles"]} == {"indexed"}
    assert _exported(target) == before


def test_query_answers_without_adding(target, seeds_dir):
    for name in ("000_a0337443bc97db64.txt", "003_2e8e95844c9cb9a8.txt"):
        _run("index", "add", str(seeds_dir / name), "--index", target, "-q")
    report = json.loads(_run("index", "query", str(seeds_dir / "002_930d4dede8731adf.txt"),
                             str(seeds_dir / "004_1599dfc235326334.txt"), "--index", target,
                             "--format", "json", "-q").stdout)
    verdicts = {a["id"][:3]: a for a in report["articles"]}
    assert verdicts["002"]["status"] == "copy" and verdicts["002"]["cluster"] == "000_a0337443bc97db64"
    assert verdicts["004"]["status"] == "new" and verdicts["004"]["cluster"] is None
    stats = json.loads(_run("index", "stats", "--index", target, "--format", "json").stdout)
    assert stats["articles"] == 2


def test_prune_forgets_old_articles_and_rebuilds_their_clusters(target, tmp_path):
    texts, _ = labelled_set()
    dates = {i: ("2024-10-20" if i in ("wire/original", "wire/web-pt") else "2024-10-22") for i in texts}
    _run("index", "add", str(_write_set(tmp_path / "set.jsonl", texts, dates)), "--index", target, "-q")
    pruned = json.loads(_run("index", "prune", "--index", target, "--before", "2024-10-21", "--format", "json",
                             "-q").stdout)
    assert pruned["pruned"] == 2 and pruned["articles"] == len(texts) - 2
    rest = {i: t for i, t in texts.items() if i not in ("wire/original", "wire/web-pt")}
    expected = _clustered(str(_write_set(tmp_path / "rest.jsonl", rest, dates)))
    assert _without_paths(_exported(target)) == _without_paths(expected)


def test_an_index_refuses_other_settings_and_says_which(target, seeds_dir):
    _run("index", "add", str(seeds_dir), "--index", target, "-q")
    result = _run("index", "add", str(seeds_dir), "--index", target, "--set", "fingerprint.shingle_size=4",
                  code=2)
    assert "fingerprint.shingle_size" in result.output and "index: 5" in result.output
    assert "Traceback" not in result.output


def test_a_file_that_is_not_an_index_gets_a_message_not_a_traceback(tmp_path, seeds_dir):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("just some notes\n" * 100)
    other_db = tmp_path / "other.db"
    with sqlite3.connect(other_db) as db:
        db.execute("CREATE TABLE people (name TEXT)")
    for path in (text_file, other_db):
        for command in (["index", "add", str(seeds_dir)], ["index", "stats"], ["index", "export"]):
            result = _run(*command, "--index", str(path), "-q", code=2)
            assert "not a newsdedup index" in result.output and "Traceback" not in result.output
    result = _run("index", "stats", "--index", str(tmp_path / "missing.db"), code=2)
    assert "no such index" in result.output


def test_a_damaged_index_gets_a_message_not_a_traceback(tmp_path, seeds_dir):
    path = tmp_path / "index.db"
    _run("index", "add", str(seeds_dir), "--index", str(path), "-q")
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page after the first
    path.write_bytes(bytes(data))
    # A failed run (1), not a usage error: the file is an index, only broken.
    result = _run("index", "export", "--index", str(path), "-q", code=1)
    assert "index.db is damaged" in result.output and "Traceback" not in result.output


def _indexed_count(target: str) -> int:
    if target.startswith("redis://"):
        import redis
        return int(redis.Redis.from_url(target).scard("newsdedup:ids"))
    try:
        with sqlite3.connect(f"file:{target}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _add_process(feed: Path, target: str, batch_size: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newsdedup", "index", "add", str(feed), "--index", target,
                             "--batch-size", str(batch_size), "--workers", "1", "-q", "--format", "jsonl"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_killed_during_add_then_rerun_leaves_a_complete_consistent_index(target, tmp_path):
    texts = _bigger_set()
    feed = _write_set(tmp_path / "all.jsonl", texts)
    process = _add_process(feed, target, batch_size=3)
    deadline = time.monotonic() + 60
    while _indexed_count(target) < 10 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _indexed_count(target) < len(texts), "the add finished before it could be killed"
    for command in ("export", "stats"):  # readers answer from what the killed writer left
        _run("index", command, "--index", target, "-q")
    _run("index", "add", str(feed), "--index", target, "-q", "--workers", "1")
    assert _without_paths(_exported(target)) == _without_paths(_clustered(str(feed)))
    if not target.startswith("redis://"):
        with sqlite3.connect(target) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_concurrent_writers_lose_no_article(target, tmp_path):
    texts = _bigger_set()
    ids = sorted(texts)
    halves = [_write_set(tmp_path / f"half{n}.jsonl", {i: texts[i] for i in ids[n::2]}) for n in (0, 1)]
    writers = [_add_process(half, target, batch_size=2) for half in halves]
    for writer in writers:
        _, errors = writer.communicate(timeout=300)
        assert writer.returncode == 0, errors.decode()
    expected = _clustered(str(_write_set(tmp_path / "all.jsonl", texts)))
    assert _without_paths(_exported(target)) == _without_paths(expected)


def test_a_writer_creating_a_new_sqlite_index_waits_for_another_creating_it(tmp_path):
    """SQLite refuses the switch to WAL at once, busy timeout or not, while another connection writes
    the new file (its deadlock guard): the second of two writers creating one index must wait its
    turn, not call the file foreign."""
    from newsdedup.config import Config
    from newsdedup.index import Index

    path = tmp_path / "index.db"
    rival = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    rival.execute("BEGIN IMMEDIATE")  # the first writer, still creating the file
    finish = threading.Timer(1, rival.execute, ("COMMIT",))
    finish.start()
    try:
        with Index(str(path), Config()) as index:
            assert index.stats()["articles"] == 0
    finally:
        finish.join()
        rival.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_sqlite_index_locked_past_the_busy_timeout_is_a_failed_run_not_a_foreign_file(tmp_path, monkeypatch):
    from newsdedup import index_sqlite
    from newsdedup.config import Config
    from newsdedup.errors import ForeignIndexError, IndexStoreError
    from newsdedup.index import Index

    monkeypatch.setattr(index_sqlite, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "index.db"
    rival = sqlite3.connect(path, isolation_level=None)
    rival.execute("BEGIN IMMEDIATE")  # a writer that does not let go
    try:
        with pytest.raises(IndexStoreError) as refused:
            Index(str(path), Config())
    finally:
        rival.close()
    assert not isinstance(refused.value, ForeignIndexError)
    assert "index.db" in str(refused.value) and "another process" in str(refused.value)


class _RivalAfterEachCall:
    """A Redis client through which a store works, with a rival opening the index after each of its calls."""

    def __init__(self, client, rival) -> None:
        self._client, self._rival = client, rival

    def __getattr__(self, name: str):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            result = attribute(*args, **kwargs)
            if name == "pipeline":
                return _RivalAfterEachCall(result, self._rival)  # its execute is the call that reaches Redis
            self._rival()
            return result
        return call


def test_sqlite_band_rows_keep_the_stored_format():
    """The band column holds each key XOR band x 0x9E3779B97F4A7C15 (mod 2**64) as a signed integer,
    as format 2 always stored it (numpy's arithmetic is the reference)."""
    import numpy as np

    from newsdedup.index_sqlite import _band_rows

    rng = np.random.default_rng(7)
    keys = rng.integers(0, 2**64, size=20, dtype=np.uint64, endpoint=False)
    keys[:3] = [0, 2**63, 2**64 - 1]
    with np.errstate(over="ignore"):
        mixed = keys ^ (np.arange(keys.size, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    assert _band_rows([int(key) for key in keys]) == mixed.view(np.int64).tolist()


def test_redis_buckets_keep_datasketch_layout_both_ways(redis_server, seeds_dir):
    """The buckets written from the core's bucket names are datasketch MinHashLSH's: it finds each
    article by its MinHash, and an article it indexed is found and removed here."""
    import redis
    from datasketch import MinHashLSH

    from newsdedup.codec import decode_fingerprint
    from newsdedup.config import Config

    url = f"{redis_server}/{next(_databases)}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    _run("index", "add", str(seeds_dir), "--index", url, "-q", "--workers", "1")
    config = Config()
    options = client.connection_pool.connection_kwargs
    lsh = MinHashLSH(threshold=config.candidates.jaccard_threshold, num_perm=config.fingerprint.num_perm,
                     prepickle=False, storage_config={"type": "redis", "basename": b"newsdedup:lsh", "redis": {
                         "host": options["host"], "port": options["port"], "db": options["db"]}})
    stored = {key.decode(): data for key, data in client.hgetall("newsdedup:fp").items()}
    assert len(stored) >= 5
    minhashes = {article_id: decode_fingerprint(article_id, data).minhash for article_id, data in stored.items()}
    for article_id, minhash in minhashes.items():
        assert article_id.encode() in lsh.query(minhash)
    # An article whose buckets datasketch wrote (as an index of format 3 always had them): pruning it here
    # leaves no bucket naming it.
    first = sorted(minhashes)[0]
    lsh.remove(first.encode())
    assert first.encode() not in lsh.query(minhashes[first])
    lsh.insert(first.encode(), minhashes[first], check_duplication=False)
    client.hset("newsdedup:age", first, "1900-01-01")
    _run("index", "prune", "--before", "2000-01-01", "--index", url, "-q")
    assert first.encode() not in lsh.query(minhashes[first]) and first.encode() not in lsh
    assert all(first.encode() not in client.smembers(key) for key in client.scan_iter(b"newsdedup:lsh_bucket_*")
               if client.type(key) == b"set")


def test_a_redis_index_being_created_is_whole_or_empty_to_anyone_opening_it(redis_server):
    import redis
    from newsdedup.config import Config
    from newsdedup.index import attach
    from newsdedup.index_redis import RedisStore

    url = f"{redis_server}/{next(_databases)}"
    redis.Redis.from_url(url).flushdb()
    creator = RedisStore(url)
    creator.client = _RivalAfterEachCall(creator.client, lambda: RedisStore(url).close())
    try:
        attach(creator, Config())
    finally:
        creator.close()
    assert redis.Redis.from_url(url).hexists("newsdedup:meta", "settings")


def test_a_redis_index_another_version_creates_after_this_one_opened_it_is_refused(redis_server):
    import redis
    from newsdedup.config import Config
    from newsdedup.errors import ForeignIndexError
    from newsdedup.index import attach
    from newsdedup.index_redis import RedisStore
    from newsdedup.index_sqlite import FORMAT

    url = f"{redis_server}/{next(_databases)}"
    redis.Redis.from_url(url).flushdb()
    store = RedisStore(url)  # the database is empty as it opens
    redis.Redis.from_url(url).hset("newsdedup:meta", mapping={"format": FORMAT, "format_version": "2"})
    try:
        with pytest.raises(ForeignIndexError, match="another version"):
            attach(store, Config())
    finally:
        store.close()


def test_of_two_writers_creating_one_index_with_other_settings_the_second_is_refused(target):
    from newsdedup.config import Config, config_from_dict
    from newsdedup.errors import ForeignIndexError
    from newsdedup.index import _open_store, attach

    first, second = _open_store(target), _open_store(target)
    other = config_from_dict({"fingerprint": {"shingle_size": 4}}, "test")
    create = second.initialize

    def first_creates_meanwhile(settings: dict) -> None:  # between the second's look and its write
        attach(first, Config())
        create(settings)

    second.initialize = first_creates_meanwhile
    try:
        with pytest.raises(ForeignIndexError, match="fingerprint.shingle_size"):
            attach(second, other)
    finally:
        first.close()
        second.close()


def test_redis_that_is_down_or_holds_other_data_gets_a_message(redis_server, seeds_dir):
    import redis

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    down = _run("index", "stats", "--index", f"redis://127.0.0.1:{closed_port}/0", code=1)
    assert "cannot reach Redis" in down.output and "Traceback" not in down.output
    url = f"{redis_server}/{next(_databases)}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.set("sessions:42", "someone else's data")
    other = _run("index", "add", str(seeds_dir), "--index", url, "-q", code=2)
    assert "holds other data" in other.output and "sessions:42" in other.output
    assert client.dbsize() == 1  # nothing written beside it


def test_query_stats_and_export_of_an_index_never_written_say_so(target, seeds_dir):
    for command in (["index", "query", str(seeds_dir)], ["index", "stats"], ["index", "export"]):
        result = _run(*command, "--index", target, "-q", code=2)
        assert "no such index" in result.output
    if not target.startswith("redis://"):
        assert not Path(target).exists()  # asking created nothing


# --- targets that cannot hold an index -------------------------------------------------

def _not_persistent_targets(tmp_path: Path) -> list[tuple[str, str]]:
    """(target, a word the refusal must say about it): every kind SQLite would open without keeping a file."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    return [("", "empty"), (":memory:", "memory"), ("file:x.db?mode=memory", "URI"), ("file:news.db", "URI"),
            ("news.db?mode=memory", "URI"), ("sqlite:///news.db", "redis://"), (str(tmp_path), "directory"),
            ("/dev/null", "not a regular file"), (str(fifo), "not a regular file"),
            (str(tmp_path / "no-such-dir" / "news.db"), "does not exist")]


@pytest.mark.parametrize("command", ["add", "query"])
def test_a_target_that_would_keep_nothing_is_refused_before_sqlite_opens_it(tmp_path, seeds_dir, command):
    journal_before = Path("/dev/null-journal").exists()
    for target, word in _not_persistent_targets(tmp_path):
        before = sorted(tmp_path.rglob("*"))
        result = _run("index", command, str(seeds_dir), "--index", target, "-q", "--workers", "1", code=2)
        assert "Traceback" not in result.output
        assert repr(target) in result.output and word in result.output, (target, result.output)
        assert "news.db" in result.output or "redis://" in result.output  # says what to give instead
        assert sorted(tmp_path.rglob("*")) == before, target  # nothing created beside it
    assert Path("/dev/null-journal").exists() == journal_before


# --- Redis URLs ------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["redis://:hunter2@[::1", "redis://:hunter2@localhost:notaport/0",
                                 "redis://:hunter2@localhost:99999/0", "redis://:hunter2@localhost/notadb",
                                 "redis://localhost/0?password=hunter2&socket_timeout=soon",
                                 "unix://:hunter2@/tmp/redis.sock?db=x"])
def test_a_malformed_redis_url_is_a_usage_error_that_never_shows_the_password(url, seeds_dir):
    pytest.importorskip("redis")
    for command in (["index", "add", str(seeds_dir)], ["index", "stats"], ["index", "export"]):
        result = _run(*command, "--index", url, "-q", code=2)
        assert "Traceback" not in result.output and "hunter2" not in result.output
        assert "not a valid Redis URL" in result.output and "***" in result.output


@pytest.mark.parametrize("option", ["decode_responses=true", "decode_responses=false"])
def test_a_redis_url_that_would_make_replies_text_is_refused_before_anything_is_written(option, redis_server,
                                                                                        seeds_dir):
    """The index keeps binary fingerprints and reads replies as bytes; redis-py takes any decode_responses
    value in a URL (even "false") as true, and its replies then come back as str."""
    import redis

    url = f"{redis_server}/{next(_databases)}"
    redis.Redis.from_url(url).flushdb()
    for command in (["index", "add", str(seeds_dir)], ["index", "stats"]):
        result = _run(*command, "--index", f"{url}?{option}", "-q", code=2)
        assert "decode_responses" in result.output and "Traceback" not in result.output
    assert redis.Redis.from_url(url).dbsize() == 0


def test_an_unreachable_redis_with_a_password_does_not_show_it():
    pytest.importorskip("redis")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    for url in (f"redis://:hunter2@127.0.0.1:{closed_port}/0", f"redis://127.0.0.1:{closed_port}/0?password=hunter2"):
        result = _run("index", "stats", "--index", url, code=1)
        assert "cannot reach Redis" in result.output and "hunter2" not in result.output


# --- damaged values --------------------------------------------------------------------

SEED = "001_88b9becdf1984dad"


def _copy_feed(tmp_path: Path, seeds_dir: Path) -> Path:
    """One article not in the index, a copy of an indexed seed: asking about it reads the seed's records."""
    text = (seeds_dir / f"{SEED}.txt").read_text(encoding="utf-8")
    return _write_set(tmp_path / "copy.jsonl", {"reprint": "Reprinted from the wire.\n\n" + text})


class _Bomb:
    """A pickle that makes a directory when loaded: proof that loading a stored value ran code."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self):
        return os.mkdir, (str(self.path),)


def _damage(target: str, kind: str, tmp_path: Path) -> None:
    """Write one kind of damage into an index, as a bad disk, a bad hand or another program would."""
    if target.startswith("redis://"):
        import pickle

        import redis
        client = redis.Redis.from_url(target)
        settings = json.loads(client.hget("newsdedup:meta", "settings"))
        hash_keys = {"settings_not_json": ("meta", "settings", '{"verify": '),
                     "settings_section": ("meta", "settings", json.dumps({**settings, "verify": 3})),
                     "settings_not_object": ("meta", "settings", "[]"),
                     "no_cluster": ("member", SEED, json.dumps([None, "canonical", 1.0, 1.0])),
                     "document_not_object": ("doc", SEED, "[]"),
                     "document_field": ("doc", SEED, json.dumps({**json.loads(client.hget("newsdedup:doc", SEED)),
                                                                 "body_chars": "many"})),
                     "reasons": ("cluster", SEED, "[[1, 2, 3]]"),
                     "fingerprint": ("fp", SEED, b"\x00"),
                     "meta_not_utf8": ("meta", "format", b"\xff\xfe")}
        if kind in hash_keys:
            table, field, value = hash_keys[kind]
            client.hset(f"newsdedup:{table}", field, value)
        elif kind == "probe_record":
            for key in client.scan_iter("newsdedup:p:*"):
                client.sadd(key, "not a probe record")
        elif kind == "lsh_bucket":
            bomb = pickle.dumps(_Bomb(tmp_path / "ran-code"))
            for key in client.scan_iter(b"newsdedup:lsh_bucket_*"):
                if client.type(key) == b"set":
                    client.sadd(key, bomb)
        else:
            raise AssertionError(kind)
        return
    with sqlite3.connect(target) as db:
        settings = json.loads(db.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()[0])
        document = json.loads(db.execute("SELECT document FROM articles WHERE id = ?", (SEED,)).fetchone()[0])
        statement = {
            "settings_not_json": ("UPDATE meta SET value = ? WHERE key = 'settings'", ('{"verify": ',)),
            "settings_section": ("UPDATE meta SET value = ? WHERE key = 'settings'",
                                 (json.dumps({**settings, "verify": 3}),)),
            "settings_not_object": ("UPDATE meta SET value = '[]' WHERE key = 'settings'", ()),
            "no_cluster": ("UPDATE articles SET cluster = NULL WHERE id = ?", (SEED,)),
            "document_not_object": ("UPDATE articles SET document = '[]' WHERE id = ?", (SEED,)),
            "document_field": ("UPDATE articles SET document = ? WHERE id = ?",
                               (json.dumps({**document, "body_chars": "many"}), SEED)),
            "reasons": ("UPDATE clusters SET reasons = '[[1, 2, 3]]' WHERE canonical = ?", (SEED,)),
            "fingerprint": ("UPDATE articles SET fingerprint = x'00' WHERE id = ?", (SEED,)),
        }[kind]
        db.execute(*statement)


# Each kind of damage, and the commands that read the damaged value.
DAMAGE = {
    "settings_not_json": ("stats", "export", "add", "query"),
    "settings_section": ("stats", "export", "add", "query"),
    "settings_not_object": ("stats", "export", "add"),
    "no_cluster": ("export",),
    "document_not_object": ("export", "query"),
    "document_field": ("export",),
    "reasons": ("export",),
    "fingerprint": ("query",),
}
REDIS_DAMAGE = {"meta_not_utf8": ("stats", "export"), "probe_record": ("query",), "lsh_bucket": ("query",)}


@pytest.mark.parametrize("kind", [*DAMAGE, *REDIS_DAMAGE])
def test_a_damaged_value_gets_a_message_naming_the_index_not_a_traceback(target, kind, tmp_path, seeds_dir):
    if kind in REDIS_DAMAGE and not target.startswith("redis://"):
        pytest.skip("a Redis record")
    _run("index", "add", str(seeds_dir), "--index", target, "-q", "--workers", "1")
    _damage(target, kind, tmp_path)
    feed = str(_copy_feed(tmp_path, seeds_dir))
    commands = {"stats": ["index", "stats"], "export": ["index", "export"],
                "add": ["index", "add", feed, "--workers", "1"], "query": ["index", "query", feed, "--workers", "1"]}
    for command in {**DAMAGE, **REDIS_DAMAGE}[kind]:
        result = _run(*commands[command], "--index", target, "-q", code=1)
        assert "Traceback" not in result.output
        assert target in result.output and "is damaged" in result.output, (command, result.output)
    assert not (tmp_path / "ran-code").exists()


# --- readers and a killed Redis writer ------------------------------------------------

def test_readers_leave_out_what_a_killed_writer_left_and_say_so(target, seeds_dir, monkeypatch, capsys):
    from newsdedup import index as index_module
    from newsdedup.config import load_config
    from newsdedup.index import Index

    first = seeds_dir / "000_a0337443bc97db64.txt"
    _run("index", "add", str(first), str(seeds_dir / "003_2e8e95844c9cb9a8.txt"), "--index", target, "-q")
    before = _exported(target)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the writer dies after putting its articles, before clustering them

    with monkeypatch.context() as patch:
        patch.setattr(index_module, "_recluster", killed)
        with pytest.raises(KeyboardInterrupt), Index(target, load_config()) as index:
            index.add([str(seeds_dir)])
    on_redis = target.startswith("redis://")  # SQLite rolled the batch back: nothing is unfinished there
    note = "3 articles" if on_redis else "note:"

    export = _run("index", "export", "--index", target, "--format", "json")
    assert _without_paths(json.loads(export.stdout)) == _without_paths(before)
    assert (note in export.stderr) == on_redis, export.stderr
    stats = _run("index", "stats", "--index", target, "--format", "json")
    assert json.loads(stats.stdout)["articles"] == 2 and (note in stats.stderr) == on_redis
    query = _run("index", "query", str(seeds_dir / f"{SEED}.txt"), "--index", target, "--format", "json")
    [verdict] = json.loads(query.stdout)["articles"]
    assert (verdict["status"], verdict["cluster"]) == ("copy", first.stem) and (note in query.stderr) == on_redis
    with Index(target, create=False) as index:
        notes = index.export().notes
    assert bool(notes) == on_redis and capsys.readouterr() == ("", "")  # data for the caller; nothing printed

    _run("index", "add", str(seeds_dir), "--index", target, "-q")  # the next writer finishes the batch
    assert _without_paths(_exported(target)) == _without_paths(_clustered(str(seeds_dir)))
    assert "note:" not in _run("index", "stats", "--index", target).stderr


# --- threads, not worker processes -----------------------------------------------------

def _living_children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` and that have not exited (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and _alive(int(entry)):
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="looks at processes and threads through Linux /proc")
@pytest.mark.parametrize("command", ["cluster", "index add"])
def test_a_run_works_on_threads_so_nothing_outlives_a_killed_run(command, tmp_path):
    """--workers are threads of the one process (the core's), not worker processes that a kill -9 could orphan."""
    words = [f"word{number}" for number in range(5000)]
    chooser = random.Random(11)
    feed = _write_set(tmp_path / "many.jsonl", {f"a{number:05d}": " ".join(chooser.choices(words, k=300))
                                                for number in range(20000)})
    extra = ["--index", str(tmp_path / "index.db")] if command == "index add" else ["--format", "json"]
    parent = subprocess.Popen([sys.executable, "-m", "newsdedup", *command.split(), str(feed), "--workers", "2", "-q",
                               *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        most_threads, children = 1, []
        deadline = time.monotonic() + 60
        while most_threads < 3 and parent.poll() is None and time.monotonic() < deadline:
            most_threads = max(most_threads, len(list(Path(f"/proc/{parent.pid}/task").glob("*"))))
            children = _living_children(parent.pid)
            assert not children, "a run started worker processes"
            time.sleep(0.01)
        assert most_threads >= 3, "the work never ran on threads beside the main one"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    finally:
        if parent.poll() is None:
            parent.kill()
