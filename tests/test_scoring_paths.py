"""The shortcuts scoring takes at province scale give what the plain pandas way gives.

`Frame` selects each period's figures with arrays over its sorted rows, picks `single` and
`max` figures in plain Python, combines every quarter of a chart's history in one pass, and
reads a flow's year, its gaps and a figure's own row from plain lists. Each is checked here,
on random observations (duplicates across files, annual beside monthly reports, yes/no
answers, ratios with and without their parts), against the pandas code it replaced, kept
below as the reference. Speed itself is measured by `make bench`, never by a test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from plan57.catalogue.models import Catalogue, Indicator
from plan57.periods import parse_period
from plan57.scoring.figures import Frame, _note, _records, indicator_figures, stale_cutoff
from plan57.scoring.judging import history
from plan57.scoring.verdicts import rounded

ROOT = Path(__file__).resolve().parents[1]


def _catalogue() -> Catalogue:
    """The real catalogue, with a few indicators changed so that every rule is exercised."""
    raw = yaml.safe_load((ROOT / "data" / "targets.yaml").read_text("utf-8"))
    changes: dict[str, dict[str, Any]] = {
        # A flow summed over three departments, a stock summed, a yes/no asked of three.
        "CT15": {"combine": "sum", "reporters": ["so-khcn", "so-tc", "so-nv"], "authority": None},
        "CT06": {"combine": "sum", "reporters": ["so-khcn", "so-tc", "so-nv"], "authority": None},
        "CT04": {"combine": "sum", "reporters": ["so-khcn", "so-tc", "so-nv"], "authority": None},
        # An authority among other reporters, for a stock and for a flow.
        "CT05": {"reporters": ["so-tc", "so-khcn"]},
        "CT17": {"reporters": ["so-khcn", "so-tc"]},
    }
    for entry in raw["indicators"]:
        entry.update(changes.get(entry["id"], {}))
        if entry.get("authority") is None:
            entry.pop("authority", None)
    return Catalogue.model_validate(raw)


CATALOGUE = _catalogue()
# Stock max (CT01), yes/no (CT04), stock single (CT05), stock sum (CT06), ratio (CT10), flow
# sum (CT15), flow single (CT17).
INDICATORS = ["CT01", "CT04", "CT05", "CT06", "CT10", "CT15", "CT17"]
REPORTERS = ["so-khcn", "so-tc", "so-nv", "so-yt", "viettel-dak-lak", "vnpt-dak-lak"]
PERIODS = [
    "2024",
    "2024Q4",
    "2024M12",
    "2025M01",
    "2025M02",
    "2025M03",
    "2025Q1",
    "2025S1",
    "2025M06",
    "2025Q2",
    "2025",
    "2025M12",
    "2025Q4",
    "2026M01",
    "2026Q1",
]
ENDS = [date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30), date(2025, 12, 31)]
ENDS += [date(2026, 1, 31), date(2026, 3, 31)]
NUMBER = st.sampled_from([0.0, 1.0, 2.5, 7.0, 10.0, 0.1, 0.2, 100.0, float("nan")])
ROW = st.tuples(
    st.sampled_from(INDICATORS),
    st.sampled_from(REPORTERS),
    st.sampled_from(PERIODS),
    NUMBER,
    st.sampled_from([True, False, None]),
    NUMBER,
    NUMBER,
    st.sampled_from(["a", "b"]),
    st.integers(2, 4),
)


@st.composite
def rows_with_duplicates(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    """Rows, some of them sent again in another file with another value and note."""
    rows = draw(st.lists(ROW, max_size=30))
    again = draw(st.lists(st.integers(0, max(len(rows) - 1, 0)), max_size=6)) if rows else []
    for position in again:
        indicator, reporter, period, _, answer, numerator, denominator, _, line = rows[position]
        value = draw(NUMBER)
        rows.append((indicator, reporter, period, value, answer, numerator, denominator, "c", line))
    return rows


def observations(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Observations as `validate` produces them (a yes/no row carries its answer, no value)."""
    records = []
    for indicator, reporter, text, value, answer, numerator, denominator, file, line in rows:
        period = parse_period(text)
        assert period is not None
        yes_no = indicator == "CT04"
        records.append(
            {
                "reporter": reporter,
                "period": text,
                "indicator": indicator,
                "value": float("nan") if yes_no else value,
                "answer": answer if yes_no else None,
                "numerator": numerator,
                "denominator": denominator,
                "file": f"data/submissions/{reporter}/{text}-{file}.csv",
                "line": line,
                "start": pd.Timestamp(period.start),
                "end": pd.Timestamp(period.end),
                "months": period.months,
                "note": f"{file}{line}",
            }
        )
    columns = ["reporter", "period", "indicator", "value", "answer", "numerator"]
    columns += ["denominator", "file", "line", "start", "end", "months", "note"]
    out = pd.DataFrame(records, columns=columns)
    out["answer"] = out["answer"].astype(object)
    for name in ("value", "numerator", "denominator"):
        out[name] = out[name].astype("float64")
    for name in ("line", "months"):
        out[name] = out[name].astype("int64")
    out["end"] = out["end"].astype("datetime64[ns]")
    return out


# --- the reference: the pandas code the shortcuts replaced ------------------------------------


def contributions_reference(frame: Frame, end: date, detail: bool) -> pd.DataFrame:
    stamp = pd.Timestamp(end)
    rows = frame.rows
    upto = rows[rows["end"] <= stamp]
    cutoff = pd.Timestamp(stale_cutoff(end, frame.stale_months))
    stock = upto[~upto["flow"] & (upto["end"] >= cutoff)]
    latest = stock.drop_duplicates(["indicator", "reporter"], keep="last")
    parts = [latest[["indicator", "reporter", "value", "numerator", "denominator", "period"]]]
    parts[0] = parts[0].assign(last=latest["end"])
    flow = upto[upto["flow"] & (upto["end"].dt.year == end.year)]
    if not flow.empty:
        annual = flow["months"] == 12
        has_annual = annual.groupby([flow["indicator"], flow["reporter"]]).transform("any")
        flow = flow[annual | ~has_annual]
        grouped = flow.groupby(["indicator", "reporter"], sort=False)
        sums = grouped[["value", "numerator", "denominator"]].sum(min_count=1)
        sums["last"] = grouped["end"].max()
        sums["period"] = grouped["period"].agg(" ".join) if detail else ""
        parts.append(sums.reset_index())
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def combine_reference(
    frame: Frame, contributions: pd.DataFrame
) -> tuple[dict[str, float], set[str]]:
    if contributions.empty:
        return {}, set()
    rows = contributions.join(frame.meta[["combine", "authority", "scale"]], on="indicator")
    combine = rows["combine"]
    single = rows[(combine == "single") & (rows["reporter"] == rows["authority"])]
    pieces = [
        single.groupby("indicator")["value"].first(),
        rows[combine == "sum"].groupby("indicator")["value"].sum(),
        rows[combine == "max"].groupby("indicator")["value"].max(),
    ]
    ratio = rows[combine == "ratio"]
    unweighted: set[str] = set()
    if not ratio.empty:
        complete = ratio["numerator"].notna() & ratio["denominator"].notna()
        sums = ratio[complete].groupby("indicator")[["numerator", "denominator"]].sum()
        sums = sums[sums["denominator"] > 0]
        scale = frame.meta.loc[sums.index, "scale"]
        pieces.append(sums["numerator"] / sums["denominator"] * scale)
        rest = ratio[~ratio["indicator"].isin(sums.index)]
        if not rest.empty:
            means = rest.groupby("indicator")["value"].agg(["mean", "count"])
            pieces.append(means["mean"])
            unweighted = set(means.index[means["count"] > 1])
    values: dict[str, float] = {}
    for piece in pieces:
        for indicator, value in piece.items():
            if pd.notna(value):
                values[str(indicator)] = float(value)
    return values, unweighted


def latest_reference(frame: Frame, end: date) -> dict[str, tuple[str, date]]:
    upto = frame.rows[frame.rows["end"] <= pd.Timestamp(end)]
    if upto.empty:
        return {}
    last = upto.sort_values(["indicator", "end", "months"], kind="mergesort").drop_duplicates(
        "indicator", keep="last"
    )
    return {
        str(ind): (str(per), stamp.date())
        for ind, per, stamp in zip(last["indicator"], last["period"], last["end"], strict=True)
    }


def quarters_reference(frame: Frame) -> set[tuple[str, date]]:
    if frame.rows.empty:
        return set()
    stamps = frame.rows["end"] + pd.offsets.QuarterEnd(0)
    pairs = pd.DataFrame({"indicator": frame.rows["indicator"], "end": stamps}).drop_duplicates()
    months = frame.rows[["indicator", "end"]].drop_duplicates()
    out = {(str(i), e.date()) for i, e in zip(pairs["indicator"], pairs["end"], strict=True)}
    out |= {(str(i), e.date()) for i, e in zip(months["indicator"], months["end"], strict=True)}
    return out


def year_rows_reference(frame: Frame, indicator: str, year: int, upto: date) -> list[int]:
    rows = frame.rows[frame.rows["indicator"] == indicator]
    rows = rows[(rows["end"].dt.year == year) & (rows["end"] <= pd.Timestamp(upto))]
    annual = rows["months"] == 12
    has_annual = annual.groupby(rows["reporter"]).transform("any")
    kept = rows[annual | ~has_annual]
    return [int(i) for i in frame.rows.index.get_indexer(kept.index)]


def figures_reference(
    frame: Frame, ind: Indicator, contributions: pd.DataFrame, end: date
) -> dict[str, tuple[dict[str, float], dict[str, str]]]:
    rows = contributions[contributions["indicator"] == ind.id]
    if rows.empty:
        return {}
    if ind.flow:
        source = frame.rows.iloc[year_rows_reference(frame, ind.id, end.year, end)]
    else:
        source = frame.rows[frame.rows["indicator"] == ind.id]
    shown_periods = {p for text_periods in rows["period"] for p in str(text_periods).split()}
    source = source[source["period"].isin(shown_periods)]
    detail: dict[str, dict[str, tuple[float, str]]] = {}
    for reporter, period, value, note in zip(
        source["reporter"], source["period"], source["value"], source["note"], strict=True
    ):
        detail.setdefault(str(reporter), {})[str(period)] = (float(value), _note(note))
    out = {}
    for reporter, periods in zip(rows["reporter"], rows["period"], strict=True):
        shown = sorted(str(periods).split())
        mine = detail.get(str(reporter), {})
        figures = {p: rounded(mine[p][0]) or 0.0 for p in shown if p in mine} if ind.flow else {}
        notes = {p: mine[p][1] for p in shown if p in mine and mine[p][1]}
        out[str(reporter)] = (figures, notes)
    return out


# --- the property ------------------------------------------------------------------------------


@settings(max_examples=examples(60), deadline=None)
@given(rows=rows_with_duplicates())
def test_the_frame_selects_and_combines_as_pandas_did(rows: list[tuple[Any, ...]]) -> None:
    frame = Frame(CATALOGUE, observations(rows))
    for end in ENDS:
        for detail in (True, False):
            fast = frame.contributions(end, detail=detail)
            slow = contributions_reference(frame, end, detail)
            pd.testing.assert_frame_equal(
                fast.drop(columns=["at", "row"]).reset_index(drop=True),
                slow.reset_index(drop=True),
            )
            assert frame.combine(fast) == combine_reference(frame, slow)
            if detail:
                for ind in CATALOGUE.indicators:
                    assert _shown(frame, ind, fast, end) == figures_reference(frame, ind, slow, end)
        assert frame.latest_before(end) == latest_reference(frame, end)
        for indicator in ("CT15", "CT17"):
            fast_rows = frame.year_rows(indicator, end.year, end)
            assert fast_rows == year_rows_reference(frame, indicator, end.year, end)
    assert frame.reported_quarters() == quarters_reference(frame)


def _shown(
    frame: Frame, ind: Indicator, contributions: pd.DataFrame, end: date
) -> dict[str, tuple[dict[str, float], dict[str, str]]]:
    """Each reporter's figure per period and notes, as scoring shows them."""
    records = _records(contributions).get(ind.id)
    return {
        f.id: (f.figures, f.notes) for f in indicator_figures(CATALOGUE, ind, records, frame, end)
    }


@settings(max_examples=examples(40), deadline=None)
@given(rows=rows_with_duplicates())
def test_the_history_in_one_pass_is_each_quarter_on_its_own(rows: list[tuple[Any, ...]]) -> None:
    data = observations(rows)
    period = parse_period("2026Q1")
    assert period is not None
    frame = Frame(CATALOGUE, data)
    reported = quarters_reference(frame)
    expected: dict[str, list[tuple[date, float]]] = {i.id: [] for i in CATALOGUE.indicators}
    for end in frame.quarter_ends(period.end):
        values, _ = combine_reference(frame, contributions_reference(frame, end, False))
        for indicator, value in values.items():
            if (indicator, end) in reported:
                expected[indicator].append((end, value))
    points = history(CATALOGUE, data, period)
    assert {i: [(p.end, p.value) for p in ps] for i, ps in points.items()} == expected
