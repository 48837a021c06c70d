from hypothesis import given, strategies as st

from newsdedup.text import anchors, normalize, shingle_hashes, tokens


def test_typography_and_case_fold_to_one_form():
    assert tokens("“Images” — U.S. Putin’s") == tokens('"images" - US putin\'s')


def test_numbers_stay_whole():
    assert tokens("rate to 7-3/4 pct, 3,000 troops") == ["rate", "to", "7-3/4", "pct", "3,000", "troops"]


def test_unspaced_scripts_split_into_characters():
    assert tokens("北京市") == ["北", "京", "市"]


@given(st.text())
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


def test_shingles_are_sorted_unique_and_short_text_is_one_shingle():
    hashes = shingle_hashes(["a", "b", "c", "a", "b", "c"], 2)
    assert list(hashes) == sorted(set(hashes.tolist()))
    assert len(shingle_hashes(["only", "three", "words"], 5)) == 1
    assert len(shingle_hashes([], 5)) == 0


def test_anchors_are_figures_and_names():
    found = anchors("Chemical Bank said it raised its rate to 7-3/4 pct. Dealers in Washington agreed.")
    assert {"7-3/4", "chemical", "bank", "washington"} <= found
    assert "dealers" not in found  # a capitalized first word alone is not a name


def test_all_capitals_text_gives_figures_only():
    assert anchors("CHEMICAL BANK RAISES PRIME RATE TO 8 PCT") == {"8"}
