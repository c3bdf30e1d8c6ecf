"""`plan57 report` through Typer's runner: output equal to the library's, files, formats, errors."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from clirun import invoke
from plan57.output.report import build_report

FIXTURE = Path(__file__).parent / "data" / "report-repo"
AS_OF = "2025-10-20"
EPOCH = {"SOURCE_DATE_EPOCH": "1760949000"}  # 2025-10-20 08:30 UTC


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(FIXTURE, copy)
    return copy


def library(root: Path, output: str, lang: str = "vi", by: str = "group") -> str:
    return build_report(
        root,
        period="2025Q3",
        as_of=date(2025, 10, 20),
        lang=lang,  # type: ignore[arg-type]
        output=output,  # type: ignore[arg-type]
        by=by,  # type: ignore[arg-type]
        generated=datetime(2025, 10, 20, 8, 30, tzinfo=UTC),
    )


def test_markdown_to_standard_output_by_default(root: Path) -> None:
    result = invoke(root, "report", "--period", "2025Q3", "--as-of", AS_OF, env=EPOCH)
    assert result.exit_code == 0
    assert result.stdout == library(root, "md")


def test_html_file_chosen_by_extension(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    result = invoke(
        root,
        "report",
        "--period",
        "2025Q3",
        "--as-of",
        AS_OF,
        "--lang",
        "en",
        "--out",
        str(out),
        env=EPOCH,
    )
    assert result.exit_code == 0
    assert out.read_text("utf-8") == library(root, "html", "en")
    assert f"Report written: {out}" in result.stderr
    assert result.stdout == ""


def test_explicit_format_and_grouping(root: Path) -> None:
    result = invoke(
        root,
        "report",
        "--period",
        "2025Q3",
        "--as-of",
        AS_OF,
        "--format",
        "html",
        "--by",
        "monitor",
        env=EPOCH,
    )
    assert result.exit_code == 0
    assert result.stdout == library(root, "html", by="monitor")
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_same_command_same_bytes(root: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for out in (first, second):
        invoke(root, "report", "--period", "2025Q3", "--as-of", AS_OF, "--out", str(out), env=EPOCH)
    assert first.read_bytes() == second.read_bytes()


def test_nothing_under_data_changes(root: Path, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    invoke(root, "report", "--period", "2025Q3", "--as-of", AS_OF, "--out", str(tmp_path / "r.md"))
    after = {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
    assert before == after


@pytest.mark.parametrize(
    "args",
    [
        ["--period", "2025Q4", "--as-of", AS_OF],
        ["--period", "2025Q3", "--as-of", AS_OF, "--by", "colour"],
        ["--period", "2025Q3", "--as-of", AS_OF, "--format", "pdf"],
        ["--period", "2025Q3", "--as-of", AS_OF, "--targets-at", "--all"],
    ],
)
def test_bad_requests_exit_2(root: Path, args: list[str]) -> None:
    assert invoke(root, "report", *args).exit_code == 2


def test_unwritable_output_exits_2(root: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = invoke(
        root, "report", "--period", "2025Q3", "--as-of", AS_OF, "--out", str(blocker / "r.html")
    )
    assert result.exit_code == 2
    assert "Không ghi được" in result.stderr
