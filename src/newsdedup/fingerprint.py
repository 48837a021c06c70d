"""Turn a document body into what comparison needs: shingle hashes, a MinHash, anchors."""

from __future__ import annotations

from datasketch import LeanMinHash, MinHash

from .config import FingerprintSettings
from .models import Document, Fingerprint
from .text import anchors, shingle_hashes, tokens


def _already_hashed(value: int) -> int:
    """Shingles arrive as 32-bit xxhash values; datasketch only permutes them."""
    return int(value)


def fingerprint(document: Document, settings: FingerprintSettings) -> Fingerprint:
    body_tokens = tokens(document.body)
    shingles = shingle_hashes(body_tokens, settings.shingle_size)
    minhash = MinHash(num_perm=settings.num_perm, seed=settings.seed, hashfunc=_already_hashed)
    minhash.update_batch(shingles.tolist())
    return Fingerprint(
        id=document.id,
        shingles=shingles,
        minhash=LeanMinHash(minhash),
        anchors=anchors(document.body),
        vocabulary=frozenset(body_tokens),
        word_count=len(body_tokens),
    )
