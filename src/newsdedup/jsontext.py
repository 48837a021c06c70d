"""JSON text byte for byte as ``json.dumps(value, ensure_ascii=False, ...)`` writes it, made by orjson.

The standard library's indenting encoder is pure Python, and a 100,000-article report is
86 MB of it. orjson writes the same bytes as ``json.dumps(value, ensure_ascii=False, indent=2)``
for dicts, lists, strings (control characters escaped alike, U+2028 and everything else
above U+001F kept), bools, None, integers of at most 64 bits, and the floats ``plain_float``
accepts; tests/test_report_encoding.py holds it to that. Where the two differ, the caller
or this module hands the value to the standard library instead:

- orjson refuses lone surrogates and integers beyond 64 bits (``orjson.JSONEncodeError``);
- it writes NaN and the infinities as ``null``, and floats below 1e-4 its own way (``1e-7``
  for ``1e-07``, ``0.00001`` for ``1e-05``): a value holding a float ``plain_float`` rejects
  is not given to it.

orjson is imported when the first report is written, not when newsdedup starts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

# Items are encoded, and text written to the stream, this many at a time.
BATCH_ITEMS = 256
# How orjson writes ``{"": [items]}`` around the items, which it then indents four spaces.
_NESTED_HEAD, _NESTED_TAIL = b'{\n  "": [', b"\n  ]\n}"
# How orjson starts and ends an indented list of dicts.
_LIST_HEAD, _LIST_TAIL = b"[\n  {\n    ", b"\n  }\n]"


def plain_float(value: float) -> bool:
    """Whether orjson writes ``value`` as ``repr`` does: zero, or from 0.0001 to 1 (every score)."""
    return 0.0001 <= value <= 1.0 or value == 0.0


def _decode(chunk: bytes) -> str:
    """The text of the encoded pieces (a fallback's lone surrogates come back by ``surrogatepass``)."""
    return chunk.decode("utf-8", "surrogatepass")


def nested_items(values: Iterable[tuple[Any, bool]]) -> Iterator[str]:
    """The items of an array that is a value of the top-level object, as ``json.dumps(document,
    ensure_ascii=False, indent=2)`` writes them there, in chunks of text: each item after
    ``"\\n    "``, moved right four spaces, items joined by ``","``. The caller joins the chunks
    with ``","`` and writes the array's brackets (``"["`` and ``"\\n  ]"``, or ``"[]"`` when nothing came).

    ``plain``: every float in the item passes ``plain_float``. A batch of plain items is one orjson
    call, nested where its indentation comes out right; a batch orjson refuses or with an item
    that is not plain goes item by item, each indented by one replace (strings escape their line
    breaks, so every raw ``\\n`` is the encoder's own).
    """
    encoder = _Orjson()
    for batch in _batches(values):
        whole = encoder.indented({"": [value for value, _ in batch]}) if all(plain for _, plain in batch) else None
        if whole is not None:
            chunk = whole[len(_NESTED_HEAD):-len(_NESTED_TAIL)]
        else:
            chunk = b",".join((b"\n" + _either(encoder, value, plain, indent=2)).replace(b"\n", b"\n    ")
                              for value, plain in batch)
        yield _decode(chunk)


def flat_lines(records: Iterable[tuple[dict[str, Any], bool]]) -> Iterator[str]:
    """``json.dumps(record, ensure_ascii=False) + "\\n"`` for each record, as text in chunks.

    Every record is a non-empty dict of strings, numbers, bools and None (no lists, no dicts).
    orjson writes a batch of plain records as an indented list, ``[\\n  {\\n    "k": v,\\n    "k2": v2\\n
    },\\n  {\\n ...}\\n]``; since strings escape their line breaks, two replaces and the ends turn
    that into the standard library's lines, ``{"k": v, "k2": v2}\\n{...}\\n``. A batch orjson refuses,
    or with a record that is not plain, goes record by record (``_flattened``).
    """
    encoder = _Orjson()
    for batch in _batches(records):
        whole = encoder.indented([record for record, _ in batch]) if all(plain for _, plain in batch) else None
        if whole is not None:
            lines = whole[len(_LIST_HEAD):-len(_LIST_TAIL)].replace(b"\n  },\n  {\n    ", b"}\n{")
            yield _decode(b"{" + lines.replace(b",\n    ", b", ") + b"}\n")
        else:
            yield _flattened([_either(encoder, record, plain, indent=None) for record, plain in batch])


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


def _either(encoder: _Orjson, value: Any, plain: bool, indent: int | None) -> bytes:
    """orjson's indented bytes for a plain value it takes, else the standard library's (``indent``)."""
    fast = encoder.indented(value) if plain else None
    return fast if fast is not None else _standard(value, indent)


def _batches(items: Iterable[tuple[Any, bool]]) -> Iterator[list[tuple[Any, bool]]]:
    batch: list[tuple[Any, bool]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH_ITEMS:
            yield batch
            batch = []
    if batch:
        yield batch


def _standard(value: Any, indent: int | None) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=indent).encode("utf-8", "surrogatepass")


def _flattened(pieces: list[bytes]) -> str:
    """Records one by one: orjson's ``{\\n  "k": v,\\n  "k2": v2\\n}`` made flat by three replaces; the
    standard library's compact lines hold no raw line break and start with ``{``, so none touches them."""
    joined = b"\n".join(pieces) + b"\n"
    return _decode(joined.replace(b",\n  ", b", ").replace(b"{\n  ", b"{").replace(b"\n}", b"}"))
