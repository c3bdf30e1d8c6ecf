"""A unit's narrative for a period: what it did, what held it back, what it proposes.

Beside its figures, a unit commits `data/submissions/<reporter>/<period>.md` with three fixed
headings (Kết quả nổi bật; Khó khăn, vướng mắc; Kiến nghị, đề xuất), each followed by plain
paragraphs or list items. `check` validates the headings, the size and the characters; the
reports compile the narratives by group of units and the site shows each on its unit's page.
The text is kept as written (paragraphs of plain text) and escaped where it lands.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from plan57.findings import Finding, make_finding
from plan57.messages import Message, suggestion
from plan57.periods import Period

Part = Literal["highlights", "difficulties", "proposals"]
PARTS: tuple[Part, ...] = ("highlights", "difficulties", "proposals")
# The headings as the file writes them, in the order of a unit's report.
HEADINGS: dict[Part, str] = {
    "highlights": "Kết quả nổi bật",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Kiến nghị, đề xuất",
}
SUFFIX = ".md"
# A part longer than this is a document pasted whole, not the part of a report a committee
# reads: two pages of text at most.
MAX_PART_CHARS = 6_000
# The whole file, judged from its size before it is read.
MAX_BYTES = 64_000

_HEADING = re.compile(r"#{1,6}\s+(.*?)\s*#*\s*")
_ITEM = re.compile(r"(?:[-*+•]|\d{1,3}[.)])\s+(.*)")
# Control and bidirectional-override characters: nothing a report should carry.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Narrative:
    """One unit's narrative for one period: each part's paragraphs, in order."""

    path: str
    reporter: str
    period: Period
    parts: dict[Part, list[str]] = field(default_factory=dict)


def _key(heading: str) -> str:
    return " ".join(unicodedata.normalize("NFC", heading).rstrip(":").split()).casefold()


_KNOWN = {_key(text): part for part, text in HEADINGS.items()}


def _closest(typed: str) -> Message | str:
    """The heading meant: one the typed heading begins ("Khó khăn"), else the closest."""
    key = _key(typed)
    for heading in HEADINGS.values():
        if key and _key(heading).startswith(key):
            return Message("label.did-you-mean", {"value": heading})
    return suggestion(typed, list(HEADINGS.values()))


def parse_narrative(
    text: str, path: str, reporter: str, period: Period
) -> tuple[Narrative, list[Finding]]:
    """The narrative in `text` (decoded, NFC) and what is wrong with it."""
    findings: list[Finding] = []
    parts: dict[Part, list[str]] = {}
    lines: dict[Part, int] = {}
    current: Part | None = None
    # Under a heading already reported: its text is part of that finding, not one of its own.
    skipping = False
    paragraph: list[str] = []

    def close() -> None:
        if current is not None and paragraph:
            parts[current].append(" ".join(paragraph))
        paragraph.clear()

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if (found := _CONTROL.search(raw)) is not None:
            findings.append(
                make_finding(
                    "narrative-character",
                    file=path,
                    line=number,
                    character=f"U+{ord(found.group()):04X}",
                )
            )
            continue
        heading = _HEADING.fullmatch(line)
        if heading is not None:
            close()
            part = _KNOWN.get(_key(heading.group(1)))
            if part is None or part in parts:
                findings.append(
                    make_finding(
                        "narrative-heading",
                        file=path,
                        line=number,
                        heading=heading.group(1)[:80],
                        headings="; ".join(HEADINGS.values()),
                        suggestion=_closest(heading.group(1)) if part is None else "",
                    )
                )
                current, skipping = None, True
                continue
            current, skipping = part, False
            parts[part], lines[part] = [], number
            continue
        if not line:
            close()
            continue
        if skipping:
            continue
        if current is None:
            if not findings or findings[-1].code != "narrative-text-outside":
                findings.append(
                    make_finding("narrative-text-outside", file=path, line=number, text=line[:60])
                )
            continue
        item = _ITEM.fullmatch(line)
        if item is not None:
            close()
            paragraph.append(item.group(1))
            close()
        else:
            paragraph.append(line)
    close()
    for part in PARTS:
        if part not in parts:
            findings.append(make_finding("narrative-missing", file=path, heading=HEADINGS[part]))
        elif (size := sum(len(p) for p in parts[part])) > MAX_PART_CHARS:
            findings.append(
                make_finding(
                    "narrative-too-long",
                    file=path,
                    line=lines[part],
                    heading=HEADINGS[part],
                    size=size,
                    limit=MAX_PART_CHARS,
                )
            )
    return Narrative(path, reporter, period, parts), findings
