"""Completeness and timeliness of one reporting period: who owes what, what came, and when.

What is owed at the period's end is decided in `plan57.submissions.obligations`, what came is
the evidence known on `--as-of` (`plan57.submissions.evidence`), as for `score`: a figure
counts when its row passes `check` and, in git, has reached the main line by that day; its
submission time is its arrival, when its valid version reached the main line (a fix sent late
is late, a branch merged late is late whatever its commits' dates). Outside git, or in a
shallow clone whose history is cut off, the files on disk are counted and timeliness is
unknown. Dates are judged in the province's time zone.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from plan57 import formatting as fmt
from plan57.catalogue.models import Catalogue, Worded
from plan57.errors import UsageError
from plan57.escaping import markdown
from plan57.formatting import Name
from plan57.messages import Lang, default_lang, period_suggestion, text
from plan57.periods import Period, parse_period, province_day
from plan57.submissions.evidence import Evidence, UnknownReason, gather
from plan57.submissions.obligations import deadline, due_at, gap_notes

Timeliness = Literal["known", "unknown"]


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


def build_status(
    root: Path,
    catalogue: Catalogue,
    period: Period,
    *,
    as_of: date,
    evidence: Evidence | None = None,
) -> StatusReport:
    """The status of `period` as of `as_of`, from the evidence known that day (`gather`'s, or
    `evidence` when the caller has it already)."""
    if evidence is None:
        evidence = gather(root, as_of=as_of, catalogue=catalogue)
    reason = evidence.reason
    due = deadline(catalogue, period.end)
    expected_by: dict[str, list[str]] = {}
    for item in due_at(catalogue, period.end):
        expected_by.setdefault(item.reporter, []).append(item.indicator)
    # Any report ending that day answers (the year's report for a quarterly indicator too).
    times = _times(evidence, period)
    gaps = gap_notes(evidence.validation.gaps, period.end)
    statuses = []
    for reporter, expected in expected_by.items():
        mine = times.get(reporter, {})
        submitted_ids = [i for i in expected if i in mine]
        late = None
        stamps: dict[str, datetime] = {}
        if reason is None:
            stamps = {i: stamp for i in submitted_ids if (stamp := mine[i]) is not None}
            late = [i for i, stamp in stamps.items() if province_day(stamp) > due]
        statuses.append(
            ReporterStatus(
                id=reporter,
                name_vi=catalogue.entry_name(reporter, "vi"),
                name_en=catalogue.entry_name(reporter, "en"),
                expected=expected,
                submitted=submitted_ids,
                missing=[i for i in expected if i not in mine],
                late=late,
                rate=_rate(len(submitted_ids), len(expected)),
                submitted_at=stamps,
                explained={
                    i: gaps[(reporter, i)]
                    for i in expected
                    if i not in mine and (reporter, i) in gaps
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


def _times(evidence: Evidence, period: Period) -> dict[str, dict[str, datetime | None]]:
    """Per reporter, the indicators with a valid figure for a period ending with `period`, and
    the earliest arrival among their rows (None when timeliness is unknown)."""
    import pandas as pd

    # The rows without their arrival: only the period's rows need one, and walking back the
    # history of every file since the baseline would cost what the plan's age costs.
    frame = evidence.validation.observations
    if frame.empty:
        return {}
    rows = frame[frame["end"] == pd.Timestamp(period.end)]
    rows = rows[rows["value"].notna() | rows["answer"].notna()]
    found: dict[str, dict[str, datetime | None]] = {}
    known = evidence.from_git
    reporters, indicators, files = (rows[c].tolist() for c in ("reporter", "indicator", "file"))
    keys = set(zip(files, indicators, strict=True))
    arrivals = evidence.arrivals_of(keys) if known else {}
    for reporter, indicator, file in zip(reporters, indicators, files, strict=True):
        mine = found.setdefault(reporter, {})
        stamp = arrivals.get((file, indicator)) if known else None
        before = mine.get(indicator)
        if indicator not in mine or (stamp is not None and (before is None or stamp < before)):
            mine[indicator] = stamp
    return found


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
            deadline=fmt.day(report.deadline, lang),
            days=catalogue.submission.deadline_days,
            as_of=fmt.day(report.as_of, lang),
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
