"""Type stub of the compiled core (rust/python): the signatures the Python side relies on."""

from collections.abc import Callable
from typing import TypeVar

UNICODE_VERSION: str
__version__: str

# Fingerprints (rust/python/src/fingerprint.rs). Arrays are little-endian bytes for
# numpy.frombuffer; permutations are datasketch's MinHash(num_perm, seed).permutations
# ("affine32": odd uint32 multipliers a, uint32 offsets b). threads=0 uses every core;
# results are in input order and do not depend on the thread count.

NFKC_UNICODE_VERSION: str

def fingerprint_batch(
    bodies: list[str],
    shingle_size: int,
    permutations_a: bytes,
    permutations_b: bytes,
    seed: int,
    threads: int = 0,
) -> list[bytes]:
    """Each body's fingerprint as codec.encode_fingerprint writes it (NDF2): decode_fingerprint reads it.

    ValueError for permutations datasketch would refuse; OverflowError for a text with more
    anchors than NDF2 numbers in 16 bits (65,536), or counts past its 32-bit header.
    """

# The pieces, one answer per text: newsdedup.text's faces and the tests against the golden
# outputs (tests/golden/core) use them (sets come back as sorted lists).
def normalize_batch(texts: list[str]) -> list[str]: ...
def tokens_batch(texts: list[str]) -> list[list[str]]: ...
def word_count_batch(texts: list[str]) -> list[int]: ...
def case_counts_batch(texts: list[str]) -> list[tuple[int, int]]: ...
def anchors_and_names_batch(texts: list[str]) -> list[tuple[list[str], list[str]]]: ...
def tokens_and_anchors_batch(texts: list[str]) -> list[tuple[list[str], list[str], list[str]]]: ...
def hash_words_batch(word_lists: list[list[str]]) -> list[bytes]:
    """The 64-bit hash of each word of each list, as uint64: the same word always gets the same hash."""
def shingle_hashes_batch(token_lists: list[list[str]], size: int) -> list[bytes]:
    """Sorted unique 32-bit hashes of each list's word ``size``-grams (a short list is one), as uint32."""
def near_spelling_hashes_batch(word_lists: list[list[str]]) -> list[tuple[bytes, bytes]]:
    """32-bit hashes of each word and of its one-letter deletions (uint32), and the word each belongs to (int64)."""
def minhash_batch(value_arrays: list[bytes], permutations_a: bytes, permutations_b: bytes) -> list[bytes]:
    """datasketch MinHash.update_batch of each uint32 array from a fresh MinHash: hash values as uint32."""

# Cleaning (rust/python/src/clean.rs): newsdedup.clean's work for a batch of articles.

class CleanSettings:
    """BoilerplateSettings and CanonicalSettings.wire_agencies, prepared once (phrases lowered, agencies ordered)."""

    def __init__(
        self,
        *,
        enabled: bool,
        min_prose_words: int,
        long_prose_words: int,
        max_symbol_share: float,
        max_furniture_words: int,
        min_body_words: int,
        segment_gap: int,
        min_segment_share: float,
        phrases: list[str],
        wire_agencies: list[str],
    ) -> None: ...

# models.Article as a tuple (dataclasses.astuple): (id, path, text, title, source, url,
# published, encoding, language).
ArticleRow = tuple[str, str, str, str | None, str | None, str | None, str | None, str, str | None, str | None, bool]
# models.Document after id and path: (body, body_chars, title, source, url, published, byline,
# dateline, wire_credit, encoding, total_chars, boilerplate_chars_removed, published_ambiguous);
# wire_credit is (agency, evidence, kind) for models.WireCredit, or None.
DocumentRow = tuple[
    str, int, str | None, str | None, str | None, str | None, str | None, str | None,
    tuple[str, str, str] | None, str, int, int, bool,
]

def clean_batch(articles: list[ArticleRow], settings: CleanSettings, threads: int = 0) -> list[DocumentRow]:
    """Each article's Document fields after id and path, in input order, for any thread count:
    Document(id, path, *row) once row[8] is made a WireCredit."""

# The pieces, for tests of the header recognisers and the blocks (rust/core/src/header.rs, segment.rs, classify.rs).
CreditRow = tuple[str, str, str]
def header_batch(lines: list[str], wire_agencies: list[str]) -> list[tuple[
    str | None,                             # byline
    tuple[str, str | None] | None,          # date_header
    CreditRow | None,                       # credit_line
    bool,                                   # is_photo_credit
    tuple[str, CreditRow | None] | None,    # dateline
    tuple[str, CreditRow | None] | None,    # dateline(wire_only=True)
    str | None,                             # agency_in
]]: ...
def blocks_batch(texts: list[str], settings: CleanSettings) -> list[list[tuple[str, str, int]]]:
    """Each text's blocks after segment and classify: (text, kind, words)."""

# Dates (rust/python/src/dates.rs): newsdedup.dates's work for a batch of lines or published values.
# A Timestamp is (iso, ambiguous).
StampRow = tuple[str, bool]
def timestamp_line_batch(lines: list[str]) -> list[StampRow | None]:
    """Each line's timestamp when the line is only a timestamp (perhaps with a label and a weekday)."""
def parse_timestamp_batch(texts: list[str], day_first: bool | None = None) -> list[StampRow | None]:
    """The first date (and time) in each text; ``day_first`` settles 05/10/2024 when given."""
# Every date recogniser's answer for each line, for tests.
def dates_batch(lines: list[str]) -> list[tuple[
    StampRow | None,                        # timestamp_line
    StampRow | None,                        # parse_timestamp
    StampRow | None,                        # parse_timestamp(day_first=True)
    StampRow | None,                        # parse_timestamp(day_first=False)
    bool | None,                            # day_first_from_text
    bool | None,                            # day_first_from_language (the line as a tag)
]]: ...
def moments_batch(values: list[str]) -> list[tuple[int, int | None, int] | None]:
    """Each published value as an instant: (UTC day number, UTC second or None for a date alone, precision in
    seconds), or None when it is no ISO 8601 date."""
def published_pairs_batch(pairs: list[tuple[str, str]]) -> list[tuple[bool, int | None]]:
    """(dates.published_before(a, b), dates.days_between(a, b)) of each pair."""

# The pipeline's per-article work (rust/python/src/prepare.rs): clean_batch then fingerprint_batch of
# each body, in one call, the body kept in Rust between the two.
def prepare_batch(
    articles: ArticleBatch,
    documents: DocumentTable,
    clean_settings: CleanSettings,
    shingle_size: int,
    permutations_a: bytes,
    permutations_b: bytes,
    seed: int,
    keep_bodies: bool = False,
    threads: int = 0,
) -> list[bytes]:
    """Each article's NDF2 fingerprint, in input order, for any thread count; its document is appended
    to ``documents`` in the same order (the body empty unless keep_bodies). OverflowError as
    fingerprint_batch, and then no document is appended."""

# A run's documents (rust/python/src/documents.rs), kept in the core rather than as a Python object each.
# models.Document's fields in order; wire_credit is (agency, evidence, kind) for models.WireCredit, or None.
DocumentFieldsRow = tuple[
    str, str, str, int, str | None, str | None, str | None, str | None, str | None, str | None,
    tuple[str, str, str] | None, str, int, int, bool,
]

class DocumentTable:
    """The documents of a run by position (appended by prepare_batch); every str comes back as it went in.

    With ``spill_bodies``, the bodies of the documents it is extended with go to a body store
    beside the records (memory_limit bytes in memory, the rest in a temporary file)."""

    def __init__(self, spill_bodies: bool = False, memory_limit: int = ...) -> None: ...
    def __len__(self) -> int: ...
    def extend(self, other: DocumentTable) -> None:
        """Append every document of ``other``, in its position order (bodies to the body store, if any)."""
    def order_by_id(self) -> list[int]:
        """The positions in id order (str order, ties by position): the order for ``reorder``."""
    def reorder(self, order: list[int]) -> None:
        """From now on, position i is the document that was at position order[i] (ValueError unless a permutation)."""
    def ids(self) -> list[str]: ...
    def published(self) -> list[str | None]: ...
    def other_encodings(self) -> list[int]:
        """The positions of the documents whose encoding is not "utf-8"."""
    def rows(self, positions: list[int], bodies: bool = False) -> list[DocumentFieldsRow]:
        """The documents at ``positions`` as Document fields, in that order (IndexError past the end);
        a table with a body store gives bodies only with ``bodies``."""
    def held_bytes(self) -> int:
        """Bytes the table holds, spare room included."""
    def encoded(self, positions: list[int], bodies: bool = True) -> bytes:
        """The documents at ``positions`` as bytes ``extend_encoded`` reads in another process (bodies only
        with ``bodies``)."""
    def extend_encoded(self, data: bytes) -> None:
        """Append the documents ``encoded`` gave (ValueError for damaged bytes, and then none)."""
    def drop_bodies(self) -> None:
        """Free the body store (memory and file); bodies cannot be read afterwards."""
    @property
    def spills_bodies(self) -> bool: ...

# What each duplicate changed (rust/python/src/changes.rs, rust/core/src/changes.rs): the alignment
# of its words with its canonical's. A row is models.Changes's fields in order, the substitutions as
# (before, after, figure, name).
ChangesRow = tuple[int, int, int, int, int, int, int, list[tuple[str, str, bool, bool]], bool]

class ChangeTable:
    """The changes of a run's duplicates by document position."""

    def __init__(self) -> None: ...
    def __len__(self) -> int: ...
    def compare(self, store: FingerprintStore, documents: DocumentTable, canonicals: list[int],
                groups: list[list[int]], threads: int = 0) -> None:
        """Align each member of groups[k] with canonicals[k] (positions of store and documents, whose bodies
        it reads) and keep what each changed."""
    def rows(self, positions: list[int]) -> list[ChangesRow | None]:
        """The changes of the documents at positions (None where there are none: canonicals)."""
    def insert(self, positions: list[int], rows: list[ChangesRow]) -> None:
        """Keep ``rows`` (as ``rows`` gave them, on another machine) as the changes at ``positions``."""

def pair_tests(a: bytes, b: bytes, day_a: int | None, day_b: int | None, *,
               min_shared_shingles: int, max_days_apart: int,
               ) -> tuple[float, float, int, int, bool, float, list[str], bool, bool]:
    """Verification's figures for two NDF2 fingerprints (rust/python/src/explain.rs): (similarity,
    containment, shared shingles, shingles needed, whether a's anchors decided (the shorter text's; of
    two of one size, the way that agrees less), anchor agreement, where each of those anchors was met:
    "kept", "changed" or "outside", in its anchors' order, whether the two share the longer text's
    opening, whether the days are within the window)."""

def body_diff(canonical: str, copy: str) -> list[tuple[str, str, str]]:
    """(kind, canonical text, copy text) per piece of the two bodies' diff, in text order; kinds are
    "kept", "cut", "added", "changed"; the pieces tile both bodies."""

# The serial stages (rust/python/src/serial.rs): candidates, verify, star clusters and the
# comparisons inside clusters, over fingerprints kept as NDF2 bytes. Pairs cross as int64
# (left, right) rows (numpy.frombuffer(data, np.int64).reshape(-1, 2)), scores as float64.
# Positions are run positions in id order (the pipeline's), so a tie that Python breaks on
# ids is broken on positions the same way. threads=0 uses every core; results do not
# depend on the thread count.

class FingerprintStore:
    """A run's fingerprints as NDF2 bytes: memory_limit bytes in memory, the rest in a
    temporary file in folder (the system's by default), read back by position."""

    def __init__(self, folder: str | None = None, memory_limit: int = 67108864) -> None: ...
    def append(self, fingerprint: bytes) -> None:
        """ValueError if the bytes are not a fingerprint (damaged, another MinHash scheme than affine32,
        or arrays that are not what fingerprint() makes: shingles, vocabulary and name variants sorted unique)."""
    def append_batch(self, fingerprints: list[bytes]) -> None: ...
    def reorder(self, order: list[int]) -> None:
        """From now on, position i is the fingerprint appended order[i]-th (ValueError unless a permutation)."""
    def __len__(self) -> int: ...
    def __getitem__(self, position: int) -> bytes:
        """The NDF2 bytes at a position (codec.decode_fingerprint reads them)."""
    def word_counts(self, positions: list[int]) -> list[int]: ...
    @property
    def spilled(self) -> bool: ...
    def close(self) -> None:
        """Frees the memory and the file; the store is empty afterwards."""

class CandidateIndex:
    """Both candidate indexes (banded MinHash, shingle-sample containment) over NDF2 bytes; bands and rows are
    candidates.banding(threshold, num_perm), datasketch's."""

    def __init__(
        self,
        *,
        bands: int,
        rows: int,
        num_perm: int,
        containment_threshold: float,
        sample_modulus: int,
        containment_probes: int,
        min_shared_samples: int,
        max_postings: int,
    ) -> None: ...
    def append(self, fingerprint: bytes) -> None: ...
    def append_batch(self, fingerprints: list[bytes]) -> None: ...
    def reorder(self, order: list[int]) -> None:
        """From now on, article i is the one appended order[i]-th."""
    def __len__(self) -> int: ...
    def pairs(self, on_progress: Callable[[int, int], object] | None = None, threads: int = 0) -> bytes:
        """The candidate pairs: sorted int64 (i < j) rows; on_progress(done, 2) after each index. Runs once
        (RuntimeError)."""

def verified_matches(
    pairs: bytes,
    store: FingerprintStore,
    days: list[int | None],
    *,
    min_containment: float,
    min_shared_shingles: int,
    min_anchor_agreement: float,
    max_days_apart: int,
    threads: int = 0,
) -> tuple[bytes, bytes, bytes, bytes]:
    """The pairs that are copies (verify.verified_links): (left, right) int64 rows, similarity float64, containment float64, shared
    int64 of the pairs that are copies, in pair order. days[i]: the UTC day number of position i's
    published value (dates.utc_days), None when undated; one per stored fingerprint."""

def anchor_agreements(pairs: bytes, store: FingerprintStore) -> bytes:
    """Each pair's anchor agreement: the weighted share of the shorter text's numbers and names found in the
    other, a name one letter off counting as found; float64 (the piece, for tests)."""

def star_clusters(count: int, pairs: bytes, similarities: bytes, near_equal: float = 0.5) -> list[list[int]]:
    """Star clusters (cluster.star_clusters) of matches given as int64 pairs and float64 similarities (as verified_matches
    returns them); ties fall as the running Python's sum() and round() make them fall."""

def cluster_centralities(
    store: FingerprintStore,
    groups: list[list[int]],
    exact_limit: int = 200,
    threads: int = 0,
    copies: CopyGroups | None = None,
) -> list[list[float]]:
    """Each member's centrality (mean similarity to the others) as pipeline.describe_clusters uses it,
    each group ordered as there (by id): shingle Jaccard up to exact_limit members, MinHash above.
    With copies, each pair of distinct fingerprints is compared once (the same floats)."""

def cluster_scores(
    store: FingerprintStore,
    canonicals: list[int],
    groups: list[list[int]],
    threads: int = 0,
    copies: CopyGroups | None = None,
) -> list[list[tuple[float, float]]]:
    """(similarity, containment) of each member of each group against that group's canonical."""

# Exact copies collapsed (issue 11's one story on thousands of sites): fingerprints with the same
# bytes are indexed, verified and scored once; the results are the plain stages'. The pipeline
# takes this path when a run has exact copies.

class CopyGroups:
    """The store's positions grouped by identical fingerprint bytes."""

    def __init__(self, store: FingerprintStore) -> None: ...
    def __len__(self) -> int:
        """How many distinct fingerprints."""
    def groups(self) -> list[list[int]]:
        """Each group's positions, ascending; groups ordered by their first position."""

def collapsed_clusters(
    store: FingerprintStore,
    copies: CopyGroups,
    days: list[int | None],
    *,
    bands: int,
    rows: int,
    num_perm: int,
    containment_threshold: float,
    sample_modulus: int,
    containment_probes: int,
    min_shared_samples: int,
    max_postings: int,
    min_containment: float,
    min_shared_shingles: int,
    min_anchor_agreement: float,
    max_days_apart: int,
    near_equal: float,
    threads: int = 0,
    on_progress: Callable[[int, int], object] | None = None,
) -> list[list[int]]:
    """star_clusters of verified_matches of CandidateIndex.pairs() over the store, copies collapsed;
    on_progress(done, 2) through the index stage, as CandidateIndex.pairs."""

# The run's MinHash and LSH parameters (rust/python/src/parameters.rs): datasketch's, computed
# without importing datasketch (and scipy with it); tests/test_startup.py holds them equal.

def minhash_permutations(num_perm: int, seed: int) -> tuple[bytes, bytes]:
    """datasketch MinHash(num_perm, seed).permutations ("affine32"): a and b as uint32 bytes.

    OverflowError for a seed outside 0..2**32-1, which numpy's RandomState refuses too."""
def lsh_banding(threshold: float, num_perm: int, false_positive_weight: float = 0.5,
                false_negative_weight: float = 0.5) -> tuple[int, int]:
    """(b, r) datasketch MinHashLSH(threshold, num_perm, weights) picks, before its check that b >= 2."""

# The persistent index (rust/python/src/index.rs): an article's index entries from its NDF2
# bytes and the containment thresholds, by the same functions as CandidateIndex, and its
# verification against its candidates, by verified_matches's, on the calling thread.

class IndexEntry:
    """One article's entries: what `index add` stores and `index query` looks up."""

    @property
    def keys(self) -> list[int]:
        """One unsigned 64-bit LSH key per band: equal bands, equal keys."""
    @property
    def buckets(self) -> list[bytes]:
        """datasketch MinHashLSH's bucket name of each band (the band's values as big-endian uint32)."""
    @property
    def sample(self) -> list[int]:
        """The shingle hashes that are 0 modulo sample_modulus, sorted."""
    @property
    def probes(self) -> list[int]:
        """The first containment_probes hashes of the sample: the ones the article looks up."""
    @property
    def shingles(self) -> int:
        """The size of the shingle set (an article without shingles is never a band candidate)."""

class IndexSettings:
    """An index's candidate and verification settings, with datasketch's (bands, rows) for its threshold."""

    def __init__(
        self,
        *,
        bands: int,
        rows: int,
        num_perm: int,
        containment_threshold: float,
        sample_modulus: int,
        containment_probes: int,
        min_shared_samples: int,
        max_postings: int,
        min_containment: float,
        min_shared_shingles: int,
        min_anchor_agreement: float,
        max_days_apart: int,
    ) -> None: ...
    def entries(self, fingerprints: list[bytes]) -> list[IndexEntry]:
        """Each fingerprint's entries, in input order; ValueError naming the first that is damaged."""
    def usable(self, postings: list[int]) -> list[bool]:
        """Whether a sample hash held by this many articles is a copy signal (the core's usable_posting)."""
    def hits_needed(self, probe_count: int) -> float:
        """Hits an article with this many probes must score in another (the core's probe_hits_needed)."""
    def copies(self, fingerprints: list[bytes], own: int, days: list[int | None]) -> list[tuple[int, float, float]]:
        """(position, similarity, containment) of each fingerprint verified as a copy of the one at ``own``.

        Fingerprints in id order; ``days[i]`` the UTC day position i was published (None: undated).
        ValueError with args (position, reason) for a damaged fingerprint.
        """


# Reading (rust/python/src/read.rs, batch.rs): articles held in Rust from the read to prepare_batch.
# The readers take what is surely an article by newsdedup.load's rules and call `explain`, in
# order, for every other line or file: it answers an ArticleRow (the article Python read) or a
# Skipped, which the read hands back as it is. Output is in input order for any thread count.

_Other = TypeVar("_Other")

class ArticleBatch:
    """Articles in reading order; Python sees their count, ids and paths, never their texts."""

    def __init__(self, rows: list[ArticleRow] = ...) -> None: ...
    def append(self, row: ArticleRow) -> None: ...
    def extend(self, other: ArticleBatch) -> None:
        """Moves every article of ``other`` here, leaving it empty."""
    def __len__(self) -> int: ...
    def ids(self) -> tuple[str, ...]:
        """The same tuple (and strings) at every call until the articles change."""
    def paths(self) -> tuple[str, ...]: ...
    def rows(self) -> list[ArticleRow]: ...
    def discard(self, positions: list[int]) -> None:
        """Removes the articles at ``positions``, keeping the order of the rest."""

class JsonLinesReader:
    """A JSON Lines stream fed chunk by chunk; lines are split on b"\n" only and named ``shown:line``."""

    def __init__(self, shown: str, max_bytes: int, first_line: int = 1) -> None:
        """Lines are numbered from ``first_line`` (a part of a file that starts after a line break)."""
    def feed(
        self, chunk: bytes, explain: Callable[[bytes | int, str], ArticleRow | _Other], threads: int = 0
    ) -> tuple[ArticleBatch, list[_Other], int]:
        """(articles, what explain answered that is not an article, records seen) for the lines
        ending in ``chunk``; explain gets a line's bytes, or its length when over max_bytes."""
    def finish(
        self, explain: Callable[[bytes | int, str], ArticleRow | _Other]
    ) -> tuple[ArticleBatch, list[_Other], int]:
        """As feed, for a last line without a newline."""

def read_pages(pages: list[str], threads: int = 0) -> list[tuple[
    str, str | None, str | None, str | None, str | None, str | None, str | None]]:
    """Per page: (article text, title, source, published, url, language, byline)."""

def read_text_files(
    files: list[tuple[str, str, str]], max_bytes: int, explain: Callable[[int], ArticleRow | _Other], threads: int = 0
) -> tuple[ArticleBatch, list[_Other]]:
    """Text files as (path, shown, id): the plain UTF-8 ones read here in parallel, the others
    (by position) by explain."""

# The JSON report (rust/python/src/report.rs): a run's clusters written from the document table.

def clusters_json(
    documents: DocumentTable, first_id: int, positions: list[int], bounds: list[int], similarity: list[float],
    containment: list[float], reasons: list[tuple[int, list[tuple[str, str, bool]]]],
    changes: ChangeTable | None = None,
) -> str | None:
    """Clusters numbered from first_id as report.write_json writes them (jsontext.nested_items's
    chunk form): cluster k holds positions[bounds[k]:bounds[k + 1]] and their scores; reasons
    pairs k with its canonical reasons, k ascending. None where the text would not be the
    standard library's (lone surrogates, a score repr writes in exponent form)."""

def clusters_jsonl(
    documents: DocumentTable, first_id: int, positions: list[int], bounds: list[int], similarity: list[float],
    containment: list[float], changes: ChangeTable | None = None,
) -> str | None:
    """The JSON Lines records of those clusters' members as report.write_jsonl writes them (a line
    each); None where the text would not be the standard library's."""

# The candidate stage shard by shard (rust/python/src/shards.rs), for a run spread over workers: arrays are
# little-endian uint64 bytes, pairs packed i << 32 | j; the union of every shard's pairs is CandidateIndex.pairs().

class Shards:
    """The candidate settings (candidates.candidate_arguments), the number of shards and the threads of the
    three shard stages."""

    def __init__(
        self, shards: int, *, bands: int, rows: int, num_perm: int, containment_threshold: float,
        sample_modulus: int, containment_probes: int, min_shared_samples: int, max_postings: int, threads: int = 0,
    ) -> None: ...
    def keys(self, fingerprints: list[bytes], positions: bytes) -> list[tuple[bytes, bytes, bytes, bytes]]:
        """Per shard, (bands, samples, probes, probe_counts) of these fingerprints at these uint32 run positions."""
    def pairs(self, bands: bytes, samples: bytes, probes: bytes) -> tuple[bytes, list[bytes]]:
        """One shard's (band pairs, containment hits per prober shard) from its keys of every worker."""
    def counted(self, hits: bytes, probe_counts: bytes) -> bytes:
        """One prober shard's containment pairs: its hits from every shard that reach the hits needed."""
