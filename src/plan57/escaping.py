"""Text from the data made safe for the place it lands: one helper per kind of output.

Submissions, the catalogue, file names and commits are written by many hands. Whatever they
hold, no control character (other than a line break or a tab), no bidirectional override and
no invisible formatting character reaches a terminal, a log, a CI annotation or a report as
itself: it is shown as its escape (`\\u001b`, `\\u202e`, `\\xff` for a byte that is not
UTF-8). The escapes are JSON's own, so a JSON document passed through `visible` still parses
to the same data.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_NOT_ASCII_PRINTABLE = re.compile(r"[^\x20-\x7e]")
# Markdown's inline syntax and table breaks; `&`, `<` and `>` become entities instead.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# What a forge turns into a live link or a notification by itself, with no syntax at all: a
# URL or `www.` (autolinks), an @mention of a person or a team, an issue reference (#12).
_LIVE = re.compile(r"(?i)\b(?:https?|ftp|mailto|xmpp|www)(?=[:.])|[@#](?=\w)")
# A zero-width space, written as an entity, after the scheme, `@` or `#`: the reader sees the
# same text, the forge no longer finds a link or a mention in it.
_BREAK = "&#8203;"


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFFFF:  # as JSON writes it: a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def visible(text: str, *, keep: str = "", spaces: bool = True) -> str:
    """`text` with every character that is not printable shown as its escape.

    Not printable: control characters, format characters (bidirectional overrides and
    isolates, zero-width characters, the byte-order mark), line and paragraph separators,
    surrogates, private-use and unassigned code points. `keep` names characters let through
    (line break, tab); spaces of every width (no-break, thin) are printed as they are unless
    `spaces` is false (a quoted cell shows a no-break space, which is why "1 500" is refused).
    """
    if text.isprintable():
        return text
    probe = text
    for ch in keep:
        probe = probe.replace(ch, "")
    if probe.isprintable():  # the usual case, tested at C speed: nothing to escape
        return text

    def one(match: re.Match[str]) -> str:
        ch = match.group()
        return ch if ch.isprintable() or ch in keep or (spaces and _space(ch)) else _escape(ch)

    return _NOT_ASCII_PRINTABLE.sub(one, text)


def _space(ch: str) -> bool:
    return unicodedata.category(ch) == "Zs"


def inline(text: str) -> str:
    """Data inside a line of output: everything not printable shown as its escape, line
    breaks included, so that data never ends a line (and never starts the next one with a
    forged CI workflow command such as `::error file=…::`). Idempotent: what it returns is
    printable ASCII escapes and printable text."""
    return visible(text)


def terminal(text: str) -> str:
    """Text for a terminal or a log: line breaks and tabs kept, everything else visible."""
    return visible(text, keep="\n\t")


def markdown(value: Any, *, newline: str = " ") -> str:
    """Text made inert in Markdown: no HTML, no emphasis, links, headings or table breaks,
    and no live link, @mention or issue reference that a forge makes from plain text.

    Line breaks become `newline` (a space: one table cell, one list item); other whitespace
    runs become one space.
    """
    lines = (visible(" ".join(line.split())) for line in str(value).splitlines())
    return newline.join(_inert(line) for line in lines if line)


def _inert(line: str) -> str:
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    line = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    return _LIVE.sub(lambda match: match.group() + _BREAK, line)
