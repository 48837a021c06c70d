"""Score a clustering against ground truth: pairwise, Adjusted Rand Index, B-cubed, and the worst errors.

Scores are computed from the contingency table of predicted and true clusters, so they
cost O(articles), not O(pairs). Only ids present in both the input and the labels are
scored; the others are reported, never silently dropped.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import LabelsError
from .fingerprint import fingerprint
from .models import Result
from .verify import compare

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
    articles: int
    predicted_clusters: int
    true_clusters: int
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    adjusted_rand_index: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(predicted: dict[str, object], truth: dict[str, str]) -> Scores:
    """Compare two partitions of the same ids (ids outside both are ignored)."""
    ids = sorted(set(predicted) & set(truth))
    cells = Counter((predicted[i], truth[i]) for i in ids)
    predicted_sizes = Counter(predicted[i] for i in ids)
    true_sizes = Counter(truth[i] for i in ids)
    predicted_pairs = sum(_pairs(n) for n in predicted_sizes.values())
    true_pairs = sum(_pairs(n) for n in true_sizes.values())
    correct = sum(_pairs(n) for n in cells.values())
    precision = correct / predicted_pairs if predicted_pairs else 1.0
    recall = correct / true_pairs if true_pairs else 1.0

    total = _pairs(len(ids))
    expected = predicted_pairs * true_pairs / total if total else 0.0
    ceiling = (predicted_pairs + true_pairs) / 2
    if ceiling == expected:
        ari = 1.0 if predicted_pairs == true_pairs == correct else 0.0
    else:
        ari = (correct - expected) / (ceiling - expected)

    if ids:
        bcubed_precision = sum(n * n / predicted_sizes[p] for (p, _), n in cells.items()) / len(ids)
        bcubed_recall = sum(n * n / true_sizes[t] for (_, t), n in cells.items()) / len(ids)
    else:
        bcubed_precision = bcubed_recall = 1.0
    return Scores(
        articles=len(ids), predicted_clusters=len(predicted_sizes), true_clusters=len(true_sizes),
        predicted_pairs=predicted_pairs, true_pairs=true_pairs, correct_pairs=correct,
        pairwise_precision=precision, pairwise_recall=recall, pairwise_f1=_f1(precision, recall),
        adjusted_rand_index=ari, bcubed_precision=bcubed_precision, bcubed_recall=bcubed_recall,
        bcubed_f1=_f1(bcubed_precision, bcubed_recall),
    )


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


def evaluate(result: Result, truth: dict[str, str], config: Config, worst: int = 10) -> Evaluation:
    """Score ``result`` against ``truth`` and list the worst false merges and missed pairs.

    Missed pairs are compared afresh, so ``result`` should come from a run with ``keep_bodies``.
    """
    predicted: dict[str, int] = {}
    documents = {}
    for cluster in result.clusters:
        for member in cluster.members:
            predicted[member.document.id] = cluster.id
            documents[member.document.id] = member.document
    scores = score(predicted, truth)

    fingerprints: dict[str, object] = {}

    def pair_error(kind: str, left: str, right: str) -> PairError:
        """Compare two articles afresh (they are in different clusters); needs their bodies."""
        if not (documents[left].body and documents[right].body):
            return PairError(kind, left, right, documents[left].title, documents[right].title, 0.0, 0.0)
        for article_id in (left, right):
            if article_id not in fingerprints:
                fingerprints[article_id] = fingerprint(documents[article_id], config.fingerprint)
        match = compare(0, 1, [fingerprints[left], fingerprints[right]])
        return PairError(kind, left, right, documents[left].title, documents[right].title,
                         match.similarity, match.containment)

    merges = []
    for cluster in result.clusters:
        canonical_label = truth.get(cluster.canonical)
        for member in cluster.members[1:]:
            label = truth.get(member.document.id)
            if canonical_label is not None and label is not None and label != canonical_label:
                merges.append(PairError("false merge", cluster.canonical, member.document.id,
                                        documents[cluster.canonical].title, member.document.title,
                                        member.similarity, member.containment))

    parts: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for article_id, label in truth.items():
        if article_id in predicted:
            parts[label][predicted[article_id]].append(article_id)
    split_pairs = []
    for label in sorted(parts):
        pieces = sorted(parts[label].values(), key=lambda ids: (-len(ids), sorted(ids)))
        anchor = sorted(pieces[0])[0]
        split_pairs.extend((anchor, sorted(piece)[0]) for piece in pieces[1:])
    missed = [pair_error("missed pair", left, right) for left, right in split_pairs]

    order = lambda error: (-error.similarity, error.left, error.right)  # noqa: E731
    return Evaluation(
        scores=scores,
        false_merges=tuple(sorted(merges, key=order)[:worst]),
        missed_pairs=tuple(sorted(missed, key=order)[:worst]),
        unlabelled=tuple(sorted(set(predicted) - set(truth))),
        missing=tuple(sorted(set(truth) - set(predicted))),
    )
