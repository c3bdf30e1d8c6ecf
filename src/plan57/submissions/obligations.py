"""What each reporter owes, and what it has submitted: the one definition every command uses.

An indicator is reported at its `frequency` (month, quarter, half or year). A reporter owes a
figure for each of its indicators' reporting periods; the figure is due `deadline_days` after
that period ends. At the end of a scored period, what is owed is every reporting period that
ends that day: at 31/12/2025 the quarterly indicators' 2025Q4, the half-yearly ones' 2025S2,
the annual ones' 2025 and the monthly ones' 2025M12.

A figure counts as submitted only when its row passed `plan57 check` (it is among the valid
observations) and carries a value; any valid report ending the same day counts, so that the
annual report for 2025 or the report for December also answers for a quarterly indicator at
the end of 2025Q4. `template` writes one form per reporting period; `status`, `score` and the
report count what is missing with `outstanding`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from plan57.catalogue.models import Catalogue, Indicator
from plan57.periods import MONTHS, Period, parse_period, periods_of

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Obligation:
    """One figure a reporter owes: an indicator for one of its reporting periods."""

    reporter: str
    indicator: str
    period: Period


def reporting_period(ind: Indicator, end: date) -> Period | None:
    """The indicator's reporting period that ends on `end`, or None when `end` closes none."""
    months = MONTHS[ind.frequency]
    if end.month % months != 0 or end != _month_end(end):
        return None
    return Period(end.year, end.month - months + 1, months)


def reporting_periods(ind: Indicator, year: int, upto: date) -> list[Period]:
    """The indicator's reporting periods of `year` that end on or before `upto`, in order."""
    return [p for p in periods_of(year, ind.frequency) if p.end <= upto]


@dataclass(frozen=True)
class DueFile:
    """One file a reporter owes on a day: a reporting period and the indicators it holds."""

    period: Period
    indicators: tuple[str, ...]


def files_due(catalogue: Catalogue, reporter: str, end: date) -> list[DueFile]:
    """Every file `reporter` owes for the periods ending on `end`, longest period first.

    The same obligations `status` counts (`due_at`), grouped by file: at 31/12/2025 so-tc owes
    its annual file 2025 and its quarterly file 2025Q4 by the same deadline.
    """
    by_period: dict[Period, list[str]] = {}
    for item in due_at(catalogue, end):
        if item.reporter == reporter:
            by_period.setdefault(item.period, []).append(item.indicator)
    ordered = sorted(by_period.items(), key=lambda entry: -entry[0].months)
    return [DueFile(period, tuple(ids)) for period, ids in ordered]


def owed(catalogue: Catalogue, reporter: str, period: Period) -> list[Indicator]:
    """The indicators `reporter` reports for exactly `period` (the rows of its form)."""
    ids = next(
        (f.indicators for f in files_due(catalogue, reporter, period.end) if f.period == period), ()
    )
    found = (catalogue.indicator(indicator) for indicator in ids)
    return [indicator for indicator in found if indicator is not None]


def due_at(catalogue: Catalogue, end: date) -> list[Obligation]:
    """Every figure whose reporting period ends on `end`, reporters in registry order."""
    order = {rid: n for n, rid in enumerate(catalogue.reporter_ids())}
    out = []
    for ind in catalogue.indicators:
        period = reporting_period(ind, end)
        if period is None:
            continue
        for reporter in catalogue.expand(ind.reporters):
            out.append(Obligation(reporter, ind.id, period))
    return sorted(out, key=lambda o: (order.get(o.reporter, 1 << 30), o.reporter))


@dataclass(frozen=True)
class Gap:
    """An explained gap: a row with no figure but a note saying why ("Chưa có số liệu, sẽ bổ
    sung quý sau"). It is no figure (the indicator stays missing); `status`, the report and
    the site show the note beside the missing figure."""

    reporter: str
    indicator: str
    end: date
    note: str


def gap_notes(gaps: Iterable[Gap], end: date) -> dict[tuple[str, str], str]:
    """(reporter, indicator) → the note of each explained gap of a period ending on `end`."""
    return {(gap.reporter, gap.indicator): gap.note for gap in gaps if gap.end == end}


def deadline(catalogue: Catalogue, end: date) -> date:
    """The last day for the figures of a period ending on `end`."""
    return end + timedelta(days=catalogue.submission.deadline_days)


def default_period(catalogue: Catalogue, as_of: date) -> Period:
    """The latest quarter whose reporting deadline has passed by `as_of` (what `plan57 site`
    and `plan57 export` publish unless told otherwise)."""
    year, quarter = as_of.year, (as_of.month - 1) // 3 + 1
    while True:
        found = parse_period(f"{year}Q{quarter}")
        assert found is not None
        if deadline(catalogue, found.end) < as_of or year < catalogue.plan.baseline_year:
            return found
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def submitted(observations: pd.DataFrame, end: date) -> set[tuple[str, str]]:
    """(reporter, indicator) pairs with a valid figure for a period ending on `end`."""
    import pandas as pd

    if observations.empty:
        return set()
    rows = observations[observations["end"] == pd.Timestamp(end)]
    answered = rows["value"].notna() | rows["answer"].notna()
    rows = rows[answered]
    return set(zip(rows["reporter"], rows["indicator"], strict=True))


def outstanding(
    catalogue: Catalogue, observations: pd.DataFrame, end: date
) -> dict[str, list[str]]:
    """Per reporter, the indicators owed at `end` without a valid figure, in catalogue order."""
    present = submitted(observations, end)
    out: dict[str, list[str]] = {}
    for item in due_at(catalogue, end):
        if (item.reporter, item.indicator) not in present:
            out.setdefault(item.reporter, []).append(item.indicator)
    return out


def _month_end(day: date) -> date:
    if day.month == 12:
        return date(day.year, 12, 31)
    return date(day.year, day.month + 1, 1) - timedelta(days=1)
