"""Reading submission files: from bytes to columns of text cells, with file-level findings.

Every file is read with Python's csv module and all rows go into one list per column (a
pandas frame per file would cost far more than the reading itself). `check` works on the
lists and never imports pandas; the same rows as one frame are built when first asked for.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan57.files import Unreadable, read_regular
from plan57.findings import PER_CODE, Finding, make_finding
from plan57.findings import shown as shown_cell
from plan57.grammar import Refused, legacy_encoding, looks_utf16, mixed_encodings
from plan57.messages import Message
from plan57.periods import Period, parse_period
from plan57.progress import Progress, silent
from plan57.repository import SUBMISSIONS, list_files, relative
from plan57.submissions import narratives

if TYPE_CHECKING:
    import pandas as pd

REQUIRED = ("indicator", "value")
OPTIONAL = ("period", "numerator", "denominator", "note", "source")
# Columns a filled-in `plan57 template` carries to help whoever fills it in; the checker ignores them.
HELPER_COLUMNS = ("name", "unit", "target")
CELLS = (*REQUIRED, *OPTIONAL)
COLUMNS = ("file", "line", *CELLS)
_FILE_NAME = re.compile(r"([^/]+)/([^/]+)\.(csv|md)")
# Spreadsheets people save where a CSV belongs; `plan57 import` turns a workbook into one.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# A submission has one row per indicator it owes (55 at most today), notes may span lines: a
# file longer than this is the wrong file, and is refused whole rather than making a finding
# per row (a million-row paste would otherwise make a million findings).
MAX_LINES = 1_000
# Bytes a submission may have: 55 rows with long notes fit many times over. A larger file is
# refused from its size alone, before a byte of it is read.
MAX_BYTES = 16_000_000

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def line_count(text: str) -> int:
    """The line breaks in `text` (LF, CR or CRLF), as `too-many-rows` counts them: `check` and
    `fix` refuse the same files, before either parses a row."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


@dataclass(frozen=True)
class SubmissionFile:
    path: str
    reporter: str | None
    period: Period | None
    period_text: str


@dataclass(frozen=True)
class NarrativeFile:
    """A unit's narrative (`<reporter>/<period>.md`), decoded; `check` parses it once the file
    passes the rules every submission file meets (reporter, period)."""

    file: SubmissionFile
    text: str


@dataclass
class Submissions:
    """All rows of all files as text, and what was wrong with the files themselves.

    `columns` holds one list per name of `COLUMNS`, a row at the same position in each: the
    file's path, the line (an int) and the stripped, interned cells ("" where a file lacks the
    column).
    """

    files: list[SubmissionFile]
    columns: dict[str, list[Any]]
    findings: list[Finding] = field(default_factory=list)
    narratives: list[NarrativeFile] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.columns["file"])

    @cached_property
    def rows(self) -> pd.DataFrame:
        """The same rows as one frame of text cells (and int lines), built when first asked for.

        The rules of `check` never ask: importing pandas alone costs more than checking a
        province.
        """
        import pandas as pd

        rows = pd.DataFrame(self.columns, columns=list(COLUMNS))
        rows["line"] = rows["line"].astype("int64")
        return rows


def expand_paths(root: Path, given: Sequence[Path]) -> list[Path] | None:
    """The paths the user named, folders expanded; nothing outside the repository. None when
    one of them holds both the catalogue and data/submissions (`check .`, `check data`): that
    asks for everything, and gets exactly what `check` alone gives.

    Refused paths (links, folders too deep) are kept, so that their findings are reported. The
    catalogue may be among them (CI passes every changed file): `check_repository` takes it as
    asking for the catalogue's own findings.
    """
    from plan57.repository import holds_submissions, inside

    starts = [inside(root, path) for path in given]
    if any(holds_submissions(root, start) for start in starts):
        return None
    listing = list_files(root, starts)
    return sorted({*listing.files, *(refusal.path for refusal in listing.refused)})


def read_submissions(
    root: Path,
    paths: Sequence[Path] | None = None,
    *,
    progress: Progress = silent,
) -> Submissions:
    """Read the submissions under `root` (or just `paths`) into columns of text cells."""
    listing = list_files(root, [root / SUBMISSIONS] if paths is None else paths)
    reader = _Reader(root)
    for refusal in listing.refused:
        reader.finding(refusal.code, relative(root, refusal.path), **refusal.params)
    files = listing.files
    prefix = str(root) + os.sep
    for done, path in enumerate(files):
        progress(done, len(files), str(path).removeprefix(prefix))
        reader.read(path)
    progress(len(files), len(files), "")
    return Submissions(
        files=reader.files,
        columns=reader.columns,
        findings=reader.findings,
        narratives=reader.narratives,
    )


@dataclass(frozen=True)
class Stored:
    """A submission file as git stores it: its path (relative to the data repository), and its
    bytes, or the finding code (and parameters) that refuses it unread."""

    path: str
    raw: bytes | None
    refused: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


def read_stored(root: Path, stored: Sequence[Stored]) -> Submissions:
    """The submissions of a commit (`stored`, read from git) into columns of text cells, as
    `read_submissions` reads them from disk: the same names, decoding and findings."""
    reader = _Reader(root)
    for file in stored:
        if file.refused is not None or file.raw is None:
            reader.finding(file.refused or "link-refused", file.path, **file.params)
        else:
            reader.read_bytes(root / file.path, file.path, file.raw)
    return Submissions(
        files=reader.files,
        columns=reader.columns,
        findings=reader.findings,
        narratives=reader.narratives,
    )


class _Reader:
    """Accumulates the rows of many files into column lists."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[SubmissionFile] = []
        self.narratives: list[NarrativeFile] = []
        self.findings: list[Finding] = []
        self.columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
        self._prefix = str(root) + os.sep
        self._inside = str(root / SUBMISSIONS) + os.sep
        self._unnamed: tuple[int, ...] = ()  # the columns without a name, in the file being read

    def finding(self, code: str, file: str, line: int | None = None, **params: Any) -> None:
        self.findings.append(make_finding(code, file=file, line=line, **params))

    def read(self, path: Path) -> None:
        # pathlib's relative_to costs more than reading a small file: compare strings instead.
        name = _under(str(path), self._prefix)
        if not name or not name.isprintable():
            name = relative(self.root, path)
        described = self._describe(path, name)
        if described is None:
            return
        narrative = name.endswith(narratives.SUFFIX)
        try:
            raw = read_regular(path, narratives.MAX_BYTES if narrative else MAX_BYTES)
        except Unreadable as refused:
            self.finding(refused.code, name, **refused.params)
            return
        self._add(described, raw, name)

    def read_bytes(self, path: Path, name: str, raw: bytes) -> None:
        """A file's bytes read elsewhere (from git), at `path` under the repository."""
        described = self._describe(path, name)
        if described is not None:
            self._add(described, raw, name)

    def _add(self, described: SubmissionFile, raw: bytes, name: str) -> None:
        text = self._decode(raw, name)
        if text is None:
            return
        if name.endswith(narratives.SUFFIX):
            if not text.strip():
                self.finding("empty-file", name, line=1)
            else:
                self.narratives.append(NarrativeFile(described, text))
            return
        self.files.append(described)
        self._parse(text, name)

    def _describe(self, path: Path, name: str) -> SubmissionFile | None:
        inner = _under(str(path), self._inside)
        if not inner:
            try:
                inner = path.relative_to(self.root / SUBMISSIONS).as_posix()
            except ValueError:
                inner = path.name
        if inner.lower().endswith(WORKBOOK_SUFFIXES) and inner.isprintable():
            self.finding("workbook", name, command=import_command(name, inner))
            return None
        match = _FILE_NAME.fullmatch(inner)
        # Bytes that are not UTF-8 (os.fsdecode's escapes) or control characters in a name.
        if match is None or not inner.isprintable():
            self.finding("bad-file-name", name)
            return None
        reporter, period_text = match.group(1), match.group(2)
        return SubmissionFile(name, reporter, parse_period(period_text), period_text)

    def _decode(self, raw: bytes, name: str) -> str | None:
        if looks_utf16(raw):
            self.finding("encoding", name, line=1, encoding="UTF-16")
            return None
        if b"\x00" in raw:
            self.finding("nul-byte", name, line=raw.count(b"\n", 0, raw.index(b"\x00")) + 1)
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            # utf-8-sig counts positions after the byte-order mark.
            start = exc.start + (len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0)
            line = raw.count(b"\n", 0, start) + 1
            if exc.reason == "unexpected end of data":
                # Valid UTF-8 up to a character cut in half: an interrupted copy or upload.
                self.finding("truncated", name, line=line)
            else:
                self.finding("encoding", name, line=line, encoding=_legacy_name(raw))
            return None
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        return text

    def _parse(self, text: str, name: str) -> None:
        if not text.strip():
            self.finding("empty-file", name, line=1)
            return
        breaks = line_count(text)
        if breaks > MAX_LINES:
            self.finding("too-many-rows", name, lines=breaks, limit=MAX_LINES)
            return
        # Strict: an unclosed quote would otherwise swallow the rest of the file into one cell.
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = [cell.strip().lower() for cell in next(reader)]
        except csv.Error:
            self.finding("bad-quotes", name, line=1)
            return
        positions = self._header(header, name, text)
        if positions is None:
            return
        width = len(header)
        # Columns without a name: Excel leaves empty ones at the right, which are fine; a
        # figure under one ("1,500" split at its comma) is refused, never left out unseen.
        self._unnamed = tuple(at for at, column in enumerate(header) if not column)
        if '"' not in text and self._parse_plain(reader, name, positions, width):
            return
        # Something in the file needs a look row by row: read it again from the header on.
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        next(reader)
        indicator_at = positions["indicator"]
        previous = reader.line_num
        kept: list[list[str]] = []
        lines: list[int] = []
        while True:
            # The loop runs per row over a whole province: only what each row needs happens here.
            try:
                for row in reader:
                    line = previous + 1
                    previous = reader.line_num
                    if not "".join(row).strip():
                        self.finding("blank-row", name, line=line)
                    elif len(row) != width:
                        self.finding("ragged-row", name, line=line, found=len(row), expected=width)
                    # Two files pasted together: the second header may bring its byte-order mark.
                    elif row[indicator_at].strip().lstrip("\ufeff").lower() == "indicator":
                        self.finding("repeated-header", name, line=line)
                    else:
                        kept.append(row)
                        lines.append(line)
                break
            except csv.Error:
                self.finding("bad-quotes", name, line=previous + 1)
                previous = reader.line_num
        if kept:
            self._keep(name, kept, lines, positions)

    def _parse_plain(
        self, reader: Iterator[list[str]], name: str, positions: dict[str, int], width: int
    ) -> bool:
        """Take a file without quotes in one go, when no row needs a finding; else say no.

        Without quotes every row is one physical line, so line numbers need no counting, and
        the checks for ragged, blank and repeated-header rows run over whole columns.
        """
        try:
            rows = list(reader)
        except csv.Error:
            return False
        if not rows:
            return True
        if {*map(len, rows)} - {width}:
            return False
        at = positions["indicator"]
        indicators = [row[at].strip() for row in rows]
        if "" in indicators and any(not "".join(row).strip() for row in rows):
            return False
        # A header repeated further down (perhaps behind a byte-order mark) is for the slow path.
        if "indicator" in "\n".join(indicators).lower():
            return False
        self._keep(name, rows, range(2, len(rows) + 2), positions)
        return True

    def _keep(
        self,
        name: str,
        rows: list[list[str]],
        lines: Sequence[int],
        positions: dict[str, int],
    ) -> None:
        """Add a file's rows to the columns, cells stripped and shared between equal values.

        Interning makes equal cells one object: a million rows of a few thousand distinct
        values take far less memory, and hashing and comparing them later costs less.
        """
        if self._unnamed:
            rows, lines = self._unnamed_content(name, rows, lines)
            if not rows:
                return
        count = len(rows)
        columns = self.columns
        columns["file"] += [name] * count
        columns["line"] += lines
        cells = list(zip(*rows, strict=True))
        for cell in CELLS:
            at = positions.get(cell)
            columns[cell] += (
                [""] * count if at is None else map(sys.intern, map(str.strip, cells[at]))
            )

    def _unnamed_content(
        self, name: str, rows: list[list[str]], lines: Sequence[int]
    ) -> tuple[list[list[str]], list[int]]:
        """The rows with nothing under a column without a name; the others are refused (a
        finding each), as a ragged row is: never scored on the part that has a name."""
        kept: list[list[str]] = []
        kept_lines: list[int] = []
        for row, line in zip(rows, lines, strict=False):
            unnamed = [at for at in self._unnamed if row[at].strip()]
            for at in unnamed:
                self.finding(
                    "unnamed-column",
                    name,
                    line=line,
                    column=str(at + 1),
                    position=at + 1,
                    value=shown_cell(row[at]),
                )
            if not unnamed:
                kept.append(row)
                kept_lines.append(line)
        return kept, kept_lines

    def _header(self, header: list[str], name: str, text: str) -> dict[str, int] | None:
        if len(header) == 1:
            first_line = text.split("\n", 1)[0]
            for delimiter, shown in ((";", "«;»"), ("\t", "TAB")):
                if delimiter in first_line:
                    self.finding("delimiter", name, line=1, delimiter=shown)
                    return None
        positions: dict[str, int] = {}
        problems = False
        allowed = ", ".join((*CELLS, *HELPER_COLUMNS))
        # A header of a million columns: findings past the cap are only counted, never built.
        counts = {"duplicate-column": 0, "unknown-column": 0}
        for at, column in enumerate(header):
            if column in positions:
                problems = True
                counts["duplicate-column"] += 1
                if counts["duplicate-column"] <= PER_CODE:
                    quoted = shown_cell(column)
                    self.finding("duplicate-column", name, line=1, column=quoted, name=quoted)
            elif column in CELLS:
                positions[column] = at
            elif column and column not in HELPER_COLUMNS:
                counts["unknown-column"] += 1
                if counts["unknown-column"] <= PER_CODE:
                    quoted = shown_cell(column)
                    self.finding(
                        "unknown-column", name, line=1, column=quoted, name=quoted, allowed=allowed
                    )
        for code, count in counts.items():
            if count > PER_CODE:
                self.finding("too-many-findings", name, count=count - PER_CODE, of=code)
        for column in REQUIRED:
            if column not in positions:
                self.finding("missing-column", name, line=1, column=column, name=column)
                problems = True
        return None if problems else positions


def import_command(name: str, inner: str) -> str:
    """The `plan57 import` command that turns the workbook `name` into its submission.

    A workbook at <reporter>/<period>.xlsx says where it belongs; elsewhere the workbook's
    own record (a `plan57 template` form) decides.
    """
    import shlex

    command = f"plan57 import {shlex.quote(name)}"
    parts = inner.split("/")
    if len(parts) == 2:
        stem = parts[1].rsplit(".", 1)[0]
        if parse_period(stem) is not None and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", parts[0]):
            command += f" --reporter {parts[0]} --period {stem}"
    return command


def _under(path: str, prefix: str) -> str:
    """The part of `path` after the folder `prefix` (ending in a separator), or ""."""
    return path[len(prefix) :] if os.sep == "/" and path.startswith(prefix) else ""


def _legacy_name(raw: bytes) -> str | Message:
    """The legacy encoding a file that is not UTF-8 was saved in, as `fix` would read it.

    A byte-order mark followed by legacy bytes (a UTF-8 file edited by an old editor) is
    judged by the bytes after the mark; where the signs conflict, windows-1252 is named, the
    hint (`plan57 fix`, or Save As → CSV UTF-8) being the same.
    """
    if mixed_encodings(raw):  # UTF-8 letters beside bytes that are not: no one encoding
        return Message("label.encoding-mixed")
    try:
        return legacy_encoding(raw.removeprefix(codecs.BOM_UTF8))
    except Refused:
        return "windows-1252"
