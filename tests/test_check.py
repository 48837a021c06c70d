import json
import shutil

from click.testing import CliRunner

from newsdedup.cli import main
from conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "seeds.json"


def _check(*args):
    return CliRunner().invoke(main, ["check", str(ROOT / "seeds"), *args])


def test_equal_reports_pass():
    result = _check("--expect", str(GOLDEN), "-q")
    assert result.exit_code == 0 and "no drift" in result.stdout


def test_membership_drift_fails_with_a_readable_diff():
    result = _check("--expect", str(GOLDEN), "-q", "--set", "verify.min_containment=0.99")
    assert result.exit_code == 1
    assert "moved" in result.stdout and "000_a0337443bc97db64" in result.stdout and "alone" in result.stdout
    assert "3 change(s)" in result.stderr


def test_canonical_drift_is_named():
    result = _check("--expect", str(GOLDEN), "-q", "--format", "json",
                    "--set", "canonical.criteria=most_complete")
    assert result.exit_code == 1
    changes = json.loads(result.stdout)["changes"]
    assert [c["kind"] for c in changes] == ["canonical changed"]
    assert changes[0]["expected"] == "canonical 001_88b9becdf1984dad"


def test_update_rewrites_the_golden_file(tmp_path):
    golden = tmp_path / "golden.json"
    assert _check("--expect", str(golden), "--update", "-q").exit_code == 0
    assert json.loads(golden.read_text())["clusters"][0]["canonical"] == "001_88b9becdf1984dad"
    assert _check("--expect", str(golden), "-q").exit_code == 0


def test_missing_articles_and_bad_golden(tmp_path):
    golden = tmp_path / "golden.json"
    shutil.copy(GOLDEN, golden)
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "004_1599dfc235326334.txt").unlink()
    result = CliRunner().invoke(main, ["check", str(seeds), "--expect", str(golden), "-q", "--format", "jsonl"])
    assert result.exit_code == 1
    assert json.loads(result.stdout.splitlines()[0])["kind"] == "missing article"
    (tmp_path / "bad.json").write_text("{}")
    result = _check("--expect", str(tmp_path / "bad.json"))
    assert result.exit_code == 2 and "not a newsdedup report" in result.stderr
