"""Where things live in a data repository, and how to reach them without leaving it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from plan57.errors import UsageError

CATALOGUE = Path("data") / "targets.yaml"
SUBMISSIONS = Path("data") / "submissions"


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` that holds data/targets.yaml, else `start`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CATALOGUE).is_file():
            return folder
    return here


def relative(root: Path, path: Path) -> str:
    """`path` relative to the root, with forward slashes, as findings name files.

    A name is text that goes into JSON, terminals and CI logs: bytes that are not UTF-8 and
    control characters are shown escaped (\\xff, \\u001b) rather than passed through.
    """
    try:
        name = path.relative_to(root).as_posix()
    except ValueError:
        name = path.as_posix()
    return name if name.isprintable() else "".join(_printable(ch) for ch in name)


def _printable(ch: str) -> str:
    if ch.isprintable():
        return ch
    if "\udc80" <= ch <= "\udcff":  # an undecodable byte, as os.fsdecode escapes it
        return f"\\x{ord(ch) - 0xDC00:02x}"
    return f"\\u{ord(ch):04x}"


def inside(root: Path, path: Path) -> Path:
    """`path` made absolute, refusing anything that resolves outside the repository.

    Links are judged by where they point: a link inside the repository that leads out of it
    is outside.
    """
    absolute = path if path.is_absolute() else Path.cwd() / path
    if not os.path.lexists(absolute):
        raise UsageError("path-missing", path=str(path))
    resolved = absolute.resolve()
    root_resolved = root.resolve()
    if resolved != root_resolved and root_resolved not in resolved.parents:
        raise UsageError("path-outside", path=str(path), root=str(root))
    return Path(os.path.normpath(absolute))


# The plan block sits at the top of the catalogue; `plan57 --help` reads no further than this.
_HEAD_BYTES = 64 * 1024
_PLAN_BLOCK = re.compile(r"^plan:[ \t]*\n((?:[ \t]+.*\n|[ \t]*\n)+)", re.MULTILINE)
# `  number: "283-KH/TU"` (double-quoted without escapes, single-quoted, or plain), with an
# optional comment; anything else goes to the YAML parser.
_SIMPLE_SCALAR = {
    key: re.compile(
        rf"^[ \t]+{key}:[ \t]*(?:\"([^\"\\\n]*)\"|'([^'\n]*)'|([^\s#\"'&*!|>%@`{{\[][^#\n]*?))"
        r"[ \t]*(?:#.*)?$",
        re.MULTILINE,
    )
    for key in ("number", "resolution")
}


def plan_number(start: Path | None = None) -> tuple[str, str] | None:
    """The plan's number and resolution ("283-KH/TU", "57-NQ/TW") from the catalogue's plan
    block, read quickly and without validating the rest (help must stay fast and never
    fail); None when unknown."""
    path = find_root(start) / CATALOGUE
    try:
        if path.is_symlink() or not path.is_file():
            return None
        with path.open("rb") as file:
            head = file.read(_HEAD_BYTES).decode("utf-8-sig", errors="replace")
    except OSError:
        return None
    block = _PLAN_BLOCK.search(head)
    if block is None:
        return None
    number = _SIMPLE_SCALAR["number"].search(block.group(1))
    resolution = _SIMPLE_SCALAR["resolution"].search(block.group(1))
    if number and resolution:
        # The usual case, `number: "283-KH/TU"`: no need to load PyYAML (20 ms) for help.
        return _plan_pair(_scalar(number), _scalar(resolution))
    import yaml

    try:
        plan = yaml.safe_load("plan:\n" + block.group(1))["plan"]
    except (yaml.YAMLError, TypeError, KeyError):
        return None
    if not isinstance(plan, dict):
        return None
    return _plan_pair(plan.get("number"), plan.get("resolution"))


def _scalar(match: re.Match[str]) -> str:
    return next(group for group in match.groups() if group is not None)


def _plan_pair(number: object, resolution: object) -> tuple[str, str] | None:
    if not all(isinstance(x, str) and x.strip() and x.isprintable() for x in (number, resolution)):
        return None
    return str(number).strip(), str(resolution).strip()
