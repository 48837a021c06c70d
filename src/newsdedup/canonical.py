"""Pick the copy of each cluster closest to the original wire story, and say why.

The policy is an ordered list of criteria (config ``canonical.criteria``). Each
criterion keeps the members that score best on it; the first criterion that narrows
the field is decisive, and the smallest id breaks a tie that survives them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import _core
from .config import CanonicalSettings
from .dates import is_date
from .models import Document, Reason


@dataclass(frozen=True)
class Candidate:
    """A cluster member as the canonical criteria see it."""

    document: Document
    word_count: int  # words in the body, as the fingerprint counted them
    centrality: float  # mean similarity to the other members


Scorer = Callable[[Candidate, CanonicalSettings], "tuple[float, str] | None"]


def _source_priority(candidate: Candidate, settings: CanonicalSettings) -> tuple[float, str] | None:
    source = (candidate.document.source or "").casefold()
    if not source:
        return None
    for rank, preferred in enumerate(settings.source_priority):
        if preferred.casefold() == source or preferred.casefold() in source.split():
            return -rank, f"source {candidate.document.source!r} is #{rank + 1} in canonical.source_priority"
    return None


def _wire_dateline(candidate: Candidate, settings: CanonicalSettings) -> tuple[float, str] | None:
    credit = candidate.document.wire_credit
    if credit is None or credit.kind != "dateline":
        return None
    return 1, f"wire dateline {credit.evidence!r}"


def _wire_credit(candidate: Candidate, settings: CanonicalSettings) -> tuple[float, str] | None:
    credit = candidate.document.wire_credit
    if credit is None:
        return None
    return 1, f"credited to {credit.agency} ({credit.kind})"


def _most_central(candidate: Candidate, settings: CanonicalSettings) -> tuple[float, str] | None:
    return round(candidate.centrality, 6), f"most central: mean similarity {candidate.centrality:.2f} to the other copies"


def _most_complete(candidate: Candidate, settings: CanonicalSettings) -> tuple[float, str] | None:
    words = candidate.word_count
    return words, f"most complete: {words} body words"


def _least_boilerplate(candidate: Candidate, settings: CanonicalSettings) -> tuple[float, str] | None:
    share = candidate.document.boilerplate_share
    return -round(share, 6), f"least boilerplate: {share:.0%} of the page was furniture"


_SCORERS: dict[str, Scorer] = {
    "source_priority": _source_priority,
    "wire_dateline": _wire_dateline,
    "wire_credit": _wire_credit,
    "most_central": _most_central,
    "most_complete": _most_complete,
    "least_boilerplate": _least_boilerplate,
}


def _best(criterion: str, members: Sequence[Candidate], settings: CanonicalSettings) -> dict[int, str]:
    """Positions of the members best on one criterion, with the detail for each."""
    if criterion == "earliest_published":
        dated = [(i, m.document.published) for i, m in enumerate(members) if is_date(m.document.published)]
        preceded = _preceded(sorted({stamp for _, stamp in dated}))
        return {i: f"earliest published ({stamp})" for i, stamp in dated if stamp not in preceded}
    scored = {i: value for i, m in enumerate(members) if (value := _SCORERS[criterion](m, settings)) is not None}
    if not scored:
        return {}
    top = max(score for score, _ in scored.values())
    return {i: detail for i, (score, detail) in scored.items() if score == top}


def _preceded(stamps: list[str]) -> set[str]:
    """The stamps another was published strictly before (``dates.published_before``), in one pass.

    A stamp is preceded exactly when the earliest value of some kind is before it: the
    earliest UTC day of any value (against a date alone), of a date alone (against a time),
    and the earliest instant of the times of each precision (compared at the coarser of the
    two). So thousands of copies with as many dates cost a few comparisons each.
    """
    moments = [(stamp, moment) for stamp, moment in zip(stamps, _core.moments_batch(stamps)) if moment is not None]
    if not moments:
        return set()
    first_day = min(day for _, (day, _, _) in moments)
    first_date_alone = min((day for _, (day, second, _) in moments if second is None), default=None)
    first_time: dict[int, int] = {}  # precision in seconds -> the earliest second with it
    for _, (_, second, precision) in moments:
        if second is not None:
            first_time[precision] = min(second, first_time.get(precision, second))
    preceded = set()
    for stamp, (day, second, precision) in moments:
        if second is None:
            before = first_day < day
        else:
            before = (first_date_alone is not None and first_date_alone < day) or any(
                first // max(unit, precision) < second // max(unit, precision) for unit, first in first_time.items())
        if before:
            preceded.add(stamp)
    return preceded


def choose_canonical(members: Sequence[Candidate], settings: CanonicalSettings) -> tuple[int, tuple[Reason, ...]]:
    """Position of the canonical member and the reasons, decisive ones marked."""
    if len(members) == 1:
        return 0, ()
    everyone = set(range(len(members)))
    remaining = list(range(len(members)))
    decisive: set[str] = set()
    best_overall: dict[str, dict[int, str]] = {}
    for criterion in settings.criteria:
        best_overall[criterion] = _best(criterion, members, settings)
        if len(remaining) > 1:
            narrowed = _best(criterion, [members[i] for i in remaining], settings)
            if narrowed and len(narrowed) < len(remaining):
                remaining = [remaining[i] for i in sorted(narrowed)]
                decisive.add(criterion)
    winner = min(remaining, key=lambda i: members[i].document.id)
    reasons = []
    for criterion in settings.criteria:
        best = best_overall[criterion]
        if winner in best and (criterion in decisive or set(best) != everyone):
            reasons.append(Reason(criterion, best[winner], criterion in decisive))
    if len(remaining) > 1:
        reasons.append(Reason("first_id", f"tied on every criterion with {len(remaining) - 1} other(s): first id", True))
    return winner, tuple(reasons)
