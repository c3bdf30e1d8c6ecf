"""Revisions of the targets in git: semantic diffs, the catalogue's history, the targets in force.

Git is the only store of target revisions. The catalogue is compared by indicator id, never by
line: a diff says which indicators were added or removed and, field by field, what changed,
with each milestone target old → new and whether it was raised or lowered.

History reads every revision with two git processes (one `git log --raw`, one
`git cat-file --batch`) and parses revisions through `CatalogueCache`, which parses
each indicator's text once and shares unchanged indicators between revisions; `compare` then
looks only at the indicators that are not the same object in both.
"""

from __future__ import annotations

import contextlib
import operator
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from plan57 import git
from plan57.catalogue.cache import CatalogueCache
from plan57.catalogue.loading import load_catalogue, parse_catalogue
from plan57.catalogue.models import Catalogue, Indicator, Target
from plan57.errors import CatalogueError, GitError, UsageError
from plan57.progress import Progress, silent
from plan57.repository import CATALOGUE

ChangeKind = Literal["raised", "lowered", "changed", "added", "removed"]

# The name `diff` and `from`/`to` give the working tree, which has no revision name.
WORKTREE = "working-tree"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INDICATOR_ID = re.compile(r"^CT\d{2}$")
# Catalogue-wide settings compared field by field, with the prefix their changes carry.
_SETTINGS = (("plan", "plan."), ("scoring", "scoring."), ("submission", "submission."))


class Change(BaseModel):
    """One semantic change; `indicator` is None for the plan and other catalogue-wide fields."""

    model_config = ConfigDict(frozen=True)

    indicator: str | None
    field: str
    old: Any
    new: Any
    kind: ChangeKind


class DiffReport(BaseModel):
    """`plan57 diff`; its JSON dump (by alias) is the `--format json` contract."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: str = Field(alias="from")
    to: str
    changes: list[Change]
    # The commits compared (None: the working tree); shown to people, not in the JSON contract.
    from_commit: str | None = Field(default=None, exclude=True)
    to_commit: str | None = Field(default=None, exclude=True)


class Revision(BaseModel):
    """One commit that changed the catalogue, and what it changed."""

    commit: str
    date: str  # ISO 8601 with the committer's offset: when the revision landed
    author: str
    message: str
    changes: list[Change]


class SkippedRevision(BaseModel):
    """A revision whose catalogue does not parse: the error's code and parameters."""

    commit: str
    code: str
    params: dict[str, Any]


# Told of each revision skipped because its catalogue cannot be read: the commands that use
# the history without showing it (report, site, export) note it as `history` does.
SkippedNotes = Callable[[SkippedRevision], None]


def no_notes(skipped: SkippedRevision) -> None:
    """The default: nobody is told."""


class HistoryReport(BaseModel):
    """`plan57 history`; its JSON dump is the `--format json` contract."""

    indicator: str | None
    revisions: list[Revision]
    # Revisions whose catalogue does not parse: their neighbours are compared across them.
    skipped: list[SkippedRevision] = Field(default_factory=list, exclude=True)


class LastChange(BaseModel):
    commit: str
    date: str
    author: str
    message: str


class TargetsRevision(BaseModel):
    """Which revision of the targets a catalogue was read at (for reports to say so)."""

    requested: str | None  # the revision or date asked for; None: the working tree
    commit: str | None  # the commit the catalogue was read at; None: the working tree
    path: str  # the catalogue's path at that commit, relative to the data repository
    last_change: LastChange | None  # the last commit that changed the catalogue, up to `commit`


# --- the targets in force -----------------------------------------------------------------


def parse_when(value: str) -> str | date:
    """A `--targets-at` value: a YYYY-MM-DD date, or else a revision name.

    A tag spelled like a date is read as the date; write `refs/tags/2025-06-30` for the tag.
    """
    if _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise UsageError("bad-date", value=value) from None
    return value


def catalogue_at(root: Path, at: str | date | None = None) -> tuple[Catalogue, TargetsRevision]:
    """The catalogue as it stood at a revision, or on a date (the last commit on or before it).

    `None` reads the working tree. A date is judged on the main line (first parents from HEAD)
    by each commit's committer date in its own time zone: the day the revision landed.
    """
    if at is None:
        return load_catalogue(root / CATALOGUE), TargetsRevision(
            requested=None, commit=None, path=CATALOGUE.as_posix(), last_change=None
        )
    git.require_repository(root)
    if isinstance(at, date):
        commit = commit_on(root, at)
        requested = at.isoformat()
    else:
        requested = at
        commit = git.resolve(root, at)
    with git.BlobReader(root) as reader:
        catalogue, path = _read_at(root, reader, commit, requested)
    return catalogue, TargetsRevision(
        requested=requested,
        commit=commit,
        path=_from_top(root, path),
        last_change=_last_change(root, commit, path),
    )


def commit_on(root: Path, day: date) -> str:
    """The last commit on the main line made on or before `day`."""
    git.resolve(root, "HEAD")  # a repository without commits: a clear unknown-revision error
    for commit in git.log(root, "HEAD", first_parent=True):
        if commit.date.date() <= day:
            return commit.id
    if git.is_shallow(root):
        raise GitError("git-shallow", path=CATALOGUE.as_posix())
    commits = git.log(root, "HEAD", first_parent=True, reverse=True, max_count=1)
    first = commits[0].date.date().isoformat() if commits else "—"
    raise GitError("git-no-commit-before", date=day.isoformat(), first=first)


def catalogue_in_force(
    root: Path, day: date, *, known: tuple[str, Catalogue] | None = None
) -> tuple[Catalogue, LastChange] | None:
    """The catalogue in force at the end of `day` and the revision that made it so.

    That is the last revision on or before `day`; when the catalogue is younger than the day,
    its first revision. None when there is no history to read (not a repository, no commit,
    a shallow clone, no revision that parses). `known` is a commit of the main line and its
    catalogue, parsed already: when the catalogue has not changed on the main line between
    `day` and that commit, it is the one in force, and is not read again.
    """
    if not git.is_repository(root) or git.is_shallow(root):
        return None
    if known is not None:
        path = CATALOGUE.as_posix()
        last = git.log(root, known[0], paths=(path,), first_parent=True, max_count=2)
        # The last revision by `day`, or the only one there is (a catalogue younger than `day`).
        if last and (last[0].date.date() <= day or len(last) == 1):
            change = last[0]
            return known[1], LastChange(
                commit=change.id,
                date=change.date.isoformat(),
                author=change.author,
                message=change.message,
            )
    found: tuple[Catalogue | None, TargetsRevision | None]
    try:
        found = catalogue_at(root, day)
    except (GitError, CatalogueError):
        found = _first_catalogue(root)
    catalogue, targets = found
    if catalogue is None or targets is None or targets.last_change is None:
        return None
    return catalogue, targets.last_change


def _first_catalogue(root: Path) -> tuple[Catalogue | None, TargetsRevision | None]:
    """The first revision on the main line whose catalogue parses."""
    try:
        commits = git.log(root, "HEAD", first_parent=True, reverse=True)
    except GitError:
        return None, None
    for commit in commits:
        try:
            return catalogue_at(root, commit.id)
        except (GitError, CatalogueError):
            continue
    return None, None


def revisions_during(
    root: Path, start: date, end: date, notes: SkippedNotes = no_notes
) -> list[Revision]:
    """The catalogue revisions that landed from `start` to `end` (both included), newest first;
    `notes` is told of each revision skipped because its catalogue cannot be read.

    A shallow clone raises `GitError` (its list would be silently incomplete).
    """
    found = history(root, since=start, until=end)
    for skipped in found.skipped:
        notes(skipped)
    return found.revisions


# --- diff ----------------------------------------------------------------------------------


def diff(root: Path, rev_a: str | None = None, rev_b: str | None = None) -> DiffReport:
    """Semantic changes from `rev_a` (default HEAD) to `rev_b` (default the working tree)."""
    old_name = rev_a if rev_a is not None else "HEAD"
    git.require_repository(root)
    old_commit = git.resolve(root, old_name)
    new_commit = git.resolve(root, rev_b) if rev_b is not None else None
    with git.BlobReader(root) as reader:
        old, _ = _read_at(root, reader, old_commit, old_name)
        if new_commit is not None and rev_b is not None:
            new, _ = _read_at(root, reader, new_commit, rev_b)
    if new_commit is None:
        new = load_catalogue(root / CATALOGUE)
    return DiffReport(
        from_=old_name,
        to=rev_b if rev_b is not None else WORKTREE,
        changes=compare(old, new),
        from_commit=old_commit,
        to_commit=new_commit,
    )


def compare(old: Catalogue | None, new: Catalogue | None) -> list[Change]:
    """The semantic changes from `old` to `new` (None: no catalogue), catalogue-wide first."""
    changes: list[Change] = []
    if old is None or new is None:
        _whole(changes, old, new)
    else:
        _sections(changes, old, new)
    before = old.indicators if old is not None else []
    after = new.indicators if new is not None else []
    # An indicator object in both is unchanged (the cache shares unedited ones between
    # revisions, and ids are unique): only the others are compared, field by field.
    shared = {id(i) for i in before}.intersection(map(id, after))
    old_indicators = {i.id: i for i in before if id(i) not in shared}
    new_indicators = {i.id: i for i in after if id(i) not in shared}
    for ident in sorted(old_indicators.keys() | new_indicators.keys()):
        changes.extend(compare_indicator(old_indicators.get(ident), new_indicators.get(ident)))
    return changes


def _whole(changes: list[Change], old: Catalogue | None, new: Catalogue | None) -> None:
    """A catalogue created or deleted: its catalogue-wide sections whole, one change each."""
    present = new if new is not None else old
    if present is None:
        return
    dump = present.model_dump(mode="json", by_alias=True, exclude={"indicators"})
    for section, value in dump.items():
        if isinstance(value, list):
            for item in value:
                key = f"{section}.{item['id']}"
                _field_change(changes, None, key, *((None, item) if new else (item, None)))
        else:
            _field_change(changes, None, section, *((None, value) if new else (value, None)))


def _sections(changes: list[Change], old: Catalogue, new: Catalogue) -> None:
    """Catalogue-wide changes between two catalogues, field by field."""
    for section, prefix in _SETTINGS:
        before_model, after_model = getattr(old, section), getattr(new, section)
        if before_model is after_model:
            continue  # shared by both revisions (the cache reuses unchanged sections)
        before, after = _dump(before_model), _dump(after_model)
        for name in _union(before, after):
            _field_change(changes, None, prefix + name, before.get(name), after.get(name))
    _field_change(changes, None, "schema", old.schema_version, new.schema_version)
    for collection in ("groups", "registry"):
        before_items: list[BaseModel] = getattr(old, collection)
        after_items: list[BaseModel] = getattr(new, collection)
        if len(before_items) == len(after_items) and all(
            map(operator.is_, before_items, after_items)
        ):
            continue
        before, after = _by_id(before_items), _by_id(after_items)
        for key in _union(before, after):
            _field_change(changes, None, f"{collection}.{key}", before.get(key), after.get(key))


def compare_indicator(old: Indicator | None, new: Indicator | None) -> list[Change]:
    """The changes to one indicator: whole (added, removed) or field by field."""
    if old is new:
        return []  # the same cached object: unchanged
    if old is None or new is None:
        present = new if new is not None else old
        assert present is not None
        return [
            Change(
                indicator=present.id,
                field="indicator",
                old=None if old is None else old.model_dump(mode="json"),
                new=None if new is None else new.model_dump(mode="json"),
                kind="added" if old is None else "removed",
            )
        ]
    changes: list[Change] = []
    for name in Indicator.model_fields:
        if name == "id":
            continue
        if name == "targets":
            if old.targets != new.targets:
                changes.extend(_target_changes(old, new))
            continue
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            _field_change(changes, old.id, name, _json(before), _json(after))
    return changes


def target_kind(old: Target | None, new: Target | None) -> ChangeKind:
    """Raised or lowered when the number to reach went up or down (both ends, for ranges)."""
    if old is None:
        return "added"
    if new is None:
        return "removed"
    if old.kind == "range" and new.kind == "range":
        pairs = [(old.low, new.low), (old.high, new.high)]
        if all(a is not None and b is not None and b >= a for a, b in pairs) and any(
            a is not None and b is not None and b > a for a, b in pairs
        ):
            return "raised"
        if all(a is not None and b is not None and b <= a for a, b in pairs) and any(
            a is not None and b is not None and b < a for a, b in pairs
        ):
            return "lowered"
        return "changed"
    before, after = old.threshold, new.threshold
    if before is None or after is None or before == after:
        return "changed"
    return "raised" if after > before else "lowered"


def _target_changes(old: Indicator, new: Indicator) -> list[Change]:
    before = {t.year: t for t in old.targets}
    after = {t.year: t for t in new.targets}
    changes = []
    for year in sorted(before.keys() | after.keys()):
        a, b = before.get(year), after.get(year)
        if a == b:
            continue
        changes.append(
            Change(
                indicator=old.id,
                field=f"targets.{year}",
                old=None if a is None else a.model_dump(),
                new=None if b is None else b.model_dump(),
                kind=target_kind(a, b),
            )
        )
    return changes


def _field_change(
    changes: list[Change], indicator: str | None, field: str, old: Any, new: Any
) -> None:
    if old == new:
        return
    kind: ChangeKind = "added" if old is None else "removed" if new is None else "changed"
    changes.append(Change(indicator=indicator, field=field, old=old, new=new, kind=kind))


def _dump(model: BaseModel | None) -> dict[str, Any]:
    return {} if model is None else model.model_dump(mode="json")


def _by_id(items: list[BaseModel]) -> dict[str, Any]:
    return {str(getattr(item, "id")): item.model_dump(mode="json") for item in items}  # noqa: B009


def _union(before: Iterable[str], after: Iterable[str]) -> list[str]:
    """Keys of both, in first-seen order (the model's field order, or the catalogue's)."""
    return list(dict.fromkeys([*before, *after]))


def _json(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_json(item) for item in value]
    return value


# --- history -------------------------------------------------------------------------------


def check_indicator(value: str) -> str:
    if not _INDICATOR_ID.match(value):
        from plan57.messages import suggestion

        ids = [f"CT{number:02d}" for number in range(1, 100)]
        raise UsageError("bad-indicator-option", value=value, suggestion=suggestion(value, ids))
    return value


def history(
    root: Path,
    indicator: str | None = None,
    since: date | None = None,
    until: date | None = None,
    progress: Progress = silent,
) -> HistoryReport:
    """Every commit that changed the catalogue (or `indicator`), newest first, with its changes.

    `since`/`until` keep revisions that landed on or after / on or before those days. Renames of
    the catalogue file are followed. A shallow clone is refused with the fix, not half-answered.
    """
    if indicator is not None:
        check_indicator(indicator)
    git.require_repository(root)
    if git.is_shallow(root):
        raise GitError("git-shallow", path=CATALOGUE.as_posix())
    try:
        git.resolve(root, "HEAD")
    except GitError as error:
        if error.code != "git-unknown-revision":
            raise
        return HistoryReport(indicator=indicator, revisions=[])  # nothing committed yet
    changes = git.path_history(root, CATALOGUE.as_posix())
    chosen = [
        index
        for index, change in enumerate(changes)
        if (since is None or change.commit.date.date() >= since)
        and (until is None or change.commit.date.date() <= until)
    ]
    cache = CatalogueCache()
    with git.BlobReader(root) as reader:
        # Oldest first, so that each revision's parent is usually the revision just parsed.
        needed: dict[str, str] = {}
        for index in reversed(chosen):
            change = changes[index]
            for blob, path in (
                (change.old_blob, change.old_path),
                (change.new_blob, change.new_path),
            ):
                if blob is not None:
                    needed.setdefault(blob, f"{change.commit.id[:12]}:{path}")
        # Reading and parsing every version is the long part (2,000 revisions: seconds).
        total = len(needed) + len(chosen)
        for done, (blob, raw) in enumerate(reader.read_many(needed)):
            progress(done, total, needed[blob])
            _parse_into(cache, blob, raw, needed[blob])

        def load(blob: str | None, source: str) -> Catalogue | None:
            """The catalogue in `blob`; None when absent; CatalogueError when unparseable."""
            if blob is None:
                return None
            if blob not in cache:
                _parse_into(cache, blob, reader.read(blob), source)
            return cache.get(blob)

        revisions: list[Revision] = []
        skipped: list[SkippedRevision] = []
        for step, index in enumerate(chosen):
            change = changes[index]
            progress(len(needed) + step, total, change.commit.id[:12])
            try:
                new = load(change.new_blob, change.commit.id)
            except CatalogueError as error:
                skipped.append(
                    SkippedRevision(commit=change.commit.id, code=error.code, params=error.params)
                )
                continue
            found = compare(_previous(changes, index, load), new)
            if indicator is not None:
                found = [c for c in found if c.indicator == indicator]
            # A commit that touched only comments or layout changed nothing a reader of the
            # targets needs: it is not a revision (it used to be listed with a bare "—").
            if not found:
                continue
            revisions.append(
                Revision(
                    commit=change.commit.id,
                    date=change.commit.date.isoformat(),
                    author=change.commit.author,
                    message=change.commit.message,
                    changes=found,
                )
            )
    progress(total, total, "")
    return HistoryReport(indicator=indicator, revisions=revisions, skipped=skipped)


def _parse_into(cache: CatalogueCache, blob: str, raw: bytes | None, source: str) -> None:
    # An error is cached with the blob and raised again when the revision is used: the
    # revision is skipped with a note, as one whose catalogue does not parse.
    if raw is None:
        # Not a file in this repository (a submodule's commit, an object a shallow or partial
        # clone lacks): one revision cannot be read, the rest of the history still can.
        cache.refuse(blob, CatalogueError("catalogue-revision-unreadable", path=source))
        return
    with contextlib.suppress(CatalogueError):
        cache.parse(raw, source, blob=blob)


def _previous(
    changes: list[git.PathChange],
    index: int,
    load: Callable[[str | None, str], Catalogue | None],
) -> Catalogue | None:
    """The catalogue before `changes[index]`: its parent's, or the last older one that parses."""
    change = changes[index]
    try:
        return load(change.old_blob, change.commit.id)
    except CatalogueError:
        pass
    for older in changes[index + 1 :]:
        try:
            return load(older.new_blob, older.commit.id)
        except CatalogueError:
            continue
    return None


# --- reading the catalogue at a commit -----------------------------------------------------


def _read_at(root: Path, reader: git.BlobReader, commit: str, label: str) -> tuple[Catalogue, str]:
    """The catalogue at `commit` and its path from the top of the work tree.

    When the file is not at its present path, the names it had before (renames followed from
    HEAD) are tried, so that old revisions read under the name they used.
    """
    current = git.prefix(root) + CATALOGUE.as_posix()
    raw = reader.read(f"{commit}:{current}")
    path = current
    if raw is None:
        for former in _former_paths(root, current):
            raw = reader.read(f"{commit}:{former}")
            if raw is not None:
                path = former
                break
    if raw is None:
        raise GitError("git-path-missing", rev=label, path=CATALOGUE.as_posix())
    return parse_catalogue(raw, f"{label}:{_from_top(root, path)}"), path


def _former_paths(root: Path, current: str) -> list[str]:
    try:
        changes = git.path_history(root, CATALOGUE.as_posix())
    except GitError:
        return []
    names = [c.old_path for c in changes if c.old_path is not None]
    return [name for name in dict.fromkeys(names) if name != current]


def _from_top(root: Path, path: str) -> str:
    """A work-tree path made relative to the data repository when it lies inside it."""
    prefix = git.prefix(root)
    return path[len(prefix) :] if path.startswith(prefix) else path


def _last_change(root: Path, commit: str, path: str) -> LastChange | None:
    found = git.log(root, commit, paths=(f":(top){path}",), max_count=1)
    if not found:
        return None
    last = found[0]
    return LastChange(
        commit=last.id, date=last.date.isoformat(), author=last.author, message=last.message
    )
