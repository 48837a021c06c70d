"""Turn a document body into what comparison needs: shingle hashes, a MinHash, anchors.

The work is done by the compiled core (rust/core/src/fingerprint.rs with text.rs,
hash.rs and minhash.rs): normalisation, word 5-shingles, datasketch's MinHash, and the
anchors (numbers and names) with their one-edit spellings. A fingerprint travels as
the NDF2 bytes ``codec.decode_fingerprint`` reads. The MinHash permutations are
datasketch's own, drawn by the core as datasketch draws them (rust/core/src/permutations.rs:
importing datasketch costs more than clustering the seeds), so a signature equals
``datasketch.MinHash(num_perm, seed)`` fed the same shingle hashes.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import _core
from .config import FingerprintSettings
from .models import Document, Fingerprint


def core_arguments(settings: FingerprintSettings) -> tuple[int, bytes, bytes, int]:
    """(shingle size, permutations a, permutations b, seed) as the core takes them; datasketch's permutations."""
    return (settings.shingle_size, *_core.minhash_permutations(settings.num_perm, settings.seed), settings.seed)


def fingerprint_all(documents: Sequence[Document], settings: FingerprintSettings,
                    threads: int = 1) -> list[Fingerprint]:
    """The fingerprint of each document's body, in order, on ``threads`` threads (0: every core)."""
    from .codec import decode_fingerprint  # here: it needs numpy, which a run does not

    encoded = _core.fingerprint_batch([document.body for document in documents], *core_arguments(settings),
                                      threads)
    return [decode_fingerprint(document.id, data) for document, data in zip(documents, encoded)]


def fingerprint(document: Document, settings: FingerprintSettings) -> Fingerprint:
    """The fingerprint of one document's body."""
    return fingerprint_all([document], settings)[0]
