"""Plain data passed between the pipeline stages: nouns here, verbs in the stage modules."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Article:
    """One input article as read, before any cleaning.

    Fields other than ``id``, ``path`` and ``text`` are the ones an input declared
    explicitly (JSON Lines fields); text files carry theirs in header lines, which
    the clean stage reads.
    """

    id: str
    path: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Skipped:
    """An input that could not be used, and why; every input is reported once."""

    path: str
    reason: str


@dataclass(frozen=True)
class WireCredit:
    """A wire agency credited by the article, and the text that credits it."""

    agency: str
    evidence: str
    kind: str  # "dateline", "byline" or "credit line"


@dataclass(frozen=True)
class Document:
    """An article split into its body and what surrounded it.

    ``body`` is what gets fingerprinted; metadata merges explicit fields with the
    ones found in header lines (explicit fields win).
    """

    id: str
    path: str
    body: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    byline: str | None
    dateline: str | None
    wire_credit: WireCredit | None
    encoding: str
    total_chars: int
    boilerplate_chars_removed: int

    @property
    def boilerplate_share(self) -> float:
        """Share of the article's characters (after header lines) that was site furniture."""
        if self.total_chars == 0:
            return 0.0
        return self.boilerplate_chars_removed / self.total_chars


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """What comparison needs of a document: its shingle set, MinHash and anchor tokens.

    ``shingles`` holds sorted unique 32-bit shingle hashes (exact sets for
    verification); ``minhash`` is a datasketch LeanMinHash for the LSH stage;
    ``anchors`` are numbers and names, which templated items change; ``vocabulary``
    is every token, to look another text's anchors up in.
    """

    id: str
    shingles: np.ndarray
    minhash: object
    anchors: frozenset[str]
    vocabulary: frozenset[str]
    word_count: int

    @property
    def size(self) -> int:
        return int(self.shingles.size)


@dataclass(frozen=True)
class Match:
    """A verified comparison of two documents (indices into the document list)."""

    left: int
    right: int
    similarity: float
    containment: float
    anchor_agreement: float
    shared_shingles: int


@dataclass(frozen=True)
class Reason:
    """One criterion the canonical article was judged on, and whether it decided."""

    criterion: str
    detail: str
    decisive: bool


@dataclass(frozen=True)
class Member:
    """An article in a cluster, compared with the cluster's canonical article."""

    document: Document
    role: str  # "canonical" or "duplicate"
    similarity: float
    containment: float


@dataclass(frozen=True)
class Cluster:
    """Copies of one story (a singleton is a cluster of one), canonical first."""

    id: int
    canonical: str
    canonical_reasons: tuple[Reason, ...]
    members: tuple[Member, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class Result:
    """Everything a report needs: the clusters, what was skipped, and how it was made."""

    clusters: tuple[Cluster, ...]
    skipped: tuple[Skipped, ...]
    config: dict = field(default_factory=dict)

    @property
    def article_count(self) -> int:
        return sum(cluster.size for cluster in self.clusters)

    @property
    def duplicate_clusters(self) -> int:
        return sum(1 for cluster in self.clusters if cluster.size > 1)

    @property
    def duplicate_count(self) -> int:
        return sum(cluster.size - 1 for cluster in self.clusters)
