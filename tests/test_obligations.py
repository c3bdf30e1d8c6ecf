"""What is owed and what counts as submitted: one definition, and `status` and `score` agree."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples, make_repo
from plan57.catalogue.loading import load_catalogue
from plan57.output.report import score_repository
from plan57.periods import parse_period
from plan57.submissions.forms import build_form
from plan57.submissions.obligations import due_at, owed, periods_ending, reporting_period
from plan57.submissions.status import build_status

HERE = Path(__file__).parent / "data" / "scoring"
CATALOGUE = load_catalogue(HERE / "targets.yaml")
END_2025 = date(2025, 12, 31)


def test_what_is_owed_at_the_end_of_a_year() -> None:
    owed_at = {(o.reporter, o.indicator, str(o.period)) for o in due_at(CATALOGUE, END_2025)}
    assert ("xa-a", "CT01", "2025Q4") in owed_at and ("xa-b", "CT01", "2025Q4") in owed_at
    assert ("so-a", "CT03", "2025") in owed_at and ("so-b", "CT02", "2025Q4") in owed_at
    # Mid-year only the quarterly indicators are owed.
    mid = {o.indicator for o in due_at(CATALOGUE, date(2025, 6, 30))}
    assert mid == {"CT01", "CT02", "CT08"}
    assert due_at(CATALOGUE, date(2025, 2, 28)) == []


def test_reporting_periods_end_on_the_day() -> None:
    ct03 = CATALOGUE.indicator("CT03")
    assert ct03 is not None
    assert reporting_period(ct03, END_2025) == parse_period("2025")
    assert reporting_period(ct03, date(2025, 9, 30)) is None
    assert [str(p) for p in periods_ending(END_2025)] == ["2025", "2025S2", "2025Q4", "2025M12"]


def test_the_form_holds_what_is_owed_for_its_period() -> None:
    form = build_form(CATALOGUE, "so-a", "2025", lang="vi")
    assert [i.id for i in form.indicators] == [i.id for i in owed(CATALOGUE, "so-a", form.period)]
    assert {i.id for i in form.indicators} == {
        o.indicator for o in due_at(CATALOGUE, END_2025) if o.reporter == "so-a"
    } - {"CT02", "CT08"}  # the quarterly ones go in the 2025Q4 form


# -- status and score agree ----------------------------------------------------------------

ROWS = {
    "xa-a": {"2025Q4": ["CT01"]},
    "xa-b": {"2025Q4": ["CT01"]},
    "so-a": {"2025Q4": ["CT02", "CT08"], "2025": ["CT03", "CT04", "CT05", "CT06", "CT07"]},
    "so-b": {"2025Q4": ["CT02"]},
}
GOOD = {
    "CT01": "CT01,50,50,100",
    "CT04": "CT04,có,,",
}
BAD = {
    "CT01": "CT01,50,,",  # a ratio without its numerator and denominator: check rejects it
    "CT04": "CT04,maybe,,",
}


def row(indicator: str, good: bool) -> str:
    if good:
        return GOOD.get(indicator, f"{indicator},3,,")
    return BAD.get(indicator, f"{indicator},abc,,")


@st.composite
def submissions(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    for reporter, periods in ROWS.items():
        for period, indicators in periods.items():
            chosen = [i for i in indicators if draw(st.booleans())]
            if not chosen:
                continue
            body = "".join(row(i, draw(st.booleans())) + "\n" for i in chosen)
            files[f"data/submissions/{reporter}/{period}.csv"] = (
                "indicator,value,numerator,denominator\n" + body
            )
    return files


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=submissions())
def test_status_and_score_owe_and_count_the_same(files: dict[str, str]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="plan57-owed-"))
    try:
        repo = make_repo(folder / "repo")
        shutil.copyfile(HERE / "targets.yaml", repo.catalogue)
        for path, text in files.items():
            repo.write(path, text)
        as_of = date(2026, 2, 1)
        period = parse_period("2025Q4")
        assert period is not None
        status = build_status(repo.root, CATALOGUE, period, as_of=as_of)
        scored = score_repository(repo.root, period="2025Q4", as_of=as_of)
        from_status = {r.id: r.missing for r in status.reporters if r.missing}
        from_score = {m.reporter: m.indicators for m in scored.report.missing if m.indicators}
        assert from_status == from_score
        # Rows that check rejects never count as submitted.
        for reporter in status.reporters:
            for indicator in reporter.submitted:
                assert any(
                    row(indicator, True) in text
                    for path, text in files.items()
                    if f"/{reporter.id}/" in path
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
