"""Find the pairs worth comparing. Results are approximate; verify decides.

Two indexes, because news copies come in two shapes:

- near-equal texts: LSH banding of the MinHash signatures, with the bands datasketch's
  MinHashLSH chooses for the Jaccard threshold (found by the core as datasketch finds them,
  rust/core/src/banding.rs: importing datasketch, and with it scipy, costs more than a run);
- a short copy inside a longer text (a truncation, an article inside a digest), which
  Jaccard misses: an inverted index over a content-defined sample of shingles (those
  whose hash is 0 modulo ``sample_modulus``). The same passage yields the same sample in
  every text that holds it, so the share of a text's sample found in another estimates
  containment at any size ratio; each text probes with its smallest sample hashes.
  On the 19,043 Reuters stories, counting the whole samples found after verification
  the same copies as datasketch's MinHashLSHEnsemble but one (and three it missed), in
  under a second instead of 35-40 s and 1.6 GB; probing with 16 hashes finds the same
  verified pairs as counting the whole samples.

A run's index is the compiled core's (rust/core/src/candidates.rs, ``candidate_index``);
an index look-up (index.py, ``_core.IndexSettings``) takes its keys, samples and probes from
the same core functions.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from . import _core
from .config import Config
from .errors import ConfigError


@lru_cache(maxsize=16)
def banding(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band): the ones datasketch's MinHashLSH picks for this threshold.

    ConfigError where datasketch would refuse them: fewer than two bands."""
    bands, rows = _core.lsh_banding(threshold, num_perm)
    if bands < 2:
        raise ConfigError(f"candidates.jaccard_threshold: {threshold} leaves {bands} LSH band of {rows} rows with "
                          f"fingerprint.num_perm {num_perm}; two bands at least are needed: lower the threshold "
                          f"or raise num_perm")
    return bands, rows


def candidate_arguments(config: Config) -> dict[str, Any]:
    """The candidate settings as the core takes them (CandidateIndex, IndexSettings, collapsed_clusters):
    datasketch's bands for the threshold, and the containment index's settings."""
    settings = config.candidates
    bands, rows = banding(settings.jaccard_threshold, config.fingerprint.num_perm)
    return dict(
        bands=bands, rows=rows, num_perm=config.fingerprint.num_perm,
        containment_threshold=settings.containment_threshold, sample_modulus=settings.sample_modulus,
        containment_probes=settings.containment_probes, min_shared_samples=settings.min_shared_samples,
        max_postings=settings.max_postings,
    )


def candidate_index(config: Config) -> _core.CandidateIndex:
    """The core's index of NDF2 fingerprints for a run with ``config``: both indexes, datasketch's bands."""
    return _core.CandidateIndex(**candidate_arguments(config))
