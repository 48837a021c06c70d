"""Speed and memory of `newsdedup cluster` end to end, against a naive baseline in the same run.

Builds corpora of N modern-length articles (400-800 words: several Reuters-21578 stories
joined into one), a fifth of them copies reprinted by the outlets of make_wire_corpus.py,
as one JSON Lines file each.

Each joined article is first rewritten: about half of its words (``--rewrite``) are
swapped for words drawn from the whole corpus, keeping punctuation and paragraphs.
Reuters has 19,000 stories, so a million articles reuse each story about 260 times; left
verbatim, every article would share whole stories with hundreds of others, a workload of
dense partial copies that real news does not have (there, copies are copies and the rest
is independent). Rewriting keeps the copies planted by the outlets exact and makes the
other articles independent. ``--rewrite 0`` measures the verbatim joins.

For every N it runs the real CLI (`newsdedup cluster FILE --format json`) in a subprocess, several times where the size allows, and prints the median
time, articles/s and the peak RSS of that process. In the same run it times the naive
baseline (datasketch MinHash.update per shingle, MinHashLSH insert and query, one
process) on a sample, and prints the speed-up over it and the growth exponent of time
against N.

    python benchmarks/speed.py --reuters ../shared/corpora/reuters21578/reuters21578.jsonl \\
        --sizes 10000 100000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_wire_corpus import OUTLETS, Builder, Story, read_stories  # noqa: E402
from naive import naive_seconds  # noqa: E402

from newsdedup.config import Config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COPY_SHARE = 0.2


def corpus_words(stories: list[Story]) -> list[str]:
    """Every word of the stories, as often as it occurs, without its punctuation: what rewriting draws from."""
    return [word for story in stories for paragraph in story.paragraphs
            for word in re.findall(r"[^\W\d_]+", paragraph)]


def rewrite(paragraphs: list[str], share: float, words: list[str], noise: np.random.Generator) -> list[str]:
    """The paragraphs with about ``share`` of their words swapped for corpus words; punctuation stays."""
    split = [paragraph.split() for paragraph in paragraphs]
    tokens = [token for paragraph in split for token in paragraph]
    swapped = np.flatnonzero(noise.random(len(tokens)) < share)
    for position, drawn in zip(swapped.tolist(), noise.integers(len(words), size=swapped.size).tolist()):
        token = tokens[position]
        if token.isalpha():
            tokens[position] = words[drawn]
        elif token[:-1].isalpha() and not token[-1].isalnum():  # "said." keeps its full stop
            tokens[position] = words[drawn] + token[-1]
        # numbers, and words glued to numbers or symbols, stay
    rewritten, start = [], 0
    for paragraph in split:
        rewritten.append(" ".join(tokens[start:start + len(paragraph)]))
        start += len(paragraph)
    return rewritten


def modern_articles(stories: list[Story], count: int, seed: int, share: float = 0.5):
    """(id, text) of ``count`` articles of 400-800 words; about a fifth are reprinted copies."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    builder = Builder(stories, seed)
    pool = [story for story in stories if story.words >= 40]
    words = corpus_words(stories) if share > 0 else []
    made = 0
    while made < count:
        target = rng.randint(400, 800)
        parts: list[Story] = []
        while sum(part.words for part in parts) < target:
            parts.append(rng.choice(pool))
        paragraphs = [paragraph for part in parts for paragraph in part.paragraphs]
        joined = Story(key=f"joined-{made}", title=parts[0].title, place=parts[0].place,
                       paragraphs=rewrite(paragraphs, share, words, noise) if share > 0 else paragraphs,
                       published=parts[0].published)
        builder.articles.clear()
        builder.original(joined, "x")
        if made + 1 < count and rng.random() < COPY_SHARE / (1 - COPY_SHARE):
            builder.reprint(joined, rng.choice(OUTLETS), "x")
        for text, _ in builder.articles[: count - made]:
            yield f"a{made:08d}", text
            made += 1


def write_corpus(stories: list[Story], count: int, seed: int, folder: Path, share: float = 0.5) -> Path:
    path = folder / f"modern-{count}.jsonl"
    with path.open("w", encoding="utf-8") as feed:
        for article_id, text in modern_articles(stories, count, seed, share):
            feed.write(json.dumps({"id": article_id, "text": text}) + "\n")
    return path


def run_cli(path: Path, workers: int) -> tuple[float, int, dict]:
    """(seconds, peak RSS in MB, stats) of one `newsdedup cluster` process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdedup", "cluster", str(path), "--format", "json", "--quiet",
         "-o", str(path.with_suffix(".report.json")), "--workers", str(workers)],
        cwd=ROOT,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"newsdedup failed on {path} (status {status})")
    stats = json.loads(path.with_suffix(".report.json").read_text())["stats"]
    return seconds, usage.ru_maxrss // 1024, stats


def naive_baseline(path: Path, sample: int, config: Config) -> float:
    """Articles per second of the naive baseline on the first ``sample`` articles of the corpus."""
    with path.open(encoding="utf-8") as feed:
        texts = [json.loads(line)["text"] for _, line in zip(range(sample), feed)]
    return len(texts) / naive_seconds(texts, config)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuters", type=Path, required=True, help="reuters21578.jsonl (read in place)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs per size up to --repeat-up-to articles")
    parser.add_argument("--repeat-up-to", type=int, default=100_000, help="larger sizes run once")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rewrite", type=float, default=0.5,
                        help="share of each joined article's words swapped for corpus words (0: verbatim joins)")
    parser.add_argument("--scratch", type=Path, help="where to write the corpora (default: a temporary folder)")
    args = parser.parse_args()

    stories = read_stories(args.reuters)
    with tempfile.TemporaryDirectory(dir=args.scratch) as scratch:
        folder = Path(scratch)
        rows = []
        baseline_rate = None
        for size in sorted(args.sizes):
            path = write_corpus(stories, size, args.seed, folder, args.rewrite)
            if baseline_rate is None:
                baseline_rate = statistics.median(
                    naive_baseline(path, args.baseline_sample, Config()) for _ in range(3))
            runs = [run_cli(path, args.workers) for _ in range(args.runs if size <= args.repeat_up_to else 1)]
            seconds = statistics.median(run[0] for run in runs)
            rows.append((size, seconds, max(run[1] for run in runs), runs[0][2], len(runs)))
            path.unlink()
            path.with_suffix(".report.json").unlink()

        print(f"naive baseline: {baseline_rate:.0f} articles/s (median of 3 on {args.baseline_sample} articles; "
              "MinHash.update per shingle + MinHashLSH, one process, no cleaning or verification)")
        print(f"newsdedup: {args.workers} workers, {os.cpu_count()} cores")
        print("| articles | runs | median time | articles/s | speed-up over baseline | peak RSS | "
              "clusters with copies | duplicates |")
        print("|---|---|---|---|---|---|---|---|")
        for size, seconds, rss, stats, count in rows:
            print(f"| {size:,} | {count} | {seconds:.1f} s | {size / seconds:,.0f} | "
                  f"{size / seconds / baseline_rate:.1f}x | {rss:,} MB | {stats['duplicate_clusters']:,} | "
                  f"{stats['duplicates']:,} |")
        if len(rows) >= 2:
            xs = [math.log(size) for size, *_ in rows]
            ys = [math.log(seconds) for _, seconds, *_ in rows]
            mean_x, mean_y = statistics.mean(xs), statistics.mean(ys)
            slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
            print(f"growth: time ~ N^{slope:.2f} (least squares over the sizes above)")


if __name__ == "__main__":
    main()
