"""Quality on labelled reprint sets, and the seed answer over a band of settings."""

import json

import pytest
from click.testing import CliRunner

from newsdedup.cli import main
from newsdedup.config import load_config
from newsdedup.pipeline import cluster_articles
from labelled import labelled_set, pairwise_scores

SEED_COPIES = {"000_a0337443bc97db64", "001_88b9becdf1984dad", "002_930d4dede8731adf"}


def _clusters_of(texts: dict[str, str], tmp_path, overrides=None) -> dict[str, int]:
    feed = tmp_path / "set.jsonl"
    feed.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in sorted(texts.items())))
    result = cluster_articles([str(feed)], load_config(environ={}, overrides=overrides))
    return {member.document.id: cluster.id for cluster in result.clusters for member in cluster.members}


def test_labelled_reprints_are_grouped_and_negatives_kept_apart(tmp_path):
    texts, labels = labelled_set()
    predicted = _clusters_of(texts, tmp_path)
    precision, recall = pairwise_scores(predicted, labels)
    assert precision == 1.0
    assert recall == 1.0, {i: c for i, c in predicted.items() if i.startswith("wire/")}


def test_each_negative_stands_alone(tmp_path):
    texts, _ = labelled_set()
    predicted = _clusters_of(texts, tmp_path)
    wire_cluster = predicted["wire/original"]
    for article_id in texts:
        if not article_id.startswith("wire/"):
            assert predicted[article_id] != wire_cluster, article_id
            assert list(predicted.values()).count(predicted[article_id]) == 1, article_id


@pytest.mark.parametrize("section, key, values", [
    ("verify", "min_containment", [0.45, 0.55, 0.6, 0.7, 0.8]),
    ("verify", "min_anchor_agreement", [0.75, 0.8, 0.85, 0.9, 0.95]),
    ("candidates", "jaccard_threshold", [0.3, 0.4, 0.5, 0.6, 0.7]),
    ("candidates", "containment_threshold", [0.3, 0.4, 0.5, 0.6, 0.7]),
    ("fingerprint", "shingle_size", [3, 4, 5, 6, 7]),
])
def test_seed_answer_holds_over_a_band_of_settings(seeds_dir, section, key, values):
    for value in values:
        result = CliRunner().invoke(
            main, ["cluster", str(seeds_dir), "--format", "json", "-q", "--set", f"{section}.{key}={value}"]
        )
        clusters = json.loads(result.stdout)["clusters"]
        assert {m["id"] for m in clusters[0]["members"]} == SEED_COPIES, (key, value)
        assert clusters[0]["canonical"] == "001_88b9becdf1984dad", (key, value)
        assert [c["size"] for c in clusters[1:]] == [1, 1], (key, value)
