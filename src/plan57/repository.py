"""Where things live in a data repository, and how to reach them without leaving it."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plan57.errors import UsageError
from plan57.escaping import visible

CATALOGUE = Path("data") / "targets.yaml"
SUBMISSIONS = Path("data") / "submissions"


def submission_path(reporter: str, period: object) -> str:
    """Where a reporter's file for a period is committed, relative to the repository's root."""
    return f"{SUBMISSIONS.as_posix()}/{reporter}/{period}.csv"


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
    return visible(name, spaces=False)


def inside(root: Path, path: Path) -> Path:
    """`path` made absolute, refusing anything that resolves outside the repository.

    Links are judged by where they point: a link inside the repository that leads out of it
    is outside.
    """
    absolute = path if path.is_absolute() else Path.cwd() / path
    if not os.path.lexists(absolute):
        raise UsageError("path-missing", path=str(path))
    normal = Path(os.path.normpath(absolute))
    if _under_data(root, normal) and first_link(root, normal) is not None:
        # Spelled inside data/ but through a link: the walk reports it as `link-refused`,
        # wherever the link points, and never opens it.
        return normal
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
        # A plain value ends in a character that is not blank, so that the blanks after it
        # belong to one place only (a lazy value followed by `[ \t]*` backtracks
        # quadratically on a line of 40,000 spaces).
        rf"^[ \t]+{key}:[ \t]*(?:\"([^\"\\\n]*)\"|'([^'\n]*)'|"
        rf"([^\s#\"'&*!|>%@`{{\[](?:[^#\n]*[^\s#])?))"
        r"[ \t]*(?:#.*)?$",
        re.MULTILINE,
    )
    for key in ("number", "resolution")
}


def plan_number(start: Path | None = None) -> tuple[str, str] | None:
    """The plan's number and resolution ("283-KH/TU", "57-NQ/TW") from the catalogue's plan
    block, read quickly and without validating the rest (help must stay fast and never
    fail); None when unknown."""
    root = find_root(start)
    path = root / CATALOGUE
    try:
        if first_link(root, path) is not None or not path.is_file():
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


# A submission is data/submissions/<reporter>/<period>.csv: a folder nested deeper than this
# under data/submissions/ cannot hold one, and is reported rather than walked.
MAX_DEPTH = 2


@dataclass(frozen=True)
class Refusal:
    """A path under data/ that is not read, and why, as a finding code and its parameters."""

    path: Path
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Listing:
    """The files found (never opened here), and the paths refused on the way."""

    files: list[Path] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def list_files(root: Path, starts: Iterable[Path]) -> Listing:
    """Every file at or under `starts`, never through a link, walked without recursion.

    The one walk of data/: `check`, `fix` and the gate use it. A link anywhere between the
    repository and a path is refused, a folder deeper than `MAX_DEPTH` under data/submissions/
    or one that cannot be listed is refused, and data/submissions/ itself must be a folder.
    """
    listing = Listing()
    seen: set[Path] = set()
    base = root / SUBMISSIONS
    for start in starts:
        link = first_link(root, start)
        if link is not None:
            _add(listing, seen, Refusal(link, "link-refused"))
            continue
        try:
            mode = os.lstat(start).st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            _add(listing, seen, Refusal(start, "unreadable", {"reason": exc.strerror}))
            continue
        if stat.S_ISDIR(mode):
            _walk(start, _depth(base, start), listing, seen)
        elif start == base:
            _add(listing, seen, Refusal(start, "submissions-not-folder"))
        elif start not in seen:
            seen.add(start)
            listing.files.append(start)
    listing.files.sort()
    listing.refused.sort(key=lambda refusal: refusal.path)
    return listing


def holds_submissions(root: Path, start: Path) -> bool:
    """Whether a path given on the command line (made absolute by `inside`) is a folder that
    holds data/submissions (the repository, `data`): `check`, `fix` and the gate read it as
    data/submissions and the catalogue, never as every file in it (`check .` and `check`
    agree, and `fix .` touches no CSV file outside data/submissions)."""
    top = Path(os.path.normpath(root.absolute()))
    return start != top / SUBMISSIONS and (top / SUBMISSIONS).is_relative_to(start)


def _under_data(root: Path, path: Path) -> bool:
    try:
        return path.relative_to(root).parts[:1] == SUBMISSIONS.parts[:1]
    except ValueError:
        return False


def first_link(root: Path, path: Path) -> Path | None:
    """The first symbolic link on the way from `root` down to `path` (itself included)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return path if path.is_symlink() else None
    here = root
    for part in parts:
        here = here / part
        if here.is_symlink():
            return here
    return None


def _walk(start: Path, depth: int, listing: Listing, seen: set[Path]) -> None:
    pending = [(start, depth)]
    while pending:
        folder, level = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            _add(listing, seen, Refusal(folder, "unreadable", {"reason": exc.strerror}))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink():
                _add(listing, seen, Refusal(path, "link-refused"))
            elif entry.is_dir(follow_symlinks=False):
                if os.path.lexists(os.path.join(entry.path, ".git")):
                    # Another repository (a checked-out submodule): its content is reviewed
                    # nowhere, so it is refused, never read as this repository's.
                    _add(listing, seen, Refusal(path, "submodule-refused"))
                elif level + 1 > MAX_DEPTH:
                    _add(listing, seen, Refusal(path, "too-deep", {"limit": MAX_DEPTH}))
                else:
                    pending.append((path, level + 1))
            elif path not in seen:
                seen.add(path)
                listing.files.append(path)


def _depth(base: Path, folder: Path) -> int:
    """How deep `folder` is under data/submissions/ (negative above it, as for data/)."""
    if folder == base or base in folder.parents:
        return len(folder.relative_to(base).parts)
    if folder in base.parents:
        return -len(base.relative_to(folder).parts)
    return 0


def _add(listing: Listing, seen: set[Path], refusal: Refusal) -> None:
    if refusal.path not in seen:
        seen.add(refusal.path)
        listing.refused.append(refusal)
