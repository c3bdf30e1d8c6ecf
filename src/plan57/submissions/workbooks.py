"""Excel workbooks: the form a reporter fills in Excel, and reading a filled one back as CSV.

The workbook form has the same rows as the CSV form (`forms.form_rows`), with input rules on
the cells to fill, every other cell locked, and the reporter, period and catalogue revision on
a hidden sheet, so that `import` needs no flags. Reading a workbook turns each cell into the
text the submission contract reads; text typed into a figure cell goes through
`read_cell_text`, the one place where this module reads text as a value.

openpyxl is imported inside the functions that need it: `check` and `--help` never load it.
"""

from __future__ import annotations

import hashlib
import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan57.catalogue.models import Catalogue
from plan57.errors import UsageError
from plan57.findings import Finding, make_finding, shown
from plan57.formatting import Words
from plan57.grammar import (
    BOUNDED_UNITS,
    MAX_VALUE,
    NO,
    NUMBER,
    PERCENT_UNITS,
    RATIO_SCALE,
    YES,
    convert_number,
    fraction_band,
)
from plan57.messages import Lang, Message, suggestion, text
from plan57.periods import Period, parse_period
from plan57.progress import Progress, silent
from plan57.repository import first_link, relative, submission_path
from plan57.spreadsheet import CsvWriter, WorkbookTooLarge, check_unpacked, sheet_rows
from plan57.submissions.forms import Form, FormRow, catalogue_reference, day_due, form_rows
from plan57.submissions.narratives import HEADINGS, PARTS, SUFFIX

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# The hidden sheet that records what the form is for, and the format of what it records.
META_SHEET = "plan57"
META_FORMAT = "plan57-workbook/1"
# Where the form's table starts: a title, a line of instructions, human labels, then the
# header with the contract's column names, then one row per indicator.
TITLE_ROW, INSTRUCTIONS_ROW, LABEL_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_ROW = HEADER_ROW + 1
# The narrative sheet's first part; the parts follow in the order of `narratives.PARTS`.
NARRATIVE_ROW = 4
WORKBOOK_COLUMNS: tuple[str, ...] = (
    "indicator",
    "name",
    "unit",
    "target",
    "value",
    "numerator",
    "denominator",
    "note",
    "source",
)
INPUT_COLUMNS = ("value", "numerator", "denominator", "note", "source")
NUMBER_COLUMNS = ("value", "numerator", "denominator")
# The canonical submission `import` writes: the contract's columns, helpers left out.
SUBMISSION_COLUMNS = ("indicator", "value", "numerator", "denominator", "note", "source")
# Excel refuses a file whose input-message title is longer than this (a repair prompt).
_TITLE_LIMIT = 32
_PROMPT_LIMIT = 255
_WIDTHS = {"indicator": 10, "name": 60, "unit": 26, "target": 18, "note": 30, "source": 24}
_INPUT_FILL = "FFF2CC"
# Columns whose text wraps, and how a row's height follows it: a line of 11-point text per
# column width less a margin (Vietnamese letters with their marks run wider than "0").
_WRAPPED = ("name", "unit", "target")
_WIDTH_MARGIN = 0
_LINE_POINTS = 15.0
_ROW_PADDING = 2.0


def catalogue_revision(raw: bytes) -> str:
    """The catalogue's git blob id (as `git hash-object` gives it): names its revision."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


# --- writing the form ---------------------------------------------------------------------


def build_workbook(
    catalogue: Catalogue, revision: str, reporter: str, period_text: str, *, lang: Lang
) -> Form:
    """The workbook form for `reporter` and `period_text`; bad input raises `UsageError`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    period, rows = form_rows(catalogue, reporter, period_text, lang=lang)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = text("label.workbook-sheet", lang)
    title = text(
        "label.workbook-title",
        lang,
        plan=catalogue.plan.number,
        name=catalogue.entry_name(reporter, lang),
        reporter=reporter,
        period=str(period),
    )
    _put(sheet, TITLE_ROW, 1, title).font = Font(bold=True, size=13)
    # What to do, and everything owed by the same deadline (this file and the others), said in
    # the workbook itself for whoever receives it without running plan57.
    indicators = tuple(row.indicator for row in rows)
    due = day_due(catalogue, reporter, period)
    owed = Form(reporter, period, indicators, b"", **due).owed_that_day(lang)
    instructions = f"{text('label.workbook-instructions', lang)}\n{owed}"
    _put(sheet, INSTRUCTIONS_ROW, 1, instructions).alignment = Alignment(
        wrap_text=True, vertical="top"
    )
    sheet.merge_cells(
        start_row=INSTRUCTIONS_ROW,
        start_column=1,
        end_row=INSTRUCTIONS_ROW,
        end_column=len(WORKBOOK_COLUMNS),
    )
    width = sum(_WIDTHS.get(column, 14) for column in WORKBOOK_COLUMNS)
    lines = sum(math.ceil(len(part) / width) or 1 for part in instructions.split("\n"))
    sheet.row_dimensions[INSTRUCTIONS_ROW].height = _LINE_POINTS * lines + _ROW_PADDING
    for at, column in enumerate(WORKBOOK_COLUMNS, start=1):
        label = _put(sheet, LABEL_ROW, at, text(f"label.workbook-{column}", lang))
        label.font = Font(bold=True)
        label.alignment = Alignment(wrap_text=True, vertical="top")
        _put(sheet, HEADER_ROW, at, column).font = Font(italic=True, color="808080")
        sheet.column_dimensions[get_column_letter(at)].width = _WIDTHS.get(column, 14)
    fill = PatternFill("solid", start_color=_INPUT_FILL, end_color=_INPUT_FILL)
    unlocked = Protection(locked=False)
    for offset, row in enumerate(rows):
        line = FIRST_ROW + offset
        cells = {
            "indicator": row.indicator.id,
            "name": row.name,
            "unit": row.unit,
            "target": row.target,
        }
        for at, column in enumerate(WORKBOOK_COLUMNS, start=1):
            cell = _put(sheet, line, at, cells.get(column, ""))
            cell.alignment = Alignment(wrap_text=column in _WRAPPED, vertical="top")
            if column in INPUT_COLUMNS:
                cell.protection = unlocked
                cell.fill = fill
        sheet.row_dimensions[line].height = _row_height(cells)
        _rules(sheet, line, row, period, lang)
    sheet.row_dimensions[LABEL_ROW].height = 2 * _LINE_POINTS + _ROW_PADDING
    sheet.freeze_panes = f"{get_column_letter(WORKBOOK_COLUMNS.index('value') + 1)}{FIRST_ROW}"
    _print_setup(sheet)
    # Locked cells stay locked and the rest may be filled; formatting columns stays allowed.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    story = book.create_sheet(text("label.workbook-narrative-sheet", lang))
    _narrative_sheet(story, catalogue.entry_name(reporter, lang), period, lang)
    _metadata(book.create_sheet(META_SHEET), reporter, period, revision, story.title)
    buffer = io.BytesIO()
    book.save(buffer)
    return Form(reporter, period, indicators, buffer.getvalue(), **due)


def _put(sheet: Worksheet, row: int, column: int, value: str) -> Any:
    """Write text as text: openpyxl takes a string starting with "=" for a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = _xml_safe(value)
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell


def _row_height(cells: dict[str, str]) -> float:
    """A row's height in points, tall enough for its wrapped names.

    Set explicitly: Excel grows a row to fit wrapped text when it opens the file, but
    LibreOffice keeps the default 15 pt on its first save, and the long names then overlap
    the rows below.
    """
    lines = max(
        math.ceil(len(cells.get(column, "")) / max(_WIDTHS[column] - _WIDTH_MARGIN, 1)) or 1
        for column in _WRAPPED
    )
    return _LINE_POINTS * lines + _ROW_PADDING


def _print_setup(sheet: Worksheet, *, labels: bool = True) -> None:
    """A4 landscape, every column on one page's width, the column labels (`labels`) on every
    page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if labels:
        sheet.print_title_rows = f"{LABEL_ROW}:{HEADER_ROW}"
    sheet.print_options.gridLines = labels
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5


def _xml_safe(value: str) -> str:
    """Text without the control characters XML cannot hold (openpyxl refuses them)."""
    return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 0x20)


def _rules(sheet: Worksheet, line: int, row: FormRow, period: Period, lang: Lang) -> None:
    """The input rules and messages of one indicator's cells to fill."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    unit = row.indicator.unit
    letters = {column: get_column_letter(at) for at, column in enumerate(WORKBOOK_COLUMNS, start=1)}
    value, numerator, denominator = (f"{letters[c]}{line}" for c in NUMBER_COLUMNS)
    hint = text(f"label.workbook-hint-{unit}", lang)
    # A percentage typed as a fraction (0.255 for 25.5%) is refused as `check` refuses it,
    # beside the catalogue's baseline or target; a numerator and denominator confirm it.
    reference, _ = catalogue_reference(row.indicator, period.year)
    band = fraction_band(reference) if unit in PERCENT_UNITS else None
    if band is not None:
        low, high = (f"{bound:.3g}".replace(".", "," if lang == "vi" else ".") for bound in band)
        hint += " " + text("label.workbook-fraction", lang, low=low, high=high)
    prompt = text("label.workbook-prompt", lang, unit=row.unit, target=row.target or "—", hint=hint)
    rules: list[tuple[str, DataValidation]] = []
    if unit == "yes_no":
        answers = ",".join(text(f"label.workbook-{w}", lang) for w in ("yes", "no"))
        rules.append((value, DataValidation(type="list", formula1=f'"{answers}"')))
    elif unit == "count":
        rules.append(
            (value, DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"))
        )
    elif unit == "per_10k":
        rules.append(
            (value, DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"))
        )
    elif band is not None:
        confirmed = f"AND(ISNUMBER({numerator}),ISNUMBER({denominator}))"
        low, high = (f"{bound:.6g}" for bound in band)
        small = f"OR({value}=0,{value}<{low},{value}>{high},{confirmed})"
        formula = f"AND(ISNUMBER({value}),{value}>=0,{value}<=100,{small})"
        rules.append((value, DataValidation(type="custom", formula1=formula)))
    else:
        high = f"{RATIO_SCALE[unit]:g}"
        rules.append(
            (value, DataValidation(type="decimal", operator="between", formula1="0", formula2=high))
        )
    if unit != "yes_no":
        # The numerator may not exceed the denominator (for shares and indexes); both are
        # counts, never negative.
        bounded = unit in BOUNDED_UNITS
        limit = f',OR({denominator}="",{numerator}<={denominator})' if bounded else ""
        rules.append(
            (
                numerator,
                DataValidation(
                    type="custom", formula1=f"AND(ISNUMBER({numerator}),{numerator}>=0{limit})"
                ),
            )
        )
        rules.append(
            (
                denominator,
                DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
            )
        )
    title = f"{row.indicator.id}: {row.name}"[:_TITLE_LIMIT]
    for address, rule in rules:
        rule.allow_blank = True
        rule.showInputMessage = True
        rule.showErrorMessage = True
        rule.promptTitle = title
        rule.prompt = prompt[:_PROMPT_LIMIT]
        rule.errorTitle = text("label.workbook-error-title", lang)[:_TITLE_LIMIT]
        rule.error = prompt[:_PROMPT_LIMIT]
        rule.add(address)
        sheet.add_data_validation(rule)


def _narrative_sheet(sheet: Worksheet, name: str, period: Period, lang: Lang) -> None:
    """The unit's report in words: one cell to fill per part, under its fixed heading."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    title = text("label.workbook-narrative-title", lang, name=name, period=str(period))
    _put(sheet, TITLE_ROW, 1, title).font = Font(bold=True, size=13)
    # The instructions span both columns and wrap, so that the sheet prints one page wide.
    instructions = _put(
        sheet, INSTRUCTIONS_ROW, 1, text("label.workbook-narrative-instructions", lang)
    )
    instructions.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.merge_cells(
        start_row=INSTRUCTIONS_ROW, start_column=1, end_row=INSTRUCTIONS_ROW, end_column=2
    )
    sheet.row_dimensions[INSTRUCTIONS_ROW].height = 32
    fill = PatternFill("solid", start_color=_INPUT_FILL, end_color=_INPUT_FILL)
    for offset, part in enumerate(PARTS):
        line = NARRATIVE_ROW + offset
        _put(sheet, line, 1, HEADINGS[part]).font = Font(bold=True)
        sheet.cell(row=line, column=1).alignment = Alignment(vertical="top", wrap_text=True)
        cell = sheet.cell(row=line, column=2)
        cell.protection = Protection(locked=False)
        cell.fill = fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.row_dimensions[line].height = 150
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    _print_setup(sheet, labels=False)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _metadata(
    sheet: Worksheet, reporter: str, period: Period, revision: str, narrative: str
) -> None:
    for row, (key, value) in enumerate(
        (
            ("format", META_FORMAT),
            ("reporter", reporter),
            ("period", str(period)),
            ("catalogue", revision),
            ("narrative", narrative),
        ),
        start=1,
    ):
        sheet.cell(row=row, column=1, value=key)
        sheet.cell(row=row, column=2, value=value)
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True


# --- reading a filled workbook ------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """A cell's text read as the contract's text, or why it cannot be read."""

    canonical: str | None
    problem: str | None = None  # "import-ambiguous", "import-not-a-number", "import-not-yes-no"
    readings: tuple[str, str] = ("", "")


def read_cell_text(cell: str, unit: str, *, column: str = "value") -> Reading:
    """Text typed into a figure cell ("1,5", "85%", " 12 ", "Có") as the contract writes it.

    The one function through which `import` reads text as a value, numerator or denominator.
    A reading is taken only where it is certain, with the grammar `fix` uses for separators
    (a decimal comma is certain in "1,5"; "1,500" may be 1500 or 1.5) and the grammar `check`
    uses for the result (its number pattern, its yes/no words), so that whatever `import`
    writes, `check` reads the same way. A percent sign is dropped on a percent indicator's
    value only.
    """
    cleaned = unicodedata.normalize("NFC", cell).replace("\u00a0", " ").strip()
    if column == "value" and unit == "yes_no":
        known = cleaned.lower() in YES | NO
        return Reading(cleaned) if known else Reading(None, "import-not-yes-no")
    # A percent sign is the value's unit; on a numerator or denominator it is a mistake.
    number = convert_number(cleaned, unit if column == "value" else None)
    # "1.234" typed as text in a Vietnamese workbook may well mean 1234: asked, never guessed.
    if number.ambiguous or number.three_decimals:
        return Reading(None, "import-ambiguous", number.readings)
    if NUMBER.fullmatch(number.canonical):
        return Reading(number.canonical)
    return Reading(None, "import-not-a-number")


@dataclass
class ImportResult:
    """What became of one workbook: the submission written, or the problems that stopped it."""

    workbook: str
    reporter: str | None = None
    period: str | None = None
    output: str | None = None
    rows: int = 0
    # The unit's narrative written beside the CSV (`<period>.md`), when the workbook had one.
    narrative: str | None = None
    left_out: list[str] = field(default_factory=list)
    # Rows kept with no figure but a note: explained gaps (`obligations.Gap`).
    gaps: list[str] = field(default_factory=list)
    # Where the submission belongs, when `output` lies outside the repository (--out).
    outside: str | None = None
    problems: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportOptions:
    reporter: str | None = None
    period: str | None = None
    out: Path | None = None
    force: bool = False


def import_workbooks(
    root: Path,
    catalogue: Catalogue,
    workbooks: Sequence[Path],
    options: ImportOptions,
    *,
    lang: Lang,
    progress: Progress = silent,
) -> list[ImportResult]:
    """Turn each workbook into its canonical submission CSV, written atomically.

    Each workbook is reported on its own: one that fails does not stop the others.
    `progress` is called before each workbook is read, and once at the end.
    """
    if options.out is not None and len(workbooks) > 1:
        raise UsageError("import-one-out")
    results: list[ImportResult] = []
    written: dict[str, str] = {}  # a submission written in this batch: the workbook it came from
    for done, path in enumerate(workbooks):
        progress(done, len(workbooks), _display(root, path))
        results.append(_import_one(root, catalogue, path, options, lang, written))
    progress(len(workbooks), len(workbooks), "")
    return results


def _import_one(
    root: Path,
    catalogue: Catalogue,
    path: Path,
    options: ImportOptions,
    lang: Lang,
    written: dict[str, str],
) -> ImportResult:
    from plan57.files import write_atomic

    name = _display(root, path)
    result = ImportResult(workbook=name)

    def refuse(code: str, **params: Any) -> ImportResult:
        result.problems.append(make_finding(code, file=name, **params))
        return result

    suffix = path.suffix.lower()
    if suffix == ".csv":
        return refuse("import-csv")
    if suffix in (".xls", ".ods"):
        return refuse("import-format", kind=suffix)
    if not (path.is_file() or path.is_symlink()):
        return refuse("import-missing")
    try:
        read = _read(path)
    except WorkbookTooLarge as exc:
        return refuse("import-unreadable", reason=Message(exc.key, exc.params))
    except Exception as exc:
        # openpyxl and the XML parser raise many kinds of error on a damaged or hostile file;
        # a broken workbook is that workbook's problem, and the rest of a batch goes on.
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return refuse("import-unreadable", reason=shown(reason or type(exc).__name__))
    recorded, table, narrative = read
    reporter, period = _target(recorded, options, refuse)
    if reporter is None or period is None:
        return result
    if not catalogue.is_reporter(reporter):
        close = suggestion(reporter, catalogue.reporter_ids(), aliases=catalogue.name_aliases())
        return refuse("import-unknown-reporter", reporter=reporter, suggestion=close)
    result.reporter, result.period = reporter, str(period)
    if table is None:
        return refuse("import-no-header")
    rows = _rows(table, catalogue, name, lang, result)
    if result.problems:
        return result
    if not rows:
        return refuse("import-empty")
    output = options.out or root / submission_path(reporter, period)
    result.output = _display(root, output)
    if result.output == str(output) and output.is_absolute():
        result.outside = submission_path(reporter, period)
    # Nothing is written through a link anywhere on the way (a linked data/submissions, or
    # reporter folder), as nothing is read through one: the walk's own rule.
    link = first_link(root, output) if options.out is None else None
    if link is not None:
        result.problems.append(make_finding("link-refused", file=relative(root, link)))
        return result
    if result.output in written:
        # --force replaces what was there before the batch, never a sibling of the batch.
        return refuse("import-same-target", path=result.output, other=written[result.output])
    if (output.exists() or output.is_symlink()) and not options.force:
        return refuse("import-exists", path=result.output)
    story = output.with_suffix(SUFFIX)
    if narrative:
        if story.is_symlink() and options.out is None:
            result.problems.append(make_finding("link-refused", file=_display(root, story)))
            return result
        if (story.exists() or story.is_symlink()) and not options.force:
            return refuse("import-exists", path=_display(root, story))
    write_atomic(output, _csv(rows))
    written[result.output] = name
    result.rows = len(rows) - len(result.gaps)  # figures; the explained gaps are said apart
    if narrative:
        write_atomic(story, narrative.encode("utf-8"))
        result.narrative = _display(root, story)
    return result


def _display(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _read(path: Path) -> tuple[dict[str, str], _Table | None, str]:
    """What the workbook records, its table of figures (None: no header row found) and the
    unit's narrative as the `<period>.md` it becomes ("" when none was written).

    The workbook is read twice only when a sheet holds a formula: once for the values
    saved with it, once for the formulas (whose cells have no value when none was saved).
    """
    import warnings

    from openpyxl import load_workbook

    check_unpacked(path)
    with warnings.catch_warnings():
        # openpyxl warns about features it does not read (extensions, print settings).
        warnings.simplefilter("ignore")
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = (
            load_workbook(path, read_only=True, data_only=False) if _has_formulas(path) else None
        )
        try:
            recorded = _recorded(values)
            return recorded, _find_table(values, formulas), _narrative(values, recorded)
        finally:
            values.close()
            if formulas is not None:
                formulas.close()


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (an <f> element)."""
    import re
    import zipfile

    element = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[\s>/]")
    with zipfile.ZipFile(path) as archive:
        sheets = (
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )
        return any(element.search(archive.read(name)) for name in sheets)


def _recorded(values: Any) -> dict[str, str]:
    """What the hidden sheet records (reporter, period, catalogue), if the workbook has one."""
    if META_SHEET not in values.sheetnames:
        return {}
    found: dict[str, str] = {}
    for row in values[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if len(row) == 2 and isinstance(row[0], str) and row[1] is not None:
            found[row[0]] = str(row[1]).strip()
    return found if found.get("format") == META_FORMAT else {}


def _narrative(values: Any, recorded: dict[str, str]) -> str:
    """The narrative sheet's parts as a `<period>.md` (`submissions.narratives`), each under
    its heading; "" when every part is empty. A part left empty says so ("Không có")."""
    title = recorded.get("narrative")
    if not title or title not in values.sheetnames:
        return ""
    sheet = values[title]
    rows = sheet.iter_rows(
        min_row=NARRATIVE_ROW, max_row=NARRATIVE_ROW + len(PARTS) - 1, max_col=2, values_only=True
    )
    texts = [_plain_text(row[1] if len(row) > 1 else None).strip() for row in rows]
    texts += [""] * (len(PARTS) - len(texts))
    if not any(texts):
        return ""
    parts = [
        f"## {HEADINGS[part]}\n{_points(body) or _NOTHING}\n"
        for part, body in zip(PARTS, texts, strict=True)
    ]
    return "\n".join(parts)


def _points(body: str) -> str:
    """A cell's lines as the file's list items (one point a line), a single line as it is."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if len(lines) < 2:
        return "\n".join(lines)
    return "\n".join(
        line if line.startswith(("-", "*", "+", "•")) else f"- {line}" for line in lines
    )


# What an empty part of a workbook's narrative says in its file, so that `check` finds all three.
_NOTHING = "Không có."


def _target(
    recorded: dict[str, str], options: ImportOptions, refuse: Any
) -> tuple[str | None, Period | None]:
    """The reporter and period: the options', or the workbook's own; a conflict is refused."""
    reporter = (options.reporter or recorded.get("reporter") or "").strip()
    period_text = (options.period or recorded.get("period") or "").strip()
    if not reporter or not period_text:
        refuse("import-no-reporter")
        return None, None
    if recorded and not options.force:
        given = (options.reporter or recorded["reporter"], options.period or recorded["period"])
        if given != (recorded.get("reporter"), recorded.get("period")):
            refuse(
                "import-mismatch",
                recorded=f"{recorded.get('reporter')} {recorded.get('period')}",
                given=f"{given[0]} {given[1]}",
            )
            return None, None
    period = parse_period(period_text)
    if period is None:
        refuse("import-bad-period", period=shown(period_text))
        return reporter, None
    return reporter, period


@dataclass(frozen=True)
class _Table:
    sheet: str
    header_row: int
    columns: dict[str, int]  # contract column → 0-based position
    values: list[tuple[Any, ...]]  # rows after the header
    formulas: list[tuple[Any, ...]]
    number_formats: list[tuple[str, ...]]


def _find_table(values: Any, formulas: Any) -> _Table | None:
    """The first visible sheet with a header row naming `indicator` and `value`."""
    for title in values.sheetnames:
        if title == META_SHEET:
            continue
        sheet = values[title]
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        rows = sheet_rows(sheet)
        headers = [index for index, row in enumerate(rows[:30]) if _is_header(row)]
        # Human labels above the header may name the columns too ("Indicator", "Value"): the
        # header is the last of such rows in a run.
        for index in headers:
            if index + 1 in headers:
                continue
            row = rows[index]
            names = [str(c.value).strip().lower() if c.value is not None else "" for c in row]
            columns = {n: at for at, n in enumerate(names) if n in SUBMISSION_COLUMNS}
            after = rows[index + 1 :]
            formula_rows = (
                sheet_rows(formulas[title], values_only=True, min_row=index + 2)
                if formulas is not None
                else []
            )
            return _Table(
                sheet=title,
                header_row=index + 1,
                columns=columns,
                values=[tuple(c.value for c in r) for r in after],
                formulas=formula_rows,
                number_formats=[tuple(_format_of(c) for c in r) for r in after],
            )
    return None


def _is_header(row: Sequence[Any]) -> bool:
    names = {str(c.value).strip().lower() for c in row if c.value is not None}
    return "indicator" in names and "value" in names


def _format_of(cell: Any) -> str:
    found = getattr(cell, "number_format", None)
    return found if isinstance(found, str) else "General"


def _rows(
    table: _Table, catalogue: Catalogue, name: str, lang: Lang, result: ImportResult
) -> list[dict[str, str]]:
    """The rows with a value, as the contract's text cells; problems go into `result`."""
    from openpyxl.utils import get_column_letter

    kept: list[dict[str, str]] = []
    for offset, row in enumerate(table.values):
        line = table.header_row + 1 + offset
        formula_row = table.formulas[offset] if offset < len(table.formulas) else ()
        formats = table.number_formats[offset]
        raw_indicator = _cell(row, table.columns.get("indicator"))
        indicator = _plain_text(raw_indicator)
        found = catalogue.indicator(indicator)
        unit = found.unit if found is not None else ""
        cells: dict[str, str] = {"indicator": indicator}
        for column in SUBMISSION_COLUMNS[1:]:
            at = table.columns.get(column)
            if at is None:
                cells[column] = ""
                continue
            address = f"{_quoted(table.sheet)}!{get_column_letter(at + 1)}{line}"
            value = _cell(row, at)
            formula = _cell(formula_row, at)

            def refuse(code: str, address: str = address, line: int = line, **params: Any) -> None:
                result.problems.append(
                    make_finding(code, file=name, line=line, column=address, **params)
                )

            if value is None and isinstance(formula, str) and formula.startswith("="):
                refuse("import-formula", cell=address, formula=shown(formula))
                cells[column] = ""
                continue
            fmt = formats[at] if at < len(formats) else "General"
            cells[column] = _cell_text(value, column, unit, fmt, address, refuse, lang)
        if not any(cells.values()):
            continue
        if not any(cells[c] for c in NUMBER_COLUMNS):
            # "Chưa có số liệu, sẽ bổ sung quý sau": the reason reaches status and the report.
            if indicator and cells.get("note"):
                result.gaps.append(indicator)
                kept.append(cells)
            elif indicator:
                result.left_out.append(indicator)
            continue
        kept.append(cells)
    return kept


def _quoted(sheet: str) -> str:
    """A sheet name as a cell address writes it ('Số liệu'!E5, Sheet1!D7)."""
    return sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"


def _cell(row: Sequence[Any], at: int | None) -> Any:
    return row[at] if at is not None and at < len(row) else None


def _plain_text(value: Any) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").strip()


def _cell_text(
    value: Any, column: str, unit: str, fmt: str, address: str, refuse: Any, lang: Lang
) -> str:
    """One cell as the contract's text; a cell that cannot be read is refused (and "")."""
    if value is None:
        return ""
    if column not in NUMBER_COLUMNS:
        if isinstance(value, (datetime, date, time)):
            return value.isoformat()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _decimal_text(value)
        return _plain_text(value)
    if isinstance(value, bool) and unit == "yes_no" and column == "value":
        return text(f"label.workbook-{'yes' if value else 'no'}", lang)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and unit != "yes_no":
        # A cell formatted as a percentage holds 0.85 for what it shows as 85%.
        percent = column == "value" and unit in PERCENT_UNITS and "%" in fmt
        scale = int(RATIO_SCALE[unit]) if percent else 1
        if not abs(value * scale) <= MAX_VALUE:  # NaN and infinities too
            refuse("value-too-large", value=shown(repr(value)), limit="10¹²")
            return ""
        return _decimal_text(value, scale)
    typed = value.isoformat() if isinstance(value, (datetime, date, time)) else _plain_text(value)
    if not typed:
        return ""
    reading = read_cell_text(typed, unit, column=column)
    if reading.canonical is not None:
        return reading.canonical
    assert reading.problem is not None
    first, second = reading.readings
    refuse(
        reading.problem,
        cell=address,
        value=shown(typed),
        first=first,
        second=second,
        first_words=Words(first),
        second_words=Words(second),
    )
    return ""


def _decimal_text(value: float, scale: int = 1) -> str:
    """A number as the contract writes it: plain decimals, no exponent, no float noise."""
    try:
        number = Decimal(repr(value)) * scale
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def _csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(SUBMISSION_COLUMNS)
    for row in rows:
        # Canonical data, as a CSV sent by hand would hold it: formula safety belongs to what
        # plan57 writes for spreadsheets (the template, the open data), never to a note here.
        writer.writerow([row[c] for c in SUBMISSION_COLUMNS])
    return buffer.getvalue().encode("utf-8")
