"""CSV files as Excel saves them: each code page, delimiter, byte-order mark and line ending.

Excel on a Vietnamese Windows saves "CSV (Comma delimited)" in windows-1258, where a toned
vowel is a base letter followed by a combining tone mark (ệ is ê + dot below), separated by
semicolons when the list separator is ";" and with the locale's decimal comma. "Unicode Text"
is UTF-16 with a byte-order mark and tabs; "CSV UTF-8" is UTF-8 with a byte-order mark.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """`text` encoded as Windows does it for code page 1258 (tone marks as combining bytes)."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)


def export(
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    newline: str = "\r\n",
    bom: bool = False,
) -> bytes:
    """`rows` saved as Excel would: its quoting, `newline` after every row, the encoding."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    text = buffer.getvalue()
    if encoding == "windows-1258":
        return cp1258(text)
    if encoding == "windows-1252":
        return text.encode("cp1252")
    if encoding == "utf-16-le":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    data = text.encode("utf-8")
    return codecs.BOM_UTF8 + data if bom else data


def canonical(rows: list[list[str]]) -> bytes:
    """What `plan57 fix` writes for `rows`."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")
