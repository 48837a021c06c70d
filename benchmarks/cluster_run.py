"""Run an installed `newsdedup cluster` on a folder and read its JSON report, for the benchmarks that
score what it clusters (pages.py, planted.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def cluster_report(newsdedup: str, inputs: Path) -> tuple[dict[str, Any], float]:
    """The JSON report of `NEWSDEDUP cluster INPUTS` and the run's wall time; exits if the run fails."""
    start = time.perf_counter()
    done = subprocess.run([newsdedup, "cluster", str(inputs), "--format", "json", "--quiet"],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{newsdedup} cluster failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout), seconds


def predicted_clusters(report: dict[str, Any]) -> dict[str, Any]:
    """article id -> the id of the cluster the report puts it in."""
    return {member["id"]: cluster["id"] for cluster in report["clusters"] for member in cluster["members"]}
