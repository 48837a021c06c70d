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
_SENTENCE_END = re.compile(r"[.!?…]['\")\]]*$")


def normalize(text: str) -> str:
    """Fold Unicode compatibility forms, typography and case; idempotent."""
    previous = None
    while text != previous:
        previous = text
        text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY).casefold()
        text = _INITIALISM.sub(lambda match: match.group(0).replace(".", ""), text)
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


def shingle_hashes(token_list: list[str], size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word ``size``-grams; a short text is one shingle."""
    if not token_list:
        return np.empty(0, dtype=np.uint32)
    if len(token_list) <= size:
        grams = [" ".join(token_list)]
    else:
        grams = [" ".join(token_list[i:i + size]) for i in range(len(token_list) - size + 1)]
    hashes = np.fromiter((xxhash.xxh32_intdigest(gram.encode("utf-8")) for gram in grams), dtype=np.uint32, count=len(grams))
    return np.unique(hashes)


def anchors(text: str) -> frozenset[str]:
    """Numbers and capitalized names, the words a templated item changes.

    A capitalized word counts inside a sentence, or first in a sentence when another
    capitalized word follows it; only when the text is not written all in capitals.
    Scripts without case give numbers only.
    """
    found: set[str] = set()
    letters = [char for char in text if char.isalpha()]
    cased = [char for char in letters if char.isupper() or char.islower()]
    use_case = bool(cased) and sum(char.isupper() for char in cased) < 0.5 * len(cased)
    folded = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    folded = _INITIALISM.sub(lambda match: match.group(0).replace(".", ""), folded)
    words: list[tuple[str, bool, bool]] = []  # (token, opens a sentence, punctuation follows it)
    sentence_start = True
    for raw in re.finditer(r"\S+", folded):
        chunk = raw.group(0)
        matches = list(_TOKEN.finditer(chunk))
        for number, match in enumerate(matches):
            token = match.group(0)
            glued = (match.start() > 0 and chunk[match.start() - 1].isalpha()) or (
                match.end() < len(chunk) and chunk[match.end()].isalpha())
            if token[0].isdigit() and glued:
                continue  # "c0mpany": a scanning error, not a figure
            ends_chunk = number == len(matches) - 1
            words.append((token, sentence_start, ends_chunk and match.end() < len(chunk)))
            sentence_start = False
        if _SENTENCE_END.search(chunk) or chunk.endswith(":") or chunk.endswith('"'):
            sentence_start = True
    for position, (token, opens_sentence, punctuated) in enumerate(words):
        if token[0].isdigit():
            found.add(token)
        elif use_case and token[0].isupper():
            # A capitalized first word is a name only when a name follows ("Chemical Bank said").
            following = words[position + 1] if position + 1 < len(words) else None
            if not opens_sentence or (
                not punctuated and following and following[0][0].isupper() and not following[1]
            ):
                found.add(token.casefold())
    return frozenset(found)


def near_spellings(word: str) -> set[str]:
    """The word and its one-letter deletions: two words within one edit share one of these."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}
