"""The candidate stage shard by shard (issue 14, a run on Dask): keys made per worker, pairs found per
shard, together exactly the pairs of one CandidateIndex over the same fingerprints in the same positions."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from conftest import SEEDS
from newsdedup import _core
from newsdedup.candidates import candidate_arguments, candidate_index
from newsdedup.config import Config
from newsdedup.models import Article
from newsdedup.pipeline import prepare

CONFIG = Config()
BANDS_ONLY = replace(CONFIG, candidates=replace(CONFIG.candidates, containment_probes=0))
FEW_POSTINGS = replace(CONFIG, candidates=replace(CONFIG.candidates, max_postings=4))


def _sentences() -> list[str]:
    """The seeds' sentences (of eight words or more)."""
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    return [sentence.strip() + "." for sentence in " ".join(text.split()).split(". ") if len(sentence.split()) >= 8]


def _texts(count: int, draw: random.Random) -> list[str]:
    """Originals made of seed sentences with a share of their words swapped for others (so each is its
    own story), then copies of them: edited, truncated, embedded in a longer page, two joined."""
    sentences = _sentences()
    vocabulary = sorted({word for sentence in sentences for word in sentence.split()})
    originals = []
    for _ in range(count // 3):
        chosen = draw.sample(sentences, draw.randint(6, 14))
        words = " ".join(chosen).split()
        originals.append(" ".join(draw.choice(vocabulary) if draw.random() < 0.3 else word for word in words))
    texts = list(originals)
    while len(texts) < count:
        words = draw.choice(originals).split()
        other = draw.choice(originals)
        kind = draw.randrange(4)
        if kind == 0:
            edited = [draw.choice(vocabulary) if draw.random() < 0.05 else word for word in words]
            texts.append(" ".join(edited))
        elif kind == 1:
            texts.append(" ".join(words[: len(words) * draw.randint(3, 7) // 10]))
        elif kind == 2:
            texts.append(f"{other}\n\n{' '.join(words)}\n\n{draw.choice(originals)}")
        else:
            texts.append(f"{' '.join(words)}\n\n{other}")
    return texts


@pytest.fixture(scope="module")
def fingerprints() -> list[bytes]:
    draw = random.Random(14)
    articles = [Article(id=f"a{number:04d}", path=f"a{number:04d}", text=text)
                for number, text in enumerate(_texts(300, draw))]
    return [encoded for _, encoded in prepare(articles, CONFIG)]


def _rows(pairs: bytes) -> set[tuple[int, int]]:
    return {(int(left), int(right)) for left, right in np.frombuffer(pairs, dtype=np.int64).reshape(-1, 2)}


def _packed(pairs: bytes) -> set[tuple[int, int]]:
    return {(int(packed) >> 32, int(packed) & 0xFFFF_FFFF) for packed in np.frombuffer(pairs, dtype=np.uint64)}


def _index_pairs(fingerprints: list[bytes], order: list[int], config: Config = CONFIG) -> set[tuple[int, int]]:
    index = candidate_index(config)
    index.append_batch(fingerprints)
    index.reorder(order)
    return _rows(index.pairs())


def _sharded_pairs(fingerprints: list[bytes], order: list[int], shards: int, workers: int,
                   config: Config = CONFIG) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(band pairs, containment pairs) of the shard stages, the fingerprints split among ``workers``."""
    stages = _core.Shards(shards, **candidate_arguments(config))
    positions = np.empty(len(fingerprints), dtype=np.uint32)
    positions[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.uint32)
    gathered: list[list[list[bytes]]] = [[[], [], [], []] for _ in range(shards)]
    bounds = np.linspace(0, len(fingerprints), workers + 1).astype(int)
    for start, end in reversed(list(zip(bounds[:-1], bounds[1:]))):
        keys = stages.keys(fingerprints[start:end], positions[start:end].tobytes())
        assert len(keys) == shards
        for shard, parts in zip(gathered, keys):
            for into, part in zip(shard, parts):
                into.append(part)
    similar: set[tuple[int, int]] = set()
    hits: list[list[bytes]] = [[] for _ in range(shards)]
    for bands, samples, probes, _ in gathered:
        found, shard_hits = stages.pairs(b"".join(bands), b"".join(samples), b"".join(probes))
        similar |= _packed(found)
        for into, part in zip(hits, shard_hits):
            into.append(part)
    containing: set[tuple[int, int]] = set()
    for (_, _, _, counts), shard_hits in zip(gathered, hits):
        containing |= _packed(stages.counted(b"".join(shard_hits), b"".join(counts)))
    return similar, containing


@pytest.mark.parametrize("shards", [1, 2, 5])
def test_shards_find_the_pairs_of_the_candidate_index(fingerprints, shards):
    order = list(range(len(fingerprints)))
    random.Random(shards).shuffle(order)
    expected = _index_pairs(fingerprints, order)
    similar, containing = _sharded_pairs(fingerprints, order, shards, workers=3)
    assert similar | containing == expected
    assert similar and containing - similar  # the containment index finds what the bands miss
    assert all(left < right for left, right in expected)


@pytest.mark.parametrize("shards", [1, 2, 5])
def test_shards_find_the_band_pairs_alone(fingerprints, shards):
    """Near copies also contain each other: with containment off, the band pairs are compared alone."""
    order = list(range(len(fingerprints)))
    random.Random(shards).shuffle(order)
    similar, containing = _sharded_pairs(fingerprints, order, shards, workers=3, config=BANDS_ONLY)
    assert similar == _index_pairs(fingerprints, order, BANDS_ONLY)
    assert similar and not containing


def test_postings_over_max_postings_are_left_out_alike(fingerprints):
    order = list(range(len(fingerprints)))[::-1]
    similar, containing = _sharded_pairs(fingerprints, order, shards=5, workers=3, config=FEW_POSTINGS)
    expected = _index_pairs(fingerprints, order, FEW_POSTINGS)
    assert similar | containing == expected
    assert len(containing) < len(_sharded_pairs(fingerprints, order, shards=5, workers=3)[1])


def test_a_single_worker_and_the_id_order_give_the_same_pairs(fingerprints):
    order = list(range(len(fingerprints)))
    similar, containing = _sharded_pairs(fingerprints, order, shards=2, workers=1)
    assert similar | containing == _index_pairs(fingerprints, order)


def test_damaged_inputs_are_refused_by_name(fingerprints):
    arguments = candidate_arguments(CONFIG)
    stages = _core.Shards(2, **arguments)
    positions = np.arange(3, dtype=np.uint32).tobytes()
    with pytest.raises(ValueError, match="fingerprint 1"):
        stages.keys([fingerprints[0], b"NDF2 not really", fingerprints[2]], positions)
    two = np.array([1, 3], dtype=np.uint32).tobytes(), np.array([2, 4], dtype=np.uint32).tobytes()
    other = _core.fingerprint_batch(["a short text of several words"], 5, *two, 1)[0]
    with pytest.raises(ValueError, match="fingerprint 2 has 2 MinHash values"):
        stages.keys([fingerprints[0], fingerprints[1], other], positions)
    with pytest.raises(ValueError, match="2 positions for 3 fingerprints"):
        stages.keys(fingerprints[:3], positions[:8])
    with pytest.raises(ValueError, match="shards"):
        _core.Shards(0, **arguments)
    with pytest.raises(ValueError, match="whole number"):
        _core.Shards(1, **arguments).pairs(b"\0" * 8, b"", b"")
    with pytest.raises(ValueError, match="position 7"):
        stages.counted(np.array([7 << 32 | 1], dtype=np.uint64).tobytes(), b"")
