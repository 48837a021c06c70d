"""Write tests/golden/startup/banding.json: datasketch's LSH bands over a dense grid.

``MinHashLSH(threshold, num_perm)`` (default weights) picks (b, r) by minimising two
integrals with scipy; the core (``_core.lsh_banding``) computes them without scipy, and
tests/test_startup.py holds the two equal on this table. datasketch takes about two
minutes for the whole grid, too long for the test run, hence the table.

    python benchmarks/banding_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import datasketch
from datasketch.lsh import _optimal_param

OUTPUT = Path(__file__).resolve().parent.parent / "tests" / "golden" / "startup" / "banding.json"
# 0.01..0.99 step 0.005, and the top of the configurable range.
THRESHOLDS = [round(0.01 + 0.005 * step, 3) for step in range(197)] + [0.995, 1.0]
NUM_PERMS = [16, 17, 24, 32, 48, 64, 100, 128, 192, 256, 384, 512]
# num_perm 1024 (the configurable maximum) costs datasketch about a second each: a sample.
SPARSE = {1024: [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99]}
WEIGHTS = (0.5, 0.5)  # MinHashLSH's default


def main() -> None:
    grid = {num_perm: THRESHOLDS for num_perm in NUM_PERMS} | SPARSE
    rows = []
    for num_perm, thresholds in grid.items():
        for threshold in thresholds:
            bands, rows_per_band = _optimal_param(threshold, num_perm, *WEIGHTS)
            rows.append([threshold, num_perm, bands, rows_per_band])
        print(f"num_perm {num_perm}: {len(thresholds)} thresholds", file=sys.stderr)
    OUTPUT.write_text(json.dumps({
        "about": {"generator": "benchmarks/banding_golden.py", "datasketch": datasketch.__version__,
                  "weights": list(WEIGHTS), "columns": ["threshold", "num_perm", "b", "r"]},
        "rows": rows,
    }) + "\n", encoding="utf-8")
    print(f"{len(rows)} rows written to {OUTPUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
