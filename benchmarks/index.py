"""Latency of `newsdedup index add` against a large index, on SQLite and on Redis.

Builds an index of N modern-length articles (the speed.py corpus: several Reuters-21578
stories joined into one, a fifth of them reprinted copies) with the real CLI, then adds
more articles through the library, with one index kept open as an ingest worker keeps it: single articles (a batch of 1) and batches of 1,000. Half of the added
articles are new stories and half are copies of indexed ones, so both answers are
timed. Prints the build rate, p50 and p99 of the time per added article, the time of a
query, the rate of a query of 1,000 articles, and the size of the index.

    python benchmarks/index.py --reuters ../shared/corpora/reuters21578/reuters21578.jsonl \\
        --size 1000000 --scratch /tmp/bench
    python benchmarks/index.py --reuters ... --size 100000 --redis redis://127.0.0.1:6379/5

With --keep the corpus and the SQLite index stay in --scratch and a second run with the
same --size reuses them (only the measurements run again).

--python PY [--python PY2 ...] compares installs in one run: this script runs under each
interpreter in turn (its venv's newsdedup, CLI and library), --repeat times alternating,
and prints the median of each figure side by side; e.g. main's venv against a branch's:

    python benchmarks/index.py --reuters ... --size 20000 --scratch /tmp/bench \
        --redis redis://127.0.0.1:6390/5 --python /work/main/.venv/bin/python \
        --python .venv/bin/python --repeat 3 --singles 20 --batches 1

--grow-to M (SQLite only) measures an index of M articles made from the built one: its
rows are copied with every hash XORed by a random salt per copy (the sample's "hash % 4"
kept), so the copies never match a real article or each other, but the tables, B-trees
and posting lists have the size and shape of M articles. It is a stand-in for building M
articles for real, which takes hours on two cores; the figures say which was measured.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_wire_corpus import read_stories  # noqa: E402
from speed import modern_articles  # noqa: E402

from newsdedup.config import Config  # noqa: E402
from newsdedup.index import Index  # noqa: E402

BATCH = 1000


def write_lines(path: Path, records) -> Path:
    with path.open("w", encoding="utf-8") as feed:
        for article_id, text in records:
            feed.write(json.dumps({"id": article_id, "text": text}) + "\n")
    return path


def build(corpus: Path, target: str, workers: int) -> float:
    """Seconds the CLI takes to add the corpus to an empty index."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "newsdedup", "index", "add", str(corpus), "--index", target,
                    "--batch-size", "10000", "--workers", str(workers), "--format", "jsonl", "-o", os.devnull,
                    "-q"], check=True)
    return time.perf_counter() - started


def additions(corpus: Path, stories, seed: int, size: int, count: int):
    """Articles to add after the build: half new stories, half copies of indexed articles (re-published)."""
    rng = random.Random(seed)
    fresh = modern_articles(stories, count, seed + 1)
    picked = set(rng.sample(range(size), count // 2))
    indexed = []
    with corpus.open(encoding="utf-8") as feed:
        for number, line in enumerate(feed):
            if number in picked:
                indexed.append(json.loads(line)["text"])
    rng.shuffle(indexed)
    articles = []
    for number, (_, text) in enumerate(fresh):
        copy = number % 2 == 1 and indexed
        articles.append((f"added-{number:06d}", indexed.pop() if copy else text))
    return articles


def grow(path: str, size: int, seed: int) -> int:
    """Copy the index's rows with salted hashes until it holds ``size`` articles; returns the count."""
    import sqlite3

    rng = random.Random(seed)
    db = sqlite3.connect(path, isolation_level=None)
    base, top = db.execute("SELECT count(*), max(rowid) FROM articles").fetchone()
    copy = 0
    while base * (copy + 1) < size:
        copy += 1
        take = min(base, size - base * copy)
        salt32 = rng.getrandbits(32) & ~3  # keeps a hash's "0 modulo 4" sample membership
        salt64 = rng.getrandbits(63)
        offset = copy * top
        last = db.execute("SELECT rowid FROM articles ORDER BY rowid LIMIT 1 OFFSET ?", (take - 1,)).fetchone()[0]

        def xor(column: str, salt: int) -> str:  # SQLite has no XOR operator
            return f"(({column} | {salt}) - ({column} & {salt}))"

        db.execute("BEGIN")
        db.execute(f"""INSERT INTO articles SELECT rowid + {offset}, id || '#{copy}', published, added,
                       json_set(document, '$.id', id || '#{copy}'), fingerprint, probes,
                       cluster || '#{copy}', role, similarity, containment
                       FROM articles WHERE rowid <= {last}""")
        db.execute(f"INSERT INTO bands SELECT {xor('key', salt64)}, article + {offset} FROM bands "
                   f"WHERE article <= {last} ORDER BY 1, 2")
        for table in ("samples", "probes"):
            db.execute(f"INSERT INTO {table} SELECT {xor('hash', salt32)}, article + {offset} FROM {table} "
                       f"WHERE article <= {last} ORDER BY 1, 2")
        db.execute(f"INSERT INTO edges SELECT a + {offset}, b + {offset} FROM edges WHERE a <= {last} AND b <= {last}")
        db.execute(f"INSERT OR IGNORE INTO clusters SELECT canonical || '#{copy}', reasons FROM clusters "
                   f"WHERE canonical NOT LIKE '%#%'")
        db.execute("COMMIT")
    count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    return count


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(target: str, articles, folder: Path, workers: int, singles_count: int) -> dict:
    """Times with one index kept open, as an ingest worker keeps it."""
    singles, batches, queries, statuses = [], [], [], []
    with Index(target, Config()) as index:
        path = write_lines(folder / "batch.jsonl", articles[singles_count:singles_count + BATCH])
        started = time.perf_counter()
        asked = index.query([str(path)], workers=workers, batch_size=BATCH)
        query_rate = len(asked.verdicts) / (time.perf_counter() - started)
        for article in articles[:singles_count]:
            path = write_lines(folder / "one.jsonl", [article])
            started = time.perf_counter()
            index.query([str(path)], workers=1)
            queries.append(time.perf_counter() - started)
            started = time.perf_counter()
            report = index.add([str(path)], workers=1, batch_size=1)
            singles.append(time.perf_counter() - started)
            statuses.append(report.verdicts[0].status)
        rest = articles[singles_count:]
        for start in range(0, len(rest), BATCH):
            path = write_lines(folder / "batch.jsonl", rest[start:start + BATCH])
            started = time.perf_counter()
            report = index.add([str(path)], workers=workers, batch_size=BATCH)
            batches.append((time.perf_counter() - started) / len(report.verdicts))
            statuses.extend(verdict.status for verdict in report.verdicts)
        stats = index.stats()
    return {"singles": singles, "queries": queries, "batches": batches, "query_rate": query_rate,
            "copies": statuses.count("copy"), "new": statuses.count("new"), "stats": stats}


def report(name: str, size: int, build_seconds: float | None, figures: dict) -> None:
    stats = figures["stats"]
    ms = 1000
    print(f"\n{name}: index of {size:,} articles")
    if build_seconds is not None:
        print(f"  build (CLI, batches of 10,000): {build_seconds:,.0f} s, {size / build_seconds:,.0f} articles/s")
    print(f"  add, batch of 1:     p50 {ms * statistics.median(figures['singles']):.1f} ms, "
          f"p99 {ms * percentile(figures['singles'], 0.99):.1f} ms per article ({len(figures['singles'])} adds)")
    print(f"  query, batch of 1:   p50 {ms * statistics.median(figures['queries']):.1f} ms, "
          f"p99 {ms * percentile(figures['queries'], 0.99):.1f} ms")
    print(f"  add, batch of {BATCH:,}: p50 {ms * statistics.median(figures['batches']):.2f} ms, "
          f"p99 {ms * percentile(figures['batches'], 0.99):.2f} ms per article ({len(figures['batches'])} batches)")
    print(f"  query, batch of {BATCH:,}: {figures['query_rate']:,.0f} articles/s")
    print(f"  answers: {figures['copies']} copies, {figures['new']} new")
    if stats.get("bytes_on_disk"):
        print(f"  size on disk: {stats['bytes_on_disk'] / 2**20:,.0f} MB "
              f"({stats['bytes_on_disk'] / stats['articles'] / 1024:.1f} KB per article)")
    if stats.get("bytes_in_memory"):
        print(f"  Redis memory: {stats['bytes_in_memory'] / 2**20:,.0f} MB "
              f"({stats['bytes_in_memory'] / stats['articles'] / 1024:.1f} KB per article)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuters", type=Path, required=True, help="reuters21578.jsonl (read in place)")
    parser.add_argument("--size", type=int, default=1_000_000, help="articles in the index before measuring")
    parser.add_argument("--scratch", type=Path, required=True, help="folder for the corpus and the SQLite file")
    parser.add_argument("--redis", help="also measure a Redis index at this URL (its database is emptied)")
    parser.add_argument("--no-sqlite", action="store_true", help="measure Redis only")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the corpus and a built SQLite index for reuse")
    parser.add_argument("--grow-to", type=int, help="SQLite: measure an index grown to this many articles "
                        "with salted copies of the built one (see above)")
    parser.add_argument("--singles", type=int, default=200, help="articles added (and asked about) one at a time")
    parser.add_argument("--batches", type=int, default=5, help=f"batches of {BATCH:,} added after the singles")
    parser.add_argument("--python", action="append", default=[],
                        help="compare installs: run under each of these interpreters (see above)")
    parser.add_argument("--repeat", type=int, default=3, help="with --python: runs of each, medians printed")
    parser.add_argument("--emit", type=Path, help=argparse.SUPPRESS)  # one run of a comparison: figures as JSON
    args = parser.parse_args()
    if args.python:
        compare(args)
        return

    args.scratch.mkdir(parents=True, exist_ok=True)
    stories = read_stories(args.reuters)
    corpus = args.scratch / f"index-corpus-{args.size}.jsonl"
    if not corpus.exists():
        write_lines(corpus, modern_articles(stories, args.size, args.seed))
    articles = additions(corpus, stories, args.seed, args.size, args.singles + BATCH * args.batches)
    print(f"{os.cpu_count()} cores; {args.workers} workers for the build and the batches of {BATCH:,}")

    emitted: dict[str, dict] = {}
    targets = [] if args.no_sqlite else [("SQLite", str(args.scratch / f"index-{args.size}.db"))]
    if args.redis:
        import redis
        redis.Redis.from_url(args.redis).flushdb()
        targets.append(("Redis", args.redis))
    for name, target in targets:
        built = args.scratch / f"index-{args.size}.built.db"
        build_seconds = None
        if name == "SQLite" and built.exists() and not args.emit:
            subprocess.run(["cp", str(built), target], check=True)  # the index as built, before any measurement
        else:
            if name == "SQLite":
                Path(target).unlink(missing_ok=True)
            build_seconds = build(corpus, target, args.workers)
            if name == "SQLite" and args.keep:
                subprocess.run(["cp", target, str(built)], check=True)
        size = args.size
        if name == "SQLite" and args.grow_to:
            started = time.perf_counter()
            size = grow(target, args.grow_to, args.seed)
            name = (f"SQLite, {args.size:,} articles indexed by `index add` and grown with salted copies in "
                    f"{time.perf_counter() - started:,.0f} s")
        figures = measure(target, articles, args.scratch, args.workers, args.singles)
        report(name, size, build_seconds, figures)
        emitted[name] = {"build_rate": size / build_seconds if build_seconds else None, **figures}
        if name == "SQLite" and not args.keep:
            Path(target).unlink()
    if args.emit:
        args.emit.write_text(json.dumps(emitted))
    elif not args.keep:
        corpus.unlink()


# Each figure a comparison prints: its label, how to read it from one run's figures, and its unit.
FIGURES = (
    ("add (CLI build, batches of 10,000)", lambda run: run["build_rate"], "articles/s"),
    (f"add, batch of {BATCH:,}", lambda run: 1 / statistics.median(run["batches"]), "articles/s"),
    (f"query, batch of {BATCH:,}", lambda run: run["query_rate"], "articles/s"),
    ("add, batch of 1 (p50)", lambda run: 1000 * statistics.median(run["singles"]), "ms"),
    ("query, batch of 1 (p50)", lambda run: 1000 * statistics.median(run["queries"]), "ms"),
)


def compare(args: argparse.Namespace) -> None:
    """Run this script under each ``--python`` in turn, ``--repeat`` rounds, and print the medians."""
    passed = ["--reuters", str(args.reuters), "--size", str(args.size), "--scratch", str(args.scratch),
              "--workers", str(args.workers), "--seed", str(args.seed), "--singles", str(args.singles),
              "--batches", str(args.batches), *(["--redis", args.redis] if args.redis else []),
              *(["--no-sqlite"] if args.no_sqlite else [])]
    names = [str(Path(os.path.abspath(python)).parents[2]) for python in args.python]  # the venv's folder
    runs: dict[str, list[dict]] = {python: [] for python in args.python}
    for round_number in range(args.repeat):
        for python in args.python:
            emit = args.scratch / "figures.json"
            print(f"round {round_number + 1}/{args.repeat}: {python}", flush=True)
            subprocess.run([python, __file__, *passed, "--emit", str(emit)], check=True,
                           stdout=subprocess.DEVNULL)
            runs[python].append(json.loads(emit.read_text()))
    backends = list(runs[args.python[0]][0])
    print(f"\nindex of {args.size:,} articles; medians of {args.repeat} runs each, run in turn")
    for backend in backends:
        print(f"\n{backend}")
        print(f"  {'':38}" + "".join(f"{name:>26}" for name in names))
        for label, read, unit in FIGURES:
            medians = [statistics.median(read(run[backend]) for run in runs[python]) for python in args.python]
            print(f"  {label:38}" + "".join(f"{median:>15,.1f} {unit:10}" for median in medians))


if __name__ == "__main__":
    main()
