"""The evidence: the valid rows known on a day, each with its period and its arrival.

Every verdict and every count of what came rests on this one reading, prepared once per run
and judged for any number of periods (a site and an export judge many quarters from it).

In a git repository what is known on a day D is the main line, the first-parent history of
HEAD, as it stood at the end of D in the province: the submissions of the last main-line
commit by then, checked as `check` checks them. Uncommitted files are not evidence, nor are a
branch's commits until the merge that brings them in. A commit's time on the main line is its
committer date, never earlier than the commit before it on that line (so a commit that claims
an earlier date than its predecessor cannot move back in time).

A row's arrival is the main-line time from which a valid version of it has been there without
a break: a row that failed `check` arrives with the commit that fixes it, a row brought by a
merge arrives at the merge, a corrected value keeps the arrival of the first valid one. Past
versions of a file are checked on their own (they never stood beside today's other files).

Outside git, or in a shallow clone whose history is cut off, the files on disk are the
evidence and arrival is unknown (`reason` says why).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from plan57.catalogue.models import Catalogue
from plan57.messages import Lang, text
from plan57.periods import province_day
from plan57.progress import Progress, silent
from plan57.repository import CATALOGUE, SUBMISSIONS
from plan57.submissions.reading import MAX_BYTES, Stored, read_stored
from plan57.submissions.rules import Validation, check_repository, validate

if TYPE_CHECKING:
    import pandas as pd

    from plan57.git import Commit

UnknownReason = Literal["no-git", "shallow"]
Source = Literal["main-line", "disk"]
# A row of the evidence: the file it is in, and its indicator.
RowKey = tuple[str, str]


class EvidenceSource(BaseModel):
    """Where the rows judged came from, as the JSON outputs say it: the main line as it stood
    at `commit` (None: nothing had reached it by `as_of`), or the files on disk (`reason`)."""

    source: Source
    reason: UnknownReason | None = None
    commit: str | None = None
    commit_date: datetime | None = None


@dataclass(frozen=True)
class Evidence:
    """The valid submission rows known on `as_of`.

    `observations` are the rows that pass `check` (the columns of `Validation.observations`:
    reporter, period, indicator, value, …, file, line, start, end, months, note, source), with
    their arrival in `arrived` (`arrivals` by file and indicator) when git knows it.
    """

    as_of: date
    validation: Validation
    catalogue: Catalogue  # the catalogue the rows were checked against
    reason: UnknownReason | None  # why the files on disk stand in for the main line, if they do
    commit: Commit | None  # the main-line commit read (None: none by `as_of`, or no git)
    commit_time: datetime | None  # that commit's time on the main line
    # The commit whose committed catalogue `catalogue` is (None: the working tree's differs).
    catalogue_commit: str | None
    # The arrivals of the given rows (None: of every valid row).
    _arrive: Callable[[set[RowKey] | None], dict[RowKey, datetime]] = field(
        repr=False, compare=False
    )

    @property
    def source(self) -> EvidenceSource:
        if not self.from_git:
            return EvidenceSource(source="disk", reason=self.reason)
        commit = self.commit.id if self.commit is not None else None
        return EvidenceSource(source="main-line", commit=commit, commit_date=self.commit_time)

    @property
    def from_git(self) -> bool:
        """Whether the main line is the evidence (else the files on disk)."""
        return self.reason is None

    @property
    def observations(self) -> pd.DataFrame:
        """The valid rows, with `arrived` (a UTC time; NaT when timeliness is unknown)."""
        return self._observations

    @cached_property
    def _observations(self) -> pd.DataFrame:
        import pandas as pd

        frame = self.validation.observations
        if not self.from_git:
            return frame.assign(arrived=pd.Series(pd.NaT, index=frame.index, dtype=_TIME))
        arrivals = self.arrivals
        # Plain lists first: iterating an Arrow-backed column yields each cell at a cost.
        keys = zip(frame["file"].tolist(), frame["indicator"].tolist(), strict=True)
        times = [arrivals.get(key) for key in keys]
        return frame.assign(arrived=pd.Series(pd.to_datetime(times, utc=True), index=frame.index))

    @cached_property
    def arrivals(self) -> dict[RowKey, datetime]:
        """When each valid row's valid version reached the main line (nothing outside git)."""
        return self._arrive(None)

    def arrivals_of(self, rows: set[RowKey]) -> dict[RowKey, datetime]:
        """`arrivals` for just `rows`: walking back the history of a period's files only (what
        `status` needs) rather than of every file since the baseline."""
        if "arrivals" in self.__dict__:
            return {key: self.arrivals[key] for key in rows if key in self.arrivals}
        return self._arrive(rows)


_TIME = "datetime64[ns, UTC]"


def describe(source: EvidenceSource, as_of: date, lang: Lang) -> str:
    """Where the figures came from, in one sentence for the reader of a report or a table."""
    from plan57.formatting import day

    if source.source == "disk":
        return text(f"evidence.disk-{source.reason or 'no-git'}", lang)
    if source.commit is None:
        return text("evidence.main-line-empty", lang, as_of=day(as_of, lang))
    return text("evidence.main-line", lang, as_of=day(as_of, lang), commit=source.commit[:12])


def gather(
    root: Path,
    *,
    as_of: date,
    catalogue: Catalogue | None = None,
    progress: Progress = silent,
) -> Evidence:
    """The evidence known at the end of `as_of` for the data repository at `root`.

    `catalogue` is the working tree's (read when not given): rows are checked against it when
    the main line's last commit is read, and against the catalogue committed then otherwise.
    """
    from plan57 import git
    from plan57.catalogue.loading import load_catalogue

    working = catalogue if catalogue is not None else load_catalogue(root / CATALOGUE)
    reason: UnknownReason | None = None
    if not git.is_repository(root):
        reason = "no-git"
    elif git.is_shallow(root):
        reason = "shallow"
    if reason is not None:
        validation = check_repository(root, as_of=as_of, catalogue=working, progress=progress)
        return Evidence(as_of, validation, working, reason, None, None, None, _nothing)
    line = _line(root)
    known = [(commit, time) for commit, time in line if province_day(time) <= as_of]
    if not known:
        empty = validate(working, read_stored(root, []), as_of=as_of)
        return Evidence(as_of, empty, working, None, None, None, None, _nothing)
    commit, time = known[-1]
    if commit.id == line[-1][0].id:  # the main line's last commit: the working tree's catalogue
        rules = working
        committed = commit.id if _unchanged(root, commit.id) else None
    else:
        rules, committed = _catalogue_at(root, commit.id, working), commit.id
    if rules is working and git.same_as_head(root, SUBMISSIONS.as_posix()):
        # The files on disk are the last commit's: read them as `check` does, which is faster.
        validation = check_repository(root, as_of=as_of, catalogue=working, progress=progress)
    else:
        stored = _stored(root, commit.id)
        progress(len(stored), len(stored), "")
        validation = validate(rules, read_stored(root, stored), as_of=as_of)
    times = {c.id: t for c, t in known}

    def arrive(rows: set[RowKey] | None) -> dict[RowKey, datetime]:
        return _arrivals(root, commit.id, times, validation, rules, as_of, rows)

    return Evidence(as_of, validation, rules, None, commit, time, committed, arrive)


def _nothing(rows: set[RowKey] | None) -> dict[RowKey, datetime]:
    return {}


def _line(root: Path) -> list[tuple[Commit, datetime]]:
    """The main line's commits, oldest first, each with its time on the line."""
    from plan57 import git
    from plan57.errors import GitError

    try:
        git.run_git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return []  # a repository without a commit yet: nothing has reached the main line
    out: list[tuple[Commit, datetime]] = []
    latest: datetime | None = None
    for commit in git.main_line(root):
        latest = commit.date if latest is None or commit.date > latest else latest
        out.append((commit, latest))
    return out


def _unchanged(root: Path, commit: str) -> bool:
    """Whether the working tree's catalogue is, byte for byte, the one committed at `commit`."""
    from plan57 import git

    path = root / CATALOGUE
    with git.BlobReader(root) as reader:
        committed = reader.read(f"{commit}:{git.prefix(root)}{CATALOGUE.as_posix()}")
    try:
        return committed is not None and not path.is_symlink() and path.read_bytes() == committed
    except OSError:
        return False


def _catalogue_at(root: Path, commit: str, working: Catalogue) -> Catalogue:
    """The catalogue committed at `commit`; the working tree's when that one cannot be read."""
    from plan57.catalogue.revisions import catalogue_at
    from plan57.errors import Plan57Error

    try:
        return catalogue_at(root, commit)[0]
    except Plan57Error:
        return working


def _stored(root: Path, commit: str) -> list[Stored]:
    """The submission files of `commit`, as `read_stored` takes them, in path order."""
    from plan57 import git

    entries = git.tree_files(root, commit, SUBMISSIONS.as_posix())
    out: list[Stored] = []
    wanted: dict[str, str] = {}
    for entry in entries:
        if entry.is_link or not entry.is_file:
            # What `check` refuses on disk is refused here: a link, a submodule.
            out.append(Stored(entry.path, None, "link-refused"))
        elif entry.size is not None and entry.size > MAX_BYTES:
            out.append(
                Stored(entry.path, None, "too-large", {"size": entry.size, "limit": MAX_BYTES})
            )
        else:
            wanted[entry.blob] = entry.path
    blobs = _read_blobs(root, list(wanted))
    out += [Stored(path, blobs.get(blob) or b"") for blob, path in wanted.items()]
    return sorted(out, key=lambda stored: stored.path)


def _read_blobs(root: Path, blobs: list[str]) -> dict[str, bytes]:
    from plan57 import git

    with git.BlobReader(root) as reader:
        return {name: raw for name, raw in reader.read_many(blobs) if raw is not None}


def _arrivals(
    root: Path,
    commit: str,
    times: dict[str, datetime],
    validation: Validation,
    catalogue: Catalogue,
    as_of: date,
    rows: set[RowKey] | None = None,
) -> dict[RowKey, datetime]:
    """Each valid row's arrival (of `rows` only, when given): walking back from the version
    read, the oldest version of its file in the unbroken run of versions in which the row was
    valid with a figure."""
    from plan57 import git

    current = _answered(validation.observations)
    if rows is not None:
        current &= rows
    paths = sorted({path for path, _ in current})
    top = git.prefix(root)
    versions: dict[str, list[tuple[datetime, str | None]]] = {}
    # One pathspec, the files' common folder, rather than one per file: git matches every
    # changed path against every pathspec, so that twenty years of files cost the files times
    # the changes (and their names alone could pass the system's limit on a command line).
    # Changes to files not read now land in `versions` and are never looked up.
    # (`paths` is sorted: the first and the last share what all of them share.)
    spec = [os.path.commonpath([paths[0], paths[-1]]) or "."] if len(paths) > 1 else paths
    for change in git.main_line_changes(root, spec, commit):
        path = (change.new_path or change.old_path or "").removeprefix(top)
        time = times.get(change.commit.id)
        if time is not None:
            versions.setdefault(path, []).append((time, change.new_blob))
    arrived: dict[RowKey, datetime] = {}
    alive: dict[str, set[str]] = {}
    for path, indicator in current:
        history = versions.get(path)
        if history:
            arrived[(path, indicator)] = history[0][0]
            alive.setdefault(path, set()).add(indicator)
    depth = 1
    while alive:
        batch = {path: history[depth] for path in alive if len(history := versions[path]) > depth}
        blobs = _read_blobs(root, [blob for _, blob in batch.values() if blob is not None])
        stored = [
            Stored(path, blobs.get(blob, b""))
            for path, (_, blob) in sorted(batch.items())
            if blob is not None
        ]
        if stored:
            checked = validate(
                catalogue, read_stored(root, stored), as_of=as_of, across_files=False
            )
            valid = _answered(checked.observations)
        else:
            valid = set()
        still: dict[str, set[str]] = {}
        for path, indicators in alive.items():
            if path not in batch:
                continue
            time = batch[path][0]
            for indicator in indicators:
                if (path, indicator) in valid:
                    arrived[(path, indicator)] = time
                    still.setdefault(path, set()).add(indicator)
        alive = still
        depth += 1
    return arrived


def _answered(observations: pd.DataFrame) -> set[RowKey]:
    """The (file, indicator) rows that carry a figure (a value or a yes/no answer)."""
    if observations.empty:
        return set()
    rows = observations[observations["value"].notna() | observations["answer"].notna()]
    return set(zip(rows["file"].tolist(), rows["indicator"].tolist(), strict=True))
