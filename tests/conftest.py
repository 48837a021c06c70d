from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.json from this run")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch, tmp_path):
    """Run every test in an empty directory with no NEWSDEDUP_* variables, so config.yaml and the
    environment of the machine never leak into a result."""
    for name in list(__import__("os").environ):
        if name.startswith("NEWSDEDUP_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
