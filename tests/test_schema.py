"""Every machine-readable report validates against the JSON Schema that `newsdedup schema` prints."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from newsdedup.cli import main
from newsdedup.report import SCHEMA_VERSION
from newsdedup.schema import load_schema, schema_names
from test_index import redis_server  # noqa: F401  (the fixture: a throwaway redis-server, or a skip)

NAMES = {
    "cluster", "cluster-line", "cluster-row", "eval", "eval-row", "check", "check-line",
    "index-report", "index-line", "index-row", "index-stats", "index-stats-row", "explain",
}


def _run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, [*args, "-q"] if args[0] != "schema" else list(args))
    assert result.exit_code == code, (args, result.output)
    return result.stdout


def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name))


def _check_document(name: str, text: str) -> dict:
    document = json.loads(text)
    _validator(name).validate(document)
    return document


def _check_lines(name: str, text: str) -> list[dict]:
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines
    for line in lines:
        _validator(name).validate(line)
    return lines


def _check_rows(name: str, text: str) -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    for row in rows:
        _validator(name).validate(row)
    return rows


@pytest.fixture
def inputs(seeds_dir, tmp_path):
    """The seeds, an input that is skipped, and labels that make false merges and missed pairs."""
    (tmp_path / "empty.txt").write_text("")
    labels = tmp_path / "labels.tsv"
    labels.write_text("000_a0337443bc97db64\tA\n001_88b9becdf1984dad\tA\n002_930d4dede8731adf\tB\n"
                      "003_2e8e95844c9cb9a8\tC\n004_1599dfc235326334\tA\nnot-in-input\tD\n")
    return [str(seeds_dir), str(tmp_path / "empty.txt")], str(labels)


def test_the_schemas_are_draft_2020_12_and_name_the_schema_version():
    assert set(schema_names()) == NAMES
    for name in schema_names():
        schema = load_schema(name)
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        version = schema.get("properties", {}).get("schema_version")
        assert version in (None, {"const": SCHEMA_VERSION})


def test_cluster_reports_validate(inputs):
    paths, _ = inputs
    document = _check_document("cluster", _run("cluster", *paths, "--format", "json"))
    assert document["skipped"] and any(m["wire_credit"] for c in document["clusters"] for m in c["members"])
    lines = _check_lines("cluster-line", _run("cluster", *paths, "--format", "jsonl"))
    assert any(line["id"] is None for line in lines) and any(line["id"] for line in lines)
    rows = _check_rows("cluster-row", _run("cluster", *paths, "--format", "csv"))
    assert any(row["skipped"] for row in rows) and any(row["id"] for row in rows)


def test_eval_reports_validate(inputs):
    paths, labels = inputs
    document = _check_document("eval", _run("eval", *paths, "--labels", labels, "--format", "json"))
    assert document["false_merges"] and document["missed_pairs"] and document["missing"] and document["skipped"]
    _check_lines("eval", _run("eval", *paths, "--labels", labels, "--format", "jsonl"))
    _check_rows("eval-row", _run("eval", *paths, "--labels", labels, "--format", "csv"))


def test_check_reports_validate(inputs, tmp_path):
    paths, _ = inputs
    golden = str(tmp_path / "golden.json")
    _run("check", *paths, "--expect", golden, "--update")
    _check_document("check", _run("check", *paths, "--expect", golden, "--format", "json"))
    drift = ("check", *paths, "--expect", golden, "--set", "verify.min_containment=0.99")
    assert _check_document("check", _run(*drift, "--format", "json", code=1))["changes"]
    _check_lines("check-line", _run(*drift, "--format", "jsonl", code=1))
    _check_rows("check-line", _run(*drift, "--format", "csv", code=1))


@pytest.fixture(params=["sqlite", "redis"])
def index_target(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "news.db")
    return f"{request.getfixturevalue('redis_server')}/1"


def test_index_reports_validate(inputs, seeds_dir, index_target):
    paths, _ = inputs
    target = ("--index", index_target)
    first = _check_document("index-report", _run("index", "add", f"{seeds_dir}/000_a0337443bc97db64.txt", *target,
                                                 "--format", "json"))
    assert [a["status"] for a in first["articles"]] == ["new"]
    added = _check_document("index-report", _run("index", "add", *paths, *target, "--format", "json"))
    assert {a["status"] for a in added["articles"]} == {"new", "copy", "indexed"} and added["skipped"]
    for command in ("add", "query"):
        lines = _check_lines("index-line", _run("index", command, *paths, *target, "--format", "jsonl"))
        assert any(line["status"] == "skipped" for line in lines)
        _check_rows("index-row", _run("index", command, *paths, *target, "--format", "csv"))
    _check_document("index-report", _run("index", "query", *paths, *target, "--format", "json"))
    for command in (("stats",), ("prune", "--before", "2024-10-24")):
        _check_document("index-stats", _run("index", *command, *target, "--format", "json"))
        _check_lines("index-stats", _run("index", *command, *target, "--format", "jsonl"))
        _check_rows("index-stats-row", _run("index", *command, *target, "--format", "csv"))
    _check_document("cluster", _run("index", "export", *target, "--format", "json"))
    _check_lines("cluster-line", _run("index", "export", *target, "--format", "jsonl"))
    _check_rows("cluster-row", _run("index", "export", *target, "--format", "csv"))


def test_a_report_that_drifts_from_its_schema_fails(seeds_dir):
    document = json.loads(_run("cluster", str(seeds_dir), "--format", "json"))
    validator = _validator("cluster")
    document["clusters"][0]["members"][0]["colour"] = "red"
    assert not validator.is_valid(document)
    del document["clusters"][0]["members"][0]["colour"]
    assert validator.is_valid(document)
    document["stats"].pop("duplicates")
    assert not validator.is_valid(document)


def test_schema_command_prints_one_or_all():
    assert [line.split()[0] for line in _run("schema", "--list").splitlines()] == sorted(NAMES)
    assert json.loads(_run("schema", "cluster-line")) == load_schema("cluster-line")
    assert json.loads(_run("schema")) == {name: load_schema(name) for name in sorted(NAMES)}
    result = CliRunner().invoke(main, ["schema", "nothing"])
    assert result.exit_code == 2 and "cluster-line" in result.stderr


def test_a_definition_the_schemas_share_is_the_same_in_each():
    seen: dict[str, tuple[str, dict]] = {}
    for name in schema_names():
        for key, definition in load_schema(name).get("$defs", {}).items():
            first, expected = seen.setdefault(key, (name, definition))
            assert definition == expected, f"$defs/{key} differs between {first}.json and {name}.json"
    assert {"tool", "config", "skipped", "verify_settings"} <= set(seen)
