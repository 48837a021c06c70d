"""`newsdedup explain A B INPUT...`: the verdict, every test's figure and the two texts side by side."""

import json

from click.testing import CliRunner
from jsonschema import Draft202012Validator

from newsdedup.cli import main
from newsdedup.config import Config
from newsdedup.explain import explain
from newsdedup.schema import load_schema

from conftest import SEEDS

WIRE_000, WIRE_001, REWRITE = "000_a0337443bc97db64", "001_88b9becdf1984dad", "003_2e8e95844c9cb9a8"


def _explained(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["explain", *args, "-q"])
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.stderr


def test_the_seeds_closing_paragraph_is_added_and_the_ticker_free_body_kept():
    """The issue's example: 000's added closing paragraph (the 12,000 troops), against 001's body
    without its crypto ticker (site furniture the clean stage dropped)."""
    document = json.loads(_explained(WIRE_000, WIRE_001, str(SEEDS), "--format", "json"))
    Draft202012Validator(load_schema("explain")).validate(document)
    assert document["verdict"] == {"copies": True, "failed": [], "same_cluster": True, "canonical": WIRE_001}
    diff = document["diff"]
    assert (diff["left"], diff["right"]) == (WIRE_001, WIRE_000)  # the canonical is the base
    pieces = diff["pieces"]
    added = "".join(piece["right"] for piece in pieces if piece["kind"] == "added")
    assert "12,000 North Korean troops" in added
    kept = "".join(piece["left"] for piece in pieces if piece["kind"] == "kept")
    assert "North Korea has sent 3,000 troops" in kept
    left = "".join(piece["left"] for piece in pieces)
    assert "Bitcoin" not in left and "WBTC" not in left
    assert sum(len(piece["left"]) for piece in pieces if piece["kind"] == "kept") > 0.8 * len(left)


def test_the_pieces_give_each_body_whole():
    found = explain(WIRE_000, "002_930d4dede8731adf", [str(SEEDS)], Config())
    assert "".join(piece.canonical for piece in found.diff) == found.left.body
    assert "".join(piece.copy for piece in found.diff) == found.right.body


def test_a_rewrite_is_not_a_copy_and_the_table_says_which_test_failed():
    text = _explained(REWRITE, WIRE_001, str(SEEDS))
    first = text.splitlines()[0]
    assert first.startswith(f"{REWRITE} and {WIRE_001}: not copies: ") and "containment" in first
    assert "in different clusters" in first
    assert "✗ containment" in text


def test_a_changed_figure_in_shared_text_is_named(tmp_path):
    story = ("Chemical Bank said it is raising its prime lending rate to 7-3/4 pct from 7-1/2 pct, effective "
             "immediately. The move follows a similar increase announced by Citibank earlier in the day, and bank "
             "economists said more banks were expected to follow in the coming days and weeks.")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": story}) + "\n"
                    + json.dumps({"id": "b", "text": story.replace("7-3/4", "8")}) + "\n")
    document = json.loads(_explained("a", "b", str(feed), "--format", "json"))
    assert document["verdict"]["copies"] is False and document["verdict"]["failed"] == ["anchor agreement"]
    assert document["anchors"]["changed"] == ["7-3/4"] or document["anchors"]["changed"] == ["8"]
    assert [piece["kind"] for piece in document["diff"]["pieces"]] == ["kept", "changed", "kept"]


def test_an_unknown_id_or_format_is_a_usage_error():
    message = _explained("no-such-id", WIRE_001, str(SEEDS), code=2)
    assert "no article 'no-such-id'" in message
    assert "explain writes table or json" in _explained(WIRE_000, WIRE_001, str(SEEDS), "--format", "csv", code=2)
    assert "two different articles" in _explained(WIRE_000, WIRE_000, str(SEEDS), code=2)
