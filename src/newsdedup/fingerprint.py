"""Turn a document body into what comparison needs: shingle hashes, a MinHash, anchors."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

from .config import FingerprintSettings
from .models import Document, Fingerprint
from .text import hash_words, near_spelling_hashes, shingles_of, tokens_and_anchors, vocabulary_of, word_hashes


def _already_hashed(value: int) -> int:
    """Shingles arrive as 32-bit hashes (text.shingles_of); datasketch only permutes them."""
    return int(value)


# A changed figure says more than a changed name ("0.25 ct" vs "0.50 ct" is another story).
NUMBER_WEIGHT = 2
# Names shorter than this must match exactly: one letter changes too much of them.
MIN_FUZZY_NAME = 5


@lru_cache(maxsize=4)
def _empty_minhash(num_perm: int, seed: int) -> MinHash:
    """One MinHash per setting to copy from: building the permutations is the costly part."""
    return MinHash(num_perm=num_perm, seed=seed, hashfunc=_already_hashed)


def fingerprint(document: Document, settings: FingerprintSettings) -> Fingerprint:
    body_tokens, found, capitalized = tokens_and_anchors(document.body)
    token_hashes = hash_words(body_tokens)
    shingles = shingles_of(token_hashes, settings.shingle_size)
    minhash = _empty_minhash(settings.num_perm, settings.seed).copy()
    minhash.update_batch(shingles.tolist())
    ordered = sorted(found)
    fuzzy = [position for position, word in enumerate(ordered)
             if not word[0].isdigit() and len(word) >= MIN_FUZZY_NAME]
    variants, variant_owners = near_spelling_hashes([ordered[position] for position in fuzzy])
    names, _ = near_spelling_hashes(sorted(word for word in capitalized if len(word) >= MIN_FUZZY_NAME))
    return Fingerprint(
        id=document.id,
        shingles=shingles,
        minhash=LeanMinHash(minhash),
        anchors=word_hashes(ordered),
        anchor_weights=np.array([NUMBER_WEIGHT if word[0].isdigit() else 1 for word in ordered], dtype=np.uint8),
        anchor_variants=variants,
        anchor_variant_of=np.array(fuzzy, dtype=np.uint16)[variant_owners],
        vocabulary=vocabulary_of(token_hashes),
        name_variants=np.unique(names),
        word_count=len(body_tokens),
    )
