"""The workbook form in LibreOffice itself: how it prints, and what survives its save.

A commune official without Excel opens the form in LibreOffice Calc, prints it for the
signature, fills it in and saves it. These tests convert the real workbook with `soffice
--headless` (skipped, with the reason, where it is not installed).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from clirun import invoke
from conftest import REAL_CATALOGUE, DataRepo
from libreoffice import (
    CSV_UTF8,
    convert,
    needs_poppler,
    needs_soffice,
    pdf_page_size,
    pdf_page_text,
    pdf_pages,
)
from plan57.catalogue.loading import load_catalogue
from plan57.submissions.rules import check_repository
from plan57.submissions.workbooks import FIRST_ROW, WORKBOOK_COLUMNS, build_workbook

pytestmark = [needs_soffice]
A4_LANDSCAPE = (841.89, 595.3)


def _form(repo: DataRepo, reporter: str, period: str) -> Path:
    out = repo.root / f"{reporter}-{period}.xlsx"
    result = invoke(
        repo.root,
        *("template", "--reporter", reporter, "--period", period),
        *("--format", "xlsx", "--out", str(out)),
    )
    assert result.exit_code == 0, result.output
    return out


def _column(name: str) -> int:
    return WORKBOOK_COLUMNS.index(name) + 1


@needs_poppler
def test_the_form_prints_on_one_a4_landscape_page_wide(repo: DataRepo, tmp_path: Path) -> None:
    # Before its print setup, this form printed on 4 portrait pages, its columns split.
    pdf = convert(_form(repo, "so-tc", "2025Q4"), "pdf", tmp_path / "pdf")
    # The form on one page, then the "Báo cáo" sheet of the unit's narrative on one more.
    assert pdf_pages(pdf) == 2
    width, height = pdf_page_size(pdf)
    assert (round(width), round(height)) == (round(A4_LANDSCAPE[0]), round(A4_LANDSCAPE[1]))
    page = pdf_page_text(pdf, 1)
    # Every column on the page, the last one included, and the long names whole.
    assert "Nguồn số liệu" in page and "CT48" in page
    narrative = pdf_page_text(pdf, 2)
    assert "Kết quả nổi bật" in narrative and "Kiến nghị, đề xuất" in narrative
    assert "tệp số liệu" in narrative  # the instructions whole, not cut at the page's edge


@needs_poppler
def test_a_long_form_repeats_its_column_labels_on_every_page(tmp_path: Path) -> None:
    # Every indicator owed by one reporter in one quarter: a form of 55 rows.
    catalogue = load_catalogue(REAL_CATALOGUE)
    every = [
        i.model_copy(update={"reporters": ["so-tc"], "frequency": "quarter"})
        for i in catalogue.indicators
    ]
    catalogue = catalogue.model_copy(update={"indicators": every})
    form = build_workbook(catalogue, "test", "so-tc", "2025Q4", lang="vi")
    path = tmp_path / "long.xlsx"
    path.write_bytes(form.data)
    pdf = convert(path, "pdf", tmp_path / "pdf")
    pages = pdf_pages(pdf)
    assert pages >= 3  # the form on two pages or more, then the narrative's sheet
    for page in range(1, pages):
        text = pdf_page_text(pdf, page)
        assert "Tên chỉ tiêu" in text and "numerator" in text, page
    assert "Kết quả nổi bật" in pdf_page_text(pdf, pages)
    assert pdf_page_size(pdf)[0] > pdf_page_size(pdf)[1]  # landscape


def test_row_heights_hold_after_a_libreoffice_save(repo: DataRepo, tmp_path: Path) -> None:
    form = _form(repo, "so-tc", "2025Q4")
    wanted = {
        row: dimension.height
        for row, dimension in load_workbook(form).worksheets[0].row_dimensions.items()
        if row >= FIRST_ROW
    }
    assert max(wanted.values()) > 15  # a long name wraps over two lines or more
    saved = convert(form, "xlsx", tmp_path / "saved")
    sheet = load_workbook(saved).worksheets[0]
    for row, height in wanted.items():
        # LibreOffice rounds heights to its own units; it must not fall back to 15 pt.
        assert sheet.row_dimensions[row].height == pytest.approx(height, abs=1), row


def test_a_filled_workbook_saved_by_libreoffice_imports_and_passes_check(
    repo: DataRepo, tmp_path: Path
) -> None:
    form = _form(repo, "so-khcn", "2025")
    book = load_workbook(form)
    sheet = book.worksheets[0]
    rows = {
        str(sheet.cell(row=r, column=1).value): r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value
    }
    cells = {
        ("CT04", "value"): "có",
        ("CT06", "value"): "1,5",  # text with a decimal comma
        ("CT13", "value"): 12,
        ("CT16", "value"): 4,
        ("CT20", "note"): "Chưa có số liệu, sẽ bổ sung quý sau",
    }
    for (indicator, column), value in cells.items():
        sheet.cell(row=rows[indicator], column=_column(column)).value = value
    filled = tmp_path / "filled" / "so-khcn-2025.xlsx"
    filled.parent.mkdir()
    book.save(filled)
    saved = convert(filled, "xlsx", tmp_path / "saved")
    # The input rules survive LibreOffice's save, the percentage's fraction rule among them.
    rules = load_workbook(saved).worksheets[0].data_validations.dataValidation
    assert any("ISNUMBER" in str(rule.formula1) and ">1" in str(rule.formula1) for rule in rules)
    result = invoke(repo.root, "import", str(saved), "--lang", "en")
    assert result.exit_code == 0, result.output
    written = repo.root / "data" / "submissions" / "so-khcn" / "2025.csv"
    got = {r["indicator"]: r for r in csv.DictReader(io.StringIO(written.read_text("utf-8")))}
    assert {i: (r["value"], r["note"]) for i, r in got.items()} == {
        "CT04": ("có", ""),
        "CT06": ("1.5", ""),
        "CT13": ("12", ""),
        "CT16": ("4", ""),
        "CT20": ("", "Chưa có số liệu, sẽ bổ sung quý sau"),
    }
    report = check_repository(repo.root, as_of=date(2026, 3, 1)).report
    assert report.ok, report.problems


def test_a_csv_form_saved_by_libreoffice_as_utf8_passes_fix_and_check(
    repo: DataRepo, tmp_path: Path
) -> None:
    # The guide's advice for LibreOffice: save the CSV form in UTF-8 with commas. Its
    # windows-1258 export writes "ý" as "ỳ", which nothing can detect afterwards.
    form = tmp_path / "form.csv"
    result = invoke(
        repo.root,
        *("template", "--reporter", "xa-hoa-phu", "--period", "2025Q4", "--out", str(form)),
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(form.read_text("utf-8-sig"))))
    header = rows[0]
    at = {name: header.index(name) for name in ("value", "numerator", "denominator", "note")}
    for row in rows[1:]:
        row[at["value"]], row[at["numerator"]], row[at["denominator"]] = "50", "5", "10"
    note = "Theo ý kiến của Ủy ban nhân dân xã"
    rows[1][at["note"]] = note
    typed = tmp_path / "typed" / "2025Q4.csv"
    typed.parent.mkdir()
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    typed.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    saved = convert(
        typed,
        f"csv:Text - txt - csv (StarCalc):{CSV_UTF8}",
        tmp_path / "saved",
        infilter=f"CSV:{CSV_UTF8}",
    )
    target = repo.root / "data" / "submissions" / "xa-hoa-phu" / "2025Q4.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(saved.read_bytes())
    assert note in target.read_text("utf-8")
    assert invoke(repo.root, "fix", "--check", str(target)).exit_code == 0
    checked = invoke(repo.root, "check", str(target), "--as-of", "2026-03-01", "--lang", "en")
    assert checked.exit_code == 0, checked.output
