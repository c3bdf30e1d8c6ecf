"""The Excel round trip: `template --format xlsx`, filled the way a user fills it, `import`, `check`."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from clirun import invoke
from conftest import AS_OF, REAL_CATALOGUE, DataRepo
from plan57.catalogue.loading import load_catalogue
from plan57.catalogue.models import Catalogue
from plan57.submissions.rules import check_repository
from plan57.submissions.workbooks import (
    FIRST_ROW,
    HEADER_ROW,
    META_SHEET,
    WORKBOOK_COLUMNS,
    ImportOptions,
    build_workbook,
    catalogue_revision,
    import_workbooks,
    read_cell_text,
)

CHECK_DATE = date(2026, 3, 1)
# A quarter's share for a commune: numerator, denominator and the value they make.
RATIO = {("CT07", "numerator"): 3, ("CT07", "denominator"): 4, ("CT07", "value"): 75}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(REAL_CATALOGUE)


def _form(repo: DataRepo, reporter: str, period: str, *lang: str) -> Path:
    out = repo.root / f"{reporter}-{period}.xlsx"
    result = invoke(
        repo.root,
        "template",
        "--reporter",
        reporter,
        "--period",
        period,
        "--format",
        "xlsx",
        "--out",
        str(out),
        *(("--lang", lang[0]) if lang else ()),
    )
    assert result.exit_code == 0, result.output
    return out


def _column(name: str) -> int:
    return WORKBOOK_COLUMNS.index(name) + 1


def _rows(path: Path) -> dict[str, int]:
    """Each indicator's row in the form's first sheet."""
    sheet = load_workbook(path).worksheets[0]
    return {
        str(sheet.cell(row=r, column=1).value): r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value
    }


def _fill(path: Path, cells: dict[tuple[str, str], Any], save_as: Path | None = None) -> Path:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    rows = _rows(path)
    for (indicator, column), value in cells.items():
        cell = sheet.cell(row=rows[indicator], column=_column(column))
        if isinstance(value, tuple):  # (value, number format)
            cell.value, cell.number_format = value
        else:
            cell.value = value
    target = save_as or path
    book.save(target)
    return target


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


def test_the_form_has_the_csv_templates_rows_rules_and_record(
    repo: DataRepo, catalogue: Catalogue
) -> None:
    path = _form(repo, "so-khcn", "2025")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [sheet.cell(row=HEADER_ROW, column=c).value for c in range(1, 10)]
    assert header == list(WORKBOOK_COLUMNS)
    assert sheet.title == "Số liệu"
    from plan57.submissions.forms import build_form

    csv_rows = [
        r["indicator"]
        for r in csv.DictReader(
            io.StringIO(
                build_form(catalogue, "so-khcn", "2025", lang="vi").data.decode("utf-8-sig")
            )
        )
    ]
    assert list(_rows(path)) == csv_rows
    # Locked sheet; only the cells to fill are unlocked.
    assert sheet.protection.sheet
    first = FIRST_ROW
    assert sheet.cell(row=first, column=_column("indicator")).protection.locked
    assert sheet.cell(row=first, column=_column("name")).protection.locked
    for column in ("value", "numerator", "denominator", "note", "source"):
        assert not sheet.cell(row=first, column=_column(column)).protection.locked
    # Input rules: a yes/no list, 0-100 for a percent, whole numbers for counts, n ≤ d.
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    rows = _rows(path)
    value = lambda indicator: f"E{rows[indicator]}"  # noqa: E731
    assert rules[value("CT04")].type == "list" and "có" in str(rules[value("CT04")].formula1)
    # CT06 (≥ 1,0% of GRDP): 0 to 100, and a fraction (0.002 to 0.05) only with its counts.
    assert rules[value("CT06")].type == "custom"
    assert f"{value('CT06')}<=100" in rules[value("CT06")].formula1
    assert f"{value('CT06')}<0.002" in rules[value("CT06")].formula1
    assert f"{value('CT06')}>0.05" in rules[value("CT06")].formula1
    assert rules[value("CT16")].type == "whole"
    assert rules[value("CT39")].formula2 == "1"
    numerator = rules[f"F{rows['CT12']}"]
    assert numerator.type == "custom" and f"F{rows['CT12']}<=G{rows['CT12']}" in numerator.formula1
    for rule in rules.values():
        assert rule.prompt and len(rule.promptTitle) <= 32 and len(rule.prompt) <= 255
    assert "Mục tiêu" in rules[value("CT06")].prompt
    # The hidden record: reporter, period, catalogue revision.
    meta = book[META_SHEET]
    assert meta.sheet_state == "hidden"
    record = {
        meta.cell(row=r, column=1).value: meta.cell(row=r, column=2).value for r in range(1, 5)
    }
    assert record["reporter"] == "so-khcn" and record["period"] == "2025"
    assert record["catalogue"] == catalogue_revision(repo.catalogue.read_bytes())


def test_the_form_refuses_a_percentage_typed_as_a_fraction_as_check_does(
    repo: DataRepo, catalogue: Catalogue
) -> None:
    from plan57.grammar import fraction_band, likely_fraction
    from plan57.submissions.forms import catalogue_reference

    path = _form(repo, "so-tc", "2025")
    sheet = load_workbook(path).worksheets[0]
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    for indicator, row in _rows(path).items():
        found = catalogue.indicator(indicator)
        assert found is not None
        reference, _ = catalogue_reference(found, 2025)
        if found.unit not in ("percent", "percent_grdp") or reference is None:
            continue
        band = fraction_band(reference)
        if band is None:
            continue
        rule = rules[f"E{row}"]
        low, high = band
        # The rule's band is the grammar's: inside it check refuses, outside it accepts.
        assert f"E{row}<{low:.6g}" in rule.formula1 and f"E{row}>{high:.6g}" in rule.formula1
        assert f"AND(ISNUMBER(F{row}),ISNUMBER(G{row}))" in rule.formula1
        assert "0.255" in rule.prompt and "tử số và mẫu số" in rule.prompt
        assert likely_fraction(low, found.unit, reference)
        assert likely_fraction(high, found.unit, reference)
        assert not likely_fraction(low * 0.99, found.unit, reference)
        assert not likely_fraction(high * 1.01, found.unit, reference)


def test_the_workbook_itself_says_what_else_is_owed_that_day(repo: DataRepo) -> None:
    sheet = load_workbook(_form(repo, "so-tc", "2025")).worksheets[0]
    said = str(sheet.cell(row=2, column=1).value)
    assert "Hạn nộp 15/01/2026: so-tc nộp 23 chỉ tiêu, 12 trong tệp này" in said
    assert "data/submissions/so-tc/2025Q4.csv (11 chỉ tiêu" in said
    assert "A2:I2" in {str(merged) for merged in sheet.merged_cells.ranges}


def test_the_form_speaks_english_on_request(repo: DataRepo) -> None:
    sheet = load_workbook(_form(repo, "so-khcn", "2025", "en")).worksheets[0]
    assert sheet.title == "Data"
    assert sheet.cell(row=HEADER_ROW - 1, column=_column("value")).value == "Value"


def test_filled_like_a_user_imports_and_passes_check(repo: DataRepo) -> None:
    """Typed numbers, numbers typed as text, yes/no from the list, a percent cell, a blank row."""
    form = _form(repo, "so-khcn", "2025")
    filled = _fill(
        form,
        {
            ("CT04", "value"): "có",  # from the list
            ("CT06", "value"): "1,5",  # typed as text with a decimal comma
            ("CT06", "note"): "@quyết toán 2025",  # text a spreadsheet could take for a formula
            ("CT12", "numerator"): 450,
            ("CT12", "denominator"): 500,
            ("CT12", "value"): (0.9, "0%"),  # a percent-formatted cell holds 0.9 for 90%
            ("CT13", "value"): 12,  # a typed number
            ("CT14", "value"): "  7 ",  # typed as text, with spaces
            ("CT16", "value"): 4.0,
            ("CT18", "value"): "85%",  # a percent typed with its sign
            ("CT20", "note"): "chưa có số liệu",  # a blank value with a note: an explained gap
            ("CT39", "value"): 0.55,
        },
        save_as=repo.root / "filled.xlsx",
    )
    result = invoke(repo.root, "import", str(filled), "--lang", "en")
    assert result.exit_code == 0, result.output
    written = repo.root / "data" / "submissions" / "so-khcn" / "2025.csv"
    assert "data/submissions/so-khcn/2025.csv" in result.output
    assert "kept 1 row with no figure but a note (an explained gap, not a figure): CT20" in (
        result.output
    )
    assert "left out 9 rows without a value: CT23" in result.output
    rows = {r["indicator"]: r for r in _csv(written)}
    assert list(rows) == ["CT04", "CT06", "CT12", "CT13", "CT14", "CT16", "CT18", "CT20", "CT39"]
    assert (rows["CT20"]["value"], rows["CT20"]["note"]) == ("", "chưa có số liệu")
    assert rows["CT04"]["value"] == "có"
    assert rows["CT06"]["value"] == "1.5"
    # Stored as typed: formula safety is for what plan57 writes into spreadsheets.
    assert rows["CT06"]["note"] == "@quyết toán 2025"
    assert (rows["CT12"]["value"], rows["CT12"]["numerator"]) == ("90", "450")
    assert rows["CT13"]["value"] == "12" and rows["CT14"]["value"] == "7"
    assert rows["CT16"]["value"] == "4" and rows["CT18"]["value"] == "85"
    assert rows["CT39"]["value"] == "0.55"
    report = check_repository(repo.root, as_of=CHECK_DATE).report
    assert report.ok, report.problems
    mine = [p for p in report.problems if p.file == "data/submissions/so-khcn/2025.csv"]
    assert [(p.code, p.indicator) for p in mine] == [("not-reported", "CT20")]


def test_the_report_sheet_becomes_the_units_narrative_beside_the_figures(repo: DataRepo) -> None:
    form = _form(repo, "so-khcn", "2025")
    book = load_workbook(form)
    story = book["Báo cáo"]
    assert [story.cell(row=r, column=1).value for r in (4, 5, 6)] == [
        "Kết quả nổi bật",
        "Khó khăn, vướng mắc",
        "Kiến nghị, đề xuất",
    ]
    assert not story.cell(row=4, column=2).protection.locked
    assert story.cell(row=4, column=1).protection.locked
    story.cell(row=4, column=2).value = "Triển khai 13 nhiệm vụ.\nKết nối 38 hệ thống."
    story.cell(row=5, column=2).value = "Chưa có kinh phí <b>2026</b>."
    book.worksheets[0].cell(row=_rows(form)["CT13"], column=_column("value")).value = 12
    filled = repo.root / "filled.xlsx"
    book.save(filled)
    result = invoke(repo.root, "import", str(filled), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "data/submissions/so-khcn/2025.md" in result.output
    written = (repo.root / "data" / "submissions" / "so-khcn" / "2025.md").read_text("utf-8")
    assert written == (
        "## Kết quả nổi bật\n- Triển khai 13 nhiệm vụ.\n- Kết nối 38 hệ thống.\n\n"
        "## Khó khăn, vướng mắc\nChưa có kinh phí <b>2026</b>.\n\n"
        "## Kiến nghị, đề xuất\nKhông có.\n"
    )
    report = check_repository(repo.root, as_of=CHECK_DATE).report
    assert report.ok, report.problems
    # Imported again, the narrative is not overwritten without --force.
    again = invoke(repo.root, "import", str(filled), "--force")
    assert again.exit_code == 0


def test_a_broken_workbook_gets_findings_with_sheet_and_cell(repo: DataRepo) -> None:
    form = _form(repo, "so-khcn", "2025", "en")
    _fill(
        form,
        {
            ("CT06", "value"): "1,500",  # a share of GRDP: only 1.5 is possible
            ("CT13", "value"): "=2+3",  # a formula nobody calculated
            ("CT14", "value"): "twelve",
            ("CT04", "value"): "maybe",
            ("CT16", "value"): "1,000",  # a count: a thousand or one, never guessed
        },
    )
    rows = _rows(form)
    result = invoke(repo.root, "import", str(form), "--lang", "en")
    assert result.exit_code == 1
    assert not (repo.root / "data" / "submissions" / "so-khcn" / "2025.csv").exists()
    (imported,) = import_workbooks(
        repo.root, load_catalogue(repo.catalogue), [form], ImportOptions(), lang="en"
    )
    found = {(p.code, p.column, p.line) for p in imported.problems}
    assert found == {
        ("import-ambiguous", f"Data!E{rows['CT16']}", rows["CT16"]),
        ("import-formula", f"Data!E{rows['CT13']}", rows["CT13"]),
        ("import-not-a-number", f"Data!E{rows['CT14']}", rows["CT14"]),
        ("import-not-yes-no", f"Data!E{rows['CT04']}", rows["CT04"]),
    }
    for problem in imported.problems:
        assert problem.column in problem.message("en")
        assert problem.file == "so-khcn-2025.xlsx"
    assert f"Data!E{rows['CT13']}" in result.output and "=2+3" in result.output


def test_a_vietnamese_sheet_name_is_quoted_in_the_address(repo: DataRepo) -> None:
    form = _fill(_form(repo, "so-khcn", "2025"), {("CT14", "value"): "abc"})
    (imported,) = import_workbooks(
        repo.root, load_catalogue(repo.catalogue), [form], ImportOptions(), lang="vi"
    )
    (problem,) = imported.problems
    assert problem.column == f"'Số liệu'!E{_rows(form)['CT14']}"


def test_a_batch_reports_each_workbook_and_fails_if_one_fails(repo: DataRepo) -> None:
    good = _fill(_form(repo, "xa-hoa-phu", "2025Q3"), RATIO)
    other = _fill(_form(repo, "phuong-buon-ma-thuot", "2025Q3"), RATIO)
    empty = _form(repo, "xa-ea-kar", "2025Q3")
    result = invoke(repo.root, "import", str(good), str(other), str(empty), "--lang", "en")
    assert result.exit_code == 1
    assert "2 workbooks imported, 1 failed." in result.output
    assert "xa-ea-kar-2025Q3.xlsx: not imported." in result.output
    base = repo.root / "data" / "submissions"
    assert (base / "xa-hoa-phu" / "2025Q3.csv").exists()
    assert (base / "phuong-buon-ma-thuot" / "2025Q3.csv").exists()
    assert not (base / "xa-ea-kar").exists()


def test_a_large_batch_is_checked_as_the_folder_not_file_by_file(repo: DataRepo) -> None:
    communes = ["xa-hoa-phu", "phuong-buon-ma-thuot", "xa-ea-kar", "xa-ea-knop", "xa-ea-pal"]
    forms = [str(_fill(_form(repo, commune, "2025Q3"), RATIO)) for commune in communes]
    result = invoke(repo.root, "import", *forms, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Check, then submit: plan57 check data/submissions/\n" in result.output
    few = invoke(repo.root, "import", "--force", *forms[:2], "--lang", "en")
    assert "plan57 check data/submissions/xa-hoa-phu/2025Q3.csv data/submissions/phuong" in (
        few.output
    )


def test_existing_files_flags_and_overrides(repo: DataRepo) -> None:
    form = _fill(_form(repo, "xa-hoa-phu", "2025Q3"), RATIO)
    assert invoke(repo.root, "import", str(form)).exit_code == 0
    again = invoke(repo.root, "import", str(form), "--lang", "en")
    assert again.exit_code == 1 and "import-exists" in again.output
    assert invoke(repo.root, "import", str(form), "--force").exit_code == 0
    # Flags that contradict the workbook's record need --force.
    other = invoke(repo.root, "import", str(form), "--period", "2025Q2", "--lang", "en")
    assert other.exit_code == 1 and "import-mismatch" in other.output
    forced = invoke(repo.root, "import", str(form), "--period", "2025Q2", "--force")
    assert forced.exit_code == 0
    assert (repo.root / "data" / "submissions" / "xa-hoa-phu" / "2025Q2.csv").exists()
    out = repo.root / "elsewhere.csv"
    assert invoke(repo.root, "import", str(form), "--out", str(out)).exit_code == 0
    assert out.read_text("utf-8").startswith("indicator,value,")
    two = invoke(repo.root, "import", str(form), str(form), "--out", str(out))
    assert two.exit_code == 2


def test_a_workbook_of_ones_own_needs_reporter_and_period(repo: DataRepo) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["Báo cáo"])
    sheet.append(["indicator", "value", "numerator", "denominator", "note"])
    sheet.append(["CT07", 75, 3, 4, ""])
    sheet.append(["CT09", "62,5", 5, "8", "x"])
    path = repo.root / "own.xlsx"
    book.save(path)
    bare = invoke(repo.root, "import", str(path), "--lang", "en")
    assert bare.exit_code == 1 and "import-no-reporter" in bare.output
    unknown = invoke(
        repo.root,
        "import",
        str(path),
        "--reporter",
        "xa-hoa-pu",
        "--period",
        "2025Q3",
        "--lang",
        "en",
    )
    assert unknown.exit_code == 1 and "Did you mean xa-hoa-phu?" in unknown.output
    ok = invoke(repo.root, "import", str(path), "--reporter", "xa-hoa-phu", "--period", "2025Q3")
    assert ok.exit_code == 0, ok.output
    rows = _csv(repo.root / "data" / "submissions" / "xa-hoa-phu" / "2025Q3.csv")
    assert [(r["indicator"], r["value"]) for r in rows] == [("CT07", "75"), ("CT09", "62.5")]
    assert rows[1]["denominator"] == "8"


def test_an_explained_gap_reaches_status_the_report_and_the_site(
    repo: DataRepo, tmp_path: Path
) -> None:
    note = "Chưa có số liệu, sẽ bổ sung quý sau"
    form = _form(repo, "so-khcn", "2025")
    _fill(form, {("CT16", "value"): 4, ("CT06", "note"): note})
    assert invoke(repo.root, "import", str(form)).exit_code == 0
    status = invoke(
        repo.root, "status", "--period", "2025", "--as-of", "2026-06-30", "--format", "json"
    )
    [mine] = [r for r in json.loads(status.stdout)["reporters"] if r["id"] == "so-khcn"]
    assert "CT06" in mine["missing"] and mine["explained"] == {"CT06": note}
    table = invoke(
        repo.root, "status", "--period", "2025", "--as-of", "2026-06-30", "--format", "md"
    )
    assert f"CT06 (chưa có số: {note})" in table.stdout
    report = invoke(
        repo.root, "report", "--period", "2025", "--as-of", "2026-06-30", "--format", "md"
    )
    assert report.exit_code == 0, report.output
    assert f"CT06 (chưa có số: {note})" in report.stdout
    site = tmp_path / "site"
    built = invoke(
        repo.root, "site", "--period", "2025Q4", "--as-of", "2026-06-30", "--out", str(site)
    )
    assert built.exit_code == 0, built.output
    page = (site / "reporters" / "so-khcn.html").read_text("utf-8")
    assert note in page and "chưa có số, đơn vị ghi" in page


def test_a_csv_file_or_a_missing_file_is_told_what_to_do(repo: DataRepo) -> None:
    repo.write("x.csv", "indicator,value\nCT16,4\n")
    result = invoke(repo.root, "import", str(repo.root / "x.csv"), "--lang", "en")
    assert result.exit_code == 1 and "import-csv" in result.output
    assert "plan57 fix x.csv" in result.output and "openpyxl" not in result.output
    missing = invoke(repo.root, "import", str(repo.root / "nowhere.xlsx"), "--lang", "en")
    assert missing.exit_code == 1 and "import-missing" in missing.output
    assert (
        "nowhere.xlsx does not exist" in missing.output
        and "import-unreadable" not in missing.output
    )


def test_after_out_outside_the_repository_the_next_step_runs(
    repo: DataRepo, tmp_path: Path
) -> None:
    form = _form(repo, "so-khcn", "2025")
    _fill(form, {("CT16", "value"): 4})
    outside = tmp_path / "elsewhere" / "so-khcn-2025.csv"
    outside.parent.mkdir()
    result = invoke(repo.root, "import", str(form), "--out", str(outside), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert f"plan57 check {outside}" not in result.output
    assert "copy it to data/submissions/so-khcn/2025.csv" in result.output
    # The step it names runs: the file copied where it belongs passes check.
    (repo.root / "data" / "submissions" / "so-khcn").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(outside, repo.root / "data" / "submissions" / "so-khcn" / "2025.csv")
    checked = invoke(
        repo.root,
        "check",
        str(repo.root / "data/submissions/so-khcn/2025.csv"),
        "--as-of",
        "2026-06-30",
    )
    assert checked.exit_code == 0, checked.output


def test_files_that_are_not_xlsx_workbooks(repo: DataRepo) -> None:
    broken = repo.write("broken.xlsx", b"PK\x03\x04 not really a zip")
    ods = repo.write("old.ods", b"whatever")
    result = invoke(repo.root, "import", str(broken), str(ods), "--lang", "en")
    assert result.exit_code == 1
    assert "import-unreadable" in result.output and "import-format" in result.output
    zipped = repo.root / "empty.xlsx"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "import-unreadable" in invoke(repo.root, "import", str(zipped)).output


@pytest.mark.parametrize(
    ("cell", "unit", "canonical", "problem"),
    [
        ("12", "count", "12", None),
        ("1,5", "percent", "1.5", None),
        ("85%", "percent", "85", None),
        ("1,2%", "percent_grdp", "1.2", None),
        ("85%", "count", None, "import-not-a-number"),
        ("\u00a012\u00a0", "count", "12", None),
        ("1,500", "count", "1500", None),
        ("1.500", "count", "1500", None),
        ("1,000", "count", None, "import-ambiguous"),
        ("1.500", "per_10k", None, "import-ambiguous"),
        ("61,725", "percent", "61.725", None),
        ("1.500,5", "count", "1500.5", None),
        ("abc", "count", None, "import-not-a-number"),
        ("1e3", "count", None, "import-not-a-number"),
        ("-3", "count", "-3", None),
        ("Có", "yes_no", "Có", None),
        (" không ", "yes_no", "không", None),
        ("1", "yes_no", None, "import-not-yes-no"),
    ],
)
def test_number_text_is_read_only_where_certain(
    cell: str, unit: str, canonical: str | None, problem: str | None
) -> None:
    reading = read_cell_text(cell, unit)
    assert (reading.canonical, reading.problem) == (canonical, problem)


def test_check_names_a_workbook_and_the_import_command(
    repo: DataRepo, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = build_workbook(catalogue, "x", "so-khcn", "2025", lang="en")
    path = repo.write("data/submissions/so-khcn/2025.xlsx", form.data)
    report = check_repository(repo.root, as_of=AS_OF).report
    (finding,) = [p for p in report.problems if p.file != "data/targets.yaml"]
    assert (finding.code, finding.file) == ("workbook", "data/submissions/so-khcn/2025.xlsx")
    command = "plan57 import data/submissions/so-khcn/2025.xlsx --reporter so-khcn --period 2025"
    assert command in finding.hint("en")
    monkeypatch.chdir(repo.root)
    # The command the hint gives works, and then only the workbook itself is left to remove.
    result = invoke(repo.root, *command.split()[1:])
    assert result.exit_code == 1 and "import-empty" in result.output
    _fill(path, {("CT13", "value"): 3})
    assert invoke(repo.root, *command.split()[1:]).exit_code == 0
    path.unlink()
    assert check_repository(repo.root, as_of=AS_OF).report.ok


def test_a_row_not_reported_counts_as_missing_in_status_and_score(repo: DataRepo) -> None:
    """An unfilled row (here, a value left blank with a note) is a warning, and missing."""
    import json

    repo.submit("so-khcn", "2025", "indicator,value,note\nCT13,12,\nCT14,,chưa tổng hợp\n")
    report = check_repository(repo.root, as_of=CHECK_DATE).report
    (warning,) = [p for p in report.problems if p.file == "data/submissions/so-khcn/2025.csv"]
    assert (warning.code, warning.severity, warning.indicator) == (
        "not-reported",
        "warning",
        "CT14",
    )
    assert "chưa tổng hợp" in warning.message("vi") and report.ok
    args = ("--period", "2025", "--format", "json", "--as-of", "2026-03-01")
    status = json.loads(invoke(repo.root, "status", *args).stdout)
    (khcn,) = [r for r in status["reporters"] if r["id"] == "so-khcn"]
    assert "CT14" in khcn["missing"] and "CT13" in khcn["submitted"]
    score = json.loads(invoke(repo.root, "score", *args).stdout)
    items = {i["id"]: i for i in score["indicators"]}
    assert "so-khcn" in items["CT14"]["missing"] and items["CT14"]["value"] is None
    assert "so-khcn" not in items["CT13"]["missing"]


def test_a_damaged_workbook_in_a_batch_does_not_stop_the_others(repo: DataRepo) -> None:
    good = _fill(_form(repo, "xa-hoa-phu", "2025Q3"), RATIO)
    damaged = repo.root / "damaged.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the sheet's XML cut in half
            target.writestr(item, data)
    result = invoke(repo.root, "import", str(damaged), str(good), "--lang", "en")
    assert result.exit_code == 1
    assert "import-unreadable" in result.output
    assert "1 workbook imported, 1 failed." in result.output


def test_nothing_is_written_through_a_link(repo: DataRepo, tmp_path: Path) -> None:
    import os

    form = _fill(_form(repo, "xa-hoa-phu", "2025Q3"), RATIO)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, repo.root / "data" / "submissions" / "xa-hoa-phu")
    result = invoke(repo.root, "import", str(form), "--lang", "en")
    assert result.exit_code == 1 and "link-refused" in result.output
    assert list(outside.iterdir()) == []
