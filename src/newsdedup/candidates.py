"""Find the pairs worth comparing, with datasketch's LSH indexes.

Two indexes, because news copies come in two shapes: near-equal texts (MinHashLSH on
Jaccard similarity) and a short copy inside a longer text (MinHashLSHEnsemble on
containment), which Jaccard misses. Results are approximate; verify decides.
"""

from __future__ import annotations

from datasketch import MinHashLSH, MinHashLSHEnsemble

from .config import CandidateSettings
from .models import Fingerprint


def candidate_pairs(
    fingerprints: list[Fingerprint], settings: CandidateSettings, num_perm: int
) -> list[tuple[int, int]]:
    """Sorted index pairs (i < j) that LSH says may be copies."""
    indexed = [i for i, fp in enumerate(fingerprints) if fp.size > 0]
    pairs: set[tuple[int, int]] = set()
    if len(indexed) < 2:
        return []

    similar = MinHashLSH(threshold=settings.jaccard_threshold, num_perm=num_perm)
    with similar.insertion_session() as session:
        for i in indexed:
            session.insert(i, fingerprints[i].minhash, check_duplication=False)
    for i in indexed:
        for j in similar.query(fingerprints[i].minhash):
            if j != i:
                pairs.add((min(i, j), max(i, j)))

    containing = MinHashLSHEnsemble(
        threshold=settings.containment_threshold, num_perm=num_perm, num_part=settings.ensemble_partitions
    )
    containing.index((i, fingerprints[i].minhash, fingerprints[i].size) for i in indexed)
    for i in indexed:
        for j in containing.query(fingerprints[i].minhash, fingerprints[i].size):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)
