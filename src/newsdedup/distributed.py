"""The batch run on a Dask cluster: a local run's report, for corpora beyond one machine.

The stages and their core functions are the local run's (pipeline.py); only where the data
lives is new. Workers read their partitions (partitions.py), clean and fingerprint them, and
keep the fingerprints and bodies: those are most of a run's bytes (13 KB an article) and never
reach the client. The client receives each article's record without its body, which the report
is written from, and settles what a local run settles over the whole run: which of two articles
with one id is read, and every article's position in id order. Candidate pairs are found from
small keys shuffled by bucket (``_core.Shards``: the pairs ``CandidateIndex`` finds); each
pair is verified on a worker that is sent the two fingerprints; the verified links, a few per
copy, come to the client, where the one star clustering runs; each cluster is described
(canonical, scores, changes) on a worker sent its members. Dask recomputes what a lost worker
held from the same tasks, so a run that loses a worker gives the same report.
"""

from __future__ import annotations

import asyncio
import logging
import operator
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from . import _core
from .candidates import candidate_arguments
from .clean import clean_settings
from .cluster import star_clusters
from .config import Config
from .dates import utc_days
from .errors import ClusterRunError, ConfigError, MissingDependencyError
from .fingerprint import core_arguments
from .load import FirstOfEachId
from .models import ClusterTableBuilder, Reason, Result, Skipped, documents_at
from .partitions import PARTITION_BYTES, Partition, count_line_breaks, empty_files, number_lines, plan, read_partition
from .pipeline import BATCH_SIZE, DESCRIBE_CHUNK, ProgressCallback, canonical_choices, number_clusters, sort_skipped
from .verify import Links, verify_arguments

if TYPE_CHECKING:
    from distributed import Client, Future

    from ._core import ChangesRow

    # A chunk of groups described: (members canonical first, reasons, scores) each, and the changes by position.
    Described = tuple[list[tuple[list[int], tuple[Reason, ...], list[tuple[float, float]]]], dict[int, ChangesRow]]

# How long the client waits for a scheduler to answer, and for it to have a worker, before the run
# is a usage error.
CONNECT_SECONDS = 10
WORKERS_SECONDS = 60
LOCAL = "local"


@dataclass(frozen=True)
class Listing:
    """What the client is sent of a prepared partition: its records without bodies (the report's),
    their ids and paths (for the one article per id), its skipped inputs, its JSON Lines records."""

    number: int
    documents: bytes
    ids: list[str]
    paths: list[str]
    skipped: list[Skipped]
    records: int | None


@dataclass(frozen=True)
class Prepared:
    """A partition cleaned and fingerprinted, kept on the worker that made it: its documents
    (encoded, with bodies) and fingerprints (NDF2) by row, and its listing."""

    documents: list[bytes]
    fingerprints: list[bytes]
    listing: Listing


def _prepared_size(prepared: Prepared) -> int:
    """What a prepared partition holds, for the workers' memory accounting (dask's sizeof)."""
    listing = prepared.listing
    return (sum(map(len, prepared.documents)) + sum(map(len, prepared.fingerprints)) + len(listing.documents)
            + sum(map(len, listing.ids)) + sum(map(len, listing.paths)) + 100 * (len(prepared.documents) + 1))


try:  # on the workers, dask is there; the module imports without it (connect names the extra)
    from dask.sizeof import sizeof
except ImportError:  # pragma: no cover
    pass
else:
    sizeof.register(Prepared)(_prepared_size)


def connect(scheduler: str) -> Client:
    """A Dask client: of the scheduler at ``scheduler`` (``tcp://host:8786``), or of a cluster of
    processes on this machine for ``local`` (one per core) or ``local:N``.

    MissingDependencyError without Dask; ConfigError (exit 2) when no scheduler answers.
    """
    try:
        import distributed
    except ImportError as error:
        raise MissingDependencyError("--scheduler needs Dask: pip install 'newsdedup[dask]'") from error
    if scheduler == LOCAL or scheduler.startswith(LOCAL + ":"):
        workers = _local_workers(scheduler)
        # The dashboard on a free port: the default one may be taken by another cluster.
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=logging.CRITICAL)
        try:
            return distributed.Client(cluster, set_as_default=False)
        except BaseException:
            cluster.close()
            raise
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ConfigError(f"--scheduler {scheduler}: no Dask scheduler answered within {CONNECT_SECONDS} s "
                          f"({error}); start one (dask scheduler) and give its address, or use --scheduler local"
                          ) from None
    try:
        _check_workers(client, scheduler)
    except BaseException:
        client.close()
        raise
    return client


def _check_workers(client: Client, scheduler: str) -> None:
    """ConfigError unless the scheduler has a worker within WORKERS_SECONDS, and every worker runs
    this newsdedup (another version could clean or fingerprint otherwise, and change the report)."""
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except TimeoutError:
        raise ConfigError(f"--scheduler {scheduler}: the scheduler has no worker after {WORKERS_SECONDS} s; "
                          f"start some (dask worker {scheduler})") from None
    try:
        versions = client.run(_installed_version)
    except Exception as error:  # a worker that cannot import newsdedup at all
        raise ConfigError(f"--scheduler {scheduler}: a worker cannot run newsdedup ({error}); install "
                          f"newsdedup {_core.__version__} where the workers run") from None
    others = sorted({f"{worker} has {version}" for worker, version in versions.items() if version != _core.__version__})
    if others:
        raise ConfigError(f"--scheduler {scheduler}: the workers must run newsdedup {_core.__version__}, as this "
                          f"command does: {'; '.join(others)}")


def _installed_version() -> str:
    """On a worker: the newsdedup version it runs (its core's, which does the work)."""
    return _core.__version__


def _local_workers(scheduler: str) -> int:
    import os

    given = scheduler[len(LOCAL) + 1:]
    if not given:
        return os.cpu_count() or 1
    if not given.isdigit() or not 1 <= int(given) <= 1024:
        raise ConfigError(f"--scheduler {scheduler}: the number of local workers must be 1 to 1024 (local:2)")
    return int(given)


def close(client: Client) -> None:
    """Closes the client, and the cluster it started for ``local``."""
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()


def cluster_on_dask(inputs: list[str], client: Client, config: Config | None = None,
                    on_progress: ProgressCallback | None = None, keep_bodies: bool = False,
                    partition_bytes: int = PARTITION_BYTES) -> Result:
    """``pipeline.cluster_articles`` run on the workers of ``client``: the same Result.

    ``on_progress(stage, done, total)`` as the local run reports it (stages finish as their
    last task does); ``keep_bodies`` brings the bodies to the client too (the HTML report);
    ``partition_bytes``: the input a task reads (the result does not depend on it).
    """
    import concurrent.futures

    from distributed import KilledWorker

    try:
        return _run(inputs, client, config if config is not None else Config(), on_progress, keep_bodies,
                    partition_bytes)
    except (KilledWorker, OSError, TimeoutError, concurrent.futures.CancelledError, asyncio.CancelledError) as error:
        address = getattr(client.scheduler, "address", "its scheduler")
        raise ClusterRunError(f"the Dask cluster at {address} failed the run ({type(error).__name__}: {error}); "
                              f"the inputs are not at fault: run again, or see the workers' logs") from error


def _run(inputs: list[str], client: Client, config: Config, on_progress: ProgressCallback | None,
         keep_bodies: bool, partition_bytes: int) -> Result:
    progress = on_progress or (lambda stage, done, total: None)
    partitions, skipped = plan(inputs, config.input, partition_bytes)
    partitions = _numbered(client, partitions)
    run_key = uuid.uuid4().hex  # the files may change between two runs: tasks are never shared across runs
    prepared = [client.submit(_prepare, partition, config, key=f"newsdedup-prepare-{partition.number}-{run_key}")
                for partition in partitions]
    listings = _listings(client, prepared, keep_bodies, progress)
    skipped.extend(empty_files(partitions, {listing.number: listing.records for listing in listings}))
    run = _Catalogue.of(listings, keep_bodies, skipped)
    del listings
    progress("index", 0, 2)
    pairs = _candidate_pairs(client, prepared, run, config, progress)
    links = _verified(client, prepared, run, pairs, config, progress)
    del pairs
    groups = star_clusters(len(run.documents), links, near_equal=config.candidates.jaccard_threshold)
    del links
    changes = _core.ChangeTable()
    described = ClusterTableBuilder(run.documents, changes, bodies=keep_bodies)
    _describe(client, prepared, run, groups, config, described, changes, progress)
    client.cancel(prepared)
    return Result(clusters=number_clusters(described), skipped=sort_skipped(skipped), config=config.to_dict())


def _numbered(client: Client, partitions: list[Partition]) -> list[Partition]:
    """The partitions with their JSON Lines parts' line numbers: the line breaks counted on the workers."""
    parts = [partition for partition in partitions if partition.part is not None and partition.part.kind == "jsonl"]
    if not parts:
        return partitions
    counts = client.gather(client.map(count_line_breaks, [partition.part for partition in parts], pure=False))
    return number_lines(partitions, {partition.number: count for partition, count in zip(parts, counts)})


def _prepare(partition: Partition, config: Config) -> Prepared:
    """On a worker: the partition read, cleaned and fingerprinted by the core, one thread a task."""
    cleaning = clean_settings(config.boilerplate, config.canonical)
    fingerprinting = core_arguments(config.fingerprint)
    documents = _core.DocumentTable()
    fingerprints: list[bytes] = []
    ids: list[str] = []
    paths: list[str] = []
    skipped: list[Skipped] = []
    counted: list[int | None] = []
    for batch in read_partition(partition, config.input, BATCH_SIZE, counted):
        if isinstance(batch, Skipped):
            skipped.append(batch)
            continue
        ids.extend(batch.ids())
        paths.extend(batch.paths())
        fingerprints.extend(_core.prepare_batch(batch, documents, cleaning, *fingerprinting, True, 1))
    rows = list(range(len(documents)))
    listing = Listing(partition.number, documents.encoded(rows, bodies=False), ids, paths, skipped,
                      counted[0] if counted else None)
    return Prepared([documents.encoded([row]) for row in rows], fingerprints, listing)


def _listing(prepared: Prepared, bodies: bool) -> Listing:
    """On a worker: the partition's listing, its documents with their bodies when ``bodies``."""
    return replace(prepared.listing, documents=b"".join(prepared.documents)) if bodies else prepared.listing


def _listings(client: Client, prepared: list[Future[Any]], bodies: bool, progress: ProgressCallback) -> list[Listing]:
    """Every partition's listing, in partition order, reporting the articles read as they come."""
    from distributed import as_completed

    futures = client.map(_listing, prepared, bodies=bodies)
    listings: dict[int, Listing] = {}
    read = 0
    for _, listing in as_completed(futures, loop=client.loop, with_results=True):
        listings[listing.number] = listing
        read += len(listing.ids)
        progress("fingerprint", read, None)
    progress("fingerprint", read, read)
    return [listings[number] for number in sorted(listings)]


@dataclass
class _Catalogue:
    """What the client holds of a run: every article's record (a local run holds the same), in id
    order, and where each lives: its partition and its row there, by position."""

    documents: _core.DocumentTable
    partition_of: npt.NDArray[np.int64]
    row_of: npt.NDArray[np.int64]
    days: list[int | None]

    @classmethod
    def of(cls, listings: Sequence[Listing], bodies: bool, skipped: list[Skipped]) -> _Catalogue:
        """The articles of the listings, the first of each id as a local run reads it (the rest go to ``skipped``)."""
        documents = _core.DocumentTable()
        partition_of: list[npt.NDArray[np.int64]] = []
        row_of: list[npt.NDArray[np.int64]] = []
        first = FirstOfEachId()
        for listing in listings:
            skipped.extend(listing.skipped)
            kept = []
            for row, (article_id, path) in enumerate(zip(listing.ids, listing.paths)):
                clash = first.clash(article_id, path)
                if clash is None:
                    kept.append(row)
                else:
                    skipped.append(clash)
            if len(kept) == len(listing.ids):
                documents.extend_encoded(listing.documents)
            else:
                held = _core.DocumentTable()
                held.extend_encoded(listing.documents)
                documents.extend_encoded(held.encoded(kept, bodies=bodies))
            partition_of.append(np.full(len(kept), listing.number, dtype=np.int64))
            row_of.append(np.asarray(kept, dtype=np.int64))
        order = documents.order_by_id()
        documents.reorder(order)
        taken = np.asarray(order, dtype=np.int64)
        return cls(documents, np.concatenate([np.zeros(0, np.int64), *partition_of])[taken],
                   np.concatenate([np.zeros(0, np.int64), *row_of])[taken], utc_days(documents.published()))

    def rows_by_partition(self, positions: npt.NDArray[np.int64]) -> Iterator[tuple[int, npt.NDArray[np.int64],
                                                                                      npt.NDArray[np.int64]]]:
        """(partition, its rows, their positions) for the given positions, by partition, rows ascending."""
        partitions = self.partition_of[positions]
        order = np.lexsort((self.row_of[positions], partitions))
        ordered = positions[order]
        bounds = np.flatnonzero(np.diff(partitions[order])) + 1
        for chunk in np.split(ordered, bounds):
            if len(chunk):
                yield int(self.partition_of[chunk[0]]), self.row_of[chunk], chunk


def _shard_count(client: Client) -> int:
    """Buckets of the key shuffle: two per worker thread (the pairs do not depend on it)."""
    return max(2, 2 * sum(client.nthreads().values()))


def _candidate_pairs(client: Client, prepared: list[Future[Any]], run: _Catalogue, config: Config,
                     progress: ProgressCallback) -> npt.NDArray[np.uint64]:
    """The candidate pairs of the run, packed i << 32 | j, sorted: ``CandidateIndex.pairs`` of the whole run."""
    arguments = candidate_arguments(config)
    shards = _shard_count(client)
    keys = []
    for partition, rows, positions in run.rows_by_partition(np.arange(len(run.documents), dtype=np.int64)):
        keys.append(client.submit(_keys, prepared[partition], rows, positions, shards, arguments, pure=False))
    by_shard = [[client.submit(operator.getitem, key, shard, pure=False) for key in keys] for shard in range(shards)]
    found = [client.submit(_shard_pairs, parts, shards, arguments, pure=False) for parts in by_shard]
    similar = [client.submit(operator.getitem, result, 0, pure=False) for result in found]
    counted = [client.submit(_counted_pairs, [client.submit(_hits_of, result, prober, pure=False) for result in found],
                             by_shard[prober], shards, arguments, pure=False) for prober in range(shards)]
    packed = client.gather(similar + counted)
    progress("index", 2, 2)
    joined = np.concatenate([np.zeros(0, dtype=np.uint64), *(np.frombuffer(part, dtype=np.uint64) for part in packed)])
    return np.unique(joined)


def _keys(prepared: Prepared, rows: npt.NDArray[np.int64], positions: npt.NDArray[np.int64], shards: int,
          arguments: dict[str, Any]) -> list[tuple[bytes, bytes, bytes, bytes]]:
    """On a worker: the band keys, samples, probes and probe counts of the rows, by shard."""
    return _core.Shards(shards, **arguments, threads=1).keys([prepared.fingerprints[row] for row in rows.tolist()],
                                                            positions.astype(np.uint32).tobytes())


def _shard_pairs(parts: list[tuple[bytes, bytes, bytes, bytes]], shards: int,
                 arguments: dict[str, Any]) -> tuple[bytes, list[bytes]]:
    """On a worker: one shard's similar pairs, and its probe hits by the prober's shard."""
    return _core.Shards(shards, **arguments, threads=1).pairs(
        b"".join(part[0] for part in parts), b"".join(part[1] for part in parts), b"".join(part[2] for part in parts))


def _hits_of(found: tuple[bytes, list[bytes]], prober: int) -> bytes:
    return found[1][prober]


def _counted_pairs(hits: list[bytes], parts: list[tuple[bytes, bytes, bytes, bytes]], shards: int,
                   arguments: dict[str, Any]) -> bytes:
    """On a worker: the containment pairs of one prober shard."""
    return _core.Shards(shards, **arguments, threads=1).counted(b"".join(hits), b"".join(part[3] for part in parts))


def _taken(client: Client, prepared: list[Future[Any]], run: _Catalogue, positions: npt.NDArray[np.int64],
           bodies: bool) -> tuple[list[Future[Any]], npt.NDArray[np.int64]]:
    """Futures of the fingerprints (and documents, with ``bodies``) at ``positions``, taken from their
    partitions, and the positions in the order they come."""
    taken, order = [], []
    for partition, rows, held in run.rows_by_partition(positions):
        taken.append(client.submit(_take, prepared[partition], rows, bodies, pure=False))
        order.append(held)
    return taken, np.concatenate([np.zeros(0, dtype=np.int64), *order])


def _take(prepared: Prepared, rows: npt.NDArray[np.int64], bodies: bool) -> tuple[bytes, list[bytes]]:
    """On a worker: the documents (encoded, with bodies, when asked) and fingerprints of some rows."""
    wanted = rows.tolist()
    documents = b"".join(prepared.documents[row] for row in wanted) if bodies else b""
    return documents, [prepared.fingerprints[row] for row in wanted]


def _in_id_order(taken: list[tuple[bytes, list[bytes]]], order: npt.NDArray[np.int64], store: _core.FingerprintStore,
                 documents: _core.DocumentTable | None = None) -> npt.NDArray[np.int64]:
    """On a worker: what ``_taken`` sent (by partition; ``order``: its positions), put into ``store`` (and
    ``documents``) in id order, so that place k holds the k-th smallest position; those positions.

    The client names the members of a task by their place in that order (``np.searchsorted``), and every
    tie a local run breaks on positions falls the same way here.
    """
    for encoded, fingerprints in taken:
        store.append_batch(fingerprints)
        if documents is not None:
            documents.extend_encoded(encoded)
    in_id_order = np.argsort(order, kind="stable")
    store.reorder(in_id_order.tolist())
    if documents is not None:
        documents.reorder(in_id_order.tolist())
    return order[in_id_order]


def _verified(client: Client, prepared: list[Future[Any]], run: _Catalogue, pairs: npt.NDArray[np.uint64],
              config: Config, progress: ProgressCallback) -> Links:
    """The verified links of the candidate pairs, in pair order, as ``verify.verified_links`` gives them:
    the pairs of each partition (of their first article) verified on a worker sent both fingerprints."""
    left = (pairs >> np.uint64(32)).astype(np.int64)
    right = (pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
    arguments = verify_arguments(config.verify)
    tasks = []
    owners = run.partition_of[left]
    by_owner = np.argsort(owners, kind="stable")
    for mine in np.split(by_owner, np.flatnonzero(np.diff(owners[by_owner])) + 1):
        if not len(mine):
            continue
        needed = np.unique(np.concatenate([left[mine], right[mine]]))
        taken, order = _taken(client, prepared, run, needed, bodies=False)
        local = np.stack([np.searchsorted(needed, left[mine]), np.searchsorted(needed, right[mine])], axis=1)
        days = [run.days[position] for position in needed.tolist()]
        tasks.append(client.submit(_verify, taken, order, local.astype(np.int64).tobytes(), days, arguments,
                                   pure=False))
    parts = []
    for done, links in enumerate(client.gather(tasks), start=1):
        parts.append(links)
        progress("verify", done, len(tasks))
    return _in_pair_order(Links.joined(parts))


def _verify(taken: list[tuple[bytes, list[bytes]]], order: npt.NDArray[np.int64], pairs: bytes,
            days: list[int | None], arguments: dict[str, Any]) -> Links:
    """On a worker: ``verified_matches`` over a store of the fingerprints sent, links in run positions."""
    store = _core.FingerprintStore()
    try:
        positions = _in_id_order(taken, order, store)
        found = Links(*_core.verified_matches(pairs, store, days, **arguments, threads=1))
    finally:
        store.close()
    local = np.frombuffer(found.pairs, dtype=np.int64)
    return Links(positions[local].astype(np.int64).tobytes(), found.similarities, found.containments, found.shared)


def _in_pair_order(links: Links) -> Links:
    """The links sorted by pair, as the local run verifies them (its star clustering sums in that order)."""
    pairs = np.frombuffer(links.pairs, dtype=np.int64).reshape(-1, 2)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))

    def sorted_as_pairs(data: bytes, dtype: type) -> bytes:
        return np.frombuffer(data, dtype=dtype)[order].tobytes()

    return Links(pairs[order].tobytes(), sorted_as_pairs(links.similarities, np.float64),
                 sorted_as_pairs(links.containments, np.float64), sorted_as_pairs(links.shared, np.int64))


def _describe(client: Client, prepared: list[Future[Any]], run: _Catalogue, groups: list[list[int]], config: Config,
              described: ClusterTableBuilder, changes: _core.ChangeTable, progress: ProgressCallback) -> None:
    """Each group added to ``described``: single articles here, the others described on workers sent
    their members (canonical choice, scores, what each copy changed), as ``pipeline.describe_into``."""
    several = [sorted(group) for group in groups if len(group) > 1]
    for group in groups:
        if len(group) == 1:
            described.add(group)
    tasks = []
    size = _describe_chunk(len(several), client)
    for start in range(0, len(several), size):
        chunk = several[start:start + size]
        members = np.asarray(sorted(position for group in chunk for position in group), dtype=np.int64)
        taken, order = _taken(client, prepared, run, members, bodies=True)
        local = [np.searchsorted(members, np.asarray(group, dtype=np.int64)).tolist() for group in chunk]
        tasks.append(client.submit(_describe_groups, taken, order, local, config, pure=False))
    for done, (found, found_changes) in enumerate(client.gather(tasks), start=1):
        for members, reasons, scores in found:
            described.add(members, scores, reasons)
        changes.insert(list(found_changes), list(found_changes.values()))
        progress("cluster", done, len(tasks))
    progress("cluster", 1, 1)


def _describe_chunk(groups: int, client: Client) -> int:
    """Groups a task describes: a few tasks per worker thread (each takes members from every
    partition), at most 16 local chunks (their members' fingerprints and bodies held at once)."""
    threads = max(1, sum(client.nthreads().values()))
    return min(16 * DESCRIBE_CHUNK, max(DESCRIBE_CHUNK, -(-groups // (4 * threads))))


def _describe_groups(taken: list[tuple[bytes, list[bytes]]], order: npt.NDArray[np.int64], groups: list[list[int]],
                     config: Config) -> Described:
    """On a worker: ``pipeline.canonical_choices`` of the groups (places in id order, ``_in_id_order``)
    over the members sent, in run positions."""
    documents = _core.DocumentTable()
    store = _core.FingerprintStore()
    change_table = _core.ChangeTable()
    try:
        positions = _in_id_order(taken, order, store, documents)
        found = []
        duplicates: list[int] = []
        for members, reasons, scores in canonical_choices(
                groups, lambda places: documents_at(documents, places), store, config, 1, None,
                (change_table, documents)):
            found.append(([int(positions[member]) for member in members], reasons, scores))
            duplicates.extend(members[1:])
        rows = change_table.rows(duplicates)
    finally:
        store.close()
    return found, {int(positions[place]): row for place, row in zip(duplicates, rows) if row is not None}
