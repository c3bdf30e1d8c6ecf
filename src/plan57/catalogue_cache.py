"""Parsing many revisions of the catalogue: each blob once, each indicator's text once.

`plan57 history` reads every revision of a catalogue that changes a few lines at a time. A
full parse takes milliseconds, so two thousand of them would take seconds; two caches are
enough to avoid that:

- by blob id: a revision is parsed once, however many commits name it (a commit's parent is
  the commit before);
- by text: the `indicators` list is cut at its items (the lines that start with its dashes),
  and an item whose exact text an earlier revision had is reused as it was validated. The rest
  of the file (plan, groups, registry, …) is one more piece, cached the same way. The whole
  catalogue is then validated from those pieces, cross-references included.

Whenever the text is not laid out as that cut expects, or a piece fails, the revision is
parsed whole by `parse_catalogue`, which also words the error with its line: the result, or
the error, is always the full parse's.
"""

from __future__ import annotations

import re
from typing import Any

from plan57.catalogue import load_yaml, parse_catalogue
from plan57.errors import CatalogueError
from plan57.models import Catalogue, Indicator, References

# The patterns start with a newline, not `^`: the engine then looks only at line starts, which
# keeps cutting a 50 kB catalogue well under a millisecond. The text is searched with a
# newline put in front.
_HEADER = re.compile(r"\nindicators:[ ]*(?:#[^\n]*)?(?=\n|$)")
# The first line with content (not blank, not a comment) after the header.
_CONTENT = re.compile(r"\n( *)([^\s#])")
# What line-based cutting cannot be sure about: YAML's other line breaks, tabs, documents and
# directives. Such a text is parsed whole.
_UNSURE_CHARACTERS = ("\r", "\t", "\x85", "\u2028", "\u2029")
_UNSURE_LINES = re.compile(r"\n(?:---|\.\.\.|%)")


class _Unsure(Exception):
    """The cut cannot vouch for this text: parse it whole."""


class CatalogueCache:
    """Parse catalogue revisions, sharing unchanged indicators between them.

    Indicators that two revisions write alike are the same objects: callers must treat the
    catalogues as read-only.
    """

    def __init__(self) -> None:
        self._by_blob: dict[str, Catalogue | CatalogueError] = {}
        self._heads: dict[str, _Head] = {}
        self._items: dict[str, Indicator] = {}

    def parse(self, raw: bytes, source: str, blob: str | None = None) -> Catalogue:
        """The catalogue in `raw`; errors are `parse_catalogue`'s `CatalogueError`."""
        if blob is not None and blob in self._by_blob:
            return self.get(blob)
        try:
            result: Catalogue | CatalogueError = self._from_pieces(raw, source)
        except Exception:  # any doubt at all: the full parse decides, and words the error
            try:
                result = parse_catalogue(raw, source)
            except CatalogueError as error:
                result = error
        if blob is not None:
            self._by_blob[blob] = result
        if isinstance(result, CatalogueError):
            raise result
        return result

    def __contains__(self, blob: str) -> bool:
        return blob in self._by_blob

    def get(self, blob: str) -> Catalogue:
        """The catalogue parsed earlier from `blob` (KeyError if never parsed)."""
        cached = self._by_blob[blob]
        if isinstance(cached, CatalogueError):
            raise cached
        return cached

    def _from_pieces(self, raw: bytes, source: str) -> Catalogue:
        head, items = cut(raw.decode("utf-8-sig"))
        known = self._heads.get(head)
        if known is None:
            known = self._heads[head] = _Head(load_yaml(head, source))
        indicators = [self._indicator(item, source) for item in items]
        return known.catalogue(indicators)

    def _indicator(self, item: str, source: str) -> Indicator:
        found = self._items.get(item)
        if found is None:
            data = load_yaml(item, source)
            if not (isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict)):
                raise _Unsure
            found = self._items[item] = Indicator.model_validate(data[0])
        return found


class _Head:
    """A revision's sections but its indicators, validated once, and the indicators already
    checked against them (Catalogue's own checks, `References`, in Catalogue's order)."""

    def __init__(self, data: Any) -> None:
        if not isinstance(data, dict) or "indicators" in data:
            raise _Unsure
        # The registry, groups and plan are checked here, as Catalogue checks them.
        alone = Catalogue.model_validate({**data, "indicators": []})
        self.sections = {name: getattr(alone, name) for name in alone.model_fields_set}
        self.sections.pop("indicators")
        self.references = References(alone.plan, alone.groups, alone.registry)
        self.checked: set[int] = set()  # ids of the Indicator objects that passed

    def catalogue(self, indicators: list[Indicator]) -> Catalogue:
        """The catalogue of these sections and indicators: the checks `Catalogue` runs, each
        indicator's once; any doubt goes to the full parse."""
        if len({ind.id for ind in indicators}) != len(indicators):
            raise _Unsure
        for ind in indicators:
            if id(ind) not in self.checked:
                self.references.check_indicator(ind)
                self.checked.add(id(ind))
        return Catalogue.model_construct(**self.sections, indicators=indicators)


def cut(text: str) -> tuple[str, list[str]]:
    """The catalogue's text without its `indicators` list, and the list's items as text.

    Raises `_Unsure` unless the list is a block sequence under one `indicators:` line at
    column 0, with every line of it at least as indented as its dashes.
    """
    if any(character in text for character in _UNSURE_CHARACTERS):
        raise _Unsure
    text = "\n" + text
    if _UNSURE_LINES.search(text):
        raise _Unsure
    headers = list(_HEADER.finditer(text))
    if len(headers) != 1:
        raise _Unsure
    header = headers[0]
    first = _CONTENT.search(text, header.end())
    if first is None:
        return text[1:], []  # `indicators:` with nothing under it: the full parse decides
    dash = len(first.group(1))
    if not text.startswith(("- ", "-\n"), first.start(2)) and text[first.start(2) :] != "-":
        raise _Unsure
    end = _end_of_list(text, first.start(), dash)
    starts = [m.start() + 1 for m in _item_pattern(dash).finditer(text, first.start(), end)]
    items = [text[a:b] for a, b in zip(starts, [*starts[1:], end + 1], strict=True)]
    return text[1 : header.start() + 1] + text[end + 1 :], items


def _end_of_list(text: str, start: int, dash: int) -> int:
    """Where the list ends (the newline before the next key at column 0), or the text's end."""
    if dash == 0:
        outside = re.compile(r"\n(?!- |-\n|-$)[^\s#]")
    else:
        # A line less indented than the dashes, or as indented without a dash.
        outside = re.compile(rf"\n(?: {{{dash}}}(?!- |-\n|-$)| {{0,{dash - 1}}})[^\s#]")
    found = outside.search(text, start)
    if found is None:
        return len(text)
    if text[found.start() + 1] == " ":
        raise _Unsure  # neither an item nor the next key: let YAML say what it is
    return found.start()


def _item_pattern(dash: int) -> re.Pattern[str]:
    return re.compile(rf"\n {{{dash}}}-(?=[ \n]|$)")
