"""plan57.submissions.forms and `plan57 template`: the form a reporter fills in, and that it passes check."""

from __future__ import annotations

import csv
import io
import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CATALOGUE, CATALOGUE_ROOT, PROJECT
from plan57.catalogue.loading import load_catalogue, parse_catalogue
from plan57.catalogue.models import Catalogue, Indicator
from plan57.cli import app
from plan57.errors import UsageError
from plan57.periods import parse_period
from plan57.submissions.forms import COLUMNS, build_form, neutralise, owed
from plan57.submissions.rules import check_repository


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE)


def rows_of(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the mark to read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_a_department_quarter(catalogue: Catalogue) -> None:
    form = build_form(catalogue, "so-tc", "2025Q4", lang="vi")
    text = form.data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    rows = rows_of(form.data)
    quarterly = [i.id for i in catalogue.indicators_for("so-tc") if i.frequency == "quarter"]
    assert [row["indicator"] for row in rows] == quarterly
    assert all(row["period"] == "2025Q4" for row in rows)
    assert all(row[c] == "" for row in rows for c in ("value", "numerator", "denominator"))
    ct34 = next(row for row in rows if row["indicator"] == "CT34")
    assert ct34["name"] == catalogue.indicator("CT34").name_vi  # type: ignore[union-attr]
    assert ct34["unit"] == "số lượng"
    assert ct34["target"] == ">= 10 (năm 2025)"  # "≥" in ASCII: see the windows-1258 test
    assert form.submission_path == "data/submissions/so-tc/2025Q4.csv"


def test_a_group_member_gets_what_its_groups_owe(catalogue: Catalogue) -> None:
    # Xã Ea Kar is named by no indicator: it reports as a member of "các địa phương".
    form = build_form(catalogue, "xa-ea-kar", "2025Q3", lang="en")
    ids = [row["indicator"] for row in rows_of(form.data)]
    assert "CT07" in ids
    assert all("xa-ea-kar" not in i.reporters for i in form.indicators)
    assert ids == [i.id for i in owed(catalogue, "xa-ea-kar", parse_period("2025Q3"))]  # type: ignore[arg-type]


def test_a_reporter_owing_flows_and_stocks(catalogue: Catalogue) -> None:
    quarter = build_form(catalogue, "so-khcn", "2025Q2", lang="en")
    kinds = {i.flow for i in quarter.indicators}
    assert kinds == {True, False}
    rows = {row["indicator"]: row for row in rows_of(quarter.data)}
    assert rows["CT15"]["unit"] == "count"
    assert rows["CT08"]["unit"] == "% (fill in numerator and denominator)"
    year = build_form(catalogue, "so-khcn", "2025", lang="en")
    assert {i.frequency for i in year.indicators} == {"year"}
    assert {i.id for i in year.indicators}.isdisjoint({i.id for i in quarter.indicators})
    yes_no = {row["indicator"]: row for row in rows_of(year.data)}["CT04"]
    assert yes_no["unit"] == "yes/no"


def test_the_target_is_the_next_milestone_that_has_one(catalogue: Catalogue) -> None:
    rows = {
        row["indicator"]: row
        for row in rows_of(build_form(catalogue, "dn-vnpt", "2025Q1", lang="en").data)
    }
    assert rows["CT01"]["target"] == ">= 60% (by 2025)"
    assert rows["CT02"]["target"] == ">= 50% (by 2035)"  # 6G has no target before 2035
    late = {
        row["indicator"]: row
        for row in rows_of(build_form(catalogue, "dn-vnpt", "2026Q1", lang="en").data)
    }
    assert late["CT01"]["target"] == "100% (by 2030)"


@pytest.mark.parametrize(
    ("reporter", "period", "code"),
    [
        ("so-tcc", "2025Q4", "template-unknown-reporter"),
        ("cac-dia-phuong", "2025Q4", "template-group"),
        ("dang-uy-ubnd", "2025Q4", "template-unknown-reporter"),
        ("so-tc", "2025Q5", "bad-period-option"),
        ("so-tc", "Q4-2025", "bad-period-option"),
        ("so-tc", "2023Q4", "template-too-early"),
        ("so-tc", "2025M03", "template-nothing-owed"),
    ],
)
def test_bad_requests_are_clear_errors(
    catalogue: Catalogue, reporter: str, period: str, code: str
) -> None:
    with pytest.raises(UsageError) as error:
        build_form(catalogue, reporter, period, lang="vi")
    assert error.value.code == code


def test_an_unknown_reporter_suggests_the_closest_id(catalogue: Catalogue) -> None:
    with pytest.raises(UsageError) as error:
        build_form(catalogue, "so-tcc", "2025Q4", lang="en")
    assert "so-tc" in error.value.params["suggestion"].render("en")


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("≥ 60%", "≥ 60%"),
        ("Sở Tài chính", "Sở Tài chính"),
    ],
)
def test_formula_like_text_is_neutralised(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def test_a_formula_in_the_catalogue_reaches_excel_as_text() -> None:
    text = CATALOGUE.read_text("utf-8").replace(
        'name_en: "Number of innovation projects funded',
        "name_en: \"=cmd|' /C calc'!A0 Number of innovation projects funded",
        1,
    )
    catalogue = parse_catalogue(text, "test")
    rows = {
        row["indicator"]: row
        for row in rows_of(build_form(catalogue, "so-tc", "2025Q4", lang="en").data)
    }
    assert rows["CT34"]["name"].startswith("'=cmd")


def _fill(row: dict[str, str], indicator: Indicator) -> None:
    if indicator.unit == "yes_no":
        row["value"] = "yes"
    elif indicator.unit == "count":
        row["value"] = "4"
    elif indicator.unit == "index":
        row["value"] = "0.55"
    elif indicator.unit == "per_10k":
        row["value"] = "12.5"
    elif indicator.combine == "ratio":
        row["numerator"], row["denominator"], row["value"] = "45", "50", "90.0"
    else:
        row["value"] = "1.2"


@pytest.mark.parametrize(
    ("reporter", "period"),
    [("so-tc", "2025Q4"), ("xa-ea-kar", "2025Q3"), ("so-khcn", "2025Q2"), ("so-khcn", "2025")],
)
def test_a_filled_in_template_passes_check(
    tmp_path: Path, catalogue: Catalogue, reporter: str, period: str
) -> None:
    root = tmp_path / "repo"
    (root / "data").mkdir(parents=True)
    shutil.copy(CATALOGUE, root / "data" / "targets.yaml")
    form = build_form(catalogue, reporter, period, lang="vi")
    rows = rows_of(form.data)
    path = root / form.submission_path
    path.parent.mkdir(parents=True)
    path.write_bytes(form.data)
    empty = check_repository(root, as_of=date(2026, 3, 1), paths=[path]).report
    # An unfilled form is only warnings: every row counts as not reported yet.
    assert {p.code for p in empty.problems if p.file == form.submission_path} == {"not-reported"}
    assert empty.ok

    by_id = {i.id: i for i in form.indicators}
    for row in rows:
        _fill(row, by_id[row["indicator"]])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))  # as Excel saves it
    report = check_repository(root, as_of=date(2026, 3, 1), paths=[path]).report
    assert [p for p in report.problems if p.file == form.submission_path] == []


def _invoke(*args: str) -> tuple[int, str, bytes]:
    result = CliRunner().invoke(app, ["--root", str(CATALOGUE_ROOT), "template", *args])
    return result.exit_code, result.output, result.stdout_bytes


def test_template_command_to_standard_output(catalogue: Catalogue) -> None:
    status, _, data = _invoke("--reporter", "so-tc", "--period", "2025Q4", "--lang", "en")
    assert status == 0
    assert data == build_form(catalogue, "so-tc", "2025Q4", lang="en").data


def test_template_command_writes_a_file_and_never_overwrites_silently(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    out = tmp_path / "so-tc-2025Q4.csv"
    status, output, _ = _invoke("--reporter", "so-tc", "--period", "2025Q4", "--out", str(out))
    assert status == 0
    assert out.read_bytes() == build_form(catalogue, "so-tc", "2025Q4", lang="vi").data
    assert "data/submissions/so-tc/2025Q4.csv" in output
    out.write_text("đã điền", encoding="utf-8")
    status, output, _ = _invoke("--reporter", "so-tc", "--period", "2025Q4", "--out", str(out))
    assert status == 2
    assert out.read_text("utf-8") == "đã điền"
    status, _, _ = _invoke(
        "--reporter", "so-tc", "--period", "2025Q4", "--out", str(out), "--force"
    )
    assert status == 0 and out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_template_command_errors_exit_2_without_traceback() -> None:
    result = CliRunner().invoke(
        app,
        [
            "--root",
            str(CATALOGUE_ROOT),
            "template",
            "--reporter",
            "nobody",
            "--period",
            "2025Q4",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 2
    assert "not the id of a reporting unit" in result.stderr
    assert "Traceback" not in result.output


def test_the_target_survives_excels_windows_1258_save(catalogue: Catalogue) -> None:
    """Excel on a Vietnamese Windows saves CSV in windows-1258, which has no "≥"."""
    from excel import cp1258

    form = build_form(catalogue, "dn-vnpt", "2025Q1", lang="vi")
    saved = cp1258(form.data.decode("utf-8-sig"))
    back = unicodedata.normalize("NFC", saved.decode("cp1258"))
    rows = {row["indicator"]: row for row in csv.DictReader(io.StringIO(back))}
    assert rows["CT01"]["target"] == ">= 60% (năm 2025)"
    assert "?" not in back


# -- what is owed, said once: template and status agree ---------------------------------------


def _sample_periods() -> list[str]:
    names = {path.stem for path in (PROJECT / "data" / "submissions").glob("*/*.csv")}
    return sorted(names | {"2025M12", "2025S2"})


def test_template_says_what_status_counts_for_every_reporter_and_period() -> None:
    from plan57.submissions.status import build_status

    catalogue = load_catalogue(PROJECT / "data" / "targets.yaml")
    for name in _sample_periods():
        period = parse_period(name)
        assert period is not None
        status = build_status(PROJECT, catalogue, period, as_of=date(2026, 6, 30))
        counted = {r.id: set(r.expected) for r in status.reporters}
        for reporter in catalogue.reporter_ids():
            try:
                form = build_form(catalogue, reporter, name, lang="en")
            except UsageError as error:
                # Nothing of this kind is owed: the error names the files owed that day.
                assert error.code == "template-nothing-owed"
                hint = error.hint.render("en")
                owed_that_day = sum(int(n) for n in re.findall(r"\((\d+) indicators?\)", hint))
                assert owed_that_day == len(counted.get(reporter, set())), (reporter, name)
                continue
            said = {(str(f.period), i) for f in form.due for i in f.indicators}
            assert {i for _, i in said} == counted[reporter], (reporter, name)
            assert {i.id for i in form.indicators} == {i for p, i in said if p == name}
            total = re.search(r"owes (\d+) indicator", form.owed_that_day("en"))
            assert total is not None and int(total.group(1)) == len(counted[reporter])


def test_template_tells_the_other_file_owed_the_same_day(catalogue: Catalogue) -> None:
    result = CliRunner().invoke(
        app,
        ["--root", str(CATALOGUE_ROOT), "template", "--reporter", "so-tc", "--period", "2025"],
        env={"PLAN57_LANG": "vi"},
    )
    assert result.exit_code == 0
    assert "so-tc nộp 23 chỉ tiêu, 12 trong tệp này" in result.stderr
    assert "data/submissions/so-tc/2025Q4.csv (11 chỉ tiêu" in result.stderr
    assert "plan57 template --reporter so-tc --period 2025Q4" in result.stderr
