"""Reporting periods: names, calendar bounds, overlaps and order."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from plan57.periods import Period, parse_period, periods_of


@pytest.mark.parametrize(
    ("text", "granularity", "start", "end"),
    [
        ("2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
        ("2025S1", "half", date(2025, 1, 1), date(2025, 6, 30)),
        ("2025S2", "half", date(2025, 7, 1), date(2025, 12, 31)),
        ("2025Q1", "quarter", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025Q2", "quarter", date(2025, 4, 1), date(2025, 6, 30)),
        ("2025Q3", "quarter", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025Q4", "quarter", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025M01", "month", date(2025, 1, 1), date(2025, 1, 31)),
        ("2025M02", "month", date(2025, 2, 1), date(2025, 2, 28)),
        ("2024M02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025M04", "month", date(2025, 4, 1), date(2025, 4, 30)),
        ("2025M12", "month", date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_parse_period(text: str, granularity: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.granularity, period.start, period.end) == (granularity, start, end)
    assert str(period) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "25",
        "202",
        "20255",
        "2025Q0",
        "2025Q5",
        "2025S0",
        "2025S3",
        "2025M00",
        "2025M13",
        "2025M1",
        "2025q4",
        "2025-Q4",
        "2025 Q4",
        " 2025",
        "2025H1",
        "2025Q4.csv",
        # year 0 cannot be a date; other scripts' digits are not period names
        "0000",
        "0999",
        "٢٠٢٥",
        "２０２５",
    ],
)
def test_not_a_period(text: str) -> None:
    assert parse_period(text) is None


def test_overlaps() -> None:
    q4, m12, m09, year = (parse_period(t) for t in ("2025Q4", "2025M12", "2025M09", "2025"))
    assert q4 is not None and m12 is not None and m09 is not None and year is not None
    assert q4.overlaps(m12) and m12.overlaps(q4)
    assert not q4.overlaps(m09) and not m09.overlaps(q4)
    assert year.overlaps(m09) and year.overlaps(q4) and q4.overlaps(year)
    assert q4.overlaps(q4)
    nxt = parse_period("2026M01")
    assert nxt is not None and not year.overlaps(nxt)


def test_order_is_by_start_then_shorter_first() -> None:
    names = ["2025", "2025Q4", "2024", "2025M10", "2025S2", "2025Q3", "2025M01"]
    ordered = sorted(p for p in map(parse_period, names) if p is not None)
    assert [str(p) for p in ordered] == [
        "2024",
        "2025M01",
        "2025",
        "2025Q3",
        "2025S2",
        "2025M10",
        "2025Q4",
    ]


@pytest.mark.parametrize(
    ("granularity", "names"),
    [
        ("year", ["2025"]),
        ("half", ["2025S1", "2025S2"]),
        ("quarter", ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]),
        ("month", [f"2025M{m:02d}" for m in range(1, 13)]),
    ],
)
def test_periods_of_a_year(granularity: str, names: list[str]) -> None:
    periods = periods_of(2025, granularity)  # type: ignore[arg-type]
    assert [str(p) for p in periods] == names
    # They tile the year: each starts the day after the previous one ends.
    assert periods[0].start == date(2025, 1, 1) and periods[-1].end == date(2025, 12, 31)
    for before, after in itertools.pairwise(periods):
        assert after.start.toordinal() == before.end.toordinal() + 1


def test_periods_are_values() -> None:
    assert parse_period("2025Q4") == Period(2025, 10, 3)
    assert parse_period("2025Q4") is parse_period("2025Q4")
    assert len({parse_period("2025Q4"), Period(2025, 10, 3)}) == 1
    assert Period(2025, 10, 3).last_month == 12
