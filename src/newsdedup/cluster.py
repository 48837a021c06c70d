"""Group verified copies into clusters without chaining.

Connected components would let A~B~C join A and C though they share nothing. Instead
each cluster is a star: a centre and the articles verified as copies of that centre.
The centre is the article with the most verified copies left (then the larger total
similarity, then the smaller index, so the result is deterministic). A centre that
merely contains several unrelated shorter texts (a digest, a round-up) keeps only the
closest of them. The work is the compiled core's (rust/core/src/cluster.rs).
"""

from __future__ import annotations

from collections.abc import Callable

from . import _core
from .candidates import candidate_arguments
from .config import Config
from .verify import Links, verify_arguments


def star_clusters(count: int, links: Links, near_equal: float = 0.5) -> list[list[int]]:
    """Partition ``range(count)`` into clusters; each list starts with its centre.

    A member stays with the centre when it is near-equal to it (similarity at least
    ``near_equal``) or a copy of another member too.
    """
    return _core.star_clusters(count, links.pairs, links.similarities, near_equal=near_equal)


def collapsed_star_clusters(fingerprints: _core.FingerprintStore, copies: _core.CopyGroups, days: list[int | None],
                            config: Config, threads: int = 1,
                            on_progress: Callable[[int, int], object] | None = None) -> list[list[int]]:
    """``star_clusters`` of the verified candidate pairs of the whole store, exact copies collapsed.

    The same clusters as the stages run pair by pair, for any number of ``threads``: each
    pair of distinct fingerprints is verified once and stands for every pair of their copies,
    never listed (a wire story and its shortened version, each on thousands of sites).
    ``on_progress(done, 2)`` follows the index stage, as ``CandidateIndex.pairs`` reports it.
    """
    return _core.collapsed_clusters(
        fingerprints, copies, days, **candidate_arguments(config), **verify_arguments(config.verify),
        near_equal=config.candidates.jaccard_threshold, threads=threads, on_progress=on_progress,
    )
