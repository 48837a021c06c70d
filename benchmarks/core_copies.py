"""Exact copies collapsed: the same clusters and canonical choices, in time linear in the copies.

One wire story reprinted by thousands of sites makes every stage quadratic when each copy is
compared with each other. The core's collapsed stages (_core.CopyGroups, collapsed_clusters,
and cluster_centralities / cluster_scores with copies=) index, verify and score each distinct
fingerprint once. This script checks that they give what the core's plain stages give (the
pipeline's, which gave the Python stages' reports byte for byte): on prepared
corpora (core_serial_prepare.py), and on a wire corpus with one story reprinted N times over a
week (some copies undated), with reprints of its truncations, of an edited version and of a
version with other figures, and on K versions of the story (shortened, extended, edited)
each reprinted N times. Then it times the collapsed stages alone for larger N and KxN.

    python benchmarks/core_copies.py --scratch /work/scratch/serial \\
        --reuters ../shared/corpora/reuters21578/reuters21578.jsonl --copies 2000 --alone 2000 20000

With --shapes it runs `newsdedup cluster` instead, the baseline's (--baseline) and this venv's, on
each pathological shape of issue 11 (written under --scratch), and prints the median wall time
and peak RSS of --repeat runs of each:

    python benchmarks/core_copies.py --scratch /tmp/shapes --reuters ... --shapes copies-20000 \\
        versions-2x10000 versions-5x4000 chain-5000 article-50mb-text article-50mb-jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from datasketch import MinHash

sys.path.insert(0, str(Path(__file__).resolve().parent))
from core_serial_prepare import prepared  # noqa: E402

from newsdedup import _core  # noqa: E402
from newsdedup.canonical import Candidate, choose_canonical  # noqa: E402
from newsdedup.candidates import banding, candidate_index  # noqa: E402
from newsdedup.config import Config  # noqa: E402
from newsdedup.dates import utc_days  # noqa: E402
from newsdedup.models import Document  # noqa: E402
from newsdedup.pipeline import EXACT_CENTRALITY_LIMIT  # noqa: E402
from newsdedup.verify import verified_links  # noqa: E402


class Corpus:
    """Fingerprints (NDF2) with their ids and published values, run in id order as the pipeline does."""

    def __init__(self, ids: list[str], published: list[str | None], encoded: list[bytes]) -> None:
        order = sorted(range(len(ids)), key=lambda index: ids[index])
        self.ids = [ids[index] for index in order]
        self.published = [published[index] for index in order]
        self.encoded = [encoded[index] for index in order]
        self.days = utc_days(self.published)


def store_of(corpus: Corpus) -> _core.FingerprintStore:
    store = _core.FingerprintStore()
    store.append_batch(corpus.encoded)
    return store


def plain_clusters(corpus: Corpus, store, config: Config) -> list[list[int]]:
    index = candidate_index(config)
    index.append_batch(corpus.encoded)
    found = verified_links(index.pairs(threads=0), store, corpus.days, config.verify, threads=0)
    return _core.star_clusters(len(corpus.ids), found.pairs, found.similarities,
                               near_equal=config.candidates.jaccard_threshold)


def collapsed_clusters(corpus: Corpus, store, copies, config: Config) -> list[list[int]]:
    settings, verify = config.candidates, config.verify
    bands, rows = banding(settings.jaccard_threshold, config.fingerprint.num_perm)
    return _core.collapsed_clusters(
        store, copies, corpus.days, bands=bands, rows=rows, num_perm=config.fingerprint.num_perm,
        containment_threshold=settings.containment_threshold, sample_modulus=settings.sample_modulus,
        containment_probes=settings.containment_probes, min_shared_samples=settings.min_shared_samples,
        max_postings=settings.max_postings, min_containment=verify.min_containment,
        min_shared_shingles=verify.min_shared_shingles, min_anchor_agreement=verify.min_anchor_agreement,
        max_days_apart=verify.max_days_apart, near_equal=settings.jaccard_threshold)


def describe(corpus: Corpus, store, clusters: list[list[int]], config: Config, copies=None) -> list[tuple]:
    """describe_cluster's numbers for each cluster with copies: centralities, canonical, member scores."""
    ordered = [sorted(group, key=lambda index: corpus.ids[index]) for group in clusters if len(group) > 1]
    centralities = _core.cluster_centralities(store, ordered, EXACT_CENTRALITY_LIMIT, copies=copies)
    word_counts = iter(store.word_counts([index for group in ordered for index in group]))
    canonicals = []
    for group, central in zip(ordered, centralities):
        candidates = [Candidate(document(corpus, index), next(word_counts), centrality)
                      for index, centrality in zip(group, central)]
        canonicals.append(group[choose_canonical(candidates, config.canonical)[0]])
    others = [[index for index in group if index != canonical] for group, canonical in zip(ordered, canonicals)]
    scores = _core.cluster_scores(store, canonicals, others, copies=copies)
    return list(zip(ordered, centralities, canonicals, scores))


def document(corpus: Corpus, index: int) -> Document:
    return Document(id=corpus.ids[index], path=corpus.ids[index], body="", body_chars=0, title=None, source=None,
                    url=None, published=corpus.published[index], byline=None, dateline=None, wire_credit=None,
                    encoding="utf-8", total_chars=0, boilerplate_chars_removed=0)


def core_fingerprints(texts: list[str], config: Config) -> list[bytes]:
    settings = config.fingerprint
    a, b = MinHash(num_perm=settings.num_perm, seed=settings.seed).permutations
    return _core.fingerprint_batch(texts, settings.shingle_size, a.astype("<u4").tobytes(),
                                   b.astype("<u4").tobytes(), settings.seed)


def reprinted(base: Corpus, story: str, copies: int, config: Config, seed: int = 7) -> Corpus:
    """``base`` plus ``copies`` reprints of ``story`` over a week, and reprints of its variants."""
    rng = random.Random(seed)
    paragraphs = [part for part in story.split("\n\n") if part.strip()]
    sentences = story.split(". ")
    variants = {
        "story": (story, copies),
        "first-paragraph": (paragraphs[0], max(copies // 40, 1)),
        "two-paragraphs": ("\n\n".join(paragraphs[:2]), max(copies // 40, 1)),
        "edited": (". ".join(sentences[:1] + sentences[2:]), max(copies // 100, 1)),
        "figures": (" ".join(word.replace("1", "7") for word in story.split(" ")), max(copies // 100, 1)),
    }
    fingerprints = dict(zip(variants, core_fingerprints([text for text, _ in variants.values()], config)))
    ids, published, encoded = list(base.ids), list(base.published), list(base.encoded)
    for name, (_, count) in variants.items():
        for number in range(count):
            ids.append(f"reprint/{name}/{rng.randrange(10**9):09d}-{number}")
            day = rng.choice([None, 1, 2, 2, 3, 3, 3, 4, 5, 8])
            published.append(None if day is None else f"1987-06-{day:02d}")
            encoded.append(fingerprints[name])
    return Corpus(ids, published, encoded)


def timed(work):
    started = time.process_time()
    result = work()
    return result, time.process_time() - started


def compare_on(name: str, corpus: Corpus, config: Config) -> None:
    store = store_of(corpus)
    plain, plain_seconds = timed(lambda: plain_clusters(corpus, store, config))
    plain_described, plain_describe_seconds = timed(lambda: describe(corpus, store, plain, config))
    copies, group_seconds = timed(lambda: _core.CopyGroups(store))
    collapsed, collapsed_seconds = timed(lambda: collapsed_clusters(corpus, store, copies, config))
    collapsed_described, collapsed_describe_seconds = timed(
        lambda: describe(corpus, store, collapsed, config, copies))
    largest = max(len(group) for group in plain)
    print(f"{name}: {len(corpus.ids):,} articles, {len(copies):,} distinct fingerprints, "
          f"{sum(len(g) > 1 for g in plain):,} clusters with copies (largest {largest:,})")
    print(f"  clusters identical: {plain == collapsed}; described (centralities, canonical, scores) identical: "
          f"{plain_described == collapsed_described}")
    print(f"  plain: cluster {plain_seconds:.2f} s + describe {plain_describe_seconds:.2f} s; collapsed: groups "
          f"{group_seconds:.3f} s + cluster {collapsed_seconds:.3f} s + describe {collapsed_describe_seconds:.3f} s",
          flush=True)


def time_alone(corpus: Corpus, config: Config) -> None:
    store, store_seconds = timed(lambda: store_of(corpus))
    copies, group_seconds = timed(lambda: _core.CopyGroups(store))
    clusters, cluster_seconds = timed(lambda: collapsed_clusters(corpus, store, copies, config))
    _, describe_seconds = timed(lambda: describe(corpus, store, clusters, config, copies))
    largest = max(len(group) for group in clusters)
    print(f"  {len(corpus.ids):,} articles (largest cluster {largest:,}): store {store_seconds:.2f} s, groups "
          f"{group_seconds:.3f} s, candidates + verify + clusters {cluster_seconds:.3f} s, describe "
          f"{describe_seconds:.3f} s; after the store {group_seconds + cluster_seconds + describe_seconds:.2f} s",
          flush=True)


# Pathological shapes through the whole CLI: the baseline's newsdedup and this one, same files.

SHAPES = ("copies-20000", "versions-2x10000", "versions-5x4000", "chain-5000", "article-50mb-text",
          "article-50mb-jsonl")


def story_versions(story: str) -> list[str]:
    """The story, then four versions a reprint makes of it: shortened, extended, edited, cut at the top."""
    paragraphs = [part for part in story.split("\n\n") if part.strip()]
    sentences = story.split(". ")
    added = "Analysts said the outlook for the next season depended on rains in the coming weeks."
    return [story, "\n\n".join(paragraphs[:-1]), story + "\n\n" + added, ". ".join(sentences[:1] + sentences[2:]),
            "\n\n".join(paragraphs[1:])]


def reprint_lines(texts: list[str], copies: int, seed: int = 5) -> list[dict]:
    """Each text reprinted ``copies`` times under random ids, over a week (some undated)."""
    rng = random.Random(seed)
    lines = []
    for version, text in enumerate(texts):
        for number in range(copies):
            day = rng.choice([None, 1, 2, 2, 3, 3, 3, 4, 5, 8])
            lines.append({"id": f"site-{rng.randrange(10**9):09d}-{version}-{number}", "text": text,
                          **({"published": f"1987-06-{day:02d}"} if day else {})})
    return lines


def edit_chain(story: str, length: int, seed: int = 9) -> list[dict]:
    """``length`` articles, each the previous one with one word replaced."""
    rng = random.Random(seed)
    words = story.split(" ")
    lines = []
    for number in range(length):
        lines.append({"id": f"edit-{number:05d}", "text": " ".join(words)})
        words[rng.randrange(len(words))] = f"word{number}"
    return lines


def big_text(stories: list[str], size: int) -> str:
    """About ``size`` bytes of real paragraphs, one article."""
    parts, total = [], 0
    for story in itertools.cycle(stories):
        parts.append(" ".join(story.split()))
        total += len(parts[-1]) + 2
        if total >= size:
            return "\n\n".join(parts)
    raise AssertionError("unreachable")


def write_shape(name: str, folder: Path, story: str, stories: list[str]) -> Path:
    """The input file of one shape (made once)."""
    path = folder / (f"{name}.txt" if name.endswith("-text") else f"{name}.jsonl")
    if path.exists():
        return path
    if name == "copies-20000":
        lines = reprint_lines([story], 20000)
    elif name == "versions-2x10000":
        lines = reprint_lines(story_versions(story)[:2], 10000)
    elif name == "versions-5x4000":
        lines = reprint_lines(story_versions(story), 4000)
    elif name == "chain-5000":
        lines = edit_chain(" ".join(stories[0].split()) + " " + story, 5000)
    elif name == "article-50mb-text":
        path.write_text(big_text(stories, 50_000_000), encoding="utf-8")
        return path
    else:
        lines = [{"id": "big", "text": big_text(stories, 50_000_000)}]
    with path.open("w", encoding="utf-8") as stream:
        for line in lines:
            stream.write(json.dumps(line) + "\n")
    return path


def run_cli(command: list[str], memory_limit: int, seconds: int) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one run, killed past the memory or time limit."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    outcome = "ok"
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)  # reaps the child: Popen must not poll
        if pid:
            break
        time.sleep(0.05)
        try:
            lines = Path(f"/proc/{process.pid}/status").read_text().splitlines()
            rss = int(next(line for line in lines if line.startswith("VmRSS")).split()[1]) * 1024
        except (OSError, StopIteration):
            continue
        if outcome == "ok" and (rss > memory_limit or time.perf_counter() - started > seconds):
            outcome = "over the memory limit" if rss > memory_limit else "over the time limit"
            process.kill()
    process.returncode = status  # already reaped
    if outcome == "ok" and status != 0:
        outcome = f"exit status {status}"
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, outcome


def cluster_figures(program: str, path: Path, args: argparse.Namespace) -> tuple[float, float, float, str]:
    """Median wall seconds, CPU seconds and peak RSS (MB) of ``args.repeat`` runs of `program cluster path`,
    and the number of runs (or why one failed)."""
    command = [program, "cluster", str(path), "--format", "json", "--quiet", "--no-config",
               "--set", "input.max_bytes=60000000"]
    runs = [run_cli(command, args.memory_limit << 20, args.time_limit) for _ in range(args.repeat)]
    failed = [outcome for *_, outcome in runs if outcome != "ok"]
    wall, cpu, peak = (statistics.median(run[column] for run in runs) for column in range(3))
    return wall, cpu, peak, failed[0] if failed else f"{len(runs)}"


def time_shapes(args: argparse.Namespace, story: str, stories: list[str]) -> None:
    """Median wall time and peak RSS of ``newsdedup cluster`` on each shape, baseline and this one."""
    args.scratch.mkdir(parents=True, exist_ok=True)
    ours = str(Path(sys.executable).with_name("newsdedup"))
    print(f"{'shape':<22} {'which':<8} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}  runs")
    for name in args.shapes:
        path = write_shape(name, args.scratch, story, stories)
        for label, program in ((("baseline", args.baseline),) if args.baseline else ()) + (("this", ours),):
            wall, cpu, peak, note = cluster_figures(program, path, args)
            print(f"{name:<22} {label:<8} {wall:>8.2f} {cpu:>8.2f} {peak:>8.0f}  {note}", flush=True)


def versions_corpus(base: Corpus, story: str, shape: str, config: Config) -> Corpus:
    """``base`` plus K versions of ``story`` each reprinted N times (shape "KxN"), over a week."""
    kinds, copies = (int(part) for part in shape.split("x"))
    lines = reprint_lines(story_versions(story)[:kinds], copies)
    encoded = core_fingerprints([line["text"] for line in lines[::copies]], config)
    return Corpus(base.ids + [line["id"] for line in lines],
                  base.published + [line.get("published") for line in lines],
                  base.encoded + [encoded[number // copies] for number in range(len(lines))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scratch", type=Path, required=True,
                        help="prepared corpora (core_serial_prepare.py); with --shapes, where their inputs are written")
    parser.add_argument("--reuters", type=Path, required=True, help="reuters21578.jsonl: the reprinted story")
    parser.add_argument("--copies", type=int, default=2000, help="reprints compared with the plain stages")
    parser.add_argument("--alone", type=int, nargs="*", default=[2000, 20000], help="reprints timed collapsed")
    parser.add_argument("--versions", nargs="*", default=["2x300", "5x100"],
                        help="K versions reprinted N times each (KxN), compared with the plain stages")
    parser.add_argument("--versions-alone", nargs="*", default=["2x10000", "5x4000"],
                        help="KxN shapes timed collapsed")
    parser.add_argument("--shapes", nargs="*", choices=SHAPES,
                        help="time `newsdedup cluster` on these shapes instead, --baseline's and this venv's")
    parser.add_argument("--baseline", help="the newsdedup to compare with (another install's bin/newsdedup)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per shape and program (medians)")
    parser.add_argument("--memory-limit", type=int, default=6000, help="MB of RSS past which a run is stopped")
    parser.add_argument("--time-limit", type=int, default=300, help="seconds after which a run is stopped")
    parser.add_argument("corpora", nargs="*", default=["wire", "reuters", "modern-20000"],
                        help="prepared corpora to compare on")
    args = parser.parse_args()
    with args.reuters.open(encoding="utf-8") as stream:
        stories = [json.loads(line)["text"] for line in stream]
    story = next(text for text in stories if 2500 < len(text) < 4000)  # the Bahia cocoa review
    story = "\n\n".join(" ".join(lines.split()) for lines in story.split("\n    "))  # Reuters indents paragraphs
    if args.shapes:
        time_shapes(args, story, stories)
        return
    config = Config()
    for name in args.corpora:
        documents, encoded = prepared(name, [], args.scratch)
        compare_on(name, Corpus([d.id for d in documents], [d.published for d in documents], encoded), config)
    documents, encoded = prepared("wire", [], args.scratch)
    wire = Corpus([d.id for d in documents], [d.published for d in documents], encoded)
    compare_on(f"wire + {args.copies:,} reprints", reprinted(wire, story, args.copies, config), config)
    for shape in args.versions:
        compare_on(f"wire + {shape} versions", versions_corpus(wire, story, shape, config), config)
    print("collapsed stages alone:")
    for copies in args.alone:
        time_alone(reprinted(wire, story, copies, config), config)
    for shape in args.versions_alone:
        print(f"  {shape} versions:", end="")
        time_alone(versions_corpus(wire, story, shape, config), config)


if __name__ == "__main__":
    main()
