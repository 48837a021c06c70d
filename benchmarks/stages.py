"""Where the time of one `cluster` run goes: wall time per stage, CPU of the workers, peak memory.

Runs the library on INPUT with the stage progress callbacks timestamped. Read and
fingerprint overlap (articles stream through the workers while the file is read); the
later stages run one after another in the main process. With --profile, the main
process's busiest functions in those later stages are listed too; with --worker-sample N, the first N articles
are cleaned and fingerprinted again in this process (what a worker does for them), timed
and profiled, since the workers' own time is only visible as CPU seconds.

    python benchmarks/stages.py /tmp/bench/modern-100000.jsonl --profile --worker-sample 2000
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import time
from itertools import islice

from newsdedup.clean import clean
from newsdedup.config import Config
from newsdedup.fingerprint import fingerprint
from newsdedup.load import read_articles
from newsdedup.pipeline import articles_only, cluster_articles
from newsdedup.report import render_json


def worker_sample(inputs: list[str], count: int, config: Config) -> None:
    """Time and profile cleaning and fingerprinting of the first ``count`` articles, in this process."""
    articles = list(islice(articles_only(read_articles(inputs, config.input), []), count))
    started = time.perf_counter()
    documents = [clean(article, config.boilerplate, config.canonical) for article in articles]
    cleaned = time.perf_counter()
    for document in documents:
        fingerprint(document, config.fingerprint)
    finished = time.perf_counter()
    print(f"one worker, first {len(articles):,} articles: clean {1000 * (cleaned - started) / len(articles):.2f} ms, "
          f"fingerprint {1000 * (finished - cleaned) / len(articles):.2f} ms per article")
    profiler = cProfile.Profile()
    profiler.enable()
    for article in articles:
        fingerprint(clean(article, config.boilerplate, config.canonical), config.fingerprint)
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(20)
    print(text.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--profile", action="store_true", help="also profile the main process")
    parser.add_argument("--worker-sample", type=int, default=0, metavar="N",
                        help="also time and profile a worker's cleaning and fingerprinting of the first N articles")
    args = parser.parse_args()

    first: dict[str, float] = {}
    last: dict[str, float] = {}

    profiler = cProfile.Profile() if args.profile else None

    def on_progress(stage: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        if profiler and stage == "index" and stage not in first:
            # From here on only the main process works. Profiling from the start would
            # also profile the forked workers, slowing them and losing their figures.
            profiler.enable()
        first.setdefault(stage, now)
        last[stage] = now

    started = time.perf_counter()
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
    if args.worker_sample:
        worker_sample(args.inputs, args.worker_sample, Config())


if __name__ == "__main__":
    main()
