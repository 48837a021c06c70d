"""The Rust core's fingerprints and text functions against golden outputs of the Python reference.

tests/golden/core/fingerprint.json was written by benchmarks/core_golden.py from the Python
version (text.py, fingerprint.py), both deleted once the core replaced them (the generator is
in the history: git show 8625e6c:benchmarks/core_golden.py). These tests read only that file
and the core: the Python version's answers keep guarding the core.
"""

import hashlib
import json

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings as hypothesis_settings, strategies as st

from conftest import ROOT, as_ndf1
from newsdedup import _core
from newsdedup.codec import decode_fingerprint

GOLDEN = json.loads((ROOT / "tests" / "golden" / "core" / "fingerprint.json").read_text(encoding="utf-8"))
RECORDS = GOLDEN["texts"]
TEXTS = [record["text"] for record in RECORDS]
SETTINGS = GOLDEN["about"]["settings"]


def permutations(num_perm: int, seed: int) -> tuple[bytes, bytes]:
    a, b = MinHash(num_perm=num_perm, seed=seed).permutations
    return a.astype("<u4").tobytes(), b.astype("<u4").tobytes()


def fingerprints(texts: list[str], setting: dict, threads: int = 0) -> list[bytes]:
    return _core.fingerprint_batch(texts, setting["shingle_size"], *permutations(setting["num_perm"], setting["seed"]),
                                   setting["seed"], threads)


def expected(name: str) -> list:
    return [record[name] for record in RECORDS]


def test_normalize_tokens_and_counts():
    assert _core.normalize_batch(TEXTS) == expected("normalize")
    assert _core.tokens_batch(TEXTS) == expected("tokens")
    assert _core.word_count_batch(TEXTS) == expected("word_count")
    assert [list(pair) for pair in _core.case_counts_batch(TEXTS)] == expected("case_counts")


def test_anchors_and_names():
    assert [list(pair) for pair in _core.anchors_and_names_batch(TEXTS)] == expected("anchors_and_names")
    assert [list(triple) for triple in _core.tokens_and_anchors_batch(TEXTS)] == expected("tokens_and_anchors")


def test_word_shingle_and_spelling_hashes():
    token_lists = expected("tokens")
    size = GOLDEN["about"]["shingle_size"]
    assert [np.frombuffer(data, "<u8").tolist() for data in _core.hash_words_batch(token_lists)] == expected("hash_words")
    assert ([np.frombuffer(data, "<u4").tolist() for data in _core.shingle_hashes_batch(token_lists, size)]
            == expected(f"shingles_{size}"))
    anchor_lists = [anchors for anchors, _ in expected("anchors_and_names")]
    assert ([[np.frombuffer(hashes, "<u4").tolist(), np.frombuffer(owners, "<i8").tolist()]
             for hashes, owners in _core.near_spelling_hashes_batch(anchor_lists)] == expected("near_spelling_hashes"))


@pytest.mark.parametrize("setting", sorted(SETTINGS))
def test_fingerprints_byte_for_byte(setting):
    for record, data in zip(RECORDS, fingerprints(TEXTS, SETTINGS[setting]), strict=True):
        golden = record["fingerprint"][setting]
        found = decode_fingerprint("x", data)
        for name, value in golden.items():
            if name == "minhash":
                assert found.minhash.hashvalues.tolist() == value, record["text"]
            elif name == "word_count":
                assert found.word_count == value, record["text"]
            elif name != "ndf1_sha256":
                assert getattr(found, name).tolist() == value, (name, record["text"])
        # NDF2 is NDF1 with the token sequence last: the top 32 bits of each token's hash, in order.
        assert found.sequence.tolist() == [value >> 32 for value in record["hash_words"]], record["text"]
        assert hashlib.sha256(as_ndf1(data)).hexdigest() == golden["ndf1_sha256"], record["text"]


def test_datasketch_permutes_the_way_the_core_does():
    """The core implements datasketch's "affine32" scheme: fingerprint.py hands it datasketch's permutations."""
    minhash = MinHash(num_perm=16, seed=1)
    assert minhash.scheme == "affine32" and minhash.permutations.dtype == np.uint32


def test_minhash_is_datasketchs():
    a, b = permutations(16, 1)
    values = np.array([1, 2, 3, 4_000_000_000], dtype="<u4").tobytes()
    # MinHash(16, 1, hashfunc=int) updated with the same values, and a fresh one.
    assert np.frombuffer(_core.minhash_batch([values], a, b)[0], "<u4").tolist() == [
        620974883, 1246331418, 1324337041, 756120763, 2453689047, 432755927, 374116892, 521800385,
        969302276, 1029001474, 895004145, 1541350337, 409402876, 1513372311, 2119538260, 158443827]
    assert np.frombuffer(_core.minhash_batch([b""], a, b)[0], "<u4").tolist() == [2**32 - 1] * 16


def test_results_do_not_depend_on_the_thread_count():
    setting = SETTINGS["default"]
    assert fingerprints(TEXTS, setting, threads=1) == fingerprints(TEXTS, setting, threads=3) == fingerprints(
        TEXTS, setting, threads=0)


def test_permutations_datasketch_would_refuse_are_refused():
    a, b = permutations(16, 1)
    with pytest.raises(ValueError, match="differ in length"):
        _core.fingerprint_batch(["text"], 5, a, b[:-4], 1)
    with pytest.raises(ValueError, match="whole number of uint32"):
        _core.fingerprint_batch(["text"], 5, a[:-1], b, 1)
    with pytest.raises(ValueError, match="must be odd"):
        _core.fingerprint_batch(["text"], 5, np.array([2] * 16, "<u4").tobytes(), b, 1)
    with pytest.raises(ValueError, match="positive"):
        _core.fingerprint_batch(["text"], 5, b"", b"", 1)


def test_lone_surrogates_are_read_as_replacement_characters():
    setting = SETTINGS["default"]
    assert fingerprints(["U.\ud800S. Bank \udfff said 7"], setting) == fingerprints(
        ["U.\ufffd\ufffd\ufffdS. Bank \ufffd said 7"], setting)


@hypothesis_settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.text(), max_size=4), st.integers(0, 20))
def test_any_text_gives_a_fingerprint_the_codec_reads(bodies, shingle_size):
    """No panic on any input: every entry point returns, and the bytes decode."""
    a, b = permutations(16, 3)
    for data in _core.fingerprint_batch(bodies, shingle_size, a, b, 3, 1):
        assert decode_fingerprint("x", data).minhash.hashvalues.size == 16
    _core.normalize_batch(bodies)
    _core.tokens_and_anchors_batch(bodies)
    _core.anchors_and_names_batch(bodies)
    _core.near_spelling_hashes_batch([bodies])
    _core.shingle_hashes_batch([bodies], shingle_size)
