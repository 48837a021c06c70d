"""The shared index store: Redis, for many ingest workers on one or many machines.

The LSH buckets keep the layout of datasketch's MinHashLSH with its Redis storage (the
same bands as the batch run; see ``_Buckets``), written and read here from the bucket
names the core computes, one command per look-up. Articles, samples, probes, copy links
and clusters are Redis hashes and sets under one key prefix. Writers take turns through a Redis lock with a short
lease that the holder renews, so a killed writer blocks the others for one lease at
most. Redis has no multi-command rollback across the reads a batch needs, so a
writer records the ids it is about to write in a pending set first; an article counts
as indexed once its id is in the ids set (written last, with its records, in one
MULTI/EXEC), and the next writer finishes or drops whatever a killed one left pending.
"""

from __future__ import annotations

import json
import re
import struct
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .codec import decode_document, decode_membership_json, decode_settings, encode_document
from .errors import DamagedIndexError, ForeignIndexError, IndexStoreError
from .index_sqlite import FORMAT
from .models import Document

# 3: LSH bucket entries are article ids in UTF-8 (format 2 let datasketch pickle them, and
# reading a pickle from a shared server can run code).
FORMAT_VERSION = 4  # 4: fingerprints are NDF2 (with the token sequence)

if TYPE_CHECKING:
    from redis import Redis
    from redis.client import Pipeline
    from redis.lock import Lock

    from . import _core
    from .config import Config
    from .index import StoreSummary

# Seconds a writer's lock lives unless renewed; the holder renews it after every article.
LOCK_LEASE = 10
# Seconds a writer waits for the lock before giving up with a message.
LOCK_WAIT = 600
PREFIX = "newsdedup"
# Server-side loops over many keys, one command each way instead of one per key: an article
# touches a few hundred sets (its sample, its probes), and redis-py spends more time packing and
# parsing each command than Redis spends running it. The records are the same either way.
_EACH_SADD = "for i, key in ipairs(KEYS) do redis.call('SADD', key, ARGV[i]) end return 0"
_EACH_READ = ("local found = {} for i, key in ipairs(KEYS) do found[i] = redis.call(ARGV[1], key) end "
              "return found")
# KEYS: each band's table, then each band's bucket set; ARGV: the article, then each band's bucket name.
_BUCKETS_INSERT = ("local bands = #KEYS / 2 for i = 1, bands do "
                   "redis.call('HSET', KEYS[i], ARGV[i + 1], KEYS[bands + i]) "
                   "redis.call('SADD', KEYS[bands + i], ARGV[1]) end return 0")


def _text(value: bytes | str, what: str) -> str:
    """A Redis value newsdedup wrote as text (the client answers in bytes: it decodes nothing itself)."""
    try:
        if isinstance(value, bytes):
            return value.decode("utf-8")
    except UnicodeDecodeError:
        pass
    raise DamagedIndexError(f"{what} is damaged (not UTF-8 text: {value!r:.80})")


def _redis() -> ModuleType:
    try:
        import redis
    except ImportError:
        raise IndexStoreError("a redis:// index needs the redis package: pip install 'newsdedup[redis]'") from None
    return redis


def _without_password(url: str) -> str:
    """The URL as messages and reports may show it: any password (user info or query) replaced by ***.

    Split by hand, not with urllib, so that a URL too malformed to parse is still shown safely.
    """
    scheme, separator, rest = url.partition("://")
    end = min((rest.find(mark) for mark in "/?#" if mark in rest), default=len(rest))
    netloc, tail = rest[:end], rest[end:]
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            netloc = f"{userinfo.split(':', 1)[0]}:***@{host}"
    tail = re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", tail)
    return f"{scheme}{separator}{netloc}{tail}"


def _check_url(url: str, shown: str) -> None:
    """Refuse a URL redis-py cannot parse, whose database is not a number (it would quietly use db 0), or that
    asks for replies as text (redis-py takes any decode_responses value, even "false", as yes; the index
    reads bytes: its fingerprints are binary)."""
    from redis.connection import parse_url
    how = "write it as redis://[:password@]host:port/db, rediss://... or unix:///path/to/socket?db=N"
    try:
        options = parse_url(url)  # type: ignore[no-untyped-call]  # redis-py leaves parse_url unannotated
        scheme, path = url.split("://", 1)[0].lower(), urlsplit(url).path
    except ValueError as error:
        reason = _without_secrets(str(error), url)
        raise ForeignIndexError(f"{shown} is not a valid Redis URL ({reason}); {how}") from None
    if scheme != "unix" and not re.fullmatch(r"/?\d*", path):
        raise ForeignIndexError(f"{shown} is not a valid Redis URL (the database {path.lstrip('/')!r} is not a "
                                f"number); {how}")
    if "decode_responses" in options:
        raise ForeignIndexError(f"{shown}: drop decode_responses from the URL: the index reads Redis's replies as "
                                "bytes (its fingerprints are binary)")


def _without_secrets(message: str, url: str) -> str:
    """A library's message about ``url``, with any password of the URL it quotes hidden."""
    netloc = url.partition("://")[2].split("/", 1)[0]
    secrets = re.findall(r"(?i)[?&]password=([^&#]+)", url)
    if "@" in netloc:
        secrets.append(netloc.rsplit("@", 1)[0].partition(":")[2])
    for secret in filter(None, secrets):
        message = message.replace(secret, "***")
    return message


class _Buckets:
    """The LSH buckets in datasketch's MinHashLSH Redis layout, so indexes written before stay readable.

    Band ``i``'s table is the hash ``{basename}_bucket_{i as big-endian u16}`` mapping each bucket
    name H to the set key ``table + H``, a set of article ids; the list ``{basename}_keys{id}``
    (registered in the hash ``{basename}_keys``) holds an article's bucket names in band order,
    for removal. H is the core's ``IndexEntry.buckets``: datasketch's name for the band.
    """

    def __init__(self, client: Redis, basename: bytes) -> None:
        self.keys = basename + b"_keys"
        self.basename = basename
        self.read = client.register_script(_EACH_READ)
        self.insert_script = client.register_script(_BUCKETS_INSERT)

    def table(self, band: int) -> bytes:
        return self.basename + b"_bucket_" + struct.pack(">H", band)

    def query(self, buckets: list[bytes]) -> set[bytes]:
        """Ids in any of the article's buckets: one command for all the bands."""
        found = self.read(keys=[self.table(band) + bucket for band, bucket in enumerate(buckets)], args=["smembers"])
        return {member for members in found for member in members}

    def insert(self, pipe: Pipeline, article: bytes, buckets: list[bytes]) -> None:
        """Queue the article's bucket entries and its list of bucket names on ``pipe``."""
        pipe.hset(self.keys, article, self.keys + article)
        pipe.rpush(self.keys + article, *buckets)
        tables = [self.table(band) for band in range(len(buckets))]
        self.insert_script(keys=[*tables, *(table + bucket for table, bucket in zip(tables, buckets))],
                           args=[article, *buckets], client=pipe)

    def remove(self, client: Redis, article: bytes) -> None:
        """Take the article out of its buckets, dropping buckets left empty, as datasketch's remove does."""
        if not client.hexists(self.keys, article):
            return
        # bytes: redis-py types every reply bytes | str, but _check_url refuses decode_responses.
        buckets: list[bytes] = client.lrange(self.keys + article, 0, -1)  # type: ignore[assignment]
        pipe = client.pipeline(transaction=False)
        for band, bucket in enumerate(buckets):
            pipe.srem(self.table(band) + bucket, article)
            pipe.scard(self.table(band) + bucket)
        left = pipe.execute()[1::2]
        pipe = client.pipeline(transaction=True)
        for band, (bucket, count) in enumerate(zip(buckets, left)):
            if not count:
                pipe.hdel(self.table(band), bucket)
                pipe.delete(self.table(band) + bucket)
        pipe.hdel(self.keys, article)
        pipe.delete(self.keys + article)
        pipe.execute()


class RedisStore:
    """An index in a Redis database, an ``index.Store`` keyed by article id."""

    def __init__(self, url: str) -> None:
        redis = _redis()
        self.target = _without_password(url)
        _check_url(url, self.target)
        self.failures: tuple[type[Exception], ...] = (redis.RedisError,)
        try:
            self.client: Redis = redis.Redis.from_url(url, socket_connect_timeout=5)
            self.client.ping()
        except (redis.RedisError, ValueError) as error:
            raise IndexStoreError(f"{self.target}: cannot reach Redis ({_without_secrets(str(error), url)}); "
                                  "is the server running?") from None
        self.buckets = _Buckets(self.client, self._key("lsh").encode())
        self.each_sadd = self.client.register_script(_EACH_SADD)
        self.each_read = self.client.register_script(_EACH_READ)
        self.entries: _core.IndexSettings | None = None
        self.finished_only = False  # set while reading: see ``reading``
        self.lock: Lock | None = None
        meta = self._check_meta(self.client.hgetall(self._key("meta")))
        if not meta and self.client.dbsize() and not self.client.exists(self._key("ids")):
            keys = [key.decode(errors="replace") if isinstance(key, bytes) else key
                    for key in self.client.scan(count=50)[1]]
            if any(not key.startswith(PREFIX + ":") for key in keys):
                raise ForeignIndexError(f"{self.target} holds other data (keys such as {keys[0]!r}); "
                                        "use an empty Redis database for the index, e.g. another /db number")

    def _check_meta(self, stored: dict[Any, Any]) -> dict[str, str]:
        """The meta record as text, refused if another program or another version of newsdedup wrote it."""
        try:
            meta = {_text(key, "the index's meta record"): _text(value, "the index's meta record")
                    for key, value in stored.items()}
        except DamagedIndexError as error:
            raise DamagedIndexError(f"{self.target}: {error}; use an empty Redis database for a new index") from None
        if meta and meta.get("format") != FORMAT:
            raise ForeignIndexError(f"{self.target} is not a newsdedup index; use an empty Redis database")
        if meta and meta.get("format_version") != str(FORMAT_VERSION):
            raise ForeignIndexError(f"{self.target} was written by another version of newsdedup (index format "
                                    f"{meta.get('format_version')}, this one reads {FORMAT_VERSION}); rebuild it")
        return meta

    def _key(self, *parts: object) -> str:
        return ":".join([PREFIX, *map(str, parts)])

    def close(self) -> None:
        self.client.close()

    # settings -------------------------------------------------------------------------
    def settings(self) -> dict[str, dict[str, Any]] | None:
        value = self.client.hget(self._key("meta"), "settings")
        return None if value is None else decode_settings(value)

    def initialize(self, settings: dict[str, dict[str, Any]]) -> None:
        """Write the meta record in one MULTI/EXEC, so no one opening the index sees half of it.

        Each field is set only if absent (a writer that got there first wins), and the record
        is read back in the same transaction and checked: this store opened an empty database.
        """
        pipe = self.client.pipeline(transaction=True)
        pipe.hsetnx(self._key("meta"), "format", FORMAT)
        pipe.hsetnx(self._key("meta"), "format_version", str(FORMAT_VERSION))
        pipe.hsetnx(self._key("meta"), "settings", json.dumps(settings, sort_keys=True))
        pipe.hgetall(self._key("meta"))
        self._check_meta(pipe.execute()[-1])

    def use(self, config: Config) -> None:
        """Keep the index's candidate settings: removing an article recomputes its entries from its fingerprint."""
        from .index import index_settings
        self.entries = index_settings(config)

    # transactions -----------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """The writer's lock, renewed as the batch goes; released at the end or by its lease."""
        self.lock = self.client.lock(self._key("lock"), timeout=LOCK_LEASE, blocking_timeout=LOCK_WAIT)
        if not self.lock.acquire():
            raise IndexStoreError(f"{self.target}: another writer held the index for {LOCK_WAIT} s; try again")
        try:
            yield
        finally:
            try:
                self.lock.release()
            except _redis().exceptions.LockError:
                pass  # the lease ran out; the next writer repairs from the pending set
            self.lock = None

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads that see finished articles only: one put but not yet clustered is not there."""
        self.finished_only = True
        try:
            yield
        finally:
            self.finished_only = False

    def _renew(self) -> None:
        if self.lock is not None:
            if not self.lock.reacquire():
                raise IndexStoreError(f"{self.target}: lost the writer's lock (paused longer than {LOCK_LEASE} s)")

    def interrupted(self) -> list[str]:
        return sorted(_text(value, "the pending list") for value in self.client.smembers(self._key("pending")))

    def finished(self) -> None:
        self.client.delete(self._key("pending"))

    # lookups ----------------------------------------------------------------------------
    def contains(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        if not self.finished_only:  # a writer sees its own batch
            flags = self.client.smismember(self._key("ids"), ids)
            return {article_id for article_id, flag in zip(ids, flags) if flag}
        pipe = self.client.pipeline(transaction=True)
        pipe.smismember(self._key("ids"), ids)
        pipe.hmget(self._key("member"), ids)
        flags, members = pipe.execute()
        return {article_id for article_id, flag, member in zip(ids, flags, members) if flag and member is not None}

    def band_matches(self, entry: _core.IndexEntry) -> list[str]:
        return [_text(key, "an LSH bucket") for key in self.buckets.query(entry.buckets)]

    def _sets(self, kind: str, hashes: list[int], command: str = "smembers") -> dict[int, Any]:
        """Each hash's non-empty answer to ``command``: a set of members (smembers) or a count (scard)."""
        if not hashes:
            return {}
        answers = self.each_read(keys=[self._key(kind, value) for value in hashes], args=[command])
        return {value: found for value, found in zip(hashes, answers) if found}

    def sample_counts(self, hashes: list[int]) -> dict[int, int]:
        return {value: int(count) for value, count in self._sets("s", hashes, "scard").items()}

    def sample_holders(self, hashes: list[int]) -> dict[int, list[str]]:
        return {value: sorted(_text(member, "a shingle sample entry") for member in members)
                for value, members in self._sets("s", hashes).items()}

    def probe_holders(self, hashes: list[int]) -> dict[int, list[tuple[str, int]]]:
        found: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for value, members in self._sets("p", hashes).items():
            for member in sorted(members):
                count, separator, article_id = _text(member, "a probe entry").partition("|")
                if not (separator and count.isdigit()):
                    raise DamagedIndexError(f"a probe entry is damaged (expected count|id, got {member!r:.80})")
                found[value].append((article_id, int(count)))
        return found

    def names(self, keys: Iterable[str]) -> set[str]:
        """Keys are ids here; only those fully written count."""
        return self.contains(keys)

    def load(self, ids: Iterable[str]) -> dict[str, tuple[Document, bytes]]:
        """Each article's document and fingerprint (NDF2 bytes, checked by the core when it takes them)."""
        ids = sorted(self.contains(ids))
        if not ids:
            return {}
        pipe = self.client.pipeline(transaction=False)
        pipe.hmget(self._key("doc"), ids)
        pipe.hmget(self._key("fp"), ids)
        documents, fingerprints = pipe.execute()
        return {article_id: (decode_document(document), fingerprint)
                for article_id, document, fingerprint in zip(ids, documents, fingerprints)
                if document is not None and fingerprint is not None}

    def neighbours(self, ids: Iterable[str]) -> dict[str, set[str]]:
        ids = list(ids)
        pipe = self.client.pipeline(transaction=False)
        for article_id in ids:
            pipe.smembers(self._key("e", article_id))
        return {article_id: {_text(member, "a copy link") for member in members}
                for article_id, members in zip(ids, pipe.execute()) if members}

    def membership(self, ids: Iterable[str]) -> dict[str, tuple[str, str, float, float]]:
        ids = list(ids)
        if not ids:
            return {}
        values = self.client.hmget(self._key("member"), ids)
        return {article_id: decode_membership_json(article_id, value)
                for article_id, value in zip(ids, values) if value is not None}

    def cluster_size(self, canonical: str) -> int:
        return int(self.client.scard(self._key("c", canonical)))

    # writes -----------------------------------------------------------------------------
    def put(self, document: Document, fingerprint: bytes, added: str, entry: _core.IndexEntry,
            linked: Iterable[str]) -> None:
        """Index one article (its fingerprint as NDF2 bytes): pending first, then its buckets, records and id
        in one MULTI/EXEC."""
        self._renew()
        article_id = document.id
        self.client.sadd(self._key("pending"), article_id)
        pipe = self.client.pipeline(transaction=True)
        self.buckets.insert(pipe, article_id.encode("utf-8"), entry.buckets)
        pipe.hset(self._key("doc"), article_id, encode_document(document))
        pipe.hset(self._key("fp"), article_id, fingerprint)
        pipe.hset(self._key("age"), article_id, document.published or added)
        probes = entry.probes
        if entry.sample:  # probes are the first of the sample
            self.each_sadd(keys=[*(self._key("s", value) for value in entry.sample),
                                 *(self._key("p", value) for value in probes)],
                           args=[article_id] * len(entry.sample) + [f"{len(probes)}|{article_id}"] * len(probes),
                           client=pipe)
        for other in linked:
            pipe.sadd(self._key("e", article_id), other)
            pipe.sadd(self._key("e", other), article_id)
        pipe.sadd(self._key("ids"), article_id)
        pipe.execute()

    def assign(self, members: dict[str, tuple[str, str, float, float]], clusters: dict[str, str],
               dropped: Iterable[str]) -> None:
        self._renew()
        before = self.membership(members)
        pipe = self.client.pipeline(transaction=True)
        for canonical in dropped:
            pipe.hdel(self._key("cluster"), canonical)
        for canonical, reasons in clusters.items():
            pipe.hset(self._key("cluster"), canonical, reasons)
        for article_id, fields in members.items():
            if article_id in before:
                pipe.srem(self._key("c", before[article_id][0]), article_id)
            pipe.sadd(self._key("c", fields[0]), article_id)
            pipe.hset(self._key("member"), article_id, json.dumps(list(fields)))
        pipe.execute()

    def remove(self, ids: Iterable[str]) -> None:
        """Forget articles and every entry that names them (also half-written ones)."""
        for article_id in ids:
            self._renew()
            fingerprint = self.client.hget(self._key("fp"), article_id)
            member = self.client.hget(self._key("member"), article_id)
            pipe = self.client.pipeline(transaction=True)
            if fingerprint is not None:
                entry = self._entry(article_id, fingerprint)
                for value in entry.sample:
                    pipe.srem(self._key("s", value), article_id)
                probes = entry.probes
                for value in probes:
                    pipe.srem(self._key("p", value), f"{len(probes)}|{article_id}")
            for other in self.client.smembers(self._key("e", article_id)):
                pipe.srem(self._key("e", _text(other, "a copy link")), article_id)
            if member is not None:
                pipe.srem(self._key("c", decode_membership_json(article_id, member)[0]), article_id)
            pipe.delete(self._key("e", article_id))
            for table in ("doc", "fp", "age", "member"):
                pipe.hdel(self._key(table), article_id)
            pipe.srem(self._key("ids"), article_id)
            pipe.execute()
            self.buckets.remove(self.client, article_id.encode("utf-8"))

    def _entry(self, article_id: str, fingerprint: object) -> _core.IndexEntry:
        """The index entries of a stored fingerprint, computed again by the core from its bytes."""
        assert self.entries is not None  # ``use`` set them
        try:
            if not isinstance(fingerprint, bytes):
                raise ValueError(f"a {type(fingerprint).__name__}, not bytes")
            [entry] = self.entries.entries([fingerprint])
        except ValueError as error:
            raise DamagedIndexError(f"the stored fingerprint of {article_id!r} is damaged ({error})") from None
        return entry

    # whole-index reads ------------------------------------------------------------------
    def _ages(self) -> dict[str, str]:
        return {_text(key, "an age record"): _text(value, "an age record")
                for key, value in self.client.hgetall(self._key("age")).items()}

    def older_than(self, day: str) -> list[str]:
        return sorted(article_id for article_id, age in self._ages().items() if age < day)

    def clusters(self) -> dict[str, str]:
        return {_text(key, "a cluster record"): _text(value, "a cluster record")
                for key, value in self.client.hgetall(self._key("cluster")).items()}

    def members(self) -> Iterator[tuple[Document, tuple[str, str, float, float]]]:
        """Every finished article with its cluster.

        An article a writer has put but not yet clustered (the writer is running, or was
        killed mid-batch) has no cluster record: it is left out, and ``unfinished`` counts it.
        """
        ids = sorted(_text(value, "the id list") for value in self.client.smembers(self._key("ids")))
        for start in range(0, len(ids), 1000):
            chunk = ids[start:start + 1000]
            pipe = self.client.pipeline(transaction=True)  # both records as of one moment
            pipe.hmget(self._key("member"), chunk)
            pipe.hmget(self._key("doc"), chunk)
            for article_id, member, document in zip(chunk, *pipe.execute()):
                if member is None:
                    continue  # unfinished, or pruned since the ids were read
                if document is None:
                    raise DamagedIndexError(f"article {article_id!r} has a cluster but no record")
                yield decode_document(document), decode_membership_json(article_id, member)

    def unfinished(self) -> int:
        """Articles put by a writer that has not yet clustered them (running, or killed mid-batch)."""
        pipe = self.client.pipeline(transaction=True)
        pipe.scard(self._key("ids"))
        pipe.hlen(self._key("member"))
        indexed, clustered = pipe.execute()
        return max(int(indexed) - int(clustered), 0)

    def summary(self) -> StoreSummary:
        """Counts and dates of the finished articles (see ``members``)."""
        clustered = {_text(key, "a cluster record") for key in self.client.hkeys(self._key("member"))}
        ages = {article_id: age for article_id, age in self._ages().items() if article_id in clustered}
        memory = self.client.info("memory").get("used_memory", 0)
        return {"articles": len(clustered),
                "clusters": int(self.client.hlen(self._key("cluster"))),
                "bytes_on_disk": None, "bytes_in_memory": int(memory),
                "oldest": min(ages.values(), default=None), "newest": max(ages.values(), default=None)}

