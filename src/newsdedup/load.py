"""Read articles from directories, files and standard input, in batches held by the core.

Yields the articles of the inputs it can use and a Skipped (with the reason) for every
one it cannot, so nothing is lost and one bad input costs that input only. The core
(rust/core/src/read) reads JSON Lines and plain UTF-8 text files that are surely
articles; everything else comes back here, where the reasons are named in one place.
It reads regular files only (a FIFO would hang the run, /dev/zero never ends), never
more than ``input.max_bytes`` + 1 bytes of one file or line, and holds a few batches at a time.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import io
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, BinaryIO

from . import _core
from ._core import ArticleBatch
from .charset import decode, decode_page, lone_surrogate, replace_lone_surrogates
from .clean import article_row
from .config import InputSettings
from .errors import InputError, MissingDependencyError
from .models import Article, Skipped
from .readahead import read_ahead
from .webpage import Page, is_html, page_article, read_page, read_pages

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

STDIN = "-"
STDIN_SHOWN = "<stdin>"
STDIN_ID = "stdin"
JSON_LINES = (".jsonl", ".ndjson")
PARQUET = (".parquet",)
# The columns of a Parquet file that are read (the rest are never loaded), as JSON Lines fields.
PARQUET_COLUMNS = ("id", "text", "html", "title", "source", "url", "published", "language", "byline")
# Rows of a Parquet file decoded at a time: its memory stays a few batches whatever the file's size.
PARQUET_BATCH_ROWS = 1024
TEXT_ENDINGS = (".txt", ".html", ".htm")
OPTIONAL_FIELDS = ("title", "source", "url", "published", "language", "byline")
# Python will not turn longer integers into text, and parses them in quadratic time.
MAX_INTEGER_DIGITS = 4300
_BLANK = b" \t\r\n\f\v"
# JSON Lines are read in chunks of this many bytes (the core splits and parses each in parallel).
READ_CHUNK_BYTES = 1 << 20
# Web pages handed to the core at once: enough to keep every core busy, few enough that their
# decoded text (a page is often 100 KB, and 4 bytes a character in Python once one is beyond
# Latin-1) stays small beside the run.
PAGES_AT_ONCE = 64
# Batches read ahead of the consumer: reading overlaps with preparing, memory stays bounded.
READ_AHEAD_BATCHES = 2
_EMPTY_STDIN = "empty input: nothing on standard input"
_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"),
)


@dataclass(frozen=True)
class InputFile:
    """A file to read: the path to open, the path the report shows, and the article id it gives."""

    path: str
    shown: str
    id: str


def discover(inputs: list[str], settings: InputSettings) -> list[InputFile | Skipped]:
    """The files to read in a stable order, and the entries found that cannot be read (with the reason).

    Ids: a file in a directory argument is named by its path relative to that directory;
    when several directories are given, by the argument as given too (``site1/story``),
    so that the same file name in two of them gives two articles.
    Raises InputError for a path that does not exist or a directory with no article files.
    """
    directories = sum(1 for given in inputs if given != STDIN and os.path.isdir(given))
    found: list[InputFile | Skipped] = []
    for given in inputs:
        if given == STDIN:
            found.append(InputFile(STDIN, STDIN_SHOWN, STDIN_ID))
        elif os.path.isdir(given):
            found.extend(_walk(given, settings, qualified=directories > 1))
        elif os.path.exists(given):
            found.append(InputFile(given, _printable(given), _article_id(_printable(Path(given).name))))
        else:
            raise InputError(f"{_printable(given)}: no such file or directory")
    if any(isinstance(item, InputFile) and source_kind(item) == "parquet" for item in found):
        parquet_reader()
    return found


def parquet_reader() -> ModuleType:
    """pyarrow (with its Parquet module loaded); MissingDependencyError (exit 2) when it is not installed."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401 (pyarrow.parquet is read as an attribute of pyarrow)
    except ImportError as error:
        raise MissingDependencyError("reading Parquet files needs pyarrow: pip install 'newsdedup[parquet]'") from error
    module: ModuleType = pyarrow
    return module


def _walk(given: str, settings: InputSettings, qualified: bool) -> list[InputFile | Skipped]:
    """The article files under one directory argument, by relative path; links out of it only when followed."""
    extensions = tuple(ext.lower() for ext in settings.extensions)
    root = os.path.realpath(given)
    prefix = "" if not qualified or os.path.normpath(given) == "." else _printable(os.path.normpath(given)) + "/"
    found: list[tuple[str, InputFile | Skipped]] = []
    walked: set[str] = set()

    def relative(full: str) -> str:  # os.walk's paths all begin with the argument as given
        return full[len(given):].lstrip(os.sep)

    def entry(full: str, item: InputFile | Skipped) -> None:
        found.append((relative(full), item))

    def unreadable(error: OSError) -> None:
        entry(error.filename, Skipped(_printable(error.filename), f"unreadable directory: {error.strerror or error}"))

    for directory, dirs, names in os.walk(given, onerror=unreadable, followlinks=settings.follow_symlinks):
        real = os.path.realpath(directory)
        if real in walked:  # a followed link that leads back: read each directory once
            dirs[:] = []
            continue
        walked.add(real)
        kept = []
        for name in sorted(dirs):
            full = os.path.join(directory, name)
            if name.startswith(".") or (os.path.islink(full) and _inside(os.path.realpath(full), root)):
                continue  # hidden, or read through its real place in the folder
            if os.path.islink(full) and not settings.follow_symlinks:
                entry(full, Skipped(_printable(full), _link_out_reason(full)))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in names:
            full = os.path.join(directory, name)
            if name.startswith(".") or not name.lower().endswith(extensions):
                continue
            if os.path.islink(full) and not os.path.exists(full):
                entry(full, Skipped(_printable(full), f"unreadable: broken symbolic link (to {_link_target(full)})"))
            elif os.path.islink(full) and not settings.follow_symlinks and not _inside(os.path.realpath(full), root):
                entry(full, Skipped(_printable(full), _link_out_reason(full)))
            else:
                entry(full, InputFile(full, _printable(full), _article_id(prefix + _printable(relative(full)))))
    if not found:
        raise InputError(
            f"{_printable(given)}: no article files here (looked for {', '.join(settings.extensions)} recursively)"
        )
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([path, root]) == root


def _link_target(path: str) -> str:
    try:
        return _printable(os.readlink(path))
    except OSError:
        return "?"


def _link_out_reason(path: str) -> str:
    return f"symbolic link out of the input folder (to {_link_target(path)}); --follow-symlinks reads it"


def _printable(path: str) -> str:
    """The path as a report can write it: a byte of a file name that is not UTF-8 becomes ``\\xNN``."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace").replace(os.sep, "/")


def _article_id(relative: str) -> str:
    """The path without its file ending (.txt, .html, .htm), with forward slashes."""
    for ending in TEXT_ENDINGS:
        if relative.lower().endswith(ending):
            return relative[: -len(ending)]
    return relative


def _special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is ("a FIFO"), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _SPECIAL_FILES if test(mode)), "a special file")


def open_regular(path: str) -> tuple[BinaryIO, int] | str:
    """The regular file opened for reading and its size, or the reason it cannot be read.

    Opened without blocking, then checked again: a FIFO put in its place between the
    look and the open is refused instead of hanging the run.
    """
    try:
        kind = _special_kind(os.stat(path).st_mode)
        if kind:
            return f"not a regular file ({kind})"
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        return f"unreadable: {error.strerror or error}"
    stream = os.fdopen(descriptor, "rb")
    try:
        status = os.fstat(descriptor)
    except OSError as error:
        stream.close()
        return f"unreadable: {error.strerror or error}"
    kind = _special_kind(status.st_mode)
    if kind:
        stream.close()
        return f"not a regular file ({kind})"
    return stream, status.st_size


def _oversized(size: int | None, limit: int) -> str:
    if size is not None and size > limit:
        return f"oversized: {size} bytes, more than input.max_bytes ({limit})"
    return f"oversized: more than input.max_bytes ({limit} bytes)"


def _file_bytes(source: InputFile, settings: InputSettings) -> bytes | Skipped:
    """The bytes of a file that holds some (at most ``max_bytes``), or why it cannot be read."""
    opened = open_regular(source.path)
    if isinstance(opened, str):
        return Skipped(source.shown, opened)
    stream, size = opened
    with stream:
        try:
            if size > settings.max_bytes:
                return Skipped(source.shown, _oversized(size, settings.max_bytes))
            data = stream.read(size + 1)
            if len(data) > size:  # more than its size said (a /proc file says 0): read on, to the bound
                data += stream.read(settings.max_bytes + 1 - len(data))
        except OSError as error:
            return Skipped(source.shown, f"unreadable: {error.strerror or error}")
    if len(data) > settings.max_bytes:
        return Skipped(source.shown, _oversized(None, settings.max_bytes))
    if not data.strip():
        return Skipped(source.shown, "empty file")
    return data


def _read_text_file(source: InputFile, settings: InputSettings) -> Article | Skipped:
    data = _file_bytes(source, settings)
    return data if isinstance(data, Skipped) else _article_from_bytes(data, source)


def _article_from_bytes(data: bytes, source: InputFile) -> Article | Skipped:
    """The article in a text file's bytes, decoded (see charset.decode)."""
    decoded = decode(data)
    if isinstance(decoded, str):
        return Skipped(source.shown, decoded)
    text, encoding = decoded
    if not text.strip():
        return Skipped(source.shown, "empty file")
    return Article(id=source.id, path=source.shown, text=text, encoding=encoding)


def _decoded_page(source: InputFile, settings: InputSettings) -> tuple[str, str] | Skipped:
    """(a page's text, its encoding) by the charset it declares, judged (see charset.decode)."""
    data = _file_bytes(source, settings)
    if isinstance(data, Skipped):
        return data
    decoded = decode_page(data)
    return Skipped(source.shown, decoded) if isinstance(decoded, str) else decoded


def _read_pages(files: list[InputFile], settings: InputSettings, threads: int) -> Iterator[Article | Skipped]:
    """Web pages, decoded here one by one and read by the core a few dozen at a time, on ``threads`` threads."""
    for start in range(0, len(files), PAGES_AT_ONCE):
        yield from _read_page_group(files[start:start + PAGES_AT_ONCE], settings, threads)


def _read_page_group(files: list[InputFile], settings: InputSettings, threads: int) -> Iterator[Article | Skipped]:
    decoded: list[tuple[InputFile, str]] = []
    texts: list[str] = []
    for file in files:
        read = _decoded_page(file, settings)
        if isinstance(read, Skipped):
            yield read
            continue
        decoded.append((file, read[1]))
        texts.append(read[0])
    for (file, encoding), page in zip(decoded, read_pages(texts, threads)):
        yield page_article(page, file.id, file.shown, encoding)


class _NumberTooLong(ValueError):
    """An integer in a JSON line with more digits than Python will read."""


def _bounded_integer(digits: str) -> int:
    if len(digits) - digits.startswith("-") > MAX_INTEGER_DIGITS:
        raise _NumberTooLong(len(digits) - digits.startswith("-"))
    return int(digits)


_JSON = json.JSONDecoder(parse_int=_bounded_integer)


def _parse_json_line(line: bytes, where: str) -> Article | Skipped:
    """The article one JSON line describes, or why it cannot be one; never raises."""
    try:
        record = _JSON.decode(line.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Skipped(where, "not UTF-8: JSON Lines must be UTF-8 encoded")
    except RecursionError:
        return Skipped(where, "malformed JSON: nested too deeply")
    except _NumberTooLong as error:
        return Skipped(where, f"malformed JSON: a number of {error.args[0]} digits, more than the "
                              f"{MAX_INTEGER_DIGITS} that are read")
    except json.JSONDecodeError as error:
        return Skipped(where, f"malformed JSON: {error.msg} at column {error.colno}")
    except ValueError as error:
        return Skipped(where, f"malformed JSON: {error}")
    return article_from_record(record, where)


def article_from_record(record: object, where: str) -> Article | Skipped:
    """The article one decoded JSON record describes (``where`` names it), or why it cannot be one.

    The record needs ``id`` (a non-empty string, or an integer) and ``text`` (a string), or,
    instead of ``text``, ``html``: a saved page's HTML, read as a ``.html`` file is (with
    ``text`` too, ``text`` is the article and ``html`` is not read); ``title``, ``source``,
    ``url``, ``published``, ``language`` and ``byline`` are optional strings, and win over a page's own.
    A lone surrogate (a broken UTF-16 escape such as ``"\\udfff"``, which no encoder can
    write) skips the record, naming the field, except in ``text`` (or ``html``), where it is
    replaced by U+FFFD and the article's ``encoding`` says how many were.
    """
    if not isinstance(record, dict):
        return Skipped(where, f"malformed record: expected a JSON object, got {type(record).__name__}")
    article_id = record.get("id")
    if article_id is None:
        return Skipped(where, "missing field: 'id' (a non-empty string or integer) is required")
    if isinstance(article_id, bool) or not isinstance(article_id, (str, int)):
        return Skipped(where, f"bad field: 'id' must be a non-empty string or integer, got {type(article_id).__name__}")
    if isinstance(article_id, int):
        try:
            article_id = str(article_id)
        except ValueError:  # more digits than Python writes out
            return Skipped(where, f"bad field: 'id' is an integer of more than {MAX_INTEGER_DIGITS} digits")
    if not article_id.strip():
        return Skipped(where, "bad field: 'id' is empty")
    is_page = record.get("text") is None and record.get("html") is not None
    field = "html" if is_page else "text"
    given = record.get(field)
    if given is None:
        return Skipped(where, "missing field: 'text' (a string) is required, or 'html' (a saved page's HTML)")
    if not isinstance(given, str):
        return Skipped(where, f"bad field: {field!r} must be a string, got {type(given).__name__}")
    fields: dict[str, str | None] = {}
    for name in OPTIONAL_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return Skipped(where, f"bad field: {name!r} must be a string, got {type(value).__name__}")
        fields[name] = value or None
    for name, value in (("id", article_id), *fields.items()):
        surrogate = lone_surrogate(value) if value else None
        if surrogate:
            return Skipped(where, f"bad field: {name!r} holds a lone surrogate ({surrogate!r}), which is not "
                                  "valid Unicode")
    text, replaced = replace_lone_surrogates(given)
    encoding = "utf-8" if not replaced else f"utf-8, {replaced} lone surrogate{'' if replaced == 1 else 's'} replaced"
    if is_page:
        return _record_page(read_page(text), article_id, where, encoding, fields)
    if not text.strip():
        return Skipped(where, "empty text")
    return Article(id=article_id, path=where, text=text, encoding=encoding, title=fields["title"],
                   source=fields["source"], url=fields["url"], published=fields["published"],
                   language=fields["language"], byline=fields["byline"])


def _record_page(page: Page, article_id: str, where: str, encoding: str,
                 fields: dict[str, str | None]) -> Article | Skipped:
    """The article of a record's ``html``: what the record declares wins over what the page says."""
    found = page_article(page, article_id, where, encoding)
    if isinstance(found, Skipped):
        return found
    def declared(name: str, found_value: str | None) -> str | None:
        return fields[name] if fields[name] is not None else found_value

    return dataclasses.replace(found, title=declared("title", found.title), source=declared("source", found.source),
                               url=declared("url", found.url), published=declared("published", found.published),
                               language=declared("language", found.language),
                               byline=declared("byline", found.byline))


def _explain_line(line: bytes | int, where: str, limit: int) -> _core.ArticleRow | Skipped:
    """What a JSON line the core left to Python is (its bytes, or its length when over ``limit``)."""
    item = Skipped(where, _oversized(line, limit)) if isinstance(line, int) else _parse_json_line(line, where)
    return article_row(item) if isinstance(item, Article) else item


def read_json_lines(shown: str, stream: BinaryIO, settings: InputSettings, threads: int, first_line: int = 1,
                    length: int | None = None) -> Iterator[tuple[ArticleBatch, list[Skipped], int]]:
    """(articles, skipped, records seen) for each chunk of a JSON Lines stream, its lines named ``shown:line``.

    The core splits the lines (on b"\\n"; blank lines are counted but are not records) and
    reads the valid records on ``threads`` threads; ``_parse_json_line`` reads the rest and names why.
    A part of a file (``length`` bytes from where the stream stands) numbers its lines from ``first_line``.
    """
    reader = _core.JsonLinesReader(shown, settings.max_bytes, first_line)
    explain = partial(_explain_line, limit=settings.max_bytes)
    left = length
    while chunk := stream.read(READ_CHUNK_BYTES if left is None else min(READ_CHUNK_BYTES, left)):
        if left is not None:
            left -= len(chunk)
        yield reader.feed(chunk, explain, threads)
    yield reader.finish(explain)


def parquet_record(row: dict[str, object], where: str, limit: int) -> Article | Skipped:
    """The article of one Parquet row (checked as a JSON Lines record is); dates as ISO 8601 text."""
    published = row.get("published")
    if isinstance(published, (datetime.date, datetime.datetime)):
        row["published"] = published.isoformat()
    for field in ("text", "html"):
        value = row.get(field)
        if isinstance(value, str) and len(value) > limit // 4 and len(value.encode("utf-8", "surrogatepass")) > limit:
            return Skipped(where, _oversized(None, limit))
    return article_from_record(row, where)


def read_parquet_file(source: InputFile, settings: InputSettings, row_groups: list[int] | None = None,
                      rows_before: int = 0) -> Iterator[Article | Skipped]:
    """A Parquet file's rows, named ``path:N`` (N from 1), a batch at a time; only the known columns are read.

    ``row_groups``: only those (a part of the file; its rows numbered after ``rows_before``).
    """
    opened = open_regular(source.path)
    if isinstance(opened, str):
        yield Skipped(source.shown, opened)
        return
    pyarrow = parquet_reader()
    rows = rows_before
    with opened[0] as stream:
        try:
            table = pyarrow.parquet.ParquetFile(stream)
            names = set(table.schema_arrow.names)
            if "id" not in names or not names & {"text", "html"}:
                yield Skipped(source.shown, "Parquet without the columns of an article: 'id' and 'text' (or 'html') "
                                            f"are needed, the file has {', '.join(sorted(names)) or 'none'}")
                return
            columns = [name for name in PARQUET_COLUMNS if name in names]
            for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=row_groups, columns=columns):
                for row in batch.to_pylist():
                    rows += 1
                    yield parquet_record(row, f"{source.shown}:{rows}", settings.max_bytes)
        except (OSError, ValueError, pyarrow.ArrowException) as error:  # a damaged or truncated file
            yield Skipped(source.shown, f"unreadable Parquet after {rows} rows: {error}")
            return
    if rows == 0 and row_groups is None:
        yield Skipped(source.shown, "empty file: no Parquet rows")


def _read_jsonl_file(source: InputFile, settings: InputSettings, threads: int) -> Iterator[ArticleBatch | Skipped]:
    opened = open_regular(source.path)
    if isinstance(opened, str):
        yield Skipped(source.shown, opened)
        return
    records = 0
    with opened[0] as stream:
        try:
            for batch, skipped, count in read_json_lines(source.shown, stream, settings, threads):
                records += count
                yield batch
                yield from skipped
        except OSError as error:
            yield Skipped(source.shown, f"unreadable after {records} records: {error.strerror or error}")
            return
    if records == 0:
        yield Skipped(source.shown, "empty file: no JSON Lines records")


def _read_text_files(files: list[InputFile], settings: InputSettings,
                     threads: int) -> Iterator[ArticleBatch | Skipped]:
    """Text files (not web pages): the core reads the plain UTF-8 ones, ``_read_text_file`` the rest."""
    if not files:
        return

    def explain(position: int) -> _core.ArticleRow | Skipped:
        item = _read_text_file(files[position], settings)
        return article_row(item) if isinstance(item, Article) else item

    batch, skipped = _core.read_text_files([(file.path, file.shown, file.id) for file in files], settings.max_bytes,
                                           explain, threads)
    yield batch
    yield from skipped


class _Replayed(io.RawIOBase):
    """A stream whose first bytes were read to sniff its format, put back in front of the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self.head = head
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        if self.head:
            count = min(len(view), len(self.head))
            view[:count] = self.head[:count]
            self.head = self.head[count:]
            return count
        data = getattr(self.rest, "read1", self.rest.read)(len(view))
        view[:len(data)] = data
        return len(data)


def _sniff(stream: BinaryIO, limit: int) -> tuple[bytes, bytes]:
    """(the bytes read, the first that is not blank or a byte-order mark): enough to tell the format."""
    head = stream.read(len(codecs.BOM_UTF8))
    start = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    while not head[start:].lstrip(_BLANK) and len(head) <= limit:
        byte = stream.read(1)
        if not byte:
            break
        head += byte
    return head, head[start:].lstrip(_BLANK)[:1]


def _read_stdin(stdin: BinaryIO | None, settings: InputSettings,
                threads: int) -> Iterator[Article | ArticleBatch | Skipped]:
    """Standard input: JSON Lines, or one text article with id ``stdin`` (``input.stdin_format``)."""
    if stdin is None:
        yield Skipped(STDIN_SHOWN, _EMPTY_STDIN)
        return
    head, first = _sniff(stdin, settings.max_bytes)
    stream = io.BufferedReader(_Replayed(head, stdin))
    chosen = settings.stdin_format
    if chosen == "auto":
        chosen = "jsonl" if first == b"{" else "text"
    if chosen == "jsonl":
        records = 0
        for batch, skipped, count in read_json_lines(STDIN_SHOWN, stream, settings, threads):
            records += count
            yield batch
            yield from skipped
        if records == 0:
            yield Skipped(STDIN_SHOWN, _EMPTY_STDIN)
        return
    data = stream.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        yield Skipped(STDIN_SHOWN, _oversized(None, settings.max_bytes))
    elif not data.strip():
        yield Skipped(STDIN_SHOWN, _EMPTY_STDIN)
    else:
        yield _article_from_bytes(data, InputFile(STDIN, STDIN_SHOWN, STDIN_ID))


def read_batches(inputs: list[str], settings: InputSettings, stdin: BinaryIO | None = None, batch_size: int = 1000,
                 threads: int = 0, page_threads: int | None = None) -> Iterator[ArticleBatch | Skipped]:
    """Every article of the inputs in batches of about ``batch_size``, in a stable order, and every skipped input.

    The inputs are found now (InputError for a path that does not exist), then read on a
    thread of their own a few batches ahead (the core parses on ``threads`` threads, 0:
    every core, 1: the reading thread itself; web pages, which cost more to read than to
    prepare, on ``page_threads``, None: as many; the result is the same for any number). A
    clashing id is skipped, naming both sources.
    """
    sources = discover(inputs, settings)
    read = read_sources(sources, settings, stdin, batch_size, threads,
                        threads if page_threads is None else page_threads)
    return read_ahead(_first_of_each_id_in_batches(in_batches(read, batch_size)), depth=READ_AHEAD_BATCHES)


def read_articles(
    inputs: list[str], settings: InputSettings, stdin: BinaryIO | None = None
) -> Iterator[Article | Skipped]:
    """Every article of the inputs, in a stable order; a clashing id is skipped, naming both sources."""
    for item in read_batches(inputs, settings, stdin):
        if isinstance(item, Skipped):
            yield item
        else:
            yield from (Article(*row) for row in item.rows())


def read_items(items: Iterable[object]) -> Iterator[Article | Skipped]:
    """Articles given in memory: ``Article``s as they are, dicts checked like JSON Lines records.

    Anything else, or a dict that is not a valid record, is skipped as ``<item N>`` (N
    counted from 0); a clashing id is skipped as in ``read_articles``.
    """
    seen = FirstOfEachId()
    for number, item in enumerate(items):
        read = item if isinstance(item, Article) else article_from_record(item, f"<item {number}>")
        clash = seen.clash(read.id, read.path) if isinstance(read, Article) else None
        yield clash or read


def in_batches(items: Iterable[Article | ArticleBatch | Skipped], size: int) -> Iterator[ArticleBatch | Skipped]:
    """The articles (one by one, or in batches) in batches of about ``size``, in order; skipped inputs as they come."""
    pending = _core.ArticleBatch()
    for item in items:
        if isinstance(item, Skipped):
            yield item
            continue
        if isinstance(item, Article):
            pending.append(article_row(item))
        elif len(item):
            if len(pending) and len(pending) + len(item) > size:
                yield pending
                pending = _core.ArticleBatch()
            pending.extend(item)
        if len(pending) >= size:
            yield pending
            pending = _core.ArticleBatch()
    if len(pending):
        yield pending


def read_sources(sources: list[InputFile | Skipped], settings: InputSettings, stdin: BinaryIO | None,
                 batch_size: int, threads: int, page_threads: int) -> Iterator[Article | ArticleBatch | Skipped]:
    """Each source read in order; runs of plain text files, and of web pages, read together."""
    run: list[InputFile] = []  # plain text files, or web pages: read together in order
    run_of_pages = False

    def read_run() -> Iterator[Article | ArticleBatch | Skipped]:
        if run_of_pages:
            yield from _read_pages(run, settings, page_threads)
        else:
            yield from _read_text_files(run, settings, threads)
        run.clear()

    for source in sources:
        if isinstance(source, Skipped):
            yield source
            continue
        kind = source_kind(source)
        if run and (kind != ("page" if run_of_pages else "text") or len(run) == batch_size):
            yield from read_run()
        if kind in ("text", "page"):
            run.append(source)
            run_of_pages = kind == "page"
            continue
        if kind == "stdin":
            yield from _read_stdin(stdin, settings, threads)
        elif kind == "parquet":
            yield from read_parquet_file(source, settings)
        else:
            yield from _read_jsonl_file(source, settings, threads)
    yield from read_run()


def source_kind(source: InputFile) -> str:
    """How a file is read: "stdin", "jsonl", "parquet", "page" (a web page) or "text" (the core may read it)."""
    if source.path == STDIN:
        return "stdin"
    if source.path.lower().endswith(JSON_LINES):
        return "jsonl"
    if source.path.lower().endswith(PARQUET):
        return "parquet"
    return "page" if is_html(source.path) else "text"


class FirstOfEachId:
    """The ids read so far and where from: an article whose id was already read is skipped, naming both sources."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def clash(self, article_id: str, path: str) -> Skipped | None:
        """None for an id read the first time (now remembered), else the Skipped for the article."""
        if article_id not in self.seen:
            self.seen[article_id] = path
            return None
        return Skipped(path, f"duplicate id {article_id!r}: already read from {self.seen[article_id]}")


def _first_of_each_id_in_batches(items: Iterable[ArticleBatch | Skipped]) -> Iterator[ArticleBatch | Skipped]:
    seen = FirstOfEachId()
    for item in items:
        if isinstance(item, ArticleBatch):
            repeated = []
            for position, (article_id, path) in enumerate(zip(item.ids(), item.paths())):
                clash = seen.clash(article_id, path)
                if clash is not None:
                    repeated.append(position)
                    yield clash
            if repeated:
                item.discard(repeated)
        yield item
