"""Completeness and timeliness of one reporting period: who owes what, what came, and when.

What is owed at the period's end and what counts as submitted are decided in
`plan57.submissions.obligations`, as for `score`: a figure counts only when its row passes `check`. In a
git repository it must also be committed by `--as-of`, and its submission time is the
committer date of the first commit whose version of the file has the row with a value (a
squash or rebase merge by the forge sets that date to the moment the change landed). Outside
git, or in a shallow clone whose history is cut off, the files on disk are counted and
timeliness is unknown. Dates are judged in the province's time zone.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from plan57.catalogue.models import Catalogue, Worded
from plan57.errors import UsageError
from plan57.escaping import markdown
from plan57.formatting import Name
from plan57.grammar import Refused
from plan57.messages import Lang, default_lang, period_suggestion, text
from plan57.periods import Period, parse_period, province_day
from plan57.repository import submission_path
from plan57.submissions.obligations import (
    deadline,
    due_at,
    gap_notes,
    periods_ending,
    submitted,
)
from plan57.submissions.repair import read_table

Timeliness = Literal["known", "unknown"]
UnknownReason = Literal["no-git", "shallow"]


class ReporterStatus(Worded):
    """What one reporter owed for the period, what came in, and when; its name in both
    languages, rendered in the one asked for (`name(lang)`, and `name` in the JSON)."""

    WORDS: ClassVar[dict[str, str]] = {"name": "The reporter's name"}

    id: str
    name_vi: str
    name_en: str
    expected: list[str]
    submitted: list[str]
    missing: list[str]
    late: list[str] | None  # None when timeliness is unknown
    rate: float | None
    submitted_at: dict[str, datetime]
    # A missing indicator's explained gap: the note of a row with no figure (no figure itself).
    explained: dict[str, str] = Field(default_factory=dict)

    def name(self, lang: Lang | None = None) -> str:
        return self.name_vi if (lang or default_lang()) == "vi" else self.name_en

    def words(self) -> dict[str, Any]:
        return {"name": Name(self.name_vi, self.name_en)}


class OverallStatus(BaseModel):
    reporters: int
    expected: int
    submitted: int
    missing: int
    late: int | None
    rate: float | None
    on_time_rate: float | None


class StatusReport(BaseModel):
    """`plan57 status`; its JSON dump is the public `--format json` contract."""

    period: str
    reporters: list[ReporterStatus]
    overall: OverallStatus
    deadline: date
    as_of: date
    timeliness: Timeliness
    timeliness_reason: UnknownReason | None = None


def parse_status_period(value: str) -> Period:
    period = parse_period(value.strip())
    if period is None:
        raise UsageError("bad-period-option", value=value, suggestion=period_suggestion(value))
    return period


def submitted_indicators(raw: bytes) -> set[str]:
    """The indicator ids a submission file has a value for; nothing when it cannot be read."""
    try:
        table = read_table(raw)
    except Refused:
        return set()
    header = table.header()
    if "indicator" not in header or "value" not in header:
        return set()
    at, value_at = header.index("indicator"), header.index("value")
    found = set()
    for row in table.rows[1:]:
        if len(row) > max(at, value_at) and row[value_at].strip():
            found.add(unicodedata.normalize("NFC", row[at]).strip())
    return found


def build_status(root: Path, catalogue: Catalogue, period: Period, *, as_of: date) -> StatusReport:
    """The status of `period` as of `as_of`, from git history where there is one."""
    from plan57.git import is_repository, is_shallow

    reason: UnknownReason | None = None
    if not is_repository(root):
        reason = "no-git"
    elif is_shallow(root):
        reason = "shallow"
    due = deadline(catalogue, period.end)
    expected_by: dict[str, list[str]] = {}
    for item in due_at(catalogue, period.end):
        expected_by.setdefault(item.reporter, []).append(item.indicator)
    reporters = list(expected_by)
    # Any report ending that day answers (the year's report for a quarterly indicator too).
    # Only files in the working tree can hold a row that passes `check`: no other is read.
    candidates = [str(p) for p in periods_ending(period.end)]
    files_by = {
        reporter: {p for p in candidates if _on_disk(root, root / submission_path(reporter, p))}
        for reporter in reporters
    }
    valid, gaps = _valid(root, catalogue, period, as_of)
    if reason is not None:
        found = _from_disk(root, files_by)
    elif _has_commits(root):
        found = _from_history(root, files_by, as_of)
    else:
        found = {}  # a repository without a commit yet: nothing has been submitted
    statuses = []
    for reporter in reporters:
        expected = expected_by[reporter]
        times = {i: stamp for i, stamp in found.get(reporter, {}).items() if (reporter, i) in valid}
        submitted_ids = [i for i in expected if i in times]
        late = None
        stamps: dict[str, datetime] = {}
        if reason is None:
            stamps = {i: stamp for i in submitted_ids if (stamp := times[i]) is not None}
            late = [i for i, stamp in stamps.items() if province_day(stamp) > due]
        statuses.append(
            ReporterStatus(
                id=reporter,
                name_vi=catalogue.entry_name(reporter, "vi"),
                name_en=catalogue.entry_name(reporter, "en"),
                expected=expected,
                submitted=submitted_ids,
                missing=[i for i in expected if i not in times],
                late=late,
                rate=_rate(len(submitted_ids), len(expected)),
                submitted_at=stamps,
                explained={
                    i: gaps[(reporter, i)]
                    for i in expected
                    if i not in times and (reporter, i) in gaps
                },
            )
        )
    return StatusReport(
        period=str(period),
        reporters=statuses,
        overall=_overall(statuses, known=reason is None),
        deadline=due,
        as_of=as_of,
        timeliness="known" if reason is None else "unknown",
        timeliness_reason=reason,
    )


def _has_commits(root: Path) -> bool:
    from plan57.errors import GitError
    from plan57.git import run_git

    try:
        run_git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return False
    return True


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _overall(statuses: list[ReporterStatus], *, known: bool) -> OverallStatus:
    expected = sum(len(s.expected) for s in statuses)
    submitted = sum(len(s.submitted) for s in statuses)
    late = sum(len(s.late or ()) for s in statuses) if known else None
    return OverallStatus(
        reporters=len(statuses),
        expected=expected,
        submitted=submitted,
        missing=expected - submitted,
        late=late,
        rate=_rate(submitted, expected),
        on_time_rate=_rate(submitted - late, expected) if late is not None else None,
    )


def _valid(
    root: Path, catalogue: Catalogue, period: Period, as_of: date
) -> tuple[set[tuple[str, str]], dict[tuple[str, str], str]]:
    """(reporter, indicator) pairs whose figure for the period's end passes `check`, and the
    notes of the explained gaps of that end."""
    from plan57.submissions.rules import check_repository

    validation = check_repository(root, as_of=as_of, catalogue=catalogue)
    return submitted(validation.observations, period.end), gap_notes(validation.gaps, period.end)


def _on_disk(root: Path, path: Path) -> bool:
    from plan57.repository import first_link

    # A link anywhere on the way is never followed: `check` refuses it, so it is no submission.
    return first_link(root, path) is None and path.is_file()


def _from_disk(root: Path, files_by: dict[str, set[str]]) -> dict[str, dict[str, datetime | None]]:
    from plan57.files import Unreadable, read_regular
    from plan57.repository import first_link
    from plan57.submissions.reading import MAX_BYTES

    found: dict[str, dict[str, datetime | None]] = {}
    for reporter, periods in files_by.items():
        for period in sorted(periods):
            path = root / submission_path(reporter, period)
            # What `check` refuses (a link on the way, a FIFO, a file too large) is no submission.
            if first_link(root, path) is not None:
                continue
            try:
                raw = read_regular(path, MAX_BYTES)
            except Unreadable:
                continue
            found.setdefault(reporter, {}).update(dict.fromkeys(submitted_indicators(raw)))
    return found


def _from_history(
    root: Path, files_by: dict[str, set[str]], as_of: date
) -> dict[str, dict[str, datetime | None]]:
    """Per reporter, the committed rows as of `as_of` and when each was first committed."""
    from plan57.git import BlobReader, files_history, prefix

    # One log for every file of the period: a log per file cost a second on a province's 136
    # reporters. Not following renames: a row's time is when it first appeared at its path, so
    # a Q3 file renamed to Q4 after the deadline is late, not backdated.
    wanted = [submission_path(r, p) for r, periods in files_by.items() for p in sorted(periods)]
    history = files_history(root, wanted)
    top = prefix(root)
    found: dict[str, dict[str, datetime | None]] = {}
    with BlobReader(root) as reader:
        for reporter, periods in files_by.items():
            for period in sorted(periods):
                changes = [
                    change
                    for change in reversed(history.get(top + submission_path(reporter, period), []))
                    if province_day(change.commit.date) <= as_of
                ]
                first: dict[str, datetime] = {}
                current: set[str] = set()
                for change in changes:
                    raw = reader.read(change.new_blob) if change.new_blob else None
                    current = submitted_indicators(raw) if raw is not None else set()
                    for indicator in current:
                        first.setdefault(indicator, change.commit.date)
                mine = found.setdefault(reporter, {})
                for indicator in current:
                    if indicator not in mine or first[indicator] < (
                        mine[indicator] or first[indicator]
                    ):
                        mine[indicator] = first[indicator]
    return found


# --- presentation (plain data for the table, and Markdown for job summaries) -----------------


def table_rows(report: StatusReport, lang: Lang) -> list[list[str]]:
    """One row per reporter and a last row for the whole province, as display text."""
    rows = []
    for status in report.reporters:
        rows.append(
            [
                f"{status.name(lang)} ({status.id})",
                str(len(status.expected)),
                str(len(status.submitted)),
                _missing_cell(status, lang),
                _late_cell(status.late, lang),
                _percent(status.rate),
            ]
        )
    overall = report.overall
    rows.append(
        [
            text("label.status-overall", lang),
            str(overall.expected),
            str(overall.submitted),
            str(overall.missing),
            text("label.status-unknown", lang) if overall.late is None else str(overall.late),
            _percent(overall.rate),
        ]
    )
    return rows


def table_header(lang: Lang) -> list[str]:
    keys = ("reporter", "expected", "submitted", "missing", "late", "rate")
    return [text(f"label.status-{key}", lang) for key in keys]


def notes(report: StatusReport, catalogue: Catalogue, lang: Lang) -> list[str]:
    """The lines under the title: the deadline, and why timeliness is unknown if it is."""
    lines = [
        text(
            "label.status-deadline",
            lang,
            deadline=report.deadline.isoformat(),
            days=catalogue.submission.deadline_days,
            as_of=report.as_of.isoformat(),
        )
    ]
    if report.timeliness_reason is not None:
        lines.append(text(f"label.status-unknown-{report.timeliness_reason}", lang))
    if not report.reporters:
        lines.append(text("label.status-none", lang, period=report.period))
    return lines


def render_markdown(report: StatusReport, catalogue: Catalogue, lang: Lang) -> str:
    """The status as a Markdown section (a CI job summary, a pull-request comment)."""
    out = [f"### {text('label.status-title', lang, period=report.period)}", ""]
    out += [f"{line}  " for line in notes(report, catalogue, lang)]
    out.append("")
    header = table_header(lang)
    out.append("| " + " | ".join(header) + " |")
    out.append("| --- | ---: | ---: | --- | --- | ---: |")
    rows = table_rows(report, lang)
    for index, row in enumerate(rows):
        cells = [markdown(cell) for cell in row]
        if index == len(rows) - 1:
            cells = [f"**{cell}**" if cell else cell for cell in cells]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def _missing_cell(status: ReporterStatus, lang: Lang) -> str:
    """The missing indicators, an explained gap's note beside its indicator."""
    return ", ".join(
        text("label.gap", lang, indicator=i, note=status.explained[i])
        if i in status.explained
        else i
        for i in status.missing
    )


def _late_cell(late: list[str] | None, lang: Lang) -> str:
    return text("label.status-unknown", lang) if late is None else ", ".join(late)


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"
