"""The seeds' JSON report is a regression fixture: regenerate on purpose with --update-golden."""

import json

from click.testing import CliRunner

from newsdedup.cli import main
from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "seeds.json"


def test_seeds_match_the_golden_report(update_golden, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["cluster", "seeds/", "--format", "json", "-q"])
    assert result.exit_code == 0
    if update_golden:
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
