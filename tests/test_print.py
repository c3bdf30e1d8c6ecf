"""The HTML report printed as its reader prints it: headless Chromium's --print-to-pdf of the
bundled 2025Q4 report, its pages counted and measured by poppler's pdfinfo."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from chromium import find_chromium
from plan57.output.report import build_report

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[1]
A4 = "594.96 x 841.92"  # points, as Chromium writes A4
BUDGET = 20


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    binary = find_chromium()
    if binary is None or shutil.which("pdfinfo") is None:
        pytest.skip("needs Chromium and poppler-utils: apt-get install chromium poppler-utils")
    folder = tmp_path_factory.mktemp("print")
    # A plain copy of the bundled data, so that the files on disk are the evidence: the
    # repository's own history holds them only since its data was committed.
    root = folder / "repo"
    shutil.copytree(PROJECT / "data", root / "data")
    page = folder / "report.html"
    page.write_text(
        build_report(
            root,
            period="2025Q4",
            as_of=date(2026, 2, 1),
            lang="vi",
            output="html",
            generated=datetime(2026, 2, 1, tzinfo=UTC),
        ),
        encoding="utf-8",
    )
    pdf = folder / "report.pdf"
    subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return pdf


def _info(pdf: Path) -> list[str]:
    result = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], check=True, capture_output=True, text=True
    )
    return result.stdout.splitlines()


def _page_text(pdf: Path, number: int) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def test_the_report_prints_on_a4_within_the_page_budget(printed: Path) -> None:
    info = _info(printed)
    pages = int(next(line for line in info if line.startswith("Pages:")).split()[1])
    assert 1 < pages <= BUDGET
    sizes = {
        line.split(":", 1)[1].strip() for line in info if line.startswith("Page") and "size" in line
    }
    assert sizes == {f"{A4} pts (A4)"}


def test_every_page_is_numbered_and_none_holds_only_a_heading(printed: Path) -> None:
    info = _info(printed)
    pages = int(next(line for line in info if line.startswith("Pages:")).split()[1])
    for number in range(1, pages + 1):
        lines = [line for line in _page_text(printed, number).splitlines() if line.strip()]
        assert f"{number} / {pages}" in lines[-1], (number, lines[-3:])
        assert len(lines) >= 12, (number, lines)


def test_the_reasons_are_readable_and_who_must_act_comes_first(printed: Path) -> None:
    first = _page_text(printed, 1)
    assert "Chỉ tiêu cần hành động" in first
    assert first.index("Tổng hợp") < first.index("Chỉ tiêu cần hành động")
    # A reason reads as a sentence, not a word a line: CT13's first words share one line.
    text = "".join(_page_text(printed, n) for n in range(1, 9))
    assert "8 (kỳ 2025) so với mục tiêu" in text
