"""Progress on long work: a bar on a terminal (a pseudo-terminal here), none when piped,
none for JSON, none with --quiet; --verbose says what is being read."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from plan57.progress import Progress
from revisionrepo import build

pty = pytest.importorskip("pty")

LABEL = "Reading the catalogue's history"
SITE_AS_OF = date(2025, 10, 20)


def _env() -> dict[str, str]:
    # Nothing that forces colour or a terminal (CI sets some of these).
    forcing = {"FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TTY_COMPATIBLE", "TERMINAL_WIDTH"}
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("PLAN57_") and k not in forcing
    }
    # The bar shows at once (instead of after half a second), so that a small story shows it.
    return {**clean, "PLAN57_LANG": "en", "PLAN57_PROGRESS_AFTER": "0", "COLUMNS": "80"}


def _on_a_terminal(*args: str, exit_code: int = 0) -> str:
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
    assert process.wait(timeout=120) == exit_code
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
    from plan57.catalogue.revisions import history

    seen: list[tuple[int, int]] = []
    history(story, progress=lambda done, total, what: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] > 0
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_check_reports_each_file(tmp_path: Path) -> None:
    from conftest import AS_OF, make_repo
    from plan57.submissions.rules import check_repository

    repo = make_repo(tmp_path / "repo")
    for period in ("2025Q1", "2025Q2", "2025Q3"):
        repo.submit("so-khcn", period, "indicator,value\nCT15,3\n")
    seen: list[tuple[int, int, str]] = []
    check_repository(repo.root, as_of=AS_OF, progress=lambda *step: seen.append(step))
    assert [what for _, _, what in seen if what] == [
        f"data/submissions/so-khcn/{period}.csv" for period in ("2025Q1", "2025Q2", "2025Q3")
    ]
    assert seen[-1][:2] == (3, 3)


# --- the site, the open data and a batch of workbooks ---------------------------------------

SITE_PHASES = ["progress.check", "progress.prepare", "progress.quarters", "progress.pages"]
SITE_FIXTURE = Path(__file__).parent / "data" / "report-repo"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("site") / "repo"
    shutil.copytree(SITE_FIXTURE, root)
    return root


def _phases(seen: list[tuple[str, int, int]]) -> Callable[[str], Progress]:
    def phase(key: str) -> Progress:
        return lambda done, total, what: seen.append((key, done, total))

    return phase


def test_the_site_reports_its_phases_in_order_each_to_the_end(small: Path, tmp_path: Path) -> None:
    from plan57.output.site import build_site

    seen: list[tuple[str, int, int]] = []
    build_site(small, tmp_path / "site", as_of=SITE_AS_OF, period="2025Q3", progress=_phases(seen))
    order = [key for key, _, _ in seen]
    assert sorted(set(order), key=order.index) == SITE_PHASES
    for key in SITE_PHASES:
        steps = [(done, total) for name, done, total in seen if name == key]
        assert steps[-1][0] == steps[-1][1] > 0, key
        assert [done for done, _ in steps] == sorted(done for done, _ in steps), key


def test_export_reports_the_check_and_the_quarters(small: Path, tmp_path: Path) -> None:
    from plan57.output.opendata import export_repository

    seen: list[tuple[str, int, int]] = []
    export_repository(
        small,
        tmp_path / "open",
        as_of=SITE_AS_OF,
        period="2025Q3",
        formats=("csv",),
        progress=_phases(seen),
    )
    order = [key for key, _, _ in seen]
    assert sorted(set(order), key=order.index) == ["progress.check", "progress.quarters"]


def test_a_bar_for_the_site_on_a_terminal_and_none_when_piped(small: Path, tmp_path: Path) -> None:
    args = ["--root", str(small), "site", "--out", str(tmp_path / "site"), "--period", "2025Q3"]
    shown = _on_a_terminal(*args, "--as-of", SITE_AS_OF.isoformat())
    assert "Writing the pages and the open data" in shown
    assert "Scoring the quarters for the open data" in shown
    assert "Wrote the site of period 2025Q3" in shown
    piped = subprocess.run(
        [sys.executable, "-m", "plan57", *args, "--as-of", SITE_AS_OF.isoformat()],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=True,
    )
    assert "Writing the pages" not in piped.stdout + piped.stderr
    assert "\x1b[" not in piped.stdout + piped.stderr


def test_a_bar_for_a_batch_of_workbooks(tmp_path: Path) -> None:
    from conftest import make_repo

    repo = make_repo(tmp_path / "repo")
    books = []
    for reporter in ("xa-ea-kar", "xa-hoa-phu"):
        book = tmp_path / f"{reporter}.xlsx"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "plan57",
                "--root",
                str(repo.root),
                "template",
                "--reporter",
                reporter,
                "--period",
                "2025Q3",
                "--format",
                "xlsx",
                "--out",
                str(book),
            ],
            env=_env(),
            check=True,
            capture_output=True,
            timeout=60,
        )
        books.append(str(book))
    # Unfilled, both are refused (exit 1); the bar shows all the same.
    shown = _on_a_terminal("--root", str(repo.root), "import", *books, exit_code=1)
    assert "Importing workbooks" in shown and "import-empty" in shown
    assert "More: plan57 explain import-empty" in shown


def test_import_reports_each_workbook(tmp_path: Path) -> None:
    from conftest import make_repo
    from plan57.catalogue.loading import load_catalogue
    from plan57.submissions.workbooks import ImportOptions, import_workbooks

    repo = make_repo(tmp_path / "repo")
    books = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for book in books:
        book.write_bytes(b"not a workbook")
    seen: list[tuple[int, int, str]] = []
    catalogue = load_catalogue(repo.root / "data" / "targets.yaml")
    import_workbooks(
        repo.root,
        catalogue,
        books,
        ImportOptions(),
        lang="en",
        progress=lambda *step: seen.append(step),
    )
    assert [what for _, _, what in seen if what] == [str(book) for book in books]
    assert seen[-1][:2] == (2, 2)
