"""Time `newsdedup cluster` end to end on the seeds and the Reuters-21578 newswire.

Runs the real CLI in a subprocess (read to report, --format json), several times, and prints
medians, throughput, peak memory and the clusters found. In the same run it times a naive
baseline on the same Reuters stories (datasketch MinHash.update per shingle, MinHashLSH insert
and query, one process, no cleaning or verification) so the figures come with a ratio measured
on the same machine at the same moment.

    python benchmarks/cluster_time.py --reuters ../shared/corpora/reuters21578/reuters21578.jsonl
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from naive import naive_seconds  # noqa: E402

from newsdedup.config import Config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def run_cli(inputs: list[str]) -> tuple[float, dict, int]:
    """(seconds, report, peak RSS in MB of the child) for one `newsdedup cluster` run."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "newsdedup", "cluster", *inputs, "--format", "json", "--quiet"],
        capture_output=True, check=True, cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return seconds, json.loads(completed.stdout), peak_mb


def describe(name: str, runs: list[tuple[float, dict, int]]) -> str:
    seconds = statistics.median(run[0] for run in runs)
    report = runs[0][1]
    stats = report["stats"]
    largest = max((cluster["size"] for cluster in report["clusters"]), default=0)
    return (f"{name:<12} {stats['articles']:>7} articles  median {seconds:7.2f} s over {len(runs)} runs  "
            f"{stats['articles'] / seconds:8.0f} articles/s  peak RSS {max(r[2] for r in runs)} MB  "
            f"{stats['duplicate_clusters']} clusters with copies, {stats['duplicates']} duplicates, "
            f"largest cluster {largest}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuters", type=Path, help="reuters21578.jsonl (read in place, never copied)")
    parser.add_argument("--runs", type=int, default=3, help="runs per corpus (median reported)")
    parser.add_argument("--baseline-sample", type=int, default=3000, help="Reuters stories for the naive baseline")
    args = parser.parse_args()

    print(describe("seeds", [run_cli(["seeds/"]) for _ in range(args.runs)]))
    if args.reuters is None:
        return
    runs = [run_cli([str(args.reuters.resolve())]) for _ in range(args.runs)]
    print(describe("reuters", runs))
    with args.reuters.open(encoding="utf-8") as feed:
        texts = [json.loads(line)["text"] for line in feed]
    sample = texts[: args.baseline_sample]
    baseline = statistics.median(naive_seconds(sample, Config()) for _ in range(args.runs))
    baseline_rate = len(sample) / baseline
    ours_rate = runs[0][1]["stats"]["articles"] / statistics.median(run[0] for run in runs)
    print(f"baseline     {len(sample):>7} articles  median {baseline:7.2f} s  {baseline_rate:8.0f} articles/s "
          f"(MinHash.update per shingle + MinHashLSH, no cleaning or verification)")
    print(f"ratio        newsdedup end to end / naive baseline throughput = {ours_rate / baseline_rate:.2f}")


if __name__ == "__main__":
    main()
