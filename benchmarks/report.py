"""The report stage: json, jsonl and csv written by report.py against the standard library's writers.

Clusters a corpus once, then writes each report to a file as the CLI does (UTF-8,
backslashreplace) with the baseline (the writers as they were before orjson: every cluster
and line through ``json.dumps``, scores through ``round(x, 4)``, rows through dicts) and with
report.py's, three times each alternately, and prints the medians of the wall and CPU times
and their ratios. The rows ``json/core`` and ``jsonl/core`` compare the writers' orjson paths
(dicts for every cluster or line, the baseline there) with the core's, which the CLI takes
for a run's ClusterTable. The two files must be byte-identical; the script says so or exits 1.

    python benchmarks/report.py /work/scratch/modern-100000.jsonl --runs 3
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, TextIO
from unittest import mock

from newsdedup import report
from newsdedup.config import load_config
from newsdedup.models import Result
from newsdedup.pipeline import cluster_articles

Writer = Callable[[Result, TextIO], None]


def baseline_json(result: Result, stream: TextIO) -> None:
    """report.write_json before orjson: each cluster dumped by the standard library and indented."""
    outline = {**report.to_document(Result(clusters=(), skipped=result.skipped, config=result.config)),
               "stats": report.stats(result)}
    head, tail = json.dumps(outline, ensure_ascii=False, indent=2).split(report._CLUSTERS_KEY + "[]")
    stream.write(head + report._CLUSTERS_KEY)
    written = False
    for number, cluster in enumerate(result.clusters):
        stream.write("[\n    " if number == 0 else ",\n    ")
        stream.write(json.dumps(report._cluster(cluster), ensure_ascii=False, indent=2).replace("\n", "\n    "))
        written = True
    stream.write("\n  ]" if written else "[]")
    stream.write(tail + "\n")


def baseline_jsonl(result: Result, stream: TextIO) -> None:
    for cluster in result.clusters:
        for member in cluster.members:
            stream.write(json.dumps(report._article_line(cluster, member), ensure_ascii=False) + "\n")
    for item in result.skipped:
        stream.write(json.dumps({"id": None, "cluster": None, "path": item.path, "skipped": item.reason},
                                ensure_ascii=False) + "\n")


def orjson_json(result: Result, stream: TextIO) -> None:
    """report.write_json before the core wrote the clusters: every cluster as ``_cluster`` dicts, by orjson."""
    with mock.patch.object(report, "_cluster_chunks", report._python_chunks):
        report.write_json(result, stream)


def orjson_jsonl(result: Result, stream: TextIO) -> None:
    """report.write_jsonl before the core wrote the lines: every line a dict, by orjson."""
    with mock.patch.object(report, "ClusterTable", type(None)):
        report.write_jsonl(result, stream)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else value


def baseline_csv(result: Result, stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(report.CSV_COLUMNS)
    for cluster in result.clusters:
        for member in cluster.members:
            line = report._article_line(cluster, member)
            writer.writerow([_csv_value(line[key]) for key in report.LINE_FIELDS] + [""])
    for item in result.skipped:
        writer.writerow([item.path if key == "path" else "" for key in report.LINE_FIELDS] + [item.reason])


def _round4(value: float) -> float:
    return round(value, 4)


def timed_write(write: Writer, result: Result, path: str, baseline: bool) -> tuple[float, float]:
    """Wall and CPU seconds to write the report to ``path`` (CPU time moves less on a shared
    machine); the baseline rounds scores with ``round`` as before."""
    with mock.patch.object(report, "_score", _round4) if baseline else nullcontext():
        start, cpu = time.perf_counter(), time.process_time()
        with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
            write(result, stream)
        return time.perf_counter() - start, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="a JSON Lines corpus (or folder) to cluster once")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    start = time.perf_counter()
    result = cluster_articles([args.corpus], load_config(environ={}), workers=args.workers)
    print(f"clustered {result.article_count} articles into {len(result.clusters)} clusters "
          f"in {time.perf_counter() - start:.1f} s")
    pairs = {"json": (baseline_json, report.write_json), "json/core": (orjson_json, report.write_json),
             "jsonl": (baseline_jsonl, report.write_jsonl), "jsonl/core": (orjson_jsonl, report.write_jsonl),
             "csv": (baseline_csv, report.write_csv)}
    identical = True
    with tempfile.TemporaryDirectory() as folder:
        old_path, new_path = os.path.join(folder, "baseline"), os.path.join(folder, "report")
        print(f"{'format':<10}{'MB':>7}{'baseline s':>12}{'report.py s':>13}{'ratio':>8}"
              f"{'baseline CPU s':>16}{'report.py CPU s':>17}{'ratio':>8}")
        for name, (old, new) in pairs.items():
            old_times, new_times = [], []
            for _ in range(args.runs):
                old_times.append(timed_write(old, result, old_path, baseline=old not in (orjson_json, orjson_jsonl)))
                new_times.append(timed_write(new, result, new_path, baseline=False))
            same = filecmp.cmp(old_path, new_path, shallow=False)
            identical &= same
            row = f"{name:<10}{os.path.getsize(new_path) / 1e6:>7.1f}"
            for column, width in ((0, 12), (1, 16)):
                old_median = statistics.median(times[column] for times in old_times)
                new_median = statistics.median(times[column] for times in new_times)
                row += f"{old_median:>{width}.3f}{new_median:>{width + 1}.3f}{old_median / new_median:>7.2f}x"
            print(row + ("" if same else "  OUTPUT DIFFERS"))
    print("byte-identical to the baseline:", "yes" if identical else "NO")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
