"""The built-in index store: one SQLite file, nothing to install or run.

WAL mode, so queries never wait for a writer; one write transaction per batch
(``BEGIN IMMEDIATE``), so a kill mid-batch rolls the whole batch back and a second
writer waits its turn instead of interleaving. Band keys, shingle samples and probes
are rows of ``WITHOUT ROWID`` tables keyed by hash, so every lookup is an index seek.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TypeVar

from .codec import decode_document, decode_membership, decode_settings, encode_document
from .errors import DamagedIndexError, ForeignIndexError, IndexStoreError
from .models import Document

if TYPE_CHECKING:
    from . import _core
    from .config import Config
    from .index import StoreSummary

FORMAT = "newsdedup-index"
FORMAT_VERSION = 3  # 3: fingerprints are NDF2 (with the token sequence)
# A second writer waits this long for the first to commit before giving up.
BUSY_TIMEOUT_MS = 600_000
# Page cache per connection: the hash indexes of a large index are read all over.
CACHE_KIB = 512 * 1024
# Pages are read through a memory map, shared with every process and kept warm by the OS.
MMAP_BYTES = 1 << 40
# SQLite's limit on bound parameters is 32,766; stay well under it.
CHUNK = 5_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    published TEXT,
    added TEXT NOT NULL,
    document TEXT NOT NULL,
    fingerprint BLOB NOT NULL,
    probes INTEGER NOT NULL,
    cluster TEXT,
    role TEXT,
    similarity REAL,
    containment REAL
);
CREATE INDEX IF NOT EXISTS articles_cluster ON articles (cluster);
CREATE INDEX IF NOT EXISTS articles_age ON articles (coalesce(published, added));
CREATE TABLE IF NOT EXISTS bands (key INTEGER, article INTEGER, PRIMARY KEY (key, article)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS samples (hash INTEGER, article INTEGER, PRIMARY KEY (hash, article)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS probes (hash INTEGER, article INTEGER, PRIMARY KEY (hash, article)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS edges (a INTEGER, b INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS clusters (canonical TEXT PRIMARY KEY, reasons TEXT NOT NULL);
"""


_BAND_MIX = 0x9E3779B97F4A7C15
_U64 = (1 << 64) - 1


def _band_rows(keys: list[int]) -> list[int]:
    """One signed 64-bit key per band, the band number mixed in, so one indexed column holds them all."""
    rows = [key ^ (band * _BAND_MIX & _U64) for band, key in enumerate(keys)]
    return [row - (1 << 64) if row >> 63 else row for row in rows]


def _is_sqlite_file(path: str) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


# What SQLite would open without keeping a file of its own, or what names another kind of store.
_URI = re.compile(r"^file:|\?\w+=", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
INSTEAD = "give a file path such as news.db (created on the first add) or redis://host:port/db"


def check_target(path: str) -> None:
    """Refuse, before SQLite opens anything, a target that would not keep the index in a file.

    SQLite accepts all of these and keeps nothing (``:memory:``, ``""``, URIs with
    ``mode=memory``) or writes beside a device (``/dev/null-journal``).
    """
    if not path.strip():
        raise ForeignIndexError(f"index target {path!r} is empty: {INSTEAD}")
    if path == ":memory:":
        raise ForeignIndexError(f"index target {path!r} is an in-memory database that keeps nothing: {INSTEAD}")
    if _URI.search(path):
        raise ForeignIndexError(f"index target {path!r} is an SQLite URI (or has URI parameters); an index is a "
                                f"plain file: {INSTEAD}")
    if _SCHEME.match(path):
        raise ForeignIndexError(f"index target {path!r} is a URL newsdedup does not know; Redis URLs start with "
                                f"redis://, rediss:// or unix://; otherwise {INSTEAD}")
    target = Path(path)
    if target.is_dir():
        raise ForeignIndexError(f"index target {path!r} is a directory; give a file in it, "
                                f"e.g. {str(PurePath(path) / 'news.db')!r}")
    if target.exists() and not target.is_file():
        raise ForeignIndexError(f"index target {path!r} is not a regular file (a device, pipe or socket): {INSTEAD}")
    if not target.parent.is_dir():
        raise ForeignIndexError(f"index target {path!r}: the directory {str(target.parent)!r} does not exist; "
                                f"create it, or {INSTEAD}")


Value = TypeVar("Value")


def _is_busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY: another connection holds the lock (not a sign of a foreign or damaged file)."""
    return str(error).startswith("database is locked")


def _enter_wal(db: sqlite3.Connection) -> None:
    """Switch to WAL, waiting as long as the busy timeout for another writer of a file not yet in WAL.

    That switch writes the file header from inside a read, and SQLite fails such an upgrade
    at once, without the busy handler, while another connection writes (its deadlock guard):
    what two writers creating one new index at the same moment run into.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _chunks(values: list[Value], size: int = CHUNK) -> Iterator[list[Value]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


class SqliteStore:
    """An index in one SQLite file, an ``index.Store`` keyed by row number."""

    failures = (sqlite3.Error,)

    def __init__(self, path: str, create: bool = True) -> None:
        check_target(path)
        self.path = path
        self.target = path
        if not create and not Path(path).exists():
            raise ForeignIndexError(f"{path}: no such index; `newsdedup index add ... --index {path}` creates it")
        try:
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            tables = {row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "meta" not in tables:
                raise ForeignIndexError(f"{path} is an SQLite database but not a newsdedup index; "
                                        "pass a new file name to create an index")
            _enter_wal(self.db)
            self.db.execute("PRAGMA synchronous = FULL")
            self.db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self.db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            if not tables:  # one transaction, so a second process never sees half a schema
                self.db.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} INSERT OR IGNORE INTO meta VALUES "
                                      f"('format', '{FORMAT}'), ('format_version', '{FORMAT_VERSION}'); COMMIT;")
            meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as error:
            if _is_busy(error):
                raise IndexStoreError(f"{path} is in use: another process held its lock for "
                                      f"{BUSY_TIMEOUT_MS / 1000:g} s; try again when it is done") from None
            if _is_sqlite_file(path):
                raise IndexStoreError(f"{path} is damaged ({error}); restore it from a backup, or build a new "
                                      "index by adding the articles again") from None
            raise ForeignIndexError(f"{path} is not a newsdedup index ({error}); "
                                    "pass a new file name to create an index") from None
        if meta.get("format") != FORMAT:
            raise ForeignIndexError(f"{path} is an SQLite database but not a newsdedup index; "
                                    "pass a new file name to create an index")
        if meta.get("format_version") != str(FORMAT_VERSION):
            raise ForeignIndexError(f"{path} was written by another version of newsdedup (index format "
                                    f"{meta.get('format_version')}, this one reads {FORMAT_VERSION}); rebuild it")

    def close(self) -> None:
        self.db.close()

    # settings -------------------------------------------------------------------------
    def settings(self) -> dict[str, dict[str, Any]] | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
        return None if row is None else decode_settings(row[0])

    def initialize(self, settings: dict[str, dict[str, Any]]) -> None:
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('settings', ?)", (json.dumps(settings, sort_keys=True),))

    def use(self, config: Config) -> None:
        """Nothing to set up: band keys arrive computed."""

    # transactions -----------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction: all of it lands, or none of it."""
        self._run("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self._run("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """A consistent snapshot for a run of reads."""
        self._run("BEGIN")
        try:
            yield
        finally:
            self.db.execute("COMMIT")

    def interrupted(self) -> list[str]:
        """Nothing to repair: a killed writer's transaction was rolled back whole."""
        return []

    def finished(self) -> None:
        """Nothing to clear: the transaction's commit is the end of the batch."""

    def _run(self, statement: str) -> None:
        try:
            self.db.execute(statement)
        except sqlite3.DatabaseError as error:
            raise IndexStoreError(f"{self.path}: {error}") from None

    # lookups ----------------------------------------------------------------------------
    def _rowids(self, ids: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT id, rowid FROM articles WHERE id IN ({marks})", chunk))
        return found

    def _ids(self, rowids: Iterable[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for chunk in _chunks(list(rowids)):
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"SELECT rowid, id FROM articles WHERE rowid IN ({marks})", chunk))
        return found

    def contains(self, ids: Iterable[str]) -> set[str]:
        return set(self._rowids(ids))

    def band_matches(self, entry: _core.IndexEntry) -> list[int]:
        """Keys of the articles sharing at least one band key."""
        values = _band_rows(entry.keys)
        marks = ",".join("?" * len(values))
        return [row[0] for row in self.db.execute(f"SELECT article FROM bands WHERE key IN ({marks})", values)]

    def _by_hash(self, query: str, hashes: list[int]) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        for chunk in _chunks(hashes):
            rows.extend(self.db.execute(query.format(marks=",".join("?" * len(chunk))), chunk))
        return rows

    def sample_counts(self, hashes: list[int]) -> dict[int, int]:
        """For each hash, how many indexed articles hold it in their shingle sample."""
        return dict(self._by_hash("SELECT hash, count(*) FROM samples WHERE hash IN ({marks}) GROUP BY hash", hashes))

    def sample_holders(self, hashes: list[int]) -> dict[int, list[int]]:
        """For each hash, the keys of the articles whose shingle sample holds it."""
        found: dict[int, list[int]] = defaultdict(list)
        for value, key in self._by_hash("SELECT hash, article FROM samples WHERE hash IN ({marks})", hashes):
            found[value].append(key)
        return found

    def probe_holders(self, hashes: list[int]) -> dict[int, list[tuple[int, int]]]:
        """For each hash, (key, number of probes) of the articles that probe with it."""
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for value, key, count in self._by_hash(
                "SELECT p.hash, p.article, a.probes FROM probes p JOIN articles a ON a.rowid = p.article "
                "WHERE p.hash IN ({marks})", hashes):
            if type(count) is not int:
                raise DamagedIndexError(f"the probe count of article row {key} is damaged ({count!r})")
            found[value].append((key, count))
        return found

    def names(self, keys: Iterable[int]) -> set[str]:
        """The article ids of store keys."""
        return set(self._ids(keys).values())

    def load(self, ids: Iterable[str]) -> dict[str, tuple[Document, bytes]]:
        """Each article's document and fingerprint (NDF2 bytes, checked by the core when it takes them)."""
        loaded = {}
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            for article_id, document, fingerprint in self.db.execute(
                    f"SELECT id, document, fingerprint FROM articles WHERE id IN ({marks})", chunk):
                if not isinstance(fingerprint, bytes):
                    raise DamagedIndexError(f"the stored fingerprint of {article_id!r} is damaged "
                                            f"(a {type(fingerprint).__name__}, not bytes)")
                loaded[article_id] = (decode_document(document), fingerprint)
        return loaded

    def neighbours(self, ids: Iterable[str]) -> dict[str, set[str]]:
        rowids = self._rowids(ids)
        names = {rowid: article_id for article_id, rowid in rowids.items()}
        linked: dict[int, set[int]] = defaultdict(set)
        for chunk in _chunks(list(names)):
            marks = ",".join("?" * len(chunk))
            for a, b in self.db.execute(f"SELECT a, b FROM edges WHERE a IN ({marks})", chunk):
                linked[a].add(b)
        others = self._ids({b for links in linked.values() for b in links})
        dangling = {b for links in linked.values() for b in links} - set(others)
        if dangling:
            raise DamagedIndexError(f"copy links name {len(dangling)} article rows that are not in the index")
        return {names[a]: {others[b] for b in links} for a, links in linked.items()}

    def membership(self, ids: Iterable[str]) -> dict[str, tuple[str, str, float, float] | None]:
        """(cluster canonical, role, similarity, containment) of each id; None for one put but not yet assigned."""
        found: dict[str, tuple[str, str, float, float] | None] = {}
        for chunk in _chunks(list(ids)):
            marks = ",".join("?" * len(chunk))
            for article_id, *fields in self.db.execute(f"SELECT id, cluster, role, similarity, containment "
                                                       f"FROM articles WHERE id IN ({marks})", chunk):
                found[article_id] = None if fields == [None] * 4 else decode_membership(article_id, fields)
        return found

    def cluster_size(self, canonical: str) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles WHERE cluster = ?", (canonical,)).fetchone()[0])

    # writes -----------------------------------------------------------------------------
    def put(self, document: Document, fingerprint: bytes, added: str, entry: _core.IndexEntry,
            linked: Iterable[str]) -> None:
        """Store one article (its fingerprint as NDF2 bytes) with its index entries and its verified copies
        (inside ``writing``)."""
        probes = entry.probes
        cursor = self.db.execute(
            "INSERT INTO articles (id, published, added, document, fingerprint, probes) VALUES (?,?,?,?,?,?)",
            (document.id, document.published, added, encode_document(document), fingerprint, len(probes)))
        rowid = cursor.lastrowid
        self.db.executemany("INSERT OR IGNORE INTO bands VALUES (?,?)", [(key, rowid) for key in _band_rows(entry.keys)])
        self.db.executemany("INSERT OR IGNORE INTO samples VALUES (?,?)", [(h, rowid) for h in entry.sample])
        self.db.executemany("INSERT OR IGNORE INTO probes VALUES (?,?)", [(h, rowid) for h in probes])
        others = self._rowids(linked)
        self.db.executemany("INSERT OR IGNORE INTO edges VALUES (?,?)",
                            [pair for other in others.values() for pair in ((rowid, other), (other, rowid))])

    def assign(self, members: dict[str, tuple[str, str, float, float]], clusters: dict[str, str],
               dropped: Iterable[str]) -> None:
        """Record cluster membership and each cluster's reasons; forget the clusters in ``dropped``."""
        self.db.executemany("DELETE FROM clusters WHERE canonical = ?", [(c,) for c in dropped])
        self.db.executemany("INSERT OR REPLACE INTO clusters VALUES (?,?)", list(clusters.items()))
        self.db.executemany(
            "UPDATE articles SET cluster = ?, role = ?, similarity = ?, containment = ? WHERE id = ?",
            [(*fields, article_id) for article_id, fields in members.items()])

    def remove(self, ids: Iterable[str]) -> None:
        rowids = list(self._rowids(ids).values())
        for chunk in _chunks(rowids):
            marks = ",".join("?" * len(chunk))
            for table, column in (("bands", "article"), ("samples", "article"), ("probes", "article"),
                                  ("edges", "a"), ("edges", "b"), ("articles", "rowid")):
                self.db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)

    # whole-index reads ------------------------------------------------------------------
    def older_than(self, day: str) -> list[str]:
        return [row[0] for row in self.db.execute(
            "SELECT id FROM articles WHERE coalesce(published, added) < ? ORDER BY id", (day,))]

    def clusters(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT canonical, reasons FROM clusters"))

    def members(self) -> Iterator[tuple[Document, tuple[str, str, float, float]]]:
        """Every article with its cluster; a committed article always has one (a batch commits whole)."""
        for article_id, document, *fields in self.db.execute(
                "SELECT id, document, cluster, role, similarity, containment FROM articles"):
            yield decode_document(document), decode_membership(article_id, fields)

    def unfinished(self) -> int:
        """Always 0: a reader never sees a batch before its commit."""
        return 0

    def summary(self) -> StoreSummary:
        articles, oldest, newest = self.db.execute(
            "SELECT count(*), min(coalesce(published, added)), max(coalesce(published, added)) FROM articles"
        ).fetchone()
        clusters = self.db.execute("SELECT count(*) FROM clusters").fetchone()[0]
        size = sum(Path(self.path + suffix).stat().st_size for suffix in ("", "-wal")
                   if Path(self.path + suffix).exists())
        return {"articles": articles, "clusters": clusters, "bytes_on_disk": size,
                "oldest": oldest, "newest": newest}
