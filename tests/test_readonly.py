"""Read-only commands never write under data/ (nor anywhere else in the working tree).

Each command runs on a git repository holding the bundled data, with two revisions of the
catalogue and a submission that `fix` would change; the tree under data/ is fingerprinted
(names, kinds, sizes, modification times, contents) before and after. A new command is one
more line in READ_ONLY.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest

from clirun import invoke
from conftest import PROJECT
from gitrepo import git, init
from plan57.cli import app

AS_OF = "2026-03-01"
READ_ONLY: dict[str, list[str]] = {
    "check": ["check", "--as-of", AS_OF],
    "check-json": ["check", "--as-of", AS_OF, "--format", "json"],
    "check-github": ["check", "--as-of", AS_OF, "--format", "github"],
    "check-changed-since": ["check", "--as-of", AS_OF, "--changed-since", "HEAD~1"],
    "check-path": ["check", "--as-of", AS_OF, "data/submissions/so-tc"],
    "catalogue": ["catalogue"],
    "catalogue-json": ["catalogue", "--format", "json"],
    "score": ["score", "--period", "2025Q4", "--as-of", AS_OF],
    "score-json": ["score", "--period", "2025Q4", "--as-of", AS_OF, "--format", "json"],
    "score-csv": ["score", "--period", "2025Q4", "--as-of", AS_OF, "--format", "csv"],
    "report-md": ["report", "--period", "2025Q4", "--as-of", AS_OF, "--format", "md"],
    "report-html": ["report", "--period", "2025Q4", "--as-of", AS_OF, "--format", "html"],
    "status": ["status", "--period", "2025Q4", "--as-of", AS_OF],
    "status-json": ["status", "--period", "2025Q4", "--as-of", AS_OF, "--format", "json"],
    "diff": ["diff", "HEAD~1", "HEAD"],
    "diff-worktree": ["diff"],
    "history": ["history"],
    "history-indicator": ["history", "CT05"],
    "fix-check": ["fix", "--check"],
    "codeowners-check": ["codeowners", "--check"],
}
# A submission as Excel on a Vietnamese Windows saves it: `fix` would rewrite it, `fix --check`
# and everything else must leave it alone.
EXCEL_FILE = "data/submissions/so-tc/2025Q4.csv"


def registered() -> set[str]:
    return {command.name or command.callback.__name__ for command in app.registered_commands}


def fingerprint(folder: Path) -> dict[str, tuple[object, ...]]:
    """Everything about the files under `folder` a write would change; links are not followed."""
    seen: dict[str, tuple[object, ...]] = {}
    for here, dirs, names in os.walk(folder, followlinks=False):
        for name in sorted(dirs + names):
            path = Path(here) / name
            info = path.lstat()
            digest = ""
            if stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISLNK(info.st_mode):
                digest = os.readlink(path)
            relative = path.relative_to(folder).as_posix()
            seen[relative] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns, digest)
    return seen


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data in a git repository: the catalogue changed once, one Excel file."""
    root = init(tmp_path_factory.mktemp("readonly") / "repo")
    shutil.copytree(PROJECT / "data", root / "data")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "bundled data", date="2026-01-05T09:00:00+07:00")
    catalogue = root / "data" / "targets.yaml"
    text = catalogue.read_text("utf-8")
    catalogue.write_text(text.replace("tolerance: 0.95", "tolerance: 0.9", 1), encoding="utf-8")
    excel = root / EXCEL_FILE
    excel.write_bytes(b"\xef\xbb\xbf" + excel.read_bytes().replace(b"\n", b"\r\n"))
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "tolerance", date="2026-02-05T09:00:00+07:00")
    # An uncommitted edit too, for the commands that look at the working tree.
    catalogue.write_text(catalogue.read_text("utf-8") + "\n", encoding="utf-8")
    return root


@pytest.fixture
def repo(source: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(source, root, symlinks=True)
    return root


def test_the_fixture_has_something_for_fix_to_do(repo: Path) -> None:
    # Otherwise `fix --check` below would prove nothing.
    if "fix" not in registered():
        pytest.skip("plan57 fix is not built yet")
    assert invoke(repo, "fix", "--check").exit_code == 1


def test_the_fingerprint_sees_a_write(repo: Path) -> None:
    # The harness must be able to fail: `fix` rewrites the Excel file (same names, new bytes).
    if "fix" not in registered():
        pytest.skip("plan57 fix is not built yet")
    before = fingerprint(repo / "data")
    assert invoke(repo, "fix").exit_code == 0
    after = fingerprint(repo / "data")
    assert after.keys() == before.keys()
    # The file, and its folder, whose modification time the rename into place moves.
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {EXCEL_FILE.removeprefix("data/"), "submissions/so-tc"}


@pytest.mark.parametrize("name", list(READ_ONLY))
def test_read_only_command_writes_nothing(
    repo: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = READ_ONLY[name]
    if args[0] not in registered():
        pytest.skip(f"plan57 {args[0]} is not built yet")
    monkeypatch.chdir(repo)  # a relative path, if any command wrote one, lands in the repository
    data_before = fingerprint(repo / "data")
    status_before = git(repo, "status", "--porcelain", "--ignored", "--untracked-files=all")
    result = invoke(repo, *args)
    assert result.exit_code in (0, 1), result.output[-2000:]
    assert result.stdout  # the command did its work
    assert fingerprint(repo / "data") == data_before
    assert git(repo, "status", "--porcelain", "--ignored", "--untracked-files=all") == status_before


def test_every_read_only_command_is_listed() -> None:
    listed = {args[0] for args in READ_ONLY.values()}
    # The commands that write (template --out, fix, codeowners, report --out) are in
    # test_files.py; these are the ones SECURITY.md names as read-only, and they all exist.
    assert {"check", "score", "report", "status", "diff", "history"} <= listed
    assert {"check", "score", "report", "status", "diff", "history"} <= registered()
