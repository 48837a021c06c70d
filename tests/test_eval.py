import json

import pytest
from click.testing import CliRunner

from newsdedup.cli import main
from newsdedup.errors import LabelsError
from newsdedup.evaluate import read_labels, score
from conftest import ROOT

TRUTH = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"}


def test_perfect_partition():
    scores = score({"a": 1, "b": 1, "c": 2, "d": 2, "e": 3}, TRUTH)
    assert (scores.pairwise_precision, scores.pairwise_recall, scores.pairwise_f1) == (1.0, 1.0, 1.0)
    assert scores.adjusted_rand_index == 1.0 and scores.bcubed_f1 == 1.0


def test_hand_checked_partition():
    # predicted {a,b,c} {d} {e}: pairs ab, ac, bc; true pairs ab, cd
    scores = score({"a": 1, "b": 1, "c": 1, "d": 2, "e": 3}, TRUTH)
    assert scores.predicted_pairs == 3 and scores.true_pairs == 2 and scores.correct_pairs == 1
    assert scores.pairwise_precision == pytest.approx(1 / 3)
    assert scores.pairwise_recall == pytest.approx(1 / 2)
    assert scores.pairwise_f1 == pytest.approx(0.4)
    # B-cubed: precision per item a,b: 2/3, c: 1/3, d: 1, e: 1 -> 11/15; recall a,b: 1, c: 1/2, d: 1/2, e: 1 -> 4/5
    assert scores.bcubed_precision == pytest.approx(11 / 15)
    assert scores.bcubed_recall == pytest.approx(4 / 5)
    # ARI from the contingency table: index 1, expected 3*2/10 = 0.6, max 2.5
    assert scores.adjusted_rand_index == pytest.approx((1 - 0.6) / (2.5 - 0.6))


def test_all_singletons_and_one_cluster():
    singletons = score({k: k for k in TRUTH}, TRUTH)
    assert singletons.pairwise_precision == 1.0 and singletons.pairwise_recall == 0.0
    assert singletons.pairwise_f1 == 0.0 and singletons.bcubed_precision == 1.0
    together = score({k: 1 for k in TRUTH}, TRUTH)
    assert together.pairwise_recall == 1.0 and together.pairwise_precision == pytest.approx(2 / 10)
    assert together.adjusted_rand_index == pytest.approx(0.0)
    assert score({k: k for k in "abc"}, {k: k for k in "abc"}).adjusted_rand_index == 1.0


def test_only_shared_ids_are_scored():
    scores = score({"a": 1, "b": 1, "extra": 1}, {"a": "x", "b": "x", "absent": "y"})
    assert scores.articles == 2 and scores.pairwise_f1 == 1.0


@pytest.mark.parametrize("name, text", [
    ("l.tsv", "article_id\tcluster_id\na\tx\nb\tx\n"),
    ("l.csv", "a,x\nb,x\n"),
    ("l.jsonl", '{"article_id": "a", "cluster_id": "x"}\n{"article_id": "b", "cluster_id": "x"}\n'),
])
def test_label_formats(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    assert read_labels(tmp_path / name) == {"a": "x", "b": "x"}


@pytest.mark.parametrize("text, message", [
    ("a,x\nb\n", ":2: expected two columns"),
    ("a,x\na,y\n", ":2: article 'a' is labelled twice"),
    ("", "no labels"),
])
def test_bad_labels_name_the_line(tmp_path, text, message):
    (tmp_path / "l.csv").write_text(text)
    with pytest.raises(LabelsError, match=message):
        read_labels(tmp_path / "l.csv")


def _eval(*args):
    return CliRunner().invoke(main, ["eval", str(ROOT / "seeds"), "--labels", str(ROOT / "seeds" / "labels.tsv"),
                                     *args])


def test_eval_seeds_json_and_floors():
    result = _eval("--format", "json", "-q")
    assert result.exit_code == 0 and result.stderr == ""
    report = json.loads(result.stdout)
    assert report["scores"]["pairwise_f1"] == 1.0 and report["scores"]["adjusted_rand_index"] == 1.0
    assert _eval("-q", "--min-f1", "0.99", "--min-ari", "0.99").exit_code == 0
    failed = _eval("-q", "--set", "verify.min_containment=0.99", "--min-f1", "0.9")
    assert failed.exit_code == 1 and "below --min-f1" in failed.stderr


def test_eval_reports_ids_missing_on_either_side(tmp_path):
    labels = tmp_path / "l.tsv"
    labels.write_text("001_88b9becdf1984dad\tA\n002_930d4dede8731adf\tA\nnot-in-input\tB\n")
    result = CliRunner().invoke(main, ["eval", str(ROOT / "seeds"), "--labels", str(labels), "--format", "json"])
    report = json.loads(result.stdout)
    assert report["missing"] == ["not-in-input"]
    assert "000_a0337443bc97db64" in report["unlabelled"]
    assert "have no label" in result.stderr


def test_eval_lists_false_merges(tmp_path):
    labels = tmp_path / "l.tsv"
    labels.write_text("000_a0337443bc97db64\tA\n001_88b9becdf1984dad\tA\n002_930d4dede8731adf\tB\n"
                      "003_2e8e95844c9cb9a8\tC\n004_1599dfc235326334\tA\n")
    report = json.loads(CliRunner().invoke(
        main, ["eval", str(ROOT / "seeds"), "--labels", str(labels), "--format", "json", "-q"]).stdout)
    assert [(e["left"], e["right"]) for e in report["false_merges"]] == [("001_88b9becdf1984dad", "002_930d4dede8731adf")]
    missed = {(e["left"], e["right"]) for e in report["missed_pairs"]}
    assert missed == {("000_a0337443bc97db64", "004_1599dfc235326334")}


def test_eval_bad_labels_file_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["eval", str(ROOT / "seeds"), "--labels", str(tmp_path / "none.tsv")])
    assert result.exit_code == 2 and "labels file not found" in result.stderr
