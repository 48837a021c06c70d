"""Partitions of a distributed run: read part by part, the inputs give what a local run reads, named the same."""

import json

import pyarrow
import pyarrow.parquet as parquet
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from newsdedup.config import InputSettings
from newsdedup.errors import ConfigError
from newsdedup.load import FirstOfEachId, read_batches
from newsdedup.models import Skipped
from newsdedup.partitions import (count_line_breaks, empty_files, number_lines, plan,
                                  read_partition)


def _read_locally(inputs, settings):
    read, skipped = [], []
    for item in read_batches(inputs, settings):
        if isinstance(item, Skipped):
            skipped.append(item)
        else:
            read.extend(zip(item.ids(), item.paths(), (row[2] for row in item.rows())))
    return read, skipped


def _read_in_partitions(inputs, settings, partition_bytes):
    partitions, skipped = plan(inputs, settings, partition_bytes)
    counts = {partition.number: count_line_breaks(partition.part) for partition in partitions
              if partition.part is not None and partition.part.kind == "jsonl"}
    partitions = number_lines(partitions, counts)
    read, records = [], {}
    first = FirstOfEachId()  # as the distributed run's client settles ids
    for partition in partitions:
        counted = []
        for item in read_partition(partition, settings, 100, counted):
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            for article in zip(item.ids(), item.paths(), (row[2] for row in item.rows())):
                clash = first.clash(article[0], article[1])
                if clash is None:
                    read.append(article)
                else:
                    skipped.append(clash)
        records[partition.number] = counted[0] if counted else None
    skipped.extend(empty_files(partitions, records))
    return partitions, read, skipped


LINES = st.one_of(
    st.builds(lambda n, words: json.dumps({"id": f"a{n}", "text": " ".join(["word"] * words)}),
              st.integers(0, 40), st.integers(1, 60)),
    st.sampled_from(["", "   ", "{broken", "[1, 2]", json.dumps({"id": "no-text"})]),
)


@hypothesis_settings(max_examples=60, deadline=None)
@given(lines=st.lists(LINES, max_size=40), final_newline=st.booleans(), partition_bytes=st.integers(1, 400))
def test_a_json_lines_file_read_in_parts_is_read_as_a_whole(tmp_path_factory, lines, final_newline,
                                                             partition_bytes):
    path = tmp_path_factory.mktemp("parts") / "feed.jsonl"
    path.write_text("\n".join(lines) + ("\n" if final_newline else ""), encoding="utf-8")
    settings = InputSettings(max_bytes=300)  # long lines are oversized, across part boundaries too
    local_read, local_skipped = _read_locally([str(path)], settings)
    partitions, read, skipped = _read_in_partitions([str(path)], settings, partition_bytes)
    assert read == local_read
    assert sorted(skipped, key=repr) == sorted(local_skipped, key=repr)


def test_parquet_row_groups_are_parts_numbered_as_the_file_is(tmp_path):
    path = tmp_path / "rows.parquet"
    ids = [f"r{n:03d}" for n in range(50)]
    texts = [f"Row {n} of the table, with a few words of text." if n != 17 else None for n in range(50)]
    parquet.write_table(pyarrow.table({"id": ids, "text": texts}), path, row_group_size=7)
    settings = InputSettings()
    partitions, read, skipped = _read_in_partitions([str(path)], settings, 200)
    assert len(partitions) > 2 and all(partition.part is not None for partition in partitions)
    assert (read, skipped) == _read_locally([str(path)], settings)
    assert [item.path for item in skipped] == [f"{path}:18"]


def test_partitions_are_numbered_in_reading_order(tmp_path):
    (tmp_path / "a.jsonl").write_text("\n" * 3000, encoding="utf-8")
    (tmp_path / "b.txt").write_text("A few words.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text("\n" * 3000, encoding="utf-8")
    partitions, _ = plan([str(tmp_path)], InputSettings(), partition_bytes=1000)
    assert [partition.number for partition in partitions] == list(range(7))
    assert [partition.part.source.id if partition.part else "b.txt" for partition in partitions] == [
        "a.jsonl"] * 3 + ["b.txt"] + ["c.jsonl"] * 3


def test_small_files_share_partitions_in_reading_order(tmp_path):
    for number in range(5):
        (tmp_path / f"{number}.txt").write_text("A few words of text in a file. " * 10, encoding="utf-8")
    partitions, skipped = plan([str(tmp_path)], InputSettings(), partition_bytes=700)
    assert [[file.shown for file in partition.files] for partition in partitions] == [
        [f"{tmp_path}/0.txt", f"{tmp_path}/1.txt"], [f"{tmp_path}/2.txt", f"{tmp_path}/3.txt"],
        [f"{tmp_path}/4.txt"]]
    assert not skipped


def test_a_partition_holds_at_most_its_number_of_files(tmp_path, monkeypatch):
    monkeypatch.setattr("newsdedup.partitions.PARTITION_FILES", 2)
    for number in range(5):
        (tmp_path / f"{number}.txt").write_text("Words.", encoding="utf-8")
    partitions, _ = plan([str(tmp_path)], InputSettings())
    assert [len(partition.files) for partition in partitions] == [2, 2, 1]


def test_a_file_given_twice_is_numbered_from_its_own_start_each_time(tmp_path, monkeypatch):
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{n}", "text": "Some words " * 20}) + "\n" for n in range(40)),
                    encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    inputs = [str(path), "feed.jsonl"]
    _, read, skipped = _read_in_partitions(inputs, InputSettings(), 1000)
    assert (read, sorted(skipped, key=repr)) == (lambda found: (found[0], sorted(found[1], key=repr)))(
        _read_locally(inputs, InputSettings()))
    assert [item.path for item in skipped][:2] == ["feed.jsonl:1", "feed.jsonl:2"]


def test_a_large_parquet_file_that_is_no_article_table_is_skipped_once(tmp_path):
    path = tmp_path / "other.parquet"
    parquet.write_table(pyarrow.table({"name": [f"n{n}" for n in range(200)]}), path, row_group_size=10)
    partitions, read, skipped = _read_in_partitions([str(path)], InputSettings(), 300)
    assert read == [] and len(partitions) == 1
    assert [item.reason.split(":")[0] for item in skipped] == ["Parquet without the columns of an article"]


def test_a_large_file_of_blank_lines_is_one_empty_file(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text("\n" * 5000, encoding="utf-8")
    _, read, skipped = _read_in_partitions([str(path)], InputSettings(), 1000)
    assert read == [] and [(item.path, item.reason) for item in skipped] == [
        (str(path), "empty file: no JSON Lines records")]


def test_standard_input_has_no_partitions():
    with pytest.raises(ConfigError, match="standard input"):
        plan(["-"], InputSettings())
