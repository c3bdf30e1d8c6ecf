"""Turning a CSV saved from Excel into the canonical submission form, without changing its meaning.

Canonical: UTF-8 without a byte-order mark, commas between cells, `\\n` line endings and a final
newline, decimal points, no blank rows, no spaces around cells, text in Unicode NFC.

The repair is all or nothing: where one value's meaning is uncertain ("1,500" is 1500 or 1.5)
the file is left as it is, because converting the rest would hide the doubt (once the other
values use decimal points, "1.234" would silently read as one point two three four).
A file that needs no change is left byte for byte as it was, quoting style included.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from plan57.files import Unreadable, read_regular, write_atomic
from plan57.findings import Finding, make_finding, shown
from plan57.formatting import Words
from plan57.grammar import (
    DELIMITERS,
    ENCODING_NAMES,
    Encoding,
    Refused,
    canonical_indicator,
    convention_of,
    convert_number,
    decode,
)
from plan57.messages import Lang, text
from plan57.repository import SUBMISSIONS, holds_submissions, inside, list_files, relative
from plan57.submissions.reading import CELLS, HELPER_COLUMNS, MAX_BYTES, MAX_LINES, line_count

# The submission contract's columns, whose names `fix` writes in lower case.
KNOWN_COLUMNS: frozenset[str] = frozenset((*CELLS, *HELPER_COLUMNS))
NUMERIC_COLUMNS: frozenset[str] = frozenset({"value", "numerator", "denominator"})
_SEP_LINE = re.compile(r"sep=(.)", re.IGNORECASE)


@dataclass(frozen=True)
class Change:
    """One kind of change the repair makes, e.g. `encoding` with `{"encoding": "windows-1258"}`."""

    code: str
    count: int = 1
    params: dict[str, str] = field(default_factory=dict)

    def describe(self, lang: Lang) -> str:
        return text(f"fix.{self.code}", lang, count=self.count, **self.params)


@dataclass(frozen=True)
class Repair:
    """What `fix` does to one file: the new bytes and the changes, or why it refuses."""

    file: str
    original: bytes
    data: bytes | None
    changes: tuple[Change, ...] = ()
    problems: tuple[Finding, ...] = ()
    written: bool = False

    @property
    def refused(self) -> bool:
        return self.data is None

    @property
    def changed(self) -> bool:
        return self.data is not None and self.data != self.original


@dataclass(frozen=True)
class Table:
    """A CSV file read leniently: its rows of cells and the physical line each row starts on."""

    encoding: Encoding
    delimiter: str
    rows: list[list[str]]
    lines: list[int]
    text: str
    sep_line: bool = False

    def header(self) -> list[str]:
        return [_clean(cell).lower() for cell in self.rows[0]] if self.rows else []


# --- reading --------------------------------------------------------------------------------


def read_table(raw: bytes) -> Table:
    """Read a submission CSV however Excel saved it; `Refused` when that cannot be done safely."""
    decoded, encoding = decode(raw)
    lines = line_count(decoded)
    if lines > MAX_LINES:
        raise Refused("too-many-rows", lines=lines, limit=MAX_LINES)
    unified = decoded.replace("\r\n", "\n").replace("\r", "\n")
    first, _, rest = unified.partition("\n")
    skip = 0
    delimiter: str | None = None
    # Excel keeps a `sep=;` line when the workbook was opened from a file that had one.
    if (match := _SEP_LINE.fullmatch(first.strip())) and match.group(1) in DELIMITERS:
        delimiter, skip, unified = match.group(1), 1, rest
    header = next((line for line in unified.split("\n") if line.strip()), None)
    if header is None:
        raise Refused("empty-file")
    if delimiter is None:
        delimiter = _delimiter(header)
    reader = csv.reader(io.StringIO(unified), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    starts: list[int] = []
    consumed = 0
    try:
        for row in reader:
            rows.append(row)
            starts.append(consumed + 1 + skip)
            consumed = reader.line_num
    except csv.Error as exc:
        # An unbalanced quote would fold the rows after it into one cell: refuse, lose nothing.
        raise Refused("fix-unreadable", line=consumed + 1 + skip) from exc
    return Table(encoding, delimiter, rows, starts, decoded, sep_line=skip == 1)


def _delimiter(header: str) -> str:
    candidates = []
    for delimiter in DELIMITERS:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        if "indicator" in {_clean(cell).lower() for cell in cells}:
            candidates.append((len(cells), -DELIMITERS.index(delimiter), delimiter))
    if not candidates:
        raise Refused("fix-no-header")
    # The delimiter that splits the header into the most cells is the one it was written with.
    return max(candidates)[2]


def _clean(cell: str) -> str:
    return unicodedata.normalize("NFC", cell).strip()


# --- the repair ------------------------------------------------------------------------------


def repair_bytes(raw: bytes, *, file: str, units: Mapping[str, str] | None = None) -> Repair:
    """The canonical form of one submission file's bytes, or why it cannot be made safely.

    `units` (indicator id → unit, from the catalogue) lets a percent sign on a percentage
    be dropped; without it, "85%" is left for `check` to report.
    """
    try:
        table = read_table(raw)
    except Refused as refused:
        finding = make_finding(refused.code, file=file, **refused.params)
        return Repair(file=file, original=raw, data=None, problems=(finding,))
    changes = _format_changes(table)
    rows, lines, blank = _drop_blank(table.rows, table.lines)
    if blank:
        changes.append(Change("blank-rows", blank))
    header = [_clean(cell) for cell in rows[0]]
    header = [name.lower() if name.lower() in KNOWN_COLUMNS else name for name in header]
    if header != rows[0]:
        changes.append(Change("header"))
    rows, dropped = _drop_empty_columns([header, *rows[1:]])
    if dropped:
        changes.append(Change("empty-columns", dropped))
    unnamed = _unnamed_content(rows, lines, file)
    if unnamed:
        # `check` refuses it too: a figure under no name is never dropped, nor guessed at.
        return Repair(file=file, original=raw, data=None, problems=tuple(unnamed))
    rows, cell_changes = _clean_cells(rows)
    changes.extend(cell_changes)

    changes.extend(_indicator_ids(rows))
    numeric = {index for index, name in enumerate(rows[0]) if name in NUMERIC_COLUMNS}
    problems, conversions = _numbers(rows, lines, numeric, units or {}, file=file)
    if problems:
        return Repair(file=file, original=raw, data=None, problems=tuple(problems))
    changes.extend(conversions)
    # Line endings alone are no fault: `check` reads CRLF, and a clone with core.autocrlf
    # (Git for Windows' default) writes every file so; .gitattributes keeps the commits LF.
    if all(change.code == "line-endings" for change in changes):
        return Repair(file=file, original=raw, data=raw)
    data = _write(rows)
    if _records(data) != len(rows):
        raise AssertionError("plan57 fix would lose a row")  # a bug, never the user's doing
    return Repair(file=file, original=raw, data=data, changes=tuple(changes))


def _format_changes(table: Table) -> list[Change]:
    changes: list[Change] = []
    if table.encoding == "utf-8-sig":
        changes.append(Change("bom"))
    elif table.encoding != "utf-8":
        changes.append(Change("encoding", params={"encoding": ENCODING_NAMES[table.encoding]}))
    if table.delimiter != ",":
        changes.append(Change("delimiter", params={"delimiter": _DELIMITER_NAMES[table.delimiter]}))
    if table.sep_line:
        changes.append(Change("sep-line"))
    if "\r" in table.text:
        changes.append(Change("line-endings"))
    if not table.text.endswith(("\n", "\r")):
        changes.append(Change("final-newline"))
    return changes


_DELIMITER_NAMES = {";": ";", "\t": "tab", ",": ","}


def _drop_blank(rows: list[list[str]], lines: list[int]) -> tuple[list[list[str]], list[int], int]:
    kept = [(row, n) for row, n in zip(rows, lines, strict=True) if any(c.strip() for c in row)]
    return [row for row, _ in kept], [n for _, n in kept], len(rows) - len(kept)


def _drop_empty_columns(rows: list[list[str]]) -> tuple[list[list[str]], int]:
    """Drop columns that have neither a name nor any content (Excel leaves them at the right)."""
    header = rows[0]
    width = max(len(row) for row in rows)
    empty = {
        index
        for index in range(width)
        if (index >= len(header) or not header[index])
        and all(index >= len(row) or not row[index].strip() for row in rows)
    }
    if not empty:
        return rows, 0
    return [[cell for i, cell in enumerate(row) if i not in empty] for row in rows], len(empty)


def _unnamed_content(rows: list[list[str]], lines: list[int], file: str) -> list[Finding]:
    """Cells with content under a column that has no name (what is left after the empty
    ones are dropped), as `check` reports them."""
    unnamed = [at for at, name in enumerate(rows[0]) if not name]
    return [
        make_finding(
            "unnamed-column",
            file=file,
            line=line,
            column=str(at + 1),
            position=at + 1,
            value=shown(row[at]),
        )
        for row, line in zip(rows[1:], lines[1:], strict=False)
        for at in unnamed
        if at < len(row) and row[at].strip()
    ]


def _clean_cells(rows: list[list[str]]) -> tuple[list[list[str]], list[Change]]:
    nfc = spaces = 0
    cleaned = [rows[0]]
    for row in rows[1:]:
        out = []
        for cell in row:
            composed = unicodedata.normalize("NFC", cell)
            stripped = composed.strip()
            nfc += composed != cell
            spaces += stripped != composed
            out.append(stripped)
        cleaned.append(out)
    changes = [Change(code, n) for code, n in (("nfc", nfc), ("spaces", spaces)) if n]
    return cleaned, changes


def _numbers(
    rows: list[list[str]],
    lines: list[int],
    numeric: set[int],
    units: Mapping[str, str],
    *,
    file: str,
) -> tuple[list[Finding], list[Change]]:
    """Convert what the grammar finds certain in place; find what is uncertain."""
    at = rows[0].index("indicator") if "indicator" in rows[0] else None

    def unit(row: list[str], column: int) -> str | None:
        # The unit bounds the value; a numerator or a denominator is a count of its own.
        if at is None or at >= len(row) or rows[0][column] != "value":
            return None
        return units.get(row[at])

    filled = [
        (r, c)
        for r in range(1, len(rows))
        for c in sorted(numeric)
        if c < len(rows[r]) and rows[r][c]
    ]
    convention = convention_of(rows[r][c] for r, c in filled)
    cells = [(r, c, convert_number(rows[r][c], unit(rows[r], c), convention)) for r, c in filled]
    problems: list[Finding] = []
    counts: dict[str, int] = {}
    for r, c, number in cells:
        # "1.234" beside "87,5" and "87.5" alike: the file itself is of two minds.
        if number.ambiguous or (number.three_decimals and convention == "mixed"):
            first, second = number.readings
            problems.append(
                make_finding(
                    "fix-ambiguous",
                    file=file,
                    line=lines[r],
                    column=rows[0][c],
                    value=rows[r][c],
                    first=first,
                    second=second,
                    first_words=Words(first),
                    second_words=Words(second),
                )
            )
        elif number.changes:
            for change in number.changes:
                counts[change] = counts.get(change, 0) + 1
            rows[r][c] = number.canonical
    return problems, [Change(code, n) for code, n in counts.items()]


def _indicator_ids(rows: list[list[str]]) -> list[Change]:
    """Indicator ids in the catalogue's spelling ("ct05" → "CT05"), in place."""
    if "indicator" not in rows[0]:
        return []
    at = rows[0].index("indicator")
    count = 0
    for row in rows[1:]:
        if at < len(row) and (fixed := canonical_indicator(row[at])) != row[at]:
            row[at] = fixed
            count += 1
    return [Change("indicator-case", count)] if count else []


def _write(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _records(data: bytes) -> int:
    return sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


# --- files -----------------------------------------------------------------------------------


def submission_files(root: Path, paths: Iterable[Path]) -> Iterator[Path | Finding]:
    """The files named, and the CSV files under the folders named, never through a link.

    What the walk refuses (a link, a folder too deep or unreadable) yields a finding instead of
    a path; a path outside the repository raises `UsageError`.
    """
    starts = [inside(root, given) for given in paths]
    starts = [root / SUBMISSIONS if holds_submissions(root, s) else s for s in starts]
    listing = list_files(root, starts)
    named = set(starts)
    for refusal in listing.refused:
        yield make_finding(refusal.code, file=display_name(root, refusal.path), **refusal.params)
    for path in listing.files:
        # In a folder only the CSV files are submissions; a FIFO is reported, never opened.
        if path in named or path.name.lower().endswith(".csv") or not path.is_file():
            yield path


def display_name(root: Path, path: Path) -> str:
    """`path` relative to the root, as findings name files; the link itself, not its target."""
    return relative(root.resolve(), path.parent.resolve() / path.name)


def repair_files(
    root: Path, paths: list[Path] | None = None, *, write: bool
) -> list[Repair | Finding]:
    """Repair each file (every submission when `paths` is None); write only when `write`."""
    results: list[Repair | Finding] = []
    targets = [root / SUBMISSIONS] if paths is None else paths
    units = _units(root)
    for item in submission_files(root, targets):
        if isinstance(item, Finding):
            results.append(item)
            continue
        name = display_name(root, item)
        try:
            raw = read_regular(item, MAX_BYTES)
        except Unreadable as refused:
            results.append(make_finding(refused.code, file=name, **refused.params))
            continue
        repair = repair_bytes(raw, file=name, units=units)
        if write and repair.changed and repair.data is not None:
            write_atomic(item, repair.data)
            repair = replace(repair, written=True)
        results.append(repair)
    return results


def _units(root: Path) -> dict[str, str]:
    """Each indicator's unit, from the catalogue; nothing when it cannot be read (then `fix`
    leaves percent signs for `check` to report, and `check` reports the catalogue)."""
    from plan57.catalogue.loading import load_catalogue
    from plan57.errors import CatalogueError
    from plan57.repository import CATALOGUE

    try:
        catalogue = load_catalogue(root / CATALOGUE)
    except CatalogueError:
        return {}
    return {indicator.id: indicator.unit for indicator in catalogue.indicators}
