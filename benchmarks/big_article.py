"""Memory of one very long article, and the per-article cost of the same code on normal ones.

Issue 11 asks that one 50 MB article stay within a small multiple of its size. This script runs
`newsdedup cluster` on the 50 MB shapes of core_copies.py (real Reuters-21578 stories, one
paragraph each, repeated up to 50 MB: as a text file and as one JSON Lines line), the
baseline's (--baseline) and this venv's, and prints the median wall time, CPU time and peak
RSS of --repeat runs of each, with the peak as a multiple of the article's size.

Then, since the long-text paths must not slow normal articles down, it times
`_core.prepare_batch` (clean and fingerprint, one thread) on the first --articles Reuters
stories with the baseline's Python and with this one, in turns, and prints the median CPU
seconds of --runs calls in each, per article:

    python benchmarks/big_article.py --scratch /tmp/big \\
        --reuters ../shared/corpora/reuters21578/reuters21578.jsonl
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

SHAPES = ("article-50mb-text", "article-50mb-jsonl")


def stories_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line)["text"] for line in stream]


def peaks(args: argparse.Namespace, stories: list[str]) -> None:
    """Median wall, CPU and peak RSS of `newsdedup cluster` on each 50 MB shape, baseline and this one."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from core_copies import cluster_figures, write_shape  # here: the baseline's Python times prepare_batch without it

    args.scratch.mkdir(parents=True, exist_ok=True)
    ours = str(Path(sys.executable).with_name("newsdedup"))
    print(f"{'shape':<20} {'which':<8} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'x size':>7}  runs")
    for name in SHAPES:
        path = write_shape(name, args.scratch, stories[0], stories)
        size = path.stat().st_size
        for label, program in (("baseline", args.baseline), ("this", ours)):
            wall, cpu, peak, note = cluster_figures(program, path, args)
            print(f"{name:<20} {label:<8} {wall:>7.2f} {cpu:>7.2f} {peak:>8.0f} {peak * 2**20 / size:>7.1f}  {note}",
                  flush=True)


def prepare_seconds(reuters: Path, count: int) -> float:
    """CPU seconds of one `_core.prepare_batch` call on the first ``count`` stories, one thread."""
    from newsdedup import _core
    from newsdedup.clean import clean_settings
    from newsdedup.config import Config
    from newsdedup.fingerprint import core_arguments

    config = Config()
    rows = [(f"a{number:08d}", str(reuters), text, None, None, None, None, "utf-8", None)
            for number, text in enumerate(stories_of(reuters)[:count])]
    batch = _core.ArticleBatch(rows)
    settings = clean_settings(config.boilerplate, config.canonical)
    arguments = core_arguments(config.fingerprint)
    _core.prepare_batch(batch, _core.DocumentTable(), settings, *arguments, False, 1)  # warm up
    started = time.process_time()
    _core.prepare_batch(batch, _core.DocumentTable(), settings, *arguments, False, 1)
    return time.process_time() - started


def speeds(args: argparse.Namespace) -> None:
    """Median per-article CPU time of prepare_batch, the baseline's Python and this one taking turns."""
    pythons = {"baseline": str(Path(args.baseline).with_name("python")), "this": sys.executable}
    times: dict[str, list[float]] = {label: [] for label in pythons}
    for _ in range(args.runs):
        for label, python in pythons.items():
            output = subprocess.run([python, __file__, "--prepare-seconds", "--reuters", str(args.reuters),
                                     "--articles", str(args.articles), "--scratch", str(args.scratch)],
                                    check=True, capture_output=True, text=True).stdout
            times[label].append(float(output))
    print(f"\n_core.prepare_batch on {args.articles} Reuters stories, one thread, median of {args.runs}:")
    for label, seconds in times.items():
        per_article = statistics.median(seconds) / args.articles * 1e6
        print(f"{label:<8} {per_article:>7.1f} µs per article  (runs: {', '.join(f'{s:.3f}' for s in seconds)} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scratch", type=Path, required=True, help="where the 50 MB inputs are written (once)")
    parser.add_argument("--reuters", type=Path, required=True, help="reuters21578.jsonl: the stories")
    parser.add_argument("--baseline", default="/work/main/.venv/bin/newsdedup", help="the newsdedup to compare with")
    parser.add_argument("--repeat", type=int, default=3, help="runs per shape and program (medians)")
    parser.add_argument("--memory-limit", type=int, default=8000, help="MB of RSS past which a run is stopped")
    parser.add_argument("--time-limit", type=int, default=300, help="seconds after which a run is stopped")
    parser.add_argument("--articles", type=int, default=3000, help="stories timed through prepare_batch")
    parser.add_argument("--runs", type=int, default=5, help="timings of prepare_batch per Python (medians)")
    parser.add_argument("--skip-peaks", action="store_true", help="time prepare_batch only")
    parser.add_argument("--prepare-seconds", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare_seconds:
        print(prepare_seconds(args.reuters, args.articles))
        return
    if not args.skip_peaks:
        peaks(args, stories_of(args.reuters))
    speeds(args)


if __name__ == "__main__":
    main()
