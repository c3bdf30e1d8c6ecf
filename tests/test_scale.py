"""The shortcuts `check` takes at province scale give what the plain way gives.

The reader takes a file without quotes in one go (every row is one line), and the flow rule
sieves out the (reporter, indicator) pairs whose periods cannot overlap before comparing
periods. Both are checked here against the slow path and against a brute-force answer.
Speed itself is measured by `make bench`, never by a test.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples, make_repo
from plan57.periods import Period, parse_period
from plan57.submissions.reading import read_submissions
from plan57.submissions.rules import check_repository

CELLS = ["CT15", " CT15 ", "CT30", "ct15", "", " ", "indicator", "\ufeffIndicator", "12", "7.5"]
LINE = st.lists(st.sampled_from(CELLS), min_size=0, max_size=4).map(",".join)
# Mostly well-formed rows, so that the one-go path is taken as well as refused.
ROW = st.one_of(
    st.tuples(st.sampled_from(CELLS), st.sampled_from(CELLS), st.sampled_from(CELLS)).map(",".join),
    LINE,
)


@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(ROW, max_size=8), ending=st.sampled_from(["\n", "\r\n"]), last=st.booleans())
def test_a_file_without_quotes_reads_as_the_row_by_row_reader_reads_it(
    tmp_path_factory: object, rows: list[str], ending: str, last: bool
) -> None:
    body = ending.join(rows) + (ending if last and rows else "")
    plain = _read(tmp_path_factory, "indicator,value,note" + ending + body)
    # A quoted header cell means the same, and sends the file down the row-by-row path.
    quoted = _read(tmp_path_factory, 'indicator,value,"note"' + ending + body)
    assert plain[0].to_dict("list") == quoted[0].to_dict("list")
    assert plain[1] == quoted[1]


def _read(factory: object, content: str) -> tuple[object, list[object]]:
    root: Path = factory.mktemp("repo")  # type: ignore[attr-defined]
    repo = make_repo(root)
    repo.submit("so-khcn", "2025Q1", content)
    result = read_submissions(repo.root)
    return result.rows, list(result.findings)


PERIODS = [
    str(period)
    for year in (2024, 2025)
    for period in (
        [Period(year, 1, 12)]
        + [Period(year, m, 6) for m in (1, 7)]
        + [Period(year, m, 3) for m in (1, 4, 7, 10)]
        + [Period(year, m, 1) for m in range(1, 13)]
    )
]


@settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    khcn=st.sets(st.sampled_from(PERIODS), max_size=6),
    tc=st.sets(st.sampled_from(PERIODS), max_size=6),
)
def test_flow_overlaps_are_exactly_the_overlapping_files(
    tmp_path_factory: object, khcn: set[str], tc: set[str]
) -> None:
    root: Path = tmp_path_factory.mktemp("repo")  # type: ignore[attr-defined]
    repo = make_repo(root)
    # CT15 is so-khcn's flow and CT30 is so-tc's: two pairs side by side, each on its own.
    for reporter, indicator, periods in (("so-khcn", "CT15", khcn), ("so-tc", "CT30", tc)):
        for period in periods:
            repo.submit(reporter, period, f"indicator,value\n{indicator},12\n")
    report = check_repository(repo.root, as_of=date(2026, 6, 30)).report
    flagged = {p.file for p in report.problems if p.code == "flow-overlap"}
    expected = set()
    for reporter, periods in (("so-khcn", khcn), ("so-tc", tc)):
        for a, b in combinations(sorted(periods), 2):
            first, second = parse_period(a), parse_period(b)
            assert first is not None and second is not None
            # An annual report beside a shorter period of its year stands for the year: no
            # overlap (flow-annual-conflict checks that they agree).
            year_and_part = (first.months == 12) != (second.months == 12)
            if first.overlaps(second) and not year_and_part:
                expected |= {
                    f"data/submissions/{reporter}/{a}.csv",
                    f"data/submissions/{reporter}/{b}.csv",
                }
    assert flagged == expected
