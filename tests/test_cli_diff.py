"""`plan57 diff` through the command line: formats, exit codes and clear failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gitrepo import git
from plan57.catalogue import revisions
from plan57.cli import app
from revisionrepo import V8, Story, build

runner = CliRunner()


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return build(tmp_path_factory.mktemp("story") / "repo")


def run(root: Path, *args: str, lang: str = "en") -> tuple[int, str, str]:
    result = runner.invoke(app, ["--root", str(root), "diff", "--lang", lang, *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_is_the_library_result(story: Story) -> None:
    code, out, _ = run(story.root, "v1.0", "v2.0", "--format", "json")
    assert code == 0
    expected = revisions.diff(story.root, "v1.0", "v2.0").model_dump(mode="json")
    assert json.loads(out) == expected
    assert list(json.loads(out)) == ["from", "to", "changes"]
    assert json.loads(out)["changes"][2] == {
        "indicator": "CT05",
        "field": "targets.2025",
        "old": {
            "year": 2025,
            "kind": "min",
            "value": 1.0,
            "low": None,
            "high": None,
            "text": "≥ 1,0%",
        },
        "new": {
            "year": 2025,
            "kind": "min",
            "value": 0.8,
            "low": None,
            "high": None,
            "text": "≥ 0,8%",
        },
        "kind": "lowered",
    }


def test_exit_code(story: Story) -> None:
    assert run(story.root, "v1.0", "v2.0", "--exit-code")[0] == 1
    assert run(story.root, "v1.0", "v2.0")[0] == 0
    # The rename changed nothing inside the catalogue.
    assert run(story.root, story.r[1], story.r[2], "--exit-code")[0] == 0
    assert run(story.root, "HEAD", "--exit-code")[0] == 0


def test_working_tree_against_head(story: Story, tmp_path: Path) -> None:
    root = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(story.root), str(root))
    (root / "data" / "targets.yaml").write_text(
        V8.replace('2030: "100%"', '2030: "≥ 100%"'), "utf-8"
    )
    code, out, _ = run(root, "--format", "json", "--exit-code")
    assert code == 1
    dumped = json.loads(out)
    assert dumped == revisions.diff(root).model_dump(mode="json")
    assert (dumped["from"], dumped["to"]) == ("HEAD", "working-tree")
    assert [(c["indicator"], c["field"], c["kind"]) for c in dumped["changes"]] == [
        ("CT01", "targets.2030", "changed")
    ]
    code, out, _ = run(root)
    assert "HEAD" in out and "working tree" in out
    code, out, _ = run(root, lang="vi")
    assert "thư mục làm việc" in out


def test_human_view(story: Story) -> None:
    code, out, _ = run(story.root, "v1.0", "v2.0")
    assert code == 0
    assert "v1.0 (" + story.r[3][:10] + ")" in out
    for expected in ["CT05", "targets.2025", "≥ 1,0%", "≥ 0,8%", "lowered", "CT10", "6 changes."]:
        assert expected in out
    code, out, _ = run(story.root, "v1.0", "v2.0", lang="vi")
    assert "hạ xuống" in out and "6 thay đổi." in out
    code, out, _ = run(story.root, story.r[1], story.r[2])
    assert "No changes." in out


def test_markdown(story: Story) -> None:
    code, out, _ = run(story.root, "v1.0", "v2.0", "--format", "md")
    assert code == 0
    assert out.startswith(f"### Catalogue changes: v1.0 ({story.r[3][:10]}) → v2.0 (")
    assert "| CT05 | `targets.2025` | ≥ 1,0% | ≥ 0,8% | **lowered** |" in out
    assert "| CT07 | `targets.2030` | 2% | — | **removed** |" in out
    assert "| CT01 | `monitors` | so-khcn | so-khcn, vp-tu | **changed** |" in out
    assert "| CT10 | `indicator` | — | Science and technology enterprises | **added** |" in out
    code, out, _ = run(story.root, "v1.0", "v2.0", "--format", "md", lang="vi")
    assert "| CT05 | `targets.2025` | ≥ 1,0% | ≥ 0,8% | **hạ xuống** |" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "There is no revision “nope”"),
        (["--", "--output=x"], "There is no revision “--output=x”"),
        (["v1.0", "HEAD~99"], "There is no revision “HEAD~99”"),
    ],
)
def test_unknown_revisions(story: Story, args: list[str], message: str) -> None:
    code, out, err = run(story.root, *args)
    assert code == 2
    assert message in err and "git log --oneline" in err
    assert "Traceback" not in out + err


def test_revision_without_the_catalogue(story: Story) -> None:
    code, _, err = run(story.root, story.r[0], "HEAD")
    assert code == 2
    assert f"data/targets.yaml does not exist at revision {story.r[0]}" in err
    code, _, err = run(story.root, story.r[0], "HEAD", lang="vi")
    assert f"Tệp data/targets.yaml không có ở phiên bản {story.r[0]}" in err


def test_revision_that_does_not_parse(story: Story) -> None:
    code, _, err = run(story.root, "v2.0~1", "v2.0")
    assert code == 2
    assert "v2.0~1:data/targets.yaml, line 90: invalid YAML" in err


def test_shallow_clone(story: Story, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{story.root}", str(clone))
    code, _, err = run(clone, "v1.0")
    assert code == 2
    assert "shallow clone" in err and "git fetch --unshallow" in err
    assert run(clone, "--exit-code")[0] == 0


def test_not_a_repository(story: Story, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(story.root / "data", plain / "data")
    code, _, err = run(plain)
    assert code == 2
    assert "is not inside a git repository" in err
    code, _, err = run(plain, lang="vi")
    assert "không nằm trong một kho git" in err
