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

The corpus streams from the generator to the file, one article at a time, so a million
articles (about 4.6 GB of JSON Lines) take no more memory than ten thousand. With
``--scratch DIR --keep`` the corpora stay in DIR, named by size, seed and rewrite share, and
a later run with the same options reuses them instead of writing them again; ``--corpus
FILE`` measures an existing JSON Lines file as it is (its size is its number of lines).

For every N it runs the real CLI (`newsdedup cluster FILE --format json`) in a subprocess,
``--runs`` times up to ``--repeat-up-to`` articles and once above, and prints the median
time, articles/s, the CPU time of all its threads (which a machine shared with other jobs
changes less than the wall time) and the peak RSS of that process. In the same run
it times the naive baseline (datasketch MinHash.update per shingle, MinHashLSH insert and
query, one process) on a sample, and prints the speed-up over it and the growth exponent of
time against N.

Then, on the first ``--core-articles`` articles of the smallest corpus, the core alone on
one thread beside its peers (CPU time per article, median of ``--core-runs``): the core's
clean (`_core.clean_batch`), fingerprint (`_core.fingerprint_batch`), both in the
pipeline's one call (`_core.prepare_batch`) and its MinHash of the fingerprint's shingle
hashes alone (`_core.minhash_batch`); datasketch's `MinHash.update_batch` of the same
shingle hashes (checked equal to the core's signatures); and rensa's `RMinHash` from the
raw text (`update(text.split())`, as rensa's README does) and of the same word 5-shingles
as strings. rensa is no dependency of newsdedup: `pip install rensa` to get its rows.

    python benchmarks/speed.py --reuters ../shared/corpora/reuters21578/reuters21578.jsonl \\
        --sizes 10000 100000 --runs 3
    python benchmarks/speed.py --reuters ../shared/corpora/reuters21578/reuters21578.jsonl \\
        --sizes 1000000 --scratch /big/disk --keep    # about 4.6 GB of corpus, kept for the next run
"""

from __future__ import annotations

import argparse
import importlib.metadata
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
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_wire_corpus import OUTLETS, Builder, Story, read_stories  # noqa: E402
from naive import naive_seconds  # noqa: E402

from newsdedup import _core  # noqa: E402
from newsdedup.clean import clean_settings  # noqa: E402
from newsdedup.codec import decode_fingerprint  # noqa: E402
from newsdedup.config import Config  # noqa: E402
from newsdedup.fingerprint import core_arguments  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COPY_SHARE = 0.2


def corpus_words(stories: list[Story]) -> list[str]:
    """Every word of the stories, as often as it occurs, without its punctuation: what rewriting draws from."""
    return [word for story in stories for paragraph in story.paragraphs
            for word in re.findall(r"[^\W\d_]+", paragraph)]


class Rewriter:
    """Swaps about ``share`` of an article's words for words drawn from the whole corpus; punctuation stays.

    Each story's paragraphs are split into tokens once, with what a swap does to each token
    (an alphabetic token is replaced, "said." keeps its full stop, numbers and words glued to
    numbers or symbols stay), so an article costs a few array operations and one pass over
    the tokens drawn: a million articles are written in minutes. The draws, and so the
    corpus, are those of a token-by-token loop over the same tokens.
    """

    KEEP, REPLACE, REPLACE_BEFORE_MARK = 0, 1, 2

    def __init__(self, share: float, words: list[str], noise: np.random.Generator) -> None:
        self.share, self.noise = share, noise
        # The drawn word as a number into the distinct words: two and a half million strings
        # read at random would miss the cache at every draw; 45,000 mostly hit it.
        numbers: dict[str, int] = {}
        self.word_numbers = np.array([numbers.setdefault(word, len(numbers)) for word in words], dtype=np.int32)
        self.distinct = list(numbers)
        self.split: dict[int, tuple[list[int], list[str], npt.NDArray[np.int8], list[str]]] = {}

    def story(self, story: Story) -> tuple[list[int], list[str], npt.NDArray[np.int8], list[str]]:
        """(tokens per paragraph, tokens, what a swap does to each, the mark each keeps) of a story, made once."""
        known = self.split.get(id(story))
        if known is None:
            split = [paragraph.split() for paragraph in story.paragraphs]
            tokens = [token for paragraph in split for token in paragraph]
            kinds = [self.REPLACE if token.isalpha() else
                     self.REPLACE_BEFORE_MARK if token[:-1].isalpha() and not token[-1].isalnum() else self.KEEP
                     for token in tokens]
            marks = [token[-1] if kind == self.REPLACE_BEFORE_MARK else "" for token, kind in zip(tokens, kinds)]
            known = ([len(paragraph) for paragraph in split], tokens, np.array(kinds, dtype=np.int8), marks)
            self.split[id(story)] = known
        return known

    def paragraphs(self, parts: list[Story]) -> list[str]:
        """The paragraphs of the stories joined, rewritten."""
        split = [self.story(part) for part in parts]
        lengths = [length for known in split for length in known[0]]
        tokens = [token for known in split for token in known[1]]
        kinds = np.concatenate([known[2] for known in split])
        marks = [mark for known in split for mark in known[3]]
        swapped = np.flatnonzero(self.noise.random(len(tokens)) < self.share)
        drawn = self.noise.integers(len(self.word_numbers), size=swapped.size)
        changed = kinds[swapped] != self.KEEP
        distinct = self.distinct
        for position, word in zip(swapped[changed].tolist(), self.word_numbers[drawn[changed]].tolist()):
            tokens[position] = distinct[word] + marks[position]
        rewritten, start = [], 0
        for length in lengths:
            rewritten.append(" ".join(tokens[start:start + length]))
            start += length
        return rewritten


def modern_articles(stories: list[Story], count: int, seed: int, share: float = 0.5) -> Iterator[tuple[str, str]]:
    """(id, text) of ``count`` articles of 400-800 words, one at a time; about a fifth are reprinted copies."""
    rng = random.Random(seed)
    builder = Builder(stories, seed)
    pool = [(story, story.words) for story in stories if story.words >= 40]
    rewriter = Rewriter(share, corpus_words(stories), np.random.default_rng(seed)) if share > 0 else None
    made = 0
    while made < count:
        target = rng.randint(400, 800)
        parts: list[Story] = []
        length = 0
        while length < target:
            story, words = rng.choice(pool)
            parts.append(story)
            length += words
        paragraphs = (rewriter.paragraphs(parts) if rewriter else
                      [paragraph for part in parts for paragraph in part.paragraphs])
        joined = Story(key=f"joined-{made}", title=parts[0].title, place=parts[0].place, paragraphs=paragraphs,
                       published=parts[0].published)
        builder.articles.clear()
        builder.original(joined, "x")
        if made + 1 < count and rng.random() < COPY_SHARE / (1 - COPY_SHARE):
            builder.reprint(joined, rng.choice(OUTLETS), "x")
        for text, _ in builder.articles[: count - made]:
            yield f"a{made:08d}", text
            made += 1


def corpus_name(count: int, seed: int, share: float) -> str:
    """The file name of a generated corpus: what makes it, so a kept corpus is reused only for the same options."""
    return f"modern-{count}-seed{seed}-rewrite{share:g}.jsonl"


def write_corpus(stories: list[Story], count: int, seed: int, folder: Path, share: float = 0.5) -> Path:
    """The corpus of ``count`` articles in ``folder``, streamed to disk; an existing one is reused as it is.

    The file appears under its name only once complete, so an interrupted run leaves no
    half corpus to be reused.
    """
    path = folder / corpus_name(count, seed, share)
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as feed:
        for article_id, text in modern_articles(stories, count, seed, share):
            feed.write(json.dumps({"id": article_id, "text": text}) + "\n")
    partial.rename(path)
    return path


def line_count(path: Path) -> int:
    """Lines of a file, read in blocks: a corpus given with --corpus is not held in memory."""
    with path.open("rb") as feed:
        return sum(block.count(b"\n") for block in iter(lambda: feed.read(1 << 20), b""))


def report_stats(report: Path) -> dict[str, int]:
    """The ``stats`` of a JSON report, read from its head: a million-article report is not parsed whole."""
    with report.open(encoding="utf-8") as feed:
        head = feed.read(1 << 20)
    found = re.search(r'"stats": (\{[^}]*\})', head)
    if not found:
        raise SystemExit(f"{report}: no stats in the first MB of the report")
    stats: dict[str, int] = json.loads(found.group(1))
    return stats


# Runs a command in a process forked from a small interpreter and prints (seconds, CPU seconds
# of all its threads, exit code, peak RSS in KB) of it. Linux keeps the resident high-water mark of the memory a process
# had before exec: a CLI started straight from this script, which holds the stories and the
# rewriting tables (hundreds of MB), would report this script's peak instead of its own.
MEASURE = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status),
      usage.ru_maxrss)
"""


def run_cli(path: Path, workers: int, report: Path) -> tuple[float, float, int, dict[str, int]]:
    """(seconds, CPU seconds, peak RSS in MB, stats) of one `newsdedup cluster` process."""
    command = [sys.executable, "-m", "newsdedup", "cluster", str(path), "--format", "json", "--quiet",
               "-o", str(report), "--workers", str(workers)]
    finished = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True, check=True)
    seconds, cpu, status, peak = finished.stdout.split()[-4:]
    if int(status) != 0:
        raise SystemExit(f"newsdedup failed on {path} (status {status})")
    stats = report_stats(report)
    report.unlink()
    return float(seconds), float(cpu), int(peak) // 1024, stats


def first_texts(path: Path, count: int) -> list[str]:
    """The texts of the first ``count`` articles of a corpus."""
    with path.open(encoding="utf-8") as feed:
        return [json.loads(line)["text"] for _, line in zip(range(count), feed)]


def naive_baseline(path: Path, sample: int, config: Config) -> float:
    """Articles per second of the naive baseline on the first ``sample`` articles of the corpus."""
    texts = first_texts(path, sample)
    return len(texts) / naive_seconds(texts, config)


# The core alone on one thread, beside its peers. This part runs in a process of its own with
# RAYON_NUM_THREADS=1, so the calls that use rayon's global pool (minhash_batch) get one thread too.

def cpu_seconds(work: Callable[[], object], runs: int) -> float:
    """Median CPU time of the process (every thread) over ``runs`` calls of ``work``, after one call to warm up."""
    work()
    times = []
    for _ in range(runs):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return statistics.median(times)


def per_core_table(path: Path, count: int, runs: int) -> str:
    """The core's steps and its peers' MinHash on the first ``count`` articles of ``path``, one thread, as a table."""
    config = Config()
    fingerprinting = config.fingerprint
    texts = first_texts(path, count)
    rows: list[_core.ArticleRow] = [
        (f"a{number:08d}", str(path), text, None, None, None, None, "utf-8", None) for number, text in enumerate(texts)]
    settings = clean_settings(config.boilerplate, config.canonical)
    shingle_size, permutations_a, permutations_b, seed = core_arguments(fingerprinting)
    bodies = [row[0] for row in _core.clean_batch(rows, settings, 1)]
    fingerprints = [decode_fingerprint(f"a{number:08d}", data) for number, data in enumerate(
        _core.fingerprint_batch(bodies, shingle_size, permutations_a, permutations_b, seed, 1))]
    shingle_arrays = [fingerprint.shingles.astype("<u4").tobytes() for fingerprint in fingerprints]
    shingle_lists = [fingerprint.shingles.tolist() for fingerprint in fingerprints]
    shingles = statistics.mean(len(values) for values in shingle_lists)

    # The three MinHashes of the same shingle hashes must agree before their times mean anything.
    core_signatures = _core.minhash_batch(shingle_arrays, permutations_a, permutations_b)

    def datasketch_minhashes() -> list[MinHash]:
        made = []
        for values in shingle_lists:
            minhash = MinHash(num_perm=fingerprinting.num_perm, seed=seed, hashfunc=_identity)
            minhash.update_batch(values)
            made.append(minhash)
        return made

    for fingerprint, signature, minhash in zip(fingerprints, core_signatures, datasketch_minhashes()):
        core_values = np.frombuffer(signature, dtype="<u4")
        if not (np.array_equal(core_values, fingerprint.minhash.hashvalues)
                and np.array_equal(core_values, minhash.hashvalues)):
            raise SystemExit(f"{fingerprint.id}: the core's MinHash differs from datasketch's on the same shingles")

    batch = _core.ArticleBatch(rows)
    timed: list[tuple[str, str, float]] = [
        ("core clean", "`_core.clean_batch`: raw article to body and metadata",
         cpu_seconds(lambda: _core.clean_batch(rows, settings, 1), runs)),
        ("core fingerprint", "`_core.fingerprint_batch`: body to NDF2 (tokens, shingles, MinHash, anchors, "
         "variants)",
         cpu_seconds(lambda: _core.fingerprint_batch(bodies, shingle_size, permutations_a, permutations_b, seed, 1),
                     runs)),
        ("core clean + fingerprint", "`_core.prepare_batch`: the pipeline's call, raw article to metadata and NDF2",
         cpu_seconds(lambda: _core.prepare_batch(batch, _core.DocumentTable(), settings, shingle_size, permutations_a,
                                                 permutations_b, seed, False, 1), runs)),
        ("core MinHash alone", "`_core.minhash_batch` of the fingerprint's shingle hashes",
         cpu_seconds(lambda: _core.minhash_batch(shingle_arrays, permutations_a, permutations_b), runs)),
        ("datasketch MinHash", "`MinHash.update_batch` of the same shingle hashes (identity hashfunc)",
         cpu_seconds(datasketch_minhashes, runs)),
    ]
    notes = [f"{len(texts):,} articles (the first of {path.name}), {shingles:.0f} shingles each on average, "
             f"{fingerprinting.num_perm} permutations; CPU time of the process on one thread, median of {runs} "
             f"runs after one to warm up. The core's MinHash equals datasketch's on every article."]
    try:
        from rensa import RMinHash  # a peer for reference, not a dependency of newsdedup
    except ImportError:
        notes.append("rensa is not installed (`pip install rensa` into this venv; it is no dependency of "
                     "newsdedup): its rows are left out.")
    else:
        shingle_strings = [[" ".join(words[start:start + shingle_size])
                            for start in range(max(1, len(words) - shingle_size + 1))]
                           for words in _core.tokens_batch(bodies)]

        def rensa_of(items: list[list[str]]) -> Callable[[], list[list[int]]]:
            def run() -> list[list[int]]:
                digests = []
                for values in items:
                    minhash = RMinHash(num_perm=fingerprinting.num_perm, seed=seed)
                    minhash.update(values)
                    digests.append(minhash.digest())
                return digests
            return run

        timed += [
            ("rensa from raw text", "`RMinHash.update(text.split())` of the raw article, as rensa's README does",
             cpu_seconds(lambda: rensa_of([text.split() for text in texts])(), runs)),
            ("rensa MinHash alone", "`RMinHash.update` of the same word 5-shingles as strings (made beforehand)",
             cpu_seconds(rensa_of(shingle_strings), runs)),
        ]
        version = importlib.metadata.version("rensa")
        notes.append(f"rensa {version}: its own hash and permutations (R-MinHash), so its signatures differ from "
                     "datasketch's; from raw text it hashes words, not 5-shingles, and does no cleaning.")
    per_article = {name: seconds / len(texts) for name, _, seconds in timed}
    reference = per_article.get("rensa from raw text")
    minhash_alone = per_article["core MinHash alone"]
    lines = [*notes, "",
             "| step, one thread | what it does | CPU per article | articles/s per core | "
             "time / rensa from raw text | time / core MinHash alone |",
             "|---|---|---|---|---|---|"]
    for name, what, _ in timed:
        seconds = per_article[name]
        against_rensa = f"{seconds / reference:.2f}" if reference else "n/a"
        lines.append(f"| {name} | {what} | {1e6 * seconds:,.1f} µs | {1 / seconds:,.0f} | {against_rensa} | "
                     f"{seconds / minhash_alone:.2f} |")
    return "\n".join(lines)


def _identity(value: int) -> int:
    """datasketch's hashfunc for values that are hashes already (the core's shingle hashes)."""
    return value


def per_core_report(path: Path, count: int, runs: int) -> str:
    """per_core_table run in a process of its own with one rayon thread."""
    finished = subprocess.run(
        [sys.executable, __file__, "--per-core-of", str(path), "--core-articles", str(count), "--core-runs", str(runs)],
        env={**os.environ, "RAYON_NUM_THREADS": "1"}, capture_output=True, text=True, cwd=ROOT)
    if finished.returncode != 0:
        raise SystemExit(f"the per-core measurement failed:\n{finished.stderr}")
    return finished.stdout


def growth_exponent(rows: list[tuple[int, float]]) -> float:
    """The least-squares slope of log time against log size."""
    xs = [math.log(size) for size, _ in rows]
    ys = [math.log(seconds) for _, seconds in rows]
    mean_x, mean_y = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuters", type=Path, help="reuters21578.jsonl (read in place), to generate corpora")
    parser.add_argument("--sizes", type=int, nargs="+",
                        help="corpora to generate (default 10000 100000, none when --corpus is given)")
    parser.add_argument("--corpus", type=Path, nargs="+", default=[], metavar="FILE",
                        help="existing JSON Lines corpora to measure as they are (size: their number of lines)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size up to --repeat-up-to articles")
    parser.add_argument("--repeat-up-to", type=int, default=100_000, help="larger sizes run once")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-sample", type=int, default=2000)
    parser.add_argument("--core-articles", type=int, default=3000,
                        help="articles of the smallest corpus the core and its peers are timed on (0: skip)")
    parser.add_argument("--core-runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--rewrite", type=float, default=0.5,
                        help="share of each joined article's words swapped for corpus words (0: verbatim joins)")
    parser.add_argument("--scratch", type=Path,
                        help="where to write the corpora and reports (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated corpora in --scratch; a later run with the same options reuses them")
    parser.add_argument("--per-core-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.per_core_of:
        print(per_core_table(args.per_core_of, args.core_articles, args.core_runs))
        return
    sizes = args.sizes if args.sizes is not None else ([] if args.corpus else [10_000, 100_000])
    if sizes and not args.reuters:
        parser.error("--reuters is needed to generate corpora (or give --corpus FILE)")
    if args.keep and not args.scratch:
        parser.error("--keep needs --scratch: the folder the corpora stay in")

    stories = read_stories(args.reuters) if sizes else []
    with tempfile.TemporaryDirectory(dir=args.scratch) as temporary:
        folder = args.scratch if args.keep else Path(temporary)
        report = Path(temporary) / "report.json"
        corpora: list[tuple[int, Path, str]] = [(line_count(path), path, "given") for path in args.corpus]
        for size in sorted(sizes):
            started = time.perf_counter()
            reused = (folder / corpus_name(size, args.seed, args.rewrite)).exists()
            path = write_corpus(stories, size, args.seed, folder, args.rewrite)
            corpora.append((size, path, "reused" if reused else f"written in {time.perf_counter() - started:.1f} s"))
        corpora.sort()

        smallest = corpora[0][1]
        baseline_rate = statistics.median(
            naive_baseline(smallest, args.baseline_sample, Config()) for _ in range(3))
        rows = []
        for size, path, made in corpora:
            runs = [run_cli(path, args.workers, report) for _ in range(args.runs if size <= args.repeat_up_to else 1)]
            seconds = statistics.median(run[0] for run in runs)
            cpu = statistics.median(run[1] for run in runs)
            rows.append((size, seconds, cpu, max(run[2] for run in runs), runs[0][3], len(runs)))
        per_core = per_core_report(smallest, args.core_articles, args.core_runs) if args.core_articles else ""
        if not args.keep:
            for _, path, made in corpora:
                if made != "given":
                    path.unlink()

    for size, path, made in corpora:
        print(f"corpus: {size:,} articles, {made}" + (f" ({path})" if args.keep or made == "given" else ""))
    print(f"naive baseline: {baseline_rate:.0f} articles/s (median of 3 on {args.baseline_sample} articles; "
          "MinHash.update per shingle + MinHashLSH, one process, no cleaning or verification)")
    print(f"newsdedup: {args.workers} workers, {os.cpu_count()} cores")
    print("| articles | runs | median time | articles/s | speed-up over baseline | CPU, all threads | peak RSS | "
          "clusters with copies | duplicates |")
    print("|---|---|---|---|---|---|---|---|---|")
    for size, seconds, cpu, rss, stats, count in rows:
        print(f"| {size:,} | {count} | {seconds:.1f} s | {size / seconds:,.0f} | "
              f"{size / seconds / baseline_rate:.1f}x | {cpu:.1f} s | {rss:,} MB | {stats['duplicate_clusters']:,} | "
              f"{stats['duplicates']:,} |")
    if len({size for size, *_ in rows}) >= 2:
        slope = growth_exponent([(size, seconds) for size, seconds, *_ in rows])
        print(f"growth: time ~ N^{slope:.2f} (least squares over the sizes above)")
    if per_core:
        print()
        print("The core alone, one thread, beside its peers:")
        print(per_core, end="")


if __name__ == "__main__":
    main()
