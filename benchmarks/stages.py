"""Where the time of one `cluster` run goes: wall time per stage, CPU of the workers, peak memory.

Runs the library on INPUT with the stage progress callbacks timestamped. Read and
fingerprint overlap (articles stream through the workers while the file is read); the
later stages run one after another in the main process. With --profile, the main
process's busiest functions are listed too.

    python benchmarks/stages.py /tmp/bench/modern-100000.jsonl --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import time

from newsdedup.config import Config
from newsdedup.pipeline import cluster_articles
from newsdedup.report import render_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--profile", action="store_true", help="also profile the main process")
    args = parser.parse_args()

    first: dict[str, float] = {}
    last: dict[str, float] = {}

    def on_progress(stage: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        first.setdefault(stage, now)
        last[stage] = now

    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = cluster_articles(args.inputs, Config(), on_progress=on_progress, workers=args.workers)
    report_started = time.perf_counter()
    report = render_json(result)
    finished = time.perf_counter()
    if profiler:
        profiler.disable()

    first["report"], last["report"] = report_started, finished
    print(f"{result.article_count:,} articles, {len(result.clusters):,} clusters, {len(report) / 2**20:,.0f} MB "
          f"of JSON, {finished - started:.1f} s in all, {args.workers} workers")
    print("| stage | starts at | ends at | wall time |")
    print("|---|---|---|---|")
    for stage in first:
        print(f"| {stage} | {first[stage] - started:.1f} s | {last[stage] - started:.1f} s | "
              f"{last[stage] - first[stage]:.1f} s |")
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"CPU: main process {own.ru_utime + own.ru_stime:.1f} s, workers {workers.ru_utime + workers.ru_stime:.1f} s; "
          f"peak RSS: main {own.ru_maxrss / 1024:,.0f} MB, largest worker {workers.ru_maxrss / 1024:,.0f} MB")
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
        print(text.getvalue())


if __name__ == "__main__":
    main()
