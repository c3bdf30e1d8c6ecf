"""The principles of docs/methodology.md that the judging holds: one standard of proof both ways
(3), the books close (4), exact and never contradicted by what is shown (5). Scenarios on the
frozen test catalogue (tests/data/scoring/targets.yaml), and the properties as hypothesis tests.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples
from plan57 import formatting as fmt
from plan57.catalogue.models import Catalogue
from plan57.formatting import Few
from plan57.output.report import _row
from plan57.periods import parse_period
from plan57.scoring.judging import score
from plan57.scoring.verdicts import IndicatorScore
from test_scoring_rules import CATALOGUE, HERE, changed, obs, one

AFTER = date(2026, 3, 1)  # after the 2025Q4 deadline (15/01/2026), before the books close
CLOSED = date(2026, 5, 1)  # after the books close (15/04/2026 with awaited_days 90)


def settings_changed(**changes: Any) -> Catalogue:
    raw = yaml.safe_load((HERE / "targets.yaml").read_text("utf-8"))
    raw["scoring"].update(changes)
    return Catalogue.model_validate(raw)


# -- 3. one standard of proof, both ways --------------------------------------------------


def test_3_a_ratio_that_cannot_reach_its_target_is_missed_whatever_the_awaited_send() -> None:
    catalogue = changed("CT01", targets={2025: "100%"})
    data = obs(("xa-a", "2025Q4", "CT01", 50.0, 50, 100))
    item = one("CT01", data, "2025Q4", AFTER, catalogue=catalogue)
    assert item.status == "missed" and item.decided is True
    assert [a.reporter for a in item.awaited] == ["xa-b"]
    assert item.reach is not None and item.reach.high == 100 and not item.reach.high_reached
    assert "dù Xã B (2025Q4, trễ 45 ngày) gửi số liệu nào đi nữa" in item.reason("vi")


def test_3_met_on_part_of_the_reporters_is_not_concluded_while_the_rest_could_undo_it() -> None:
    data = obs(("xa-a", "2025Q4", "CT01", 70.0, 70, 100))
    item = one("CT01", data, "2025Q4", AFTER)
    assert item.status == "at-risk" and "awaited" in item.flags and item.decided is False
    assert item.awaited[0].days_late == 45 and item.books_close == date(2026, 4, 15)
    assert "chưa kết luận đạt" in item.reason("vi") and "Xã B" in item.reason("vi")


def test_3_a_sum_of_counts_is_met_as_soon_as_the_partial_sum_is() -> None:
    data = obs(*[("so-a", f"2025Q{q}", "CT02", 5.0) for q in (1, 2, 3, 4)])
    item = one("CT02", data, "2025Q4", AFTER)
    assert item.value == 20 and item.status == "on-track" and item.decided is True
    assert [a.reporter for a in item.awaited] == ["so-b"]


def test_3_a_max_is_met_as_soon_as_one_reporter_meets_the_target() -> None:
    catalogue = changed("CT01", combine="max")
    data = obs(("xa-a", "2025Q4", "CT01", 65.0, 65, 100))
    assert one("CT01", data, "2025Q4", AFTER, catalogue=catalogue).status == "on-track"
    short = obs(("xa-a", "2025Q4", "CT01", 55.0, 55, 100))
    assert one("CT01", short, "2025Q4", AFTER, catalogue=catalogue).status == "at-risk"


def test_3_a_figure_carried_from_an_earlier_quarter_is_still_awaited_at_the_milestone() -> None:
    data = obs(("xa-a", "2025Q4", "CT01", 70.0, 70, 100), ("xa-b", "2025Q3", "CT01", 70.0, 70, 100))
    item = one("CT01", data, "2025Q4", AFTER)
    assert item.status == "at-risk" and [a.reporter for a in item.awaited] == ["xa-b"]


# -- 4. the books close ---------------------------------------------------------------------


def test_4_after_the_books_close_too_few_reporters_is_no_data_naming_them() -> None:
    data = obs(("xa-a", "2025Q4", "CT01", 70.0, 70, 100))
    item = one("CT01", data, "2025Q4", CLOSED)
    assert item.status == "no-data" and "books-closed" in item.flags
    reason = item.reason("vi")
    assert "hết hạn chờ (15/04/2026)" in reason and "chỉ 50%" in reason and "cần 80%" in reason
    assert "Xã B (2025Q4, trễ 106 ngày)" in reason


def test_4_after_the_books_close_enough_reporters_decide_on_what_came() -> None:
    catalogue = settings_changed(coverage_threshold=0.5)
    met = one(
        "CT01",
        obs(("xa-a", "2025Q4", "CT01", 70.0, 70, 100)),
        "2025Q4",
        CLOSED,
        catalogue=catalogue,
    )
    assert met.status == "on-track" and "books-closed" in met.flags
    short = obs(("xa-a", "2025Q4", "CT01", 50.0, 50, 100))
    missed = one("CT01", short, "2025Q4", CLOSED, catalogue=catalogue)
    assert missed.status == "missed" and "Xã B" in missed.reason("vi")
    # A withheld quarter of a flow no longer keeps it out of missed for ever.
    flow = obs(*[("so-a", f"2025Q{q}", "CT08", 1.0) for q in (1, 2, 3)])
    item = one("CT08", flow, "2030Q4", date(2031, 6, 1), catalogue=catalogue)
    assert item.status in ("no-data", "missed", "at-risk")


def test_4_how_long_reports_are_awaited_is_the_catalogues() -> None:
    catalogue = settings_changed(awaited_days=200)
    data = obs(("xa-a", "2025Q4", "CT01", 70.0, 70, 100))
    item = one("CT01", data, "2025Q4", CLOSED, catalogue=catalogue)
    assert item.status == "at-risk" and item.books_close == date(2026, 8, 3)


# -- 5. exact, and never contradicted by what is shown ---------------------------------------


def test_5_progress_of_exactly_the_tolerance_is_on_track() -> None:
    catalogue = changed("CT03", targets={2025: "≥ 2,0%"})
    # From 0 to 2,0 over 2025: 1,0 needed at mid-year; 0,95 is exactly 95% of it.
    data = obs(("so-a", "2024", "CT03", 0.0), ("so-a", "2025S1", "CT03", 0.95))
    item = one("CT03", data, "2025S1", catalogue=catalogue)
    assert item.status == "on-track" and item.progress == 0.95
    assert "tiến độ 95%" in item.reason("vi")


def test_5_a_value_just_under_its_target_reads_so_in_every_output() -> None:
    catalogue = changed("CT01", targets={2025: "100%"})
    data = obs(
        ("xa-a", "2025Q4", "CT01", 99.92, 9992, 10000),
        ("xa-b", "2025Q4", "CT01", 100.0, 10000, 10000),
    )
    item = one("CT01", data, "2025Q4", catalogue=catalogue)
    assert item.status == "missed" and item.value == 99.96
    assert item.shown_value("vi") == "99,96%" and item.shown_value("en") == "99.96%"
    assert "99,96%" in item.reason("vi") and "100,0%" not in item.reason("vi")
    ind = catalogue.indicator("CT01")
    assert ind is not None
    row = _row(catalogue, ind, item, [], {}, parse_period("2025Q4"), "vi")  # type: ignore[arg-type]
    assert row["value"] == "99,96%"
    assert [r["value"] for r in row["reporters"]] == [
        "99,9% (9.992/10.000)",
        "100,0% (10.000/10.000)",
    ]


def test_5_a_value_and_the_path_it_is_behind_never_read_the_same() -> None:
    catalogue = changed("CT03", targets={2025: "≥ 99,98%"})
    data = obs(("so-a", "2024", "CT03", 99.9), ("so-a", "2025S1", "CT03", 99.93))
    item = one("CT03", data, "2025S1", catalogue=catalogue)
    assert item.status == "at-risk"
    assert item.shown_value("vi") != item.shown_expected("vi")
    # 99,94% is needed at mid-year: at a tenth the value reads 99,9% and the need 100,0%.
    assert item.expected is not None and round(item.expected, 6) == 99.94
    assert item.shown_value("vi") == "99,9%" and item.shown_expected("vi") == "100,0%"


def test_5_a_need_is_never_rounded_down() -> None:
    assert fmt.need(0.25, "count", "vi", 0) == "0,3"
    assert fmt.need(10.01, "count", "vi", 0) == "10,1"
    assert fmt.need(12.96, "percent", "vi", 1, at_most=True) == "12,9%"


def _read(shown: str) -> Decimal:
    return Decimal(shown.rstrip("%").replace(",", ""))


decimals_text = st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False)


@settings(max_examples=examples(300), deadline=None)
@given(
    value=decimals_text,
    target=decimals_text,
    path=decimals_text,
    unit=st.sampled_from(["percent", "count", "index", "per_10k"]),
    at_most=st.booleans(),
)
def test_5_the_shown_value_compares_with_the_shown_target_and_path_as_the_value_does(
    value: Decimal, target: Decimal, path: Decimal, unit: str, at_most: bool
) -> None:
    v, t, p = float(value), float(target), float(path)
    places = fmt.decimals_beside(v, unit, (t,), (p,), None, at_most)  # type: ignore[arg-type]
    shown = _read(fmt.quantity(v, unit, "en", places))  # type: ignore[arg-type]
    need = _read(fmt.need(p, unit, "en", places, at_most))  # type: ignore[arg-type]

    def order(a: Decimal, b: Decimal) -> int:
        return (a > b) - (a < b)

    assert order(shown, target) == order(value, target)
    assert order(shown, need) == order(value, path)


# -- the property of 3: a concluded verdict stands whatever the awaited send ------------------

REPORTERS = {"CT01": ["xa-a", "xa-b"], "CT02": ["so-a", "so-b"], "CT03": ["so-a"], "CT06": ["so-a"]}
PERIODS = {"CT01": ["2025Q3", "2025Q4"], "CT02": [f"2025Q{q}" for q in (1, 2, 3, 4)]}
PERIODS |= {"CT03": ["2025"], "CT06": ["2025"]}


def _row_for(indicator: str, reporter: str, period: str, draw: st.DrawFn) -> tuple[Any, ...]:
    if indicator == "CT01":
        den = draw(st.integers(1, 200))
        num = draw(st.integers(0, den))
        return (reporter, period, indicator, num / den * 100, num, den)
    top = 100 if indicator in ("CT03", "CT06") else 40
    return (reporter, period, indicator, float(draw(st.integers(0, top))))


@st.composite
def partial(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    rows = []
    for indicator, reporters in REPORTERS.items():
        for reporter in reporters:
            for period in PERIODS[indicator]:
                if draw(st.booleans()):
                    rows.append(_row_for(indicator, reporter, period, draw))
    return rows


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=partial(), data=st.data(), as_of=st.sampled_from([AFTER, CLOSED, date(2026, 1, 10)]))
def test_3_a_concluded_verdict_is_stable_under_every_completion(
    rows: list[tuple[Any, ...]], data: st.DataObject, as_of: date
) -> None:
    if not rows:
        return
    before = {i.id: i for i in score(CATALOGUE, obs(*rows), "2025Q4", as_of).indicators}
    extra = []
    for ident in REPORTERS:
        item: IndicatorScore = before[ident]
        for awaited in item.awaited:
            for period in awaited.periods:
                extra.append(_row_for(ident, awaited.reporter, period, data.draw))
    if not extra:
        return
    after = {i.id: i for i in score(CATALOGUE, obs(*rows, *extra), "2025Q4", as_of).indicators}
    for ident in REPORTERS:
        was = before[ident]
        if was.decided and was.status in ("on-track", "missed") and "provisional" not in was.flags:
            assert after[ident].status == was.status, (
                ident,
                was.reason("en"),
                after[ident].reason("en"),
            )


def test_the_working_is_in_the_json() -> None:
    data = obs(("xa-a", "2025Q4", "CT01", 70.0, 70, 100))
    report = score(CATALOGUE, data, "2025Q4", AFTER)
    item = next(i for i in report.model_dump(mode="json")["indicators"] if i["id"] == "CT01")
    assert item["awaited"] == [
        {"reporter": "xa-b", "periods": ["2025Q4"], "due": "2026-01-15", "days_late": 45}
    ]
    assert item["books_close"] == "2026-04-15" and item["decided"] is False
    assert item["reach"] == {"low": 0.0, "high": 100.0, "low_reached": False, "high_reached": False}
    assert item["decimals"] == 1


def test_the_new_flags_are_explained() -> None:
    from plan57.explanations import explain

    for flag in ("awaited", "books-closed"):
        for lang in ("vi", "en"):
            found = explain(flag, lang)  # type: ignore[arg-type]
            assert found.kind == "flag" and found.meaning and found.fix


# -- 8. conflicts are findings, never silent ------------------------------------------------


def test_8_a_single_indicator_is_not_unlike_its_baseline_when_both_are_the_authoritys() -> None:
    catalogue = changed("CT03", reporters=["so-a", "so-b"], authority="so-a")
    data = obs(
        ("so-a", "2024", "CT03", 0.6),
        ("so-b", "2024", "CT03", 0.7),
        ("so-a", "2025S1", "CT03", 0.8),
        ("so-b", "2025S1", "CT03", 0.9),
    )
    item = one("CT03", data, "2025S1", catalogue=catalogue)
    assert item.baseline == 0.6 and "partial-coverage" not in item.flags
    assert "không cùng các đơn vị báo cáo" not in item.reason("vi")


def test_4_whoever_blocks_a_verdict_is_among_the_overdue_with_the_gap_it_blocks() -> None:
    rows = [("so-a", f"2025Q{q}", "CT02", 2.0) for q in (1, 3, 4)]
    rows += [("so-b", f"2025Q{q}", "CT02", 2.0) for q in (1, 2, 3, 4)]
    report = score(CATALOGUE, obs(*rows), "2025Q4", AFTER)
    so_a = next(m for m in report.missing if m.reporter == "so-a")
    assert so_a.blocking == {"CT02": ["2025Q2"]}
    assert so_a.overdue and "CT02" not in so_a.indicators
    from plan57.output.report import _missing

    shown = next(m for m in _missing(CATALOGUE, report, {}, "vi") if m["id"] == "so-a")
    assert "CT02 (còn thiếu 2025Q2, chưa kết luận được)" in shown["indicators"]


# -- 6. evidence from its own period --------------------------------------------------------


def test_6_a_milestone_value_uses_only_figures_of_the_milestones_year() -> None:
    catalogue = changed("CT01", combine="max")
    data = obs(
        ("xa-a", "2024Q4", "CT01", 65.0, 65, 100),
        ("xa-b", "2025Q4", "CT01", 55.0, 55, 100),
    )
    item = one("CT01", data, "2025Q4", AFTER, catalogue=catalogue)
    assert item.value == 55 and item.status == "at-risk" and "đã đạt" not in item.reason("vi")
    assert [a.reporter for a in item.awaited] == ["xa-a"]
    assert "không tính số liệu trước năm 2025 vào giá trị của mốc: Xã A (2024Q4)" in item.reason(
        "vi"
    )
    # Between milestones the same figure still stands, for what it says about the path.
    assert one("CT01", data, "2025Q3", AFTER, catalogue=catalogue).value == 65


# -- 7. no phantom deadlines ----------------------------------------------------------------


def test_7_after_the_last_filled_milestone_no_period_is_another_deadline() -> None:
    # CT03: ≥ 1,5% by 2030 and nothing after; 1,2% in 2031 is behind the target that still
    # stands, not missed again every quarter, and no reason speaks of a "milestone 2031".
    data = obs(("so-a", "2030", "CT03", 1.6), ("so-a", "2031S1", "CT03", 1.2))
    item = one("CT03", data, "2031Q2")
    assert item.status == "at-risk" and item.milestone == 2030
    assert "mốc 2031" not in item.reason("vi") and item.awaited == []
    later = one("CT03", obs(("so-a", "2035", "CT03", 1.6)), "2036Q4")
    assert later.status == "on-track" and "mốc 2036" not in later.reason("vi")
    # The milestone itself is still a deadline.
    assert one("CT03", obs(("so-a", "2030", "CT03", 1.2)), "2030Q4").status == "missed"


def test_7_a_yes_no_is_not_at_risk_years_before_its_only_milestone() -> None:
    catalogue = changed("CT04", targets={2035: "Có"})
    early = one("CT04", obs(("so-a", "2025", "CT04", False)), "2025Q4", catalogue=catalogue)
    assert early.status == "on-track" and "còn thời hạn đến hết năm 2035" in early.reason("vi")
    final = one("CT04", obs(("so-a", "2035S1", "CT04", False)), "2035Q2", catalogue=catalogue)
    assert final.status == "at-risk"


def test_7_a_small_yearly_count_is_not_at_risk_in_the_first_quarter_by_pro_rating() -> None:
    catalogue = changed("CT08", targets={2025: "≥ 1", 2030: "≥ 1"})
    item = one("CT08", obs(("so-a", "2025Q1", "CT08", 0.0)), "2025Q1", catalogue=catalogue)
    assert item.status == "on-track" and item.expected == 0
    # A whole unit due is a need: 16 a year needs 4 by the end of March.
    flow = one(
        "CT02", obs(("so-a", "2025Q1", "CT02", 1.0), ("so-b", "2025Q1", "CT02", 1.0)), "2025Q1"
    )
    assert flow.status == "at-risk" and flow.expected == 4


def test_a_compound_path_is_named_as_such_in_both_languages() -> None:
    data = obs(("so-a", "2030", "CT05", 15.0), ("so-a", "2031", "CT05", 30.0))
    item = one("CT05", data, "2031Q4")
    assert "lộ trình tăng theo cấp số nhân" in item.reason("vi")
    assert "the compound path (steady growth)" in item.reason("en")
    straight = one(
        "CT03", obs(("so-a", "2024", "CT03", 0.6), ("so-a", "2025S1", "CT03", 0.8)), "2025Q3"
    )
    assert "the straight path" in straight.reason("en") and "cấp số nhân" not in straight.reason(
        "vi"
    )


def test_vietnamese_reasons_never_use_an_iso_date_or_a_decimal_point() -> None:
    import re
    from pathlib import Path

    from plan57 import api
    from plan57.formatting import change_value

    root = Path(__file__).parent.parent
    iso, point = re.compile(r"\d{4}-\d{2}-\d{2}"), re.compile(r"\d\.\d{1,2}(?!\d)")
    for period, as_of in (
        ("2025Q2", "2025-07-20"),
        ("2025Q4", "2026-01-20"),
        ("2025Q4", "2026-06-01"),
    ):
        for item in api.score(root, period=period, as_of=as_of).indicators:
            reason = item.reason("vi")
            assert not iso.search(reason) and not point.search(reason), (item.id, reason)
    assert change_value(48.25, "vi") == "48,25" and change_value(48.25, "en") == "48.25"


def test_7_an_annual_figure_stands_through_the_next_years_quarters() -> None:
    data = obs(("so-a", "2024", "CT03", 0.6), ("so-a", "2025", "CT03", 1.1))
    for period in ("2026Q1", "2026Q2", "2026Q3"):
        item = one("CT03", data, period)
        assert item.status == "on-track" and item.flags == [], (period, item.flags)
    # Once the 2026 report is owed, the 2025 figure is carried forward, and named so.
    assert "carried-forward" in one("CT03", data, "2026Q4").flags


def test_8_an_annual_flow_figure_after_q1_to_q3_stands_for_the_year() -> None:
    # What check now lets through (flow-annual-conflict warns only on a contradiction).
    rows = [("so-a", f"2025Q{q}", "CT08", 5.0) for q in (1, 2, 3)] + [
        ("so-a", "2025", "CT08", 19.0)
    ]
    item = one("CT08", obs(*rows), "2025Q4", catalogue=changed("CT08", targets={2025: "≥ 16"}))
    assert item.value == 19 and item.status == "on-track" and item.missing_periods == {}


def test_6_figures_of_different_dates_are_each_held_against_the_path_at_their_own_date() -> None:
    # From 0% (2024) to 60% by the end of 2025: 55% is due at 30/11, 45% at 30/09. Xã A sent
    # its November figure and Xã B its third quarter's, each exactly on the path.
    data = obs(
        ("xa-a", "2024", "CT01", 0.0, 0, 100),
        ("xa-b", "2024", "CT01", 0.0, 0, 100),
        ("xa-a", "2025M11", "CT01", 55.0, 55, 100),
        ("xa-b", "2025Q3", "CT01", 45.0, 45, 100),
    )
    item = one("CT01", data, "2025M11", date(2026, 1, 5))
    assert item.value == 50 and item.expected == 50 and item.progress == 1
    assert item.status == "on-track"


def test_a_warnings_figures_are_in_the_readers_notation() -> None:
    from plan57.findings import make_finding
    from plan57.formatting import Number

    fell = make_finding(
        "stock-fell",
        value=Number(48.25),
        previous=Number(1250.5),
        previous_period="2025Q1",
    )
    assert fell.message("vi") == "Giá trị giảm từ 1.250,5 (kỳ 2025Q1) xuống 48,25."
    assert fell.message("en") == "The value fell from 1,250.5 (period 2025Q1) to 48.25."


def test_a_sentence_names_a_few_awaited_and_counts_the_rest_the_json_lists_them_all() -> None:
    assert Few(("a", "b", "c"), more=7).render("en") == "a, b, c and 7 others"
    rows = [("xa-a", "2025Q4", "CT01", 50.0, 50, 100)]
    item = one("CT01", obs(*rows), "2025Q4", AFTER)
    assert [a.reporter for a in item.awaited] == ["xa-b"] and "Xã B" in item.reason("vi")
