"""Bytes to text: a byte-order mark, then a declared charset, then UTF-8, then detection.

What a file says about itself wins over a guess: a page declared UTF-8 with one stray
byte is read as UTF-8 with that byte replaced (and its encoding says so), not re-read
whole as cp1250 by a detector that judged it on the stray byte.
"""

from __future__ import annotations

import codecs
import re


# Where a page may declare its charset: a <meta charset> or http-equiv Content-Type near the
# top, or an XML declaration at the very start (bytes read as ASCII: the labels are ASCII).
DECLARATION_BYTES = 4096
_META_CHARSET = re.compile(rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']", re.IGNORECASE)
# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control bytes that text does not hold (tab, line feed, form feed and carriage return are text).
_CONTROL_BYTES = bytes(set(range(32)) - set(b"\t\n\f\r")) + b"\x7f"
# More control bytes (or characters) than this share is a binary file, not text with a stray one.
BINARY_CONTROL_SHARE = 0.05
# A declared charset (or UTF-8) may fail on at most one byte in this many, and on one byte at least.
BYTES_PER_REPLACED_BYTE = 200
# What browsers read for these labels (WHATWG Encoding): a page declared latin-1 holds cp1252 quotes.
_BROWSER_CODECS = {
    "ascii": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254", "iso8859-11": "cp874",
    "tis-620": "cp874", "gb2312": "gb18030", "gbk": "gb18030",
    "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8",
    "utf-32": "utf-8", "utf-32-le": "utf-8", "utf-32-be": "utf-8",
}
_WITHOUT_CONTROLS = dict.fromkeys(_CONTROL_BYTES)
# Python text codecs that are not charsets a page can be written in (escape codecs can even
# produce lone surrogates); a page that names one has declared nothing.
_NOT_CHARSETS = {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined", "utf-7"}
_LONE_SURROGATES = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTE = "\udcff"


def _escape_each_byte(error: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: one lone surrogate per undecodable byte, to count them after."""
    if not isinstance(error, UnicodeDecodeError):  # registered for every codec call: decoding only
        raise error
    return _ESCAPED_BYTE * (error.end - error.start), error.end


codecs.register_error("newsdedup.escape_each_byte", _escape_each_byte)


def _may_hold_surrogates(text: str) -> bool:
    """False when ``text`` surely holds none: ASCII (answered without a scan), or encodable as UTF-8."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def replace_lone_surrogates(text: str) -> tuple[str, int]:
    """``text`` with every lone surrogate (not valid Unicode; no encoder writes it) as U+FFFD, and how many."""
    if not _may_hold_surrogates(text):
        return text, 0
    return _LONE_SURROGATES.subn("\ufffd", text)


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text``, if any."""
    found = _LONE_SURROGATES.search(text) if _may_hold_surrogates(text) else None
    return found.group() if found else None


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _decode_tolerantly(data: bytes, codec: str) -> tuple[str, int] | None:
    """(text with each undecodable byte as U+FFFD, bytes replaced), or None when ``codec`` cannot decode bytes."""
    try:
        text = data.decode(codec, errors="newsdedup.escape_each_byte")
    except (LookupError, UnicodeError):
        return None
    return replace_lone_surrogates(text)


def _few(replaced: int, size: int) -> bool:
    return replaced <= max(1, size // BYTES_PER_REPLACED_BYTE)


def _label(codec: str, replaced: int) -> str:
    return codec if replaced == 0 else f"{codec}, {_plural(replaced, 'byte')} replaced"


def browser_codec(label: str) -> str | None:
    """The Python codec a declared charset label names, as browsers read it; None for an unknown label."""
    try:
        codec = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if codec in _NOT_CHARSETS:
        return None
    return _BROWSER_CODECS.get(codec, codec)


def _non_ascii(text: str) -> int:
    """Characters beyond ASCII, replacement characters aside: evidence that UTF-8 was meant."""
    return len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")


def _control_share(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / max(len(data), 1)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str] | str:
    """(text, encoding as the report shows it), or the reason the bytes are not text.

    Order: a byte-order mark; the charset the file declares (``declared``, a codec name);
    UTF-8; detection (charset-normalizer). A mark, a declaration or UTF-8 that fails on a
    few bytes still wins, with those bytes replaced by U+FFFD and counted in the encoding
    ("utf-8, 1 byte replaced"); UTF-8 does only when its valid non-ASCII characters
    outnumber the bad bytes (otherwise the bytes are more likely another charset).
    Binary means a share of control bytes, so one stray NUL in a text is only a stray NUL.
    """
    for mark, codec in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            decoded = _decode_tolerantly(data[len(mark):], codec)
            if decoded is not None and _few(decoded[1], len(data)):
                return decoded[0], _label(codec.removesuffix("-le").removesuffix("-be"), decoded[1])
            break
    share = _control_share(data)
    if share > BINARY_CONTROL_SHARE:
        return f"binary file ({share:.0%} control bytes)"
    if declared is not None:
        decoded = _decode_tolerantly(data, declared)
        if decoded is not None and _few(decoded[1], len(data)):
            return decoded[0], _label(declared, decoded[1])
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    decoded = _decode_tolerantly(data, "utf-8")
    if decoded is not None and _few(decoded[1], len(data)) and _non_ascii(decoded[0]) > decoded[1]:
        return decoded[0], _label("utf-8", decoded[1])
    from charset_normalizer import from_bytes  # here: only a text that is not UTF-8 gets this far

    guess = from_bytes(data).best()
    if guess is None:
        return "not text: the encoding could not be detected (save it as UTF-8)"
    text, surrogates = replace_lone_surrogates(str(guess))  # utf-7 can make them
    controls = len(text) - len(text.translate(_WITHOUT_CONTROLS))
    if controls > BINARY_CONTROL_SHARE * max(len(text), 1):
        return "binary file (control characters)"
    return text, _label(guess.encoding, surrogates)


def declared_charset(data: bytes) -> str | None:
    """The charset label a page declares about itself (XML declaration, then <meta>), or None."""
    head = data[:DECLARATION_BYTES]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii") if found else None
