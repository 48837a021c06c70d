"""Why two articles were put together, or were not: every test's figure for one pair, the
candidate stage that found it (or why none did), and the two texts' diff.

The figures come from the functions a run uses (the core's candidate entries, comparison
and anchor agreement in aligned text), on the fingerprints of the two bodies as the run
cleaned them; whether the two ended in one cluster comes from the run itself (a cluster
can join two articles through a third).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from . import _core
from .changes import Piece, body_diff
from .config import Config
from .dates import utc_days
from .errors import UnknownArticleError
from .fingerprint import core_arguments
from .index import index_settings
from .models import Cluster, Document, Result
from .pipeline import ProgressCallback, cluster_articles


@dataclass(frozen=True)
class Test:
    """One test of verification: its figure, the bound it is held to, and whether it passed."""

    name: str  # "shared shingles", "containment", "anchor agreement", "days apart"
    value: float | int | None  # None: not measurable (an undated article)
    bound: float | int  # the minimum (or, for days apart, the maximum; 0 there means no limit)
    passed: bool


@dataclass(frozen=True)
class Anchors:
    """The shorter text's numbers and names, by where they were met in the text the two share."""

    shorter: str  # its id
    opening_shared: bool  # the two share the longer text's opening: the shorter's own passages are not counted
    kept: tuple[str, ...]  # kept word for word, or (outside the shared text) found in the other: for the pair
    changed: tuple[str, ...]  # where the other text has other words: against it
    outside: tuple[str, ...]  # only in the shorter text's own passages: against it unless opening_shared


@dataclass(frozen=True)
class Candidacy:
    """How the candidate stage sees the pair: shared MinHash bands, and containment-sample probe hits."""

    bands: int
    shared_bands: tuple[int, ...]  # band numbers from 0
    probes_a_in_b: int  # a's probes found in b's shingle sample
    probes_b_in_a: int
    probes_a: int
    probes_b: int
    hits_needed_a: float  # hits a's probes must score
    hits_needed_b: float

    @property
    def by_bands(self) -> bool:
        return bool(self.shared_bands)

    @property
    def by_containment(self) -> bool:
        return (self.probes_a > 0 and self.probes_a_in_b >= self.hits_needed_a) or \
            (self.probes_b > 0 and self.probes_b_in_a >= self.hits_needed_b)


@dataclass(frozen=True)
class Explanation:
    """Everything ``newsdedup explain`` tells about a pair; ``left`` is the base of the diff."""

    a: Document
    b: Document
    copies: bool  # verification calls them copies
    same_cluster: bool  # the run put them in one cluster
    canonical: str | None  # that cluster's canonical id
    similarity: float
    tests: tuple[Test, ...]
    anchors: Anchors
    candidacy: Candidacy
    left: Document  # the cluster's canonical when it is one of the two, else a
    right: Document
    diff: tuple[Piece, ...]

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(test.name for test in self.tests if not test.passed)


def explain(a_id: str, b_id: str, inputs: list[str], config: Config | None = None,
            on_progress: ProgressCallback | None = None, stdin: BinaryIO | None = None,
            workers: int = 1) -> Explanation:
    """Run the inputs and explain the pair ``a_id``, ``b_id``; UnknownArticleError for an id they lack."""
    config = config if config is not None else Config()
    result = cluster_articles(inputs, config, on_progress=on_progress, stdin=stdin, workers=workers,
                              keep_bodies=True)
    found = _find(result, (a_id, b_id))
    (a, a_cluster), (b, b_cluster) = found[a_id], found[b_id]
    return explain_documents(a, b, config, a_cluster if a_cluster is b_cluster else None)


def _find(result: Result, ids: Sequence[str]) -> dict[str, tuple[Document, Cluster]]:
    wanted = set(ids)
    found: dict[str, tuple[Document, Cluster]] = {}
    for cluster in result.clusters:
        for member in cluster.members:
            if member.document.id in wanted:
                found[member.document.id] = (member.document, cluster)
    for article_id in ids:
        if article_id not in found:
            skipped = [item for item in result.skipped if article_id in item.path]
            why = f" (skipped: {skipped[0].path}: {skipped[0].reason})" if skipped else ""
            raise UnknownArticleError(f"no article {article_id!r} in the inputs{why}; `newsdedup cluster INPUT "
                                      "--format jsonl` lists every id")
    return found


def explain_documents(a: Document, b: Document, config: Config, cluster: Cluster | None = None) -> Explanation:
    """The explanation of two documents (with their bodies); ``cluster``: the run's cluster holding both."""
    if a.id == b.id:
        raise UnknownArticleError(f"give two different articles (both ids are {a.id!r})")
    fingerprint_a, fingerprint_b = _core.fingerprint_batch([a.body, b.body], *core_arguments(config.fingerprint), 1)
    day_a, day_b = utc_days([a.published, b.published])
    verify = config.verify
    similarity, containment, shared, needed, a_shorter, agreement, met, opening, within = _core.pair_tests(
        fingerprint_a, fingerprint_b, a.id < b.id, day_a, day_b, min_shared_shingles=verify.min_shared_shingles,
        max_days_apart=verify.max_days_apart)
    shorter = a if a_shorter else b
    words = _core.anchors_and_names_batch([shorter.body])[0][0]
    anchors = Anchors(shorter.id, opening, *(tuple(word for word, where in zip(words, met) if where == kind)
                                             for kind in ("kept", "changed", "outside")))
    days_apart = None if day_a is None or day_b is None else abs(day_a - day_b)
    tests = (
        Test("shared shingles", shared, needed, shared >= needed),
        Test("containment", containment, verify.min_containment, containment >= verify.min_containment),
        Test("anchor agreement", agreement, verify.min_anchor_agreement, agreement >= verify.min_anchor_agreement),
        Test("days apart", days_apart, verify.max_days_apart, within),
    )
    left, right = (b, a) if cluster is not None and cluster.canonical == b.id else (a, b)
    return Explanation(
        a=a, b=b, copies=all(test.passed for test in tests), same_cluster=cluster is not None,
        canonical=None if cluster is None else cluster.canonical, similarity=similarity, tests=tests,
        anchors=anchors, candidacy=_candidacy(fingerprint_a, fingerprint_b, config), left=left, right=right,
        diff=tuple(body_diff(left.body, right.body)))


def _candidacy(fingerprint_a: bytes, fingerprint_b: bytes, config: Config) -> Candidacy:
    settings = index_settings(config)
    entry_a, entry_b = settings.entries([fingerprint_a, fingerprint_b])
    banded = entry_a.shingles > 0 and entry_b.shingles > 0
    shared = tuple(band for band, (x, y) in enumerate(zip(entry_a.keys, entry_b.keys)) if banded and x == y)
    sample_a, sample_b = set(entry_a.sample), set(entry_b.sample)
    return Candidacy(
        bands=len(entry_a.keys), shared_bands=shared,
        probes_a_in_b=sum(value in sample_b for value in entry_a.probes),
        probes_b_in_a=sum(value in sample_a for value in entry_b.probes),
        probes_a=len(entry_a.probes), probes_b=len(entry_b.probes),
        hits_needed_a=settings.hits_needed(len(entry_a.probes)), hits_needed_b=settings.hits_needed(len(entry_b.probes)))
