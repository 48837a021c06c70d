"""A run starts without datasketch, scipy and the other costly imports, and computes the same.

The MinHash permutations and the LSH bands are datasketch's, computed by the core
(rust/core/src/permutations.rs and banding.rs); these tests hold them equal to datasketch,
which stays the reference. tests/golden/startup/banding.json was written by
benchmarks/banding_golden.py from datasketch (its whole grid takes minutes); a few points
are checked live here so that the table keeps agreeing with the installed datasketch.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner
from datasketch import MinHash, MinHashLSH

from conftest import ROOT
import newsdedup
from newsdedup import _core
from newsdedup.candidates import banding
from newsdedup.cli import _StderrProgress, main
from newsdedup.errors import ConfigError

BANDING = json.loads((ROOT / "tests" / "golden" / "startup" / "banding.json").read_text(encoding="utf-8"))
NUM_PERMS = [1, 2, 3, 16, 17, 64, 100, 128, 255, 256, 624, 625, 1024]
SEEDS = [0, 1, 2, 3, 7, 42, 1000, 65535, 2**31 - 1, 2**32 - 1]


@pytest.mark.parametrize("num_perm", NUM_PERMS)
def test_permutations_equal_datasketchs(num_perm):
    for seed in SEEDS + [int(seed) for seed in np.random.default_rng(num_perm).integers(0, 2**32, 20)]:
        a, b = _core.minhash_permutations(num_perm, seed)
        expected_a, expected_b = MinHash(num_perm=num_perm, seed=seed).permutations
        assert np.frombuffer(a, dtype="<u4").tolist() == expected_a.tolist(), (num_perm, seed)
        assert np.frombuffer(b, dtype="<u4").tolist() == expected_b.tolist(), (num_perm, seed)


def test_a_seed_numpy_would_refuse_is_refused():
    with pytest.raises(OverflowError):
        _core.minhash_permutations(128, 2**32)
    with pytest.raises(OverflowError):
        _core.minhash_permutations(128, -1)


def test_bands_equal_datasketchs_over_the_golden_grid():
    assert BANDING["about"]["weights"] == [0.5, 0.5]
    differ = [row for row in BANDING["rows"] if list(_core.lsh_banding(row[0], row[1])) != row[2:]]
    assert len(BANDING["rows"]) > 2000 and differ == []


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 128), (0.8, 128), (0.37, 64), (0.123, 200), (0.05, 16)])
def test_bands_equal_the_installed_datasketchs(threshold, num_perm):
    reference = MinHashLSH(threshold=threshold, num_perm=num_perm)
    assert banding(threshold, num_perm) == (reference.b, reference.r)


@pytest.mark.parametrize("weights", [(0.3, 0.7), (0.9, 0.1)])
def test_bands_follow_the_weights_as_datasketchs_do(weights):
    reference = MinHashLSH(threshold=0.6, num_perm=128, weights=weights)
    assert _core.lsh_banding(0.6, 128, *weights) == (reference.b, reference.r)


def test_a_threshold_that_leaves_one_band_is_a_settings_error():
    with pytest.raises(ValueError, match="bands are too small"):
        MinHashLSH(threshold=0.99, num_perm=128)
    with pytest.raises(ConfigError, match="candidates.jaccard_threshold"):
        banding(0.99, 128)


def test_the_cli_says_so_without_a_traceback(seeds_dir):
    result = CliRunner().invoke(main, ["cluster", str(seeds_dir), "--set", "candidates.jaccard_threshold=0.99"])
    assert result.exit_code == 2
    assert "candidates.jaccard_threshold" in result.stderr and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _modules_after(code: str) -> set[str]:
    """The top-level modules a fresh interpreter holds after ``code``, run in an empty folder."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("NEWSDEDUP_") and name not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    found = subprocess.run([sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
                           capture_output=True, text=True, check=True, cwd=os.getcwd(), env=env,
                           stdin=subprocess.DEVNULL).stdout.split()
    return set(found)


COSTLY = {"datasketch", "scipy", "charset_normalizer", "yaml", "newsdedup.index", "rich.progress"}


def test_the_cli_starts_without_the_costly_modules():
    assert _modules_after("import newsdedup.cli") & COSTLY == set()


def test_clustering_the_seeds_needs_none_of_them(seeds_dir):
    code = ("import sys\nfrom newsdedup.cli import main\n"
            f"sys.argv = ['newsdedup', 'cluster', {str(seeds_dir)!r}, '--format', 'json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert _modules_after(code) & COSTLY == set()


def test_the_index_is_still_there_when_asked_for():
    from newsdedup.index import Index

    assert newsdedup.Index is Index
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        newsdedup.Nothing  # noqa: B018


def test_progress_is_drawn_where_rich_sees_a_terminal(monkeypatch):
    # stderr is captured here: no terminal, unless the environment says it is one.
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    assert _StderrProgress(quiet=False).progress is None
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert _StderrProgress(quiet=False).progress is not None
    assert _StderrProgress(quiet=True).progress is None
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    assert _StderrProgress(quiet=False).progress is None
