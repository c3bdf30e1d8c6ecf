"""Where things live in a data repository, and how to reach them without leaving it."""

from __future__ import annotations

import os
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
