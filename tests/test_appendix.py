"""Reading a plan's appendix: TSV, CSV and .xlsx, and each bad input with its row and column.

tests/data/init/appendix-283.tsv is the seed plan's appendix as its text has it (the heading,
the header repeated at every page break, a group written "IV Phát triển …" in one cell);
appendix-other.csv is a different plan made for the tests (semicolons, one header row,
milestones written "Năm 2025", "Giai đoạn 2026–2030", "Đến năm 2035").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TEST_DATA
from plan57.catalogue.appendix import column_letter, parse_table, read_appendix
from plan57.errors import AppendixError

SEED = TEST_DATA / "init" / "appendix-283.tsv"
OTHER = TEST_DATA / "init" / "appendix-other.csv"
HEADER = [
    [
        "STT",
        "Chỉ tiêu",
        "Mục tiêu theo từng giai đoạn",
        "",
        "Cơ quan chủ trì",
        "Đơn vị chịu trách nhiệm thực hiện",
        "Đơn vị theo dõi, đánh giá",
    ],
    ["", "", "Đến hết năm 2025", "Đến hết năm 2030", "", "", ""],
]
GROUP = ["I", "Hạ tầng", "", "", "", "", ""]
ROW = ["1", "- Tỷ lệ phủ sóng 5G", "≥ 60%", "100%", "UBND tỉnh", "Sở Tài chính", "Sở Nội vụ"]


def test_the_seed_appendix_has_55_indicators_in_five_groups() -> None:
    appendix = read_appendix(SEED)
    assert appendix.milestones == [2025, 2030, 2035, 2040, 2045]
    assert [g.id for g in appendix.groups] == ["I", "II", "III", "IV", "V"]
    assert appendix.groups[3].name == "Phát triển hệ sinh thái đổi mới sáng tạo"
    assert [row.stt for row in appendix.rows] == [str(n) for n in range(1, 56)]
    first = appendix.rows[0]
    assert first.name == "Tỷ lệ phủ sóng 5G trên địa bàn"  # the list dash taken off
    assert {year: cell.text for year, cell in first.targets.items()} == {
        2025: "≥ 60%",
        2030: "100%",
    }
    assert first.targets[2030].column == "D"
    assert "Kế hoạch số 283-KHTU" in appendix.preamble


def test_a_different_appendix_in_csv() -> None:
    appendix = read_appendix(OTHER)
    assert appendix.milestones == [2025, 2030, 2035]
    assert [g.id for g in appendix.groups] == ["I", "II", "III"]
    assert len(appendix.rows) == 8  # the header repeated before row 5 is skipped
    assert appendix.rows[1].targets[2035].text == "Duy trì/nâng cấp"


def test_an_xlsx_sheet_reads_like_its_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in SEED.read_text("utf-8").splitlines():
        sheet.append(line.split("\t"))
    # Excel turns a pasted "100%" into the number 1 shown as a percentage, "6,5" into 6.5.
    sheet["D9"] = 1
    sheet["D9"].number_format = "0%"
    path = tmp_path / "appendix.xlsx"
    book.save(path)
    from_text, from_sheet = read_appendix(SEED), read_appendix(path)
    assert from_sheet.milestones == from_text.milestones
    texts = [{y: c.text for y, c in row.targets.items()} for row in from_sheet.rows]
    assert texts == [{y: c.text for y, c in row.targets.items()} for row in from_text.rows]


def _error(rows: list[list[str]]) -> AppendixError:
    with pytest.raises(AppendixError) as caught:
        parse_table(rows, "appendix.tsv")
    return caught.value


@pytest.mark.parametrize(
    ("rows", "code", "row", "column"),
    [
        ([["Chỉ tiêu", "2025"], ROW], "init-no-header", None, None),
        ([*HEADER, GROUP, ROW, ROW], "init-duplicate-stt", 5, "A"),
        # A target under a header that names no milestone year, or a year beyond the plan's.
        (
            [[*HEADER[0], "Ghi chú"], HEADER[1], GROUP, [*ROW, "≥ 5"]],
            "init-not-milestone",
            4,
            "H",
        ),
        ([HEADER[0], [*HEADER[1][:3], "Năm 2199"], GROUP, ROW], "init-not-milestone", 1, "D"),
        ([*HEADER, GROUP, [*ROW, "", "thừa"]], "init-ragged-row", 4, "I"),
        ([*HEADER, GROUP, ["", "(tiếp)", "", "", "", "", ""]], "init-unknown-row", 4, "A"),
        ([*HEADER, ROW], "init-no-group", 3, "A"),
        ([*HEADER, GROUP], "init-no-rows", None, None),
    ],
)
def test_bad_appendices_name_the_row_and_column(
    rows: list[list[str]], code: str, row: int | None, column: str | None
) -> None:
    error = _error(rows)
    assert error.code == code
    assert error.params.get("row") == row
    assert error.params.get("column") == column
    assert "appendix.tsv" in str(error)


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


def test_a_file_that_is_not_an_appendix(tmp_path: Path) -> None:
    path = tmp_path / "appendix.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(AppendixError) as caught:
        read_appendix(path)
    assert caught.value.code == "init-unreadable"


def test_an_appendix_is_never_read_through_a_link(tmp_path: Path) -> None:
    link = tmp_path / "appendix.csv"
    link.symlink_to(OTHER)
    with pytest.raises(AppendixError) as caught:
        read_appendix(link)
    assert caught.value.code == "init-unreadable"
    assert "link" in str(caught.value)
