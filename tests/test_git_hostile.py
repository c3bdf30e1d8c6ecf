"""History read from git as an attacker or an unlucky user leaves it: merges resolved by hand,
renames after a deadline, names that are not UTF-8, separators in author names, and a
read-only command that must not touch .git/index."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from clirun import check_json, file_problems, invoke
from conftest import CATALOGUE, PROJECT
from gitrepo import IDENTITY, commit, git, init
from plan57.catalogue import revisions
from plan57.catalogue.loading import load_catalogue
from plan57.submissions.status import build_status, parse_status_period

TARGETS = CATALOGUE.read_text("utf-8")
CT01_2025 = '      2025: "≥ 60%"\n      2030: "100%"'


def _ct01(text: str) -> str:
    changed = TARGETS.replace(CT01_2025, text, 1)
    assert changed != TARGETS
    return changed


def test_a_merge_that_resolves_a_conflict_is_a_revision(tmp_path: Path) -> None:
    root = init(tmp_path / "repo")
    commit(root, {"data/targets.yaml": TARGETS}, "catalogue", "2025-06-01T09:00:00+07:00")
    git(root, "checkout", "-q", "-b", "side")
    side = _ct01('      2025: "≥ 61%"\n      2030: "100%"')
    commit(root, {"data/targets.yaml": side}, "side: 61", "2025-07-01T09:00:00+07:00")
    git(root, "checkout", "-q", "main")
    main = _ct01('      2025: "≥ 59%"\n      2030: "100%"')
    commit(root, {"data/targets.yaml": main}, "main: 59", "2025-07-02T09:00:00+07:00")
    with pytest.raises(Exception):  # noqa: B017 - the conflict is the point
        git(root, "merge", "-q", "side")
    resolved = _ct01('      2025: "≥ 62%"\n      2030: "100%"')
    commit(root, {"data/targets.yaml": resolved}, "merge side: 62", "2025-07-03T09:00:00+07:00")
    found = revisions.history(root, "CT01")
    messages = [r.message for r in found.revisions]
    assert messages == ["merge side: 62", "main: 59", "side: 61", "catalogue"]
    # Compared with its first parent (main, at 59).
    (change,) = found.revisions[0].changes
    assert "59%" in str(change.old) and "62%" in str(change.new)
    during = revisions.revisions_during(root, date(2025, 7, 3), date(2025, 7, 3))
    assert [r.message for r in during] == ["merge side: 62"]


def test_a_rename_after_the_deadline_does_not_backdate(tmp_path: Path) -> None:
    root = init(tmp_path / "repo")
    commit(root, {"data/targets.yaml": TARGETS}, "catalogue", "2025-06-01T09:00:00+07:00")
    rows = "indicator,value\nCT38,2\n"
    commit(root, {"data/submissions/so-nv/2025Q3.csv": rows}, "Q3", "2025-10-05T09:00:00+07:00")
    git(root, "mv", "data/submissions/so-nv/2025Q3.csv", "data/submissions/so-nv/2025Q4.csv")
    commit(root, {}, "Q3 renamed to Q4", "2026-01-20T09:00:00+07:00")  # after 15 January
    catalogue = load_catalogue(root / "data" / "targets.yaml")
    q4 = parse_status_period("2025Q4")
    report = build_status(root, catalogue, q4, as_of=date(2026, 2, 1))
    nv = next(r for r in report.reporters if r.id == "so-nv")
    assert nv.submitted == ["CT38"] and nv.late == ["CT38"]
    before = build_status(root, catalogue, q4, as_of=date(2026, 1, 10))
    assert next(r for r in before.reporters if r.id == "so-nv").submitted == []


def test_a_folder_name_that_is_not_utf8_fails_the_gate(tmp_path: Path) -> None:
    root = init(tmp_path / "repo")
    base = commit(root, {"data/targets.yaml": TARGETS}, "catalogue", "2025-06-01T09:00:00+07:00")
    folder = os.fsencode(root / "data" / "submissions") + b"/so-tc\xff"
    try:
        os.makedirs(folder)
    except OSError as error:
        pytest.skip(f"this file system refuses such names: {error}")
    with open(folder + b"/2025Q4.csv", "wb") as handle:
        handle.write(b"indicator,value\nCT30,2\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "bad name", date="2026-01-10T09:00:00+07:00")
    code, report = check_json(root, "--changed-since", base)
    assert code == 1
    assert [(p["code"], p["file"]) for p in file_problems(report)] == [
        ("bad-file-name", "data/submissions/so-tc\\xff/2025Q4.csv")
    ]


def test_an_author_with_separators_does_not_shift_the_fields(tmp_path: Path) -> None:
    root = init(tmp_path / "repo")
    commit(root, {"data/targets.yaml": TARGETS}, "catalogue", "2025-06-01T09:00:00+07:00")
    (root / "data" / "targets.yaml").write_text(_ct01('      2025: "≥ 61%"\n      2030: "100%"'))
    git(root, "add", "-A")
    when = "2025-07-01T09:00:00+07:00"
    env = {**os.environ, **IDENTITY, "GIT_AUTHOR_NAME": "a\x1fb\x1ec", "GIT_AUTHOR_DATE": when}
    message = "subject\x1fwith\x1eseparators"
    subprocess.run(
        ["git", "-C", str(root), "-c", "commit.gpgsign=false", "commit", "-q", "-m", message],
        env={**env, "GIT_COMMITTER_DATE": when},
        check=True,
    )
    result = invoke(root, "history", "--format", "json", "--lang", "en")
    newest = json.loads(result.stdout)["revisions"][0]
    assert newest["author"] == "a\x1fb\x1ec"
    assert newest["message"] == "subject\x1fwith\x1eseparators"
    assert newest["date"].startswith("2025-07-01")


def test_read_only_commands_leave_the_git_index_alone(tmp_path: Path) -> None:
    root = init(tmp_path / "repo")
    base = commit(root, {"data/targets.yaml": TARGETS}, "catalogue", "2025-06-01T09:00:00+07:00")
    commit(
        root,
        {"data/submissions/so-tc/2025Q4.csv": "indicator,value\nCT30,2\n"},
        "so-tc",
        "2026-01-10T09:00:00+07:00",
    )
    # A changed timestamp makes the index stale: `git diff` or `git status` would refresh it.
    os.utime(root / "data" / "submissions" / "so-tc" / "2025Q4.csv", (1, 1))
    index = root / ".git" / "index"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    for arguments in (
        ["check", "--changed-since", base],
        ["fix", "--check", "--changed-since", base],
        ["status", "--period", "2025Q4", "--as-of", "2026-02-01"],
        ["report", "--period", "2025Q4", "--as-of", "2026-02-01"],
    ):
        invoke(root, *arguments)
        assert (index.read_bytes(), index.stat().st_mtime_ns) == before, arguments


def _autocrlf_clone(tmp_path: Path, attributes: bool) -> Path:
    origin = init(tmp_path / "origin")
    files: dict[str, str | bytes | None] = {
        "data/targets.yaml": TARGETS,
        "data/submissions/so-tc/2025Q4.csv": "indicator,value\nCT30,2\n",
    }
    if attributes:
        files[".gitattributes"] = (PROJECT / ".gitattributes").read_text("utf-8")
    commit(origin, files, "data", "2026-01-10T09:00:00+07:00")
    clone = tmp_path / "clone"
    git(tmp_path, "-c", "core.autocrlf=true", "clone", "-q", str(origin), str(clone))
    git(clone, "config", "core.autocrlf", "true")
    return clone


def test_line_endings_alone_are_not_something_to_fix(tmp_path: Path) -> None:
    clone = _autocrlf_clone(tmp_path, attributes=False)
    path = clone / "data" / "submissions" / "so-tc" / "2025Q4.csv"
    assert path.read_bytes() == b"indicator,value\r\nCT30,2\r\n"  # what Git for Windows does
    result = invoke(clone, "fix", "--check", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert invoke(clone, "fix", "--lang", "en").exit_code == 0
    assert path.read_bytes() == b"indicator,value\r\nCT30,2\r\n"


def test_the_shipped_gitattributes_keep_submissions_lf(tmp_path: Path) -> None:
    clone = _autocrlf_clone(tmp_path, attributes=True)
    path = clone / "data" / "submissions" / "so-tc" / "2025Q4.csv"
    assert path.read_bytes() == b"indicator,value\nCT30,2\n"
    # A CRLF file committed from such a clone is stored with LF.
    path.write_bytes(b"indicator,value\r\nCT30,3\r\n")
    git(clone, "add", "-A")
    stored = git(clone, "show", ":data/submissions/so-tc/2025Q4.csv")
    assert "\r" not in stored


def test_an_unparseable_merge_gets_the_usual_note(tmp_path: Path) -> None:
    root = init(tmp_path / "repo")
    commit(root, {"data/targets.yaml": TARGETS}, "catalogue", "2025-06-01T09:00:00+07:00")
    git(root, "checkout", "-q", "-b", "side")
    side = _ct01('      2025: "≥ 61%"\n      2030: "100%"')
    commit(root, {"data/targets.yaml": side}, "side: 61", "2025-07-01T09:00:00+07:00")
    git(root, "checkout", "-q", "main")
    main = _ct01('      2025: "≥ 59%"\n      2030: "100%"')
    commit(root, {"data/targets.yaml": main}, "main: 59", "2025-07-02T09:00:00+07:00")
    with pytest.raises(Exception):  # noqa: B017 - the conflict is the point
        git(root, "merge", "-q", "side")
    # Committed with its conflict markers: not YAML.
    git(
        root, "commit", "-q", "-a", "-m", "merge, markers left in", date="2025-07-03T09:00:00+07:00"
    )
    fixed = _ct01('      2025: "≥ 62%"\n      2030: "100%"')
    commit(root, {"data/targets.yaml": fixed}, "markers removed", "2025-07-04T09:00:00+07:00")
    found = revisions.history(root, "CT01")
    assert [s.commit for s in found.skipped] == [git(root, "rev-parse", "HEAD~1")]
    result = invoke(root, "history", "CT01", "--lang", "en")
    assert result.exit_code == 0
    assert git(root, "rev-parse", "--short=10", "HEAD~1") in result.output
