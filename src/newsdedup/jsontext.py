"""JSON text byte for byte as ``json.dumps(value, ensure_ascii=False, ...)`` writes it, made by orjson.

The standard library's indenting encoder is pure Python, and a 100,000-article report is
86 MB of it. orjson writes the same bytes as ``json.dumps(value, ensure_ascii=False, indent=2)``
for dicts, lists, strings (control characters escaped alike, U+2028 and everything else
above U+001F kept), bools, None, integers of at most 64 bits, and the floats ``plain_float``
accepts; tests/test_report_encoding.py holds it to that. Where the two differ, the caller
or this module hands the value to the standard library instead:

- orjson refuses lone surrogates and integers beyond 64 bits (``orjson.JSONEncodeError``);
- it writes NaN and the infinities as ``null`` and floats below 1e-4 with other exponents
  (``1e-7`` for ``1e-07``): a value holding a float ``plain_float`` rejects is not given to it.

orjson is imported when the first report is written, not when newsdedup starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

# Text is written to the stream in pieces of about this many bytes.
CHUNK_BYTES = 1 << 20


def plain_float(value: float) -> bool:
    """Whether orjson writes ``value`` as ``repr`` does: zero, or from 0.0001 to 1 (every score)."""
    return 0.0001 <= value <= 1.0 or value == 0.0


def _decode(chunk: bytes) -> str:
    """The text of the encoded pieces (a fallback's lone surrogates come back by ``surrogatepass``)."""
    return chunk.decode("utf-8", "surrogatepass")


def indented_items(values: Iterable[tuple[Any, bool]], margin: str) -> Iterator[str]:
    """The items of an indented JSON array, each as ``json.dumps(item, ensure_ascii=False, indent=2)``
    writes it (``plain``: every float in it passes ``plain_float``) and moved right by
    ``margin``, as text in chunks: ``"[\\n" + margin + item`` first, then ``",\\n" + margin +
    item``. Nothing for no items; the caller closes the array.

    Strings escape their line breaks, so every raw ``\\n`` is the encoder's own: indenting the
    joined chunk is one replace.
    """
    encoder = _Orjson()
    newline = b"\n" + margin.encode()
    pieces: list[bytes] = []
    size = 0
    opening = b"[\n"
    for value, plain in values:
        fast = encoder.indented(value) if plain else None
        piece = fast if fast is not None else _standard(value, indent=2)
        pieces.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield _decode((opening + b",\n".join(pieces)).replace(b"\n", newline))
            pieces, size, opening = [], 0, b",\n"
    if pieces:
        yield _decode((opening + b",\n".join(pieces)).replace(b"\n", newline))


def flat_lines(records: Iterable[tuple[dict[str, Any], bool]]) -> Iterator[str]:
    """``json.dumps(record, ensure_ascii=False) + "\\n"`` for each record, as text in chunks.

    Every record is a non-empty dict of strings, numbers, bools and None (no lists, no dicts):
    orjson writes it indented, ``{\\n  "k": v,\\n  "k2": v2\\n}``, and three replaces over the
    joined chunk turn that into the standard library's ``{"k": v, "k2": v2}``. A record that
    falls back is written by the standard library in that form already and holds no raw line
    break, and lines start with ``{``, never ``}``: no replace touches it.
    """
    encoder = _Orjson()
    pieces: list[bytes] = []
    size = 0
    for record, plain in records:
        fast = encoder.indented(record) if plain else None
        piece = fast if fast is not None else _standard(record, indent=None)
        pieces.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield _flattened(pieces)
            pieces, size = [], 0
    if pieces:
        yield _flattened(pieces)


class _Orjson:
    """orjson's indented encoding, or None where it refuses the value (imported on first use)."""

    def __init__(self) -> None:
        import orjson

        self.dumps, self.option, self.refused = orjson.dumps, orjson.OPT_INDENT_2, orjson.JSONEncodeError

    def indented(self, value: Any) -> bytes | None:
        try:
            return self.dumps(value, option=self.option)
        except self.refused:
            return None


def _standard(value: Any, indent: int | None) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=indent).encode("utf-8", "surrogatepass")


def _flattened(pieces: list[bytes]) -> str:
    joined = b"\n".join(pieces) + b"\n"
    return _decode(joined.replace(b",\n  ", b", ").replace(b"{\n  ", b"{").replace(b"\n}", b"}"))
