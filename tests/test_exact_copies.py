"""Exact copies (one story reprinted word for word by many sites) are indexed, verified and compared once:
the report is the one the stages give comparing every pair."""

from dataclasses import replace

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from newsdedup import _core, pipeline
from newsdedup.canonical import _preceded
from newsdedup.config import Config
from newsdedup.dates import compare_published
from newsdedup.report import render_json
from labelled import labelled_set


def _items() -> list[dict]:
    """The labelled reprints, each also reprinted word for word three times, on other days and undated."""
    texts, _ = labelled_set()
    items = [{"id": article_id, "text": text} for article_id, text in sorted(texts.items())]
    published = [None, "2024-10-24", "2024-10-25T09:30:00Z", "2024-11-30"]
    for number, (article_id, text) in enumerate(sorted(texts.items())):
        for copy in range(1, 4):
            items.append({"id": f"{article_id}/copy{copy}", "text": text,
                          **({"published": published[(number + copy) % 4]} if published[(number + copy) % 4] else {})})
    return items


def test_collapsed_copies_give_the_pairwise_report(monkeypatch):
    calls = []
    collapse = pipeline.collapsed_star_clusters
    monkeypatch.setattr(pipeline, "collapsed_star_clusters",
                        lambda *args, **kwargs: calls.append(1) or collapse(*args, **kwargs))
    collapsed = pipeline.cluster_texts(_items(), Config())
    assert calls and any(len(cluster.members) >= 4 for cluster in collapsed.clusters)
    monkeypatch.setattr(pipeline._core, "CopyGroups", lambda store: None)  # every pair compared
    assert render_json(pipeline.cluster_texts(_items(), Config())) == render_json(collapsed)


@pytest.mark.parametrize("copies", [1, 2, 300])
def test_copies_of_one_story_make_one_cluster(copies):
    texts, _ = labelled_set()
    text = texts[sorted(texts)[0]]
    result = pipeline.cluster_texts([{"id": f"site-{n:04d}", "text": text} for n in range(copies)], Config())
    assert [len(cluster.members) for cluster in result.clusters] == [copies]
    assert result.clusters[0].canonical == "site-0000"


def _versions() -> list[str]:
    """Texts that link to each other in every way a reprint does: a story, its shortened and
    extended versions, a second story, and labelled reprints (hard negatives among them)."""
    texts, _ = labelled_set()
    chosen = [texts[article_id] for article_id in sorted(texts)[:6]]
    story = chosen[0]
    paragraphs = story.split("\n\n")
    return chosen + ["\n\n".join(paragraphs[:-1]), story + "\n\n" + LOCAL_NOTE, "\n\n".join(paragraphs[1:])]


LOCAL_NOTE = "Officials in the county said they would brief residents at a meeting next week on what it means here."
PUBLISHED = [None, "2024-10-20", "2024-10-21T09:30:00Z", "2024-10-23", "2024-10-27"]


@st.composite
def reprinted_versions(draw) -> list[dict]:
    """Each version reprinted a random number of times, on random days, under random ids."""
    versions = _versions()
    items = []
    for number, text in enumerate(versions):
        for copy in range(draw(st.integers(0, 6))):
            published = draw(st.sampled_from(PUBLISHED))
            items.append({"id": f"{draw(st.integers(0, 10**6)):07d}-{number}-{copy}", "text": text,
                          **({"published": published} if published else {})})
    return items


@hypothesis_settings(max_examples=40, deadline=None, derandomize=True)
@given(reprinted_versions(), st.sampled_from([0, 1, 3]))
def test_collapsed_versions_give_the_pairwise_report(items, max_days_apart):
    """Links between distinct fingerprints stand for every pair of their copies: the report
    (clusters, centralities, canonical choice, scores) is the one every pair compared gives."""
    config = Config()
    config = replace(config, verify=replace(config.verify, max_days_apart=max_days_apart))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline._core, "CopyGroups", lambda store: None)
        plain = render_json(pipeline.cluster_texts(items, config))
    for workers in (1, 2):
        assert render_json(pipeline.cluster_texts(items, config, workers=workers)) == plain


def test_collapsed_path_reports_the_index_stage():
    stages = []
    texts, _ = labelled_set()
    text = texts[sorted(texts)[0]]
    items = [{"id": f"site-{n}", "text": text} for n in range(3)]
    pipeline.cluster_texts(items, Config(), on_progress=lambda stage, done, total: stages.append((stage, done, total)))
    assert ("index", 2, 2) in stages and stages.index(("index", 2, 2)) < stages.index(("verify", 1, 1))


# Thousands of copies can carry as many publication times: the earliest is found in one pass.

@st.composite
def published_values(draw) -> str:
    day = f"2024-10-{draw(st.integers(20, 23)):02d}"
    kind = draw(st.sampled_from(["date", "minute", "second", "junk"]))
    if kind == "junk":
        return "not a date"
    if kind == "date":
        return day
    time = f"T{draw(st.sampled_from([0, 1, 23])):02d}:{draw(st.sampled_from([0, 1, 59])):02d}"
    if kind == "second":
        time += f":{draw(st.sampled_from([0, 30, 59])):02d}"
    return day + time + draw(st.sampled_from(["", "Z", "+02:00", "-05:30", "+00:01"]))


@hypothesis_settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(published_values(), max_size=12))
def test_preceded_stamps_are_those_every_pair_compared_finds(values):
    stamps = sorted(set(values))
    pairs = [(other, stamp) for stamp in stamps for other in stamps]
    pairwise = {stamp for (_, stamp), (before, _) in zip(pairs, compare_published(pairs)) if before}
    assert _preceded(stamps) == pairwise


def test_two_versions_reprinted_hundreds_of_times_give_the_pairwise_report():
    """A component large enough for the pool (its first strengths in parallel), on many days."""
    versions = _versions()
    items = [{"id": f"{(number * 7919) % 1000:04d}-{version}", "text": versions[version],
              **({"published": PUBLISHED[number % 5]} if PUBLISHED[number % 5] else {})}
             for version in (0, 6) for number in range(160)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline._core, "CopyGroups", lambda store: None)
        plain = render_json(pipeline.cluster_texts(items, Config()))
    for workers in (1, 2):
        assert render_json(pipeline.cluster_texts(items, Config(), workers=workers)) == plain
