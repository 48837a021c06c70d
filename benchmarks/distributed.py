"""The batch run on Dask against the local run: same report, the engine's overhead, what the client gathers.

    python benchmarks/distributed.py CORPUS... [--workers 1,2,4] [--runs 3] [--newsdedup PATH]

For each corpus (a file or folder newsdedup reads), a real ``dask scheduler`` and N ``dask
worker`` processes (one thread each, no nanny) are started on loopback for each N of
``--workers``, as on a cluster the run is pointed at. Each run is
``newsdedup cluster CORPUS --format json --quiet -o FILE`` in a subprocess, from a scratch working
directory: locally (``--workers`` of the local run: every core), and with ``--scheduler ADDRESS``.
Local and Dask runs alternate, so that both see the same load; the figures are medians of
``--runs`` runs, the ratio is Dask's median over the local median. Every Dask report is compared
byte for byte with the local one; a difference stops the script. A warm-up Dask run per N is not
timed (the workers import newsdedup once). ``local:2`` (a LocalCluster started by the command,
what ``--scheduler local:2`` costs a user) is timed too.

The client's side: peak resident memory of the command (its own process; the workers are not its
children here), and the bytes it gathers, measured in-process on the same cluster by wrapping the
client's gather (dask's sizeof of each result): listings (the articles' records without bodies,
ids and paths), candidate pairs, verified links, described clusters. Bytes per article and per
link give the bound: articles and links per GB of client memory.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Run as a script, this file's folder comes first on the path, and this file would stand for Dask's
# `distributed` package: the folder is taken off (the script imports nothing from it).
sys.path = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(self.seconds)


def run_command(command: list[str], output: Path, scratch: Path) -> tuple[float, float]:
    """(wall seconds, peak resident MB of the command's own process); exits if the run fails."""
    start = time.perf_counter()
    process = subprocess.Popen([*command, "--format", "json", "--quiet", "-o", str(output)], cwd=scratch,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed: {stderr.strip()}")
    return seconds, usage.ru_maxrss / 1024


class DaskCluster:
    """``dask scheduler`` and ``workers`` ``dask worker`` processes on loopback, stopped on exit."""

    def __init__(self, python: str, workers: int, scratch: Path) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []
        address_file = scratch / f"scheduler-{workers}.json"
        address_file.unlink(missing_ok=True)
        self._start(python, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                    "--no-dashboard", "--scheduler-file", str(address_file))
        deadline = time.monotonic() + 60
        while not address_file.exists() or not address_file.read_text():
            if time.monotonic() > deadline:
                sys.exit("the dask scheduler did not start")
            time.sleep(0.1)
        self.address = json.loads(address_file.read_text())["address"]
        for _ in range(workers):
            self._start(python, "distributed.cli.dask_worker", self.address, "--nthreads", "1", "--no-nanny",
                        "--no-dashboard", "--host", "127.0.0.1")
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)

    def _start(self, python: str, *command: str) -> None:
        self.processes.append(subprocess.Popen([python, "-m", *command], stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL, start_new_session=True))

    def __enter__(self) -> DaskCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def gathered_bytes(address: str, corpus: str) -> dict[str, Any]:
    """Run the corpus on the cluster in this process, summing dask's sizeof of what the client gathers."""
    from dask.sizeof import sizeof
    from distributed import Client

    from newsdedup import distributed
    from newsdedup.config import Config
    from newsdedup.verify import Links

    @sizeof.register(Links)
    def links_size(links: Links) -> int:
        return len(links.pairs) + len(links.similarities) + len(links.containments) + len(links.shared)

    sizes: dict[str, int] = {}
    client = Client(address, timeout=60)
    original_gather = client.gather

    def counted_gather(futures: Any, *args: Any, **kwargs: Any) -> Any:
        found = original_gather(futures, *args, **kwargs)
        stage = sys._getframe(1).f_code.co_name.lstrip("_")
        sizes[stage] = sizes.get(stage, 0) + sizeof(found)
        return found

    original_listings = distributed._listings

    def counted_listings(*args: Any, **kwargs: Any) -> Any:
        found = original_listings(*args, **kwargs)
        sizes["listings"] = sizeof([(listing.documents, listing.ids, listing.paths, listing.skipped)
                                    for listing in found])
        return found

    client.gather = counted_gather  # type: ignore[method-assign]
    distributed._listings = counted_listings
    try:
        result = distributed.cluster_on_dask([corpus], client, Config())
    finally:
        distributed._listings = original_listings
        client.close()
    articles = result.article_count
    return {"articles": articles, "duplicates": result.duplicate_count, "bytes": sizes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--newsdedup", default=str(Path(sys.executable).with_name("newsdedup")))
    args = parser.parse_args()
    counts = [int(count) for count in args.workers.split(",")]
    print(f"load average before: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        for corpus in args.corpora:
            corpus = str(Path(corpus).resolve())
            local_report = scratch / "local.json"
            local = Runs()
            seconds, peak = run_command([args.newsdedup, "cluster", corpus], local_report, scratch)
            expected = local_report.read_bytes()
            print(f"\n{corpus}: local run {seconds:.1f} s (warm-up), report {len(expected) >> 20} MB", flush=True)
            rows = []
            for count in counts:
                with DaskCluster(sys.executable, count, scratch) as cluster:
                    command = [args.newsdedup, "cluster", corpus, "--scheduler", cluster.address]
                    run_command(command, scratch / "dask.json", scratch)  # warm-up
                    on_dask = Runs()
                    for _ in range(args.runs):
                        for runs, run, output in ((local, [args.newsdedup, "cluster", corpus], local_report),
                                                  (on_dask, command, scratch / "dask.json")):
                            seconds, peak = run_command(run, output, scratch)
                            runs.seconds.append(seconds)
                            runs.peak_mb.append(peak)
                            if output.read_bytes() != expected:
                                sys.exit(f"{corpus}: the report of {' '.join(run)} differs from the local run's")
                    if count == counts[-1] or count == 2:
                        figures = gathered_bytes(cluster.address, corpus)
                    rows.append((f"Dask, {count} worker{'s' if count > 1 else ''}", on_dask))
            started = Runs()
            for _ in range(args.runs):
                seconds, peak = run_command([args.newsdedup, "cluster", corpus, "--scheduler", "local:2"],
                                            scratch / "dask.json", scratch)
                started.seconds.append(seconds)
                started.peak_mb.append(peak)
                if (scratch / "dask.json").read_bytes() != expected:
                    sys.exit(f"{corpus}: the report of --scheduler local:2 differs from the local run's")
            rows.append(("--scheduler local:2 (starts its cluster)", started))
            print(f"{'run':<44} {'median s':>9} {'x local':>8} {'client peak MB':>15}")
            print(f"{'local (2 threads)':<44} {local.median():>9.2f} {1:>8.2f} {statistics.median(local.peak_mb):>15.0f}")
            for name, runs in rows:
                print(f"{name:<44} {runs.median():>9.2f} {runs.median() / local.median():>8.2f} "
                      f"{statistics.median(runs.peak_mb):>15.0f}")
            print("every Dask report byte-identical to the local run's: yes")
            articles = figures["articles"]
            print(f"gathered by the client ({articles} articles, {figures['duplicates']} duplicates):")
            total = 0
            for stage, size in figures["bytes"].items():
                total += size
                print(f"  {stage:<20} {size / 2**20:>9.1f} MB  {size / max(articles, 1):>8.0f} B/article")
            print(f"  {'all':<20} {total / 2**20:>9.1f} MB  {total / max(articles, 1):>8.0f} B/article")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
