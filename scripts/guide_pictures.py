"""The pictures of the workbook in docs/huong-dan-don-vi.md, rendered by LibreOffice itself.

The guide shows a commune's real form as LibreOffice Calc prints it: empty as `plan57
template` writes it, then filled in the way the guide says (FILLED, which the guide's test
fills in too before it runs `plan57 import`). Each picture is the workbook converted to PDF by
`soffice --headless`, the first page rendered to PNG by `pdftoppm` and cut to the table:

    python scripts/guide_pictures.py            # writes docs/huong-dan/*.png

Needs LibreOffice and poppler-utils (`apt-get install libreoffice-calc poppler-utils`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PICTURES = ROOT / "docs" / "huong-dan"
REPORTER, PERIOD = "xa-ea-kar", "2025Q4"
NOTE = "Chưa có số liệu, sẽ bổ sung quý sau"
# What the guide fills in: a share with its numerator and denominator, one typed with a decimal
# comma as Vietnamese Excel writes it, and a figure not available yet, with the reason.
FILLED: dict[tuple[str, str], Any] = {
    ("CT07", "value"): 74.5,
    ("CT07", "numerator"): 566,
    ("CT07", "denominator"): 760,
    ("CT09", "value"): "90,4",
    ("CT09", "numerator"): 357,
    ("CT09", "denominator"): 395,
    ("CT40", "value"): 80,
    ("CT40", "numerator"): 388,
    ("CT40", "denominator"): 485,
    ("CT45", "note"): NOTE,
    ("CT45", "source"): "Bộ phận một cửa xã",
}
# The part of the page the table takes, in pixels at RESOLUTION dots per inch.
RESOLUTION = 110
CROP = {"x": 40, "y": 44, "W": 1210, "H": 306}


def fill(path: Path, out: Path) -> Path:
    """The workbook at `path` with FILLED typed into it, saved as `out`."""
    from openpyxl import load_workbook

    from plan57.submissions.workbooks import FIRST_ROW, WORKBOOK_COLUMNS

    book = load_workbook(path)
    sheet = book.worksheets[0]
    rows = {
        str(sheet.cell(row=r, column=1).value): r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value
    }
    for (indicator, column), value in FILLED.items():
        sheet.cell(row=rows[indicator], column=WORKBOOK_COLUMNS.index(column) + 1).value = value
    book.save(out)
    return out


def render(workbook: Path, png: Path, work: Path) -> None:
    """The first page of `workbook` as LibreOffice prints it, cut to the table, into `png`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        sys.exit("needs LibreOffice (soffice) and poppler-utils (pdftoppm)")
    profile = work / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    args = [arg for key, value in CROP.items() for arg in (f"-{key}", str(value))]
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(RESOLUTION),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            *args,
            str(work / f"{workbook.stem}.pdf"),
            str(png.with_suffix("")),
        ],
        check=True,
    )


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from plan57.catalogue.loading import load_catalogue
    from plan57.submissions.workbooks import build_workbook, catalogue_revision

    catalogue_path = ROOT / "data" / "targets.yaml"
    catalogue = load_catalogue(catalogue_path)
    revision = catalogue_revision(catalogue_path.read_bytes())
    form = build_workbook(catalogue, revision, REPORTER, PERIOD, lang="vi")
    PICTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="plan57-guide-") as folder:
        work = Path(folder)
        empty = work / "bang-tinh-trong.xlsx"
        empty.write_bytes(form.data)
        filled = fill(empty, work / "bang-tinh-da-dien.xlsx")
        for workbook in (empty, filled):
            render(workbook, PICTURES / f"{workbook.stem}.png", work)
            print(PICTURES / f"{workbook.stem}.png")


if __name__ == "__main__":
    main()
