"""The whole flow, top to bottom; the only module that knows the order of the stages.

load -> clean -> fingerprint -> candidates -> verify -> cluster -> canonical -> Result
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any, BinaryIO, TypeVar, overload

from . import _core
from .canonical import Candidate, choose_canonical
from .candidates import candidate_index
from .clean import clean_settings
from .cluster import collapsed_star_clusters, star_clusters
from .config import Config
from .dates import utc_days
from .fingerprint import core_arguments
from .load import in_batches, read_batches, read_items
from .models import (Article, Cluster, ClusterTable, ClusterTableBuilder, Document, Member, Reason, Result, Skipped,
                     documents_at)
from .verify import PAIR_BYTES, Links, verified_links

ProgressCallback = Callable[[str, int, "int | None"], None]
Item = TypeVar("Item")

# Above this size a cluster's centrality uses MinHash estimates instead of exact pairs.
EXACT_CENTRALITY_LIMIT = 200
# Articles handed to the core at a time: enough to keep every thread busy between two
# hand-overs, few enough that the texts in flight stay a few megabytes.
BATCH_SIZE = 1000
# Candidate pairs verified between two progress reports.
VERIFY_CHUNK = 20_000
# Clusters described between two progress reports.
DESCRIBE_CHUNK = 1000


def _silent(stage: str, done: int, total: int | None) -> None:
    """The default progress callback: the library itself never reports anything."""


def cluster_articles(
    inputs: list[str],
    config: Config | None = None,
    on_progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
    workers: int = 1,
    keep_bodies: bool = False,
) -> Result:
    """Read the inputs (paths, or ``-`` for JSON Lines on ``stdin``) and group the copies.

    Every input ends in a cluster or in ``skipped``. ``config`` None means the built-in
    defaults. ``workers`` threads clean and fingerprint the articles (the result is the
    same for any number); ``keep_bodies`` keeps each body text in the result (evaluation
    needs it).
    """
    config = config if config is not None else Config()
    # The reading thread parses alone: the core's threads are busy preparing, parsing costs a
    # tenth of that, and texts allocated on one thread keep the peak memory lower. A web page
    # costs more to read than to prepare: pages are read on the workers' threads.
    read = read_batches(inputs, config.input, stdin=stdin, batch_size=BATCH_SIZE, threads=1, page_threads=workers)
    return cluster_stream(read, config, on_progress, workers, keep_bodies)


def cluster_texts(
    items: Iterable[Article | dict[str, Any]],
    config: Config | None = None,
    on_progress: ProgressCallback | None = None,
    workers: int = 1,
    keep_bodies: bool = False,
) -> Result:
    """Group the copies among articles held in memory: ``Article``s, or dicts shaped like JSON Lines records.

    A dict needs ``id`` and ``text`` (``title``, ``source``, ``url``, ``published`` are
    optional) and is checked as a JSON Lines record is; one that is not valid, or repeats
    an id, is skipped as ``<item N>`` (N counted from 0). Otherwise as ``cluster_articles``.
    """
    return cluster_stream(in_batches(read_items(items), BATCH_SIZE), config if config is not None else Config(),
                          on_progress, workers, keep_bodies)


def cluster_stream(
    items: Iterable[_core.ArticleBatch | Skipped],
    config: Config,
    on_progress: ProgressCallback | None = None,
    workers: int = 1,
    keep_bodies: bool = False,
) -> Result:
    """Group the copies among a stream of article batches; the skipped inputs in it go to ``skipped``."""
    progress = on_progress or _silent
    skipped: list[Skipped] = []
    read = _Counter()
    articles = read.counting(articles_only(items, skipped), lambda done, total: progress("read", done, total))
    # Documents and fingerprints stay in the core (fingerprints as NDF2 bytes and bodies, each
    # spilled to a temporary file past a limit); Python Documents are made a few clusters at a time.
    documents = _core.DocumentTable(spill_bodies=True)
    fingerprints = _core.FingerprintStore()
    candidates = candidate_index(config)
    try:
        for batch, encoded in prepare_batches(articles, config, workers, keep_bodies=True):
            documents.extend(batch)
            fingerprints.append_batch(encoded)
            candidates.append_batch(encoded)
            progress("fingerprint", len(documents), read.count)
        order = documents.order_by_id()
        documents.reorder(order)
        fingerprints.reorder(order)
        candidates.reorder(order)
        del order

        days = utc_days(documents.published())
        copies: _core.CopyGroups | None = _core.CopyGroups(fingerprints)
        if copies is not None and len(copies) < len(documents):
            # Exact copies (one story on many sites): each distinct fingerprint is indexed,
            # verified and compared once, with the plain stages' answers.
            del candidates
            groups = collapsed_star_clusters(fingerprints, copies, days, config, workers,
                                             on_progress=lambda done, total: progress("index", done, total))
            progress("verify", 1, 1)
        else:
            copies = None
            pairs = candidates.pairs(on_progress=lambda done, total: progress("index", done, total), threads=workers)
            del candidates
            verified: list[Links] = []
            chunk = VERIFY_CHUNK * PAIR_BYTES
            for start in range(0, len(pairs), chunk):
                verified.append(verified_links(pairs[start:start + chunk], fingerprints, days, config.verify, workers))
                progress("verify", min(start + chunk, len(pairs)) // PAIR_BYTES, len(pairs) // PAIR_BYTES)
            del pairs
            links = Links.joined(verified)
            del verified
            groups = star_clusters(len(documents), links, near_equal=config.candidates.jaccard_threshold)
            del links
        del days
        described = ClusterTableBuilder(documents, _core.ChangeTable(), bodies=keep_bodies)
        for start in range(0, len(groups), DESCRIBE_CHUNK):
            describe_into(described, groups[start:start + DESCRIBE_CHUNK], fingerprints, config, workers, copies)
            progress("cluster", min(start + DESCRIBE_CHUNK, len(groups)), len(groups))
        del groups
        if not keep_bodies:
            documents.drop_bodies()
    finally:
        fingerprints.close()
    return Result(clusters=number_clusters(described), skipped=sort_skipped(skipped), config=config.to_dict())


class _Counter:
    """Counts the articles of a stream of batches as they pass, for progress totals."""

    def __init__(self) -> None:
        self.count = 0

    def counting(self, batches: Iterable[_core.ArticleBatch],
                 report: Callable[[int, "int | None"], None]) -> Iterator[_core.ArticleBatch]:
        """Yield ``batches``, reporting (count, None) as they pass and (count, count) at the end."""
        for batch in batches:
            self.count += len(batch)
            report(self.count, None)
            yield batch
        report(self.count, self.count)


@overload
def number_clusters(clusters: ClusterTableBuilder) -> ClusterTable: ...
@overload
def number_clusters(clusters: Iterable[Cluster]) -> tuple[Cluster, ...]: ...
def number_clusters(clusters: Iterable[Cluster] | ClusterTableBuilder) -> tuple[Cluster, ...] | ClusterTable:
    """Largest first, then by canonical id, numbered from 1: the order every report uses.

    A run's clusters (a ClusterTableBuilder, over positions in id order) are ordered on their
    arrays, without making a Cluster.
    """
    if isinstance(clusters, ClusterTableBuilder):
        return clusters.numbered()
    ordered = sorted(clusters, key=lambda cluster: (-cluster.size, cluster.canonical))
    return tuple(replace(cluster, id=number) for number, cluster in enumerate(ordered, start=1))


def sort_skipped(skipped: Iterable[Skipped]) -> tuple[Skipped, ...]:
    return tuple(sorted(skipped, key=lambda item: (item.path, item.reason)))


def articles_only(items: Iterable[Item | Skipped], skipped: list[Skipped]) -> Iterator[Item]:
    """The articles (or batches) of a read, setting the skipped inputs aside as they pass."""
    for item in items:
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            yield item


def batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Lists of ``size`` items (the last may be shorter), as the items stream past."""
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def prepare_batches(
    articles: Iterable[_core.ArticleBatch], config: Config, workers: int = 1, keep_bodies: bool = False
) -> Iterator[tuple[_core.DocumentTable, list[bytes]]]:
    """Per batch of articles, in input order: a table of their documents, and their fingerprints
    as NDF2 bytes in the same order.

    The core cleans and fingerprints a batch on ``workers`` threads (0: every core) with
    the GIL released, while this thread takes the next one; at most two batches are in
    flight, so the texts held stay bounded however many stream through. The result is the
    same for any number of threads.
    """
    cleaning = clean_settings(config.boilerplate, config.canonical)
    fingerprinting = core_arguments(config.fingerprint)

    def prepare_batch(batch: _core.ArticleBatch) -> tuple[_core.DocumentTable, list[bytes]]:
        documents = _core.DocumentTable()
        encoded = _core.prepare_batch(batch, documents, cleaning, *fingerprinting, keep_bodies, workers)
        return documents, encoded

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsdedup-prepare") as runner:
        pending: deque[Future[tuple[_core.DocumentTable, list[bytes]]]] = deque()
        for batch in articles:
            pending.append(runner.submit(prepare_batch, batch))
            if len(pending) >= 2:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def prepare(
    articles: Iterable[Article | _core.ArticleBatch], config: Config, workers: int = 1, keep_bodies: bool = False
) -> Iterator[tuple[Document, bytes]]:
    """(document, fingerprint as NDF2 bytes) for every article (made in Python or read into batches
    by the core), in input order, as ``prepare_batches`` makes them: for callers that keep a batch
    at a time (``index add``)."""
    batched = (batch for batch in in_batches(articles, BATCH_SIZE) if not isinstance(batch, Skipped))
    for documents, encoded in prepare_batches(batched, config, workers, keep_bodies):
        yield from zip(documents_at(documents, range(len(documents))), encoded)


def canonical_choices(groups: list[list[int]], documents_of: Callable[[list[int]], list[Document]],
                       fingerprints: _core.FingerprintStore, config: Config, threads: int,
                       copies: _core.CopyGroups | None,
                       changes: tuple[_core.ChangeTable, _core.DocumentTable] | None = None,
                       ) -> Iterator[tuple[list[int], tuple[Reason, ...], list[tuple[float, float]]]]:
    """For each group of several positions (in id order): its members canonical first, the reasons,
    and each other member's (similarity, containment) with the canonical.

    Small clusters compare every pair exactly once, for both centrality and the members'
    scores; large ones estimate centrality from the MinHashes. The core makes the
    comparisons (two calls for all the groups; with ``copies``, each pair of distinct fingerprints
    once); the canonical policy is ``choose_canonical``. With ``changes`` (a table and the documents
    whose bodies it reads), the core also aligns each member with its canonical and keeps what it changed.
    """
    centralities = _core.cluster_centralities(fingerprints, groups, EXACT_CENTRALITY_LIMIT, threads=threads,
                                              copies=copies)
    positions = [index for group in groups for index in group]
    word_counts = iter(fingerprints.word_counts(positions))
    documents = iter(documents_of(positions))
    canonicals: list[int] = []
    reasons_of: list[tuple[Reason, ...]] = []
    for group, central in zip(groups, centralities):
        candidates = [Candidate(next(documents), next(word_counts), centrality) for centrality in central]
        position, reasons = choose_canonical(candidates, config.canonical)
        canonicals.append(group[position])
        reasons_of.append(reasons)
    others = [[index for index in group if index != canonical] for group, canonical in zip(groups, canonicals)]
    scores = _core.cluster_scores(fingerprints, canonicals, others, threads=threads, copies=copies)
    if changes is not None:
        change_table, bodies_of = changes
        change_table.compare(fingerprints, bodies_of, canonicals, others, threads=threads)
    for canonical, reasons, rest, found in zip(canonicals, reasons_of, others, scores):
        yield [canonical, *rest], reasons, found


def describe_into(described: ClusterTableBuilder, groups: list[list[int]], fingerprints: _core.FingerprintStore,
                  config: Config, threads: int = 1, copies: _core.CopyGroups | None = None) -> None:
    """Add each group of positions to ``described``: the canonical member first, every member's
    scores against it, the reasons for the choice.

    Positions are in id order. Documents are made only for the members of groups of several
    (the canonical policy reads them); a single article is its own canonical.
    """
    several = canonical_choices([sorted(group) for group in groups if len(group) > 1],
                                 lambda positions: documents_at(described.documents, positions), fingerprints, config,
                                 threads, copies, None if described.changes is None else
                                 (described.changes, described.documents))
    for group in groups:
        if len(group) == 1:  # alone: nothing to compare
            described.add(group)
        else:
            members, reasons, scores = next(several)
            described.add(members, scores, reasons)


def describe_clusters(groups: list[list[int]], documents: Sequence[Document], fingerprints: _core.FingerprintStore,
                      config: Config, threads: int = 1, copies: _core.CopyGroups | None = None) -> list[Cluster]:
    """``describe_into`` for documents at hand (``documents[i]`` at position i, in id order), as Clusters
    in the order of ``groups`` (numbered 0: ``number_clusters`` numbers them)."""
    several = canonical_choices([sorted(group) for group in groups if len(group) > 1],
                                 lambda positions: [documents[index] for index in positions], fingerprints, config,
                                 threads, copies)
    described = []
    for group in groups:
        if len(group) == 1:
            document = documents[group[0]]
            described.append(Cluster(id=0, canonical=document.id, canonical_reasons=(),
                                     members=(Member(document, "canonical", 1.0, 1.0),)))
            continue
        members, reasons, scores = next(several)
        canonical = documents[members[0]]
        described.append(Cluster(id=0, canonical=canonical.id, canonical_reasons=reasons, members=(
            Member(canonical, "canonical", 1.0, 1.0),
            *(Member(documents[index], "duplicate", similarity, containment)
              for index, (similarity, containment) in zip(members[1:], scores)))))
    return described
