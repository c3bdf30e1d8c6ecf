"""plan57.submissions.repair and `plan57 fix`: Excel exports made canonical, never a meaning changed."""

from __future__ import annotations

import csv
import io
import os
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import examples
from excel import canonical, cp1258, export
from plan57.cli import app
from plan57.errors import UsageError
from plan57.findings import Finding
from plan57.grammar import detect_encoding
from plan57.submissions.repair import Repair, repair_bytes, repair_files

REPO = Path(__file__).resolve().parents[1]
HEADER = ["indicator", "value", "numerator", "denominator", "note"]
# A Finance department quarter as a Vietnamese Excel shows it: decimal commas, Vietnamese notes.
DISPLAYED = [
    HEADER,
    ["CT08", "92,1", "246", "267", "Cán bộ cấp tỉnh được tập huấn kỹ năng số"],
    ["CT09", "94,4", "118", "125", ""],
    ["CT30", "3", "", "", "Dự án khởi nghiệp đổi mới sáng tạo"],
    ["CT34", "3", "", "", "Nguồn: Sở Tài chính, quý IV"],
    ["CT40", "84,2", "155", "184", "Số liệu ước tính; cập nhật sau"],
]
CANONICAL = [
    [cell.replace(",", ".") if i == 1 else cell for i, cell in enumerate(row)] for row in DISPLAYED
]


def fixed(raw: bytes) -> Repair:
    return repair_bytes(raw, file="data/submissions/so-tc/2025Q4.csv")


def codes(repair: Repair) -> set[str]:
    return {change.code for change in repair.changes}


# --- each encoding Excel writes ---------------------------------------------------------------


def test_windows_1258_semicolons_and_decimal_commas_from_vietnamese_excel() -> None:
    raw = export(DISPLAYED, encoding="windows-1258", delimiter=";")
    assert b"\xd2" in raw or b"\xec" in raw  # tone marks really are separate bytes here
    assert detect_encoding(raw) == "windows-1258"
    repair = fixed(raw)
    assert repair.data == canonical(CANONICAL)
    assert codes(repair) >= {"encoding", "delimiter", "line-endings", "nfc", "decimal-comma"}
    text = repair.data.decode("utf-8")
    assert "Cán bộ cấp tỉnh được tập huấn kỹ năng số" in text
    assert unicodedata.is_normalized("NFC", text)


def test_windows_1252_from_western_excel() -> None:
    rows = [HEADER, ["CT30", "3", "", "", "Škoda partnership – € 5 m"]]
    raw = export(rows, encoding="windows-1252")
    assert detect_encoding(raw) == "windows-1252"
    repair = fixed(raw)
    assert repair.data == canonical(rows)
    assert "encoding" in codes(repair)


def test_windows_1252_recognised_by_letters_that_cannot_be_vietnamese() -> None:
    # Read as windows-1258, "Ì" would be a tone mark floating after a space.
    rows = [HEADER, ["CT30", "3", "", "", "Ìsola; ÒRBITA"]]
    raw = export(rows, encoding="windows-1252")
    assert detect_encoding(raw) == "windows-1252"
    assert fixed(raw).data == canonical(rows)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_unicode_text_with_tabs(encoding: str) -> None:
    raw = export(DISPLAYED, encoding=encoding, delimiter="\t")
    repair = fixed(raw)
    assert repair.data == canonical(CANONICAL)
    assert codes(repair) >= {"encoding", "delimiter", "line-endings", "decimal-comma"}


def test_utf8_with_byte_order_mark_from_csv_utf8() -> None:
    raw = export(CANONICAL, bom=True)
    repair = fixed(raw)
    assert repair.data == canonical(CANONICAL)
    assert codes(repair) == {"bom", "line-endings"}


def test_decomposed_utf8_becomes_nfc() -> None:
    rows = [HEADER, ["CT30", "3", "", "", unicodedata.normalize("NFD", "Đắk Lắk")]]
    repair = fixed(canonical(rows))
    assert repair.data == canonical([HEADER, ["CT30", "3", "", "", "Đắk Lắk"]])
    assert codes(repair) == {"nfc"}


# --- delimiters, line endings, blank rows, spaces ---------------------------------------------


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_each_delimiter_and_line_ending(delimiter: str, newline: str) -> None:
    raw = export(CANONICAL, delimiter=delimiter, newline=newline)
    repair = fixed(raw)
    if delimiter == ",":
        # Line endings alone are not worth a change (a core.autocrlf clone writes CRLF).
        assert not repair.changed and repair.data is raw
        return
    assert repair.data == canonical(CANONICAL)
    expected = {"delimiter"}
    if newline != "\n":
        expected.add("line-endings")
    assert codes(repair) == expected


def test_a_clean_file_stays_byte_identical() -> None:
    # Quoting a cell that needs none is not worth a change: the file is left exactly as it is.
    raw = b'indicator,value,note\nCT30,3,"already quoted"\nCT34,4,"a, b"\n'
    repair = fixed(raw)
    assert not repair.changed and not repair.refused
    assert repair.data is raw
    assert fixed(canonical(CANONICAL)).data == canonical(CANONICAL)


def test_fixing_twice_changes_nothing_the_second_time() -> None:
    once = fixed(export(DISPLAYED, encoding="windows-1258", delimiter=";"))
    assert once.data is not None
    twice = fixed(once.data)
    assert not twice.changed and twice.data == once.data


def test_blank_rows_stray_spaces_header_case_and_empty_columns() -> None:
    raw = (
        "sep=;\r\n Indicator ; Value ;note;;\r\n"
        "CT30; 3 ;  dự án ;;\r\n;;;;\r\nCT34;4;;;\r\n;;;;\r\n;;;;\r\n"
    ).encode()
    repair = fixed(raw)
    assert repair.data == b"indicator,value,note\nCT30,3,d\xe1\xbb\xb1 \xc3\xa1n\nCT34,4,\n"
    assert codes(repair) == {
        "sep-line",
        "delimiter",
        "line-endings",
        "blank-rows",
        "header",
        "empty-columns",
        "spaces",
    }
    blank = next(c for c in repair.changes if c.code == "blank-rows")
    assert blank.count == 3


def test_missing_final_newline_is_added() -> None:
    repair = fixed(b"indicator,value\nCT30,3")
    assert repair.data == b"indicator,value\nCT30,3\n"
    assert codes(repair) == {"final-newline"}


def test_never_loses_a_row_even_with_line_breaks_inside_cells() -> None:
    rows = [HEADER, ["CT30", "3", "", "", "dòng một\r\ndòng hai"], ["CT34", "4", "", "", "x"]]
    repair = fixed(export(rows, delimiter=";"))
    assert repair.data is not None
    back = list(csv.reader(io.StringIO(repair.data.decode("utf-8"), newline="")))
    assert back == [HEADER, ["CT30", "3", "", "", "dòng một\ndòng hai"], ["CT34", "4", "", "", "x"]]


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("displayed", "written"),
    [
        ("55,5", "55.5"),
        ("0,625", "0.625"),  # a thousands group never starts with 0
        ("1234,567", "1234.567"),  # nor does a group have four digits before it
        ("-2,25", "-2.25"),
        ("1.234.567", "1234567"),  # two dots cannot both be decimal points
        ("1.500,5", "1500.5"),
        ("1,234,567", "1234567"),
        ("1,234.5", "1234.5"),
        ("12.75", "12.75"),
        ("7", "7"),
    ],
)
def test_certain_numbers_are_converted(displayed: str, written: str) -> None:
    rows = [["indicator", "value"], ["CT30", displayed]]
    repair = fixed(export(rows, delimiter=";", newline="\n"))
    assert repair.data == canonical([["indicator", "value"], ["CT30", written]])


def test_numerator_and_denominator_columns_are_converted_too() -> None:
    rows = [HEADER, ["CT08", "92,1", "246,0", "267,0", "ghi chú 1,5"]]
    repair = fixed(export(rows, delimiter=";"))
    # Text in the note keeps its comma: only number columns are numbers.
    assert repair.data == canonical([HEADER, ["CT08", "92.1", "246.0", "267.0", "ghi chú 1,5"]])


@pytest.mark.parametrize("delimiter", [";", ","])
def test_1500_with_a_comma_is_refused(delimiter: str) -> None:
    # Nothing settles it: no unit, and the file writes no other decimal.
    rows = [HEADER, ["CT08", "55", "", "", ""], ["CT30", "1,500", "", "", ""]]
    raw = export(rows, delimiter=delimiter)
    repair = fixed(raw)
    assert repair.refused and not repair.changed
    [problem] = repair.problems
    assert problem.code == "fix-ambiguous"
    assert (problem.line, problem.column, problem.severity) == (3, "value", "error")
    assert "one thousand five hundred or one point five" in problem.message("en")
    assert "1500" in problem.hint("en") and "1.5" in problem.hint("en")


def test_1234_with_a_point_is_a_thousand_in_a_file_that_writes_decimal_commas() -> None:
    # Vietnamese Excel wrote "92,1": its points group thousands (issue 22).
    rows = [["indicator", "value"], ["CT08", "92,1"], ["CT30", "1.234"]]
    repair = fixed(export(rows, delimiter=";"))
    assert repair.data == canonical([["indicator", "value"], ["CT08", "92.1"], ["CT30", "1234"]])


def test_1234_with_a_point_is_refused_in_a_file_of_two_minds() -> None:
    rows = [["indicator", "value"], ["CT08", "92,1"], ["CT09", "9.5"], ["CT30", "1.234"]]
    repair = fixed(export(rows, delimiter=";"))
    assert repair.refused
    [problem] = repair.problems
    assert problem.line == 4
    assert "1234" in problem.hint("en") and "1.234" in problem.hint("en")


def test_1234_with_a_point_is_a_decimal_in_a_file_that_writes_decimal_points() -> None:
    raw = canonical([["indicator", "value"], ["CT08", "92.1"], ["CT06", "1.234"]])
    repair = fixed(raw)
    assert not repair.refused and not repair.changed


def test_every_ambiguous_value_is_reported_with_its_physical_line() -> None:
    raw = b'indicator;value;note\n\nCT08;"2,500";"a\nb"\nCT30;1,500;\n'
    repair = fixed(raw)
    assert [(p.line, p.column) for p in repair.problems] == [(3, "value"), (5, "value")]


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "empty-file"),
        (b"\r\n\r\n", "empty-file"),
        (b"a,b\n1,2\n", "fix-no-header"),
        (b"indicator,value\nCT30,\x00\n", "nul-byte"),
        (b'indicator,value\nCT30,"3\nCT34,4\n', "fix-unreadable"),
        # Both readings are odd: a tone mark after a space, and a Vietnamese letter.
        (b"indicator,value,note\nCT30,3, \xec \xe3\n", "fix-unknown-encoding"),
    ],
)
def test_what_cannot_be_repaired_safely_is_left_alone(raw: bytes, code: str) -> None:
    repair = fixed(raw)
    assert repair.refused and not repair.changed
    assert [p.code for p in repair.problems] == [code]
    assert all(p.message("en") and p.hint("vi") for p in repair.problems)


# --- properties -------------------------------------------------------------------------------

_CELL = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
    max_size=8,
).map(lambda s: unicodedata.normalize("NFC", s))
_NOTE = st.sampled_from(["", "Sở Tài chính", "ghi chú, có dấu phẩy", 'nói "có"', "Đắk Lắk"])
_VALUE = st.one_of(
    st.integers(0, 10**6).map(str),
    st.decimals(0, 1000, places=1, allow_nan=False).map(str),
    st.sampled_from(["yes", "no", "có", "không"]),
)


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(_CELL, _VALUE, _NOTE), min_size=1, max_size=6))
def test_canonical_files_are_left_alone_and_exports_come_back(
    rows: list[tuple[str, str, str]],
) -> None:
    table = [
        ["indicator", "value", "note"],
        *([f"CT{i}", v, n] for i, (_, v, n) in enumerate(rows)),
    ]
    table += [[cell.strip() or "x", "1", ""] for cell, _, _ in rows]
    clean = canonical(table)
    assert fixed(clean).data is clean
    displayed = [[row[0], row[1].replace(".", ","), row[2]] for row in table]
    for raw in (
        export(displayed, encoding="windows-1258", delimiter=";")
        if all(_cp1258_safe(c) for row in displayed for c in row)
        else export(displayed, encoding="utf-16-le", delimiter="\t"),
        export(table, bom=True),
    ):
        assert fixed(raw).data == clean


def _cp1258_safe(cell: str) -> bool:
    """Whether a windows-1258 export of `cell` is one a reader can recognise as such.

    Windows-1258 writes tone marks as separate bytes. After a vowel that is Vietnamese; after
    a consonant ("Ĺ" is L and an acute) the same bytes read just as well as windows-1252, and
    no reader can tell which was meant, so such text is exported as UTF-16 instead.
    """
    try:
        text = cp1258(cell).decode("cp1258")
    except UnicodeEncodeError:
        return False
    return all(
        not unicodedata.combining(char) or before.lower() in "aăâeêioôơuưy"
        for before, char in zip(" " + text, text, strict=False)
    )


# --- files and the command --------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "data" / "submissions" / "so-tc").mkdir(parents=True)
    shutil.copy(REPO / "data" / "targets.yaml", root / "data" / "targets.yaml")
    return root


def test_repair_files_writes_atomically_and_only_when_asked(repo: Path) -> None:
    path = repo / "data" / "submissions" / "so-tc" / "2025Q4.csv"
    raw = export(DISPLAYED, encoding="windows-1258", delimiter=";")
    path.write_bytes(raw)
    [checked] = repair_files(repo, [path], write=False)
    assert isinstance(checked, Repair) and checked.changed and not checked.written
    assert path.read_bytes() == raw
    [done] = repair_files(repo, None, write=True)
    assert isinstance(done, Repair) and done.written
    assert done.file == "data/submissions/so-tc/2025Q4.csv"
    assert path.read_bytes() == canonical(CANONICAL)
    assert [p.name for p in path.parent.iterdir()] == ["2025Q4.csv"]  # no temporary left


def test_a_repaired_excel_export_passes_check(repo: Path) -> None:
    from plan57.submissions.rules import check_repository

    path = repo / "data" / "submissions" / "so-tc" / "2025Q4.csv"
    path.write_bytes(export(DISPLAYED, encoding="windows-1258", delimiter=";"))
    before = check_repository(repo, as_of=date(2026, 2, 1), paths=[path]).report
    assert "encoding" in {p.code for p in before.problems}
    repair_files(repo, [path], write=True)
    after = check_repository(repo, as_of=date(2026, 2, 1), paths=[path]).report
    assert [p for p in after.problems if p.file == "data/submissions/so-tc/2025Q4.csv"] == []


def test_links_are_never_followed(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes(b"indicator;value\r\nCT30;3\r\n")
    link = repo / "data" / "submissions" / "so-tc" / "2025Q3.csv"
    os.symlink(outside, link)
    folder_link = repo / "data" / "submissions" / "so-yt"
    os.symlink(tmp_path, folder_link)
    results = repair_files(repo, None, write=True)
    assert all(isinstance(r, Finding) and r.code == "link-refused" for r in results)
    assert {r.file for r in results if isinstance(r, Finding)} == {
        "data/submissions/so-tc/2025Q3.csv",
        "data/submissions/so-yt",
    }
    assert outside.read_bytes() == b"indicator;value\r\nCT30;3\r\n"


def test_paths_outside_the_repository_are_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_bytes(b"indicator;value\r\nCT30;3\r\n")
    with pytest.raises(UsageError) as error:
        repair_files(repo, [outside], write=True)
    assert error.value.code == "path-outside"
    assert outside.read_bytes() == b"indicator;value\r\nCT30;3\r\n"


def _run(repo: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--root", str(repo), "fix", "--lang", "en", *args])
    return result.exit_code, result.output


def test_fix_command_check_mode_and_exit_codes(repo: Path) -> None:
    folder = repo / "data" / "submissions" / "so-tc"
    messy = folder / "2025Q4.csv"
    messy.write_bytes(export(DISPLAYED, encoding="windows-1258", delimiter=";"))
    clean = folder / "2025Q3.csv"
    clean.write_bytes(canonical(CANONICAL))
    before = messy.read_bytes()

    status, output = _run(repo, "--check", str(folder))
    assert status == 1
    assert "would fix" in output and "2025Q4.csv" in output and "windows-1258" in output
    assert messy.read_bytes() == before

    status, output = _run(repo, str(messy), str(clean))
    assert status == 0
    assert "1 file fixed, 1 already canonical" in output
    assert messy.read_bytes() == canonical(CANONICAL)

    assert _run(repo, "--check")[0] == 0


def test_fix_command_refuses_ambiguous_values_with_the_line(repo: Path) -> None:
    path = repo / "data" / "submissions" / "so-tc" / "2025Q4.csv"
    # A count: "1,500" can only be 1500, but "1,000" may be a thousand or one.
    raw = export([["indicator", "value"], ["CT30", "1,000"]], delimiter=";")
    path.write_bytes(raw)
    status, output = _run(repo, str(path))
    assert status == 1
    assert "left unchanged" in output and "line 2" in output
    assert "one thousand or one" in output
    assert path.read_bytes() == raw


def test_fix_command_outside_the_repository_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "x.csv"
    outside.write_bytes(b"indicator,value\n")
    status, _ = _run(repo, str(outside))
    assert status == 2
