"""Cells that plan57 writes into CSV files people open in Excel or LibreOffice.

Every CSV writer (the `template` form, `score --format csv`) passes its text cells through
`neutralise`, so that text that came from a submission or the catalogue cannot run as a formula
when the file is opened (CSV injection), and writes rows with `CsvWriter`, so that no cell can
break out of its row. Numbers plan57 formats itself are written as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

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
