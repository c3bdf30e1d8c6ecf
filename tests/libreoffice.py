"""LibreOffice, as a commune official with no Excel has it: converting and re-saving workbooks.

Each call runs `soffice --headless` with a profile of its own (a temporary folder), so that
tests never touch, or wait on, anyone's LibreOffice profile. Tests that need it skip, with the
reason, where soffice or poppler is not installed (`.ci/run` installs both).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFINFO = shutil.which("pdfinfo")
PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")
# A first start of LibreOffice on a fresh profile takes some seconds; a busy CI machine more.
TIMEOUT = 180

needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
needs_poppler = pytest.mark.skipif(
    PDFINFO is None or PDFTOTEXT is None, reason="poppler-utils (pdfinfo, pdftotext) not installed"
)


# LibreOffice's CSV filter options: fields separated by "," (44), text quoted with '"' (34),
# in UTF-8 (76), starting at line 1: what the department guide tells LibreOffice users to pick.
CSV_UTF8 = "44,34,76,1"


def convert(source: Path, to: str, out: Path, *, infilter: str | None = None) -> Path:
    """`source` converted by LibreOffice to the format `to` ("pdf", "xlsx", or "csv:…" with
    filter options) in folder `out`; `infilter` says how to read a CSV source."""
    assert SOFFICE is not None
    out.mkdir(parents=True, exist_ok=True)
    reading = [f"--infilter={infilter}"] if infilter else []
    with tempfile.TemporaryDirectory(prefix="plan57-lo-profile-") as profile:
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                *reading,
                "--convert-to",
                to,
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
        )
    converted = out / f"{source.stem}.{to.split(':')[0]}"
    assert converted.is_file(), f"LibreOffice wrote no {converted}"
    return converted


def pdf_pages(pdf: Path) -> int:
    assert PDFINFO is not None
    info = subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_page_size(pdf: Path) -> tuple[float, float]:
    assert PDFINFO is not None
    info = subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True, text=True).stdout
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, _, height = line.split(":", 1)[1].split()[:3]
    return float(width), float(height)


def pdf_page_text(pdf: Path, page: int) -> str:
    assert PDFTOTEXT is not None
    return subprocess.run(
        [PDFTOTEXT, "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
