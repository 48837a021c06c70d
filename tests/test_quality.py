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


SCRIPTS = {
    "zh": ["俄罗斯总统普京星期四在喀山举行的记者会上没有否认朝鲜向俄罗斯派兵的报道。他说，如果有卫星图像，那么它们反映了某些情况。",
           "普京表示，俄罗斯与朝鲜的伙伴关系协议第四条涉及共同防御，俄方将如何落实这一条款是俄罗斯自己的事情。",
           "美国此前表示，有证据显示朝鲜已向俄罗斯派遣了三千名士兵，可能被部署到乌克兰，这将是战争的重大升级。"],
    "ru": ["Президент России Владимир Путин в четверг не стал отрицать сообщения о том, что Северная Корея "
           "направила войска в Россию.",
           "«Снимки — это серьёзная вещь. Если есть снимки, значит, они что-то отражают», — сказал Путин "
           "журналистам в Казани.",
           "По словам американской стороны, КНДР направила в Россию около трёх тысяч военнослужащих для "
           "возможного участия в боевых действиях."],
    "ar": ["لم ينف الرئيس الروسي فلاديمير بوتين يوم الخميس التقارير التي تفيد بأن كوريا الشمالية أرسلت قوات إلى روسيا.",
           "وقال بوتين للصحفيين في قازان إن الصور أمر جدي، وإذا كانت هناك صور فهي تعكس شيئا ما.",
           "وكانت الولايات المتحدة قد قالت إن لديها أدلة على أن كوريا الشمالية أرسلت ثلاثة آلاف جندي إلى روسيا."],
}
MENUS = {"zh": "首页\n国际\n财经\n体育", "ru": "Главная\nМир\nЭкономика\nСпорт", "ar": "الرئيسية\nالعالم\nاقتصاد\nرياضة"}


def test_copies_in_other_scripts_cluster_by_language(tmp_path):
    texts = {}
    for script, paragraphs in SCRIPTS.items():
        texts[f"{script}/wire"] = "\n\n".join(paragraphs)
        texts[f"{script}/page"] = MENUS[script] + "\n\n" + "\n\n".join(paragraphs) + "\n\n" + MENUS[script]
        texts[f"{script}/short"] = "\n\n".join(paragraphs[:2])
    labels = {article_id: article_id.split("/")[0] for article_id in texts}
    precision, recall = pairwise_scores(_clusters_of(texts, tmp_path), labels)
    assert (precision, recall) == (1.0, 1.0)
