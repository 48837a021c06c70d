"""Find the pairs worth comparing. Results are approximate; verify decides.

Two indexes, because news copies come in two shapes:

- near-equal texts: LSH banding of the MinHash signatures, with the bands datasketch's
  MinHashLSH chooses for the Jaccard threshold;
- a short copy inside a longer text (a truncation, an article inside a digest), which
  Jaccard misses: an inverted index over a content-defined sample of shingles (those
  whose hash is 0 modulo ``sample_modulus``). The same passage yields the same sample in
  every text that holds it, so the share of a text's sample found in another estimates
  containment at any size ratio; each text probes with its smallest sample hashes.
  On the 19,043 Reuters stories, counting the whole samples found after verification
  the same copies as datasketch's MinHashLSHEnsemble but one (and three it missed), in
  under a second instead of 35-40 s and 1.6 GB; probing with 16 hashes finds the same
  verified pairs as counting the whole samples.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import combinations

import numpy as np
from datasketch import MinHashLSH

from .config import CandidateSettings
from .models import Fingerprint

_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)
# Signatures turned into band keys at once.
KEY_CHUNK = 10_000
# Texts whose probes are looked up at once: bounds the memory of the hits arrays.
PROBE_CHUNK = 20_000
# A text contained at the threshold hits about threshold x probes; asking for three
# quarters of that keeps nearly every such pair (binomial spread) and few others.
PROBE_SLACK = 0.75


@lru_cache(maxsize=16)
def banding(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band): the ones datasketch's MinHashLSH picks for this threshold."""
    reference = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return reference.b, reference.r


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per band of each signature (rows of ``signatures``): equal bands, equal keys."""
    banded = signatures[:, : bands * rows].astype(np.uint64).reshape(signatures.shape[0], bands, rows)
    keys = np.zeros((signatures.shape[0], bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(rows):
            keys = (keys ^ banded[:, :, column]) * _BAND_MIX + np.uint64(column + 1)
    return keys


def similar_pairs(fingerprints: list[Fingerprint], threshold: float, num_perm: int) -> set[tuple[int, int]]:
    """Pairs that share a whole band of MinHash values: the candidates of MinHashLSH.

    The same banding as datasketch's MinHashLSH at ``threshold`` (so the same recall),
    but each band is a numpy array of 64-bit keys, sorted to find equal ones, instead of
    a dictionary of byte strings: 8 bytes per article and band.
    """
    bands, rows = banding(threshold, num_perm)
    indexed = np.array([i for i, fp in enumerate(fingerprints) if fp.size > 0], dtype=np.int64)
    if indexed.size < 2:
        return set()
    ordered = indexed.tolist()
    all_keys = np.concatenate([  # a chunk of signatures at a time: keys are 5 times smaller
        band_keys(np.stack([fingerprints[i].minhash.hashvalues for i in ordered[start:start + KEY_CHUNK]]),
                  bands, rows)
        for start in range(0, len(ordered), KEY_CHUNK)])
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        keys = all_keys[:, band]
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        same = np.flatnonzero(ordered[1:] == ordered[:-1])
        if same.size == 0:
            continue
        starts = same[np.r_[True, np.diff(same) > 1]]
        for start in starts.tolist():
            end = start + 1
            while end < len(ordered) and ordered[end] == ordered[start]:
                end += 1
            members = sorted(indexed[order[start:end]].tolist())
            pairs.update(combinations(members, 2))
    return pairs


def shingle_sample(fingerprint: Fingerprint, modulus: int) -> np.ndarray:
    """The shingle hashes that are 0 modulo ``modulus``: the same subset in every text holding them."""
    return fingerprint.shingles[fingerprint.shingles % modulus == 0]


def probes(sample: np.ndarray, settings: CandidateSettings) -> np.ndarray:
    """The sample hashes a text looks up: its smallest ones (samples are sorted)."""
    return sample[: settings.containment_probes]


def probe_hits_needed(probe_count: np.ndarray | int, settings: CandidateSettings) -> np.ndarray | int:
    """Hits a text's probes must score in another text to make the pair a candidate."""
    return np.maximum(settings.min_shared_samples,
                      np.floor(settings.containment_threshold * PROBE_SLACK * np.asarray(probe_count)))


def usable_posting(postings: np.ndarray | int, settings: CandidateSettings) -> np.ndarray | bool:
    """A sample shingle in very many texts is site furniture or a stock phrase, not a copy signal."""
    return (np.asarray(postings) >= 2) & (np.asarray(postings) <= settings.max_postings)


def containing_pairs(fingerprints: list[Fingerprint], settings: CandidateSettings) -> set[tuple[int, int]]:
    """Pairs where one text's shingle sample is mostly found in the other's.

    Every text probes the index with the ``containment_probes`` smallest hashes of its
    sample: if a fraction c of it lies in another text, about c of its probes hit that
    text. The work is bounded by texts x probes x posting length, whatever the overlap
    between texts, and runs in numpy a chunk of texts at a time.
    """
    samples = [shingle_sample(fp, settings.sample_modulus) for fp in fingerprints]
    sizes = np.array([sample.size for sample in samples], dtype=np.int64)
    if sizes.sum() == 0:
        return set()
    owners = np.repeat(np.arange(len(samples), dtype=np.int64), sizes)
    hashes = np.concatenate(samples)
    order = np.argsort(hashes, kind="stable")
    hashes, owners = hashes[order], owners[order]
    del order

    pairs: set[tuple[int, int]] = set()
    count = len(samples)
    for first in range(0, count, PROBE_CHUNK):
        chunk = range(first, min(first + PROBE_CHUNK, count))
        chunk_probes = [probes(samples[i], settings) for i in chunk]
        probe_sizes = np.array([probe.size for probe in chunk_probes], dtype=np.int64)
        if probe_sizes.sum() == 0:
            continue
        probe_owner = np.repeat(np.fromiter(chunk, dtype=np.int64), probe_sizes)
        probe_hashes = np.concatenate(chunk_probes)
        low = np.searchsorted(hashes, probe_hashes, side="left")
        high = np.searchsorted(hashes, probe_hashes, side="right")
        postings = high - low
        usable = usable_posting(postings, settings)
        low, postings, probe_owner = low[usable], postings[usable], probe_owner[usable]
        if postings.size == 0:
            continue
        starts = np.repeat(low - np.cumsum(postings) + postings, postings)
        hits_other = owners[np.arange(postings.sum()) + starts]
        hits_self = np.repeat(probe_owner, postings)
        different = hits_other != hits_self
        keys = hits_self[different] * count + hits_other[different]
        found, hits = np.unique(keys, return_counts=True)
        probers = found // count
        needed = probe_hits_needed(probe_sizes[probers - first], settings)
        for key in found[hits >= needed].tolist():
            left, right = divmod(key, count)
            pairs.add((min(left, right), max(left, right)))
    return pairs


def candidate_pairs(
    fingerprints: list[Fingerprint], settings: CandidateSettings, num_perm: int,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[tuple[int, int]]:
    """Sorted index pairs (i < j) that may be copies; ``on_progress(done, 2)`` after each index."""
    progress = on_progress or (lambda done, total: None)
    if len(fingerprints) < 2:
        progress(2, 2)
        return []
    progress(0, 2)
    pairs = similar_pairs(fingerprints, settings.jaccard_threshold, num_perm)
    progress(1, 2)
    pairs |= containing_pairs(fingerprints, settings)
    progress(2, 2)
    return sorted(pairs)
