"""Incremental dedup: add articles to a persistent index and ask which are copies.

The index keeps, per article, its metadata, its fingerprint, its LSH band keys, its
shingle sample and probes (the two candidate indexes of ``candidates``), and the
verified copy links. A new article is compared with what the index holds exactly as
``cluster`` compares two articles, and the clusters of the links it touches are
rebuilt with the same star clustering and canonical rules; so an index fed any split
of a set into batches ends with the clusters ``cluster`` gives for the whole set.

Stores: ``index_sqlite.SqliteStore`` (a file path) and ``index_redis.RedisStore``
(``redis://host:port/db``). Both keep the same records and promise:

- ``writing()``: one writer at a time; ``reading()``: a consistent view.
- ``interrupted()``: articles a killed writer left half-done (always empty on SQLite,
  whose transactions roll back whole); ``finished()`` marks a batch complete.
- Readers see only finished articles: on Redis, one a writer has put but not yet
  clustered (it is running, or was killed mid-batch) is left out, ``unfinished()``
  counts those, and the answer carries a note saying so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TypedDict, TypeVar

import numpy as np

from .candidates import candidate_arguments
from . import _core
from .cluster import star_clusters
from .config import Config, config_from_dict
from .codec import decode_reasons, encode_reasons
from .dates import utc_days
from .errors import ConfigError, DamagedIndexError, ForeignIndexError, IndexStoreError
from .load import read_batches, read_items
from .models import Article, Cluster, Copy, Document, IndexReport, Member, Result, Skipped, Verdict
from .pipeline import ProgressCallback, articles_only, batches, describe_clusters, number_clusters, prepare, sort_skipped
from .verify import Links, compare_pairs, pair_bytes, verify_arguments

if TYPE_CHECKING:
    from typing_extensions import Unpack

# Settings sections that shape what the index stores or decides; the input section does not.
INDEX_SECTIONS = ("boilerplate", "fingerprint", "candidates", "verify", "canonical")

Key = TypeVar("Key")  # how a store names an article in its hash indexes: a row number (SQLite), the id (Redis)
Answer = TypeVar("Answer")  # what an operation on a store returns
Membership = tuple[str, str, float, float]  # (cluster canonical, role, similarity, containment)


class _RedisSummary(TypedDict, total=False):
    bytes_in_memory: int


class StoreSummary(_RedisSummary):
    """A store's counts and dates of its finished articles (``bytes_in_memory``: Redis only)."""

    articles: int
    clusters: int
    bytes_on_disk: int | None
    oldest: str | None
    newest: str | None


class Store(Protocol[Key]):
    """What an index store provides; ``index_sqlite.SqliteStore`` and ``index_redis.RedisStore`` are the two.

    The module docstring says what they promise about writers, readers and interrupted batches.
    """

    @property
    def target(self) -> str: ...  # as messages may show it (no password)

    @property
    def failures(self) -> tuple[type[Exception], ...]: ...  # the backend's own errors

    def close(self) -> None: ...
    def settings(self) -> dict[str, dict[str, Any]] | None: ...
    def initialize(self, settings: dict[str, dict[str, Any]]) -> None: ...
    def use(self, config: Config) -> None: ...
    def writing(self) -> AbstractContextManager[None]: ...
    def reading(self) -> AbstractContextManager[None]: ...
    def interrupted(self) -> list[str]: ...
    def finished(self) -> None: ...
    def unfinished(self) -> int: ...
    def contains(self, ids: Iterable[str]) -> set[str]: ...
    def band_matches(self, entry: _core.IndexEntry) -> list[Key]: ...
    def sample_counts(self, hashes: list[int]) -> dict[int, int]: ...
    def sample_holders(self, hashes: list[int]) -> Mapping[int, list[Key]]: ...
    def probe_holders(self, hashes: list[int]) -> Mapping[int, list[tuple[Key, int]]]: ...
    def names(self, keys: Iterable[Key]) -> set[str]: ...
    def load(self, ids: Iterable[str]) -> dict[str, tuple[Document, bytes]]: ...  # fingerprints as NDF2 bytes
    def neighbours(self, ids: Iterable[str]) -> dict[str, set[str]]: ...
    def membership(self, ids: Iterable[str]) -> Mapping[str, Membership | None]: ...
    def cluster_size(self, canonical: str) -> int: ...
    def put(self, document: Document, fingerprint: bytes, added: str, entry: _core.IndexEntry,
            linked: Iterable[str]) -> None: ...
    def assign(self, members: dict[str, Membership], clusters: dict[str, str], dropped: Iterable[str]) -> None: ...
    def remove(self, ids: Iterable[str]) -> None: ...
    def older_than(self, day: str) -> list[str]: ...
    def clusters(self) -> dict[str, str]: ...
    def members(self) -> Iterator[tuple[Document, Membership]]: ...
    def summary(self) -> StoreSummary: ...


class StreamOptions(TypedDict, total=False):
    """The keyword arguments ``Index.add_texts`` and ``Index.query_texts`` share."""

    on_progress: ProgressCallback | None
    workers: int
    batch_size: int


class InputOptions(StreamOptions, total=False):
    """The keyword arguments ``Index.add``, ``Index.query``, ``add_articles`` and ``query_articles`` share."""

    stdin: BinaryIO | None


def _open_store(target: str, create: bool = True) -> Store[Any]:
    """The store behind ``target``: ``redis://...`` for Redis, anything else is an SQLite file."""
    if target.startswith(("redis://", "rediss://", "unix://")):
        from .index_redis import RedisStore
        return RedisStore(target)
    from .index_sqlite import SqliteStore
    return SqliteStore(target, create=create)


def _settings(config: Config) -> dict[str, dict[str, Any]]:
    whole = config.to_dict()
    return {section: whole[section] for section in INDEX_SECTIONS}


def attach(store: Store[Any], config: Config) -> None:
    """Record the settings in a new index, or refuse settings an existing one was not built with."""
    wanted = _settings(config)
    stored = store.settings()
    if stored is None:
        store.initialize(wanted)
        stored = store.settings()  # a writer creating the index meanwhile may have stored its own first
        if stored is None:
            raise DamagedIndexError(f"{store.target}: the settings written to the new index cannot be read back")
    different = [f"{section}.{key}" for section in INDEX_SECTIONS
                 for key in sorted(set(wanted[section]) | set(stored.get(section, {})))
                 if wanted[section].get(key) != stored.get(section, {}).get(key)]
    if different:
        shown = ", ".join(f"{key} (index: {_lookup(stored, key)!r}, this run: {_lookup(wanted, key)!r})"
                          for key in different[:5])
        raise ForeignIndexError(
            f"{store.target} was built with other settings: {shown}. Run with the index's settings "
            "(see `newsdedup index stats --format json`) or start a new index")
    store.use(config)


def stored_config(store: Store[Any]) -> Config:
    """The configuration an index was built with: export and prune decide by it."""
    stored = store.settings()
    if stored is None:
        raise ForeignIndexError(f"{store.target} is an empty index; add articles first")
    try:
        return config_from_dict(stored, f"{store.target} (its stored settings)")
    except ConfigError as error:
        raise ForeignIndexError(f"{error}; the index was written by another version of newsdedup") from None


def _lookup(settings: Mapping[str, Mapping[str, Any]], dotted: str) -> Any:
    section, key = dotted.split(".", 1)
    return settings.get(section, {}).get(key)


def _guarded(store: Store[Any], operation: Callable[[], Answer]) -> Answer:
    """Run ``operation``, turning the store's own failures and damaged values into a message that names the index."""
    try:
        return operation()
    except DamagedIndexError as error:
        raise DamagedIndexError(f"{store.target}: {error}; restore the index from a backup, or build a new one "
                                "by adding the articles again") from None
    except store.failures as error:
        raise IndexStoreError(f"{store.target}: {error}") from None


def index_settings(config: Config) -> _core.IndexSettings:
    """The core's settings for index look-ups: the bands and thresholds of a batch run's candidates and
    verification."""
    return _core.IndexSettings(**candidate_arguments(config), **verify_arguments(config.verify))


def _candidates(store: Store[Key], entry: _core.IndexEntry, settings: _core.IndexSettings) -> set[str]:
    """Indexed articles that may be copies: the same two indexes as the core's ``CandidateIndex``.

    Containment works both ways: this text's probes found in an indexed sample (it is
    contained), and an indexed text's probes found in this sample (it contains one).
    A sample hash's posting count includes this text, as it would in a batch run.
    """
    found = set(store.band_matches(entry)) if entry.shingles else set()
    sample = entry.sample
    if not sample:
        return store.names(found)
    counts = store.sample_counts(sample)
    usable = [value for value, ok in zip(sample, settings.usable([counts.get(value, 0) + 1 for value in sample]))
              if ok]
    usable_set = set(usable)
    probes = entry.probes
    probing = [value for value in probes if value in usable_set]
    holders = store.sample_holders(probing)
    hits = Counter(key for value in probing for key in holders.get(value, ()))
    needed = settings.hits_needed(len(probes))
    found.update(key for key, count in hits.items() if count >= needed)
    hits.clear()
    probe_counts: dict[Key, int] = {}
    for entries in store.probe_holders(usable).values():
        for key, count in entries:
            hits[key] += 1
            probe_counts[key] = count
    thresholds = {count: settings.hits_needed(count) for count in set(probe_counts.values())}
    found.update(key for key, count in hits.items() if count >= thresholds[probe_counts[key]])
    return store.names(found)


def _copies(store: Store[Any], document: Document, fingerprint: bytes, candidates: set[str],
            settings: _core.IndexSettings) -> list[Copy]:
    """The candidates verified as copies by the core, with the tests and pair order of a batch run."""
    loaded = store.load(sorted(candidates))
    if not loaded:
        return []
    loaded[document.id] = (document, fingerprint)
    ids = sorted(loaded)  # id order, as in a batch run, so ties break the same way
    days = utc_days([loaded[article_id][0].published for article_id in ids])
    try:
        found = settings.copies([loaded[article_id][1] for article_id in ids], ids.index(document.id), days)
    except ValueError as error:
        position, reason = error.args
        raise DamagedIndexError(f"the stored fingerprint of {ids[position]!r} is damaged ({reason})") from None
    copies = [Copy(ids[position], similarity, containment) for position, similarity, containment in found]
    return sorted(copies, key=lambda copy: (-copy.containment, -copy.similarity, copy.id))


def _fingerprint_store(ids: list[str], loaded: Mapping[str, tuple[Document, bytes]]) -> _core.FingerprintStore:
    """The fingerprints of ``ids`` in the core, which compares them as a batch run does.

    The core checks each stored fingerprint as it takes it: damaged bytes are named here.
    """
    store = _core.FingerprintStore()
    for article_id in ids:
        try:
            store.append(loaded[article_id][1])
        except ValueError as error:
            raise DamagedIndexError(f"the stored fingerprint of {article_id!r} is damaged ({error})") from None
    return store


def _component(store: Store[Any], seeds: Iterable[str]) -> dict[str, set[str]]:
    """Every article linked to ``seeds`` by verified copies, with its links."""
    links: dict[str, set[str]] = {}
    frontier = set(seeds)
    while frontier:
        found = store.neighbours(frontier)
        for article_id in frontier:
            links[article_id] = found.get(article_id, set())
        frontier = {other for article_id in frontier for other in links[article_id]} - set(links)
    return links


def _recluster(store: Store[Any], seeds: Iterable[str], config: Config) -> None:
    """Rebuild the clusters of everything linked to ``seeds``, exactly as a batch run would."""
    links = _component(store, seeds)
    loaded = store.load(sorted(links))
    ids = sorted(loaded)  # id order, as in a batch run, so ties break the same way
    if not ids:
        return
    documents = [loaded[article_id][0] for article_id in ids]
    fingerprints = _fingerprint_store(ids, loaded)
    position = {article_id: index for index, article_id in enumerate(ids)}
    pairs = sorted({(min(position[a], position[b]), max(position[a], position[b]))
                    for a in ids for b in links.get(a, ()) if b in position})
    similarities = np.array([similarity for similarity, _ in compare_pairs(fingerprints, pairs)],
                            dtype=np.float64).tobytes()
    groups = star_clusters(len(ids), Links(pair_bytes(pairs), similarities),
                           near_equal=config.candidates.jaccard_threshold)
    clusters = describe_clusters(groups, documents, fingerprints, config)
    fingerprints.close()
    before = {fields[0] for fields in store.membership(ids).values() if fields}
    members = {member.document.id: (cluster.canonical, member.role, member.similarity, member.containment)
               for cluster in clusters for member in cluster.members}
    reasons = {cluster.canonical: encode_reasons(cluster.canonical_reasons) for cluster in clusters}
    store.assign(members, reasons, dropped=sorted(before - set(reasons)))


def _repair(store: Store[Any], config: Config) -> None:
    """Finish what a killed writer left: drop its half-written articles, rebuild the clusters it touched."""
    pending = store.interrupted()
    if not pending:
        return
    complete = store.contains(pending)
    linked = _component(store, pending)
    store.remove(sorted(set(pending) - complete))
    _recluster(store, sorted(set(linked) - (set(pending) - complete)), config)
    store.finished()


def _unfinished_notes(store: Store[Any]) -> tuple[str, ...]:
    """A note for the caller when a reader's answer leaves out articles a writer has not finished."""
    count = store.unfinished()
    if not count:
        return ()
    return (f"{count} article{'s' if count != 1 else ''} left out: a writer put {'them' if count != 1 else 'it'} "
            f"in {store.target} but has not clustered {'them' if count != 1 else 'it'} yet (it is still running, "
            "or was killed mid-batch; the next `newsdedup index add` finishes the batch)",)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _verdicts(store: Store[Any], found: list[tuple[Document, str, list[Copy]]], query: bool = False) -> list[Verdict]:
    """Verdicts naming each article's cluster: its own, or for a query the one its best copy is in."""
    def key(document: Document, status: str, copies: list[Copy]) -> str | None:
        if query and status != "indexed":
            return copies[0].id if copies else None
        return document.id

    keys = [key(*item) for item in found]
    membership = store.membership([article_id for article_id in keys if article_id])
    sizes: dict[str, int] = {}
    verdicts = []
    for (document, status, copies), article_id in zip(found, keys):
        cluster = (membership.get(article_id) or (None,))[0] if article_id else None
        if cluster is not None and cluster not in sizes:
            sizes[cluster] = store.cluster_size(cluster)
        verdicts.append(Verdict(document, status, cluster, 0 if cluster is None else sizes[cluster], tuple(copies)))
    return verdicts


class Index:
    """An open index. Keep one open in a long-running ingest worker: opening costs connections.

    ``config`` None means the settings the index was built with (the built-in defaults for
    a new one); a config that differs from them is refused (ForeignIndexError), since its
    fingerprints would not compare.
    """

    def __init__(self, target: str, config: Config | None = None, create: bool = True) -> None:
        self.store = _open_store(target, create=create)
        self.target = self.store.target
        try:
            new = _guarded(self.store, self.store.settings) is None
            if new and not create:
                raise ForeignIndexError(f"{self.target}: no such index (nothing was ever added); "
                                        f"`newsdedup index add ... --index {self.target}` creates it")
            if config is None:
                config = Config() if new else _guarded(self.store, lambda: stored_config(self.store))
            self.config = config
            _guarded(self.store, lambda: attach(self.store, self.config))
        except BaseException:
            self.store.close()
            raise

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def add(self, inputs: list[str], on_progress: ProgressCallback | None = None, stdin: BinaryIO | None = None,
            workers: int = 1, batch_size: int = 1000, dry_run: bool = False) -> IndexReport:
        """Add the inputs (paths, or ``-`` for JSON Lines on ``stdin``), or with ``dry_run`` only ask.

        One verdict per article, in input order. Each batch of ``batch_size`` articles is
        one transaction: an interrupted run keeps the batches it finished and loses no half
        of one; running it again adds the rest (ids already indexed are reported as
        "indexed" and left alone).
        """
        return self.add_stream(read_batches(inputs, self.config.input, stdin=stdin), on_progress, workers,
                               batch_size, dry_run)

    def add_texts(self, items: Iterable[Article | dict[str, Any]], on_progress: ProgressCallback | None = None,
                  workers: int = 1, batch_size: int = 1000, dry_run: bool = False) -> IndexReport:
        """Add articles held in memory, checked and skipped as ``cluster_texts`` does; otherwise as ``add``."""
        return self.add_stream(read_items(items), on_progress, workers, batch_size, dry_run)

    def query_texts(self, items: Iterable[Article | dict[str, Any]], **options: Unpack[StreamOptions]) -> IndexReport:
        """Which articles held in memory are copies of indexed ones; the index is not changed."""
        return self.add_texts(items, dry_run=True, **options)

    def add_stream(self, items: Iterable[Article | _core.ArticleBatch | Skipped],
                   on_progress: ProgressCallback | None = None, workers: int = 1, batch_size: int = 1000,
                   dry_run: bool = False) -> IndexReport:
        """Add (or only ask about) a stream of articles (one by one, or in the core's batches); the
        skipped inputs in it go to ``skipped``."""
        progress = on_progress or (lambda stage, done, total: None)
        skipped: list[Skipped] = []
        articles: Iterator[Article | _core.ArticleBatch] = articles_only(items, skipped)
        verdicts: list[Verdict] = []
        notes: dict[str, None] = {}  # in order, each once
        step = _query_batch if dry_run else _add_batch
        for batch in batches(prepare(articles, self.config, workers), batch_size):
            found, batch_notes = _guarded(self.store, lambda: step(self.store, batch, self.config))
            verdicts.extend(found)
            notes.update(dict.fromkeys(batch_notes))
            progress("index", len(verdicts), None)
        return IndexReport(verdicts=tuple(verdicts), skipped=sort_skipped(skipped), index=self.target,
                           added=not dry_run, config=self.config.to_dict(), notes=tuple(notes))

    def query(self, inputs: list[str], **options: Unpack[InputOptions]) -> IndexReport:
        """Which inputs are copies of indexed articles; the index is not changed."""
        return self.add(inputs, dry_run=True, **options)

    def export(self) -> Result:
        """The index's clusters as a ``cluster`` report (same schema, same order)."""
        return _guarded(self.store, lambda: _export(self.store, self.config))

    def prune(self, before: str) -> int:
        """Forget articles published (or, undated, added) before ``before``; returns how many.

        The clusters they were in are rebuilt from the articles that stay.
        """
        return _guarded(self.store, lambda: _prune(self.store, before, self.config))

    def stats(self) -> dict[str, Any]:
        """Articles, clusters, size, oldest and newest date, and the settings the index was built with."""
        def read() -> dict[str, Any]:
            with self.store.reading():
                summary = self.store.summary()
                notes = _unfinished_notes(self.store)
            return {"index": self.target, **summary, "settings": self.store.settings(), "notes": list(notes)}
        return _guarded(self.store, read)


def add_articles(inputs: list[str], target: str, config: Config, dry_run: bool = False,
                 **options: Unpack[InputOptions]) -> IndexReport:
    """Open the index at ``target``, add the inputs (or only ask, with ``dry_run``), close it."""
    with Index(target, config, create=not dry_run) as index:
        return index.add(inputs, dry_run=dry_run, **options)


def query_articles(inputs: list[str], target: str, config: Config, **options: Unpack[InputOptions]) -> IndexReport:
    return add_articles(inputs, target, config, dry_run=True, **options)


def export_index(target: str) -> Result:
    with Index(target, create=False) as index:
        return index.export()


def prune_index(target: str, before: str) -> int:
    with Index(target, create=False) as index:
        return index.prune(before)


def index_stats(target: str) -> dict[str, Any]:
    with Index(target, create=False) as index:
        return index.stats()


def _look_up(store: Store[Any], batch: list[tuple[Document, bytes]], config: Config
             ) -> Iterator[tuple[Document, bytes, _core.IndexEntry | None, list[Copy]]]:
    """Each article of the batch with its index entries and the indexed articles verified as its copies.

    An article already in the index gets no entries (None) and no copies. The entries of the
    batch are computed by the core in one call; each look-up runs when its turn comes, so an
    adding caller that puts an article first has the next look-up see it, as a batch run would.
    """
    present = store.contains(document.id for document, _ in batch)
    settings = index_settings(config)
    absent = [(document, fingerprint) for document, fingerprint in batch if document.id not in present]
    entries = iter(settings.entries([fingerprint for _, fingerprint in absent]))
    for document, fingerprint in batch:
        if document.id in present:
            yield document, fingerprint, None, []
            continue
        entry = next(entries)
        yield document, fingerprint, entry, _copies(store, document, fingerprint,
                                                    _candidates(store, entry, settings), settings)


def _status(entry: _core.IndexEntry | None, copies: list[Copy]) -> str:
    return "indexed" if entry is None else "copy" if copies else "new"


def _add_batch(store: Store[Any], batch: list[tuple[Document, bytes]],
               config: Config) -> tuple[list[Verdict], tuple[str, ...]]:
    with store.writing():
        _repair(store, config)
        found: list[tuple[Document, str, list[Copy]]] = []
        added = _now()
        for document, fingerprint, entry, copies in _look_up(store, batch, config):
            if entry is not None:
                store.put(document, fingerprint, added, entry, [copy.id for copy in copies])
            found.append((document, _status(entry, copies), copies))
        _recluster(store, [document.id for document, status, _ in found if status != "indexed"], config)
        store.finished()
        return _verdicts(store, found), ()


def _query_batch(store: Store[Any], batch: list[tuple[Document, bytes]],
                 config: Config) -> tuple[list[Verdict], tuple[str, ...]]:
    with store.reading():
        notes = _unfinished_notes(store)
        found = [(document, _status(entry, copies), copies)
                 for document, _, entry, copies in _look_up(store, batch, config)]
        return _verdicts(store, found, query=True), notes


def _export(store: Store[Any], config: Config) -> Result:
    with store.reading():
        notes = _unfinished_notes(store)
        reasons = store.clusters()
        grouped: dict[str, list[Member]] = {}
        for document, (cluster, role, similarity, containment) in store.members():
            grouped.setdefault(cluster, []).append(Member(document, role, similarity, containment))
    clusters = []
    for canonical, members in grouped.items():
        members.sort(key=lambda member: (member.role != "canonical", member.document.id))
        clusters.append(Cluster(id=0, canonical=canonical, members=tuple(members),
                                canonical_reasons=decode_reasons(canonical, reasons.get(canonical, "[]"))))
    return Result(clusters=number_clusters(clusters), skipped=(), config=config.to_dict(), notes=notes)


def _prune(store: Store[Any], before: str, config: Config) -> int:
    with store.writing():
        _repair(store, config)
        old = store.older_than(before)
        if not old:
            return 0
        linked = store.neighbours(old)
        survivors = sorted({other for links in linked.values() for other in links} - set(old))
        dropped = {fields[0] for fields in store.membership(old).values() if fields}
        store.remove(old)
        store.assign({}, {}, dropped=sorted(dropped))
        _recluster(store, survivors, config)
        return len(old)
