"""Parsing many revisions of the catalogue quickly, by reusing what did not change.

A full parse of `data/targets.yaml` takes milliseconds, so two thousand revisions would take
many seconds. Successive revisions differ in a few lines, so the text is cut into pieces that
YAML parses independently (each top-level key; each item of `indicators`), and every piece is
parsed and validated once, cached by its exact text. A whole revision is also cached by its
blob id. Any text this cutting cannot be sure about (tabs, odd line breaks, directives, flow
collections spanning keys, a piece that fails) goes through `parse_catalogue` in full, which
also gives the precise error; so the result, or the error, is always the full parse's.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from plan57.catalogue import parse_catalogue
from plan57.errors import CatalogueError
from plan57.models import Catalogue, Indicator

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Anything that makes line-based cutting unsafe: tab indentation, line breaks other than \n
# (YAML also breaks lines on lone \r, NEL and the Unicode separators). The patterns below
# start with a newline rather than `^`, which lets the regex engine skip ahead quickly; the
# text is searched with a newline put in front.
_RARE = ("\t", "\r", "\x85", "\u2028", "\u2029")
_UNSAFE = re.compile(r"\n *\t|\r(?!\n)|[\x85\u2028\u2029]")
# A line with content in column 0 (not a comment, not a sequence item of a section).
_COLUMN_ZERO = re.compile(r"\n[^\s#\-][^\n]*")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?:[ \r]|$)")
_INDICATORS_HEADER = re.compile(r"\nindicators:[ ]*(?:#[^\n]*)?\r?\n")
_CONTENT = re.compile(r"\n *[^ \n\r#]")


class CatalogueCache:
    """Parse catalogue revisions, sharing unchanged pieces between them.

    Indicators of different revisions that were not edited are the same objects: callers must
    treat the catalogues as read-only.
    """

    def __init__(self) -> None:
        self._by_blob: dict[str, Catalogue | CatalogueError] = {}
        self._sections: dict[str, tuple[str, Any]] = {}
        self._items: dict[str, Indicator] = {}
        self._adapters: dict[str, TypeAdapter[Any]] = {}
        self._fields = _catalogue_fields()

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
        try:
            text = "\n" + raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _Unsure from None
        if any(rare in text for rare in _RARE) and _UNSAFE.search(text):
            raise _Unsure
        starts = []
        for line in _COLUMN_ZERO.finditer(text):
            found = _KEY.match(line.group(0), 1)
            if found is None:
                raise _Unsure
            starts.append((line.start(), found.group(1)))
        if not starts or _CONTENT.search(text, 0, starts[0][0]):
            raise _Unsure
        data: dict[str, Any] = {}
        bounds = [start for start, _ in starts[1:]] + [len(text)]
        for (start, key), end in zip(starts, bounds, strict=True):
            if key in data:
                raise _Unsure  # a repeated key: let the full parse decide what it means
            # Each section keeps its leading newline, which YAML ignores.
            section = text[start:end]
            if key == "indicators":
                data[key] = self._indicators(section)
            else:
                data[key] = self._section(key, section)
        try:
            return Catalogue.model_validate(data)
        except ValidationError:
            raise _Unsure from None

    def _section(self, key: str, section: str) -> Any:
        cached = self._sections.get(section)
        if cached is not None:
            return cached[1]
        field = self._fields.get(key)
        if field is None:
            raise _Unsure
        value = _load(section)
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

    def _indicators(self, section: str) -> list[Indicator]:
        header = _INDICATORS_HEADER.match(section)
        if header is None:
            raise _Unsure
        body = section[header.end() - 1 :]  # from the newline that ends the header
        first = _CONTENT.search(body)
        if first is None:
            raise _Unsure  # `indicators:` with nothing under it is null, not an empty list
        indent = first.end() - first.start() - 2
        item = "\n" + " " * indent + "-"
        # Every line whose content starts at the items' indent or less must start an item;
        # everything else belongs, more indented, to the item above it.
        pattern = re.compile(rf"\n {{0,{indent}}}[^ \n\r#]")
        positions = []
        for match in pattern.finditer(body):
            start = match.start()
            if match.group(0) != item or body[start + indent + 2 : start + indent + 3] not in (
                " ",
                "\r",
                "\n",
                "",
            ):
                raise _Unsure
            positions.append(start)
        positions.append(len(body))
        indicators = []
        for start, end in itertools.pairwise(positions):
            piece = body[start:end]
            indicator = self._items.get(piece)
            if indicator is None:
                indicator = self._items[piece] = _indicator(piece)
            indicators.append(indicator)
        return indicators


class _Unsure(Exception):
    """The pieces cannot be trusted to mean what the whole does: parse the whole."""


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
            raise _Unsure  # the full parse refuses aliases, with its own message
        return loader.construct_document(node)
    except (yaml.YAMLError, ValueError, TypeError):
        raise _Unsure from None
    finally:
        loader.dispose()


def _has_alias(root: yaml.Node) -> bool:
    """Whether a node is met twice: what an alias (*name, or a << merge) makes."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _indicator(piece: str) -> Indicator:
    value = _load(piece)
    if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], dict):
        raise _Unsure
    try:
        return Indicator.model_validate(value[0])
    except ValidationError:
        raise _Unsure from None
