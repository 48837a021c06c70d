"""The HTML report: one self-contained page (inline CSS and JS, no network) a person browses.

The run goes into the page as JSON in a ``<script type="application/json">`` element, and the
page's script (``html/report.js``) draws a page of clusters at a time, a copy's diff only when
it is opened: a 100,000-article run stays usable. To keep the file small, a cluster's canonical
body is stored once and each copy as the pieces of its diff, the canonical's text referenced by
offsets (see ``_diff_pieces``); single articles are rows without bodies.

Article text is hostile: every string reaches the page either JSON-escaped inside the data
element (``<`` escaped, so nothing closes it) or HTML-escaped, and the script only ever puts
it in text nodes. A Content-Security-Policy lets no script but the page's own run and no
request leave the page. Same run, same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from importlib import resources
from typing import Any, TextIO

import orjson

from . import __version__
from .changes import Changes, Piece, body_diff
from .models import Cluster, Member, Result
from .report import SCHEMA_VERSION, stats

# A piece of a copy's diff in the page's data: its kind as one character.
PIECE_CODES = {"kept": "=", "cut": "-", "added": "+", "changed": "~"}

# What JSON leaves raw that must not reach a script element or a UTF-8 file as it is: "<" (which
# could start "</script" or "<!--"), the line separators older script parsers end lines at, and
# lone surrogates (no UTF-8 for them).
_UNSAFE_IN_SCRIPT = re.compile("[<\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("html").joinpath(name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe as the text of a script element and encodes as UTF-8.

    orjson writes it (several times faster); it refuses lone surrogates, which json then writes raw
    for the escaping below."""
    try:
        text = orjson.dumps(value).decode("utf-8")
    except orjson.JSONEncodeError:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _UNSAFE_IN_SCRIPT.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _text(value: object) -> str:
    """``value`` as HTML text: escaped, lone surrogates shown as ``\\udc80`` (they have no UTF-8)."""
    return html.escape(_SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", str(value)))


def _hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


class _Utf16:
    """Offsets in a text as JavaScript counts them (UTF-16 units), from Python's (code points)."""

    def __init__(self, text: str) -> None:
        self.astral = [found.start() for found in _ASTRAL.finditer(text)]

    def __call__(self, offset: int) -> int:
        return offset + bisect_left(self.astral, offset) if self.astral else offset


def _diff_pieces(canonical: str, pieces: Sequence[Piece]) -> list[list[Any]]:
    """A copy's diff for the page, its pieces pointing into the canonical (offsets in UTF-16 units):

    - ``["=", start, end]``: kept, worded as ``canonical[start:end]``; ``["=", start, end, head,
      middle, tail]``: kept, spaced or punctuated a little differently: the copy's text is the
      canonical's first ``head`` units of it, ``middle``, and its last ``tail`` units;
    - ``["-", start, end]``: cut; ``["~", start, end, copy_text]``: changed; ``["+", copy_text]``: added.

    A canonical text not found in order (the pieces tile the canonical, so never in a run) is
    stored as text: ``["=", copy_text]``, ``["-", canonical_text]``, ``["~", canonical_text, copy_text]``.
    """
    units = _Utf16(canonical)
    cursor = 0
    encoded: list[list[Any]] = []
    for piece in pieces:
        code = PIECE_CODES[piece.kind]
        found = canonical.find(piece.canonical, cursor) if piece.canonical else -1
        if piece.kind == "added":
            encoded.append([code, piece.copy])
        elif found < 0:
            text = piece.copy if piece.kind == "kept" else piece.canonical
            encoded.append([code, text, piece.copy] if piece.kind == "changed" else [code, text])
        else:
            cursor = found + len(piece.canonical)
            reference: list[Any] = [code, units(found), units(cursor)]
            if piece.kind == "changed":
                reference.append(piece.copy)
            elif piece.kind == "kept" and piece.copy != piece.canonical:
                head, tail = _common_ends(piece.canonical, piece.copy)
                reference += [units(found + head) - units(found), piece.copy[head:len(piece.copy) - tail],
                              units(cursor) - units(cursor - tail)]
            encoded.append(reference)
    return encoded


def _common_ends(first: str, second: str) -> tuple[int, int]:
    """How many characters two texts share at their start, and then at their end.

    Binary searches over slice comparisons (each a memory compare): a kept passage of a
    long story differs from its copy's at a few spaces or quotes, often only at one end."""
    shortest = min(len(first), len(second))
    low, high = 0, shortest
    while low < high:
        middle = (low + high + 1) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle - 1
    head = low
    low, high = 0, shortest - head
    while low < high:
        middle = (low + high + 1) // 2
        if first[len(first) - middle:] == second[len(second) - middle:]:
            low = middle
        else:
            high = middle - 1
    return head, low


def _changes(changes: Changes) -> dict[str, Any]:
    return {
        "label": changes.label(),
        "words": [changes.words_kept, changes.words_cut, changes.words_added],
        "passages": [changes.passages_kept, changes.passages_cut, changes.passages_added],
        "substitution_count": changes.substitution_count,
        "substitutions": [[item.before, item.after, item.figure, item.name] for item in changes.substitutions],
        "headline_differs": changes.headline_differs,
    }


def _member(member: Member, canonical: Member | None, text: Callable[[str], str]) -> dict[str, Any]:
    """A member of a cluster with copies; a copy (``canonical`` given) with its changes and its diff
    against the canonical (of their bodies as ``text`` gives them)."""
    document = member.document
    value: dict[str, Any] = {
        "id": document.id, "title": document.title, "source": document.source, "published": document.published,
        "path": document.path, "url": document.url, "byline": document.byline, "dateline": document.dateline,
        "wire": None if document.wire_credit is None else document.wire_credit.agency,
        "chars": document.body_chars,
    }
    if canonical is not None:
        value["similarity"] = round(member.similarity, 4)
        value["containment"] = round(member.containment, 4)
        if member.changes is not None:
            value["changes"] = _changes(member.changes)
        if _has_body(canonical) and _has_body(member):
            canonical_body = text(canonical.document.body)
            value["diff"] = _diff_pieces(canonical_body, body_diff(canonical_body, text(document.body)))
    return value


def _has_body(member: Member) -> bool:
    """Whether the run kept the body (a run without ``keep_bodies`` leaves it empty)."""
    return bool(member.document.body) or member.document.body_chars == 0


def _cluster(cluster: Cluster) -> dict[str, Any]:
    """A cluster with copies. A run's bodies are valid Unicode; a body made by hand may hold a lone
    surrogate, which the core's alignment cannot read: that cluster's bodies show it as U+FFFD (as
    a browser shows one), and the rest of the page is as it is."""
    try:
        return _cluster_with(cluster, str)
    except UnicodeEncodeError:
        return _cluster_with(cluster, lambda body: _SURROGATE.sub("\ufffd", body))


def _cluster_with(cluster: Cluster, text: Callable[[str], str]) -> dict[str, Any]:
    canonical = cluster.members[0]
    return {
        "number": cluster.id,
        "reasons": [[reason.criterion, reason.detail, reason.decisive] for reason in cluster.canonical_reasons],
        "body": text(canonical.document.body) if _has_body(canonical) else None,
        "members": [_member(canonical, None, text),
                    *(_member(member, canonical, text) for member in cluster.members[1:])],
    }


def _single(cluster: Cluster) -> list[Any]:
    document = cluster.members[0].document
    return [cluster.id, document.id, document.title, document.source, document.published, document.path]


def _data_chunks(result: Result, workers: int) -> Iterator[str]:
    """The page's data, a few clusters at a time: ``{"clusters": [...], "singles": [...], "skipped": [...]}``
    (clusters come largest first, so every cluster with copies comes before the single articles).

    The clusters with copies are encoded on ``workers`` threads (the core aligns two bodies with
    the GIL released), in order."""
    yield '{"clusters":['
    opening = ""
    singles: list[list[Any]] = []
    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
        encode = pool.map if pool is not None else map
        for batch in _batches(result.clusters, singles):
            chunk = ",".join(encode(_cluster_json, batch))
            yield opening + chunk
            opening = ","
    yield '],"singles":' + script_json(singles)
    yield ',"skipped":' + script_json([[item.path, item.reason] for item in result.skipped]) + "}"


# Clusters with copies encoded together: enough to keep the threads busy, few enough to stream.
_BATCH = 256


def _batches(clusters: Iterable[Cluster], singles: list[list[Any]]) -> Iterator[list[Cluster]]:
    """The clusters with copies in runs of _BATCH; each single article's row goes to ``singles``."""
    batch: list[Cluster] = []
    for cluster in clusters:
        if cluster.size > 1:
            batch.append(cluster)
            if len(batch) == _BATCH:
                yield batch
                batch = []
        else:
            singles.append(_single(cluster))
    if batch:
        yield batch


def _cluster_json(cluster: Cluster) -> str:
    return script_json(_cluster(cluster))


def _setting_rows(config: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """Each setting as (``section.key``, its value as JSON)."""
    for key, value in config.items():
        if isinstance(value, dict) and value:
            yield from _setting_rows(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", json.dumps(value, ensure_ascii=False)


def _run_section(result: Result) -> str:
    """The run's figures and settings, as HTML (they need no script)."""
    figures = stats(result)
    names = {"articles": "Articles", "clusters": "Clusters", "duplicate_clusters": "Clusters with copies",
             "duplicates": "Duplicates", "skipped": "Skipped inputs"}
    rows = "".join(f"<div><dt>{names[key]}</dt><dd>{value:,}</dd></div>" for key, value in figures.items())
    settings = "".join(f"<tr><th scope=\"row\">{_text(key)}</th><td>{_text(value)}</td></tr>"
                       for key, value in _setting_rows(result.config))
    return (f"<section aria-labelledby=\"run-heading\"><h2 id=\"run-heading\">The run</h2>"
            f"<dl class=\"figures\">{rows}</dl>"
            f"<p class=\"tool\">newsdedup {_text(__version__)}, report schema {SCHEMA_VERSION}</p>"
            "<details class=\"settings\"><summary>Settings</summary><div class=\"table-scroll\"><table>"
            f"<thead><tr><th scope=\"col\">Setting</th><th scope=\"col\">Value</th></tr></thead>"
            f"<tbody>{settings}</tbody></table></div></details></section>")


def write_html(result: Result, stream: TextIO, workers: int = 1) -> None:
    """Write the HTML report of ``result`` to ``stream``, a few clusters at a time; the copies'
    diffs are made on ``workers`` threads (the bytes are the same for any number).

    The diffs need the bodies (``cluster_articles(..., keep_bodies=True)``); without them the
    page lists the clusters and their changes but shows no text.
    """
    figures = stats(result)
    style, script = _asset("report.css"), _asset("report.js")
    policy = (f"default-src 'none'; style-src '{_hash(style)}'; script-src '{_hash(script)}'; "
              "img-src data:; base-uri 'none'; form-action 'none'")
    title = (f"newsdedup: {figures['articles']:,} articles, {figures['duplicate_clusters']:,} clusters with copies")
    stream.write(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<link rel=\"icon\" href=\"data:,\">\n"  # no request for a favicon.ico beside the file
        f"<title>{_text(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        "<a class=\"skip\" href=\"#search\">Skip to the search</a>\n"
        f"<header><h1>newsdedup report</h1><p class=\"summary\">{_text(_summary(figures))}</p></header>\n"
        "<main>\n"
        "<noscript><p>This page needs JavaScript to list the clusters; the figures and settings are below.</p>"
        "</noscript>\n"
        "<div id=\"app\"></div>\n"
        f"{_run_section(result)}\n</main>\n"
        "<script type=\"application/json\" id=\"report-data\">"
    )
    for chunk in _data_chunks(result, workers):
        stream.write(chunk)
    stream.write(f"</script>\n<script>{script}</script>\n</body>\n</html>\n")


def _summary(figures: dict[str, int]) -> str:
    return (f"{figures['articles']:,} articles in {figures['clusters']:,} clusters: "
            f"{figures['duplicate_clusters']:,} with copies ({figures['duplicates']:,} duplicates), "
            f"{figures['skipped']:,} inputs skipped.")
