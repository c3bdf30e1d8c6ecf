"""Cells that plan57 writes into CSV files people open in Excel or LibreOffice.

Every CSV writer (the `template` form, `score --format csv`) passes its text cells through
`neutralise`, so that text that came from a submission or the catalogue cannot run as a formula
when the file is opened (CSV injection), and writes rows with `CsvWriter`, so that no cell can
break out of its row. Numbers plan57 formats itself are written as they are.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from typing import IO, Any, TextIO

# A cell starting with one of these is read as a formula (or, for tab, CR and LF, has its
# first character dropped and the rest read as one) by Excel, LibreOffice or Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(cell: str) -> str:
    """`cell` as inert text: an apostrophe in front of anything that could start a formula.

    The apostrophe is the spreadsheet's own "this is text" mark: Excel hides it and shows the
    cell as written.
    """
    return "'" + cell if cell.startswith(FORMULA_START) else cell


class CsvWriter:
    """`csv.writer` for files people open, with one fix: a cell holding a lone CR is quoted.

    With "\n" as the line end, Python's writer quotes a cell that holds "\n" but not one that
    holds "\r"; every reader (Excel, Python's own) then ends the row at that CR, and the rest
    of the cell starts a new row, where a neutralised formula is live again. Such a row is
    written with every cell quoted; all other rows are written exactly as `csv.writer` does.
    """

    def __init__(self, stream: TextIO, *, line_end: str = "\n") -> None:
        self._minimal = csv.writer(stream, lineterminator=line_end)
        self._quoted = csv.writer(stream, lineterminator=line_end, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Sequence[str]) -> None:
        (self._quoted if any("\r" in cell for cell in row) else self._minimal).writerow(row)


# --- reading workbooks within bounds -----------------------------------------------------------

# What `import` and `init --appendix` read of a sheet: a submission has a few dozen rows (and
# at most 1,000 lines), the appendix 55 indicators under a heading; the contract has eight
# columns. A sheet claiming cells out to XFD1048576 is read no further than this, so no row is
# padded to 16,384 columns and no million empty rows are made.
MAX_SHEET_ROWS = 1_100
MAX_SHEET_COLUMNS = 64
# What a workbook may unpack to, by its zip entries' declared sizes (which the zip reader holds
# every entry to): a submission's workbook is tens of kilobytes unpacked, so 300 MB of
# whitespace packed into 0.3 MB is refused before any entry is decompressed.
MAX_UNPACKED_BYTES = 32_000_000


class WorkbookTooLarge(ValueError):
    """A workbook beyond the bounds: its entries unpack to too much, or a sheet has content
    past `MAX_SHEET_ROWS` or `MAX_SHEET_COLUMNS` (refused, never silently cut short). `key`
    and `params` word it (a message of `plan57.messages`)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def check_unpacked(source: str | os.PathLike[str] | IO[bytes]) -> None:
    """Refuse a workbook (a path, or a binary file) whose zip entries unpack to too much;
    anything that is not a zip is left for the workbook reader to refuse."""
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            size = sum(entry.file_size for entry in archive.infolist())
    except zipfile.BadZipFile:
        return
    if size > MAX_UNPACKED_BYTES:
        raise WorkbookTooLarge("label.workbook-unpacked", size=size, limit=MAX_UNPACKED_BYTES)


def sheet_rows(sheet: Any, *, values_only: bool = False, min_row: int = 1) -> list[tuple[Any, ...]]:
    """A sheet's rows (from `min_row`) within `MAX_SHEET_ROWS` and `MAX_SHEET_COLUMNS`, never
    padded out to the dimension the sheet claims (XFD1048576 would make rows of 16,384 cells).

    The rest of the sheet is walked only to find content past the bounds, which is refused
    rather than silently left out; its empty rows are one shared tuple, passed at once.
    """
    kept: list[tuple[Any, ...]] = []
    empty: tuple[Any, ...] | None = None
    rows = sheet.iter_rows(
        min_row=min_row, max_row=_EXCEL_ROWS, max_col=MAX_SHEET_COLUMNS + 1, values_only=values_only
    )
    for number, row in enumerate(rows, start=min_row):
        if row is empty:
            continue
        inside = number <= MAX_SHEET_ROWS
        beyond = row[MAX_SHEET_COLUMNS:] if inside else row
        if any(_value(cell, values_only) is not None for cell in beyond):
            raise WorkbookTooLarge(
                "label.sheet-extent",
                sheet=str(getattr(sheet, "title", "")),
                rows=MAX_SHEET_ROWS,
                columns=MAX_SHEET_COLUMNS,
            )
        if inside:
            kept.append(tuple(row[:MAX_SHEET_COLUMNS]))
        elif isinstance(row, tuple):
            empty = row  # the reader's one tuple for every missing row
    return kept


# The rows a sheet can have (Excel's limit): a forged row number further down is not padded to.
_EXCEL_ROWS = 1_048_576


def _value(cell: Any, values_only: bool) -> Any:
    value = cell if values_only else getattr(cell, "value", None)
    return None if value == "" else value
