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
the functions below give an index look-up (index.py) the same keys, samples and probes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, overload

from . import _core
from .config import CandidateSettings, Config
from .errors import ConfigError
from .models import Fingerprint

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

# numpy is imported by the functions an index look-up calls: a run (the core's index) needs none.
_BAND_MIX = 0x9E3779B97F4A7C15
# A text contained at the threshold hits about threshold x probes; asking for three
# quarters of that keeps nearly every such pair (binomial spread) and few others.
PROBE_SLACK = 0.75


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


def candidate_index(config: Config) -> _core.CandidateIndex:
    """The core's index of NDF1 fingerprints for a run with ``config``: both indexes, datasketch's bands."""
    settings = config.candidates
    bands, rows = banding(settings.jaccard_threshold, config.fingerprint.num_perm)
    return _core.CandidateIndex(
        bands=bands, rows=rows, num_perm=config.fingerprint.num_perm,
        containment_threshold=settings.containment_threshold, sample_modulus=settings.sample_modulus,
        containment_probes=settings.containment_probes, min_shared_samples=settings.min_shared_samples,
        max_postings=settings.max_postings,
    )


def band_keys(signatures: npt.NDArray[np.unsignedinteger[Any]], bands: int, rows: int) -> npt.NDArray[np.uint64]:
    """One 64-bit key per band of each signature (rows of ``signatures``): equal bands, equal keys."""
    import numpy as np

    banded = signatures[:, : bands * rows].astype(np.uint64).reshape(signatures.shape[0], bands, rows)
    keys: npt.NDArray[np.uint64] = np.zeros((signatures.shape[0], bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(rows):
            keys = (keys ^ banded[:, :, column]) * np.uint64(_BAND_MIX) + np.uint64(column + 1)
    return keys


def shingle_sample(fingerprint: Fingerprint, modulus: int) -> npt.NDArray[np.uint32]:
    """The shingle hashes that are 0 modulo ``modulus``: the same subset in every text holding them."""
    sample: npt.NDArray[np.uint32] = fingerprint.shingles[fingerprint.shingles % modulus == 0]
    return sample


def probes(sample: npt.NDArray[np.uint32], settings: CandidateSettings) -> npt.NDArray[np.uint32]:
    """The sample hashes a text looks up: its smallest ones (samples are sorted)."""
    return sample[: settings.containment_probes]


@overload
def probe_hits_needed(probe_count: int, settings: CandidateSettings) -> np.float64: ...
@overload
def probe_hits_needed(probe_count: npt.NDArray[np.integer[Any]],
                      settings: CandidateSettings) -> npt.NDArray[np.float64]: ...
def probe_hits_needed(probe_count: npt.NDArray[np.integer[Any]] | int,
                      settings: CandidateSettings) -> npt.NDArray[np.float64] | np.float64:
    """Hits a text's probes must score in another text to make the pair a candidate."""
    import numpy as np

    needed: npt.NDArray[np.float64] | np.float64 = np.maximum(
        settings.min_shared_samples, np.floor(settings.containment_threshold * PROBE_SLACK * np.asarray(probe_count)))
    return needed


def usable_posting(postings: npt.NDArray[np.integer[Any]], settings: CandidateSettings) -> npt.NDArray[np.bool_]:
    """A sample shingle in very many texts is site furniture or a stock phrase, not a copy signal."""
    import numpy as np

    return (np.asarray(postings) >= 2) & (np.asarray(postings) <= settings.max_postings)
