"""Compare a clustering with a report saved earlier: which articles moved, which canonical changed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import LabelsError
from .report import SCHEMA_VERSION

# Reports whose clusters and skipped inputs read as this version's: schema 3 only added each
# duplicate's ``changes``, so a golden report saved by an older newsdedup still serves ``check``.
READABLE_SCHEMAS = (2, SCHEMA_VERSION)


@dataclass(frozen=True)
class Change:
    kind: str  # "moved", "canonical changed", "new article", "missing article", "skipped changed"
    article: str
    expected: str
    actual: str


def read_report(path: str | Path) -> dict[str, Any]:
    """A JSON report written by ``newsdedup cluster --format json``."""
    path = Path(path)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LabelsError(f"{path}: golden report not found (create it with --update)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LabelsError(f"{path}: not a JSON report ({error})") from None
    if not isinstance(report, dict) or "clusters" not in report:
        raise LabelsError(f"{path}: not a newsdedup report (no 'clusters' key)")
    if report.get("schema_version") not in READABLE_SCHEMAS:
        raise LabelsError(
            f"{path}: schema_version {report.get('schema_version')!r}, this newsdedup reads "
            f"{' and '.join(map(str, READABLE_SCHEMAS))}; regenerate it with --update"
        )
    return report


def _groups(report: dict[str, Any]) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    mates, canonical = {}, {}
    for cluster in report["clusters"]:
        members = frozenset(member["id"] for member in cluster["members"])
        for article_id in members:
            mates[article_id] = members
            canonical[article_id] = cluster["canonical"]
    return mates, canonical


def _describe(members: frozenset[str], canonical: str) -> str:
    others = sorted(members - {canonical})
    return f"with canonical {canonical}" + (f" and {', '.join(others)}" if others else "") if len(members) > 1 \
        else "alone"


def compare_reports(expected: dict[str, Any], actual: dict[str, Any]) -> list[Change]:
    """Every difference in membership, canonical choice and skipped inputs; empty when equal."""
    expected_mates, expected_canonical = _groups(expected)
    actual_mates, actual_canonical = _groups(actual)
    changes: list[Change] = []
    for article_id in sorted(set(expected_mates) | set(actual_mates)):
        if article_id not in actual_mates:
            changes.append(Change("missing article", article_id, "clustered", "absent or skipped"))
        elif article_id not in expected_mates:
            changes.append(Change("new article", article_id, "absent or skipped", "clustered"))
        elif expected_mates[article_id] != actual_mates[article_id]:
            changes.append(Change(
                "moved", article_id,
                _describe(expected_mates[article_id], expected_canonical[article_id]),
                _describe(actual_mates[article_id], actual_canonical[article_id]),
            ))
        elif expected_canonical[article_id] != actual_canonical[article_id] and \
                article_id == expected_canonical[article_id]:
            changes.append(Change("canonical changed", article_id,
                                  f"canonical {expected_canonical[article_id]}",
                                  f"canonical {actual_canonical[article_id]}"))
    expected_skipped = {item["path"]: item["reason"] for item in expected.get("skipped", [])}
    actual_skipped = {item["path"]: item["reason"] for item in actual.get("skipped", [])}
    for path in sorted(set(expected_skipped) | set(actual_skipped)):
        if expected_skipped.get(path) != actual_skipped.get(path):
            changes.append(Change("skipped changed", path, expected_skipped.get(path) or "not skipped",
                                  actual_skipped.get(path) or "not skipped"))
    return changes
