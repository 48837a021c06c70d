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
    """Run every test in an empty directory with no NEWSDEDUP_* variables and an empty user config
    folder, so the machine's config.yaml files and environment never leak into a result."""
    for name in list(__import__("os").environ):
        if name.startswith("NEWSDEDUP_"):
            monkeypatch.delenv(name)
    user_config = tmp_path / ".user-config"  # not created: tests that want a user file make it
    for name in ("XDG_CONFIG_HOME", "APPDATA"):  # where click.get_app_dir looks on Linux and Windows
        monkeypatch.setenv(name, str(user_config))
    monkeypatch.setenv("HOME", str(user_config))  # macOS: ~/Library/Application Support
    monkeypatch.chdir(tmp_path)


def as_ndf1(data: bytes) -> bytes:
    """The NDF1 bytes of an NDF2 fingerprint (the golden files' format): NDF2 is NDF1 with the
    token sequence's length last in the header and the sequence last in the body."""
    header = 4 + 1 + 4 + 4 + 8 + 7 * 4
    sequence_length = int.from_bytes(data[header:header + 4], "little")
    return b"NDF1" + data[4:header] + data[header + 4:len(data) - 4 * sequence_length]
