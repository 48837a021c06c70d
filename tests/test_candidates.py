"""The candidate indexes: the banded index finds what datasketch's MinHashLSH finds."""

from datasketch import MinHashLSH

from newsdedup.candidates import banding, containing_pairs, similar_pairs
from newsdedup.clean import clean
from newsdedup.config import Config
from newsdedup.fingerprint import fingerprint
from newsdedup.models import Article
from labelled import labelled_set

CONFIG = Config()


def _fingerprints():
    texts, _ = labelled_set()
    return [fingerprint(clean(Article(id=i, path=i, text=t), CONFIG.boilerplate, CONFIG.canonical),
                        CONFIG.fingerprint) for i, t in sorted(texts.items())]


def _datasketch_pairs(fingerprints, threshold):
    index = MinHashLSH(threshold=threshold, num_perm=CONFIG.fingerprint.num_perm)
    for i, fp in enumerate(fingerprints):
        index.insert(i, fp.minhash)
    return {(min(i, j), max(i, j)) for i, fp in enumerate(fingerprints) for j in index.query(fp.minhash) if i != j}


def test_banded_index_matches_minhashlsh_over_thresholds():
    fingerprints = _fingerprints()
    for threshold in (0.3, 0.5, 0.7, 0.9):
        expected = _datasketch_pairs(fingerprints, threshold)
        assert similar_pairs(fingerprints, threshold, CONFIG.fingerprint.num_perm) == expected, threshold
    assert banding(0.5, 128) == (MinHashLSH(threshold=0.5, num_perm=128).b, MinHashLSH(threshold=0.5, num_perm=128).r)


def test_containment_index_finds_a_truncated_copy_that_jaccard_misses():
    fingerprints = _fingerprints()
    ids = [fp.id for fp in fingerprints]
    truncated, embedded = ids.index("wire/truncated"), ids.index("wire/embedded")
    pair = (min(truncated, embedded), max(truncated, embedded))
    assert pair in containing_pairs(fingerprints, CONFIG.candidates)
