"""Scoring: a status for every indicator in a period, the figures behind it and its reason in words.

The method is written down in docs/methodology.md; in short:

- a stock's value is each reporter's latest figure for a period ending by the period's end (no
  older than `scoring.stale_after_months`); a per-year flow's value is the sum of the year's
  periods so far, an annual report standing for its reporter's year;
- reporters combine as the catalogue says: `sum`, `ratio` (summed numerators over summed
  denominators), `max` (coverage by several operators) or `single` (one authoritative reporter);
- the target is the first milestone whose 31 December is on or after the period's end; the
  expected value lies on the straight line to it from the baseline (or from the previous
  milestone's target once that has passed); for flows, the year's target is interpolated
  between the milestones around it and pro-rated within the year;
- `on-track` when the target is met or progress is at least the tolerance of the expected
  progress, `missed` when the deadline is reached unmet, `at-risk` otherwise, `no-data` when
  there is nothing to score.

Aggregation is done by pandas on the whole frame of observations at once (a province has tens
of thousands of rows); only the final judgement runs per indicator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel

from plan57 import formatting as fmt
from plan57.errors import UsageError
from plan57.grammar import RATIO_SCALE  # as `check` verifies it
from plan57.messages import Lang, text
from plan57.models import Catalogue, Indicator, Target, Unit
from plan57.periods import Period, parse_period

Status = Literal["on-track", "at-risk", "missed", "no-data"]
STATUSES: tuple[Status, ...] = ("on-track", "at-risk", "missed", "no-data")
BaselineSource = Literal["catalogue", "reported"]

# Figures in the JSON are rounded so that float noise (0.1 + 0.2) never reaches the contract.
_DIGITS = 6
_FREQUENCY_MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


class ReporterFigure(BaseModel):
    """What one reporter contributed to an indicator's value for the period."""

    id: str
    value: float | None
    answer: bool | None = None
    numerator: float | None = None
    denominator: float | None = None
    periods: list[str]
    used: bool


class IndicatorScore(BaseModel):
    """One indicator's status, the figures behind it and the reason in words."""

    id: str
    status: Status
    value: float | None
    baseline: float | None
    expected: float | None
    milestone: int | None
    target: Target | None
    reporters: list[ReporterFigure]
    reason: str
    name: str
    group: str
    unit: Unit
    flow: bool
    answer: bool | None = None
    progress: float | None = None
    baseline_source: BaselineSource | None = None
    # Where the expected path starts: the baseline year, or the previous milestone once passed.
    start_year: int | None = None
    start_value: float | None = None
    # Flows: the year's target on the way to the milestone, before pro-rating within the year.
    year_target: float | None = None
    periods: list[str]
    missing: list[str]
    flags: list[str]


class MissingReport(BaseModel):
    """A reporter without a usable figure for indicators due for the period."""

    reporter: str
    indicators: list[str]
    due: date
    overdue: bool


class ScoreReport(BaseModel):
    """The result of `plan57 score`; its JSON dump is the command's public contract."""

    period: str
    as_of: date
    targets_revision: str | None = None
    indicators: list[IndicatorScore]
    summary: dict[str, int]
    missing: list[MissingReport]


@dataclass(frozen=True)
class Point:
    """One value of an indicator's history, at the end of the period it describes."""

    end: date
    value: float


def score(
    catalogue: Catalogue,
    observations: pd.DataFrame,
    period: Period | str,
    as_of: date,
    lang: Lang,
) -> ScoreReport:
    """Score every indicator of `catalogue` for `period` from the validated `observations`."""
    target_period = _period(period, catalogue, as_of)
    frame = _Frame(catalogue, observations)
    end = target_period.end
    contributions = frame.contributions(end, detail=True)
    values, unweighted = frame.combine(contributions)
    baseline_end = date(catalogue.plan.baseline_year, 12, 31)
    baselines, _ = frame.combine(frame.contributions(baseline_end, detail=False))
    by_indicator = {
        key: group for key, group in contributions.groupby("indicator", sort=False, observed=True)
    }
    latest = frame.latest_before(end)
    judge = _Judge(catalogue, target_period, lang)
    scores: list[IndicatorScore] = []
    for ind in catalogue.indicators:
        rows = by_indicator.get(ind.id)
        reported_baseline = baselines.get(ind.id)
        if ind.baseline is not None:
            baseline: float | None = ind.baseline
            source: BaselineSource | None = "catalogue"
        elif reported_baseline is not None and ind.unit != "yes_no":
            baseline, source = reported_baseline, "reported"
        else:
            baseline, source = None, None
        figures = _figures(catalogue, ind, rows, frame.authority.get(ind.id))
        scores.append(
            judge.indicator(
                ind,
                value=values.get(ind.id),
                baseline=baseline,
                baseline_source=source,
                figures=figures,
                latest=latest.get(ind.id),
                unweighted=ind.id in unweighted,
                authority=frame.authority.get(ind.id),
            )
        )
    summary = {status: 0 for status in STATUSES}
    for item in scores:
        summary[item.status] += 1
    return ScoreReport(
        period=str(target_period),
        as_of=as_of,
        indicators=scores,
        summary=summary,
        missing=missing_reports(catalogue, observations, target_period, as_of),
    )


def history(
    catalogue: Catalogue, observations: pd.DataFrame, period: Period
) -> dict[str, list[Point]]:
    """Each indicator's value at every quarter's end up to the period's end, for charts.

    A point is shown only where some reporter reported a period ending in that quarter, so
    that a figure carried forward is never drawn as if it had been reported again. A flow's
    points are the year's running totals.
    """
    frame = _Frame(catalogue, observations)
    quarter_ends = frame.quarter_ends(period.end)
    reported = frame.reported_quarters()
    points: dict[str, list[Point]] = {ind.id: [] for ind in catalogue.indicators}
    for quarter_end in quarter_ends:
        values, _ = frame.combine(frame.contributions(quarter_end, detail=False))
        for indicator, value in values.items():
            if (indicator, quarter_end) in reported and indicator in points:
                points[indicator].append(Point(quarter_end, value))
    return points


def missing_reports(
    catalogue: Catalogue, observations: pd.DataFrame, period: Period, as_of: date
) -> list[MissingReport]:
    """Reporters that have no valid figure for indicators due at the period's end.

    An indicator is due when the period's end closes one of its reporting periods (a quarterly
    indicator at each quarter's end, an annual one at the year's end); any valid report
    ending that day counts (2025Q4, 2025M12 or the year 2025 for a quarterly indicator).
    """
    end = pd.Timestamp(period.end)
    present: set[tuple[str, str]] = set()
    if not observations.empty:
        closing = observations[observations["end"] == end]
        present = set(zip(closing["reporter"], closing["indicator"], strict=True))
    due = date.fromordinal(period.end.toordinal() + catalogue.submission.deadline_days)
    owed: dict[str, list[str]] = {}
    for ind in catalogue.indicators:
        if period.end.month % _FREQUENCY_MONTHS[ind.frequency] != 0:
            continue
        for reporter in catalogue.expand(ind.reporters):
            if (reporter, ind.id) not in present:
                owed.setdefault(reporter, []).append(ind.id)
    order = {rid: n for n, rid in enumerate(catalogue.reporter_ids())}
    return [
        MissingReport(reporter=reporter, indicators=ids, due=due, overdue=as_of > due)
        for reporter, ids in sorted(
            owed.items(), key=lambda item: (order.get(item[0], 1 << 30), item[0])
        )
    ]


def _period(period: Period | str, catalogue: Catalogue, as_of: date) -> Period:
    if isinstance(period, Period):
        parsed: Period | None = period
    else:
        parsed = parse_period(period.strip())
    if parsed is None:
        raise UsageError("bad-period-option", value=str(period))
    if parsed.year < catalogue.plan.baseline_year:
        raise UsageError(
            "score-period-too-early", period=str(parsed), baseline=catalogue.plan.baseline_year
        )
    if parsed.end > as_of:
        raise UsageError(
            "score-period-not-over",
            period=str(parsed),
            end=parsed.end.isoformat(),
            as_of=as_of.isoformat(),
        )
    return parsed


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_end(index: int) -> date:
    year, month = divmod(index, 12)
    if month == 11:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 2, 1).toordinal() - 1)


def months_between(start: date, end: date) -> int:
    """Whole months from one month's end to another's (both are always month ends here)."""
    return _month_index(end) - _month_index(start)


def stale_cutoff(end: date, months: int) -> date:
    """The oldest period end a stock's figure may have to count at `end`."""
    return _month_end(_month_index(end) - months)


class _Frame:
    """The observations joined with what the catalogue says about each indicator."""

    def __init__(self, catalogue: Catalogue, observations: pd.DataFrame) -> None:
        self.catalogue = catalogue
        self.stale_months = catalogue.scoring.stale_after_months
        self.authority: dict[str, str] = {}
        meta: dict[str, list[Any]] = {
            "indicator": [],
            "flow": [],
            "unit": [],
            "combine": [],
            "authority": [],
            "scale": [],
        }
        for ind in catalogue.indicators:
            combine: str = ind.combine
            if ind.unit == "yes_no" and combine != "single":
                combine = "max"  # several yes/no reports: yes when any says yes
            authority = ind.authority
            if combine == "single" and authority is None:
                expanded = catalogue.expand(ind.reporters)
                authority = expanded[0] if expanded else None
            if authority is not None:
                self.authority[ind.id] = authority
            meta["indicator"].append(ind.id)
            meta["flow"].append(ind.flow)
            meta["unit"].append(ind.unit)
            meta["combine"].append(combine)
            meta["authority"].append(authority)
            meta["scale"].append(RATIO_SCALE.get(ind.unit, 1.0))
        self.meta = pd.DataFrame(meta).set_index("indicator")
        columns = ["reporter", "period", "indicator", "value", "answer", "numerator"]
        columns += ["denominator", "end", "months", "file", "line"]
        if observations.empty:
            rows = pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
            rows["end"] = pd.Series(dtype="datetime64[ns]")
            for name in ("value", "numerator", "denominator"):
                rows[name] = pd.Series(dtype="float64")
            rows["months"] = pd.Series(dtype="int64")
        else:
            rows = observations[columns]
        rows = rows.join(self.meta[["flow", "unit"]], on="indicator", how="inner")
        rows = rows.reset_index(drop=True)
        yes_no = rows["unit"] == "yes_no"
        if yes_no.any():
            rows = rows.copy()
            answers = rows.loc[yes_no, "answer"].map({True: 1.0, False: 0.0})
            rows.loc[yes_no, "value"] = answers.astype("float64")
        rows = rows[rows["value"].notna()]
        self.rows = rows.sort_values(
            ["indicator", "reporter", "end", "months", "file", "line"], kind="mergesort"
        )

    def contributions(self, end: date, *, detail: bool) -> pd.DataFrame:
        """Each (indicator, reporter)'s figure as it stood at `end`."""
        stamp = pd.Timestamp(end)
        rows = self.rows
        upto = rows[rows["end"] <= stamp]
        cutoff = pd.Timestamp(stale_cutoff(end, self.stale_months))
        stock = upto[~upto["flow"] & (upto["end"] >= cutoff)]
        latest = stock.drop_duplicates(["indicator", "reporter"], keep="last")
        parts = [latest[["indicator", "reporter", "value", "numerator", "denominator", "period"]]]
        flow = upto[upto["flow"] & (upto["end"].dt.year == end.year)]
        if not flow.empty:
            annual = flow["months"] == 12
            has_annual = annual.groupby([flow["indicator"], flow["reporter"]]).transform("any")
            flow = flow[annual | ~has_annual]
            grouped = flow.groupby(["indicator", "reporter"], sort=False)
            sums = grouped[["value", "numerator", "denominator"]].sum(min_count=1)
            if detail:
                sums["period"] = grouped["period"].agg(" ".join)
            else:
                sums["period"] = ""
            parts.append(sums.reset_index())
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def combine(self, contributions: pd.DataFrame) -> tuple[dict[str, float], set[str]]:
        """Each indicator's value from its reporters' figures, and the ratios averaged unweighted."""
        if contributions.empty:
            return {}, set()
        rows = contributions.join(self.meta[["combine", "authority", "scale"]], on="indicator")
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
            scale = self.meta.loc[sums.index, "scale"]
            pieces.append(sums["numerator"] / sums["denominator"] * scale)
            # `check` requires numerators and denominators for ratios; this only guards data
            # that bypassed it, and says so in the flags instead of weighting silently.
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

    def latest_before(self, end: date) -> dict[str, tuple[str, date]]:
        """Each indicator's most recent reported period ending by `end`, stale or not."""
        upto = self.rows[self.rows["end"] <= pd.Timestamp(end)]
        if upto.empty:
            return {}
        last = upto.sort_values(["indicator", "end", "months"], kind="mergesort").drop_duplicates(
            "indicator", keep="last"
        )
        return {
            str(ind): (str(per), stamp.date())
            for ind, per, stamp in zip(last["indicator"], last["period"], last["end"], strict=True)
        }

    def quarter_ends(self, end: date) -> list[date]:
        first = date(self.catalogue.plan.baseline_year, 3, 31)
        ends: list[date] = []
        index = _month_index(first)
        while index <= _month_index(end):
            ends.append(_month_end(index))
            index += 3
        if not ends or ends[-1] != end:
            ends.append(end)
        return ends

    def reported_quarters(self) -> set[tuple[str, date]]:
        """(indicator, quarter end) pairs for which some period ending in that quarter was reported."""
        if self.rows.empty:
            return set()
        stamps = self.rows["end"] + pd.offsets.QuarterEnd(0)
        pairs = pd.DataFrame({"indicator": self.rows["indicator"], "end": stamps}).drop_duplicates()
        # Reports ending mid-quarter (a month) also mark their own month, for a month's report.
        months = self.rows[["indicator", "end"]].drop_duplicates()
        out = {(str(i), e.date()) for i, e in zip(pairs["indicator"], pairs["end"], strict=True)}
        out |= {(str(i), e.date()) for i, e in zip(months["indicator"], months["end"], strict=True)}
        return out


def _figures(
    catalogue: Catalogue, ind: Indicator, rows: pd.DataFrame | None, authority: str | None
) -> list[ReporterFigure]:
    if rows is None:
        return []
    order = {rid: n for n, rid in enumerate(catalogue.expand(ind.reporters))}
    figures = []
    for reporter, value, numerator, denominator, periods in zip(
        rows["reporter"],
        rows["value"],
        rows["numerator"],
        rows["denominator"],
        rows["period"],
        strict=True,
    ):
        yes_no = ind.unit == "yes_no"
        figures.append(
            ReporterFigure(
                id=str(reporter),
                value=None if yes_no else _round(value),
                answer=bool(value >= 0.5) if yes_no else None,
                numerator=_round(numerator),
                denominator=_round(denominator),
                periods=sorted(str(periods).split()),
                used=ind.combine != "single" or reporter == authority,
            )
        )
    figures.sort(key=lambda f: (order.get(f.id, 1 << 30), f.id))
    return figures


def _round(value: Any, digits: int = _DIGITS) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


def _usable(target: Target, unit: Unit) -> bool:
    """Yes/no indicators are judged on their wording; the others need a number to reach."""
    return True if unit == "yes_no" else target.threshold is not None


def scored_targets(ind: Indicator) -> list[Target]:
    """The indicator's targets that scoring can use, by year."""
    return sorted((t for t in ind.targets if _usable(t, ind.unit)), key=lambda t: t.year)


class _Judge:
    """The per-indicator judgement, once the frame has produced the figures."""

    def __init__(self, catalogue: Catalogue, period: Period, lang: Lang) -> None:
        self.catalogue = catalogue
        self.period = period
        self.lang = lang
        self.tolerance = catalogue.scoring.tolerance
        self.baseline_year = catalogue.plan.baseline_year

    def indicator(
        self,
        ind: Indicator,
        *,
        value: float | None,
        baseline: float | None,
        baseline_source: BaselineSource | None,
        figures: list[ReporterFigure],
        latest: tuple[str, date] | None,
        unweighted: bool,
        authority: str | None,
    ) -> IndicatorScore:
        targets = scored_targets(ind)
        end = self.period.end
        applicable = next((t for t in targets if date(t.year, 12, 31) >= end), None)
        if applicable is None and targets:
            applicable = targets[-1]  # past the last milestone its target still stands
        contributed = {f.id for f in figures}
        missing = [r for r in self.catalogue.expand(ind.reporters) if r not in contributed]
        periods = sorted({p for f in figures if f.used for p in f.periods})
        result: dict[str, Any] = {
            "id": ind.id,
            "name": ind.name(self.lang),
            "group": ind.group,
            "unit": ind.unit,
            "flow": ind.flow,
            "milestone": applicable.year if applicable else None,
            "target": applicable,
            "reporters": figures,
            "periods": periods,
            "missing": missing,
            "baseline": _round(baseline),
            "baseline_source": baseline_source,
            "flags": ["unweighted"] if unweighted else [],
        }
        if applicable is None:
            return IndicatorScore(
                **result,
                status="no-data",
                value=None,
                expected=None,
                reason=text("score.no-target", self.lang),
            )
        if value is None:
            return IndicatorScore(
                **result,
                status="no-data",
                value=None,
                expected=None,
                reason=self._no_data_reason(ind, figures, latest, authority),
            )
        if ind.unit == "yes_no":
            return self._yes_no(ind, result, value >= 0.5, applicable, periods)
        if ind.flow:
            return self._flow(ind, result, value, baseline, applicable, targets)
        return self._stock(ind, result, value, baseline, applicable, targets, periods)

    # -- the three kinds of indicator ------------------------------------------------------

    def _yes_no(
        self,
        ind: Indicator,
        result: dict[str, Any],
        answer: bool,
        applicable: Target,
        periods: list[str],
    ) -> IndicatorScore:
        lang = self.lang
        deadline = self.period.end >= date(applicable.year, 12, 31)
        status: Status = "on-track" if answer else "missed" if deadline else "at-risk"
        shown = self._value_text(fmt.answer(answer, lang), periods)
        against = text(
            "score.against-yes-no",
            lang,
            target=fmt.qualitative(applicable.text, lang),
            year=applicable.year,
        )
        verdict = text("score.met" if answer else "score.not-met", lang)
        if not answer and not deadline:
            verdict = text("score.not-yet", lang)
        return IndicatorScore(
            **result,
            status=status,
            value=None,
            answer=answer,
            expected=None,
            reason=_sentence(shown, against, verdict),
        )

    def _stock(
        self,
        ind: Indicator,
        result: dict[str, Any],
        value: float,
        baseline: float | None,
        applicable: Target,
        targets: list[Target],
        periods: list[str],
    ) -> IndicatorScore:
        lang, unit = self.lang, ind.unit
        threshold = float(applicable.threshold)  # type: ignore[arg-type]
        end = self.period.end
        deadline_day = date(applicable.year, 12, 31)
        previous = [t for t in targets if t.year < applicable.year]
        start: tuple[date, float] | None
        if previous:
            start = (date(previous[-1].year, 12, 31), float(previous[-1].threshold))  # type: ignore[arg-type]
        elif baseline is not None:
            start = (date(self.baseline_year, 12, 31), baseline)
        else:
            start = None
        expected = progress = None
        needed = 0.0
        if start is not None:
            total = max(months_between(start[0], deadline_day), 1)
            elapsed = min(max(months_between(start[0], end), 0), total)
            expected = start[1] + (threshold - start[1]) * elapsed / total
            needed = expected - start[1]
            if needed > 0:
                progress = (value - start[1]) / needed
            result["start_year"] = start[0].year
            result["start_value"] = _round(start[1])
        met = value >= threshold
        deadline = end >= deadline_day
        flags = self._range_flags(applicable, value, result)
        status: Status
        if met:
            status, verdict = "on-track", text("score.met", lang)
        elif deadline:
            status, verdict = "missed", text("score.not-met", lang)
        elif start is None or expected is None:
            status = "at-risk"
            verdict = text("score.unknown-path", lang, year=self.baseline_year)
            flags.append("trajectory-unknown")
        else:
            ahead = progress >= self.tolerance if progress is not None else value >= expected
            status = "on-track" if ahead else "at-risk"
            verdict = self._path_verdict(ahead, expected, progress, unit)
        shown = self._value_text(fmt.quantity(value, unit, lang), periods)
        against = text(
            "score.against", lang, target=fmt.target(applicable, unit, lang), year=applicable.year
        )
        return IndicatorScore(
            **{**result, "flags": flags},
            status=status,
            value=_round(value),
            expected=_round(expected),
            progress=_round(progress, 4),
            reason=_sentence(shown, against, verdict, *self._flag_texts(flags, applicable, unit)),
        )

    def _flow(
        self,
        ind: Indicator,
        result: dict[str, Any],
        value: float,
        baseline: float | None,
        applicable: Target,
        targets: list[Target],
    ) -> IndicatorScore:
        lang, unit = self.lang, ind.unit
        end = self.period.end
        year = end.year
        year_target = target_for_year(targets, year, baseline, self.baseline_year)
        expected = progress = None
        if year_target is not None:
            expected = year_target * end.month / 12
            if expected > 0:
                progress = value / expected
        aim = year_target if year_target is not None else float(applicable.threshold)  # type: ignore[arg-type]
        met = value >= aim
        deadline = end >= date(applicable.year, 12, 31)
        flags = self._range_flags(applicable, value, result) if applicable.year == year else []
        status: Status
        if met:
            status, verdict = "on-track", text("score.met", lang)
        elif deadline:
            status, verdict = "missed", text("score.not-met", lang)
        elif expected is None:
            status = "at-risk"
            verdict = text("score.unknown-path", lang, year=self.baseline_year)
            flags.append("trajectory-unknown")
        else:
            ahead = progress >= self.tolerance if progress is not None else value >= expected
            status = "on-track" if ahead else "at-risk"
            verdict = self._path_verdict(ahead, expected, progress, unit)
        shown = text("score.value-ytd", lang, value=fmt.quantity(value, unit, lang), year=year)
        target_text = fmt.target(applicable, unit, lang)
        if applicable.year == year or year_target is None:
            against = text("score.against-flow", lang, target=target_text, year=applicable.year)
        else:
            against = text(
                "score.against-flow-path",
                lang,
                year_target=fmt.quantity(year_target, unit, lang),
                year=year,
                target=target_text,
                milestone=applicable.year,
            )
        return IndicatorScore(
            **{**result, "flags": flags},
            status=status,
            value=_round(value),
            expected=_round(expected),
            progress=_round(progress, 4),
            year_target=_round(year_target),
            reason=_sentence(shown, against, verdict, *self._flag_texts(flags, applicable, unit)),
        )

    # -- words -----------------------------------------------------------------------------

    def _value_text(self, shown: str, periods: list[str]) -> str:
        """The value, naming the period it comes from when that is not the period scored."""
        own = str(self.period)
        if periods and periods != [own]:
            return text("score.value-at", self.lang, value=shown, period=", ".join(periods))
        return shown

    def _path_verdict(
        self, ahead: bool, expected: float, progress: float | None, unit: Unit
    ) -> str:
        params = {
            "expected": fmt.quantity(expected, unit, self.lang),
            "progress": fmt.ratio(progress, self.lang),
        }
        if progress is None:
            return text("score.on-path" if ahead else "score.below-path", self.lang, **params)
        return text("score.ahead" if ahead else "score.behind", self.lang, **params)

    @staticmethod
    def _range_flags(applicable: Target, value: float, result: dict[str, Any]) -> list[str]:
        flags = list(result["flags"])
        if applicable.kind == "range" and applicable.high is not None and value > applicable.high:
            flags.append("above-range")
        return flags

    def _flag_texts(self, flags: list[str], applicable: Target, unit: Unit) -> list[str]:
        out = []
        if "above-range" in flags:
            out.append(
                text("score.above-range", self.lang, target=fmt.target(applicable, unit, self.lang))
            )
        if "unweighted" in flags:
            out.append(text("score.unweighted", self.lang))
        return out

    def _no_data_reason(
        self,
        ind: Indicator,
        figures: list[ReporterFigure],
        latest: tuple[str, date] | None,
        authority: str | None,
    ) -> str:
        lang = self.lang
        if figures and ind.combine == "single" and authority is not None:
            return text(
                "score.no-data-authority",
                lang,
                authority=self.catalogue.entry_name(authority, lang),
            )
        if latest is not None and ind.flow:
            return text("score.no-data-year", lang, year=self.period.end.year, period=latest[0])
        if latest is not None:
            return text(
                "score.no-data-stale",
                lang,
                period=latest[0],
                months=self.catalogue.scoring.stale_after_months,
            )
        return text("score.no-data", lang, end=fmt.day(self.period.end, lang))


def target_for_year(
    targets: list[Target], year: int, baseline: float | None, baseline_year: int
) -> float | None:
    """A flow's target for one year: the milestone's own, or the straight line between them."""
    points = [(t.year, float(t.threshold)) for t in targets if t.threshold is not None]
    for milestone, value in points:
        if milestone == year:
            return value
    before = [p for p in points if p[0] < year]
    after = [p for p in points if p[0] > year]
    if not after:
        return before[-1][1] if before else None
    if before:
        low = before[-1]
    elif baseline is not None and baseline_year < year:
        low = (baseline_year, baseline)
    else:
        return None
    high = after[0]
    return low[1] + (high[1] - low[1]) * (year - low[0]) / (high[0] - low[0])


def _sentence(value: str, against: str, verdict: str, *extra: str) -> str:
    body = f"{value} {against}{verdict}" + "".join(f"; {part}" for part in extra)
    return body[:1].upper() + body[1:] + "."
