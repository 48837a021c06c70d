"""Where the time of one `cluster` run goes: wall time per stage, CPU, peak memory.

Runs the library on INPUT with the stage progress callbacks timestamped (whatever stages
the pipeline reports: read, fingerprint, index, verify, cluster, then the report). Read
and fingerprint overlap (the core cleans and fingerprints a batch on its threads while
the next one is read); the later stages run one after another, driven from the main
thread. With --sample N, the first N articles are cleaned and fingerprinted again on one
thread, each step timed alone.

--profile adds where the time of the main thread goes:

- ``--profile cprofile``: cProfile of the main thread over the whole run, the busiest
  functions by own time. A call into the core counts as the Python function that made it
  (``prepare_batch``, ``pairs``...), its work on the core's threads as time waited for
  (``acquire``). cProfile slows every Python call, so the stage times of a profiled run
  read high where Python does per-article work.
- ``--profile py-spy``: the run again under py-spy (sampling, ``--native``: Rust frames of
  the core included), summarised per Python thread by own and total samples per
  function, waits included. py-spy sees the threads that run Python (the main one, the
  prepare one), not the core's rayon threads, whose work shows as the waits of the
  threads that called it.
  py-spy is no dependency of newsdedup: ``pip install py-spy``.

    python benchmarks/stages.py /tmp/bench/modern-100000.jsonl --profile py-spy --sample 2000
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from itertools import islice
from pathlib import Path

from newsdedup.clean import clean_all
from newsdedup.config import Config
from newsdedup.fingerprint import fingerprint_all
from newsdedup.load import read_articles
from newsdedup.pipeline import articles_only, cluster_articles
from newsdedup.report import render_json


def one_thread_sample(inputs: list[str], count: int, config: Config) -> None:
    """Time cleaning and fingerprinting of the first ``count`` articles on one thread, each step alone."""
    articles = list(islice(articles_only(read_articles(inputs, config.input), []), count))
    started = time.perf_counter()
    documents = clean_all(articles, config.boilerplate, config.canonical, threads=1)
    cleaned = time.perf_counter()
    fingerprint_all(documents, config.fingerprint, threads=1)
    finished = time.perf_counter()
    print(f"one thread, first {len(articles):,} articles: clean {1000 * (cleaned - started) / len(articles):.3f} ms, "
          f"fingerprint {1000 * (finished - cleaned) / len(articles):.3f} ms per article (with the Python objects "
          "each step makes)")


def frame_name(frame: str) -> str:
    """A py-spy frame without its line number or Rust's symbol hash: one name per function."""
    frame = re.sub(r"::h[0-9a-f]{16}\b", "", frame)
    return re.sub(r":\d+\)$", ")", frame)


def py_spy_summary(raw: Path, top: int = 15) -> str:
    """Per Python thread, the functions with the most samples: the innermost of newsdedup's own in each stack, on
    top of the stack (own) and anywhere in it (total)."""
    own: dict[str, Counter[str]] = {}
    total: dict[str, Counter[str]] = {}
    innermost: dict[str, Counter[str]] = {}  # the deepest frame of newsdedup's own code in each sample
    samples: Counter[str] = Counter()
    lines = raw.read_text(encoding="utf-8", errors="replace").splitlines()
    # py-spy names a thread once Python has named it: its early samples go under its id alone.
    names_of: dict[str, str] = dict(re.findall(r"^thread \((\d+)\): ([^;]+);", "\n".join(lines), re.MULTILINE))
    for line in lines:
        stack, _, weight = line.rpartition(" ")
        found = re.match(r"thread \((\d+)\)[^;]*;", stack)
        if not weight.isdigit() or not found:
            continue
        hits = int(weight)
        frames = stack[found.end():].split(";")
        number = str(found.group(1))
        thread = re.sub(r"_\d+$", "", names_of.get(number, number))  # a pool's threads together
        names = [frame_name(frame) for frame in frames]
        samples[thread] += hits
        if names:
            own.setdefault(thread, Counter())[names[-1]] += hits
        ours = [name for name in names if "newsdedup/" in name or "newsdedup_core::" in name or "(stages.py)" in name]
        innermost.setdefault(thread, Counter())[ours[-1] if ours else "(outside newsdedup: start-up, imports)"] += hits
        for name in set(names):
            total.setdefault(thread, Counter())[name] += hits
    everything = sum(samples.values())
    summary = [f"py-spy: {everything:,} samples of the threads running Python, waits included (--idle)"]
    for thread, count in samples.most_common():
        summary += [f"\n{thread}: {count:,} samples ({100 * count / everything:.0f}%)",
                    "by the innermost function of newsdedup (its Python, the core's Rust) in the stack:",
                    "| samples | function |", "|---|---|"]
        summary += [f"| {100 * hits / count:.1f}% | {name} |"
                    for name, hits in innermost.get(thread, Counter()).most_common(top)]
        for order, ranking in (("own", own.get(thread, Counter())), ("total", total.get(thread, Counter()))):
            summary += [f"by {order} samples:", "| own | total | function |", "|---|---|---|"]
            for name, _ in ranking.most_common(top):
                summary.append(f"| {100 * own.get(thread, Counter())[name] / count:.1f}% | "
                               f"{100 * total[thread][name] / count:.1f}% | {name} |")
    return "\n".join(summary)


def run_under_py_spy(arguments: list[str]) -> None:
    """This script again without --profile, under py-spy; its output, then the summary of the samples."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        raise SystemExit("py-spy is not installed: pip install py-spy (a benchmark tool, no dependency of newsdedup)")
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "samples.txt"
        finished = subprocess.run([spy, "record", "--native", "--threads", "--format", "raw", "--rate", "100", "--idle",
                                   "--output", str(raw), "--", sys.executable, __file__, *arguments],
                                  stderr=subprocess.PIPE, text=True)
        if finished.returncode != 0 or not raw.exists():
            raise SystemExit(f"py-spy failed:\n{finished.stderr}")
        print(py_spy_summary(raw))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="threads of the core")
    parser.add_argument("--profile", choices=["cprofile", "py-spy"],
                        help="also show where the main thread's time goes (see above)")
    parser.add_argument("--sample", type=int, default=0, metavar="N",
                        help="also time cleaning and fingerprinting of the first N articles on one thread")
    args = parser.parse_args()
    if args.profile == "py-spy":
        arguments = [*args.inputs, "--workers", str(args.workers), "--sample", str(args.sample)]
        run_under_py_spy(arguments)
        return

    first: dict[str, float] = {}
    last: dict[str, float] = {}

    profiler = cProfile.Profile() if args.profile == "cprofile" else None

    def on_progress(stage: str, done: int, total: int | None) -> None:
        now = time.perf_counter()
        first.setdefault(stage, now)
        last[stage] = now

    if profiler:
        profiler.enable()
    started = time.perf_counter()
    result = cluster_articles(args.inputs, Config(), on_progress=on_progress, workers=args.workers)
    report_started = time.perf_counter()
    report = render_json(result)
    finished = time.perf_counter()
    if profiler:
        profiler.disable()

    first["report"], last["report"] = report_started, finished
    print(f"{result.article_count:,} articles, {len(result.clusters):,} clusters, {len(report) / 2**20:,.0f} MB "
          f"of JSON, {finished - started:.1f} s in all, {args.workers} threads")
    print("| stage | starts at | ends at | wall time |")
    print("|---|---|---|---|")
    for stage in first:
        print(f"| {stage} | {first[stage] - started:.1f} s | {last[stage] - started:.1f} s | "
              f"{last[stage] - first[stage]:.1f} s |")
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"CPU: {own.ru_utime + own.ru_stime:.1f} s (every thread); peak RSS {own.ru_maxrss / 1024:,.0f} MB")
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(20)
        print("cProfile of the main thread, by own time:")
        print(text.getvalue())
    if args.sample:
        one_thread_sample(args.inputs, args.sample, Config())


if __name__ == "__main__":
    main()
