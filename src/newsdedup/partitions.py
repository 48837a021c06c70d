"""The inputs of a run cut into partitions that workers read, without reading them here.

A distributed run (distributed.py) hands each worker partitions to read: runs of whole files
(found by listing directories and looking at sizes), and parts of the large files a corpus
comes in: a JSON Lines file cut into byte ranges at line breaks, a Parquet file into runs of
its row groups (read from its metadata). A partition is read with the loader's own rules
(load.py), so it gives the articles and the skipped inputs a local run reads from the same
bytes, named the same way. The cut depends on the inputs only, never on the number of workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

from ._core import ArticleBatch
from .config import InputSettings
from .errors import ConfigError
from .load import (STDIN, InputFile, discover, in_batches, open_regular, parquet_reader, read_json_lines,
                   read_parquet_file, read_sources, source_kind)
from .models import Skipped

# A partition holds about this many bytes of input: a few seconds of one worker's time, and
# enough partitions for a 100,000-article corpus (about 450 MB) to keep a few workers busy.
PARTITION_BYTES = 32 << 20
# Whole files in one partition at most, however small they are.
PARTITION_FILES = 2000
# Bytes read at a time while counting or finding line breaks.
_SCAN_BYTES = 1 << 20


@dataclass(frozen=True)
class FilePart:
    """A part of one large file: bytes [start, stop) of JSON Lines, or row groups [start, stop) of Parquet.

    ``before``: the lines (JSON Lines) or rows (Parquet) of the file before the part, so that its
    records are named as a local run names them; None until the line breaks are counted.
    ``file``: the file's place among the run's inputs (a file given twice is read twice).
    """

    source: InputFile
    kind: str
    start: int
    stop: int
    file: int
    before: int | None = None


@dataclass(frozen=True)
class Partition:
    """One task's share of the inputs, numbered in the order a local run reads them."""

    number: int
    files: tuple[InputFile, ...] = ()
    part: FilePart | None = None


def plan(inputs: list[str], settings: InputSettings,
         partition_bytes: int = PARTITION_BYTES) -> tuple[list[Partition], list[Skipped]]:
    """The partitions of the inputs, in reading order, and the entries that cannot be read.

    Files are given to workers by absolute path (a worker may run elsewhere); the names in
    the report stay the ones a local run gives. JSON Lines parts still need ``number_lines``.
    """
    refuse_stdin(inputs)
    partitions: list[Partition] = []
    skipped: list[Skipped] = []
    run: list[InputFile] = []
    run_bytes = 0

    def close_run() -> None:
        nonlocal run_bytes
        if run:
            partitions.append(Partition(len(partitions), files=tuple(run)))
            run.clear()
            run_bytes = 0

    for place, found in enumerate(discover(inputs, settings)):
        if isinstance(found, Skipped):
            skipped.append(found)
            continue
        source = replace(found, path=os.path.abspath(found.path))
        size = _size(source.path)
        parts = _parts(source, place, size, partition_bytes)
        if parts:
            close_run()
            first = len(partitions)
            partitions.extend([Partition(first + offset, part=part) for offset, part in enumerate(parts)])
            continue
        if run and (run_bytes + size > partition_bytes or len(run) == PARTITION_FILES):
            close_run()
        run.append(source)
        run_bytes += size
    close_run()
    return partitions, skipped


def refuse_stdin(inputs: list[str]) -> None:
    """ConfigError for ``-``: workers on other machines cannot read this process's standard input."""
    if STDIN in inputs:
        raise ConfigError("--scheduler: standard input ('-') cannot be read by a cluster's workers; "
                          "save it to a file and give the file")


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:  # the worker that reads it names why
        return 0


def _parts(source: InputFile, place: int, size: int, partition_bytes: int) -> list[FilePart]:
    """A large file's parts; none for a file read whole (small, or anything unusual, which the loader names)."""
    if size <= partition_bytes:
        return []
    kind = source_kind(source)
    if kind == "jsonl":
        return [FilePart(source, kind, start, min(start + partition_bytes, size), place)
                for start in range(0, size, partition_bytes)]
    if kind == "parquet":
        return _row_group_parts(source, place, partition_bytes)
    return []


def _row_group_parts(source: InputFile, place: int, partition_bytes: int) -> list[FilePart]:
    """Runs of row groups of about ``partition_bytes``, from the file's metadata alone; none for a file
    that is no article table (the loader names why, once)."""
    pyarrow = parquet_reader()
    try:
        opened = pyarrow.parquet.ParquetFile(source.path)
        metadata = opened.metadata
        names = set(opened.schema_arrow.names)
        groups = [(metadata.row_group(index).num_rows, metadata.row_group(index).total_byte_size)
                  for index in range(metadata.num_row_groups)]
    except (OSError, ValueError, pyarrow.ArrowException):  # damaged: read whole, the loader says why
        return []
    if "id" not in names or not names & {"text", "html"} or len(groups) < 2 or sum(rows for rows, _ in groups) == 0:
        return []
    parts: list[FilePart] = []
    start, rows_before, rows, held = 0, 0, 0, 0
    for index, (group_rows, group_bytes) in enumerate(groups):
        if index > start and held + group_bytes > partition_bytes:
            parts.append(FilePart(source, "parquet", start, index, place, rows_before))
            start, rows_before, held = index, rows, 0
        rows += group_rows
        held += group_bytes
    parts.append(FilePart(source, "parquet", start, len(groups), place, rows_before))
    return parts


def count_line_breaks(part: FilePart) -> int:
    """The line breaks in the part's bytes (run on a worker): ``number_lines`` adds them up."""
    opened = open_regular(part.source.path)
    if isinstance(opened, str):
        return 0
    count = 0
    with opened[0] as stream:
        stream.seek(part.start)
        left = part.stop - part.start
        while left > 0 and (chunk := stream.read(min(_SCAN_BYTES, left))):
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


def number_lines(partitions: list[Partition], line_breaks: dict[int, int]) -> list[Partition]:
    """The partitions with each JSON Lines part's ``before`` set: the line breaks before its start."""
    numbered = []
    before: dict[int, int] = {}
    for partition in partitions:
        part = partition.part
        if part is not None and part.kind == "jsonl":
            seen = before.get(part.file, 0)
            partition = replace(partition, part=replace(part, before=seen))
            before[part.file] = seen + line_breaks[partition.number]
        numbered.append(partition)
    return numbered


def read_partition(partition: Partition, settings: InputSettings, batch_size: int,
                   counted: list[int | None]) -> Iterator[ArticleBatch | Skipped]:
    """The partition's articles in batches and its skipped inputs, as a local run reads them.

    ``counted`` gets the JSON Lines records a part read (None when the file could not be read,
    which is named instead), so that a file whose parts hold none is skipped as empty, as a
    local run skips it (``empty_files``).
    """
    if partition.part is None:
        yield from in_batches(read_sources(list(partition.files), settings, None, batch_size, 1, 1), batch_size)
        return
    part = partition.part
    if part.kind == "parquet":
        if part.start > 0 and isinstance(open_regular(part.source.path), str):
            return  # the first part names why the file cannot be read, once, as a local run does
        yield from in_batches(read_parquet_file(part.source, settings, list(range(part.start, part.stop)),
                                                part.before or 0), batch_size)
        return
    yield from in_batches(_read_jsonl_part(part, settings, counted), batch_size)


def _read_jsonl_part(part: FilePart, settings: InputSettings,
                     counted: list[int | None]) -> Iterator[ArticleBatch | Skipped]:
    """The lines that begin in the part's bytes (a line begins after a line break, or at 0)."""
    opened = open_regular(part.source.path)
    if isinstance(opened, str):
        if part.start == 0:  # named once per file, as a local run names it
            yield Skipped(part.source.shown, opened)
        counted.append(None)
        return
    records = 0
    with opened[0] as stream:
        try:
            first = _line_start(stream, part.start)
            end = _line_start(stream, part.stop)
            # The line breaks before the part, and the one that ends a line begun before it.
            first_line = 1 + (part.before or 0) + (1 if first > part.start else 0)
            stream.seek(first)
            for batch, skipped, count in read_json_lines(part.source.shown, stream, settings, 1, first_line,
                                                         end - first):
                records += count
                yield batch
                yield from skipped
        except OSError as error:
            yield Skipped(part.source.shown, f"unreadable in bytes {part.start}-{part.stop} after {records} records "
                                             f"of them: {error.strerror or error}")
            counted.append(None)
            return
    counted.append(records)


def _line_start(stream: BinaryIO, offset: int) -> int:
    """Where the first line that begins at or after ``offset`` begins (the file's size if none does)."""
    if offset == 0:
        return 0
    stream.seek(offset - 1)
    at = offset - 1
    while chunk := stream.read(_SCAN_BYTES):
        found = chunk.find(b"\n")
        if found >= 0:
            return at + found + 1
        at += len(chunk)
    return at


def empty_files(partitions: list[Partition], records: dict[int, int | None]) -> list[Skipped]:
    """The JSON Lines files cut into parts that held no record: skipped as a local run skips them
    (not those that could not be read, already named)."""
    found: dict[int, tuple[InputFile, int | None]] = {}
    for partition in partitions:
        part = partition.part
        if part is not None and part.kind == "jsonl":
            source, seen = found.get(part.file, (part.source, 0))
            count = records.get(partition.number)
            found[part.file] = (source, None if seen is None or count is None else seen + count)
    return [Skipped(source.shown, "empty file: no JSON Lines records") for source, seen in found.values() if seen == 0]
