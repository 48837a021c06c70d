"""The whole flow, top to bottom; the only module that knows the order of the stages.

load -> clean -> fingerprint -> candidates -> verify -> cluster -> canonical -> Result
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from .canonical import Candidate, choose_canonical
from .candidates import candidate_pairs
from .clean import clean
from .cluster import star_clusters
from .config import Config
from .fingerprint import fingerprint
from .load import read_articles
from .models import Article, Cluster, Document, Fingerprint, Member, Result, Skipped
from .verify import compare, verified_matches

ProgressCallback = Callable[[str, int, "int | None"], None]

# Above this size a cluster's centrality uses MinHash estimates instead of exact pairs.
EXACT_CENTRALITY_LIMIT = 200


def _silent(stage: str, done: int, total: int | None) -> None:
    """The default progress callback: the library itself never reports anything."""


def cluster_articles(
    inputs: list[str],
    config: Config,
    on_progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
) -> Result:
    """Read the inputs and group the copies; every input ends in a cluster or in ``skipped``."""
    progress = on_progress or _silent
    articles: list[Article] = []
    skipped: list[Skipped] = []
    for item in read_articles(inputs, config.input, stdin=stdin):
        (articles if isinstance(item, Article) else skipped).append(item)
        progress("read", len(articles) + len(skipped), None)
    articles.sort(key=lambda article: article.id)

    documents: list[Document] = []
    for done, article in enumerate(articles, start=1):
        documents.append(clean(article, config.boilerplate, config.canonical))
        progress("clean", done, len(articles))

    fingerprints: list[Fingerprint] = []
    for done, document in enumerate(documents, start=1):
        fingerprints.append(fingerprint(document, config.fingerprint))
        progress("fingerprint", done, len(documents))

    pairs = candidate_pairs(fingerprints, config.candidates, config.fingerprint.num_perm)
    progress("candidates", len(pairs), len(pairs))
    published = [document.published for document in documents]
    matches = verified_matches(pairs, fingerprints, published, config.verify)
    progress("verify", len(pairs), len(pairs))
    groups = star_clusters(len(documents), matches, near_equal=config.candidates.jaccard_threshold)
    progress("cluster", len(groups), len(groups))

    clusters = [_describe(group, documents, fingerprints, config) for group in groups]
    clusters.sort(key=lambda cluster: (-cluster.size, cluster.canonical))
    numbered = tuple(
        Cluster(id=number, canonical=c.canonical, canonical_reasons=c.canonical_reasons, members=c.members)
        for number, c in enumerate(clusters, start=1)
    )
    progress("canonical", len(numbered), len(numbered))
    skipped.sort(key=lambda item: (item.path, item.reason))
    return Result(clusters=numbered, skipped=tuple(skipped), config=config.to_dict())


def _centrality(group: list[int], fingerprints: list[Fingerprint]) -> dict[int, float]:
    if len(group) == 1:
        return {group[0]: 1.0}
    totals = dict.fromkeys(group, 0.0)
    for position, left in enumerate(group):
        for right in group[position + 1:]:
            if len(group) <= EXACT_CENTRALITY_LIMIT:
                similarity = compare(left, right, fingerprints).similarity
            else:
                similarity = fingerprints[left].minhash.jaccard(fingerprints[right].minhash)
            totals[left] += similarity
            totals[right] += similarity
    return {node: total / (len(group) - 1) for node, total in totals.items()}


def _describe(group: list[int], documents: list[Document], fingerprints: list[Fingerprint], config: Config) -> Cluster:
    """Pick the canonical member of a group and compare every member with it."""
    ordered = sorted(group, key=lambda index: documents[index].id)
    centrality = _centrality(ordered, fingerprints)
    candidates = [Candidate(documents[i], fingerprints[i], centrality[i]) for i in ordered]
    position, reasons = choose_canonical(candidates, config.canonical)
    canonical = ordered[position]
    members = [Member(documents[canonical], "canonical", 1.0, 1.0)]
    for index in ordered:
        if index != canonical:
            match = compare(canonical, index, fingerprints)
            members.append(Member(documents[index], "duplicate", match.similarity, match.containment))
    return Cluster(id=0, canonical=documents[canonical].id, canonical_reasons=reasons, members=tuple(members))
