"""Measure clustering quality with the default configuration, and sweep the verify thresholds.

Builds the labelled wire-reprint corpus (make_wire_corpus.py) from Reuters-21578, scores
newsdedup on it and on the seeds, prints one table, and writes a precision/recall-versus-
threshold plot so a person can see where each default sits.

    python benchmarks/quality.py --reuters ../shared/corpora/reuters21578/reuters21578.jsonl \\
        --plot docs/quality-sweep.png

matplotlib is needed for the plot only (pip install -e '.[bench]').
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_wire_corpus import add_corpus_options, corpus_for  # noqa: E402

from newsdedup.config import load_config  # noqa: E402
from newsdedup.evaluate import evaluate, read_labels  # noqa: E402
from newsdedup.pipeline import cluster_articles  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SWEEPS = {
    ("verify", "min_containment"): [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95],
    ("verify", "min_anchor_agreement"): [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0],
}


def measure(articles: Path, labels: Path, overrides=None) -> tuple[object, float]:
    config = load_config(ROOT / "config.yaml", environ={}, overrides=overrides)
    started = time.perf_counter()
    result = cluster_articles([str(articles)], config, workers=os.cpu_count() or 1, keep_bodies=True)
    seconds = time.perf_counter() - started
    return evaluate(result, read_labels(labels), config).scores, seconds


def row(name: str, scores, seconds: float) -> str:
    return (f"| {name} | {scores.articles} | {scores.pairwise_precision:.4f} | {scores.pairwise_recall:.4f} | "
            f"{scores.pairwise_f1:.4f} | {scores.adjusted_rand_index:.4f} | {scores.bcubed_f1:.4f} | {seconds:.1f} s |")


def plot(points: dict, defaults: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(points), figsize=(6 * len(points), 4.2), sharey=True)
    for axis, ((section, key), values) in zip(axes, points.items()):
        thresholds = [value for value, _ in values]
        for metric, style in (("pairwise_precision", "o-"), ("pairwise_recall", "s-"), ("pairwise_f1", "^--")):
            axis.plot(thresholds, [getattr(scores, metric) for _, scores in values], style,
                      label=metric.replace("_", " "))
        axis.axvline(defaults[(section, key)], color="grey", linestyle=":", label="default")
        axis.set_xlabel(f"{section}.{key}")
        axis.set_ylim(0.5, 1.01)
        axis.grid(alpha=0.3)
    axes[0].set_ylabel("score on the wire-reprint corpus")
    axes[0].legend(loc="lower left")
    figure.suptitle("newsdedup: precision and recall against the verify thresholds")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_options(parser)
    parser.add_argument("--plot", type=Path, help="write the threshold sweep as a PNG here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        corpus = corpus_for(args, parser, Path(scratch))
        print("| corpus | articles | pairwise precision | pairwise recall | pairwise F1 | ARI | B-cubed F1 | time |")
        print("|---|---|---|---|---|---|---|---|")
        print(row("seeds", *measure(ROOT / "seeds", ROOT / "seeds" / "labels.tsv")))
        print(row(f"wire reprints (seed {args.seed})", *measure(corpus / "articles", corpus / "labels.tsv")))
        if args.plot:
            defaults = {}
            config = load_config(ROOT / "config.yaml", environ={})
            points = {}
            for (section, key), values in SWEEPS.items():
                defaults[(section, key)] = getattr(getattr(config, section), key)
                points[(section, key)] = [
                    (value, measure(corpus / "articles", corpus / "labels.tsv", {section: {key: value}})[0])
                    for value in values
                ]
                for value, scores in points[(section, key)]:
                    print(f"sweep {section}.{key}={value}: precision {scores.pairwise_precision:.4f} "
                          f"recall {scores.pairwise_recall:.4f} F1 {scores.pairwise_f1:.4f}")
            plot(points, defaults, args.plot)
            print(f"plot written to {args.plot}")


if __name__ == "__main__":
    main()
