"""Turn a document body into what comparison needs: shingle hashes, a MinHash, anchors."""

from __future__ import annotations

from functools import lru_cache

from datasketch import LeanMinHash, MinHash

from .config import FingerprintSettings
from .models import Document, Fingerprint
from .text import anchors, shingle_hashes, tokens


def _already_hashed(value: int) -> int:
    """Shingles arrive as 32-bit xxhash values; datasketch only permutes them."""
    return int(value)


@lru_cache(maxsize=4)
def _empty_minhash(num_perm: int, seed: int) -> MinHash:
    """One MinHash per setting to copy from: building the permutations is the costly part."""
    return MinHash(num_perm=num_perm, seed=seed, hashfunc=_already_hashed)


def fingerprint(document: Document, settings: FingerprintSettings) -> Fingerprint:
    body_tokens = tokens(document.body)
    shingles = shingle_hashes(body_tokens, settings.shingle_size)
    minhash = _empty_minhash(settings.num_perm, settings.seed).copy()
    minhash.update_batch(shingles.tolist())
    return Fingerprint(
        id=document.id,
        shingles=shingles,
        minhash=LeanMinHash(minhash),
        anchors=anchors(document.body),
        vocabulary=frozenset(body_tokens),
        word_count=len(body_tokens),
    )
