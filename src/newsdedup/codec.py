"""Documents, fingerprints and index records as bytes and JSON, for an index that outlives the process.

A fingerprint is stored as its raw arrays behind a small header of lengths: no pickle,
so a foreign or tampered index file can give wrong answers but never run code. Every
decoder here checks what it reads and raises DamagedIndexError, never a TypeError or
KeyError, for a value newsdedup did not write: every value an index hands back is
decoded in this module.
"""

from __future__ import annotations

import dataclasses
import json
import math
import struct
import typing
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import DamagedIndexError
from .models import Document, Fingerprint, Reason, WireCredit

# Field name and dtype of each array, in the order they are written.
_ARRAYS = (
    ("shingles", np.uint32),
    ("anchors", np.uint32),
    ("anchor_weights", np.uint8),
    ("anchor_variants", np.uint32),
    ("anchor_variant_of", np.uint16),
    ("vocabulary", np.uint32),
    ("name_variants", np.uint32),
    ("sequence", np.uint32),
)
# datasketch's MinHash permutation schemes, and the width of their hash values.
_SCHEMES = {"legacy": np.uint64, "affine32": np.uint32, "affine64": np.uint64}
_MAGIC = b"NDF2"  # NDF1 (before the token sequence) is refused: an index that old is rebuilt
# magic, scheme number, word count, permutations, seed, array lengths
_HEADER = struct.Struct("<4sBIIQ" + "I" * len(_ARRAYS))


def encode_fingerprint(fingerprint: Fingerprint) -> bytes:
    minhash = fingerprint.minhash
    arrays = [np.ascontiguousarray(getattr(fingerprint, name), dtype=dtype) for name, dtype in _ARRAYS]
    scheme = list(_SCHEMES).index(minhash.scheme)
    header = _HEADER.pack(_MAGIC, scheme, fingerprint.word_count, len(minhash.hashvalues), minhash.seed,
                          *(array.size for array in arrays))
    return b"".join([header, np.asarray(minhash.hashvalues, dtype=_SCHEMES[minhash.scheme]).tobytes(),
                     *(array.tobytes() for array in arrays)])


def decode_fingerprint(article_id: str, data: bytes) -> Fingerprint:
    """The fingerprint ``encode_fingerprint`` wrote; IndexStoreError if the bytes are not one."""
    # Imported here: datasketch pulls in scipy, and a run that reads no index needs neither.
    from datasketch import LeanMinHash

    try:
        magic, scheme_number, word_count, permutations, seed, *lengths = _HEADER.unpack_from(data)
        if magic != _MAGIC or scheme_number >= len(_SCHEMES):
            raise ValueError("not a newsdedup fingerprint")
        scheme = list(_SCHEMES)[scheme_number]
        offset = _HEADER.size
        hashvalues = np.frombuffer(data, dtype=_SCHEMES[scheme], count=permutations, offset=offset)
        offset += hashvalues.nbytes
        fields: dict[str, npt.NDArray[Any]] = {}  # each of the dtype _ARRAYS gives it
        for (name, dtype), length in zip(_ARRAYS, lengths):
            fields[name] = np.frombuffer(data, dtype=dtype, count=length, offset=offset)
            offset += fields[name].nbytes
        if offset != len(data):
            raise ValueError("trailing bytes")
    except (struct.error, ValueError, TypeError) as error:
        raise _damaged(f"the stored fingerprint of {article_id!r}", str(error)) from None
    return Fingerprint(id=article_id, minhash=LeanMinHash(seed=seed, hashvalues=hashvalues, scheme=scheme),
                       word_count=word_count, **fields)


def encode_document(document: Document) -> str:
    """The document's metadata as JSON (the body is not kept: fingerprints hold what comparison needs)."""
    fields = {name: getattr(document, name) for name in Document.__dataclass_fields__ if name != "body"}
    credit = document.wire_credit
    fields["wire_credit"] = None if credit is None else [credit.agency, credit.evidence, credit.kind]
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def decode_document(text: str | bytes) -> Document:
    """The document ``encode_document`` wrote, every field of the type ``Document`` declares."""
    fields = _json(text, "an article record")
    if isinstance(fields, dict):
        # Fields added to Document later carry a default: records written before them still read.
        fields = {**_DOCUMENT_DEFAULTS, **fields}
    if not isinstance(fields, dict) or set(fields) != set(_DOCUMENT_TYPES):
        raise _damaged("an article record", f"expected an object with the fields {sorted(_DOCUMENT_TYPES)}")
    credit = fields.pop("wire_credit")
    if credit is not None and not (isinstance(credit, list) and len(credit) == 3
                                   and all(isinstance(part, str) for part in credit)):
        raise _damaged(f"the record of article {fields.get('id')!r}", f"wire_credit {credit!r}")
    for name, kind in _DOCUMENT_TYPES.items():
        if name == "wire_credit":
            continue
        if not isinstance(fields[name], kind) or (kind is not bool and isinstance(fields[name], bool)):
            raise _damaged(f"the record of article {fields.get('id')!r}", f"{name} {fields[name]!r}")
    return Document(body="", wire_credit=None if credit is None else WireCredit(*credit), **fields)


# Each stored document field and the types its JSON value may have (the body is not stored).
_DOCUMENT_TYPES = {name: typing.get_type_hints(Document)[name] for name in Document.__dataclass_fields__
                   if name != "body"}
_DOCUMENT_DEFAULTS = {name: spec.default for name, spec in Document.__dataclass_fields__.items()
                      if name in _DOCUMENT_TYPES and spec.default is not dataclasses.MISSING}
ROLES = ("canonical", "duplicate")


def decode_settings(text: str | bytes) -> dict[str, dict[str, Any]]:
    """The settings an index was built with: an object of sections, each an object of keys."""
    settings = _json(text, "the settings record")
    if not isinstance(settings, dict):
        raise _damaged("the settings record", f"expected an object of sections, got {type(settings).__name__}")
    for section, values in settings.items():
        if not isinstance(values, dict):
            raise _damaged("the settings record", f"section {section!r} is {type(values).__name__}, not an object")
    return settings


def decode_membership(article_id: str, fields: object) -> tuple[str, str, float, float]:
    """(cluster canonical, role, similarity, containment) as ``assign`` stored them."""
    if not (isinstance(fields, (list, tuple)) and len(fields) == 4 and isinstance(fields[0], str) and fields[0]
            and fields[1] in ROLES and all(_is_score(value) for value in fields[2:])):
        raise _damaged(f"the cluster record of article {article_id!r}", f"got {fields!r}")
    return fields[0], fields[1], float(fields[2]), float(fields[3])


def decode_membership_json(article_id: str, text: str | bytes) -> tuple[str, str, float, float]:
    return decode_membership(article_id, _json(text, f"the cluster record of article {article_id!r}"))


def encode_reasons(reasons: tuple[Reason, ...]) -> str:
    return json.dumps([[reason.criterion, reason.detail, reason.decisive] for reason in reasons], ensure_ascii=False)


def decode_reasons(canonical: str, text: str | bytes) -> tuple[Reason, ...]:
    """A cluster's canonical reasons: a list of [criterion, detail, decisive]."""
    what = f"the reasons of cluster {canonical!r}"
    reasons = _json(text, what)
    if not isinstance(reasons, list) or not all(
            isinstance(fields, list) and len(fields) == 3 and isinstance(fields[0], str)
            and isinstance(fields[1], str) and isinstance(fields[2], bool) for fields in reasons):
        raise _damaged(what, f"expected a list of [criterion, detail, decisive], got {reasons!r}"[:300])
    return tuple(Reason(*fields) for fields in reasons)


def _is_score(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        and 0.0 <= value <= 1.0


def _json(text: str | bytes, what: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, TypeError) as error:  # not JSON, not UTF-8, or (from a tampered store) not text at all
        raise _damaged(what, f"not JSON: {error}") from None


def _damaged(what: str, detail: str) -> DamagedIndexError:
    return DamagedIndexError(f"{what} is damaged ({detail})")
