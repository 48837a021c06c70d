"""Plain data passed between the pipeline stages: nouns here, verbs in the stage modules."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from datasketch import LeanMinHash

    from . import _core


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
    language: str | None = None  # BCP 47 tag (<html lang>, og:locale, a JSON Lines field): how to read 05/10/2024
    byline: str | None = None  # as a web page declares it (author meta tag, JSON-LD); header lines name their own
    web_page: bool = False  # the text is the article found in a web page's tree: the clean stage keeps its paragraphs


@dataclass(frozen=True)
class Skipped:
    """An input that could not be used, and why; every input is reported once."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class WireCredit:
    """A wire agency credited by the article, and the text that credits it."""

    agency: str
    evidence: str
    kind: str  # "dateline", "byline" or "credit line"


@dataclass(frozen=True, slots=True)
class Document:
    """An article split into its body and what surrounded it.

    ``body`` is what gets fingerprinted (the pipeline empties it afterwards unless
    asked to keep it, so that memory grows with the number of articles, not their
    text); metadata merges explicit fields with the ones found in header lines
    (explicit fields win). ``published`` is ISO 8601 text with the offset as given;
    ``published_ambiguous`` says its day and month could swap and nothing settled the order.
    """

    id: str
    path: str
    body: str
    body_chars: int
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
    published_ambiguous: bool = False

    @property
    def boilerplate_share(self) -> float:
        """Share of the article's characters (after header lines) that was site furniture."""
        if self.total_chars == 0:
            return 0.0
        return self.boilerplate_chars_removed / self.total_chars


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """What comparison needs of a document, in a few kilobytes: hashes, not text.

    ``shingles``: sorted unique 32-bit shingle hashes (exact sets for verification).
    ``minhash``: a datasketch LeanMinHash for the LSH stage.
    ``anchors`` / ``anchor_weights``: hashes of the numbers and names (which templated
    items change) and their weight; ``anchor_variants`` / ``anchor_variant_of``: hashes
    of each name's one-edit spellings and the anchor each belongs to.
    ``vocabulary``: hashes of every token; ``name_variants``: hashes of the one-edit
    spellings of every capitalized word, where another text's names are looked up.
    ``sequence``: every token's hash in text order (``word_count`` of them), which alignment reads.
    """

    id: str
    shingles: npt.NDArray[np.uint32]
    minhash: LeanMinHash
    anchors: npt.NDArray[np.uint32]
    anchor_weights: npt.NDArray[np.uint8]
    anchor_variants: npt.NDArray[np.uint32]
    anchor_variant_of: npt.NDArray[np.uint16]
    vocabulary: npt.NDArray[np.uint32]
    name_variants: npt.NDArray[np.uint32]
    sequence: npt.NDArray[np.uint32]
    word_count: int

    @property
    def size(self) -> int:
        return int(self.shingles.size)


@dataclass(frozen=True, slots=True)
class Match:
    """A comparison of two documents (indices into the document list)."""

    left: int
    right: int
    similarity: float
    containment: float
    shared_shingles: int


@dataclass(frozen=True, slots=True)
class Reason:
    """One criterion the canonical article was judged on, and whether it decided."""

    criterion: str
    detail: str
    decisive: bool


@dataclass(frozen=True, slots=True)
class Substitution:
    """A small edit inside text a copy shares with its canonical: the canonical's words and the copy's."""

    before: str  # "" where the copy inserted words
    after: str  # "" where the copy dropped words
    figure: bool  # a number changed
    name: bool  # a name changed


@dataclass(frozen=True, slots=True)
class Changes:
    """What a copy changed against its canonical, from the alignment of their words.

    ``words_kept + words_cut`` is the canonical's word count, ``words_kept + words_added``
    the copy's (an edit's words count as cut and added). Passages: runs of shared text
    (edits inside them), of cut text, of added text. ``substitutions`` lists the first few
    of the ``substitution_count`` edits inside shared text.
    """

    words_kept: int
    words_cut: int
    words_added: int
    passages_kept: int
    passages_cut: int
    passages_added: int
    substitution_count: int
    substitutions: tuple[Substitution, ...]
    headline_differs: bool

    def label(self) -> str:
        """The table's short column: "-2 ¶ +1 ¶ 1 fig" is two passages cut, one added, one figure
        changed; "=" when the copy's words are the canonical's."""
        figures = sum(edit.figure for edit in self.substitutions)
        names = sum(edit.name and not edit.figure for edit in self.substitutions)
        unshown = self.substitution_count - len(self.substitutions)
        others = len(self.substitutions) - figures - names + unshown
        parts = [f"-{self.passages_cut} ¶" if self.passages_cut else "",
                 f"+{self.passages_added} ¶" if self.passages_added else "",
                 f"{figures} fig" if figures else "", f"{names} name" if names else "",
                 f"{others} edit{'s' if others > 1 else ''}" if others else "",
                 "headline" if self.headline_differs else ""]
        return " ".join(part for part in parts if part) or "="


@dataclass(frozen=True, slots=True)
class Member:
    """An article in a cluster, compared with the cluster's canonical article."""

    document: Document
    role: str  # "canonical" or "duplicate"
    similarity: float
    containment: float
    changes: Changes | None = None  # a duplicate's, against the canonical


@dataclass(frozen=True, slots=True)
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
class ClusterSpan:
    """Consecutive clusters of a ClusterTable as plain lists: cluster ``numbers[k]`` (numbered from 0)
    holds the document positions ``positions[bounds[k]:bounds[k + 1]]``, canonical first, and their
    scores; ``reasons`` pairs k with the canonical reasons of the clusters that have any."""

    numbers: range
    positions: list[int]
    bounds: list[int]
    similarity: list[float]
    containment: list[float]
    reasons: list[tuple[int, tuple[Reason, ...]]]


# Members whose Documents a ClusterTable makes in one call while iterating.
_MEMBERS_PER_READ = 2000


def documents_at(table: _core.DocumentTable, positions: Iterable[int], bodies: bool = False) -> list[Document]:
    """The Documents at ``positions`` of a run's document table, in that order (made now: the table holds
    none); with ``bodies``, each with its body (from the table's body store, when it has one)."""
    return [Document(*row[:10], None if row[10] is None else WireCredit(*row[10]), *row[11:])
            for row in table.rows(list(positions), bodies)]


def changes_at(table: _core.ChangeTable | None, positions: list[int]) -> list[Changes | None]:
    """The Changes of the documents at ``positions`` (None for a canonical, or without a table)."""
    if table is None:
        return [None] * len(positions)
    return [None if row is None else Changes(*row[:7], tuple(Substitution(*edit) for edit in row[7]), row[8])
            for row in table.rows(positions)]


class ClusterTable(Sequence[Cluster]):
    """A run's clusters kept as arrays, each ``Cluster`` (and its Documents) made when read.

    A million articles as Cluster, Member and Document objects take gigabytes; here each
    costs a position and two scores, and the Documents come from the run's document table
    a few clusters at a time. Compares equal to the tuple of the same Clusters. Positions
    are in id order, so canonical ids compare as their positions.
    """

    def __init__(self, documents: _core.DocumentTable, members: npt.NDArray[np.int64],
                 starts: npt.NDArray[np.int64], similarity: npt.NDArray[np.float64],
                 containment: npt.NDArray[np.float64], reasons: dict[int, tuple[Reason, ...]],
                 changes: _core.ChangeTable | None = None, bodies: bool = False) -> None:
        """Cluster k holds the positions ``members[starts[k]:starts[k + 1]]``, canonical first, with their
        scores against it; ``reasons`` by cluster, for those with any; ``changes`` by position, for the
        duplicates. ``bodies``: Documents carry their bodies (read back from the table's body store)."""
        self._documents = documents
        self.changes = changes
        self._bodies = bodies
        self._members, self._starts = members, starts
        self._similarity, self._containment = similarity, containment
        self._reasons = reasons

    def sizes(self) -> npt.NDArray[np.int64]:
        """Each cluster's member count, without making any."""
        sizes: npt.NDArray[np.int64] = np.diff(self._starts)
        return sizes

    def __len__(self) -> int:
        return len(self._starts) - 1

    @overload
    def __getitem__(self, index: int) -> Cluster: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Cluster, ...]: ...
    def __getitem__(self, index: int | slice) -> Cluster | tuple[Cluster, ...]:
        if isinstance(index, slice):
            return tuple(self._clusters(range(len(self))[index]))
        if not -len(self) <= index < len(self):
            raise IndexError("cluster index out of range")
        return next(self._clusters(range(index % len(self), index % len(self) + 1)))

    def __iter__(self) -> Iterator[Cluster]:
        return self._clusters(range(len(self)))

    def _clusters(self, numbers: range) -> Iterator[Cluster]:
        """The clusters at ``numbers``, their Documents made for about _MEMBERS_PER_READ members at a time."""
        for span in self._spans(numbers):
            documents = documents_at(self._documents, span.positions, self._bodies)
            changes = changes_at(self.changes, span.positions)
            for number, low, high in zip(span.numbers, span.bounds, span.bounds[1:]):
                yield self._cluster(number, documents[low:high], span.similarity[low:high],
                                    span.containment[low:high], changes[low:high])

    def spans(self) -> Iterator[ClusterSpan]:
        """Every cluster in order, as the arrays of runs of about _MEMBERS_PER_READ members (none made)."""
        return self._spans(range(len(self)))

    def _spans(self, numbers: range) -> Iterator[ClusterSpan]:
        """The clusters at ``numbers``, as many following ones per span as fit in one read."""
        index = 0
        while index < len(numbers):
            first = numbers[index]
            if numbers.step == 1:  # as many following clusters as fit in one read (always at least one)
                enough = np.searchsorted(self._starts, self._starts[first] + _MEMBERS_PER_READ, side="right")
                count = min(max(int(enough) - 1 - first, 1), len(numbers) - index)
            else:
                count = 1
            chunk = numbers[index:index + count]
            bounds = self._starts[first:chunk[-1] + 2].tolist() if numbers.step == 1 else \
                [int(self._starts[first]), int(self._starts[first + 1])]
            start, end = bounds[0], bounds[-1]
            reasons = [(offset, self._reasons[number]) for offset, number in enumerate(chunk)
                       if number in self._reasons] if self._reasons else []
            yield ClusterSpan(chunk, self._members[start:end].tolist(), [bound - start for bound in bounds],
                              self._similarity[start:end].tolist(), self._containment[start:end].tolist(), reasons)
            index += count

    @property
    def documents(self) -> _core.DocumentTable:
        """The run's document table, which the positions of ``spans`` index."""
        return self._documents

    def _cluster(self, number: int, documents: list[Document], similarity: list[float],
                 containment: list[float], changes: list[Changes | None]) -> Cluster:
        canonical = Member(documents[0], "canonical", similarity[0], containment[0])
        duplicates = (Member(document, "duplicate", scores[0], scores[1], changed)
                      for document, scores, changed in zip(documents[1:], zip(similarity[1:], containment[1:]),
                                                           changes[1:]))
        return Cluster(id=number + 1, canonical=documents[0].id, canonical_reasons=self._reasons.get(number, ()),
                       members=(canonical, *duplicates))

    def documents_not_utf8(self) -> list[Document]:
        """The articles not read as clean UTF-8, in report order; none of the others is made."""
        other = self._members[np.isin(self._members, self._documents.other_encodings())]
        return documents_at(self._documents, other.tolist())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (tuple, ClusterTable)):
            return NotImplemented
        return len(self) == len(other) and all(mine == theirs for mine, theirs in zip(self, other))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __reduce__(self) -> tuple[type[tuple[Cluster, ...]], tuple[tuple[Cluster, ...]]]:
        """Pickled as the tuple of its clusters: the document table stays in this process."""
        return tuple, (tuple(self),)

    def __repr__(self) -> str:
        return f"ClusterTable({len(self)} clusters of {len(self._members)} articles)"


class ClusterTableBuilder:
    """Collects a run's clusters (positions in ``documents``) as they are described, then numbers
    them into a ClusterTable."""

    def __init__(self, documents: _core.DocumentTable, changes: _core.ChangeTable | None = None,
                 bodies: bool = False) -> None:
        self.documents = documents
        self.changes = changes
        self._bodies = bodies
        self._members = array("q")
        self._sizes = array("q")
        self._similarity = array("d")
        self._containment = array("d")
        self._reasons: dict[int, tuple[Reason, ...]] = {}

    def add(self, members: Sequence[int], scores: Sequence[tuple[float, float]] = (),
            reasons: tuple[Reason, ...] = ()) -> None:
        """A cluster: member positions canonical first, the others' (similarity, containment) with it."""
        if reasons:
            self._reasons[len(self._sizes)] = reasons
        self._sizes.append(len(members))
        self._members.extend(members)
        self._similarity.append(1.0)
        self._containment.append(1.0)
        self._similarity.extend(similarity for similarity, _ in scores)
        self._containment.extend(containment for _, containment in scores)

    def numbered(self) -> ClusterTable:
        """The clusters largest first, then by canonical id (position), numbered from 1."""
        sizes = np.frombuffer(self._sizes, dtype=np.int64)
        starts = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        members = np.frombuffer(self._members, dtype=np.int64)
        order = np.lexsort((members[starts[:-1]], -sizes)) if len(sizes) else np.zeros(0, dtype=np.int64)
        ordered_sizes = sizes[order]
        ordered_starts = np.concatenate(([0], np.cumsum(ordered_sizes))).astype(np.int64)
        taken = np.repeat(starts[:-1][order] - ordered_starts[:-1], ordered_sizes) + np.arange(len(members))
        number_of = np.empty_like(order)
        number_of[order] = np.arange(len(order))
        reasons = {int(number_of[cluster]): found for cluster, found in self._reasons.items()}
        return ClusterTable(self.documents, members[taken], ordered_starts,
                            np.frombuffer(self._similarity, dtype=np.float64)[taken],
                            np.frombuffer(self._containment, dtype=np.float64)[taken], reasons, self.changes,
                            self._bodies)


@dataclass(frozen=True)
class Result:
    """Everything a report needs: the clusters, what was skipped, and how it was made.

    ``clusters``: a tuple, or the ClusterTable of a run (made a cluster at a time when read).
    ``notes``: what the caller should know about the answer (e.g. an index export that left
    out articles a writer has not finished); the library never prints them.
    """

    clusters: Sequence[Cluster]
    skipped: tuple[Skipped, ...]
    config: dict[str, Any] = field(default_factory=dict)  # the settings, as Config.to_dict() gives them
    notes: tuple[str, ...] = ()

    def _sizes(self) -> npt.NDArray[np.int64]:
        if isinstance(self.clusters, ClusterTable):
            return self.clusters.sizes()
        return np.array([cluster.size for cluster in self.clusters], dtype=np.int64)

    @property
    def article_count(self) -> int:
        return int(self._sizes().sum())

    @property
    def duplicate_clusters(self) -> int:
        return int((self._sizes() > 1).sum())

    @property
    def duplicate_count(self) -> int:
        return int((self._sizes() - 1).sum())

    def documents_not_utf8(self) -> list[Document]:
        """The articles not read as clean UTF-8 (another encoding, or bytes that had to be replaced), in
        report order."""
        if isinstance(self.clusters, ClusterTable):
            return self.clusters.documents_not_utf8()
        return [member.document for cluster in self.clusters for member in cluster.members
                if member.document.encoding != "utf-8"]


@dataclass(frozen=True)
class Copy:
    """An indexed article verified as a copy of an input article."""

    id: str
    similarity: float
    containment: float


@dataclass(frozen=True)
class Verdict:
    """What the index says about one input article.

    ``status``: "new" (no indexed copy), "copy" (copies in ``copies``), or "indexed"
    (the id was already in the index; nothing changed). ``cluster`` is the canonical
    id of the article's cluster: after the add for ``index add``, the cluster it would
    join for ``index query``.
    """

    document: Document
    status: str
    cluster: str | None
    cluster_size: int
    copies: tuple[Copy, ...]


@dataclass(frozen=True)
class IndexReport:
    """The answer of ``index add`` or ``index query``: one verdict per input, in input order."""

    verdicts: tuple[Verdict, ...]
    skipped: tuple[Skipped, ...]
    index: str
    added: bool
    config: dict[str, Any] = field(default_factory=dict)  # the settings, as Config.to_dict() gives them
    notes: tuple[str, ...] = ()  # as in ``Result``
