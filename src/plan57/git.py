"""Reading a repository's history through the `git` command, safely and in few processes.

Git is always run without a shell, with its arguments as a list, and every revision a user
typed is checked before use so that it can never be taken for an option. History is read with
one `git log --raw` call and blob contents through one long-lived `git cat-file --batch`
process: thousands of revisions cost two processes, not thousands.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

from plan57.errors import GitError

# Values that make git's output independent of the user's configuration and language.
_ENV_OVERRIDES = {
    "LC_ALL": "C",
    "LANGUAGE": "C",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
}
# Read-only commands take no optional lock: `git diff` would otherwise refresh .git/index.
_CONFIG = (
    "--no-optional-locks",
    "-c",
    "core.quotepath=off",
    "-c",
    "log.showsignature=false",
    "-c",
    "color.ui=false",
)
_NULL_ID = re.compile(r"^0+$")
# Fields of one commit in `git log -z` output, each ended by NUL (which no name or message can
# hold): id, committer date, author date, author, email, message.
_LOG_FORMAT = "--format=%H%x00%cI%x00%aI%x00%an%x00%ae%x00%B%x00"
_FIELDS = 6


@dataclass(frozen=True)
class Commit:
    """One commit as `log` reports it."""

    id: str
    date: datetime  # the committer date: when the change landed on the branch
    author_date: datetime
    author: str
    email: str
    message: str

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]


@dataclass(frozen=True)
class PathChange:
    """What one commit did to one file: its blob before and after (None: absent)."""

    commit: Commit
    status: Literal["A", "M", "D", "R", "C", "T"]
    old_path: str | None
    new_path: str | None
    old_blob: str | None
    new_blob: str | None


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(_ENV_OVERRIDES)
    return env


def run_git_bytes(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run `git -C root args…` and return its standard output; failures raise `GitError`."""
    command = ["git", "-C", str(root), *_CONFIG, *args]
    try:
        completed = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            env=_environment(),
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitError("git-missing") from exc
    except OSError as exc:
        raise GitError("git-failed", command=args[0] if args else "", reason=str(exc)) from exc
    if completed.returncode != 0:
        reason = completed.stderr.decode("utf-8", "replace").strip()
        if "not a git repository" in reason:
            raise GitError("git-not-repository", path=str(root))
        raise GitError(
            "git-failed",
            command=args[0] if args else "",
            reason=_one_line(reason) or f"exit status {completed.returncode}",
        )
    return completed.stdout


def _one_line(message: str, limit: int = 400) -> str:
    """Git's complaint on one line: the problem and, often, the command that fixes it."""
    joined = " ".join(part.strip() for part in message.splitlines() if part.strip())
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"


def run_git(root: Path, *args: str) -> str:
    """Run git in `root` and return its output as text (trailing newline removed)."""
    return run_git_bytes(root, *args).decode("utf-8", "replace").rstrip("\n")


def check_revision(revision: str) -> str:
    """Refuse a revision string git could read as an option or that would break a batch line."""
    if (
        not revision
        or revision.startswith("-")
        or any(ch in revision for ch in "\n\r\0")
        or revision != revision.strip()
    ):
        raise GitError("git-unknown-revision", rev=revision)
    return revision


def is_repository(root: Path) -> bool:
    """Whether `root` is inside a git work tree (False also when git is missing)."""
    try:
        return run_git(root, "rev-parse", "--is-inside-work-tree") == "true"
    except GitError:
        return False


def require_repository(root: Path) -> None:
    """Raise the clear error when git is missing or `root` is not inside a work tree."""
    if not root.is_dir():
        raise GitError("git-not-repository", path=str(root))
    if run_git(root, "rev-parse", "--is-inside-work-tree") != "true":
        raise GitError("git-not-repository", path=str(root))


def is_shallow(root: Path) -> bool:
    """Whether the clone is shallow (its history cut off, as CI checkouts are by default)."""
    return run_git(root, "rev-parse", "--is-shallow-repository") == "true"


def toplevel(root: Path) -> Path:
    return Path(run_git(root, "rev-parse", "--show-toplevel"))


def prefix(root: Path) -> str:
    """`root` relative to the top of its work tree, '' or ending in '/' (git's pathspec prefix)."""
    return run_git(root, "rev-parse", "--show-prefix")


def resolve(root: Path, revision: str) -> str:
    """The full id of the commit `revision` names (any git syntax: tags, HEAD~2, ids…).

    An unknown revision in a shallow clone is reported as the shallow clone's fault, with the fix.
    """
    check_revision(revision)
    try:
        output = run_git_bytes(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        )
    except GitError as error:
        if error.code != "git-failed":
            raise
        if is_shallow(root):
            raise GitError("git-shallow-revision", rev=revision) from None
        raise GitError("git-unknown-revision", rev=revision) from None
    return output.decode("ascii").strip()


def _parse_date(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _parse_log(output: bytes) -> list[tuple[Commit, list[tuple[str, str, str, list[str]]]]]:
    """Commits and their raw entries (old blob, new blob, status, paths) from `git log -z`.

    Every field and path ends in NUL, so the output is read as a list of NUL-ended tokens: a
    commit's six fields, then its raw entries (a header starting with ":", then one or two
    paths). Paths stay bytes until `os.fsdecode`, so a name that is not UTF-8 keeps its bytes
    (as `\\udcff` escapes) and matches the file on disk.
    """
    tokens = output.split(b"\0")
    records: list[tuple[Commit, list[tuple[str, str, str, list[str]]]]] = []
    at, count = 0, len(tokens)
    while at < count:
        token = tokens[at].lstrip(b"\n")
        if not token:
            at += 1
        elif token.startswith(b":") and records:
            entry, at = _raw_entry(token, tokens, at + 1)
            records[-1][1].append(entry)
        elif at + _FIELDS <= count:
            fields = [token, *tokens[at + 1 : at + _FIELDS]]
            records.append((_commit(fields), []))
            at += _FIELDS
        else:
            break
    return records


def _commit(fields: list[bytes]) -> Commit:
    text = [field.decode("utf-8", "replace") for field in fields]
    return Commit(
        id=text[0],
        date=_parse_date(text[1]),
        author_date=_parse_date(text[2]),
        author=text[3],
        email=text[4],
        message=text[5].strip("\n"),
    )


def _raw_entry(
    header: bytes, tokens: list[bytes], at: int
) -> tuple[tuple[str, str, str, list[str]], int]:
    """One `--raw` entry and the position after its paths.

    A merge's combined entry (`::mode mode mode blob blob blob MM`) is read against its first
    parent: the merge as a change to the branch it was merged into.
    """
    parents = len(header) - len(header.lstrip(b":"))
    parts = header.lstrip(b":").decode("ascii", "replace").split(" ")
    blobs = parts[parents + 1 : 2 * parents + 2]
    status = parts[-1]
    paths = 2 if parents == 1 and status[:1] in ("R", "C") else 1
    names = [os.fsdecode(name) for name in tokens[at : at + paths]]
    return (blobs[0], blobs[-1], status[:1] if parents > 1 else status, names), at + paths


def log(
    root: Path,
    revision: str = "HEAD",
    *,
    paths: tuple[str, ...] = (),
    first_parent: bool = False,
    reverse: bool = False,
    max_count: int | None = None,
) -> list[Commit]:
    """Commits reachable from `revision`, newest first (oldest first with `reverse`).

    `paths` limits to commits touching them (relative to `root`).
    """
    args = ["log", _LOG_FORMAT, "-z", "--no-color"]
    if first_parent:
        args.append("--first-parent")
    if reverse:
        args.append("--reverse")
    if max_count is not None and not reverse:
        args.append(f"--max-count={max_count}")
    args += ["--end-of-options", check_revision(revision), "--", *paths]
    commits = [commit for commit, _ in _parse_log(run_git_bytes(root, *args))]
    if max_count is not None and reverse:
        commits = commits[:max_count]
    return commits


def path_history(
    root: Path, path: str, revision: str = "HEAD", *, follow: bool = True
) -> list[PathChange]:
    """Every commit that changed `path`, newest first, with its blob ids.

    With `follow`, renames are followed into the file's former paths; without, a rename is
    the file's arrival at `path`. A merge whose result differs from every parent (a conflict
    resolved by hand) is a change compared with its first parent.

    One `git log --raw` call; `path` is relative to `root`. The paths in the result are
    relative to the top of the work tree, as git reports them.
    """
    return _changes(root, [path], revision, follow=follow)


def files_history(
    root: Path, paths: list[str], revision: str = "HEAD"
) -> dict[str, list[PathChange]]:
    """Every change to each of `paths` (relative to `root`), newest first, by the file's path
    at the change (relative to the top of the work tree); renames are not followed, so a
    renamed file arrives at its new path. One `git log` for all of them, however many."""
    by_path: dict[str, list[PathChange]] = {}
    for change in _changes(root, paths, revision, follow=False) if paths else []:
        by_path.setdefault(change.new_path or change.old_path or "", []).append(change)
    return by_path


def main_line(root: Path, revision: str = "HEAD") -> list[Commit]:
    """The first-parent history of `revision`, oldest first: the commits of the main line, a
    merge standing for everything its branch brought."""
    return log(root, revision, first_parent=True, reverse=True)


def main_line_changes(root: Path, paths: list[str], revision: str = "HEAD") -> list[PathChange]:
    """Every change the main line made to `paths` (relative to `root`), newest first.

    Only first-parent commits, each compared with its first parent: a merge is the change its
    branch made, at the merge (the branch's own commits, whatever their dates, never appear).
    Renames are not followed: a renamed file arrives at its new path.
    """
    return _changes(root, paths, revision, follow=False, main_line=True) if paths else []


@dataclass(frozen=True)
class TreeFile:
    """One entry of a commit's tree: its mode, blob id, size in bytes and path (relative to
    the folder git was asked from)."""

    mode: str
    blob: str
    size: int | None  # None for what is not a blob (a submodule)
    path: str

    @property
    def is_link(self) -> bool:
        return self.mode == "120000"

    @property
    def is_file(self) -> bool:
        return self.mode in ("100644", "100755")


def tree_files(root: Path, commit: str, under: str) -> list[TreeFile]:
    """The files under `under` (relative to `root`) in `commit`'s tree, recursively.

    Paths stay bytes until `os.fsdecode`, as in `log`, so a name that is not UTF-8 keeps them.
    """
    output = run_git_bytes(
        root, "ls-tree", "-r", "-l", "-z", "--end-of-options", check_revision(commit), "--", under
    )
    found = []
    for entry in output.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        fields = meta.decode("ascii", "replace").split()
        if len(fields) != 4:
            continue
        mode, _kind, blob, size = fields
        found.append(TreeFile(mode, blob, int(size) if size.isdigit() else None, os.fsdecode(path)))
    return found


def _changes(
    root: Path, paths: list[str], revision: str, *, follow: bool, main_line: bool = False
) -> list[PathChange]:
    merges = ["--first-parent", "--diff-merges=first-parent"] if main_line else []
    args = [
        "log",
        _LOG_FORMAT,
        "-z",
        "--raw",
        "--no-abbrev",
        "--no-color",
        *(merges or ["--diff-merges=combined"]),
        "--follow" if follow else "--no-renames",
        "--end-of-options",
        check_revision(revision),
        "--",
        *paths,
    ]
    changes: list[PathChange] = []
    for commit, entries in _parse_log(run_git_bytes(root, *args)):
        for old_blob, new_blob, status, paths in entries:
            kind = status[:1]
            if kind not in ("A", "M", "D", "R", "C", "T"):
                continue
            renamed = kind in ("R", "C")
            changes.append(
                PathChange(
                    commit=commit,
                    status=kind,  # type: ignore[arg-type]
                    old_path=None if kind == "A" else paths[0],
                    new_path=None if kind == "D" else paths[-1 if renamed else 0],
                    old_blob=None if _NULL_ID.match(old_blob) else old_blob,
                    new_blob=None if _NULL_ID.match(new_blob) else new_blob,
                )
            )
    return changes


class BlobReader:
    """One `git cat-file --batch` process answering many object lookups.

    Use as a context manager; `read(name)` takes a blob id (or `commit:path`) and returns its
    bytes, or None when the object does not exist.
    """

    def __init__(self, root: Path) -> None:
        self._root = root
        self._process: subprocess.Popen[bytes] | None = None
        self._writer: threading.Thread | None = None

    def __enter__(self) -> BlobReader:
        try:
            self._process = subprocess.Popen(
                ["git", "-C", str(self._root), *_CONFIG, "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_environment(),
            )
        except FileNotFoundError as exc:
            raise GitError("git-missing") from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        process, self._process = self._process, None
        writer, self._writer = self._writer, None
        if process is None:
            return
        if writer is not None and writer.is_alive():
            # Left mid-batch: git may be blocked writing answers nobody reads; stop it.
            process.kill()
            writer.join()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def read(self, name: str) -> bytes | None:
        """The object's bytes, or None when it does not exist."""
        process = self._running()
        if not _valid_name(name):
            return None
        assert process.stdin is not None
        try:
            process.stdin.write(name.encode("utf-8") + b"\n")
            process.stdin.flush()
        except BrokenPipeError:
            pass  # git has gone; reading its answer reports why
        return self._answer(process)

    def read_many(self, names: Iterable[str]) -> Iterator[tuple[str, bytes | None]]:
        """Each name with its object's bytes (None: absent), in order, as git answers them.

        All the names are sent at once from a helper thread while the answers are read, so
        thousands of objects cost no round trip each.
        """
        process = self._running()
        wanted = list(names)
        batch = b"".join(name.encode("utf-8") + b"\n" for name in wanted if _valid_name(name))

        def send() -> None:
            assert process.stdin is not None
            with contextlib.suppress(OSError, ValueError):
                process.stdin.write(batch)
                process.stdin.flush()

        self._writer = threading.Thread(target=send, name="cat-file-batch", daemon=True)
        self._writer.start()
        for name in wanted:
            yield name, (self._answer(process) if _valid_name(name) else None)
        self._writer.join()
        self._writer = None

    def _running(self) -> subprocess.Popen[bytes]:
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            raise RuntimeError("BlobReader used outside its with-block")
        if self._writer is not None:
            raise RuntimeError("BlobReader.read_many is still running")
        return process

    def _answer(self, process: subprocess.Popen[bytes]) -> bytes | None:
        assert process.stdout is not None
        header = process.stdout.readline()
        if not header:
            reason = _drain(process.stderr)
            if "not a git repository" in reason:
                raise GitError("git-not-repository", path=str(self._root))
            raise GitError("git-failed", command="cat-file", reason=reason or "no answer")
        fields = header.decode("utf-8", "replace").rstrip("\n").split(" ")
        if len(fields) < 3 or fields[-1] in ("missing", "ambiguous"):
            return None
        size = int(fields[2])
        data = _read_exactly(process.stdout, size + 1)  # the object, then a newline
        return data[:size]


def _valid_name(name: str) -> bool:
    return bool(name) and not any(ch in name for ch in "\n\r\0")


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            raise GitError("git-failed", command="cat-file", reason="output cut short")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _drain(stream: IO[bytes] | None) -> str:
    if stream is None:
        return ""
    try:
        return stream.read().decode("utf-8", "replace").strip()
    except (OSError, ValueError):
        return ""


def last_commits(root: Path, under: str, revision: str | None = None) -> dict[str, str]:
    """For every file under `under` (relative to `root`), the last commit that changed it.

    One `git log` over the folder's history, newest first: a path's first appearance is its
    last change. Paths are relative to `root`; a file with uncommitted changes still maps to
    its last commit (callers that care ask `git status` as well). With `revision`, the main
    line up to it: first parents only, a merge standing for what its branch brought.
    """
    line = [] if revision is None else ["--first-parent", "--diff-merges=first-parent"]
    until = [] if revision is None else ["--end-of-options", check_revision(revision)]
    output = run_git_bytes(
        root, "log", "--no-renames", "--format=@%H", "--name-only", "--relative", "-z",
        *line, *until, "--", under,
    )  # fmt: skip
    found: dict[str, str] = {}
    commit = ""
    for token in output.split(b"\0"):
        name = token.strip(b"\n").decode("utf-8", "surrogateescape")
        if name.startswith("@") and len(name) == 41:
            commit = name[1:]
        elif name:
            found.setdefault(name, commit)
    return found


def same_as_head(root: Path, under: str) -> bool:
    """Whether the files under `under` (relative to `root`) are HEAD's, with nothing more:
    no change, no untracked file, no ignored one (`check` would read it).

    `git status` compares the contents of files whose timestamps are stale (a copied or
    restored folder) and, without optional locks, never writes the index.
    """
    try:
        output = run_git_bytes(
            root, "status", "--porcelain", "-z", "--untracked-files=all", "--ignored",
            "--no-renames", "--", under,
        )  # fmt: skip
    except GitError:
        return False
    return not output


def changed_files(root: Path, under: str) -> set[str]:
    """Files under `under` whose working-tree content differs from HEAD (or is untracked)."""
    output = run_git_bytes(
        root, "status", "--porcelain", "-z", "--untracked-files=all", "--no-renames", "--", under
    )
    prefix_ = run_git(root, "rev-parse", "--show-prefix")
    found = set()
    for entry in output.split(b"\0"):
        if len(entry) > 3:
            path = entry[3:].decode("utf-8", "surrogateescape")
            found.add(path.removeprefix(prefix_) if prefix_ else path)
    return found


def gitlinks(root: Path, under: str) -> list[str]:
    """The submodules (gitlinks, mode 160000) the index holds under `under`, relative to
    `root`, as the file system spells them; none outside a repository or without git.

    Plumbing that reads the index and never refreshes it."""
    try:
        output = run_git_bytes(root, "ls-files", "--stage", "-z", "--", under)
    except GitError:
        return []
    found = []
    for entry in output.split(b"\0"):
        mode, _, rest = entry.partition(b" ")
        if mode == b"160000":
            found.append(os.fsdecode(rest.split(b"\t", 1)[1]))
    return sorted(found)
