"""Parsing many revisions of the catalogue quickly, by reusing what did not change.

A full parse of `data/targets.yaml` takes milliseconds, so two thousand revisions would take
many seconds. Successive revisions differ in a few lines, so the text is cut into pieces that
YAML parses independently (each top-level key; each item of `indicators`), and every piece is
parsed and validated once, cached by its exact text. A whole revision is also cached by its
blob id.

Three refinements make a revision that moves a few targets cost little more than reading it:

- The text is compared with the revision parsed just before (history reads them in order).
  When the bytes that differ lie within items of `indicators`, only those items are cut and
  looked up again; the rest of the cutting is the previous revision's.
- An edited item is cut finer: each of its keys, and each milestone under `targets`, is
  parsed on its own and cached by its text, so one moved target is one line to parse.
- The cross-references are checked with `Catalogue`'s own checks (`References`) once per
  registry, and each indicator once per registry, not the whole catalogue at every revision.

Any text this cutting cannot be sure about (tabs, odd line breaks, directives, flow
collections spanning keys, a piece that fails) goes through `parse_catalogue` in full, which
also gives the precise error; so the result, or the error, is always the full parse's. An
item whose finer cutting is in doubt is parsed as one piece, which is still exact.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from plan57.catalogue import parse_catalogue
from plan57.errors import CatalogueError
from plan57.models import Catalogue, Group, Indicator, Plan, References, RegistryEntry

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The text is cut as bytes (decoding every revision whole would cost more than the rest of
# the cutting); each piece is decoded when it is first met, which also proves the whole is
# UTF-8, since the cuts fall on line breaks and valid UTF-8 never has one inside a character.
_BOM = b"\xef\xbb\xbf"
# Anything that makes line-based cutting unsafe: tab indentation, line breaks other than \n
# (YAML also breaks lines on lone \r, NEL and the Unicode separators, here in UTF-8). The
# patterns below start with a newline rather than `^`, which lets the regex engine skip ahead
# quickly; the text is searched with a newline put in front.
_RARE = (b"\t", b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")
_UNSAFE = re.compile(rb"\n *\t|\r(?!\n)|\xc2\x85|\xe2\x80[\xa8\xa9]")
# A line with content in column 0 (not a comment, not a sequence item of a section). As bytes,
# `\s` is ASCII whitespace only: a line starting with other Unicode whitespace is taken for a
# key here, fails `_KEY`, and goes to the full parse.
_COLUMN_ZERO = re.compile(rb"\n[^\s#\-][^\n]*")
_KEY = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*):(?:[ \r]|$)")
_INDICATORS_HEADER = re.compile(rb"\nindicators:[ ]*(?:#[^\n]*)?\r?\n")
_CONTENT = re.compile(rb"\n *[^ \n\r#]")
# Where an item is cut finer (as text): a line that starts a key of a block mapping, and a
# key with nothing after it but a comment (its value is the more indented mapping below).
_LINE = re.compile(r"\n *[^ \n\r#]")
_NESTED = re.compile(r"[A-Za-z0-9_]+:(?: +(?:#[^\n]*)?)?\n")
_ITEM = re.compile(r" *- +(?=[^ #\n])")


@dataclass
class _Layout:
    """A revision cut into pieces: what the next revision's cutting starts from."""

    text: bytes  # a newline, then the revision without its byte-order mark
    data: dict[str, Any]  # each top-level key's validated value, in the text's order
    indent: int  # the column of the dashes of `indicators` (-1: no items to reuse)
    starts: list[int]  # where each item starts: the newline before its dash
    end: int  # where the last item ends: the next section's newline, or the text's end


class CatalogueCache:
    """Parse catalogue revisions, sharing unchanged pieces between them.

    Indicators of different revisions that were not edited are the same objects: callers must
    treat the catalogues as read-only.
    """

    def __init__(self) -> None:
        self._by_blob: dict[str, Catalogue | CatalogueError] = {}
        self._sections: dict[bytes, tuple[str, Any]] = {}
        self._items: dict[bytes, Indicator] = {}
        self._entries: dict[str, tuple[Any, Any]] = {}
        self._references: dict[tuple[int, int, int], _Checked] = {}
        self._adapters: dict[str, TypeAdapter[Any]] = {}
        self._fields = _catalogue_fields()
        self._last: _Layout | None = None

    def parse(self, raw: bytes, source: str, blob: str | None = None) -> Catalogue:
        """The catalogue in `raw`; errors are `parse_catalogue`'s `CatalogueError`."""
        if blob is not None and blob in self._by_blob:
            return self.get(blob)
        try:
            result: Catalogue | CatalogueError = self._parse_pieces(raw)
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

    def _parse_pieces(self, raw: bytes) -> Catalogue:
        text = b"\n" + (raw[len(_BOM) :] if raw.startswith(_BOM) else raw)
        layout = None
        if self._last is not None:
            layout = self._edit(self._last, text)
        if layout is None:
            layout = self._layout(text)
        self._last = layout
        return self._catalogue(layout.data)

    # --- cutting a whole revision ---------------------------------------------------------

    def _layout(self, text: bytes) -> _Layout:
        if any(rare in text for rare in _RARE) and _UNSAFE.search(text):
            raise _Unsure
        starts = []
        for line in _COLUMN_ZERO.finditer(text):
            found = _KEY.match(line.group(0), 1)
            if found is None:
                raise _Unsure
            starts.append((line.start(), found.group(1).decode("ascii")))
        if not starts or _CONTENT.search(text, 0, starts[0][0]):
            raise _Unsure
        _decode(text[: starts[0][0]])  # the comments above the first key
        data: dict[str, Any] = {}
        indent, end = -1, 0
        items: list[int] = []
        bounds = [start for start, _ in starts[1:]] + [len(text)]
        for (start, key), stop in zip(starts, bounds, strict=True):
            if key in data:
                raise _Unsure  # a repeated key: let the full parse decide what it means
            # Each section keeps its leading newline, which YAML ignores, and the line break
            # that ends its last line, which a block scalar (`|`) there keeps.
            section = text[start : stop + 1]
            if key == "indicators":
                data[key], indent, items = self._indicators(text, start, stop)
                end = stop
            else:
                data[key] = self._section(key, section)
        return _Layout(text, data, indent, items, end)

    def _section(self, key: str, section: bytes) -> Any:
        cached = self._sections.get(section)
        if cached is not None:
            return cached[1]
        field = self._fields.get(key)
        if field is None:
            raise _Unsure
        value = _load(_decode(section))
        if not isinstance(value, dict) or list(value) != [key]:
            raise _Unsure
        adapter = self._adapters.get(key)
        if adapter is None:
            annotation: Any = Catalogue.model_fields[field].annotation
            adapter = self._adapters[key] = TypeAdapter(annotation)
        try:
            validated = adapter.validate_python(value[key])
        except ValidationError:
            raise _Unsure from None
        self._sections[section] = (key, validated)
        return validated

    def _indicators(
        self, text: bytes, start: int, stop: int
    ) -> tuple[list[Indicator], int, list[int]]:
        """The items of the `indicators` section at text[start:stop], their indent and starts."""
        header = _INDICATORS_HEADER.match(text, start, stop + 1)
        if header is None:
            raise _Unsure
        _decode(text[start : header.end()])  # a comment after the key
        body = header.end() - 1  # from the newline that ends the header
        first = _CONTENT.search(text, body, stop + 1)
        if first is None:
            raise _Unsure  # `indicators:` with nothing under it is null, not an empty list
        indent = first.end() - first.start() - 2
        # Blank lines and comments only, above the first item (the first content is an item).
        _decode(text[body : first.start()])
        items, indicators = self._items_of(text, first.start(), stop, indent)
        return indicators, indent, items

    def _items_of(
        self, text: bytes, start: int, stop: int, indent: int
    ) -> tuple[list[int], list[Indicator]]:
        """The items in text[start:stop], which starts with one; `_Unsure` if unsure.

        Every line whose content starts at the items' indent or less must start an item (a
        dash at the indent, then a space or the line's end); everything else belongs, more
        indented, to the item above it. So the items are what lies between dashes. The checks
        look at one line at a time (with the line break after it), so a piece met before, cut
        and checked then, needs none.
        """
        item = b"\n" + b" " * indent + b"-"
        if not text.startswith(item, start):
            raise _Unsure
        stray = _stray(indent)
        starts = []
        indicators = []
        position = start
        for chunk in text[start:stop].split(item)[1:]:
            end = position + len(item) + len(chunk)
            starts.append(position)
            # Each piece with the line break that ends it (the next piece's first character).
            piece = text[position : end + 1]
            indicator = self._items.get(piece)
            if indicator is None:
                if (
                    stray.search(piece)
                    or _COLUMN_ZERO.search(piece)
                    or (any(rare in piece for rare in _RARE) and _UNSAFE.search(piece))
                ):
                    raise _Unsure
                indicator = self._items[piece] = self._indicator(piece, indent)
            indicators.append(indicator)
            position = end
        return starts, indicators

    # --- cutting a revision from the one before -----------------------------------------

    def _edit(self, last: _Layout, text: bytes) -> _Layout | None:
        """`text` cut from the previous revision's cuts, when all it changed lies within items.

        The bytes before the first difference and after the last are the previous revision's,
        so are their cuts and every check made on them (each check looks at one line, or at a
        line break and the character after it). The items from the first the difference
        touches to the last are cut again by `_items_of`. None: the difference reaches outside
        the items, or they no longer cut cleanly; the whole text is cut instead.
        """
        if last.indent < 0 or not last.starts:
            return None
        old = last.text
        same_start = _common_prefix(old, text)
        same_end = _common_suffix(old, text, min(len(old), len(text)) - same_start)
        changed_end = len(old) - same_end  # the difference is old[same_start:changed_end]
        # The line the difference starts on (a line inserted before an item shares the item's
        # indentation with it, so the item's line break is the one before the difference).
        line = old.rfind(b"\n", 0, same_start)
        if line < last.starts[0] or changed_end > last.end:
            return None
        first = bisect.bisect_right(last.starts, max(line - 1, last.starts[0])) - 1
        after = bisect.bisect_right(last.starts, changed_end)
        start = last.starts[first]
        shift = len(text) - len(old)
        stop = (last.starts[after] if after < len(last.starts) else last.end) + shift
        try:
            starts, indicators = self._items_of(text, start, stop, last.indent)
        except _Unsure:
            return None  # the lines no longer cut into items, or one fails: cut the whole
        previous: list[Indicator] = last.data["indicators"]
        data = dict(last.data)
        data["indicators"] = [*previous[:first], *indicators, *previous[after:]]
        return _Layout(
            text,
            data,
            last.indent,
            [*last.starts[:first], *starts, *[s + shift for s in last.starts[after:]]],
            last.end + shift,
        )

    # --- one item, cut finer -------------------------------------------------------------

    def _indicator(self, piece: bytes, indent: int) -> Indicator:
        text = _decode(piece)
        try:
            value = self._item(text, indent)
        except _Unsure:  # any doubt about the finer cut: the piece is parsed whole
            value = _item(text)
        try:
            return Indicator.model_validate(value)
        except ValidationError:
            raise _Unsure from None

    def _item(self, piece: str, indent: int) -> dict[Any, Any]:
        """An item of `indicators` from its keys, each parsed once (cached by its text).

        `  - id: CT01` starts a block mapping at the column of `id`; with the dash made a space
        the item is that mapping, whose keys are cut by `_cut` and read one by one.
        """
        if "\r" in piece:
            raise _Coarse
        text = piece[1:]
        dash = _ITEM.match(text)
        if dash is None:
            raise _Coarse
        column = dash.end()
        return self._mapping(text[:indent] + " " + text[indent + 1 :], column)

    def _mapping(self, text: str, column: int) -> dict[Any, Any]:
        mapping: dict[Any, Any] = {}
        for entry in _cut(text, column):
            key, value = self._entry(entry, column)
            if key in mapping:
                raise _Coarse  # a repeated key: the piece's parse decides
            mapping[key] = value
        return mapping

    def _entry(self, entry: str, column: int) -> tuple[Any, Any]:
        """One key of a block mapping and its value, from the entry's lines."""
        cached = self._entries.get(entry)
        if cached is not None:
            return cached
        nested = _NESTED.match(entry, column)
        if nested is not None and entry[nested.end() :].strip(" \n"):
            # `targets:` over a mapping: its own keys are cut again, so that one changed
            # milestone is one line to parse. The key line alone means `targets: null`.
            key, empty = self._entry(entry[: nested.end()], column)
            if empty is not None:
                raise _Coarse
            rest = entry[nested.end() :]
            first = _LINE.search("\n" + rest)
            if first is None:
                raise _Coarse  # only comments below: null, as the whole entry's parse says
            inner = first.end() - first.start() - 2
            if inner <= column:
                raise _Coarse
            found: tuple[Any, Any] = (key, self._mapping(rest, inner))
        else:
            value = _load(entry)
            if not isinstance(value, dict) or len(value) != 1:
                raise _Coarse
            [found] = value.items()
        self._entries[entry] = found
        return found

    # --- the whole catalogue -------------------------------------------------------------

    def _catalogue(self, data: dict[str, Any]) -> Catalogue:
        """The catalogue of validated sections, its cross-references checked as they change.

        `Catalogue.model_validate` would check every reference of every indicator again at each
        revision. The checks are `Catalogue`'s own (`References`), run once per registry, and
        per indicator once per registry; only when they all pass is the catalogue assembled
        without validating it again. Anything else is left to `model_validate`, which raises.
        """
        values: dict[str, Any] = {}
        for key, value in data.items():
            name = self._fields[key]
            if name in values:  # both `schema` and `schema_version`
                return _validate(data)
            values[name] = value
        plan, groups, registry = values.get("plan"), values.get("groups"), values.get("registry")
        indicators = values.get("indicators")
        if (
            not isinstance(plan, Plan)
            or not isinstance(groups, list)
            or not isinstance(registry, list)
            or not isinstance(indicators, list)
            or "schema_version" not in values
        ):
            return _validate(data)
        context = (id(plan), id(groups), id(registry))
        checked = self._references.get(context)
        if checked is None or not checked.holds(plan, groups, registry):
            checked = self._references[context] = _Checked(plan, groups, registry)
        ids = {indicator.id for indicator in indicators}
        if len(ids) != len(indicators) or not checked.accepts(indicators):
            return _validate(data)
        # Fresh lists, as validation makes them: the cached ones are shared between revisions.
        for name in ("groups", "registry", "indicators"):
            values[name] = list(values[name])
        return Catalogue.model_construct(**values)


class _Unsure(Exception):
    """The pieces cannot be trusted to mean what the whole does: parse the whole."""


class _Coarse(_Unsure):
    """An item's keys cannot be cut apart with certainty: parse the item whole."""


class _Checked:
    """The cross-references of one registry (with its plan and groups), and the indicators
    already found to hold against it (kept, so that their ids stay theirs)."""

    def __init__(self, plan: Plan, groups: list[Group], registry: list[RegistryEntry]) -> None:
        self._sections = (plan, groups, registry)
        self._references: References | None = References(plan, groups, registry)
        self._passed: dict[int, Indicator] = {}
        try:
            self._references.check_ids()
            self._references.check_registry()
        except ValueError:
            self._references = None

    def holds(self, plan: Plan, groups: list[Group], registry: list[RegistryEntry]) -> bool:
        return all(a is b for a, b in zip(self._sections, (plan, groups, registry), strict=True))

    def accepts(self, indicators: list[Indicator]) -> bool:
        """Whether every indicator's references hold (the registry's own too)."""
        references = self._references
        if references is None:
            return False
        for indicator in indicators:
            if self._passed.get(id(indicator)) is indicator:
                continue
            try:
                references.check_indicator(indicator)
            except ValueError:
                return False
            self._passed[id(indicator)] = indicator
        return True


def _stray(indent: int) -> re.Pattern[bytes]:
    """A line with content at `indent` or less that is not an item's dash."""
    return re.compile(rb"\n(?! {%d}-(?:[ \r\n]|$)) {0,%d}[^ \n\r#]" % (indent, indent))


def _common_prefix(a: bytes, b: bytes) -> int:
    """How many first bytes `a` and `b` share (slices compare with memcmp: halve the range)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """How many last bytes `a` and `b` share, at most `limit`."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Unsure from None


def _validate(data: dict[str, Any]) -> Catalogue:
    try:
        return Catalogue.model_validate(data)
    except ValidationError:
        raise _Unsure from None


def _cut(text: str, column: int) -> list[str]:
    """`text`'s lines cut into the entries of a block mapping whose keys are at `column`.

    Each entry is a line with `key:` at the column and the lines below it that are more
    indented or blank, line breaks included. Anything else at the column or left of it (a
    comment, a dash, a key less indented), or a blank line first, is not a plain entry:
    `_Coarse`.
    """
    entry, stray = _entry_patterns(column)
    if stray.search(text):
        raise _Coarse
    starts = [match.start() for match in entry.finditer(text)]
    if not starts or starts[0] != 0:
        raise _Coarse
    starts.append(len(text))
    return [text[start:end] for start, end in itertools.pairwise(starts)]


@functools.cache
def _entry_patterns(column: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Where entries start at `column`, and a line with content at it or left of it that is
    not an entry's start."""
    key = r"[A-Za-z0-9_]+:(?: |\n|$)"
    entry = re.compile(rf"^ {{{column}}}(?={key})", re.MULTILINE)
    stray = re.compile(rf"^(?! {{{column}}}{key}) {{0,{column}}}[^ \n]", re.MULTILINE)
    return entry, stray


def _catalogue_fields() -> dict[str, str]:
    """Top-level YAML keys and the Catalogue field each fills (aliases and names)."""
    fields: dict[str, str] = {}
    for name, info in Catalogue.model_fields.items():
        fields[name] = name
        if info.alias:
            fields[info.alias] = name
    return fields


def _load(text: str) -> Any:
    """The YAML value of one piece; any doubt (an error, an alias) raises `_Unsure`."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None or _has_alias(node):
            raise _Unsure  # the full parse refuses aliases and repeated keys, with its message
        return loader.construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError):
        raise _Unsure from None
    finally:
        loader.dispose()


def _has_alias(root: yaml.Node) -> bool:
    """Whether a node is met twice (what an alias, *name or a << merge, makes), or a mapping
    repeats a key: either is for the full parse to refuse."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
            if len(set(keys)) != len(keys):
                return True
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _item(piece: str) -> Any:
    """An item of `indicators` parsed whole."""
    value = _load(piece)
    if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], dict):
        raise _Unsure
    return value[0]
