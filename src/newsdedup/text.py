"""Normalization, tokens, shingles and anchors: the one place text becomes comparable.

Numbers are kept whole ("7-3/4", "3,000"): in news a different figure is a
different story. Typographic variants (curly quotes, dashes, "U.S." vs "US") are
folded so that they do not break shingles.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import xxhash

_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\u00ad": "", "\ufeff": "",
})

# Initialisms written with dots ("U.S.", "U.N.") fold to their plain form ("us", "un").
_INITIALISM = re.compile(r"\b(?:[^\W\d_]\.){2,}")
_NUMBER = r"\d+(?:[.,/:-]\d+)*"
_WORD = r"[^\W\d_]+(?:'[^\W\d_]+)*"
_TOKEN = re.compile(f"{_NUMBER}|{_WORD}")
# Scripts written without spaces between words: each character is a token.
_UNSPACED = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff]"
)
# Between two tokens: a full stop, a colon or a closing quote starts a new sentence.
_GAP_ENDS_SENTENCE = re.compile(r"[.!?…:\"]")


def _drop_initialism_dots(text: str) -> str:
    """"U.S." -> "US", "u.n." -> "un": initialisms are written with and without dots."""
    return _INITIALISM.sub(lambda match: match.group(0).replace(".", ""), text)


def normalize(text: str) -> str:
    """Fold Unicode compatibility forms, typography and case; idempotent."""
    folded = text.translate(_TYPOGRAPHY)
    if folded.isascii():
        # ASCII needs no compatibility folding, and lower() is already a fixed point.
        return _drop_initialism_dots(folded.lower())
    previous = None
    while text != previous:
        previous = text
        text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
        text = _drop_initialism_dots(text)
    return text


def tokens(text: str) -> list[str]:
    """Words and whole numbers of ``text``, normalized."""
    normalized = normalize(text)
    found = _TOKEN.findall(normalized)
    if not _UNSPACED.search(normalized):
        return found
    split: list[str] = []
    for token in found:
        if _UNSPACED.search(token):
            split.extend(part for part in re.split(f"({_UNSPACED.pattern})", token) if part)
        else:
            split.append(token)
    return split


def word_count(text: str) -> int:
    """Number of tokens, counted without normalizing (a cheap measure of a block's length)."""
    return len(_TOKEN.findall(text))


_MIX = np.uint64(0x9E3779B97F4A7C15)


def shingle_hashes(token_list: list[str], size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word ``size``-grams; a short text is one shingle.

    Each distinct token is hashed once (xxh64); a shingle's hash combines its tokens'
    hashes by position in numpy, so the cost grows with the tokens, not with the
    shingles times their length.
    """
    if not token_list:
        return np.empty(0, dtype=np.uint32)
    distinct: dict[str, int] = {}
    for token in token_list:
        if token not in distinct:
            distinct[token] = xxhash.xxh64_intdigest(token.encode("utf-8"))
    token_hashes = np.fromiter((distinct[token] for token in token_list), dtype=np.uint64, count=len(token_list))
    width = min(size, len(token_hashes))
    windows = np.lib.stride_tricks.sliding_window_view(token_hashes, width)
    with np.errstate(over="ignore"):
        combined = np.zeros(len(windows), dtype=np.uint64)
        for position in range(width):
            combined = (combined ^ windows[:, position]) * _MIX + np.uint64(position + 1)
        combined ^= combined >> np.uint64(29)
    return np.unique((combined >> np.uint64(32)).astype(np.uint32))


def anchors(text: str) -> frozenset[str]:
    """Numbers and capitalized names, the words a templated item changes (see ``anchors_and_names``)."""
    return anchors_and_names(text)[0]


def anchors_and_names(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(anchors, every capitalized word): numbers and names, and where names may be looked up.

    A capitalized word counts inside a sentence, or first in a sentence when another
    capitalized word follows it with no punctuation between ("Chemical Bank said");
    only when the text is not written all in capitals. Scripts without case give
    numbers only. A digit glued to letters ("c0mpany") is a scanning error, not a figure.
    """
    folded = _drop_initialism_dots(unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY))
    uppercase = sum(map(str.isupper, folded))
    use_case = 0 < uppercase < sum(map(str.islower, folded))
    found: set[str] = set()
    stops = [match.start() for match in _GAP_ENDS_SENTENCE.finditer(folded)]
    next_stop = 0
    sentence_start = True
    capitalized: list[tuple[str, bool, int, int]] = []  # (token, opens a sentence, start, end)
    for match in _TOKEN.finditer(folded):
        token, start, end = match.group(0), match.start(), match.end()
        while next_stop < len(stops) and stops[next_stop] < start:
            sentence_start = True  # a stop between the previous token and this one
            next_stop += 1
        while next_stop < len(stops) and stops[next_stop] < end:
            next_stop += 1  # a stop inside the token ("7.5") ends nothing
        if token[0].isdigit():
            glued = (start > 0 and folded[start - 1].isalpha()) or (end < len(folded) and folded[end].isalpha())
            if not glued:
                found.add(token)
        elif use_case and token[0].isupper():
            capitalized.append((token, sentence_start, start, end))
        sentence_start = False
    for position, (token, opens_sentence, _, end) in enumerate(capitalized):
        if not opens_sentence:
            found.add(token.casefold())
            continue
        # A capitalized first word is a name only when a name follows it directly.
        following = capitalized[position + 1] if position + 1 < len(capitalized) else None
        if following and not following[1] and folded[end:following[2]].isspace():
            found.add(token.casefold())
    return frozenset(found), frozenset(token.casefold() for token, _, _, _ in capitalized)


def near_spellings(word: str) -> set[str]:
    """The word and its one-letter deletions: two words within one edit share one of these."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def word_hash(word: str) -> int:
    """A 32-bit hash of a word, to keep sets of words in a few bytes each."""
    return xxhash.xxh32_intdigest(word.encode("utf-8"))


def word_hashes(words) -> np.ndarray:
    """Sorted unique ``word_hash`` values of ``words``."""
    return np.unique(np.fromiter((word_hash(word) for word in words), dtype=np.uint32))
