"""Peak memory and time of `newsdedup cluster` against a baseline install, and what a run holds per article.

Three measures, each for this checkout and for a baseline install (another venv's
`newsdedup`, e.g. main's), in the same run so that the machine's load hits both alike:

1. End to end: `newsdedup cluster CORPUS --format json -o FILE` in a child process, peak
   RSS (the child's ru_maxrss from wait4) and wall time, median of --runs, the two sides
   alternating; the two reports must be byte-identical.
2. By stage: one run in a child process of each side's Python, the RSS high-water mark
   when each stage (read, fingerprint, index, verify, cluster, report) ends, so the peak
   can be placed.
3. Held per article: after a run on --held-corpus (smaller: tracemalloc slows a run
   several times), the bytes the Result keeps (Python objects by tracemalloc, plus what
   the core's document table holds, which tracemalloc does not see), divided by articles.

Then a projection to a million articles: peak RSS by stage fitted as a + b*N through the
two corpus sizes measured (--corpus and --held-corpus), which assumes every holder grows
linearly (see the printed notes for which do).

    python benchmarks/memory.py --corpus /work/scratch/modern-100000.jsonl \\
        --held-corpus /work/scratch/modern-20000.jsonl --baseline /work/main/.venv/bin/newsdedup
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = ("read", "fingerprint", "index", "verify", "cluster", "report")


def _high_water_kb() -> int:
    """This process's peak RSS so far (VmHWM), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def stage_peaks(corpus: str, workers: int) -> dict[str, int]:
    """In this process: the RSS high-water mark (KiB) when each stage ends, the report written to /dev/null."""
    from newsdedup.config import Config
    from newsdedup.pipeline import cluster_articles
    from newsdedup.report import write_report

    peaks: dict[str, int] = {"start": _high_water_kb()}

    def progress(stage: str, done: int, total: int | None) -> None:
        if total is not None and done >= total:
            peaks[stage] = _high_water_kb()

    result = cluster_articles([corpus], Config(), on_progress=progress, workers=workers)
    with open(os.devnull, "w", encoding="utf-8") as sink:
        write_report(result, "json", sink)
    peaks["report"] = _high_water_kb()
    peaks["articles"] = result.article_count
    return peaks


def held_bytes(corpus: str, workers: int) -> dict[str, float]:
    """In this process: bytes the Result of a run on ``corpus`` holds, in Python and in the core."""
    import gc
    import tracemalloc

    from newsdedup.config import Config
    from newsdedup.pipeline import cluster_articles

    tracemalloc.start()
    result = cluster_articles([corpus], Config(), workers=workers)
    gc.collect()
    with_result = tracemalloc.get_traced_memory()[0]
    articles = result.article_count
    table = getattr(result.clusters, "_documents", None)  # this checkout's ClusterTable: the core's documents
    core = table.held_bytes() if table is not None else 0
    del result, table
    gc.collect()
    python = with_result - tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {"articles": articles, "python": python, "core": core}


def _child_json(python: str, mode: str, corpus: str, workers: int) -> dict[str, float]:
    """Run this script's ``mode`` in another interpreter (each side's own newsdedup) and read its answer."""
    done = subprocess.run([python, __file__, f"--{mode}", corpus, "--workers", str(workers)],
                          check=True, capture_output=True, text=True)
    answer: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return answer


def end_to_end(command: str, corpus: str, output: Path, workers: int) -> tuple[float, int]:
    """(wall seconds, peak RSS in KiB) of one `newsdedup cluster` child."""
    started = time.perf_counter()
    child = subprocess.Popen([command, "cluster", corpus, "--format", "json", "-o", str(output), "-q",
                              "--workers", str(workers)])
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{command} cluster {corpus} exited {child.returncode}")
    return seconds, usage.ru_maxrss


def _python_of(command: str) -> str:
    """The interpreter beside a venv's ``newsdedup`` script."""
    return str(Path(command).with_name("python"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", help="JSON Lines corpus for the end-to-end and stage figures")
    parser.add_argument("--held-corpus", help="a smaller corpus for the held-bytes figure (tracemalloc is slow)")
    parser.add_argument("--baseline", help="the baseline's `newsdedup` (another venv's), e.g. main's")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stages", metavar="CORPUS", help=argparse.SUPPRESS)  # child mode
    parser.add_argument("--held", metavar="CORPUS", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    if args.stages:
        print(json.dumps(stage_peaks(args.stages, args.workers)))
        return
    if args.held:
        print(json.dumps(held_bytes(args.held, args.workers)))
        return
    if not (args.corpus and args.held_corpus and args.baseline):
        parser.error("--corpus, --held-corpus and --baseline are needed")

    sides = {"baseline": args.baseline, "this": str(Path(sys.executable).with_name("newsdedup"))}
    print(f"corpus {args.corpus}; {args.runs} runs each, alternating; --workers {args.workers}", flush=True)
    with tempfile.TemporaryDirectory(prefix="newsdedup-memory-") as scratch:
        outputs = {side: Path(scratch) / f"{side}.json" for side in sides}
        figures: dict[str, list[tuple[float, int]]] = {side: [] for side in sides}
        for _ in range(args.runs):
            for side, command in sides.items():
                figures[side].append(end_to_end(command, args.corpus, outputs[side], args.workers))
                seconds, peak = figures[side][-1]
                print(f"  {side:8} {seconds:6.1f} s  {peak / 1024:7.0f} MiB", flush=True)
        identical = filecmp.cmp(outputs["baseline"], outputs["this"], shallow=False)
    print(f"reports byte-identical: {identical}")
    print(f"\n{'side':8} {'median s':>9} {'peak MiB':>9}")
    for side, runs in figures.items():
        print(f"{side:8} {statistics.median(s for s, _ in runs):9.1f} "
              f"{statistics.median(p for _, p in runs) / 1024:9.0f}")

    print("\nRSS high-water mark (MiB) when each stage ends, one run each side:")
    staged = {side: {size: _child_json(_python_of(command), "stages", corpus, args.workers)
                     for size, corpus in (("small", args.held_corpus), ("large", args.corpus))}
              for side, command in sides.items()}
    print(f"{'stage':12}" + "".join(f"{side + ' ' + size:>16}" for side in sides for size in ("small", "large"))
          + "".join(f"{side + ' 1M':>16}" for side in sides))
    for stage in ("start", *STAGES):
        cells = [staged[side][size].get(stage) for side in sides for size in ("small", "large")]
        projected = []
        for side in sides:
            small, large = staged[side]["small"], staged[side]["large"]
            if stage in small and stage in large:
                slope = (large[stage] - small[stage]) / (large["articles"] - small["articles"])
                projected.append(small[stage] + slope * (1_000_000 - small["articles"]))
            else:
                projected.append(None)
        print(f"{stage:12}" + "".join(f"{'-' if kib is None else f'{kib / 1024:.0f}':>16}"
                                      for kib in [*cells, *projected]))
    print("articles    " + "".join(f"{staged[side][size]['articles']:>16,}" for side in sides
                                   for size in ("small", "large")))

    print(f"\nheld after a run on {args.held_corpus} (bytes per article):")
    for side, command in sides.items():
        held = _child_json(_python_of(command), "held", args.held_corpus, args.workers)
        articles = held["articles"]
        print(f"  {side:8} Python {held['python'] / articles:7.0f}  core document table {held['core'] / articles:5.0f}"
              f"  total {(held['python'] + held['core']) / articles:7.0f}  "
              f"(at 1M: {(held['python'] + held['core']) / articles * 1e6 / 2**20:5.0f} MiB)")


if __name__ == "__main__":
    main()
