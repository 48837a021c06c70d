"""Bytes to text: a byte-order mark, then a declared charset, then UTF-8, then detection.

What a file says about itself wins over a guess: a page declared UTF-8 with one stray
byte is read as UTF-8 with that byte replaced (and its encoding says so), not re-read
whole as cp1250 by a detector that judged it on the stray byte. But a declaration is
judged, not obeyed: UTF-8 bytes under a legacy declaration are read as UTF-8, and a
declaration that fails on many bytes gives way; the encoding then says so
("utf-8 (declared cp1252)", "cp1252 (declared utf-8, 37 bytes not utf-8)").
"""

from __future__ import annotations

import codecs
import functools
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
# UTF-8 wins over a legacy declaration, or over detection, when its multi-byte characters
# outnumber the bytes that are not UTF-8 more than this many times. In real legacy text such
# sequences form only by chance: whole paragraphs hold 1 per 7 bad bytes (Russian in cp866) or
# 1 per 2.6 (Japanese in EUC-JP), no snippet of 3 to 16 characters more than 3 per bad byte
# (measured on the texts of tests/test_charset.py).
UTF8_SEQUENCES_PER_BAD_BYTE = 3
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))
_NOT_UTF8_RUN = re.compile("[\udc80-\udcff]+")  # what surrogateescape makes of bytes that are not UTF-8
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


def _utf8_dominates(text: str, replaced: int) -> bool:
    """Whether UTF-8 text holds so many more multi-byte characters than replaced bytes that
    the bytes are UTF-8 with some others mixed in, however many (see UTF8_SEQUENCES_PER_BAD_BYTE)."""
    return _non_ascii(text) > UTF8_SEQUENCES_PER_BAD_BYTE * replaced


def _control_share(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / max(len(data), 1)


def _is_text_codec(name: str) -> bool:
    """Whether ``name`` is a codec that decodes bytes to text (base64 and rot13 are not)."""
    try:
        b" ".decode(name, errors="replace")  # an empty input is decoded before the codec is checked
    except LookupError:
        return False
    return True


def _declares_utf8(declared: str) -> bool:
    return codecs.lookup(declared).name in ("utf-8", "utf-8-sig")


@functools.cache
def _single_byte(codec: str) -> bool:
    """Whether ``codec`` reads each byte on its own (cp1252, koi8-r), so that a stray byte reads right."""
    high = bytes(range(0x80, 0x100))
    return high.decode(codec, errors="replace") == "".join(
        bytes([byte]).decode(codec, errors="replace") for byte in high)


def _read_as_declared(escaped: str, declared: str) -> tuple[str, int, int]:
    """UTF-8 text with each run of bytes that were not UTF-8 read in the (single-byte) declared
    charset: (text, bytes so read, bytes replaced because that charset cannot read them either)."""
    read = replaced = 0

    def run_as_declared(found: re.Match[str]) -> str:
        nonlocal read, replaced
        run = found.group().encode("utf-8", "surrogateescape")
        decoded = _decode_tolerantly(run, declared) or ("\ufffd" * len(run), len(run))
        read += len(run) - decoded[1]
        replaced += decoded[1]
        return decoded[0]

    return _NOT_UTF8_RUN.sub(run_as_declared, escaped), read, replaced


def _utf8_despite_declaration(data: bytes, declared: str) -> tuple[str, str] | None:
    """The bytes as UTF-8 when they are UTF-8 whatever the legacy ``declared`` says, else None.

    Valid multi-byte UTF-8 sequences are what a legacy decoder turns into mojibake ("â€™",
    "тАЩ", "鈥檚"): legacy text forms them only by chance, and rarely (see
    UTF8_SEQUENCES_PER_BAD_BYTE). So UTF-8 wins when they outnumber the bytes that are not
    UTF-8 more than three to one. Those bytes (a stray byte, a template's footer, a quote
    pasted in) are read in a declared single-byte charset, not replaced: a UTF-8 page that
    declares a legacy charset got the declaration from its template, and the template's own
    bytes are in the charset it declares. In a multi-byte charset they are replaced: legacy
    CJK bytes often hold a valid UTF-8 sequence by chance, which splits them into pieces
    that no longer read as the charset's characters.
    """
    if data.isascii():
        return None
    # Quick no, without decoding: each valid sequence holds a continuation byte and at most four
    # bytes, so UTF-8 cannot win with too few continuation bytes (legacy Latin, Greek, cp1251).
    non_ascii = len(data) - len(data.translate(None, _HIGH_BYTES))
    continuation = len(data) - len(data.translate(None, _CONTINUATION_BYTES))
    if continuation * (1 + 4 * UTF8_SEQUENCES_PER_BAD_BYTE) <= UTF8_SEQUENCES_PER_BAD_BYTE * non_ascii:
        return None
    escaped = data.decode("utf-8", errors="surrogateescape")
    not_utf8 = len(data) - len(escaped.encode("utf-8", errors="ignore"))  # surrogates are dropped
    multi_byte = len(escaped) - len(escaped.encode("ascii", errors="ignore")) - not_utf8
    if multi_byte == 0 or multi_byte <= UTF8_SEQUENCES_PER_BAD_BYTE * not_utf8:
        return None
    if not_utf8 == 0:
        return escaped, f"utf-8 (declared {declared})"
    if not _single_byte(declared):
        text, replaced = replace_lone_surrogates(escaped)
        return text, f"{_label('utf-8', replaced)} (declared {declared})"
    text, read, replaced = _read_as_declared(escaped, declared)
    detail = f", {_plural(read, 'byte')} read as {declared}" if read else ""
    return text, f"{_label('utf-8', replaced)} (declared {declared}{detail})"


def decode(data: bytes, declared: str | None = None) -> tuple[str, str] | str:
    """(text, encoding as the report shows it), or the reason the bytes are not text.

    Order: a byte-order mark; the charset the file declares (``declared``, a codec name);
    UTF-8; detection (charset-normalizer). A mark, a declaration or UTF-8 that fails on a
    few bytes still wins, with those bytes replaced by U+FFFD and counted in the encoding
    ("utf-8, 1 byte replaced"); UTF-8 does only when its valid non-ASCII characters
    outnumber the bad bytes (otherwise the bytes are more likely another charset). UTF-8
    that fails on many bytes still wins over detection when its multi-byte characters
    outnumber them more than three to one: a UTF-8 page with a legacy footer is not sent to
    a detector that reads the whole of it as one wrong charset, or finds none.
    Binary means a share of control bytes, so one stray NUL in a text is only a stray NUL.

    A declaration is judged. Bytes that are UTF-8 under a legacy declaration are read as
    UTF-8 ("utf-8 (declared cp1252)"); when a few of them are not UTF-8, those are read in
    the declared charset ("utf-8 (declared cp1252, 1 byte read as cp1252)"): see
    _utf8_despite_declaration. A declaration that fails on more than a few bytes gives way to
    UTF-8 or detection, and the encoding says so ("cp1252 (declared utf-8, 37 bytes not utf-8)").
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
    gave_way = ""
    if declared is not None and _is_text_codec(declared):
        if not _declares_utf8(declared):
            judged = _utf8_despite_declaration(data, declared)
            if judged is not None:
                return judged
        decoded = _decode_tolerantly(data, declared)
        if decoded is not None and (_few(decoded[1], len(data))
                                    or _declares_utf8(declared) and _utf8_dominates(*decoded)):
            return decoded[0], _label(declared, decoded[1])
        if decoded is not None:
            gave_way = f" (declared {declared}, {_plural(decoded[1], 'byte')} not {declared})"
    try:
        return data.decode("utf-8"), "utf-8" + gave_way
    except UnicodeDecodeError:
        pass
    decoded = _decode_tolerantly(data, "utf-8")
    if decoded is not None and (_few(decoded[1], len(data)) and _non_ascii(decoded[0]) > decoded[1]
                                or _utf8_dominates(*decoded)):
        return decoded[0], _label("utf-8", decoded[1]) + gave_way
    from charset_normalizer import from_bytes  # here: only a text that is not UTF-8 gets this far

    guess = from_bytes(data).best()
    if guess is None:
        return "not text: the encoding could not be detected (save it as UTF-8)"
    text, surrogates = replace_lone_surrogates(str(guess))  # utf-7 can make them
    controls = len(text) - len(text.translate(_WITHOUT_CONTROLS))
    if controls > BINARY_CONTROL_SHARE * max(len(text), 1):
        return "binary file (control characters)"
    return text, _label(guess.encoding, surrogates) + gave_way


def declared_charset(data: bytes) -> str | None:
    """The charset label a page declares about itself (XML declaration, then <meta>), or None."""
    head = data[:DECLARATION_BYTES]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii") if found else None


def decode_page(data: bytes) -> tuple[str, str] | str:
    """A web page's bytes as ``decode`` reads them, with the charset the page declares, as a browser reads its label."""
    label = declared_charset(data)
    return decode(data, browser_codec(label) if label else None)
