"""Reporting periods: `2025` (year), `2025S1` (half), `2025Q3` (quarter), `2025M07` (month)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cached_property, lru_cache
from typing import Literal

from plan57.grammar import FIRST_YEAR, LAST_YEAR

Granularity = Literal["year", "half", "quarter", "month"]

# ASCII digits only (`\d` would take "٢٠٢٥" too), and no year 0, which `date` cannot hold.
_PATTERN = re.compile(r"([1-9][0-9]{3})(?:S([12])|Q([1-4])|M(0[1-9]|1[0-2]))?")
# The months of a period of each granularity (a reporting frequency too).
MONTHS: dict[Granularity, int] = {"year": 12, "half": 6, "quarter": 3, "month": 1}

# Dates are the province's: a CI runner on UTC must not still be in yesterday at 6 a.m. in
# Buôn Ma Thuột. Việt Nam keeps UTC+7 all year, with no daylight saving time.
PROVINCE_TIME = timezone(timedelta(hours=7), "ICT")


def today() -> date:
    """Today in Đắk Lắk, whatever the machine's time zone."""
    return datetime.now(PROVINCE_TIME).date()


def day_or_today(value: date | str | None) -> date:
    """A date given as a date or as YYYY-MM-DD text; None is today in Đắk Lắk."""
    if value is None:
        return today()
    if isinstance(value, date):
        return value
    from plan57.errors import UsageError

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError("bad-date", value=value) from None


def province_day(stamp: datetime) -> date:
    """The day a moment (a commit's time) falls on in Đắk Lắk."""
    return stamp.astimezone(PROVINCE_TIME).date()


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period; ordered by start, then by length (shorter first)."""

    year: int
    first_month: int
    months: int

    @property
    def granularity(self) -> Granularity:
        return {12: "year", 6: "half", 3: "quarter", 1: "month"}[self.months]  # type: ignore[return-value]

    @property
    def last_month(self) -> int:
        return self.first_month + self.months - 1

    # Periods are shared (parse_period caches them) and asked for their dates per row.
    @cached_property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @cached_property
    def end(self) -> date:
        """The last day of the period."""
        if self.last_month == 12:
            return date(self.year, 12, 31)
        return date.fromordinal(date(self.year, self.last_month + 1, 1).toordinal() - 1)

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def __str__(self) -> str:
        kind = self.granularity
        if kind == "year":
            return f"{self.year}"
        if kind == "half":
            return f"{self.year}S{(self.first_month - 1) // 6 + 1}"
        if kind == "quarter":
            return f"{self.year}Q{(self.first_month - 1) // 3 + 1}"
        return f"{self.year}M{self.first_month:02d}"


@lru_cache(maxsize=4096)
def parse_period(text: str) -> Period | None:
    """The period `text` names, or None when it is not a period."""
    match = _PATTERN.fullmatch(text)
    if match is None:
        return None
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:  # dates around year 9999 overflow
        return None
    half, quarter, month = match.group(2), match.group(3), match.group(4)
    if half:
        return Period(year, (int(half) - 1) * 6 + 1, 6)
    if quarter:
        return Period(year, (int(quarter) - 1) * 3 + 1, 3)
    if month:
        return Period(year, int(month), 1)
    return Period(year, 1, 12)


def periods_of(year: int, granularity: Granularity) -> list[Period]:
    """Every period of one granularity within a year, in order."""
    size = MONTHS[granularity]
    return [Period(year, first, size) for first in range(1, 13, size)]
