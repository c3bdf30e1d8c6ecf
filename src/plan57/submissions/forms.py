"""The form a reporter fills in: one CSV row per indicator it owes for a period.

The form opens in Excel, so it carries a byte-order mark (Excel reads a CSV without one in the
computer's ANSI code page and garbles the Vietnamese names) and no cell starts like a formula.
The helper columns `name`, `unit` and `target` are for whoever fills the form in; the checker
ignores them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from plan57.catalogue.models import Catalogue, Indicator, Target
from plan57.errors import UsageError
from plan57.formatting import Few, day, reporters_named
from plan57.messages import Lang, Message, period_suggestion, suggestion, text
from plan57.periods import Period, parse_period
from plan57.repository import submission_path
from plan57.spreadsheet import CsvWriter, neutralise
from plan57.submissions.obligations import DueFile, deadline, files_due, owed

__all__ = ["COLUMNS", "Form", "build_form", "catalogue_reference", "next_target", "owed"]

COLUMNS: tuple[str, ...] = (
    "indicator",
    "name",
    "unit",
    "target",
    "period",
    "value",
    "numerator",
    "denominator",
    "note",
    "source",
)
BOM = "\ufeff"


@dataclass(frozen=True)
class Form:
    """A ready form, CSV or workbook: where its submission belongs and its bytes."""

    reporter: str
    period: Period
    indicators: tuple[Indicator, ...]
    data: bytes
    # Every file the reporter owes by the same deadline, this one among them (`files_due`).
    due: tuple[DueFile, ...] = ()
    deadline: date | None = None

    @property
    def submission_path(self) -> str:
        """Where the filled-in form is committed, relative to the repository root."""
        return submission_path(self.reporter, self.period)

    @property
    def others(self) -> tuple[DueFile, ...]:
        """The other files owed on this form's day."""
        return tuple(file for file in self.due if file.period != self.period)

    def owed_that_day(self, lang: Lang) -> str:
        """Everything owed by this form's deadline, said once: this file, and the others."""
        files = [
            text(
                "label.template-due-file",
                lang,
                path=submission_path(self.reporter, file.period),
                count=len(file.indicators),
                ids=", ".join(file.indicators),
                reporter=self.reporter,
                period=str(file.period),
            )
            for file in self.others
        ]
        total = sum(len(file.indicators) for file in self.due)
        said = text(
            "label.template-due" if files else "label.template-due-alone",
            lang,
            deadline=day(self.deadline, lang) if self.deadline else "—",
            reporter=self.reporter,
            count=len(self.indicators),
            total=total,
            files="; ".join(files),
        )
        return said


def day_due(catalogue: Catalogue, reporter: str, period: Period) -> dict[str, Any]:
    """The files owed by `reporter` on `period`'s day and their deadline, for a `Form`."""
    return {
        "due": tuple(files_due(catalogue, reporter, period.end)),
        "deadline": deadline(catalogue, period.end),
    }


def next_target(indicator: Indicator, year: int) -> Target | None:
    """The target of the first milestone at or after `year` that has one."""
    upcoming = sorted((t for t in indicator.targets if t.year >= year), key=lambda t: t.year)
    return upcoming[0] if upcoming else None


def catalogue_reference(indicator: Indicator, year: int) -> tuple[float | None, Target | None]:
    """The catalogue's figure a value for `year` is read beside: the baseline, else the next
    target's threshold (a percentage typed as a fraction stands out against either), and the
    target when it is the one."""
    if indicator.baseline is not None:
        return indicator.baseline, None
    target = next_target(indicator, year)
    return (target.threshold, target) if target is not None else (None, None)


def build_form(catalogue: Catalogue, reporter: str, period_text: str, *, lang: Lang) -> Form:
    """The form for `reporter` and the period `period_text`; bad input raises `UsageError`."""
    period, rows = form_rows(catalogue, reporter, period_text, lang=lang)
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        cells = {
            "indicator": row.indicator.id,
            "name": _code_page_safe(row.name),
            "unit": _code_page_safe(row.unit),
            "target": _code_page_safe(row.target),
            "period": str(period),
        }
        writer.writerow([neutralise(cells.get(column, "")) for column in COLUMNS])
    data = (BOM + buffer.getvalue()).encode("utf-8")
    indicators = tuple(row.indicator for row in rows)
    return Form(
        reporter=reporter,
        period=period,
        indicators=indicators,
        data=data,
        **day_due(catalogue, reporter, period),
    )


@dataclass(frozen=True)
class FormRow:
    """One row of the form, in words for whoever fills it in (CSV and workbook alike)."""

    indicator: Indicator
    name: str
    unit: str
    target: str


def form_rows(
    catalogue: Catalogue, reporter: str, period_text: str, *, lang: Lang
) -> tuple[Period, list[FormRow]]:
    """The period and the rows of the form; bad input raises `UsageError`."""
    period = parse_period(period_text.strip())
    if period is None:
        raise UsageError(
            "bad-period-option", value=period_text, suggestion=period_suggestion(period_text)
        )
    if period.year < catalogue.plan.baseline_year:
        raise UsageError(
            "template-too-early", period=str(period), baseline=catalogue.plan.baseline_year
        )
    _require_reporter(catalogue, reporter, lang)
    indicators = owed(catalogue, reporter, period)
    if not indicators:
        others = [
            Message(
                "label.template-due-period", {"period": str(f.period), "count": len(f.indicators)}
            )
            for f in files_due(catalogue, reporter, period.end)
        ]
        choice = (
            Message("label.template-nothing-day", {"periods": Few(tuple(others))})
            if others
            else Message("label.template-nothing-choose")
        )
        raise UsageError(
            "template-nothing-owed",
            reporter=reporter,
            period=str(period),
            granularities=_granularities(catalogue, reporter, lang),
            choice=choice,
        )
    rows = [
        FormRow(
            indicator=indicator,
            name=indicator.name(lang),
            unit=_unit(indicator, lang),
            target=_target(indicator, period.year, lang),
        )
        for indicator in indicators
    ]
    return period, rows


# Excel saves "CSV (Comma delimited)" in the computer's code page: on a Vietnamese Windows that
# is windows-1258, which has no "≥" and writes "?" in its place. The CSV form spells such signs
# in ASCII, so the target still reads right after that save.
_ASCII_SIGNS = str.maketrans({"≥": ">=", "≤": "<=", "–": "-", "—": "-", "…": "..."})


def _code_page_safe(cell: str) -> str:
    return cell.translate(_ASCII_SIGNS)


def _require_reporter(catalogue: Catalogue, reporter: str, lang: Lang) -> None:
    if catalogue.is_reporter(reporter):
        return
    entry = catalogue.entry(reporter)
    if entry is not None and entry.kind == "group":
        members = catalogue.expand([reporter])
        raise UsageError(
            "template-group",
            reporter=reporter,
            members=reporters_named(catalogue, [reporter]),
            example=members[0] if members else "—",
        )
    close = suggestion(reporter, catalogue.reporter_ids(), aliases=catalogue.name_aliases())
    raise UsageError("template-unknown-reporter", reporter=reporter, suggestion=close)


def _granularities(catalogue: Catalogue, reporter: str, lang: Lang) -> str:
    kinds = {i.frequency for i in catalogue.indicators_for(reporter)}
    order = ("month", "quarter", "half", "year")
    names = [text(f"label.template-per-{kind}", lang) for kind in order if kind in kinds]
    return ", ".join(names) or "—"


def _unit(indicator: Indicator, lang: Lang) -> str:
    unit = text(f"unit.{indicator.unit}", lang)
    if indicator.combine == "ratio":
        # Reporters' figures are pooled, so the checker needs the counts behind each rate.
        return text("label.template-ratio-unit", lang, unit=unit)
    return unit


def _target(indicator: Indicator, year: int, lang: Lang) -> str:
    target = next_target(indicator, year)
    if target is None:
        return ""
    return text("label.template-target", lang, target=target.text, year=target.year)
