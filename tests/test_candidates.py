"""The candidate indexes: the banded index finds what datasketch's MinHashLSH finds, the containment index
what Jaccard misses."""

from dataclasses import replace

import numpy as np
from datasketch import MinHashLSH

from newsdedup import _core
from newsdedup.candidates import banding, candidate_index
from newsdedup.clean import clean
from newsdedup.codec import decode_fingerprint
from newsdedup.config import Config
from newsdedup.fingerprint import core_arguments
from newsdedup.models import Article
from labelled import labelled_set

CONFIG = Config()


def _fingerprints() -> tuple[list[str], list[bytes]]:
    """The labelled set's ids and NDF2 fingerprints, in id order."""
    texts, _ = labelled_set()
    ids = sorted(texts)
    bodies = [clean(Article(id=i, path=i, text=texts[i]), CONFIG.boilerplate, CONFIG.canonical).body for i in ids]
    return ids, _core.fingerprint_batch(bodies, *core_arguments(CONFIG.fingerprint))


def _pairs(encoded: list[bytes], config: Config) -> set[tuple[int, int]]:
    index = candidate_index(config)
    index.append_batch(encoded)
    return {(left, right) for left, right in np.frombuffer(index.pairs(), dtype=np.int64).reshape(-1, 2).tolist()}


def _banded_only(threshold: float) -> Config:
    """Containment probes off: only the banded index proposes pairs."""
    return replace(CONFIG, candidates=replace(CONFIG.candidates, jaccard_threshold=threshold, containment_probes=0))


def _datasketch_pairs(ids: list[str], encoded: list[bytes], threshold: float) -> set[tuple[int, int]]:
    minhashes = [decode_fingerprint(article_id, data).minhash for article_id, data in zip(ids, encoded)]
    index = MinHashLSH(threshold=threshold, num_perm=CONFIG.fingerprint.num_perm)
    for i, minhash in enumerate(minhashes):
        index.insert(i, minhash)
    return {(min(i, j), max(i, j)) for i, minhash in enumerate(minhashes) for j in index.query(minhash) if i != j}


def test_banded_index_matches_minhashlsh_over_thresholds():
    ids, encoded = _fingerprints()
    for threshold in (0.3, 0.5, 0.7, 0.9):
        expected = _datasketch_pairs(ids, encoded, threshold)
        assert _pairs(encoded, _banded_only(threshold)) == expected, threshold
    assert banding(0.5, 128) == (MinHashLSH(threshold=0.5, num_perm=128).b, MinHashLSH(threshold=0.5, num_perm=128).r)


def test_containment_index_finds_a_truncated_copy_that_jaccard_misses():
    ids, encoded = _fingerprints()
    truncated, embedded = ids.index("wire/truncated"), ids.index("wire/embedded")
    pair = (min(truncated, embedded), max(truncated, embedded))
    assert pair in _pairs(encoded, CONFIG)
    assert pair not in _pairs(encoded, _banded_only(CONFIG.candidates.jaccard_threshold))
