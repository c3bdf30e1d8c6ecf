"""Loading the catalogue (`data/targets.yaml`) safely, and the smells the secretariat should see."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from plan57.catalogue.models import Catalogue, Decision, Indicator, TargetError
from plan57.errors import CatalogueError
from plan57.escaping import visible
from plan57.files import Unreadable, read_regular
from plan57.findings import Finding, make_finding

CATALOGUE_PATH = Path("data") / "targets.yaml"

# The C loader parses the catalogue about ten times faster; history parses thousands of them.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Blanks within the line only: `\s` would eat line breaks, and a run of blank lines would make
# every line start a match that walks to the end of the run (quadratic).
_INDICATOR_LINE = re.compile(r"^[ \t]*-[ \t]*id:[ \t]*[\"']?(CT\d{2})\b", re.MULTILINE)


def load_catalogue(path: Path) -> Catalogue:
    """Read and validate the catalogue at `path`; a problem raises `CatalogueError`."""
    # A link is never followed, neither the file nor its folder (data/ itself).
    if path.is_symlink() or path.parent.is_symlink() or not path.is_file():
        raise CatalogueError("catalogue-missing", path=str(path))
    try:
        raw = read_regular(path, MAX_CATALOGUE_BYTES)
    except Unreadable as refused:
        reason = refused.params.get("reason") or f"{refused.code} {refused.params}"
        raise CatalogueError("catalogue-unreadable", path=str(path), reason=reason) from None
    return parse_catalogue(raw, str(path))


# The catalogue is about 100 kB; one a hundred times larger is not a catalogue.
MAX_CATALOGUE_BYTES = 16_000_000


def parse_catalogue(raw: bytes | str, source: str) -> Catalogue:
    """Validate catalogue text; `source` names it in errors (a path, or `rev:path`)."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise CatalogueError("catalogue-unreadable", path=source, reason="not UTF-8") from exc
    node, data = _load(text, source)
    if not isinstance(data, dict):
        raise CatalogueError(
            "catalogue-invalid", path=source, line=1, field="/", reason="not a mapping"
        )
    try:
        return Catalogue.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, TargetError):
            loc += ("targets", cause.year)  # the target's own line, not its indicator's
        # Cross-reference errors belong to the whole catalogue; their message names the entry.
        line = _line_of(node, loc) if loc else _entry_line(text, first["msg"])
        raise CatalogueError(
            "catalogue-invalid",
            path=source,
            line=line,
            field=".".join(str(part) for part in loc) or "/",
            reason=first["msg"],
        ) from exc


def load_yaml(text: str, source: str) -> Any:
    """The YAML in `text`, safely (no anchors, aliases or merge keys, no key written twice,
    nesting bounded); errors name the line."""
    return _load(text, source)[1]


# The catalogue nests six levels deep (plan, indicators, an indicator, its targets); a value
# nested deeper than this is refused before anything recursive (the constructor, pydantic,
# the JSON encoder) meets it.
MAX_NESTING = 32


def _load(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    """The composed document (kept to find an error's line) and the values built from it."""
    loader = _SafeLoader(text)
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _refuse_hidden(node, source)
        if "&" in text:  # a lone anchor leaves no trace in the nodes; the events show it
            _refuse_anchors(text, source)
        return node, loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise CatalogueError(
            "catalogue-yaml", path=source, line=line, reason=exc.problem or str(exc)
        ) from exc
    except yaml.YAMLError as exc:
        raise CatalogueError("catalogue-yaml", path=source, line=1, reason=str(exc)) from exc
    except ValueError as exc:
        # The safe constructor raises plain errors for impossible dates such as 2025-13-01.
        line = _bad_scalar_line(node) if node is not None else 1
        raise CatalogueError("catalogue-yaml", path=source, line=line, reason=str(exc)) from exc
    finally:
        loader.dispose()


_HIDDEN = "YAML anchors, aliases and merge keys (&name, *name, <<) are not allowed"
_MERGE = "tag:yaml.org,2002:merge"


def _refuse_hidden(root: yaml.Node, source: str) -> None:
    """Refuse YAML aliases and merge keys, nesting deeper than `MAX_NESTING`, then keys
    written twice in one mapping, before anything is built from them.

    An alias is the same node met twice. A node reused many times over is how alias bombs
    explode, whether it is a list nested in lists or a long string repeated in one list: the
    catalogue never needs them, and the JSON of a catalogue that used them could be gigabytes.
    A merge key (`<<: {2030: …}`) adds keys no line of the mapping shows.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    mappings: list[yaml.MappingNode] = []
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise _refused(node, source, _HIDDEN)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and depth >= MAX_NESTING:
            raise CatalogueError(
                "catalogue-too-deep", path=source, line=_line(node), limit=MAX_NESTING
            )
        if isinstance(node, yaml.MappingNode):
            mappings.append(node)
            for key, value in node.value:
                if key.tag == _MERGE:
                    raise _refused(key, source, _HIDDEN)
                stack += ((key, depth + 1), (value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack += ((item, depth + 1) for item in node.value)
    # Aliases first (an alias bomb is refused as one); then keys written twice, first in file
    # order.
    for mapping in sorted(mappings, key=lambda node: node.start_mark.index):
        _refuse_duplicate_keys(mapping, source)


def _refuse_anchors(text: str, source: str) -> None:
    for event in yaml.parse(text, Loader=_SafeLoader):
        if getattr(event, "anchor", None) is not None:
            raise _refused(event, source, _HIDDEN)


def _refused(where: Any, source: str, reason: str) -> CatalogueError:
    return CatalogueError("catalogue-yaml", path=source, line=_line(where), reason=reason)


def _line(where: Any) -> int:
    return int(where.start_mark.line) + 1


def _refuse_duplicate_keys(mapping: yaml.MappingNode, source: str) -> None:
    """A key written twice in one mapping (a second `2025:` under one indicator): YAML would
    keep the last silently, so which target is in force would depend on an overlooked line.

    Keys are compared as the loader resolves them: `2_025`, `+2025`, `0x7E9` and `03751` are
    all the year 2025, and `2025` and `"2025"` are one year to the catalogue.
    """
    first: dict[str, int] = {}
    for key, _ in mapping.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        line = _line(key)
        resolved = _resolved_key(key)
        if resolved in first:
            raise CatalogueError(
                "catalogue-duplicate-key",
                path=source,
                line=line,
                name=visible(key.value[:40]),
                first=first[resolved],
            )
        first[resolved] = line


_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _resolved_key(key: yaml.ScalarNode) -> str:
    """A key as the loader reads it: a number by its value, anything else as written."""
    if key.tag not in _NUMBERS:
        return str(key.value)
    try:
        number = _SafeLoader("").construct_object(key)
    except (ValueError, yaml.YAMLError):
        return str(key.value)
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return str(number)


def _bad_scalar_line(root: yaml.Node) -> int:
    """The line of the first scalar (in file order) the safe constructor cannot build, else 1.

    One walk of the nodes already composed, with a fresh constructor: no second parse."""
    constructor = _SafeLoader("")
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except (ValueError, yaml.YAMLError):
                return _line(node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
    return 1


def _entry_line(text: str, message: str) -> int:
    """The line of the registry entry or indicator a message starts with ("CT05: ..."), else 1."""
    match = re.match(r"(?:Value error, )?([A-Za-z0-9-]+):", message)
    if match is None:
        return 1
    entry_id = re.escape(match.group(1))
    pattern = rf"^[ \t]*-[ \t]*{{?[ \t]*id:[ \t]*[\"']?{entry_id}[\"']?(?=[\s,}}]|$)"
    entry = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, entry.start()) + 1 if entry else 1


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the YAML node at `loc` (pydantic's error location), best effort."""
    line = 1
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        node = _child(node, part)
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node, part: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if str(key.value) == str(part) or (part == "schema_version" and key.value == "schema"):
                found: yaml.Node = value
                return found
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None


def indicator_lines(text: str) -> dict[str, int]:
    """The line on which each indicator's entry starts, to point findings at it."""
    return {
        match.group(1): text.count("\n", 0, match.start()) + 1
        for match in _INDICATOR_LINE.finditer(text)
    }


def catalogue_smells(catalogue: Catalogue, file: str, text: str) -> list[Finding]:
    """Warnings about the catalogue itself, as the plan's own table has them."""
    lines = indicator_lines(text)
    findings: list[Finding] = []

    def warn(code: str, indicator: str, **params: Any) -> None:
        findings.append(
            make_finding(code, file=file, line=lines.get(indicator), indicator=indicator, **params)
        )

    for ind in catalogue.indicators:
        if not ind.monitors:
            warn("catalogue-no-monitor", ind.id)
        for previous, target in zip(ind.targets, ind.targets[1:], strict=False):
            before, after = previous.threshold, target.threshold
            # An at-most target ("≤ 8%") is meant to come down over the years.
            lower = before is not None and after is not None and after < before
            if lower and not (previous.at_most and target.at_most):
                warn(
                    "catalogue-target-down",
                    ind.id,
                    previous=previous.text,
                    previous_year=previous.year,
                    target=target.text,
                    year=target.year,
                )
    findings += open_decisions(catalogue, file, text)
    for ind, other in _overlapping_pairs(catalogue.indicators):
        for target in ind.targets:
            other_target = other.target_for(target.year)
            if other_target is not None and other_target.text != target.text:
                warn(
                    "catalogue-overlap",
                    ind.id,
                    other=other.id,
                    year=target.year,
                    target=target.text,
                    other_target=other_target.text,
                )
                break
    for entry in catalogue.registry:
        if entry.kind == "group" and not entry.members:
            used = [i.id for i in catalogue.indicators if entry.id in i.reporters]
            if used:
                findings.append(
                    make_finding(
                        "catalogue-empty-group",
                        file=file,
                        group=entry.id,
                        indicators=", ".join(used),
                    )
                )
    return findings


def open_decisions(catalogue: Catalogue, file: str, text: str) -> list[Finding]:
    """One `catalogue-decision` warning per decision the catalogue leaves open, at its line."""
    lines = text.splitlines()
    starts = indicator_lines(text)
    plan_line = _PLAN_LINE.search(text)
    findings = []
    owners: list[tuple[str | None, int | None, list[Decision]]] = [
        (
            None,
            text.count("\n", 0, plan_line.start()) + 1 if plan_line else None,
            catalogue.plan.decisions,
        ),
        *((ind.id, starts.get(ind.id), ind.decisions) for ind in catalogue.indicators),
    ]
    for indicator, start, decisions in owners:
        for decision in decisions:
            findings.append(
                make_finding(
                    "catalogue-decision",
                    file=file,
                    line=_decision_line(lines, start, decision.field),
                    indicator=indicator,
                    about=indicator or "plan",
                    field=decision.field,
                    choices=" | ".join(decision.choices),
                )
            )
    return findings


def _decision_line(lines: list[str], start: int | None, field: str) -> int | None:
    """The line of the decision about `field` in the entry starting at `start` (1-based); the
    entry's own line when it cannot be told (a decision written in another style)."""
    if start is None:
        return None
    wanted = re.compile(rf"\bfield:\s*[\"']?{re.escape(field)}[\"']?\s*(?:[,}}]|$)")
    for index in range(start, len(lines)):  # the lines after the entry's first
        if _ENTRY_START.match(lines[index]):
            break
        if wanted.search(lines[index]):
            return index + 1
    return start


_ENTRY_START = re.compile(r"^(?:  - id:|\S)")
_PLAN_LINE = re.compile(r"^plan:", re.MULTILINE)


def _overlapping_pairs(indicators: list[Indicator]) -> list[tuple[Indicator, Indicator]]:
    """Pairs whose names say the same thing: one name's words contain the other's, same unit."""
    words = {ind.id: _name_words(ind.name_vi) for ind in indicators}
    pairs = []
    for index, ind in enumerate(indicators):
        for other in indicators[index + 1 :]:
            if ind.unit != other.unit or ind.flow != other.flow:
                continue
            mine, theirs = words[ind.id], words[other.id]
            if mine <= theirs or theirs <= mine:
                pairs.append((other, ind))
    return pairs


def _name_words(name: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", name.lower()))
