"""Scoring: every status branch on small observation frames built by hand, against the real catalogue."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from plan57.catalogue.loading import load_catalogue
from plan57.catalogue.models import Catalogue
from plan57.errors import UsageError
from plan57.periods import parse_period
from plan57.scoring.figures import months_between, stale_cutoff
from plan57.scoring.judging import history, missing_reports, score
from plan57.scoring.verdicts import STATUSES, IndicatorScore, ScoreReport

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue(ROOT / "data" / "targets.yaml")
AS_OF = date(2030, 6, 30)


def catalogue_with(indicator: str, **changes: Any) -> Catalogue:
    """The real catalogue with one indicator's entry changed."""
    raw = yaml.safe_load((ROOT / "data" / "targets.yaml").read_text("utf-8"))
    for entry in raw["indicators"]:
        if entry["id"] == indicator:
            entry.update(changes)
    return Catalogue.model_validate(raw)


def frame(*rows: tuple[Any, ...]) -> pd.DataFrame:
    """Observations as `validate` produces them, from (reporter, period, indicator, value, ...)."""
    records = []
    for line, row in enumerate(rows, start=2):
        reporter, period_text, indicator, value, *ratio = row
        period = parse_period(period_text)
        assert period is not None
        answer = value if isinstance(value, bool) else None
        records.append(
            {
                "reporter": reporter,
                "period": period_text,
                "indicator": indicator,
                "value": float("nan") if isinstance(value, bool) else float(value),
                "answer": answer,
                "numerator": float(ratio[0]) if ratio else float("nan"),
                "denominator": float(ratio[1]) if ratio else float("nan"),
                "file": f"data/submissions/{reporter}/{period_text}.csv",
                "line": line,
                "start": pd.Timestamp(period.start),
                "end": pd.Timestamp(period.end),
                "months": period.months,
            }
        )
    out = pd.DataFrame(records)
    out["answer"] = out["answer"].astype(object)
    out["line"] = out["line"].astype("int64")
    out["months"] = out["months"].astype("int64")
    return out


def one(
    indicator: str,
    observations: pd.DataFrame,
    period: str,
    *,
    catalogue: Catalogue = CATALOGUE,
) -> IndicatorScore:
    report = score(catalogue, observations, period, AS_OF)
    return next(i for i in report.indicators if i.id == indicator)


# -- stocks ---------------------------------------------------------------------------------


def test_stock_met_is_on_track_with_figures_and_reason() -> None:
    data = frame(("so-tc", "2024", "CT05", 0.6), ("so-tc", "2025", "CT05", 1.2))
    item = one("CT05", data, "2025Q4")
    assert item.status == "on-track"
    assert (item.value, item.baseline, item.milestone) == (1.2, 0.6, 2025)
    assert item.expected == pytest.approx(1.0)
    assert item.target is not None and item.target.text == "≥ 1,0%"
    assert item.baseline_source == "reported"
    assert item.reason("vi") == "1,2% (kỳ 2025) so với mục tiêu ≥ 1,0% đến hết năm 2025: đã đạt."
    assert [r.id for r in item.reporters] == ["so-tc"]


def test_stock_reason_in_english_uses_english_numbers() -> None:
    data = frame(("so-tc", "2024", "CT05", 0.6), ("so-tc", "2025", "CT05", 1.2))
    item = one("CT05", data, "2025Q4")
    assert (
        item.reason("en") == "1.2% (period 2025) against the target ≥ 1.0% by the end of 2025: met."
    )
    assert item.name("en").startswith("Share of the local budget")


def test_stock_unmet_at_the_deadline_is_missed() -> None:
    data = frame(("so-tc", "2024", "CT05", 0.6), ("so-tc", "2025", "CT05", 0.8))
    item = one("CT05", data, "2025Q4")
    assert item.status == "missed"
    assert item.reason("vi").endswith("không đạt.")


def test_stock_progress_ratio_decides_between_on_track_and_at_risk() -> None:
    # CT07 (≥ 80% by 2025): baseline 50%, half-way through 2025 the path needs 65%.
    base = ("phuong-tuy-hoa", "2024", "CT07", 50.0, 50, 100)
    behind = one("CT07", frame(base, ("phuong-tuy-hoa", "2025Q2", "CT07", 64.0, 64, 100)), "2025Q2")
    assert behind.status == "at-risk"
    assert behind.expected == pytest.approx(65.0)
    assert behind.progress == pytest.approx(14 / 15, abs=1e-4)
    assert "chậm so với lộ trình" in behind.reason("vi")
    ahead = one("CT07", frame(base, ("phuong-tuy-hoa", "2025Q2", "CT07", 64.5, 129, 200)), "2025Q2")
    assert ahead.status == "on-track"  # 14.5 / 15 = 0.967, within the 0.95 tolerance
    assert "tiến độ 97%" in ahead.reason("vi")


def test_tolerance_comes_from_the_catalogue() -> None:
    raw = yaml.safe_load((ROOT / "data" / "targets.yaml").read_text("utf-8"))
    raw["scoring"]["tolerance"] = 0.9
    lenient = Catalogue.model_validate(raw)
    data = frame(
        ("phuong-tuy-hoa", "2024", "CT07", 50.0, 50, 100),
        ("phuong-tuy-hoa", "2025Q2", "CT07", 64.0, 64, 100),
    )
    assert one("CT07", data, "2025Q2", catalogue=lenient).status == "on-track"


def test_after_a_milestone_the_path_starts_from_its_target() -> None:
    # CT05: 2025 target 1,0%, 2030 target 1,5%: at the end of 2026 the path needs 1,1%.
    data = frame(("so-tc", "2026", "CT05", 1.05))
    item = one("CT05", data, "2026Q4")
    assert item.milestone == 2030
    assert (item.start_year, item.start_value) == (2025, 1.0)
    assert item.expected == pytest.approx(1.1)
    assert item.status == "at-risk"  # 0.05 of 0.1 expected progress


def test_no_progress_needed_and_below_the_path_is_at_risk() -> None:
    # CT08 is 100% in 2025 and in 2030: after 2025 the path is flat at 100%.
    data = frame(("so-tc", "2026Q2", "CT08", 95.0, 95, 100))
    item = one("CT08", data, "2026Q2")
    assert item.status == "at-risk"
    assert item.progress is None
    assert "thấp hơn lộ trình (100,0%)" in item.reason("vi")


def test_stale_stock_figure_is_not_used() -> None:
    data = frame(("so-tc", "2024", "CT05", 0.6))
    item = one("CT05", data, "2026Q1")
    assert item.status == "no-data"
    assert (
        item.reason("vi") == "Chưa có số liệu mới: số liệu gần nhất (kỳ 2024) đã cũ quá 12 tháng."
    )
    # Exactly twelve months old still counts between milestones, as a figure carried forward.
    half = frame(("so-tc", "2025S1", "CT05", 0.8))
    mid = one("CT05", half, "2026Q2")
    assert mid.value == 0.8 and "carried-forward" in mid.flags
    assert one("CT05", half, "2026Q3").status == "no-data"
    # At the milestone a figure from before the milestone's year proves nothing (rule 3).
    at_milestone = one("CT05", data, "2025Q4")
    assert at_milestone.status == "no-data" and "stale" in at_milestone.flags
    assert "0,6% (kỳ 2024)" in at_milestone.reason("vi")


def test_latest_period_wins_for_a_stock() -> None:
    data = frame(
        ("so-khcn", "2025Q1", "CT52", 40.0, 40, 100),
        ("so-khcn", "2025Q3", "CT52", 55.0, 55, 100),
        ("so-khcn", "2025Q2", "CT52", 50.0, 50, 100),
    )
    item = one("CT52", data, "2025Q3")
    assert item.value == 55.0
    assert item.periods == ["2025Q3"]
    assert one("CT52", data, "2025Q2").value == 50.0


# -- flows ----------------------------------------------------------------------------------


def test_flow_sums_the_year_so_far_and_pro_rates_the_target() -> None:
    # CT15: ≥ 16 per year; after three quarters the path needs 12.
    rows = [("so-khcn", f"2025Q{q}", "CT15", v) for q, v in ((1, 3), (2, 4), (3, 5))]
    item = one("CT15", frame(("so-khcn", "2024", "CT15", 10), *rows), "2025Q3")
    assert (item.value, item.expected, item.year_target) == (12.0, 12.0, 16.0)
    assert item.status == "on-track"
    assert item.baseline == 10.0
    assert item.periods == ["2025Q1", "2025Q2", "2025Q3"]
    assert item.reason("vi").startswith("12 từ đầu năm 2025 so với mục tiêu ≥ 16 của năm 2025")


def test_flow_short_at_the_milestone_year_end_is_missed() -> None:
    rows = [("so-khcn", f"2025Q{q}", "CT15", v) for q, v in ((1, 3), (2, 4), (3, 5), (4, 2))]
    assert one("CT15", frame(*rows), "2025Q4").status == "missed"


def test_flow_previous_years_do_not_count() -> None:
    data = frame(("so-khcn", "2024Q4", "CT15", 30))
    item = one("CT15", data, "2025Q1")
    assert item.status == "no-data"
    assert item.reason("vi") == "Chưa có số liệu nào của năm 2025 (số liệu gần nhất: kỳ 2024Q4)."


def test_an_annual_report_stands_for_the_year() -> None:
    data = frame(
        ("so-khcn", "2025Q1", "CT15", 3),
        ("so-khcn", "2025Q2", "CT15", 4),
        ("so-khcn", "2025", "CT15", 17),
    )
    item = one("CT15", data, "2025Q4")
    assert item.value == 17.0
    assert item.status == "on-track"
    # Before the year is over the annual report does not exist yet for scoring.
    assert one("CT15", data, "2025Q2").value == 7.0


def test_flow_between_milestones_uses_the_interpolated_year_target() -> None:
    # CT15: 16 in 2025, 30 in 2030, so 21,6 in 2027; half-way through the year 10,8 is expected.
    data = frame(("so-khcn", "2027Q1", "CT15", 4), ("so-khcn", "2027Q2", "CT15", 6))
    item = one("CT15", data, "2027Q2")
    assert item.milestone == 2030
    assert item.year_target == pytest.approx(21.6)
    assert item.expected == pytest.approx(10.8)
    assert item.status == "at-risk"
    assert "mức 21,6 của năm 2027 trên lộ trình tới mục tiêu ≥ 30 năm 2030" in item.reason("vi")
    # A short year between milestones is at risk, not missed: the milestone is 2030.
    short = frame(*(("so-khcn", f"2027Q{q}", "CT15", 4) for q in range(1, 5)))
    assert one("CT15", short, "2027Q4").status == "at-risk"


def test_flow_before_its_first_target_needs_a_baseline() -> None:
    # CT30 (start-up investment, 50–60 a year by 2040) has no target before 2040.
    with_base = frame(("so-tc", "2024", "CT30", 2), ("so-tc", "2025Q1", "CT30", 3))
    item = one("CT30", with_base, "2025Q1")
    assert item.year_target == pytest.approx(2 + 48 / 16)
    assert item.status == "on-track"
    without = one("CT30", frame(("so-tc", "2025Q1", "CT30", 3)), "2025Q1")
    assert without.status == "at-risk"
    assert without.expected is None
    assert "trajectory-unknown" in without.flags


# -- ranges and yes/no ----------------------------------------------------------------------


def test_range_low_end_is_the_target_and_above_the_high_end_is_flagged() -> None:
    # CT23: "15 - 20" by 2040; baseline 3 in 2024.
    above = one(
        "CT23", frame(("so-khcn", "2024", "CT23", 3), ("so-khcn", "2025", "CT23", 25)), "2025Q4"
    )
    assert above.status == "on-track"
    assert above.flags == ["above-range"]
    assert "vượt trên khoảng mục tiêu 15–20" in above.reason("vi")
    low = one(
        "CT23", frame(("so-khcn", "2024", "CT23", 3), ("so-khcn", "2025", "CT23", 4)), "2025Q4"
    )
    assert low.expected == pytest.approx(3 + 12 * 12 / 192)
    assert low.status == "on-track"
    assert low.flags == []


def test_yes_no_met_when_the_latest_report_says_yes() -> None:
    yes = one(
        "CT04",
        frame(("so-khcn", "2024", "CT04", False), ("so-khcn", "2025", "CT04", True)),
        "2025Q4",
    )
    assert yes.status == "on-track"
    assert yes.answer is True and yes.value is None
    assert yes.reason("vi") == "Có (kỳ 2025) so với mục tiêu «Có» đến hết năm 2025: đã đạt."
    no = frame(("so-khcn", "2024", "CT04", True), ("so-khcn", "2025", "CT04", False))
    assert one("CT04", no, "2025Q4").status == "missed"
    early = one("CT04", frame(("so-khcn", "2024", "CT04", False)), "2025Q3")
    assert early.status == "at-risk"
    # The 2025 report is not owed yet at 2025Q3: the 2024 answer is the latest, not carried.
    assert early.reason("vi") == "Không (kỳ 2024) so với mục tiêu «Có» đến hết năm 2025: chưa đạt."
    english = one("CT26", frame(("so-khcn", "2025", "CT26", True)), "2025Q4")
    assert (
        english.reason("en")
        == "Yes (period 2025) against the target “Applied” by the end of 2025: met."
    )


# -- several reporters ----------------------------------------------------------------------


def test_ratio_combines_summed_numerators_and_denominators() -> None:
    data = frame(
        ("phuong-tuy-hoa", "2025Q2", "CT07", 90.0, 90, 100),
        ("xa-ea-kar", "2025Q2", "CT07", 10.0, 1, 10),
    )
    item = one("CT07", data, "2025Q2")
    assert item.value == pytest.approx(91 / 110 * 100, abs=1e-6)  # not the mean, 50
    assert [r.id for r in item.reporters] == ["phuong-tuy-hoa", "xa-ea-kar"]
    # Every other commune and ward of the province's 102 owes it too.
    assert len(item.missing) == 100 and "phuong-buon-ma-thuot" in item.missing
    assert not {"phuong-tuy-hoa", "xa-ea-kar"} & set(item.missing)


def test_max_takes_the_best_operator_coverage() -> None:
    data = frame(
        ("dn-viettel", "2025Q4", "CT01", 70.0),
        ("dn-vnpt", "2025Q4", "CT01", 65.0),
    )
    item = one("CT01", data, "2025Q4")
    assert item.value == 70.0
    assert item.status == "on-track"
    assert item.missing == ["dn-mobifone", "dn-fpt-telecom"]


def test_sum_adds_reporters_up() -> None:
    summed = catalogue_with("CT13", combine="sum", authority=None)
    data = frame(("so-khcn", "2025", "CT13", 6), ("so-tc", "2025", "CT13", 5))
    item = one("CT13", data, "2025Q4", catalogue=summed)
    assert item.value == 11.0
    assert item.status == "on-track"


def test_single_uses_only_the_authority() -> None:
    data = frame(("so-khcn", "2025", "CT13", 8), ("so-tc", "2025", "CT13", 20))
    item = one("CT13", data, "2025Q4")
    assert item.value == 8.0
    assert item.status == "missed"
    assert [(r.id, r.used) for r in item.reporters] == [("so-khcn", True), ("so-tc", False)]
    without = one("CT13", frame(("so-tc", "2025", "CT13", 20)), "2025Q4")
    assert without.status == "no-data"
    assert (
        without.reason("vi")
        == "Chưa có số liệu của đơn vị có thẩm quyền (Sở Khoa học và Công nghệ)."
    )


def test_ratio_without_numerators_is_an_unweighted_mean_and_says_so() -> None:
    data = frame(("phuong-tuy-hoa", "2025Q2", "CT07", 90.0), ("xa-ea-kar", "2025Q2", "CT07", 70.0))
    item = one("CT07", data, "2025Q2")
    assert item.value == 80.0
    assert "unweighted" in item.flags


# -- baselines and missing data --------------------------------------------------------------


def test_without_a_baseline_only_the_target_counts_and_the_path_is_unknown() -> None:
    data = frame(("so-tc", "2025S1", "CT05", 0.8))
    item = one("CT05", data, "2025Q3")
    assert item.status == "at-risk"
    assert item.baseline is None and item.expected is None and item.progress is None
    assert "trajectory-unknown" in item.flags
    assert "chưa xác định được lộ trình" in item.reason("vi")
    met = one("CT05", frame(("so-tc", "2025S1", "CT05", 1.1)), "2025Q3")
    assert met.status == "on-track"


def test_a_catalogue_baseline_wins_over_the_reported_one() -> None:
    given = catalogue_with("CT05", baseline=0.2)
    data = frame(("so-tc", "2024", "CT05", 0.6), ("so-tc", "2025S1", "CT05", 0.6))
    item = one("CT05", data, "2025Q2", catalogue=given)
    assert (item.baseline, item.baseline_source) == (0.2, "catalogue")
    assert item.expected == pytest.approx(0.6)
    assert item.status == "on-track"


def test_nothing_reported_is_no_data() -> None:
    item = one("CT05", frame(("so-khcn", "2025", "CT06", 1.0)), "2025Q4")
    assert item.status == "no-data"
    assert item.value is None
    assert item.reason("vi") == "Chưa có số liệu của kỳ nào kết thúc đến 31/12/2025."
    assert item.missing == ["so-tc"]


def test_empty_observations_score_everything_as_no_data() -> None:
    empty = frame(("so-tc", "2025", "CT05", 1.0)).iloc[0:0]
    report = score(CATALOGUE, empty, "2025Q4", AS_OF)
    assert report.summary == {"on-track": 0, "at-risk": 0, "missed": 0, "no-data": 55}


def test_unknown_indicators_in_observations_are_ignored() -> None:
    data = frame(("so-tc", "2025", "CT05", 1.2), ("so-tc", "2025", "CT99", 3))
    assert one("CT05", data, "2025Q4").value == 1.2


# -- the report as a whole -------------------------------------------------------------------


def test_report_covers_every_indicator_and_counts_statuses() -> None:
    data = frame(("so-tc", "2024", "CT05", 0.6), ("so-tc", "2025", "CT05", 1.2))
    report = score(CATALOGUE, data, "2025Q4", AS_OF)
    assert isinstance(report, ScoreReport)
    assert [i.id for i in report.indicators] == [f"CT{n:02d}" for n in range(1, 56)]
    assert list(report.summary) == list(STATUSES)
    assert sum(report.summary.values()) == 55
    assert report.summary["on-track"] == 1


def test_json_contract_shape() -> None:
    data = frame(("so-tc", "2024", "CT05", 0.6), ("so-tc", "2025", "CT05", 1.2))
    dumped = score(CATALOGUE, data, "2025Q4", AS_OF).model_dump(mode="json")
    assert dumped["period"] == "2025Q4"
    assert dumped["as_of"] == "2030-06-30"
    ct05 = next(i for i in dumped["indicators"] if i["id"] == "CT05")
    for key in ("id", "status", "value", "baseline", "expected", "milestone", "target"):
        assert key in ct05
    assert ct05["target"] == {
        "year": 2025,
        "kind": "min",
        "value": 1.0,
        "low": None,
        "high": None,
        "text": "≥ 1,0%",
    }
    assert ct05["reporters"][0]["id"] == "so-tc"
    assert set(dumped["summary"]) == {"on-track", "at-risk", "missed", "no-data"}


def test_missing_reports_name_reporters_without_figures_due_at_the_period_end() -> None:
    data = frame(("dn-viettel", "2025Q4", "CT01", 70.0), ("dn-vnpt", "2025M12", "CT01", 65.0))
    owed = {
        m.reporter: m
        for m in missing_reports(CATALOGUE, data, parse_period("2025Q4"), date(2026, 3, 1))
    }  # type: ignore[arg-type]
    assert "CT01" in owed["dn-mobifone"].indicators
    assert "CT01" not in owed["dn-vnpt"].indicators  # a month ending that day counts
    assert owed["dn-mobifone"].due == date(2026, 1, 15)
    assert owed["dn-mobifone"].overdue is True
    # An annual indicator is not due at the end of a quarter other than the fourth.
    third = {
        m.reporter: m
        for m in missing_reports(CATALOGUE, data, parse_period("2025Q3"), date(2025, 10, 2))
    }  # type: ignore[arg-type]
    assert "CT05" not in third["so-tc"].indicators
    assert third["so-tc"].overdue is False


def test_history_gives_points_only_where_something_was_reported() -> None:
    data = frame(
        ("so-khcn", "2025Q1", "CT15", 3),
        ("so-khcn", "2025Q3", "CT15", 5),
        ("so-tc", "2024", "CT05", 0.6),
    )
    points = history(CATALOGUE, data, parse_period("2025Q4"))  # type: ignore[arg-type]
    assert [(p.end, p.value) for p in points["CT15"]] == [
        (date(2025, 3, 31), 3.0),
        (date(2025, 9, 30), 8.0),
    ]
    assert [(p.end, p.value) for p in points["CT05"]] == [(date(2024, 12, 31), 0.6)]
    assert points["CT01"] == []


@pytest.mark.parametrize(
    ("period", "code"),
    [
        ("2026Q1", "score-period-not-over"),
        ("2023", "score-period-too-early"),
        ("Q4", "bad-period-option"),
    ],
)
def test_periods_that_cannot_be_scored_are_usage_errors(period: str, code: str) -> None:
    with pytest.raises(UsageError) as caught:
        score(CATALOGUE, frame(("so-tc", "2025", "CT05", 1.0)), period, date(2026, 1, 20))
    assert caught.value.code == code


def test_month_arithmetic() -> None:
    assert months_between(date(2024, 12, 31), date(2025, 6, 30)) == 6
    assert stale_cutoff(date(2025, 12, 31), 12) == date(2024, 12, 31)
    assert stale_cutoff(date(2026, 3, 31), 12) == date(2025, 3, 31)
    assert stale_cutoff(date(2025, 3, 31), 1) == date(2025, 2, 28)
