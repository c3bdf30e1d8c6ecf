"""A plan's appendix of indicators as the secretariat has it: a table copied from the plan.

The table is laid out like every province's action plan for Resolution 57-NQ/TW: STT, the
indicator, one column per milestone ("Đến hết năm 2025", "2030", "Giai đoạn 2026–2030"), the
lead, the units responsible and the monitoring unit; group rows numbered with Roman numerals;
the header repeated at page breaks. It comes as TSV/CSV (copied from the plan's text) or as an
.xlsx sheet (the table pasted into Excel). Anything the reader cannot place stops it with the
row and column (`AppendixError`): nothing is dropped.

Targets are not parsed here: `plan57.catalogue.scaffold` parses them with the catalogue's own grammar
(`Target.parse`), so that what `init` writes is exactly what the catalogue accepts.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from plan57.errors import AppendixError
from plan57.files import Unreadable, read_regular
from plan57.grammar import FIRST_YEAR, LAST_YEAR, Refused, decode

# An appendix is a few hundred rows; one a thousand times larger is not an appendix.
MAX_APPENDIX_BYTES = 16_000_000
# A group row: "I" and its name in the next cell, or both in one cell ("IV Phát triển …").
_ROMAN = re.compile(r"^(?P<id>[IVXLC]+)[.)]?(?:\s+(?P<name>\S.*))?$")
_STT = re.compile(r"^\d{1,3}\.?$")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
# The dash the plan writes before each indicator's name ("- Tỷ lệ …", "-Tỷ lệ …").
_LEADING_DASH = re.compile(r"^[-–—•]\s*")


@dataclass(frozen=True)
class Cell:
    """A cell's text and where it is: a 1-based row of the file and a column letter."""

    text: str
    row: int
    column: str


@dataclass(frozen=True)
class AppendixGroup:
    id: str
    name: str
    row: int


@dataclass(frozen=True)
class AppendixRow:
    """One indicator's row: its cells, targets keyed by milestone year."""

    row: int
    stt: str
    group: str
    name: str
    targets: dict[int, Cell]
    lead: Cell
    responsible: Cell
    monitors: Cell


@dataclass
class Appendix:
    source: str
    milestones: list[int]
    groups: list[AppendixGroup] = field(default_factory=list)
    rows: list[AppendixRow] = field(default_factory=list)
    # The text above the table (the plan's heading names its number, date and issuer).
    preamble: str = ""


def read_appendix(path: Path) -> Appendix:
    """Read the appendix at `path` (.xlsx, or delimited text); `AppendixError` when it cannot."""
    # Read once through the one reader of untrusted files (no link followed, a size bound),
    # whatever the format: a workbook is then opened from these bytes.
    try:
        raw = read_regular(path, MAX_APPENDIX_BYTES)
    except Unreadable as refused:
        reason = refused.params.get("reason") or refused.code
        raise AppendixError("init-unreadable", file=str(path), reason=reason) from None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return parse_table(_xlsx_rows(raw, str(path)), str(path))
    try:
        text, _ = decode(raw)
    except Refused as refused:
        raise AppendixError("init-unreadable", file=str(path), reason=refused.code) from None
    return parse_table(_delimited_rows(text), str(path))


def _delimited_rows(text: str) -> list[list[str]]:
    # The plan's text copied from a word processor is tab-separated; a CSV saved from Excel uses
    # commas or semicolons. The header row (STT …) says which.
    lines = text.splitlines()
    header = next((line for line in lines if line.strip().upper().startswith("STT")), "")
    delimiter = max(("\t", ",", ";"), key=header.count) if header else "\t"
    if delimiter == "\t":
        return [line.split("\t") for line in lines]
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(raw: bytes, source: str) -> list[list[str]]:
    from openpyxl import load_workbook

    from plan57.messages import Message
    from plan57.spreadsheet import WorkbookTooLarge, check_unpacked, sheet_rows

    try:
        check_unpacked(io.BytesIO(raw))
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except WorkbookTooLarge as exc:
        reason = Message(exc.key, exc.params)
        raise AppendixError("init-unreadable", file=source, reason=reason) from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise AppendixError("init-unreadable", file=source, reason=str(exc)) from None
    try:
        # The sheet that holds the table: the first with an STT header, else the first.
        sheets = list(book.worksheets)
        for sheet in sheets:
            rows = [[_excel_text(cell) for cell in row] for row in sheet_rows(sheet)]
            if any(row and row[0].strip().upper() == "STT" for row in rows):
                return rows
        return [[_excel_text(cell) for cell in row] for row in sheet_rows(sheets[0])]
    except WorkbookTooLarge as exc:
        reason = Message(exc.key, exc.params)
        raise AppendixError("init-unreadable", file=source, reason=reason) from None
    finally:
        book.close()


def _excel_text(cell: object) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (int, float)):
        # Excel turns a pasted "100%" into the number 1 shown as a percentage.
        if "%" in str(getattr(cell, "number_format", "")):
            return f"{_plain(value * 100)}%"
        return _plain(value)
    return str(value)


def _plain(number: float) -> str:
    # The plan writes decimal commas ("6,5"); the catalogue's grammar reads them.
    rounded = round(float(number), 9)
    if rounded.is_integer():
        return str(int(rounded))
    return f"{rounded:g}".replace(".", ",")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True)
class _Layout:
    width: int
    stt: int
    name: int
    lead: int
    responsible: int
    monitors: int
    years: dict[int, int]  # column → milestone year
    header_rows: frozenset[tuple[str, ...]]


def parse_table(raw_rows: list[list[str]], source: str) -> Appendix:
    """The appendix in `raw_rows` (cells of a table, row by row)."""
    rows = [[_clean(cell) for cell in row] for row in raw_rows]
    start = next(
        (i for i, row in enumerate(rows) if row and row[0].upper() == "STT"),
        None,
    )
    if start is None:
        raise AppendixError("init-no-header", file=source)
    layout, after = _layout(rows, start, source)
    appendix = Appendix(
        source=source,
        milestones=sorted(set(layout.years.values())),
        preamble="\n".join("\t".join(row) for row in raw_rows[:start]),
    )
    seen: dict[str, int] = {}
    group: AppendixGroup | None = None
    for index in range(after, len(rows)):
        row, number = rows[index], index + 1
        trimmed = _trim(row)
        if not trimmed or tuple(trimmed) in layout.header_rows:
            continue  # a blank row, or the header repeated at a page break
        if trimmed[0].upper() == "STT":
            continue
        extra = next((i for i in range(layout.width, len(row)) if row[i]), None)
        if extra is not None:
            raise AppendixError(
                "init-ragged-row",
                file=source,
                row=number,
                column=column_letter(extra),
                cells=len(trimmed),
                header=layout.width,
            )
        first = _cell(row, layout.stt)
        if roman := _ROMAN.match(first):
            name = roman.group("name") or _cell(row, layout.name)
            group = AppendixGroup(id=roman.group("id"), name=name, row=number)
            if any(g.id == group.id for g in appendix.groups):
                raise AppendixError(
                    "init-duplicate-stt",
                    file=source,
                    row=number,
                    column=column_letter(layout.stt),
                    stt=group.id,
                    first=next(g.row for g in appendix.groups if g.id == group.id),
                )
            appendix.groups.append(group)
            continue
        if not _STT.match(first):
            raise AppendixError(
                "init-unknown-row", file=source, row=number, column=column_letter(layout.stt)
            )
        stt = str(int(first.rstrip(".")))
        if stt in seen:
            raise AppendixError(
                "init-duplicate-stt",
                file=source,
                row=number,
                column=column_letter(layout.stt),
                stt=stt,
                first=seen[stt],
            )
        seen[stt] = number
        if group is None:
            raise AppendixError(
                "init-no-group", file=source, row=number, column=column_letter(layout.stt)
            )
        appendix.rows.append(_indicator_row(row, number, stt, group.id, layout, source))
    if not appendix.rows:
        raise AppendixError("init-no-rows", file=source)
    return appendix


def _indicator_row(
    row: list[str], number: int, stt: str, group: str, layout: _Layout, source: str
) -> AppendixRow:
    for index, text in enumerate(row[: layout.width]):
        known = index in layout.years or index in (
            layout.stt,
            layout.name,
            layout.lead,
            layout.responsible,
            layout.monitors,
        )
        if text and not known:
            raise AppendixError(
                "init-not-milestone",
                file=source,
                row=number,
                column=column_letter(index),
                text=text,
            )

    def cell(index: int) -> Cell:
        return Cell(_cell(row, index), number, column_letter(index))

    name = _LEADING_DASH.sub("", _cell(row, layout.name))
    if not name:
        raise AppendixError(
            "init-missing-cell", file=source, row=number, column=column_letter(layout.name)
        )
    targets = {year: cell(index) for index, year in layout.years.items() if _cell(row, index)}
    return AppendixRow(
        row=number,
        stt=stt,
        group=group,
        name=name,
        targets=targets,
        lead=cell(layout.lead),
        responsible=cell(layout.responsible),
        monitors=cell(layout.monitors),
    )


def _layout(rows: list[list[str]], start: int, source: str) -> tuple[_Layout, int]:
    """The columns' roles from the header rows, and the index of the first row after them."""
    end = start + 1
    # The header runs on while the STT column stays blank (the milestone years' row).
    while end < len(rows) and not _cell(rows[end], 0) and any(rows[end]):
        end += 1
    header = rows[start:end]
    width = max(len(_trim(row)) for row in header)
    texts = [" ".join(_cell(row, col) for row in header).lower() for col in range(width)]
    roles: dict[str, int] = {}
    years: dict[int, int] = {}
    for col, text in enumerate(texts):
        role = _role(text)
        found = _YEAR.findall(text)
        if found and role in (None, "name"):
            year = int(found[-1])  # "Giai đoạn 2026–2030": the period's last year
            if not FIRST_YEAR <= year <= LAST_YEAR or year in years.values():
                raise AppendixError(
                    "init-not-milestone",
                    file=source,
                    row=start + 1,
                    column=column_letter(col),
                    text=text,
                )
            years[col] = year
        elif role is not None and role not in roles:
            roles[role] = col
    needed = ("stt", "name", "lead", "responsible", "monitors")
    missing = [role for role in needed if role not in roles]
    if missing or not years:
        raise AppendixError("init-no-header", file=source)
    layout = _Layout(
        width=width,
        years=years,
        header_rows=frozenset(tuple(_trim(row)) for row in header),
        **{role: roles[role] for role in needed},
    )
    return layout, end


def _role(text: str) -> str | None:
    if text.startswith("stt"):
        return "stt"
    if "theo dõi" in text or "đánh giá" in text:
        return "monitors"
    if "chủ trì" in text:
        return "lead"
    if "trách nhiệm" in text or "thực hiện" in text or "phối hợp" in text:
        return "responsible"
    if "chỉ tiêu" in text and not _YEAR.search(text):
        return "name"
    return None


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def _trim(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]
