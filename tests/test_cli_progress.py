"""Progress on long work: a bar on a terminal (a pseudo-terminal here), none when piped,
none for JSON, none with --quiet; --verbose says what is being read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from revisionrepo import build

pty = pytest.importorskip("pty")

LABEL = "Reading the catalogue's history"


def _env() -> dict[str, str]:
    # Nothing that forces colour or a terminal (CI sets some of these).
    forcing = {"FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TTY_COMPATIBLE", "TERMINAL_WIDTH"}
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("PLAN57_") and k not in forcing
    }
    # The bar shows at once (instead of after half a second), so that a small story shows it.
    return {**clean, "PLAN57_LANG": "en", "PLAN57_PROGRESS_AFTER": "0", "COLUMNS": "80"}


def _on_a_terminal(*args: str) -> str:
    """Run plan57 with stdout and stderr on a pseudo-terminal; everything it wrote."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "plan57", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env={**_env(), "TERM": "xterm"},
        close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("progress") / "repo").root


def test_a_bar_on_a_terminal(story: Path) -> None:
    shown = _on_a_terminal("--root", str(story), "history")
    assert LABEL in shown
    assert "Catalogue history" in shown  # and the result itself


def test_no_bar_when_piped(story: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "plan57", "--root", str(story), "history"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        check=True,
    )
    assert "Catalogue history" in result.stdout
    assert LABEL not in result.stdout + result.stderr
    assert "\x1b[" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args", [["history", "--format", "json"], ["history", "--quiet"], ["--quiet", "history"]]
)
def test_no_bar_for_json_or_quiet(story: Path, args: list[str]) -> None:
    assert LABEL not in _on_a_terminal("--root", str(story), *args)


def test_verbose_says_what_is_read(story: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "plan57", "--root", str(story), "history", "--verbose"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        check=True,
    )
    assert "Reading " in result.stderr and "data/targets.yaml" in result.stderr
    assert "Reading" not in result.stdout


def test_the_library_reports_progress_to_the_end(story: Path) -> None:
    from plan57.revisions import history

    seen: list[tuple[int, int]] = []
    history(story, progress=lambda done, total, what: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] > 0
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_check_reports_each_file(tmp_path: Path) -> None:
    from conftest import AS_OF, make_repo
    from plan57.validate import check_repository

    repo = make_repo(tmp_path / "repo")
    for period in ("2025Q1", "2025Q2", "2025Q3"):
        repo.submit("so-khcn", period, "indicator,value\nCT15,3\n")
    seen: list[tuple[int, int, str]] = []
    check_repository(repo.root, as_of=AS_OF, lang="en", progress=lambda *step: seen.append(step))
    assert [what for _, _, what in seen if what] == [
        f"data/submissions/so-khcn/{period}.csv" for period in ("2025Q1", "2025Q2", "2025Q3")
    ]
    assert seen[-1][:2] == (3, 3)
