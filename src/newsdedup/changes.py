"""What each copy changed against its canonical: the report's ``changes`` and the text diffs
``explain`` and the HTML report show.

Both come from one alignment of the two texts' words, in the compiled core
(rust/core/src/align.rs): kept passages, the canonical's passages the copy cut, the copy's
own added passages, and small edits inside shared text. Verification uses the same
alignment to compare numbers and names only where the texts are the same story.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import _core
from .models import Changes, Substitution

__all__ = ["Changes", "Piece", "Substitution", "body_diff"]

KINDS = ("kept", "cut", "added", "changed")


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of a body diff, in text order: the pieces tile both bodies."""

    kind: str  # "kept", "cut" (the canonical's text the copy lacks), "added" or "changed"
    canonical: str  # the canonical's text of this piece ("" for added)
    copy: str  # the copy's text ("" for cut)


def body_diff(canonical_body: str, copy_body: str) -> list[Piece]:
    """The diff of two bodies: what the copy kept, cut, added and changed, in the texts' own words."""
    return [Piece(kind, canonical, copy) for kind, canonical, copy in _core.body_diff(canonical_body, copy_body)]
