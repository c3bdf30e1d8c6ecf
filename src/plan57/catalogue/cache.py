"""Parsing many revisions of the catalogue (`plan57 history`): each text once, each indicator once.

History reads thousands of revisions that differ in a few lines; a full parse of
`data/targets.yaml` takes milliseconds, so parsing each whole would take many seconds. The
catalogue is written in one plain layout, so each revision is cut at its lines into the items
of `indicators` and the rest, and each piece is parsed and validated once, cached by its text.
Whatever the cut cannot vouch for goes through `parse_catalogue`, so the result, or the error,
is always the full parse's. docs/performance.md says what this costs and buys, measured.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import Any, cast

from pydantic import ValidationError

from plan57.catalogue.loading import load_yaml, parse_catalogue
from plan57.catalogue.models import Catalogue, Indicator, References, TargetError
from plan57.errors import CatalogueError

# The catalogue is written in one plain layout: top-level keys in column 0, and under
# `indicators:` one item per `  - ` line with all its other lines more indented. Text in that
# layout is cut at those lines into pieces that YAML reads alone as it reads them in the whole;
# text in any other layout goes through the full parse. The text is cut as bytes (decoding
# every revision whole would cost more than the cutting), and each piece is decoded when first
# met, which also proves the whole is UTF-8: the cuts fall on line breaks.
_BOM = b"\xef\xbb\xbf"
# Tabs and line breaks other than \n (lone \r, NEL, the Unicode separators) would make the
# line rule unsure; so would a byte-order mark that is not the first character.
_OFF_LAYOUT = (b"\t", b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9", _BOM)
_TOP_LINE = re.compile(rb"\n[^ #\n]")  # a line break, then a line starting in column 0
_TOP_KEY = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*(?=:(?: |\n|$))")
_INDICATORS_HEADER = re.compile(rb"indicators: *(?:#[^\n]*)?\n")
_ITEM_LINE = re.compile(rb"\n  -(?=[ \n])")
_CONTENT_LINE = re.compile(rb"\n *[^ #\n]")
# Among the items: content in column 0 or 1, or in column 2 that is not an item's dash.
_STRAY_LINE = re.compile(rb"\n(?: ?[^ #\n]|  [^ #\n-]|  -[^ \n])")
# An item whose last key is `targets`, one milestone a line: each line is read on its own.
_TARGET_LINES = re.compile(r"\n    targets:\n((?:      20[0-9][0-9]: [^\n]*\n)+)\Z")


@dataclass(frozen=True)
class _Cut:
    """A catalogue text cut into the items of `indicators` and the rest."""

    text: bytes  # the whole, without a byte-order mark
    starts: list[int]  # where each item starts (the first space of `  - `)
    end: int  # where the last item ends: the next top-level key, or the end of the text

    @property
    def rest(self) -> bytes:
        return self.text[: self.starts[0]] + self.text[self.end :]

    def pieces(self) -> list[bytes]:
        text, bounds = self.text, [*self.starts, self.end]
        return [text[start:stop] for start, stop in itertools.pairwise(bounds)]


def _cut(text: bytes) -> _Cut | None:
    """`text` cut into items and the rest; None when it is not in the plain layout.

    Every line in column 0 is a comment or a `key:`, one of them `indicators:` alone on its
    line; below it, up to the next key, every line with content in column 0-2 is a comment or
    the dash of an item. So an item's other lines are more indented, and YAML reads each item
    alone (as a one-item sequence) as it reads it in the whole: a quote or bracket left open
    across a cut makes a piece fail, and a failed piece sends the text to the full parse.
    """
    if any(mark in text for mark in _OFF_LAYOUT):
        return None
    lined = b"\n" + text  # lined[i] is the line break before the line starting at text[i]
    tops = [match.start() for match in _TOP_LINE.finditer(lined)]
    if not tops or _CONTENT_LINE.search(lined, 0, tops[0]):
        return None  # no key in column 0, or content above the first one
    keys = [_TOP_KEY.match(text, top) for top in tops]
    if None in keys:
        return None  # a document marker, a directive, an item in column 0
    headers = [n for n, key in enumerate(keys) if key is not None and key[0] == b"indicators"]
    if len(headers) != 1:
        return None
    header = _INDICATORS_HEADER.match(text, tops[headers[0]])
    if header is None:
        return None  # `indicators:` with a value on its line (`[]`, a tag, an anchor)
    end = tops[headers[0] + 1] if headers[0] + 1 < len(tops) else len(text)
    starts = _items(text, header.end(), end)
    if not starts or _CONTENT_LINE.search(text, header.end() - 1, starts[0] - 1):
        return None  # no item, or content between the header and the first item
    return _Cut(text, starts, end)


def _items(text: bytes, start: int, stop: int) -> list[int] | None:
    """Where the items in text[start:stop] start (`start` follows a line break); None when a
    line there has content in column 0-2 other than a comment or an item's dash."""
    if _STRAY_LINE.search(text, start - 1, stop):
        return None
    return [match.start() + 1 for match in _ITEM_LINE.finditer(text, start - 1, stop)]


def _recut(last: _Cut, text: bytes) -> _Cut | None:
    """`text` cut from the cut of the revision before, when all it changed lies within items.

    The bytes before the first difference and after the last are `last`'s, and so are their
    cuts and checks (each check looks at one line and the line break before it); the items
    the difference touches are cut again, as `_cut` would. None: cut the whole text.
    """
    old, starts = last.text, last.starts
    same_start = _common_prefix(old, text)
    same_end = _common_suffix(old, text, min(len(old), len(text)) - same_start)
    changed_end = len(old) - same_end  # old[same_start:changed_end] became something else
    # From the item holding the line above the difference's (a line inserted above an item
    # shares the item's indentation, and belongs to the item above) to the item holding the
    # difference's last byte.
    above = old.rfind(b"\n", 0, same_start)  # where that line ends
    if above < starts[0] - 1 or changed_end >= last.end:
        return None
    first = max(bisect.bisect_right(starts, above) - 1, 0)
    after = bisect.bisect_right(starts, changed_end)
    shift = len(text) - len(old)
    stop = (starts[after] if after < len(starts) else last.end) + shift
    # The bytes that changed, and two either side: a mark of up to three bytes is met nowhere
    # else (the rest of the text was checked with the revision before).
    changed = text[max(same_start - 2, 0) : len(text) - same_end + 2]
    if any(mark in changed for mark in _OFF_LAYOUT):
        return None
    items = _items(text, starts[first], stop)
    if not items or items[0] != starts[first]:
        return None
    moved = [start + shift for start in starts[after:]]
    return _Cut(text, [*starts[:first], *items, *moved], last.end + shift)


def _common_prefix(a: bytes, b: bytes, step: int = 2048) -> int:
    """How many first bytes `a` and `b` share (slices compare with memcmp)."""
    limit, at = min(len(a), len(b)), 0
    while at < limit and a[at : at + step] == b[at : at + step]:
        at += step
    if at >= limit:
        return limit
    low, high = at, min(at + step, limit)  # the first difference lies in a[at:high]
    while low < high:
        middle = (low + high + 1) // 2
        if a[at:middle] == b[at:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: bytes, b: bytes, limit: int, step: int = 2048) -> int:
    """How many last bytes `a` and `b` share, at most `limit`."""
    at = 0
    while (
        at < limit
        and a[len(a) - min(at + step, limit) : len(a) - at]
        == b[len(b) - min(at + step, limit) : len(b) - at]
    ):
        at += step
    if at >= limit:
        return limit
    low, high = at, min(at + step, limit)  # the last difference lies within that many bytes
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle : len(a) - at] == b[len(b) - middle : len(b) - at]:
            low = middle
        else:
            high = middle - 1
    return low


class CatalogueCache:
    """Parse many revisions of the catalogue, each distinct text once and each indicator once.

    A revision is cut into its items and the rest (`_cut`; from the revision read just before
    when only items changed, `_recut`). The rest is parsed and validated once per distinct
    text, each item once per distinct text (a milestone line once per distinct line), and the
    cross-references with `Catalogue`'s own checks (`References`) once per indicator and rest.
    Revisions that share an item's text share its `Indicator`, and those that share the rest
    share its sections: the catalogues are read-only. Text the cut cannot vouch for, or that
    fails anywhere, goes through `parse_catalogue` whole, which also words the error: the
    result, or the error, is always the full parse's.
    """

    def __init__(self) -> None:
        self._by_blob: dict[str, Catalogue | CatalogueError] = {}
        self._rests: dict[bytes, _Rest | None] = {}
        self._items: dict[bytes, Indicator | None] = {}
        self._fronts: dict[str, dict[Any, Any] | None] = {}
        self._milestones: dict[str, tuple[int, Any] | None] = {}
        self._last: _Cut | None = None

    def parse(self, raw: bytes, source: str, blob: str | None = None) -> Catalogue:
        """The catalogue in `raw`, as `parse_catalogue` gives it (or its `CatalogueError`)."""
        if blob is not None and blob in self._by_blob:
            return self.get(blob)
        result: Catalogue | CatalogueError
        try:
            result = self._from_pieces(raw) or parse_catalogue(raw, source)
        except CatalogueError as error:
            result = error
        if blob is not None:
            self._by_blob[blob] = result
        if isinstance(result, CatalogueError):
            raise result
        return result

    def refuse(self, blob: str, error: CatalogueError) -> None:
        """Remember that `blob` holds no catalogue that can be read: `get` raises `error`."""
        self._by_blob[blob] = error

    def __contains__(self, blob: str) -> bool:
        return blob in self._by_blob

    def get(self, blob: str) -> Catalogue:
        """The catalogue parsed earlier from `blob` (KeyError if never parsed)."""
        cached = self._by_blob[blob]
        if isinstance(cached, CatalogueError):
            raise cached
        return cached

    def _from_pieces(self, raw: bytes) -> Catalogue | None:
        text = raw.removeprefix(_BOM)
        cut = (self._last and _recut(self._last, text)) or _cut(text)
        if cut is None:
            return None
        self._last = cut
        rest = self._rest(cut.rest)
        indicators = [self._indicator(piece) for piece in cut.pieces()]
        if rest is None or any(indicator is None for indicator in indicators):
            return None
        return rest.catalogue(cast(list[Indicator], indicators))

    def _rest(self, text: bytes) -> _Rest | None:
        if text not in self._rests:
            self._rests[text] = _Rest.parse(text)
        return self._rests[text]

    def _indicator(self, piece: bytes) -> Indicator | None:
        if piece not in self._items:
            self._items[piece] = self._parse_item(piece)
        return self._items[piece]

    def _parse_item(self, piece: bytes) -> Indicator | None:
        """One item of `indicators`; None when it is not a valid indicator on its own."""
        try:
            text = piece.decode("utf-8")
        except UnicodeDecodeError:
            return None
        data = self._item_by_lines(text)
        if data is None:
            data = _load_piece(text)
            if not isinstance(data, list) or len(data) != 1:
                return None
            data = data[0]
        try:
            return Indicator.model_validate(data)
        except (ValidationError, TargetError):
            return None

    def _item_by_lines(self, text: str) -> dict[Any, Any] | None:
        """The item read as its keys down to `targets:`, then each milestone line alone (what
        a moved target changes); None when the item is not written so, or a part fails.

        Each milestone line is in column 6 with nothing below it more indented, so none
        continues onto the next; a quote or bracket left open makes its line fail.
        """
        lines = _TARGET_LINES.search(text)
        if lines is None:
            return None
        front = text[: lines.start(1)]
        if front not in self._fronts:
            data = _load_piece(front)
            ok = isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict)
            self._fronts[front] = data[0] if ok and data[0].get("targets", 0) is None else None
        item = self._fronts[front]
        if item is None:
            return None
        targets: dict[Any, Any] = {}
        for line in lines.group(1).splitlines(keepends=True):
            if line not in self._milestones:
                value = _load_piece(line)
                ok = isinstance(value, dict) and list(value) == [int(line[6:10])]
                self._milestones[line] = (int(line[6:10]), value[int(line[6:10])]) if ok else None
            milestone = self._milestones[line]
            if milestone is None or milestone[0] in targets:
                return None  # a repeated milestone is the full parse's to refuse
            targets[milestone[0]] = milestone[1]
        return {**item, "targets": targets}


class _Rest:
    """The catalogue but its indicators, validated, and the indicators checked against it."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._fields = {
            name: getattr(catalogue, name)
            for name in Catalogue.model_fields
            if name != "indicators"
        }
        self._set = catalogue.model_fields_set
        self._references = References(catalogue.plan, catalogue.groups, catalogue.registry)
        # Indicators whose references hold here, by identity (kept, so that ids stay theirs).
        self._checked: dict[int, Indicator] = {}

    @classmethod
    def parse(cls, text: bytes) -> _Rest | None:
        try:
            data = _load_piece(text.decode("utf-8"))
        except UnicodeDecodeError:
            return None
        if not isinstance(data, dict) or data.get("indicators", 0) is not None:
            return None  # `indicators:` there is null: its items were cut away
        try:
            return cls(Catalogue.model_validate({**data, "indicators": []}))
        except ValidationError:
            return None

    def catalogue(self, indicators: list[Indicator]) -> Catalogue | None:
        """The catalogue with these indicators, as `Catalogue`'s validation builds it; None
        when a check fails (the full parse then words the error)."""
        if len({indicator.id for indicator in indicators}) != len(indicators):
            return None
        for indicator in indicators:
            if self._checked.get(id(indicator)) is indicator:
                continue
            try:
                self._references.check_indicator(indicator)
            except ValueError:
                return None
            self._checked[id(indicator)] = indicator
        # Fresh lists, as validation makes them: the cached ones are shared between revisions.
        fields: dict[str, Any] = {
            name: list(value) if isinstance(value, list) else value
            for name, value in self._fields.items()
        }
        return Catalogue.model_construct(self._set, **fields, indicators=indicators)


def _load_piece(text: str) -> Any:
    """A piece's YAML by the catalogue's safe rules (`load_yaml`); None when it fails."""
    try:
        return load_yaml(text, "")
    except CatalogueError:
        return None
