"""Time `newsdedup cluster` end to end on a folder of 1,000 distinct saved pages (issue 13's speed bar).

    python benchmarks/page_corpus.py /work/scratch/aeb /work/scratch/pages
    python benchmarks/page_corpus.py --source dragnet /work/scratch/dragnet /work/scratch/dragnet-all
    python benchmarks/page_speed.py /work/scratch/pages /work/scratch/dragnet-all \\
        [--pages 1000] [--folder /work/scratch/page-speed] [--runs 5] \\
        [--newsdedup PATH] [--baseline PATH_TO_OTHER_NEWSDEDUP]

The bar: "a 1,000-page folder is read and clustered at >= 200 pages/s on two cores (state the
median page size)". The folder is built from the ``pages/`` of the page corpora page_corpus.py
writes: every page of them, distinct by their bytes (a page copied twice would be read from a
warm cache and cluster with itself), ordered by the SHA-256 of the bytes, the first ``--pages``
kept; so the same corpora always give the same folder. Each run is
`newsdedup cluster FOLDER --format json --quiet` in a subprocess, from a scratch working
directory (no ./config.yaml read): wall time, and CPU time (user + system) of the child from
``resource.getrusage(RUSAGE_CHILDREN)``. The figures are the medians of ``--runs`` runs. With
``--baseline``, the baseline's runs alternate with the candidate's, so that both see the same
load, and the ratio of their median wall times is printed. The first run's report is checked:
every page in it once, in a cluster or skipped. Timings on a shared machine are noisy: the load
average is printed before and after.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def build_folder(corpora: list[Path], folder: Path, count: int) -> list[int]:
    """Fill ``folder`` with ``count`` distinct pages of the corpora; the sizes of the pages in bytes."""
    by_digest: dict[str, tuple[str, bytes]] = {}
    for corpus in corpora:
        pages = sorted((corpus / "pages").glob("*.html"))
        if not pages:
            sys.exit(f"{corpus}: no pages/*.html (see page_corpus.py)")
        for page in pages:
            data = page.read_bytes()
            by_digest.setdefault(hashlib.sha256(data).hexdigest(), (f"{corpus.name}-{page.name}", data))
    if len(by_digest) < count:
        sys.exit(f"only {len(by_digest)} distinct pages in {', '.join(map(str, corpora))}, {count} asked")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    sizes = []
    for digest in sorted(by_digest)[:count]:
        name, data = by_digest[digest]
        (folder / name).write_bytes(data)
        sizes.append(len(data))
    return sizes


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cluster(newsdedup: str, folder: Path, workdir: Path, expected: int | None) -> Run:
    """One timed `newsdedup cluster`; with ``expected``, check the report holds that many inputs."""
    cpu_before = children_cpu()
    start = time.perf_counter()
    done = subprocess.run([newsdedup, "cluster", str(folder), "--format", "json", "--quiet"],
                          capture_output=True, cwd=workdir)
    wall = time.perf_counter() - start
    cpu = children_cpu() - cpu_before
    if done.returncode != 0:
        sys.exit(f"{newsdedup} cluster {folder} failed ({done.returncode}): {done.stderr.decode().strip()}")
    if expected is not None:
        report = json.loads(done.stdout)
        seen = sum(len(found["members"]) for found in report["clusters"]) + len(report["skipped"])
        if seen != expected:
            sys.exit(f"{newsdedup}: the report holds {seen} inputs, the folder {expected}")
    return Run(wall, cpu)


def summary(name: str, runs: list[Run], pages: int) -> float:
    """Print one install's medians; its median wall time."""
    wall = statistics.median(run.wall for run in runs)
    cpu = statistics.median(run.cpu for run in runs)
    walls = ", ".join(f"{run.wall:.2f}" for run in runs)
    print(f"{name}: {pages / wall:.0f} pages/s, wall {wall:.2f} s (runs {walls}), "
          f"CPU {cpu:.2f} s ({cpu / wall:.2f} cores busy), {pages / cpu:.0f} pages per CPU second")
    return wall


def absolute(executable: str) -> str:
    """A path given with a folder made absolute (the runs start elsewhere); a bare name is left to PATH."""
    return str(Path(executable).resolve()) if os.sep in executable else executable


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", type=Path, nargs="+", help="folders page_corpus.py wrote (their pages/ are used)")
    parser.add_argument("--pages", type=int, default=1000, help="pages in the timed folder")
    parser.add_argument("--folder", type=Path, default=Path("/work/scratch/page-speed"),
                        help="where to build the timed folder (replaced)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each install (the median is shown)")
    parser.add_argument("--newsdedup", default="newsdedup", help="the newsdedup executable to time")
    parser.add_argument("--baseline", help="another newsdedup executable, timed alternately with the first")
    arguments = parser.parse_args()
    folder: Path = arguments.folder.resolve()  # the runs start in a scratch directory
    sizes = build_folder(arguments.corpora, folder, arguments.pages)
    pages = len(sizes)
    print(f"{pages} distinct pages in {folder}: median page size "
          f"{statistics.median(sizes) / 1024:.1f} KiB, total {sum(sizes) / 1024 / 1024:.1f} MiB; "
          f"{os.cpu_count()} cores; load average {load()}")
    installs = [("newsdedup", absolute(arguments.newsdedup))]
    if arguments.baseline:
        installs.append(("baseline", absolute(arguments.baseline)))
    runs: dict[str, list[Run]] = {name: [] for name, _ in installs}
    with tempfile.TemporaryDirectory() as workdir:
        for round_number in range(arguments.runs):
            for name, executable in installs:
                runs[name].append(cluster(executable, folder, Path(workdir),
                                          pages if round_number == 0 else None))
    print(f"median of {arguments.runs} runs of `cluster FOLDER --format json --quiet`; load average after {load()}")
    walls = {name: summary(f"{name} ({executable})", runs[name], pages) for name, executable in installs}
    if arguments.baseline:
        print(f"baseline wall / newsdedup wall: {walls['baseline'] / walls['newsdedup']:.2f}")


if __name__ == "__main__":
    main()
