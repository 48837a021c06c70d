"""Score a clustering against ground truth: pairwise, Adjusted Rand Index, B-cubed, and the worst errors.

Scores are computed from the contingency table of predicted and true clusters, so they
cost O(articles), not O(pairs). Only ids present in both the input and the labels are
scored; the others are reported, never silently dropped. A figure with nothing to measure
(no pairs) is undefined (None), never a perfect 1.0.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import LabelsError
from . import _core
from .fingerprint import core_arguments
from .models import Result
from .verify import compare_pairs

LABEL_KEYS = ("article_id", "cluster_id")


def read_labels(path: str | Path) -> dict[str, str]:
    """article id -> true cluster id, from TSV/CSV (``article_id,cluster_id``) or JSON Lines."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise LabelsError(f"{path}: labels file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise LabelsError(f"{path}: cannot read the labels file ({error})") from None
    labels: dict[str, str] = {}
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        rows = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise LabelsError(f"{path}:{number}: malformed JSON ({error.msg})") from None
            if not isinstance(record, dict) or any(key not in record for key in LABEL_KEYS):
                raise LabelsError(f"{path}:{number}: expected an object with 'article_id' and 'cluster_id'")
            rows.append((number, [str(record["article_id"]), str(record["cluster_id"])]))
    else:
        delimiter = "\t" if path.suffix.lower() == ".tsv" or (lines and "\t" in lines[0]) else ","
        rows = [(number, row) for number, row in enumerate(csv.reader(lines, delimiter=delimiter), start=1) if row]
        if rows and [cell.strip().lower() for cell in rows[0][1]] == list(LABEL_KEYS):
            rows = rows[1:]
    for number, row in rows:
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise LabelsError(f"{path}:{number}: expected two columns, article_id and cluster_id")
        article_id, cluster_id = row[0].strip(), row[1].strip()
        if labels.get(article_id, cluster_id) != cluster_id:
            raise LabelsError(f"{path}:{number}: article {article_id!r} is labelled twice, with different clusters")
        labels[article_id] = cluster_id
    if not labels:
        raise LabelsError(f"{path}: no labels in the file")
    return labels


@dataclass(frozen=True)
class Scores:
    """The figures of one evaluation. A figure whose denominator is empty is None, never 1.0:
    0 correct of 0 predicted pairs is no evidence of precision, and a floor must not pass on it."""

    articles: int
    predicted_clusters: int
    true_clusters: int
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int
    pairwise_precision: float | None  # None: no pair predicted
    pairwise_recall: float | None  # None: no pair labelled
    pairwise_f1: float | None  # None: no pair labelled and none predicted
    adjusted_rand_index: float | None  # None: under two articles, or both partitions all singletons or all one
    bcubed_precision: float | None  # None: nothing scored
    bcubed_recall: float | None
    bcubed_f1: float | None


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _harmonic(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(predicted: Mapping[str, Hashable], truth: Mapping[str, str]) -> Scores:
    """Compare two partitions of the same ids (ids outside both are ignored)."""
    ids = sorted(set(predicted) & set(truth))
    cells = Counter((predicted[i], truth[i]) for i in ids)
    predicted_sizes = Counter(predicted[i] for i in ids)
    true_sizes = Counter(truth[i] for i in ids)
    predicted_pairs = sum(_pairs(n) for n in predicted_sizes.values())
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    correct = sum(_pairs(n) for n in cells.values())

    # F1 as 2TP / (2TP + FP + FN): defined whenever either side has a pair (0 when they share none),
    # undefined only when neither has one (the convention of scikit-learn's f1_score).
    total = _pairs(len(ids))
    expected = predicted_pairs * true_pairs / total if total else 0.0
    ceiling = (predicted_pairs + true_pairs) / 2
    # The ARI's denominator is zero when both partitions are all singletons or both one cluster.
    ari = (correct - expected) / (ceiling - expected) if total and ceiling != expected else None

    bcubed_precision = _ratio(sum(n * n / predicted_sizes[p] for (p, _), n in cells.items()), len(ids))
    bcubed_recall = _ratio(sum(n * n / true_sizes[t] for (_, t), n in cells.items()), len(ids))
    return Scores(
        articles=len(ids), predicted_clusters=len(predicted_sizes), true_clusters=len(true_sizes),
        predicted_pairs=predicted_pairs, true_pairs=true_pairs, correct_pairs=correct,
        pairwise_precision=_ratio(correct, predicted_pairs), pairwise_recall=_ratio(correct, true_pairs),
        pairwise_f1=_ratio(2 * correct, predicted_pairs + true_pairs),
        adjusted_rand_index=ari, bcubed_precision=bcubed_precision, bcubed_recall=bcubed_recall,
        bcubed_f1=_harmonic(bcubed_precision, bcubed_recall),
    )


# Below this share of the labelled ids (or of the input articles) scored, the report says so.
MIN_SHARE_SCORED = 0.5


def coverage_notes(scores: Scores, inputs: int, labelled: int, example_input_id: str | None = None) -> list[str]:
    """Sentences for the report when too little was scored to trust, or a figure is undefined."""
    if scores.articles == 0:
        hint = f" (check that the labels use the input's ids, such as {example_input_id!r})" \
            if example_input_id else ""
        return [f"nothing was scored: none of the {labelled} labelled ids is among the {inputs} input articles"
                + hint]
    notes = []
    if scores.articles < MIN_SHARE_SCORED * labelled:
        notes.append(f"only {scores.articles} of the {labelled} labelled ids are in the input: "
                     "the figures describe those alone (the others are listed as missing)")
    if scores.articles < MIN_SHARE_SCORED * inputs:
        notes.append(f"only {scores.articles} of the {inputs} input articles have a label: "
                     "the figures describe those alone (the others are listed as unlabelled)")
    for name, reason in undefined_figures(scores).items():
        notes.append(f"{name} is undefined: {reason}")
    return notes


def undefined_figures(scores: Scores) -> dict[str, str]:
    """The pairwise and ARI figures that measure nothing here, each with the reason."""
    undefined = {}
    if scores.pairwise_precision is None:
        undefined["pairwise precision"] = "no pair of copies was predicted"
    if scores.pairwise_recall is None:
        undefined["pairwise recall"] = "the labels hold no pair of copies among the scored articles"
    if scores.pairwise_f1 is None:
        undefined["pairwise F1"] = "no pair of copies is labelled and none was predicted"
    if scores.adjusted_rand_index is None:
        undefined["ARI"] = ("fewer than two articles were scored" if scores.articles < 2 else
                            "both the labels and the clusters put every article alone, or all in one cluster")
    return undefined


@dataclass(frozen=True)
class PairError:
    """Two articles the clustering got wrong: merged though different, or apart though one story."""

    kind: str  # "false merge" or "missed pair"
    left: str
    right: str
    left_title: str | None
    right_title: str | None
    similarity: float
    containment: float


@dataclass(frozen=True)
class Evaluation:
    scores: Scores
    false_merges: tuple[PairError, ...]
    missed_pairs: tuple[PairError, ...]
    unlabelled: tuple[str, ...]  # in the input, not in the labels
    missing: tuple[str, ...]  # in the labels, not in the input (or skipped)
    notes: tuple[str, ...] = ()  # too little scored, or figures undefined: said in the report


def evaluate(result: Result, truth: dict[str, str], config: Config, worst: int = 10) -> Evaluation:
    """Score ``result`` against ``truth`` and list the worst false merges and missed pairs.

    Missed pairs are compared afresh, so ``result`` should come from a run with ``keep_bodies``.
    """
    predicted: dict[str, int] = {}
    merges = []
    for cluster in result.clusters:  # a run's clusters are made as read: keep ids, not Documents
        canonical_label = truth.get(cluster.canonical)
        for number, member in enumerate(cluster.members):
            predicted[member.document.id] = cluster.id
            label = truth.get(member.document.id)
            if number and canonical_label is not None and label is not None and label != canonical_label:
                merges.append(PairError("false merge", cluster.canonical, member.document.id,
                                        cluster.members[0].document.title, member.document.title,
                                        member.similarity, member.containment))
    scores = score(predicted, truth)

    parts: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for article_id, label in truth.items():
        if article_id in predicted:
            parts[label][predicted[article_id]].append(article_id)
    split_pairs: list[tuple[str, str]] = []
    for label in sorted(parts):
        pieces = sorted(parts[label].values(), key=lambda ids: (-len(ids), sorted(ids)))
        anchor = sorted(pieces[0])[0]
        split_pairs.extend((anchor, sorted(piece)[0]) for piece in pieces[1:])
    wanted = {article_id for pair in split_pairs for article_id in pair}
    documents = {member.document.id: member.document for cluster in result.clusters for member in cluster.members
                 if member.document.id in wanted}
    fingerprints: dict[str, bytes] = {}  # NDF2, made when a missed pair needs them

    def pair_error(kind: str, left: str, right: str) -> PairError:
        """Compare two articles afresh (they are in different clusters); needs their bodies."""
        if not (documents[left].body and documents[right].body):
            return PairError(kind, left, right, documents[left].title, documents[right].title, 0.0, 0.0)
        for article_id in (left, right):
            if article_id not in fingerprints:
                fingerprints[article_id] = _core.fingerprint_batch([documents[article_id].body],
                                                                   *core_arguments(config.fingerprint), 1)[0]
        pair = _core.FingerprintStore()
        pair.append_batch([fingerprints[left], fingerprints[right]])
        [(similarity, containment)] = compare_pairs(pair, [(0, 1)])
        return PairError(kind, left, right, documents[left].title, documents[right].title, similarity, containment)

    missed = [pair_error("missed pair", left, right) for left, right in split_pairs]

    order = lambda error: (-error.similarity, error.left, error.right)  # noqa: E731
    return Evaluation(
        scores=scores,
        false_merges=tuple(sorted(merges, key=order)[:worst]),
        missed_pairs=tuple(sorted(missed, key=order)[:worst]),
        unlabelled=tuple(sorted(set(predicted) - set(truth))),
        missing=tuple(sorted(set(truth) - set(predicted))),
        notes=tuple(coverage_notes(scores, len(predicted), len(truth), min(predicted, default=None))),
    )
