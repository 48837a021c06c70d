"""Score `newsdedup cluster` on a corpus of planted copies (make_planted_corpus.py): the issue 12 yardstick.

    python benchmarks/planted.py --reuters ../shared/corpora/reuters21578/reuters21578.jsonl \\
        --baseline /work/main/.venv/bin/newsdedup

Builds the corpus in a temporary folder (or reads ``--corpus DIR``), runs the installed CLI
(`newsdedup cluster OUT/articles.jsonl --format json`, ``--newsdedup PATH`` for another
install, ``--baseline PATH`` for a second one scored beside it) and prints, per install:
pairwise precision, recall and F1, the false merges (by the kinds of the two articles), the
copies not in their original's cluster by kind, the missed pairs by kind (a pair of two
copies counts under each copy kind it involves) and the run time of `cluster`.

The figures come from newsdedup.evaluate.score, the function `newsdedup eval` reports; eval
itself is not run because it clusters in-process with the installed library, and the
breakdown by kind needs the clusters of whichever install is measured.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from cluster_run import cluster_report, predicted_clusters
from make_planted_corpus import add_corpus_options, write_planted_corpus
from newsdedup.evaluate import read_labels, score


def run(newsdedup: str, articles: Path) -> tuple[dict[str, int], float]:
    """article id -> predicted cluster id, and the wall time of the run."""
    report, seconds = cluster_report(newsdedup, articles)
    if report["skipped"]:
        print(f"note: {newsdedup} skipped {len(report['skipped'])} articles", file=sys.stderr)
    return predicted_clusters(report), seconds


def errors_by_kind(predicted: dict[str, int], labels: dict[str, str], kinds: dict[str, str]) -> tuple[
        Counter[str], Counter[str]]:
    """Missed pairs under each copy kind they involve, and false merges under each kind merged."""
    missed: Counter[str] = Counter()
    merged: Counter[str] = Counter()
    by_label: dict[str, list[str]] = defaultdict(list)
    for article_id, label in labels.items():
        by_label[label].append(article_id)
    for members in by_label.values():
        for left, right in combinations(sorted(members), 2):
            if predicted.get(left) != predicted.get(right):
                for kind in {kinds[left], kinds[right]} - {"original"} or {"original"}:
                    missed[kind] += 1
    by_cluster: dict[int, list[str]] = defaultdict(list)
    for article_id, cluster in predicted.items():
        by_cluster[cluster].append(article_id)
    for members in by_cluster.values():
        for left, right in combinations(sorted(members), 2):
            if labels[left] != labels[right]:
                merged[" + ".join(sorted({kinds[left], kinds[right]}))] += 1
    return missed, merged


def copies_apart(predicted: dict[str, int], labels: dict[str, str], kinds: dict[str, str]) -> Counter[str]:
    """Copies not in their original's cluster, by kind: the misses one copy at a time."""
    originals = {labels[article_id]: article_id for article_id, kind in kinds.items() if kind == "original"}
    return Counter(kind for article_id, kind in kinds.items() if labels[article_id] in originals
                   and kind != "original" and predicted.get(article_id) != predicted.get(originals[labels[article_id]]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_options(parser)
    parser.add_argument("--corpus", type=Path, help="a corpus written by make_planted_corpus.py instead")
    parser.add_argument("--newsdedup", default=shutil.which("newsdedup") or "newsdedup", help="the CLI to score")
    parser.add_argument("--baseline", help="another newsdedup CLI, scored beside it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus
        if not corpus:
            if not args.reuters:
                parser.error("give --reuters (to build the corpus) or --corpus")
            corpus = Path(scratch) / "planted"
            write_planted_corpus(args.reuters, corpus, args.size, args.copy_share, args.seed)
        manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
        labels = read_labels(corpus / "labels.tsv")
        kinds = dict(line.split("\t") for line in (corpus / "kinds.tsv").read_text(encoding="utf-8").split("\n")[1:]
                     if line)
        print(f"corpus: {corpus} ({manifest['articles']} articles, {manifest['stories']} stories, "
              f"{manifest['stories_with_copies']} with copies, seed {manifest['seed']})")
        print("planted: " + ", ".join(f"{kind} {count}" for kind, count in manifest["kinds"].items()))
        installs = {"measured": args.newsdedup, **({"baseline": args.baseline} if args.baseline else {})}
        pairs, _ = errors_by_kind({article_id: n for n, article_id in enumerate(labels)}, labels, kinds)  # all apart
        rows: dict[str, dict[str, str]] = defaultdict(dict)
        missed_rows: dict[str, dict[str, str]] = defaultdict(dict)
        merged_rows: dict[str, dict[str, str]] = defaultdict(dict)
        apart_rows: dict[str, dict[str, str]] = defaultdict(dict)
        planted = Counter(kind for kind in kinds.values())
        for name, newsdedup in installs.items():
            predicted, seconds = run(newsdedup, corpus / "articles.jsonl")
            scores = score(predicted, labels)
            missed, merged = errors_by_kind(predicted, labels, kinds)
            for figure in ("pairwise_precision", "pairwise_recall", "pairwise_f1"):
                value = getattr(scores, figure)
                rows[figure.removeprefix("pairwise_")][name] = "-" if value is None else f"{value:.4f}"
            rows["labelled pairs"][name] = str(scores.true_pairs)
            rows["false merges (pairs)"][name] = str(scores.predicted_pairs - scores.correct_pairs)
            rows["missed pairs"][name] = str(scores.true_pairs - scores.correct_pairs)
            rows["time (s)"][name] = f"{seconds:.1f}"
            for kind in pairs:
                missed_rows[f"  missed, {kind} (of {pairs[kind]})"][name] = str(missed[kind])
            apart = copies_apart(predicted, labels, kinds)
            for kind in pairs:
                apart_rows[f"  apart from original, {kind} (of {planted[kind]})"][name] = str(apart[kind])
            for kind, count in merged.items():
                merged_rows[f"  merged, {kind}"][name] = str(count)
        table = {**rows, "copies apart from their original": {}, **dict(sorted(apart_rows.items())),
                 "missed pairs by the copy kinds they involve": {}, **dict(sorted(missed_rows.items())),
                 "false merges by the kinds merged": {}, **dict(sorted(merged_rows.items()))}
        width = max(len(row) for row in table)
        print(f"{'':<{width}}  " + "  ".join(f"{name:>10}" for name in installs))
        for row, values in table.items():
            cells = "  ".join(f"{values.get(name, '0'):>10}" for name in installs) if values or row.startswith(" ") else ""
            print(f"{row:<{width}}  " + cells)
        for name, newsdedup in installs.items():
            print(f"{name}: {newsdedup}")

if __name__ == "__main__":
    main()
