"""What alignment costs a whole run: this install against one from before it, on the same corpus.

Issue 12 added the token sequence to every fingerprint (NDF2), alignment to verification,
a body store beside the document table, and each duplicate's `changes` to the report. This
script runs `newsdedup cluster CORPUS --format json` with two installs, alternately (so the
machine's other load falls on both alike), and prints the median wall time, CPU time and
peak RSS of each, and their ratios.

    python benchmarks/alignment_cost.py --corpus /work/scratch/modern-100000.jsonl \\
        --newsdedup .venv/bin/newsdedup --baseline /path/to/an/install/from/before/bin/newsdedup

The baseline is any install of a commit before the alignment (e.g. `git worktree add /tmp/before
de596fe` and `pip install -e` there).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import MEASURE  # noqa: E402  (the launcher that reports a child's own peak RSS)


def run(newsdedup: Path, corpus: Path, report: Path, workers: int) -> tuple[float, float, float, dict[str, int]]:
    """(seconds, CPU seconds, peak RSS in MB, the report's stats) of one run (speed.py's launcher: the
    child's own high-water mark, not this script's)."""
    command = [str(newsdedup), "cluster", str(corpus), "--format", "json", "--quiet", "-o", str(report),
               "--workers", str(workers)]
    finished = subprocess.run([sys.executable, "-c", MEASURE, *command], stdout=subprocess.PIPE, text=True,
                              check=True)
    seconds, cpu, status, peak = finished.stdout.split()[-4:]
    if int(status) != 0:
        raise SystemExit(f"{newsdedup} failed on {corpus} (status {status})")
    with report.open(encoding="utf-8") as stream:
        stats = json.load(stream)["stats"]
    return float(seconds), float(cpu), int(peak) / 1024, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="a JSON Lines corpus (read in place)")
    parser.add_argument("--newsdedup", type=Path, required=True, help="the install to measure")
    parser.add_argument("--baseline", type=Path, required=True, help="an install from before the alignment")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    installs = {"baseline": args.baseline, "alignment": args.newsdedup}
    figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in installs}
    stats: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(args.runs):
            for name, path in installs.items():
                seconds, cpu, peak, stats[name] = run(path, args.corpus, Path(scratch) / f"{name}.json", args.workers)
                figures[name].append((seconds, cpu, peak))
                print(f"run {number + 1} {name}: {seconds:.2f} s, {cpu:.2f} s CPU, {peak:.0f} MB", file=sys.stderr)
    medians = {name: [statistics.median(run[index] for run in runs) for index in range(3)]
               for name, runs in figures.items()}
    print(f"corpus {args.corpus.name}: {stats['alignment']['articles']} articles, "
          f"{stats['alignment']['duplicates']} duplicates (baseline {stats['baseline']['duplicates']}); "
          f"median of {args.runs} runs each, alternated, {args.workers} workers")
    print("| install | wall | CPU | peak RSS |")
    print("|---|---|---|---|")
    for name, (seconds, cpu, peak) in medians.items():
        print(f"| {name} | {seconds:.2f} s | {cpu:.2f} s | {peak:.0f} MB |")
    (base_s, base_cpu, base_peak), (new_s, new_cpu, new_peak) = medians["baseline"], medians["alignment"]
    print(f"| ratio | {new_s / base_s:.3f} | {new_cpu / base_cpu:.3f} | {new_peak / base_peak:.3f} |")


if __name__ == "__main__":
    main()
