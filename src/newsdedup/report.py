"""Render a Result as table, json, jsonl or csv text. Pure functions: the CLI writes them.

The JSON document is documented in docs/schema.md; bump SCHEMA_VERSION on any change.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from rich.cells import cell_len

from . import __version__
from .jsontext import flat_lines, nested_items, plain_float
from .models import Changes, Cluster, ClusterTable, Document, IndexReport, Member, Result, Verdict
from .terminal import Column, Row, cut, table_lines, visible, wrap

if TYPE_CHECKING:
    from .drift import Change
    from .evaluate import Evaluation, PairError
    from .explain import Explanation, Test

SCHEMA_VERSION = 3
FORMATS = ("table", "json", "jsonl", "csv")
# One JSON Lines record per article; ``cluster`` is the canonical id, as in ``index add``.
LINE_FIELDS = (
    "id", "cluster", "cluster_number", "cluster_size", "is_canonical", "similarity", "containment", "changes",
    "path", "title", "source", "published",
)
# CSV has the JSON Lines fields, ``changes`` as its short label (Changes.label).
CSV_COLUMNS = (*("changed" if field == "changes" else field for field in LINE_FIELDS), "skipped")


def _score(value: float) -> float:
    """``round(value, 4)``, twice as fast for a score in (0, 1]: a million articles round three million.

    ``value * 10000`` is within 2**-40 of the exact product there, so when it is not near a
    half, the integer nearest it is the four-decimal rounding, and dividing that by 10000 (one
    correctly rounded operation) gives the same double as ``round``'s decimal string read back.
    """
    if type(value) is float and 0.0 < value <= 1.0:
        if value == 1.0:  # every canonical article's scores
            return value
        scaled = value * 10000.0
        nearest = round(scaled)
        if abs(scaled - nearest) < 0.49:
            return nearest / 10000.0
    return round(value, 4)


def _member(member: Member) -> dict[str, Any]:
    document = member.document
    credit = document.wire_credit
    return {
        "id": document.id,
        "path": document.path,
        "title": document.title,
        "source": document.source,
        "published": document.published,
        "published_ambiguous": document.published_ambiguous,
        "url": document.url,
        "byline": document.byline,
        "dateline": document.dateline,
        "wire_credit": None if credit is None else {
            "agency": credit.agency, "kind": credit.kind, "evidence": credit.evidence,
        },
        "role": member.role,
        "similarity": _score(member.similarity),
        "containment": _score(member.containment),
        "changes": _changes(member.changes),
        "body_chars": document.body_chars,
        "boilerplate_share": _score(document.boilerplate_share),
        "encoding": document.encoding,
    }


def _changes(changes: Changes | None) -> dict[str, Any] | None:
    if changes is None:
        return None
    return {
        "words_kept": changes.words_kept,
        "words_cut": changes.words_cut,
        "words_added": changes.words_added,
        "passages_kept": changes.passages_kept,
        "passages_cut": changes.passages_cut,
        "passages_added": changes.passages_added,
        "substitution_count": changes.substitution_count,
        "substitutions": [{"before": edit.before, "after": edit.after, "figure": edit.figure, "name": edit.name}
                          for edit in changes.substitutions],
        "headline_differs": changes.headline_differs,
    }


def _cluster(cluster: Cluster) -> dict[str, Any]:
    return {
        "id": cluster.id,
        "size": cluster.size,
        "canonical": cluster.canonical,
        "canonical_reasons": [
            {"criterion": reason.criterion, "detail": reason.detail, "decisive": reason.decisive}
            for reason in cluster.canonical_reasons
        ],
        "members": [_member(member) for member in cluster.members],
    }


def stats(result: Result) -> dict[str, int]:
    return {
        "articles": result.article_count,
        "clusters": len(result.clusters),
        "duplicate_clusters": result.duplicate_clusters,
        "duplicates": result.duplicate_count,
        "skipped": len(result.skipped),
    }


def to_document(result: Result) -> dict[str, Any]:
    """The JSON report as a dict, keys in their documented order (schema_version first)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "newsdedup", "version": __version__},
        "config": result.config,
        "stats": stats(result),
        "clusters": [_cluster(cluster) for cluster in result.clusters],
        "skipped": [{"path": item.path, "reason": item.reason} for item in result.skipped],
    }


# Where the clusters go in the indented document: only top-level keys are indented two spaces
# (strings escape their line breaks), so this occurs once whatever the config and skipped hold.
_CLUSTERS_KEY = '\n  "clusters": '


def write_json(result: Result, stream: TextIO) -> None:
    """The JSON report, written a cluster at a time: the same bytes as ``json.dumps(to_document(...))``.

    A million-article report as one dict and one string would take gigabytes; each
    cluster is encoded alone (by orjson, see jsontext) and indented to its place (two
    levels: four spaces). The outline around the clusters is the standard library's.
    """
    outline = {**to_document(Result(clusters=(), skipped=result.skipped, config=result.config)),
               "stats": stats(result)}
    head, tail = json.dumps(outline, ensure_ascii=False, indent=2).split(_CLUSTERS_KEY + "[]")
    stream.write(head + _CLUSTERS_KEY)
    opening = "["
    for chunk in _cluster_chunks(result.clusters):
        stream.write(opening + chunk)
        opening = ","
    stream.write("\n  ]" if opening == "," else "[]")
    stream.write(tail + "\n")


def _cluster_chunks(clusters: Sequence[Cluster]) -> Iterator[str]:
    """The clusters' text for ``write_json``, in chunks (``jsontext.nested_items``'s form).

    A run's ClusterTable is written by the core from its document table, a span of clusters at
    a time, with no Python object per article; a span the core turns down (lone surrogates, an
    odd float) and clusters given as a tuple go through ``_cluster`` dicts.
    """
    if not isinstance(clusters, ClusterTable):
        yield from _python_chunks(clusters)
        return
    from . import _core

    for span in clusters.spans():
        reasons = [(offset, [(reason.criterion, reason.detail, reason.decisive) for reason in found])
                   for offset, found in span.reasons]
        text = _core.clusters_json(clusters.documents, span.numbers.start + 1, span.positions, span.bounds,
                                   span.similarity, span.containment, reasons, clusters.changes)
        if text is not None:
            yield text
        else:
            yield ",".join(_python_chunks(clusters[span.numbers.start:span.numbers.stop]))


def _python_chunks(clusters: Iterable[Cluster]) -> Iterator[str]:
    return nested_items((value, _plain_cluster(value)) for value in map(_cluster, clusters))


def _plain_cluster(value: dict[str, Any]) -> bool:
    """Whether every float of a ``_cluster`` dict (its members' scores) is one orjson writes as ``repr``."""
    return all(plain_float(member["similarity"]) and plain_float(member["containment"])
               and plain_float(member["boilerplate_share"]) for member in value["members"])


def render_json(result: Result) -> str:
    buffer = io.StringIO()
    write_json(result, buffer)
    return buffer.getvalue()


def _article_rows(result: Result) -> Iterator[tuple[Cluster, Member]]:
    for cluster in result.clusters:
        for member in cluster.members:
            yield cluster, member


def _article_line(cluster: Cluster, member: Member) -> dict[str, Any]:
    """An article's JSON Lines record (and CSV row): the fields of LINE_FIELDS, in that order."""
    document = member.document
    return {
        "id": document.id,
        "cluster": cluster.canonical,
        "cluster_number": cluster.id,
        "cluster_size": cluster.size,
        "is_canonical": member.role == "canonical",
        "similarity": _score(member.similarity),
        "containment": _score(member.containment),
        "changes": _changes(member.changes),
        "path": document.path,
        "title": document.title,
        "source": document.source,
        "published": document.published,
    }


def write_jsonl(result: Result, stream: TextIO) -> None:
    """One line per input: clustered articles, then skipped inputs (with ``skipped`` set).

    Each line is ``json.dumps(record, ensure_ascii=False)``: written by the core for a run's
    ClusterTable (as ``write_json``'s clusters), else made by orjson (see jsontext).
    """
    clusters = result.clusters
    if isinstance(clusters, ClusterTable):
        from . import _core

        for span in clusters.spans():
            text = _core.clusters_jsonl(clusters.documents, span.numbers.start + 1, span.positions, span.bounds,
                                        span.similarity, span.containment, clusters.changes)
            stream.write(text if text is not None else
                         "".join(flat_lines(_line_records(clusters[span.numbers.start:span.numbers.stop]))))
    else:
        for chunk in flat_lines(_line_records(clusters)):
            stream.write(chunk)
    for chunk in flat_lines(({"id": None, "cluster": None, "path": item.path, "skipped": item.reason}, True)
                            for item in result.skipped):
        stream.write(chunk)


def _line_records(clusters: Iterable[Cluster]) -> Iterator[tuple[dict[str, Any], bool]]:
    """Each clustered article's JSON Lines record, with whether orjson's flat lines may write it (its
    floats, the scores, are ones it writes as ``repr``, and it has no nested ``changes``)."""
    for cluster in clusters:
        for member in cluster.members:
            line = _article_line(cluster, member)
            # jsontext's flat lines hold no nested value: a record with changes goes the standard way.
            yield line, plain_float(line["similarity"]) and plain_float(line["containment"]) \
                and line["changes"] is None


def _csv_value(value: str | float | None) -> str | float:
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else value


def _csv_row(cluster: Cluster, member: Member) -> list[str | float]:
    line = _article_line(cluster, member)
    line["changes"] = "" if member.changes is None else member.changes.label()
    return [*map(_csv_value, line.values()), ""]


def write_csv(result: Result, stream: TextIO) -> None:
    """The JSON Lines fields as columns (``changes`` as its short label, ``changed``), plus ``skipped``;
    empty cells for null."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(cluster, member) for cluster, member in _article_rows(result))
    writer.writerows([item.path if key == "path" else "" for key in LINE_FIELDS] + [item.reason]
                     for item in result.skipped)


CLUSTER_COLUMNS = (
    Column("#", right=True),
    Column("article"),
    Column("role"),
    Column("sim", right=True, drop=1),
    Column("cont", right=True, drop=1),
    Column("changed", flexible=True, minimum=9, drop=2),
    Column("source", flexible=True, minimum=10, drop=3),
    Column("published", drop=4),
    Column("title", flexible=True, minimum=30),
)


class _Screen:
    """Writes a human-readable report: table lines as they are, sentences wrapped at ``width``.

    Styles go through rich only with ``color`` (a terminal); otherwise lines are written
    directly, as a console call per line would cost more than the rest of the table.
    """

    def __init__(self, stream: TextIO, width: int | None, color: bool = False) -> None:
        self.stream, self.width, self.color = stream, width, color
        self.styled = _styled_printer(stream, width) if color else None

    def lines(self, lines: Iterable[tuple[str, str]]) -> None:
        for text, style in lines:
            if self.styled is not None:
                self.styled(text, style)
            else:
                self.stream.write(text + "\n")

    def say(self, sentence: str) -> None:
        """A sentence, its control characters escaped, wrapped at spaces to the width."""
        self.lines((line, "") for line in wrap(visible(sentence), self.width))


def _styled_printer(stream: TextIO, width: int | None) -> Callable[[str, str], None]:
    """Prints a line in a rich style; rich is imported here, not at start-up (only a terminal needs it)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, width=width or 100_000, color_system="standard", force_terminal=True,
                      highlight=False, markup=False, emoji=False)
    return lambda text, style: console.print(Text(text, style=style), soft_wrap=True)


def _screen_text(write: Callable[[TextIO], None]) -> str:
    """The text ``write(stream)`` writes, as a string."""
    buffer = io.StringIO()
    write(buffer)
    return buffer.getvalue()


def _member_row(cluster: Cluster, member: Member) -> Row:
    canonical = member.role == "canonical"
    reasons = cluster.canonical_reasons if canonical and cluster.size > 1 else ()
    document = member.document
    return Row(cells=(
        str(cluster.id) if canonical else "",
        document.id,
        ("★ canonical" if cluster.size > 1 else "alone") if canonical else "duplicate",
        "" if canonical else f"{member.similarity:.2f}",
        "" if canonical else f"{member.containment:.2f}",
        "" if member.changes is None else member.changes.label(),
        document.source,
        document.published,
        document.title,
    ), notes=tuple(f"  {'✓' if reason.decisive else '·'} {reason.detail}" for reason in reasons))


def write_table(result: Result, stream: TextIO, width: int | None = None, color: bool = False,
                singletons: bool = True) -> None:
    """A human-readable table, one line per article: clusters of copies first, the canonical
    starred with the reasons under it, then the counts and the skipped inputs.

    ``width`` None (a file, a pipe): nothing is cut. ``singletons`` False leaves out the
    clusters of one article (the caption says how many).
    """
    screen = _Screen(stream, width, color)
    shown = [cluster for cluster in result.clusters if singletons or cluster.size > 1]
    rows = [_member_row(cluster, member) for cluster in shown for member in cluster.members]
    if rows:
        screen.lines(table_lines(CLUSTER_COLUMNS, rows, width, note_column=1))
    summary = stats(result)
    screen.say(f"{summary['articles']} articles, {summary['clusters']} clusters ({summary['duplicate_clusters']} "
               f"with copies, {summary['duplicates']} duplicates), {summary['skipped']} skipped")
    hidden = len(result.clusters) - len(shown)
    if hidden:
        screen.say(f"{len(shown)} of {summary['clusters']} clusters shown: {hidden} single articles hidden "
                   "(--all shows them)")
    for item in result.skipped:
        screen.say(f"skipped {item.path}: {item.reason}")


def render_table(result: Result, width: int | None = None, color: bool = False, singletons: bool = True) -> str:
    """``write_table`` as a string."""
    return _screen_text(lambda stream: write_table(result, stream, width, color, singletons))


def write_report(result: Result, output_format: str, stream: TextIO, width: int | None = None,
                 color: bool = False, singletons: bool = True) -> None:
    """Write the report in ``output_format``; json, jsonl and csv go out a cluster at a time
    (and always hold every cluster: ``singletons`` is for the table)."""
    writers = {"json": write_json, "jsonl": write_jsonl, "csv": write_csv}
    if output_format in writers:
        writers[output_format](result, stream)
    else:
        write_table(result, stream, width=width, color=color, singletons=singletons)


def render(result: Result, output_format: str, width: int | None = None, color: bool = False,
           singletons: bool = True) -> str:
    buffer = io.StringIO()
    write_report(result, output_format, buffer, width=width, color=color, singletons=singletons)
    return buffer.getvalue()


def _header() -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "tool": {"name": "newsdedup", "version": __version__}}


def _pair_error(error: PairError) -> dict[str, Any]:
    return {
        "left": error.left, "right": error.right, "left_title": error.left_title,
        "right_title": error.right_title, "similarity": _score(error.similarity),
        "containment": _score(error.containment),
    }


def evaluation_document(evaluation: Evaluation, result: Result) -> dict[str, Any]:
    scores = {key: (_score(value) if isinstance(value, float) else value)
              for key, value in vars(evaluation.scores).items()}
    return {
        **_header(),
        "config": result.config,
        "scores": scores,
        "false_merges": [_pair_error(error) for error in evaluation.false_merges],
        "missed_pairs": [_pair_error(error) for error in evaluation.missed_pairs],
        "unlabelled": list(evaluation.unlabelled),
        "missing": list(evaluation.missing),
        "skipped": [{"path": item.path, "reason": item.reason} for item in result.skipped],
        "notes": list(evaluation.notes),
    }


def render_evaluation(evaluation: Evaluation, result: Result, output_format: str, width: int | None = None) -> str:
    document = evaluation_document(evaluation, result)
    if output_format == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output_format == "jsonl":
        return json.dumps(document, ensure_ascii=False) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["metric", "value"])
        writer.writerows(document["scores"].items())
        return buffer.getvalue()
    return _screen_text(lambda stream: _write_evaluation(evaluation, document, _Screen(stream, width)))


def _shown_score(value: object) -> str:
    """A figure as the eval table shows it: four decimals, or "undefined" when nothing could measure it."""
    if value is None:
        return "undefined"
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _write_evaluation(evaluation: Evaluation, document: dict[str, Any], screen: _Screen) -> None:
    for note in evaluation.notes:
        screen.say(f"note: {note}")
    screen.say("newsdedup eval")
    metrics = [Row(cells=(key.replace("_", " "), _shown_score(value))) for key, value in document["scores"].items()]
    screen.lines(table_lines((Column("metric"), Column("value", right=True)), metrics, screen.width))
    for title, errors in (("worst false merges", evaluation.false_merges), ("worst missed pairs", evaluation.missed_pairs)):
        screen.say(f"{title}: {len(errors) if errors else 'none'}")
        if errors:
            screen.lines(table_lines(PAIR_COLUMNS, [_pair_row(error) for error in errors], screen.width))
    for ids, what in ((evaluation.unlabelled, "input articles have no label (not scored)"),
                      (evaluation.missing, "labelled ids are not in the input or were skipped")):
        if ids:
            screen.say(f"{len(ids)} {what}: " + ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else ""))


PAIR_COLUMNS = (Column("left"), Column("right"), Column("sim", right=True), Column("cont", right=True))


def _pair_row(error: PairError) -> Row:
    """Two article ids and their scores, with their titles under them."""
    return Row(cells=(error.left, error.right, f"{error.similarity:.2f}", f"{error.containment:.2f}"),
               notes=(f"  {error.left_title or '(no title)'}", f"  {error.right_title or '(no title)'}"))


def render_drift(changes: Sequence[Change], golden: str, output_format: str, width: int | None = None) -> str:
    rows = [{"kind": c.kind, "article": c.article, "expected": c.expected, "actual": c.actual} for c in changes]
    if output_format == "json":
        return json.dumps({**_header(), "golden": golden, "equal": not changes, "changes": rows},
                          ensure_ascii=False, indent=2) + "\n"
    if output_format == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["kind", "article", "expected", "actual"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()
    if not changes:
        return f"no drift: the clusters and canonical choices match {visible(golden)}\n"
    table_rows = [Row(cells=(change.kind, change.article),
                      notes=(f"  was: {change.expected}", f"  now: {change.actual}")) for change in changes]

    def write(stream: TextIO) -> None:
        screen = _Screen(stream, width)
        screen.say(f"drift against {golden}: {len(changes)} change(s)")
        screen.lines(table_lines((Column("change"), Column("article")), table_rows, width, wrap_notes=True))
    return _screen_text(write)


VERDICT_COLUMNS = (
    "id", "status", "cluster", "cluster_size", "copy_of", "similarity", "containment", "path", "title", "skipped",
)


def _verdict(verdict: Verdict) -> dict[str, Any]:
    document = verdict.document
    return {
        "id": document.id,
        "status": verdict.status,
        "cluster": verdict.cluster,
        "cluster_size": verdict.cluster_size,
        "copies": [{"id": copy.id, "similarity": _score(copy.similarity), "containment": _score(copy.containment)}
                   for copy in verdict.copies],
        "path": document.path,
        "title": document.title,
        "source": document.source,
        "published": document.published,
    }


def index_counts(report: IndexReport) -> dict[str, int]:
    statuses = [verdict.status for verdict in report.verdicts]
    return {"articles": len(statuses), "new": statuses.count("new"), "copies": statuses.count("copy"),
            "already_indexed": statuses.count("indexed"), "skipped": len(report.skipped)}


def render_index_report(report: IndexReport, output_format: str, width: int | None = None) -> str:
    """What ``index add`` / ``index query`` found, one entry per input article, in input order."""
    skipped = [{"path": item.path, "reason": item.reason} for item in report.skipped]
    if output_format == "json":
        document = {**_header(), "index": report.index, "added": report.added, "config": report.config,
                    "stats": index_counts(report), "articles": [_verdict(v) for v in report.verdicts],
                    "skipped": skipped}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output_format == "jsonl":
        lines = [_verdict(verdict) for verdict in report.verdicts]
        lines += [{"id": None, "status": "skipped", "cluster": None, "path": item["path"], "skipped": item["reason"]}
                  for item in skipped]
        return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    rows: list[list[str]] = []
    for verdict in report.verdicts:
        best = verdict.copies[0] if verdict.copies else None
        rows.append([verdict.document.id, verdict.status, verdict.cluster or "", str(verdict.cluster_size),
                     best.id if best else "", f"{best.similarity:.4f}" if best else "",
                     f"{best.containment:.4f}" if best else "", verdict.document.path, verdict.document.title or "",
                     ""])
    rows += [["", "skipped", "", "", "", "", "", item["path"], "", item["reason"]] for item in skipped]
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(VERDICT_COLUMNS)
        writer.writerows(rows)
        return buffer.getvalue()
    counts = index_counts(report)
    verb = "added to" if report.added else "compared with"

    def write(stream: TextIO) -> None:
        screen = _Screen(stream, width)
        screen.say(f"newsdedup index {report.index}")
        if report.verdicts:
            screen.lines(table_lines(VERDICT_TABLE_COLUMNS, [_verdict_row(v) for v in report.verdicts], width))
        screen.say(f"{counts['articles']} articles {verb} the index: {counts['new']} new, {counts['copies']} copies, "
                   f"{counts['already_indexed']} already indexed, {counts['skipped']} skipped")
        for item in report.skipped:
            screen.say(f"skipped {item.path}: {item.reason}")
    return _screen_text(write)


# What `index add` answers comes first: the id, its status and its cluster; then, as the room
# allows, the title, the best copy, the cluster's size, the scores and the path.
VERDICT_TABLE_COLUMNS = (
    Column("id"),
    Column("status"),
    Column("cluster"),
    Column("size", right=True, drop=3),
    Column("copy of", drop=2),
    Column("sim", right=True, drop=4),
    Column("cont", right=True, drop=4),
    Column("path", flexible=True, minimum=12, drop=5),
    Column("title", flexible=True, minimum=20, drop=1),
)


def _verdict_row(verdict: Verdict) -> Row:
    best = verdict.copies[0] if verdict.copies else None
    return Row(cells=(
        verdict.document.id, verdict.status, verdict.cluster, str(verdict.cluster_size), best.id if best else "",
        f"{best.similarity:.2f}" if best else "", f"{best.containment:.2f}" if best else "", verdict.document.path,
        verdict.document.title,
    ))


def render_index_stats(summary: dict[str, Any], output_format: str, width: int | None = None) -> str:
    """``index stats``: counts, size and dates, with the settings in the JSON forms."""
    if output_format == "json":
        return json.dumps({**_header(), **summary}, ensure_ascii=False, indent=2) + "\n"
    if output_format == "jsonl":
        return json.dumps({**_header(), **summary}, ensure_ascii=False) + "\n"
    rows = [[key, "" if value is None else str(value)] for key, value in summary.items() if key != "settings"]
    if output_format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([["key", "value"], *rows])
        return buffer.getvalue()

    def write(stream: TextIO) -> None:
        screen = _Screen(stream, width)
        screen.say("newsdedup index stats")
        screen.lines(table_lines((Column("key"), Column("value", flexible=True, minimum=10)),
                                 [Row(cells=tuple(row)) for row in rows], width))
    return _screen_text(write)


# `newsdedup explain`: the pair's tests and the two texts side by side.
_PIECE_MARKS = {"kept": " ", "cut": "-", "added": "+", "changed": "~"}
_PIECE_STYLES = {"kept": "", "cut": "red", "added": "green", "changed": "yellow"}
# A pipe or a file gets the diff at this width; a terminal, at its own.
_EXPLAIN_WIDTH = 120


def explanation_document(explanation: Explanation) -> dict[str, Any]:
    """The JSON form of an explanation (schema ``explain``)."""
    def article(document: Document) -> dict[str, Any]:
        return {"id": document.id, "path": document.path, "title": document.title, "source": document.source,
                "published": document.published}

    candidacy, anchors = explanation.candidacy, explanation.anchors
    return {
        **_header(),
        "a": article(explanation.a),
        "b": article(explanation.b),
        "verdict": {"copies": explanation.copies, "failed": list(explanation.failed),
                    "same_cluster": explanation.same_cluster, "canonical": explanation.canonical},
        "similarity": _score(explanation.similarity),
        "tests": [{"name": test.name, "value": _score(test.value) if isinstance(test.value, float) else test.value,
                   "bound": test.bound, "passed": test.passed} for test in explanation.tests],
        "anchors": {"shorter": anchors.shorter, "opening_shared": anchors.opening_shared, "kept": list(anchors.kept),
                    "changed": list(anchors.changed), "outside": list(anchors.outside)},
        "candidates": {
            "bands": candidacy.bands, "shared_bands": list(candidacy.shared_bands), "by_bands": candidacy.by_bands,
            "probes_a_in_b": candidacy.probes_a_in_b, "probes_b_in_a": candidacy.probes_b_in_a,
            "probes_a": candidacy.probes_a, "probes_b": candidacy.probes_b,
            "hits_needed_a": candidacy.hits_needed_a, "hits_needed_b": candidacy.hits_needed_b,
            "by_containment": candidacy.by_containment,
        },
        "diff": {"left": explanation.left.id, "right": explanation.right.id,
                 "pieces": [{"kind": piece.kind, "left": piece.canonical, "right": piece.copy}
                            for piece in explanation.diff]},
    }


def render_explanation(explanation: Explanation, output_format: str, width: int | None = None,
                       color: bool = False) -> str:
    if output_format == "json":
        return json.dumps(explanation_document(explanation), ensure_ascii=False, indent=2) + "\n"
    return _screen_text(lambda stream: _write_explanation(explanation, _Screen(stream, width, color)))


def _bound(test: Test) -> str:
    if test.name == "days apart":
        return "no limit" if test.bound == 0 else f"at most {test.bound}"
    return f"at least {test.bound:.2f}" if isinstance(test.bound, float) else f"at least {test.bound}"


def _shown(value: float | int | None) -> str:
    if value is None:
        return "undated"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _write_explanation(explanation: Explanation, screen: _Screen) -> None:
    a, b = explanation.a, explanation.b
    if explanation.copies:
        verdict = "copies"
    else:
        verdict = "not copies: " + ", ".join(explanation.failed) + " failed"
    together = (f"in one cluster (canonical {explanation.canonical})" if explanation.same_cluster
                else "in different clusters")
    screen.say(f"{a.id} and {b.id}: {verdict}; the run put them {together}")
    if explanation.same_cluster and not explanation.copies:
        screen.say("  (a cluster joins articles through its canonical: each was verified against it, not "
                   "against each other)")
    for test in explanation.tests:
        screen.lines([(f"  {'✓' if test.passed else '✗'} {test.name:<17} {_shown(test.value):>7}  ({_bound(test)})",
                       "" if test.passed else "red")])
    anchors = explanation.anchors
    outside = "not counted: the two share the longer text's opening" if anchors.opening_shared else \
        "counted against: the two do not share the longer text's opening"
    screen.say(f"  numbers and names of the shorter text ({anchors.shorter}): {len(anchors.kept)} kept, "
               f"{len(anchors.changed)} changed or in a short passage of its own"
               + (f" ({', '.join(anchors.changed)})" if anchors.changed else "")
               + f"; {len(anchors.outside)} only in its own paragraphs"
               + (f" ({', '.join(anchors.outside[:12])}{' ...' if len(anchors.outside) > 12 else ''})"
                  if anchors.outside else "") + (f", {outside}" if anchors.outside else ""))
    screen.say(f"  similarity {_shown(explanation.similarity)}")
    candidacy = explanation.candidacy
    bands = (f"{len(candidacy.shared_bands)} of {candidacy.bands} MinHash bands shared"
             if candidacy.shared_bands else f"no MinHash band of {candidacy.bands} shared")
    containment = (f"{candidacy.probes_a_in_b} of {a.id}'s {candidacy.probes_a} sample probes in {b.id}'s sample "
                   f"(needs {candidacy.hits_needed_a:g}), {candidacy.probes_b_in_a} of {b.id}'s "
                   f"{candidacy.probes_b} in {a.id}'s (needs {candidacy.hits_needed_b:g})")
    found = [stage for stage, hit in (("the bands", candidacy.by_bands), ("the containment sample",
                                                                            candidacy.by_containment)) if hit]
    screen.say("  candidates: " + (f"found by {' and '.join(found)}" if found else "found by neither stage")
               + f": {bands}; {containment}")
    screen.say("")
    _write_side_by_side(explanation, screen)


def _write_side_by_side(explanation: Explanation, screen: _Screen) -> None:
    """Each piece of the diff as a row: the left text, the right text; - cut, + added, ~ changed."""
    width = screen.width or _EXPLAIN_WIDTH
    half = max((width - 5) // 2, 10)
    left, right = explanation.left, explanation.right
    screen.lines([(f"  {cut(f'{left.id} {visible(left.title)}', half)}".ljust(half + 2) + " │ "
                   + cut(f"{right.id} {visible(right.title)}", half), "bold")])
    for piece in explanation.diff:
        mark, style = _PIECE_MARKS[piece.kind], _PIECE_STYLES[piece.kind]
        left_lines, right_lines = _column(piece.canonical, half), _column(piece.copy, half)
        for number in range(max(len(left_lines), len(right_lines))):
            left_text = left_lines[number] if number < len(left_lines) else ""
            right_text = right_lines[number] if number < len(right_lines) else ""
            padding = " " * (half - cell_len(left_text))
            screen.lines([(f"{mark} {left_text}{padding} │ {right_text}".rstrip(), style)])


def _column(text: str, width: int) -> list[str]:
    """A piece's text wrapped to a column: its own line breaks kept, control characters shown escaped."""
    lines: list[str] = []
    for line in text.strip().split("\n"):
        lines.extend(cut(part, width) for part in wrap(visible(line.strip()), width))
    return lines if text.strip() else []
