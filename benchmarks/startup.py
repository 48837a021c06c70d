"""Start-up cost: wall time of `newsdedup cluster seeds/`, of importing the CLI, and of a bare Python.

Each command runs as a fresh process, as a user runs it, from the repository root (so
./config.yaml is read, as there), with stdout and stderr to pipes. The venvs are measured
in turns within each round, so a load spike on a shared machine hits them alike; the
figures are medians (and minimums) of --runs rounds, of wall time and of the process's CPU
time (user + system), which a busy machine inflates less: on a quiet one they nearly meet. The bare `python -c pass` is each
venv's floor: what no change to newsdedup can remove. The JSON reports of the venvs are
compared byte for byte first.

Bytecode is cached as an installed package has it (PYTHONDONTWRITEBYTECODE is dropped), in
a temporary PYTHONPYCACHEPREFIX so no source tree is written to: without the cache, every
run would compile newsdedup's modules from source (an editable install has no .pyc).

    python benchmarks/startup.py                                   # this checkout's .venv alone
    python benchmarks/startup.py --venv ../baseline/.venv --venv .venv --runs 10
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "python -c pass": lambda venv: [str(venv / "bin" / "python"), "-c", "pass"],
    "import newsdedup.cli": lambda venv: [str(venv / "bin" / "python"), "-c", "import newsdedup.cli"],
    "newsdedup cluster seeds/": lambda venv: [str(venv / "bin" / "newsdedup"), "cluster", "seeds/"],
}


CACHE = tempfile.TemporaryDirectory(prefix="newsdedup-startup-pycache-")
ENV = {**{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPYCACHEPREFIX": CACHE.name}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def seconds(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``command``."""
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - started, _children_cpu() - cpu


def json_report(venv: Path) -> bytes:
    return subprocess.run([str(venv / "bin" / "newsdedup"), "cluster", "seeds/", "--format", "json"], cwd=ROOT,
                          env=ENV, stdin=subprocess.DEVNULL, capture_output=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", action="append", type=Path,
                        help="a virtual environment with newsdedup installed (repeatable; default: "
                             "this checkout's .venv)")
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    venvs = [venv.resolve() for venv in options.venv or [ROOT / ".venv"]]

    reports = {venv: json_report(venv) for venv in venvs}
    identical = len(set(reports.values())) == 1
    print(f"`newsdedup cluster seeds/ --format json`: {'byte-identical' if identical else 'DIFFERENT'} "
          f"across the venvs ({len(next(iter(reports.values())))} bytes)")

    for command in COMMANDS.values():  # warm the file and bytecode caches once
        for venv in venvs:
            seconds(command(venv))
    times: dict[tuple[str, Path], list[tuple[float, float]]] = {
        (name, venv): [] for name in COMMANDS for venv in venvs}
    for _ in range(options.runs):
        for name, command in COMMANDS.items():
            for venv in venvs:
                times[name, venv].append(seconds(command(venv)))

    print(f"ms, median (minimum) of {options.runs} runs, wall | CPU; each venv's newsdedup in its own column")
    print(f"{'command':<28}" + "".join(f"{str(venv):>36}" for venv in venvs))
    for name in COMMANDS:
        cells = []
        for venv in venvs:
            wall, cpu = ([run[kind] * 1000 for run in times[name, venv]] for kind in (0, 1))
            cells.append(f"{statistics.median(wall):.0f} ({min(wall):.0f}) | "
                         f"{statistics.median(cpu):.0f} ({min(cpu):.0f})")
        print(f"{name:<28}" + "".join(f"{cell:>36}" for cell in cells))
    if not identical:
        sys.exit(1)


if __name__ == "__main__":
    main()
