"""Documents and fingerprints as bytes and JSON, for an index that outlives the process.

A fingerprint is stored as its raw arrays behind a small header of lengths: no pickle,
so a foreign or tampered index file can give wrong answers but never run code.
"""

from __future__ import annotations

import json
import struct

import numpy as np
from datasketch import LeanMinHash

from .errors import IndexStoreError
from .models import Document, Fingerprint, WireCredit

# Field name and dtype of each array, in the order they are written.
_ARRAYS = (
    ("shingles", np.uint32),
    ("anchors", np.uint32),
    ("anchor_weights", np.uint8),
    ("anchor_variants", np.uint32),
    ("anchor_variant_of", np.uint16),
    ("vocabulary", np.uint32),
    ("name_variants", np.uint32),
)
# datasketch's MinHash permutation schemes, and the width of their hash values.
_SCHEMES = {"legacy": np.uint64, "affine32": np.uint32, "affine64": np.uint64}
_MAGIC = b"NDF1"
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
    try:
        magic, scheme_number, word_count, permutations, seed, *lengths = _HEADER.unpack_from(data)
        if magic != _MAGIC or scheme_number >= len(_SCHEMES):
            raise ValueError("not a newsdedup fingerprint")
        scheme = list(_SCHEMES)[scheme_number]
        offset = _HEADER.size
        hashvalues = np.frombuffer(data, dtype=_SCHEMES[scheme], count=permutations, offset=offset)
        offset += hashvalues.nbytes
        fields = {}
        for (name, dtype), length in zip(_ARRAYS, lengths):
            fields[name] = np.frombuffer(data, dtype=dtype, count=length, offset=offset)
            offset += fields[name].nbytes
        if offset != len(data):
            raise ValueError("trailing bytes")
    except (struct.error, ValueError) as error:
        raise IndexStoreError(f"the stored fingerprint of {article_id!r} is damaged ({error}); "
                              "rebuild the index from the articles") from None
    return Fingerprint(id=article_id, minhash=LeanMinHash(seed=seed, hashvalues=hashvalues, scheme=scheme),
                       word_count=word_count, **fields)


def encode_document(document: Document) -> str:
    """The document's metadata as JSON (the body is not kept: fingerprints hold what comparison needs)."""
    fields = {name: getattr(document, name) for name in Document.__dataclass_fields__ if name != "body"}
    credit = document.wire_credit
    fields["wire_credit"] = None if credit is None else [credit.agency, credit.evidence, credit.kind]
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


def decode_document(text: str) -> Document:
    try:
        fields = json.loads(text)
        credit = fields.pop("wire_credit")
        return Document(body="", wire_credit=None if credit is None else WireCredit(*credit), **fields)
    except (ValueError, TypeError, KeyError) as error:
        raise IndexStoreError(f"a stored article record is damaged ({error}); rebuild the index") from None
