"""`plan57 history` through the command line: formats, filters and clear failures."""

from __future__ import annotations

import json
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import gitrepo
from gitrepo import git
from plan57.catalogue import revisions
from plan57.cli import app
from revisionrepo import Story, build

runner = CliRunner()


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return build(tmp_path_factory.mktemp("story") / "repo")


def run(root: Path, *args: str, lang: str = "en") -> tuple[int, str, str]:
    # Wide enough that the table's cells are not wrapped.
    result = runner.invoke(
        app, ["--root", str(root), "history", "--lang", lang, *args], env={"COLUMNS": "250"}
    )
    return result.exit_code, result.stdout, result.stderr


def test_json_is_the_library_result(story: Story) -> None:
    code, out, _ = run(story.root, "--format", "json")
    assert code == 0
    dumped = json.loads(out)
    assert dumped == revisions.history(story.root).model_dump(mode="json")
    assert list(dumped) == ["indicator", "revisions"]
    assert dumped["indicator"] is None
    assert list(dumped["revisions"][0]) == ["commit", "date", "author", "message", "changes"]
    assert [r["commit"] for r in dumped["revisions"]][:2] == [story.r[8], story.r[6]]


def test_one_indicator_as_json(story: Story) -> None:
    code, out, _ = run(story.root, "CT05", "--format", "json")
    assert code == 0
    dumped = json.loads(out)
    assert dumped == revisions.history(story.root, "CT05").model_dump(mode="json")
    assert dumped["indicator"] == "CT05"
    assert [r["commit"] for r in dumped["revisions"]] == [story.r[8], story.r[3], story.r[1]]
    assert dumped["revisions"][1]["changes"] == [
        {
            "indicator": "CT05",
            "field": "targets.2030",
            "old": {
                "year": 2030,
                "kind": "min",
                "value": 1.5,
                "low": None,
                "high": None,
                "text": "≥ 1,5%",
            },
            "new": {
                "year": 2030,
                "kind": "min",
                "value": 2.0,
                "low": None,
                "high": None,
                "text": "≥ 2%",
            },
            "kind": "raised",
        }
    ]
    assert dumped["revisions"][1]["date"] == "2025-07-01T10:00:00+07:00"
    assert dumped["revisions"][1]["author"] == "Văn phòng Tỉnh ủy"
    assert dumped["revisions"][1]["message"] == "CT05: raise the 2030 target"


def test_since(story: Story) -> None:
    code, out, _ = run(story.root, "--since", "2025-09-15", "--format", "json")
    assert code == 0
    expected = revisions.history(story.root, since=date(2025, 9, 15)).model_dump(mode="json")
    assert json.loads(out) == expected
    assert [r["commit"] for r in expected["revisions"]] == [story.r[8], story.r[6], story.r[5]]


def test_table(story: Story) -> None:
    code, out, _ = run(story.root, "CT05")
    assert code == 0
    assert "History of indicator CT05" in out
    for commit in (story.r[8], story.r[3], story.r[1]):
        assert commit[:10] in out
    assert story.r[6][:10] not in out
    assert "2025-07-01" in out and "CT05 targets.2030: ≥ 1,5% → ≥ 2% (raised)" in out
    code, out, _ = run(story.root)
    assert "catalogue created (3 indicators)" in out
    assert f"Skipped revision {story.r[7][:10]}" in out
    code, out, _ = run(story.root, "CT05", lang="vi")
    assert "Lịch sử chỉ tiêu CT05" in out and "nâng lên" in out


def test_plain_lines_when_not_a_terminal(story: Story) -> None:
    """A pipe or a file gets aligned lines, no table: each revision, then its changes."""
    code, out, _ = run(story.root)
    assert code == 0
    report = revisions.history(story.root)
    lines = out.splitlines()
    assert lines[:2] == ["Catalogue history", ""]
    header = lines[2]
    assert header.split() == ["Commit", "Date", "Author", "Message"]
    assert not any(mark in out for mark in "│┃━─")
    commits = {revision.commit[:10]: revision for revision in report.revisions}
    rows = [line for line in lines if line[:10] in commits]
    assert [row[:10] for row in rows] == [revision.commit[:10] for revision in report.revisions]
    message = header.index("Message")
    for row in rows:
        revision = commits[row[:10]]
        assert row[header.index("Date") :].startswith(revision.date[:10])
        assert row[header.index("Author") :].startswith(revision.author)
        assert row[message:] == revision.message.split("\n")[0]
    below = lines[lines.index(next(row for row in rows if row.startswith(story.r[3][:10]))) + 1 :]
    assert below[:2] == [
        "            CT01 name_vi: Tỷ lệ phủ sóng 5G trên địa bàn → Tỷ lệ phủ sóng mạng 5G trên "
        "địa bàn tỉnh (changed)",
        "            CT05 targets.2030: ≥ 1,5% → ≥ 2% (raised)",
    ]
    assert lines[-1].startswith(f"Skipped revision {story.r[7][:10]}")


def test_plain_lines_align_any_author() -> None:
    """Authors are padded by the columns they take: combining marks none, wide letters two."""
    from rich.cells import cell_len

    from plan57.cli._changes import history_text

    authors = ["Nguyễn Văn A", unicodedata.normalize("NFD", "Nguyễn Văn Bình"), "王小明", "x"]
    report = revisions.HistoryReport(
        indicator=None,
        revisions=[
            revisions.Revision(
                commit=f"{n:040x}",
                date="2025-07-01T10:00:00+07:00",
                author=a,
                message="m\nbody",
                changes=[],
            )
            for n, a in enumerate(authors)
        ],
    )
    lines = history_text(report, "en").splitlines()
    rows = [line for line in lines if line.endswith("  m")]
    assert len(rows) == 4
    assert len({cell_len(row) for row in rows}) == 1


def test_table_on_a_terminal(story: Story, monkeypatch: pytest.MonkeyPatch) -> None:
    from plan57.cli import history as command

    monkeypatch.setattr(command, "_terminal", lambda: True)
    code, out, _ = run(story.root, "CT05")
    assert code == 0
    assert "History of indicator CT05" in out
    assert f"{story.r[3][:10]}  2025-07-01  Văn phòng Tỉnh ủy  CT05: raise the 2030 target" in out
    assert "    • CT05 targets.2030: ≥ 1,5% → ≥ 2% (raised)" in out
    code, out, _ = run(story.root)
    assert f"Skipped revision {story.r[7][:10]}" in out


def test_the_terminal_layout_reads_at_80_columns(story: Story) -> None:
    import io

    from rich.console import Console

    from plan57.catalogue.revisions import history
    from plan57.cli._changes import print_history

    buffer = io.StringIO()
    print_history(history(story.root), "en", Console(file=buffer, width=80, no_color=True))
    lines = buffer.getvalue().splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    assert "—" not in lines and "    —" not in lines


def test_a_commit_that_changes_no_target_is_not_a_revision(story: Story) -> None:
    from plan57.catalogue.revisions import history

    before = history(story.root).revisions
    catalogue = (story.root / "data" / "targets.yaml").read_text("utf-8")
    files = {"data/targets.yaml": catalogue + "\n# a comment only\n"}
    gitrepo.commit(story.root, files, "A comment in the catalogue", "2026-02-01T09:00:00+07:00")
    after = history(story.root).revisions
    assert [r.commit for r in after] == [r.commit for r in before]
    assert all(revision.changes for revision in after)


def test_markdown(story: Story) -> None:
    code, out, _ = run(story.root, "CT05", "--format", "md")
    assert code == 0
    assert out.startswith("### History of indicator CT05\n")
    assert (
        f"#### `{story.r[3][:10]}` · 2025-07-01 · Văn phòng Tỉnh ủy · CT05: raise the 2030 target"
        in out
    )
    assert "- CT05 targets.2030: ≥ 1,5% → ≥ 2% (raised)" in out
    assert "- CT05 targets.2025: ≥ 1,0% → ≥ 0,8% (lowered)" in out
    code, out, _ = run(story.root, "--format", "md", lang="vi")
    assert "- tạo danh mục (3 chỉ tiêu)" in out
    assert "- CT07 targets.2030: − 2% (bỏ)" in out


def test_no_revisions(story: Story) -> None:
    code, out, _ = run(story.root, "CT55")
    assert code == 0 and "No revisions." in out
    code, out, _ = run(story.root, "CT55", "--format", "json")
    assert json.loads(out) == {"indicator": "CT55", "revisions": []}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2025-02-30"], "“2025-02-30” is not a valid date"),
        (["CT5"], "“CT5” is not an indicator id"),
    ],
)
def test_bad_arguments(story: Story, args: list[str], message: str) -> None:
    code, out, err = run(story.root, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err


def test_shallow_clone(story: Story, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{story.root}", str(clone))
    code, _, err = run(clone)
    assert code == 2
    assert "This is a shallow clone: the history of data/targets.yaml is incomplete." in err
    assert "git fetch --unshallow" in err and "fetch-depth: 0" in err
    code, _, err = run(clone, lang="vi")
    assert "bản sao nông" in err and "git fetch --unshallow" in err


def test_not_a_repository(story: Story, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(story.root / "data", plain / "data")
    code, _, err = run(plain)
    assert code == 2
    assert "is not inside a git repository" in err
