"""Decide whether a candidate pair is really two copies of one story, on exact shingle sets.

A copy shares most of the shorter text (containment), not just some quotations; and
it keeps the shorter text's numbers and names (anchor agreement), which templated
items ("X raises prime rate to 7-3/4 pct") change while sharing every other word; and
it appears within days of the other (the same template weeks apart is another story).
The comparisons run in the compiled core (rust/core/src/verify.rs) over the run's
``FingerprintStore``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _core
from .config import VerifySettings
from .models import Match

# A pair crosses the border as two int64 numbers.
PAIR_BYTES = 16


@dataclass(frozen=True)
class Links:
    """Verified copies as the core gives them: int64 (left, right) rows, float64 similarities and
    containments, int64 shared shingle counts, one entry per pair."""

    pairs: bytes = b""
    similarities: bytes = b""
    containments: bytes = b""
    shared: bytes = b""

    @classmethod
    def joined(cls, parts: Sequence[Links]) -> Links:
        return cls(b"".join(part.pairs for part in parts), b"".join(part.similarities for part in parts),
                   b"".join(part.containments for part in parts), b"".join(part.shared for part in parts))

    def __len__(self) -> int:
        return len(self.pairs) // PAIR_BYTES

    def matches(self) -> list[Match]:
        """The links as ``Match`` objects, for the few a look-up in the index finds."""
        pairs = np.frombuffer(self.pairs, dtype=np.int64).reshape(-1, 2).tolist()
        similarities = np.frombuffer(self.similarities, dtype=np.float64).tolist()
        containments = np.frombuffer(self.containments, dtype=np.float64).tolist()
        shared = np.frombuffer(self.shared, dtype=np.int64).tolist()
        return [Match(left, right, similarity, containment, count)
                for (left, right), similarity, containment, count in zip(pairs, similarities, containments, shared)]


def pair_bytes(pairs: Sequence[tuple[int, int]]) -> bytes:
    """Pairs of positions as the core takes them."""
    return np.asarray(pairs, dtype=np.int64).reshape(-1, 2).tobytes()


def verified_links(pairs: bytes, fingerprints: _core.FingerprintStore, days: list[int | None],
                   settings: VerifySettings, threads: int = 1) -> Links:
    """The candidate pairs that are copies: similar enough, same anchors, published close together.

    ``days[i]`` is the UTC day of position i's published value (``dates.utc_days``); pairs
    with either undated, or ``max_days_apart`` 0, are not held to a time.
    """
    return Links(*_core.verified_matches(pairs, fingerprints, days, **verify_arguments(settings), threads=threads))


def verify_arguments(settings: VerifySettings) -> dict[str, Any]:
    """The verification settings as the core takes them (verified_matches, IndexSettings, collapsed_clusters)."""
    return dict(min_containment=settings.min_containment, min_shared_shingles=settings.min_shared_shingles,
                min_anchor_agreement=settings.min_anchor_agreement, max_days_apart=settings.max_days_apart)


def compare_pairs(fingerprints: _core.FingerprintStore, pairs: Sequence[tuple[int, int]],
                  threads: int = 1) -> list[tuple[float, float]]:
    """Similarity (Jaccard) and containment (of the shorter text) of each pair of positions, verified or not."""
    scores = _core.cluster_scores(fingerprints, [left for left, _ in pairs], [[right] for _, right in pairs],
                                  threads=threads)
    return [group[0] for group in scores]
