"""Text from the data reaching people: no escape sequence, bidi override or markup gets through.

Commit authors and subjects (`history`), catalogue text (`diff`, run by reviewers on a catalogue
pull request) and submission cells (`check`) carry terminal escape sequences (a clipboard write,
OSC 52; a hidden hyperlink, OSC 8; a terminal reset), a right-to-left override and Markdown
that would render (an image, a link). Every format shows them as text.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clirun import invoke
from conftest import REAL_CATALOGUE, make_repo
from gitrepo import IDENTITY, commit, init

OSC52 = "\x1b]52;c;aGVsbG8=\x07"
OSC8 = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"
RESET = "\x1bc"
RLO = "\u202e"
MARKUP = "<img src=https://evil.example/x.png> [x](https://evil.example)"
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def _clean_markdown(output: str) -> None:
    assert "<img" not in output
    assert "[x](https" not in output


@pytest.fixture(scope="module")
def hostile_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = init(tmp_path_factory.mktemp("injection") / "repo")
    text = REAL_CATALOGUE.read_text("utf-8")
    commit(root, {"data/targets.yaml": text}, "catalogue", "2025-06-01T10:00:00+07:00")
    at = text.index("id: CT30\n")
    start = text.index("name_en: ", at)
    end = text.index("\n", start)
    hostile = f"{OSC52}{RLO}{MARKUP}{RESET}"
    escaped = json.dumps(hostile)  # a YAML double-quoted string takes JSON's escapes
    changed = text[:start] + f"name_en: {escaped}" + text[end:]
    env = {**os.environ, **IDENTITY, "GIT_AUTHOR_NAME": f"Evil{OSC52}{RLO} <b>x</b>"}
    (root / "data" / "targets.yaml").write_text(changed, encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run(
        ["git", "-C", str(root), "-c", "commit.gpgsign=false", "commit", "-q", "-m",
         f"rename {OSC8}{RLO} {MARKUP}"],
        check=True,
        env={**env, "GIT_AUTHOR_DATE": "2025-07-01T10:00:00+07:00",
             "GIT_COMMITTER_DATE": "2025-07-01T10:00:00+07:00"},
    )  # fmt: skip
    return root


@pytest.mark.parametrize("output_format", ["text", "md", "json"])
def test_history_shows_commit_text_escaped(hostile_history: Path, output_format: str) -> None:
    args = [] if output_format == "text" else ["--format", output_format]
    result = invoke(hostile_history, "history", "--lang", "en", *args)
    assert result.exit_code == 0
    for raw in RAW:
        assert raw not in result.output
    assert "u001b" in result.output  # shown, not swallowed
    if output_format == "md":
        _clean_markdown(result.output)
    if output_format == "json":
        authors = [r["author"] for r in json.loads(result.stdout)["revisions"]]
        assert any(a.startswith(f"Evil{OSC52}{RLO}") for a in authors)  # the data is intact


@pytest.mark.parametrize("output_format", ["table", "md", "json"])
def test_diff_shows_catalogue_text_escaped(hostile_history: Path, output_format: str) -> None:
    args = [] if output_format == "table" else ["--format", output_format]
    result = invoke(hostile_history, "diff", "HEAD~1", "HEAD", "--lang", "en", *args)
    assert result.exit_code == 0
    for raw in RAW:
        assert raw not in result.output
    if output_format == "md":
        _clean_markdown(result.output)


@pytest.mark.parametrize("output_format", ["human", "md", "github", "json", "gitlab"])
def test_check_shows_cells_and_names_escaped(tmp_path: Path, output_format: str) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.submit(
        "so-tc",
        "2025Q1",
        f'indicator,value,note\nCT30,"{MARKUP}",{RLO}note\nCT34,"2{OSC52}",\n',
    )
    result = invoke(repo.root, "check", "--as-of", "2026-06-30", "--format", output_format)
    assert result.exit_code == 1
    for raw in RAW:
        assert raw not in result.output
    if output_format == "md":
        _clean_markdown(result.output)


def test_control_characters_in_cells_are_an_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.submit("so-tc", "2025Q1", f"indicator,value,note\nCT30,2,a{RESET}b\nCT34,3,ok\tfine\n")
    result = invoke(repo.root, "check", "--as-of", "2026-06-30", "--format", "json", "--lang", "en")
    problems = [
        p for p in json.loads(result.stdout)["problems"] if p["file"] != "data/targets.yaml"
    ]
    assert [(p["code"], p["line"], p["column"]) for p in problems] == [
        ("control-character", 2, "note")
    ]
    assert "\\u001b" in problems[0]["message"]


def test_report_markdown_and_html_show_catalogue_text_escaped(hostile_history: Path) -> None:
    root = hostile_history.parent / "report"
    if not root.exists():
        shutil.copytree(hostile_history, root)
    for output_format in ("md", "html"):
        result = invoke(
            root, "report", "--period", "2025Q4", "--as-of", "2026-03-01", "--format", output_format
        )
        assert result.exit_code in (0, 1)
        for raw in RAW:
            assert raw not in result.output
