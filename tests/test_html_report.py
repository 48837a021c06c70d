"""The HTML report's file: its data, escaping, size and determinism (the page itself: tests/browser/)."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from click.testing import CliRunner

from html_pages import (
    HOSTILE, SEEDS, hostile_result, many_result, page, page_data, seeds_result, unspaced_result,
)
from newsdedup.changes import Piece, body_diff
from newsdedup.cli import main
from newsdedup.config import load_config
from newsdedup.html_report import _asset, _diff_pieces, script_json
from newsdedup.pipeline import cluster_articles


def test_script_json_reads_back_the_same_and_cannot_close_its_element():
    value = {"text": HOSTILE, "list": ["</SCRIPT >", "<!--", "\u2028"]}
    text = script_json(value)
    assert json.loads(text) == value
    assert "<" not in text and "\u2028" not in text and "\u2029" not in text
    assert not re.search("[\ud800-\udfff]", text)
    text.encode("utf-8")  # nothing without UTF-8 is left


def test_kept_and_cut_pieces_point_into_the_canonical_and_added_ones_carry_their_text():
    canonical = "One two three. Four five six. Seven eight."
    pieces = [Piece("kept", "One two ", "One two "), Piece("changed", "three.", "3."), Piece("kept", " Four five six.", " Four five six."),
              Piece("cut", " Seven eight.", ""), Piece("added", "", " Nine ten.")]
    encoded = _diff_pieces(canonical, pieces)
    assert encoded == [["=", 0, 8], ["~", 8, 14, "3."], ["=", 14, 29], ["-", 29, 42], ["+", " Nine ten."]]
    assert [canonical[start:end] for _, start, end, *_ in encoded[:4]] == [piece.canonical for piece in pieces[:4]]


def test_offsets_count_utf16_units_as_javascript_does():
    canonical = "\U0001f600 smile \U0001f600 again"
    encoded = _diff_pieces(canonical, [Piece("kept", "\U0001f600 smile ", "\U0001f600 smile "),
                                       Piece("cut", "\U0001f600 again", "")])
    # JavaScript's slice counts each emoji as two units.
    assert encoded == [["=", 0, 9], ["-", 9, 17]]
    units = canonical.encode("utf-16-le")
    assert units[0:18].decode("utf-16-le") == "\U0001f600 smile "


def test_a_kept_piece_worded_a_little_differently_stores_only_what_differs():
    canonical = "He said \U0001f600 \u201cno\u201d to the plan. Kursk region."
    pieces = [Piece("kept", "He said \U0001f600 \u201cno\u201d to the plan. ", "He said \U0001f600 \"no\" to the plan. "),
              Piece("kept", "Kursk region.", "Kursk region.\n\n"), Piece("added", "", "Added.")]
    encoded = _diff_pieces(canonical, pieces)
    # The emoji is two units: the first piece is 29 units long, and shares 11 at its start, 14 at its end.
    assert encoded == [["=", 0, 29, 11, '"no"', 14], ["=", 29, 42, 13, "\n\n", 0], ["+", "Added."]]
    assert _decoded(canonical, encoded) == ("".join(piece.canonical for piece in pieces),
                                            "".join(piece.copy for piece in pieces))


def _decoded(canonical: str, encoded: list) -> tuple[str, str]:
    """The canonical's and the copy's text from a page's pieces, sliced in UTF-16 units as the page's script does."""
    units = canonical.encode("utf-16-le", "surrogatepass")

    def part(start: int, end: int) -> str:
        return units[2 * start:2 * end].decode("utf-16-le", "surrogatepass")

    canonical_text, copy_text = [], []
    for code, *rest in encoded:
        if code == "+":
            copy_text.append(rest[0])
            continue
        if isinstance(rest[0], str):  # stored as text: the copy's when kept, else the canonical's (and the copy's)
            canonical_text.append(rest[0] if code != "=" else "")
            copy_text.append(rest[0] if code == "=" else rest[1] if code == "~" else "")
            continue
        whole = part(rest[0], rest[1])
        canonical_text.append(whole)
        if code == "~":
            copy_text.append(rest[2])
        elif code == "=":
            copy_text.append(whole if len(rest) == 2 else
                             part(rest[0], rest[0] + rest[2]) + rest[3] + part(rest[1] - rest[4], rest[1]))
    return "".join(canonical_text), "".join(copy_text)


def test_the_pages_pieces_give_back_both_bodies():
    for result in (seeds_result(), unspaced_result(), many_result(3)):
        for cluster in (cluster for cluster in result.clusters if cluster.size > 1):
            canonical = cluster.members[0].document.body
            for member in cluster.members[1:]:
                encoded = _diff_pieces(canonical, body_diff(canonical, member.document.body))
                assert _decoded(canonical, encoded) == (canonical, member.document.body)


def test_a_canonical_text_not_found_in_order_is_stored_as_text():
    encoded = _diff_pieces("abc def", [Piece("kept", "def", "def"), Piece("changed", "abc", "xyz")])
    assert encoded == [["=", 4, 7], ["~", "abc", "xyz"]]


def test_the_seeds_page_holds_every_article_once_and_each_copy_as_pieces_of_the_canonical():
    result = seeds_result()
    data = page_data(page(result))
    ids = [member["id"] for cluster in data["clusters"] for member in cluster["members"]]
    ids += [row[1] for row in data["singles"]]
    assert sorted(ids) == sorted(member.document.id for cluster in result.clusters for member in cluster.members)
    (cluster,) = data["clusters"]
    canonical = next(c for c in result.clusters if c.size > 1).members[0].document
    assert cluster["body"] == canonical.body
    for copy in cluster["members"][1:]:
        assert {piece[0] for piece in copy["diff"]} <= {"=", "-", "+", "~"}
        assert any(piece[0] == "=" for piece in copy["diff"])
    assert "000_a0337443bc97db64" in ids


def test_the_same_run_writes_the_same_bytes_on_any_number_of_threads():
    assert page(seeds_result()) == page(seeds_result(), workers=3)
    many = many_result(300)  # more clusters with copies than one batch
    one = page(many)
    assert one == page(many, workers=3)
    assert [cluster["number"] for cluster in page_data(one)["clusters"]] == list(range(1, 301))


def test_hostile_text_stays_inside_the_data_element_and_text():
    text = page(hostile_result())
    text.encode("utf-8")
    assert text.count("</script>") == 2  # the data element's end and the script's
    assert "<!--" not in text and "<script>window.pwned" not in text and "<img" not in text
    element = text[text.index('id="report-data">'):]
    assert "\u2028" not in element[:element.index("</script>")]
    data = page_data(text)
    assert data["clusters"][0]["members"][0]["title"] == HOSTILE
    assert data["skipped"] == [[HOSTILE, HOSTILE]]
    # The core's alignment reads no lone surrogate: the bodies show it as a browser would, U+FFFD.
    assert "\ufffd lone \ufffd" in data["clusters"][0]["body"] and HOSTILE in data["clusters"][0]["members"][0]["id"]


def test_the_policy_lets_only_the_pages_own_script_and_style_run():
    text = page(seeds_result())
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    script = re.search(r"<script>(.*?)</script>", text, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)

    def digest(source: str) -> str:
        return base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()

    assert f"script-src 'sha256-{digest(script)}'" in policy and f"style-src 'sha256-{digest(style)}'" in policy
    assert "default-src 'none'" in policy


def test_cluster_writes_the_html_report_and_other_commands_do_not_offer_it(tmp_path):
    target = tmp_path / "report.html"
    run = CliRunner().invoke(main, ["cluster", str(SEEDS), "--format", "html", "-o", str(target), "--quiet"])
    assert run.exit_code == 0, run.output
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert page_data(target.read_text(encoding="utf-8"))["clusters"][0]["members"][1]["diff"]
    printed = CliRunner().invoke(main, ["cluster", str(SEEDS), "--format", "html", "--quiet"])
    assert printed.exit_code == 0 and printed.stdout == target.read_text(encoding="utf-8")
    refused = CliRunner().invoke(main, ["eval", str(SEEDS), "--labels", str(SEEDS / "labels.tsv"), "--format", "html"])
    assert refused.exit_code == 2 and "'html' is not one of" in refused.output


def test_a_run_that_kept_no_bodies_lists_its_clusters_without_text():
    data = page_data(page(cluster_articles([str(SEEDS)], load_config(), workers=1)))
    (cluster,) = data["clusters"]
    assert cluster["body"] is None and all("diff" not in member for member in cluster["members"])
    assert len(cluster["members"]) == 3


def test_the_pages_own_script_and_style_cannot_end_their_elements_early():
    assert "</script" not in _asset("report.js").lower() and "</style" not in _asset("report.css").lower()
    assert "<!--" not in _asset("report.js")
