"""The naive baseline every benchmark compares against, in one place.

datasketch as its README shows it: MinHash.update once per word 5-shingle, then
MinHashLSH insert and query, in one process, with no cleaning and no verification.
"""

from __future__ import annotations

import time

from datasketch import MinHash, MinHashLSH

from newsdedup.config import Config
from newsdedup.text import tokens


def naive_seconds(texts: list[str], config: Config) -> float:
    """Seconds the naive baseline takes over ``texts``."""
    size, num_perm = config.fingerprint.shingle_size, config.fingerprint.num_perm
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=config.candidates.jaccard_threshold, num_perm=num_perm)
    sketches = []
    for number, text in enumerate(texts):
        words = tokens(text)
        minhash = MinHash(num_perm=num_perm, seed=config.fingerprint.seed)
        for start in range(max(1, len(words) - size + 1)):
            minhash.update(" ".join(words[start:start + size]).encode("utf-8"))
        lsh.insert(number, minhash)
        sketches.append(minhash)
    for minhash in sketches:
        lsh.query(minhash)
    return time.perf_counter() - started
