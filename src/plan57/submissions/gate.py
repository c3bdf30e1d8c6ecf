"""The pull-request gate: what a change touches since a revision, and what it may not touch.

`plan57 check --changed-since REV` checks the submission files changed since the point where
the branch left REV (their merge base), together with every other file of the same reporters
(a changed file can overlap an unchanged one), and refuses a change that mixes reporters'
folders where the catalogue keeps them apart. Uncommitted and untracked files count as
changed, so that a pre-commit hook sees what is about to be committed.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from plan57.catalogue.models import Catalogue
from plan57.findings import Finding, make_finding
from plan57.repository import CATALOGUE, SUBMISSIONS


@dataclass(frozen=True)
class Gate:
    """The files a change touches and what the gate found about the change as a whole."""

    base: str
    changed: tuple[str, ...]
    paths: tuple[Path, ...]
    findings: tuple[Finding, ...]
    catalogue_changed: bool


def changed_files(root: Path, revision: str) -> tuple[str, list[str]]:
    """The merge base of `revision` and HEAD, and every path changed since, relative to `root`.

    Deleted paths are included: deleting another reporter's file touches its folder too.
    """
    from plan57.errors import GitError
    from plan57.git import check_revision, require_repository, resolve, run_git, run_git_bytes

    require_repository(root)
    target = resolve(root, check_revision(revision))
    try:
        base = run_git(root, "merge-base", target, "HEAD") or target
    except GitError:
        # No common ancestor (or no HEAD yet): compare with the revision itself.
        base = target
    untracked = run_git_bytes(root, "ls-files", "-z", "--others", "--exclude-standard", "--")
    # Bytes to names as the file system spells them: a name that is not UTF-8 keeps its bytes,
    # finds its file, and is reported as a bad file name rather than matching nothing.
    names = {os.fsdecode(name) for name in untracked.split(b"\0") if name}
    names.update(_changed_since(root, base))
    return base, sorted(names)


_UNKNOWN = b"0" * 40


def _changed_since(root: Path, base: str) -> list[str]:
    """Tracked paths whose content differs from `base`, without touching `.git/index`.

    Porcelain `git diff` refreshes the index when a file's timestamps are stale (it rewrites
    it, `--no-optional-locks` or not); plumbing `diff-index` never does, and reports such a
    file as "unknown" (an id of zeros) instead. Those are hashed as git would store them and
    compared with the base's blob, so a file only touched is not a change.
    """
    from plan57.git import run_git_bytes

    raw = run_git_bytes(
        root, "diff-index", "--raw", "-z", "--no-renames", "--relative", "--abbrev=40", base, "--"
    ).split(b"\0")
    changed: list[str] = []
    unknown: dict[bytes, bytes] = {}  # path: its blob at the base
    for header, name in zip(raw[0::2], raw[1::2], strict=False):
        fields = header.split(b" ")
        if len(fields) < 5 or not name:
            continue
        new_mode, old_id, new_id, status = fields[1], fields[2], fields[3], fields[4][:1]
        if new_id == _UNKNOWN and status == b"M" and new_mode in _FILES:
            unknown[name] = old_id
        else:
            changed.append(os.fsdecode(name))
    paths = [os.fsdecode(path) for path in unknown]
    for start in range(0, len(paths), _BATCH):
        batch = paths[start : start + _BATCH]
        # Names as arguments (a name may hold a line break); each hashed with its own path's
        # filters (line endings, .gitattributes), as `git add` would.
        hashed = run_git_bytes(root, "hash-object", "--", *batch).split()
        changed += [
            path
            for path, now in zip(batch, hashed, strict=True)
            if now != unknown[os.fsencode(path)]
        ]
    return changed


_FILES = (b"100644", b"100755")
_BATCH = 500


def changed_submissions(root: Path, revision: str) -> list[Path]:
    """The CSV files under data/submissions/ changed since `revision` that still exist."""
    _, changed = changed_files(root, revision)
    prefix = SUBMISSIONS.parts
    return [
        root / path
        for path in changed
        if PurePosixPath(path).parts[: len(prefix)] == prefix
        and path.lower().endswith(".csv")
        and ((root / path).exists() or (root / path).is_symlink())
    ]


def reporter_folder(path: str, *, folder: bool = False) -> str | None:
    """The reporter folder a repository path lies in (`so-tc` for data/submissions/so-tc/…);
    with `folder`, the path may be the reporter's folder itself (a submodule in its place)."""
    parts = PurePosixPath(path).parts
    prefix = SUBMISSIONS.parts
    if len(parts) > len(prefix) + (0 if folder else 1) and parts[: len(prefix)] == prefix:
        return parts[len(prefix)]
    return None


def mixed_reporters(
    catalogue: Catalogue, changed: list[str], submodules: Collection[str] = ()
) -> list[Finding]:
    """Refuse a change that touches several reporters' folders where one must stand alone.

    A reporter whose registry entry says `shared_pull_requests: true` may share a pull request
    (a ward whose figures a central office commits with others'); every other reporter's
    changes come alone, so that each pull request is reviewed by the one team that owns it.
    """
    folders: dict[str, list[str]] = {}
    for path in changed:
        folder = reporter_folder(path, folder=path in submodules)
        if folder is not None:
            folders.setdefault(folder, []).append(path)
    if len(folders) < 2:
        return []
    findings = []
    for folder, paths in sorted(folders.items()):
        entry = catalogue.entry(folder)
        if entry is not None and entry.shared_pull_requests:
            continue
        others = ", ".join(name for name in sorted(folders) if name != folder)
        findings.append(
            make_finding(
                "mixed-reporters",
                file=sorted(paths)[0],
                reporter=folder,
                others=others,
            )
        )
    return findings


def submodules(root: Path) -> list[Finding]:
    """A submodule (gitlink) under data/submissions/ hands a folder to another repository,
    whose content no review here sees and no check reads: refused wherever it is, and on
    every run, checked out or not."""
    from plan57.git import gitlinks

    return [
        make_finding("submodule-refused", file=path)
        for path in gitlinks(root, SUBMISSIONS.as_posix())
    ]


def gate(root: Path, catalogue: Catalogue, revision: str) -> Gate:
    """What `check --changed-since revision` checks, and the gate's own findings."""
    from plan57.git import gitlinks

    base, changed = changed_files(root, revision)
    prefix = SUBMISSIONS.as_posix()
    catalogue_changed = CATALOGUE.as_posix() in changed
    touched = {folder for path in changed if (folder := reporter_folder(path)) is not None}
    chosen: set[Path] = set()
    submissions = root / SUBMISSIONS
    for path in changed:
        if PurePosixPath(path).parts[: len(SUBMISSIONS.parts)] != SUBMISSIONS.parts:
            continue
        absolute = root / path
        # Deleted files are gone; a stray file (a spreadsheet, a file at the wrong depth) is
        # checked so that `check` reports its name.
        if absolute.exists() or absolute.is_symlink():
            chosen.add(absolute)
    for folder in touched:
        directory = submissions / folder
        if directory.is_dir() and not directory.is_symlink():
            # Everything but sub-folders: a FIFO or a link is reported, never opened.
            chosen.update(p for p in directory.iterdir() if p.is_symlink() or not p.is_dir())
    return Gate(
        base=base,
        changed=tuple(changed),
        paths=tuple(sorted(chosen)),
        findings=tuple(mixed_reporters(catalogue, changed, set(gitlinks(root, prefix)))),
        catalogue_changed=catalogue_changed,
    )


def peers(root: Path, changed: Sequence[str]) -> list[Path]:
    """Every reporter's file for the periods a change touches (same name, any folder): the
    figures a changed one is compared with (`peer-outlier`), read but not reported on."""
    names = {PurePosixPath(path).name for path in changed if reporter_folder(path) is not None}
    folder = root / SUBMISSIONS
    if not names or folder.is_symlink() or not folder.is_dir():
        return []
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found += [Path(entry.path) / name for name in names]
    # Links and absent files are left out here; what is read is refused or read as `check` does.
    return [path for path in found if not path.is_symlink() and path.is_file()]


def scope(
    root: Path,
    catalogue: Catalogue,
    chosen: Sequence[Path] | None,
    changed_since: str | None,
) -> tuple[list[Path] | None, list[Finding], list[Path]]:
    """What `plan57 check` reports on (None: everything), the findings it adds, and with
    `changed_since` the peers' files the gate reads beside what it reports on.

    Those are the gate's (with `changed_since`) and the CODEOWNERS warnings, which `check`
    gives on every run so that the registry and the forge never drift apart unnoticed.
    """
    from plan57.catalogue.codeowners import drift

    chosen = None if chosen is None else list(chosen)
    findings = drift(root, catalogue) + submodules(root)
    if changed_since is None:
        return chosen, findings, []
    result = gate(root, catalogue, changed_since)
    findings += result.findings
    if result.catalogue_changed:
        # A new catalogue can make any submission wrong (an indicator reassigned, say).
        return None, findings, []
    return sorted({*(chosen or []), *result.paths}), findings, peers(root, result.changed)
