"""Scoring: a status for every indicator in a period, the figures behind it and its reason in words.

The method is written down in docs/methodology.md; in short:

- a stock's value is each reporter's latest figure for a period ending by the period's end (no
  older than `scoring.stale_after_months`); a per-year flow's value is the sum of the year's
  periods so far, an annual report standing for its reporter's year;
- reporters combine as the catalogue says: `sum`, `ratio` (summed numerators over summed
  denominators), `max` (coverage by several operators) or `single` (one authoritative reporter);
- the target is the first milestone whose 31 December is on or after the period's end; the
  expected value lies on the path (straight, or compound for `path: compound`) to it from the
  baseline (or from the previous milestone's target once that has passed), read at the date
  of the newest figure in the value; for flows, the year's target is on the path between the
  milestones around it and pro-rated within the year;
- `on-track` when the target is met or progress is at least the tolerance of the expected
  progress, `at-risk` otherwise, `no-data` when there is nothing to score; `missed` only with
  evidence: at the milestone, after the reporting deadline, with a figure to the milestone's
  end from every reporter that owes the indicator and, for a flow, the whole year in.

How sure a verdict is travels in its flags (`FLAGS`, a closed list), and its working in the
fields of `IndicatorScore`. Aggregation is done by pandas on the whole frame of observations
at once (a province has tens of thousands of rows); only the final judgement runs per
indicator.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pandas as pd

from plan57 import formatting as fmt
from plan57.catalogue.models import Catalogue, Combine, Indicator, PathShape, Target, Unit
from plan57.errors import UsageError
from plan57.grammar import RATIO_SCALE, exact, exact_sum  # as `check` verifies it
from plan57.messages import Message, Renderable
from plan57.periods import Period, parse_period
from plan57.scoring.figures import (
    Baseline,
    Frame,
    Span,
    _records,
    exact_value,
    indicator_figures,
    months_between,
    reach,
)
from plan57.scoring.verdicts import (
    STATUSES,
    Awaited,
    BaselineSource,
    CarriedFigure,
    IndicatorScore,
    MissingReport,
    Point,
    Reach,
    ReporterFigure,
    ScoreReport,
    Status,
    kept,
    rounded,
)
from plan57.submissions.obligations import (
    deadline,
    outstanding,
    reporting_period,
    reporting_periods,
)


def score(
    catalogue: Catalogue,
    observations: pd.DataFrame,
    period: Period | str,
    as_of: date,
) -> ScoreReport:
    """Score every indicator of `catalogue` for `period` from the validated `observations`."""
    return Scoring(catalogue, observations).score(period, as_of)


class Scoring:
    """The observations prepared once for a catalogue, to score several periods and draw the
    history (a report, a site and an export each ask several of the same data)."""

    def __init__(self, catalogue: Catalogue, observations: pd.DataFrame) -> None:
        self._frame = Frame(catalogue, observations)

    def score(self, period: Period | str, as_of: date) -> ScoreReport:
        """`score` of these observations for `period`."""
        return _score(self._frame, period, as_of)

    def history(self, period: Period) -> dict[str, list[Point]]:
        """`history` of these observations up to `period`."""
        return _history(self._frame, period)


def _score(frame: Frame, period: Period | str, as_of: date) -> ScoreReport:
    catalogue, observations = frame.catalogue, frame.observations
    target_period = _period(period, catalogue, as_of)
    end = target_period.end
    due = deadline(catalogue, end)
    contributions = frame.contributions(end, detail=True)
    values, unweighted = frame.combine(contributions)
    baseline_year = catalogue.plan.baseline_year
    baselines, base_by_indicator = frame.baselines()
    by_indicator = _records(contributions)
    latest = frame.latest_before(end)
    judge = _Judge(catalogue, target_period, as_of, frame)
    scores: list[IndicatorScore] = []
    for ind in catalogue.indicators:
        rows = by_indicator.get(ind.id)
        base = base_by_indicator.get(ind.id)
        base_reporters = frozenset(base["reporter"]) if base is not None else frozenset()
        reported_baseline = baselines.get(ind.id)
        if ind.baseline is not None:
            baseline = Baseline(ind.baseline, "catalogue", baseline_year)
        elif (
            reported_baseline is not None
            and ind.unit != "yes_no"
            and frame.whole_year(ind, baseline_year)
        ):
            baseline = Baseline(reported_baseline, "reported", baseline_year, base_reporters)
        elif ind.unit != "yes_no":
            baseline = frame.fallback_baseline(ind, end)
        else:
            baseline = Baseline(None, None, baseline_year)
        figures = indicator_figures(catalogue, ind, rows, frame, end)
        scores.append(
            judge.indicator(
                ind,
                value=values.get(ind.id),
                baseline=baseline,
                base_rows=base,
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
        missing=_with_blocking(
            missing_reports(catalogue, observations, target_period, as_of), scores, end, as_of
        ),
        provisional=as_of <= due,
        deadline=due,
    )


def applicable_target(ind: Indicator, end: date) -> Target | None:
    """The target judged at `end`: the first milestone's on or after it, else the last one."""
    targets = scored_targets(ind)
    found = next((t for t in targets if date(t.year, 12, 31) >= end), None)
    return found if found is not None or not targets else targets[-1]


def history(
    catalogue: Catalogue, observations: pd.DataFrame, period: Period
) -> dict[str, list[Point]]:
    """Each indicator's value at every quarter's end up to the period's end, for charts.

    A point is shown only where some reporter reported a period ending in that quarter, so
    that a figure carried forward is never drawn as if it had been reported again. A flow's
    points are the year's running totals.
    """
    return Scoring(catalogue, observations).history(period)


def _history(frame: Frame, period: Period) -> dict[str, list[Point]]:
    quarter_ends = frame.quarter_ends(period.end)
    reported = frame.reported_quarters()
    points: dict[str, list[Point]] = {ind.id: [] for ind in frame.catalogue.indicators}
    every, _ = frame.combine_at(frame.contributions_at(quarter_ends, detail=False))
    for at, quarter_end in enumerate(quarter_ends):
        for indicator, value in every.get(at, {}).items():
            if (indicator, quarter_end) in reported and indicator in points:
                points[indicator].append(Point(quarter_end, value))
    return points


def missing_reports(
    catalogue: Catalogue, observations: pd.DataFrame, period: Period, as_of: date
) -> list[MissingReport]:
    """Reporters without a valid figure for what they owe at the period's end.

    What is owed and what counts as submitted are `plan57.submissions.obligations`' to decide, the same
    for `status`, `score` and the report.
    """
    due = deadline(catalogue, period.end)
    owed = outstanding(catalogue, observations, period.end)
    return [
        MissingReport(reporter=reporter, indicators=ids, due=due, overdue=as_of > due)
        for reporter, ids in owed.items()
    ]


def _with_blocking(
    missing: list[MissingReport], scores: list[IndicatorScore], end: date, as_of: date
) -> list[MissingReport]:
    """`missing` with, for each reporter, the earlier periods it has not sent that leave a
    milestone's verdict undecided (a flow's missing quarter), so that whoever blocks a verdict
    is among the overdue with the gap it blocks (principle 4)."""
    gaps: dict[str, dict[str, list[str]]] = {}
    dues: dict[str, date] = {}
    for item in scores:
        for awaited in item.awaited:
            earlier = [p for p in awaited.periods if (q := parse_period(p)) and q.end < end]
            if earlier:
                gaps.setdefault(awaited.reporter, {})[item.id] = earlier
                dues[awaited.reporter] = min(dues.get(awaited.reporter, awaited.due), awaited.due)
    for entry in missing:
        entry.blocking = gaps.pop(entry.reporter, {})
    for reporter, blocking in gaps.items():
        due = dues[reporter]
        missing.append(
            MissingReport(
                reporter=reporter, indicators=[], due=due, overdue=as_of > due, blocking=blocking
            )
        )
    return missing


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
            end=fmt.Day(parsed.end),
            as_of=fmt.Day(as_of),
        )
    return parsed


def _usable(target: Target, unit: Unit) -> bool:
    """Yes/no indicators are judged on their wording; the others need a number to reach."""
    return True if unit == "yes_no" else target.threshold is not None


def scored_targets(ind: Indicator) -> list[Target]:
    """The indicator's targets that scoring can use, by year."""
    return sorted((t for t in ind.targets if _usable(t, ind.unit)), key=lambda t: t.year)


@dataclass
class _Evidence:
    """What the figures in hand can prove about an indicator at the period's end."""

    owing: list[str]  # the reporters whose figures decide the value
    covered: list[str]  # those of them with a figure in the value
    current: list[str]  # those of them with a figure for a period ending on the period's end
    owed_period: Period | None  # the reporting period ending on the period's end, if any
    gaps: dict[str, list[Period]]  # flows: reporting periods of the year not in
    pending: bool  # a figure still missing is not due yet
    carried: list[CarriedFigure]
    value_date: date | None  # the end of the newest figure in the value

    @property
    def complete(self) -> bool:
        """Every reporter's figure describes the period's end (flows: the whole year so far)."""
        if self.gaps:
            return False
        return set(self.owing) <= set(self.current) and bool(self.owing)


@dataclass
class _Working:
    """An indicator's working as the judging builds it: everything of its `IndicatorScore`
    but the verdict (status, value, path, reason), which `scored` adds."""

    id: str
    name_vi: str
    name_en: str
    group: str
    unit: Unit
    flow: bool
    milestone: int | None
    target: Target | None
    reporters: list[ReporterFigure]
    periods: list[str]
    missing: list[str]
    baseline: float | None
    baseline_source: BaselineSource | None
    baseline_year: int | None
    flags: list[str]
    tolerance: float
    rule: Combine
    path: PathShape
    numerator: float | None
    denominator: float | None
    coverage: float | None
    carried_forward: list[CarriedFigure]
    missing_periods: dict[str, list[str]]
    start_year: int | None = None
    start_value: float | None = None
    expected_date: date | None = None
    reach: Reach | None = None
    decided: bool | None = None
    awaited: list[Awaited] = field(default_factory=list)
    books_close: date | None = None

    def scored(self, **verdict: Any) -> IndicatorScore:
        return IndicatorScore(**{f.name: getattr(self, f.name) for f in fields(self)}, **verdict)


class _Judge:
    """The per-indicator judgement, once the frame has produced the figures."""

    def __init__(self, catalogue: Catalogue, period: Period, as_of: date, frame: Frame) -> None:
        self.catalogue = catalogue
        self.period = period
        self.as_of = as_of
        self.frame = frame
        self.tolerance = catalogue.scoring.tolerance
        self.baseline_year = catalogue.plan.baseline_year
        # What the coverage of the indicator being judged means, in words, and the figures
        # left out of its value for being from before the milestone's year (set per indicator).
        self._coverage_words: list[Message] = []
        self._earlier: list[CarriedFigure] = []

    def indicator(
        self,
        ind: Indicator,
        *,
        value: float | None,
        baseline: Baseline,
        base_rows: pd.DataFrame | None,
        figures: list[ReporterFigure],
        latest: tuple[str, date] | None,
        unweighted: bool,
        authority: str | None,
    ) -> IndicatorScore:
        targets = scored_targets(ind)
        # Past the last milestone its target still stands.
        applicable = applicable_target(ind, self.period.end)
        contributed = {f.id for f in figures}
        missing = [r for r in self.catalogue.expand(ind.reporters) if r not in contributed]
        earlier = self._earlier_years(ind, applicable, targets, figures)
        periods = sorted({p for f in figures if f.used for p in f.periods})
        evidence = self._evidence(ind, figures)
        if ind.combine == "single" and baseline.source == "reported":
            # A `single` value is the authority's alone, and so is its baseline: the other
            # reporters' baseline rows never made it (principle 8).
            owing = frozenset(evidence.owing)
            baseline = Baseline(
                baseline.value, baseline.source, baseline.year, baseline.reporters & owing
            )
        flags: list[str] = ["unweighted"] if unweighted else []
        if evidence.pending:
            flags.append("provisional")
        if evidence.gaps:
            flags.append("incomplete")
        if evidence.carried:
            flags.append("carried-forward")
        used = [f for f in figures if f.used]
        coverage = len(evidence.covered) / len(evidence.owing) if evidence.owing else None
        if baseline.source == "fallback":
            if self._path_from_baseline(ind, applicable, targets):
                flags.append("baseline-fallback")
            else:  # an earlier milestone starts the path: a stand-in baseline would only confuse
                baseline = Baseline(None, None, baseline.year)
        if used and (
            (coverage is not None and coverage < 1)
            or (baseline.source == "reported" and frozenset(evidence.covered) != baseline.reporters)
        ):
            flags.append("partial-coverage")
        numerator = denominator = None
        if ind.combine == "ratio" and used:
            nums = [f.numerator for f in used if f.numerator is not None]
            dens = [f.denominator for f in used if f.denominator is not None]
            numerator = rounded(sum(nums)) if nums else None
            denominator = rounded(sum(dens)) if dens else None
        result = _Working(
            id=ind.id,
            name_vi=ind.name_vi,
            name_en=ind.name_en,
            group=ind.group,
            unit=ind.unit,
            flow=ind.flow,
            milestone=applicable.year if applicable else None,
            target=applicable,
            reporters=figures,
            periods=periods,
            missing=missing,
            baseline=rounded(baseline.value),
            baseline_source=baseline.source,
            baseline_year=baseline.year if baseline.value is not None else None,
            flags=flags,
            tolerance=self.tolerance,
            rule=ind.combine,
            path=ind.path,
            numerator=numerator,
            denominator=denominator,
            coverage=rounded(coverage, 4),
            carried_forward=evidence.carried,
            missing_periods={r: [str(p) for p in ps] for r, ps in evidence.gaps.items()},
        )
        self._earlier = earlier
        if applicable is None:
            return self._done(result, "no-data", Message("score.no-target"), None)
        if value is None:
            from_authority = bool(figures) and ind.combine == "single" and authority is not None
            if latest is not None and not ind.flow and not from_authority:
                flags.append("stale")
            reason = self._no_data_reason(ind, figures, latest, authority)
            return self._done(result, "no-data", reason, None)
        at_deadline = self._at_deadline(ind, applicable, targets)
        if at_deadline and not ind.flow and self._stale(used):
            flags.append("stale")
            return self._done(result, "no-data", self._stale_reason(ind, used), None)
        like = self._like_with_like(ind, baseline, base_rows, evidence)
        self._coverage_words = self._coverage_texts(ind, flags, coverage, baseline, like, evidence)
        if like is not None:
            result.baseline = rounded(like.value)
            baseline = like
        judged = self._exact(ind, used, value, recombined=bool(earlier))
        if ind.unit == "yes_no":
            return self._yes_no(ind, result, judged, applicable, periods, at_deadline, evidence)
        if ind.flow:
            return self._flow(ind, result, judged, baseline, applicable, targets, evidence)
        return self._stock(
            ind, result, judged, baseline, applicable, targets, periods, at_deadline, evidence
        )

    def _exact(
        self, ind: Indicator, used: list[ReporterFigure], value: float, recombined: bool
    ) -> Fraction:
        """The value as written and combined exactly; the frame's float where they part (data
        the exact twin does not cover, such as a ratio's rows without their parts), unless
        figures were left out of it (`recombined`)."""
        found = exact_value(self._rule(ind), used, RATIO_SCALE.get(ind.unit, 1.0))
        if found is None:
            return exact(value)
        if not recombined and abs(float(found) - value) > 1e-9 * max(1.0, abs(value)):
            return exact(value)
        return found

    def _earlier_years(
        self,
        ind: Indicator,
        applicable: Target | None,
        targets: list[Target],
        figures: list[ReporterFigure],
    ) -> list[CarriedFigure]:
        """At a milestone, the figures from before its year, taken out of the value when
        another reporter has one of the year (principle 6: evidence from its own period; with
        none of the year, the value is stale instead)."""
        if ind.flow or applicable is None or not self._at_deadline(ind, applicable, targets):
            return []
        year = self.period.end.year

        def years(figure: ReporterFigure) -> list[int]:
            return [p.year for t in figure.periods if (p := parse_period(t)) is not None]

        used = [f for f in figures if f.used]
        old = [f for f in used if years(f) and max(years(f)) < year]
        if not old or len(old) == len(used):
            return []
        for figure in old:
            figure.used = False
        return [CarriedFigure(reporter=f.id, period=", ".join(f.periods)) for f in old]

    @staticmethod
    def _rule(ind: Indicator) -> str:
        """The combine rule as the frame applies it (several yes/no reports: yes when any is)."""
        return "max" if ind.unit == "yes_no" and ind.combine != "single" else ind.combine

    # -- evidence --------------------------------------------------------------------------

    def _evidence(self, ind: Indicator, figures: list[ReporterFigure]) -> _Evidence:
        end = self.period.end
        owing = self.frame.owing(ind)
        used = {f.id: f for f in figures if f.used}
        covered = [r for r in owing if r in used]
        owed_period = reporting_period(ind, end)
        gaps: dict[str, list[Period]] = {}
        carried: list[CarriedFigure] = []
        ends: list[date] = []
        current: list[str] = []
        # A figure is carried forward only when a later one is owed by now: an annual figure
        # stands through the next year's quarters (principle 7).
        owed_by_now = reporting_periods(ind, end.year, end) or reporting_periods(
            ind, end.year - 1, end
        )
        last_owed = owed_by_now[-1].end if owed_by_now else end
        for reporter in covered:
            for text_period in used[reporter].periods:
                parsed = parse_period(text_period)
                if parsed is None:
                    continue
                ends.append(parsed.end)
                if parsed.end == end:
                    current.append(reporter)
                elif not ind.flow and parsed.end < last_owed:
                    carried.append(CarriedFigure(reporter=reporter, period=text_period))
        if ind.flow:
            gaps = self.frame.gaps(ind, owing, end.year, end)
            current = [r for r in covered if r not in gaps]
            pending = any(
                self.as_of <= deadline(self.catalogue, p.end) for ps in gaps.values() for p in ps
            )
        else:
            lacking = [r for r in owing if r not in current]
            pending = (
                owed_period is not None
                and bool(lacking)
                and self.as_of <= deadline(self.catalogue, end)
            )
        return _Evidence(
            owing=owing,
            covered=covered,
            current=current,
            owed_period=owed_period,
            gaps=gaps,
            pending=pending,
            carried=carried,
            value_date=max(ends) if ends else None,
        )

    def _path_from_baseline(
        self, ind: Indicator, applicable: Target | None, targets: list[Target]
    ) -> bool:
        """Whether the path to the target judged starts at the baseline (no milestone before)."""
        if applicable is None or not targets:
            return False
        if ind.flow:
            return self.period.end.year < targets[0].year
        return not any(t.year < applicable.year for t in targets)

    def _at_deadline(self, ind: Indicator, applicable: Target, targets: list[Target]) -> bool:
        """Whether the period closes the milestone judged (for flows: a whole year is in).

        A stock's milestone is closed once, at its own 31 December: after the last filled
        milestone its target still stands as the path's end, but no later period is another
        deadline (principle 7: no phantom deadlines, no "milestone 2046").
        """
        end = self.period.end
        if not ind.flow:
            return end == date(applicable.year, 12, 31)
        if (end.month, end.day) != (12, 31):
            return False  # a flow's year is judged on its pace until the year is over
        return end.year == applicable.year or end.year > targets[-1].year

    def _stale(self, used: list[ReporterFigure]) -> bool:
        """At a milestone, every figure in the value is from before the milestone's year."""
        year = self.period.end.year
        ends = [p.end for f in used for t in f.periods if (p := parse_period(t)) is not None]
        return bool(ends) and max(ends).year < year

    def _stale_reason(self, ind: Indicator, used: list[ReporterFigure]) -> Message:
        last = max(
            ((p, f) for f in used for t in f.periods if (p := parse_period(t)) is not None),
            key=lambda pair: pair[0].end,
        )
        period, figure = last
        shown: Renderable
        if ind.unit == "yes_no":
            shown = fmt.Answer(figure.answer)
        else:
            shown = fmt.Quantity(figure.value, ind.unit)
        return Message(
            "score.no-data-milestone",
            {"value": shown, "period": str(period), "year": self.period.end.year},
        )

    def _coverage_texts(
        self,
        ind: Indicator,
        flags: list[str],
        coverage: float | None,
        baseline: Baseline,
        like: Baseline | None,
        evidence: _Evidence,
    ) -> list[Message]:
        """Why the indicator is flagged `partial-coverage`, and what was done about it."""
        if "partial-coverage" not in flags:
            return []
        out = []
        if coverage is not None and coverage < 1:
            out.append(Message("score.partial-coverage", {"coverage": fmt.Ratio(coverage)}))
        if baseline.source == "reported" and frozenset(evidence.covered) != baseline.reporters:
            if like is not None:
                shown = fmt.Quantity(like.value, ind.unit)
                out.append(Message("score.like-with-like", {"baseline": shown}))
            else:
                out.append(Message("score.unlike-baseline"))
        return out

    def _like_with_like(
        self,
        ind: Indicator,
        baseline: Baseline,
        base_rows: pd.DataFrame | None,
        evidence: _Evidence,
    ) -> Baseline | None:
        """A ratio's baseline over the reporters of the value, when those all had one."""
        if ind.combine != "ratio" or baseline.source != "reported" or base_rows is None:
            return None
        covered = frozenset(evidence.covered)
        if not covered or covered == baseline.reporters or not covered <= baseline.reporters:
            return None
        rows = base_rows[base_rows["reporter"].isin(covered)]
        num, den = rows["numerator"].sum(), rows["denominator"].sum()
        if not den or pd.isna(num) or pd.isna(den):
            return None
        scale = RATIO_SCALE.get(ind.unit, 1.0)
        return Baseline(float(num / den * scale), "reported", baseline.year, covered)

    @staticmethod
    def _at_start(baseline: Baseline, start: tuple[date, Fraction] | None, when: date) -> bool:
        """Whether the value's date is the path's start and that start is the baseline."""
        if start is None or baseline.value is None:
            return False
        return start[0] == date(baseline.year, 12, 31) and when <= start[0]

    def _done(
        self, result: _Working, status: Status, reason: Message, expected: float | None
    ) -> IndicatorScore:
        return result.scored(status=status, value=None, expected=expected, why=reason)

    # -- the three kinds of indicator ------------------------------------------------------

    def _at_milestone(
        self,
        ind: Indicator,
        result: _Working,
        evidence: _Evidence,
        value: Fraction,
        threshold: Fraction,
        at_most: bool,
    ) -> tuple[Status, Message]:
        """Met or missed at a milestone, concluded only when no awaited figure could change it
        (principle 3); after the books close, decided on what came or no-data (principle 4)."""
        met = value <= threshold if at_most else value >= threshold
        awaited = self._awaited(ind, evidence)
        used = [f for f in result.reporters if f.used]
        span = (
            reach(
                self._rule(ind),
                used,
                {a.reporter: len(a.periods) for a in awaited},
                ind.unit,
                ind.flow,
            )
            if awaited
            else Span(value, value)  # every figure is in: the value is all it can be
        )
        could_meet, could_miss = (
            span.could_meet(threshold, at_most),
            span.could_miss(threshold, at_most),
        )
        decided = not (could_meet and could_miss)
        due = deadline(self.catalogue, self.period.end)
        books = due + timedelta(days=self.catalogue.scoring.awaited_days)
        result.reach, result.decided = _reach(span), decided
        result.awaited, result.books_close = awaited, books
        flags = result.flags
        names = self._awaited_names(awaited)
        if self.as_of <= due:
            if met and not could_miss:
                return "on-track", Message("score.met")
            # Figures may still come or be corrected until the deadline: nothing is final.
            if "provisional" not in flags:
                flags.append("provisional")
            return "at-risk", Message("score.met-pending" if met else "score.not-met-pending")
        if decided:
            if met:
                return "on-track", Message("score.met")
            if awaited:
                return "missed", Message("score.missed-whatever", {"reporters": names})
            return "missed", Message("score.not-met")
        if self.as_of <= books:
            flags.append("awaited")
            key = "score.undecided-met" if met else "score.undecided"
            return "at-risk", Message(key, {"reporters": names, "close": fmt.Day(books)})
        flags.append("books-closed")
        share = Fraction(len(evidence.owing) - len(awaited), max(len(evidence.owing), 1))
        needed = exact(self.catalogue.scoring.coverage_threshold)
        params = {"reporters": names, "close": fmt.Day(books)}
        if share >= needed:
            if met:
                return "on-track", Message("score.decided-met", params)
            return "missed", Message("score.decided-missed", params)
        params |= {"coverage": fmt.Ratio(float(share)), "threshold": fmt.Ratio(float(needed))}
        return "no-data", Message("score.insufficient-coverage", params)

    def _awaited(self, ind: Indicator, evidence: _Evidence) -> list[Awaited]:
        """The reporters owing a figure for the milestone that has not come, with how late."""
        out = []
        if ind.flow:
            owing = set(evidence.owing)
            owed = {r: ps for r, ps in evidence.gaps.items() if r in owing}
        else:
            period, current = evidence.owed_period, set(evidence.current)
            owed = {r: [period] for r in evidence.owing if r not in current and period}
        # A hundred communes owe the same period: its deadline and lateness once.
        known: dict[tuple[Period, ...], tuple[list[str], date, int]] = {}
        for reporter, periods in owed.items():
            key = tuple(periods)
            if key not in known:
                due = deadline(self.catalogue, min(p.end for p in periods))
                known[key] = ([str(p) for p in periods], due, max((self.as_of - due).days, 0))
            texts, due, late = known[key]
            # Built from values already typed: no validation to pay per reporter.
            out.append(
                Awaited.model_construct(
                    reporter=reporter, periods=list(texts), due=due, days_late=late
                )
            )
        return out

    def _awaited_names(self, awaited: list[Awaited]) -> Any:
        if not awaited:
            return "–"
        # The sentence names a few; `awaited` in the JSON has them all.
        items: list[Renderable] = []
        for item in awaited if len(awaited) <= fmt.FEW else awaited[: fmt.FEW - 1]:
            if item.days_late:
                params = {"name": self._name(item.reporter), "days": item.days_late}
                params["periods"] = ", ".join(item.periods)
                items.append(Message("score.awaited-late", params))
            else:
                items.append(fmt.Labelled(self._name(item.reporter), ", ".join(item.periods)))
        return fmt.Few(tuple(items), more=len(awaited) - len(items))

    def _yes_no(
        self,
        ind: Indicator,
        result: _Working,
        value: Fraction,
        applicable: Target,
        periods: list[str],
        at_deadline: bool,
        evidence: _Evidence,
    ) -> IndicatorScore:
        answer = value >= Fraction(1, 2)
        status: Status
        verdict: Message
        if at_deadline:
            status, verdict = self._at_milestone(ind, result, evidence, value, Fraction(1), False)
        elif answer:
            status, verdict = "on-track", Message("score.met")
        elif self.period.end.year < applicable.year:
            # A yes/no has no path: a "no" years before its milestone is not behind anything
            # (principle 7); it is at risk in the milestone's own year.
            status = "on-track"
            verdict = Message("score.not-yet-due", {"year": applicable.year})
        else:
            status, verdict = "at-risk", Message("score.not-yet")
        shown = self._value_text(fmt.Answer(answer), periods)
        against = Message(
            "score.against-yes-no",
            {"target": fmt.Qualitative(applicable.text), "year": applicable.year},
        )
        return result.scored(
            status=status,
            value=None,
            answer=answer,
            expected=None,
            why=fmt.Sentence(
                shown, against, verdict, tuple(self._flag_texts(result, applicable, "yes_no"))
            ),
        )

    def _stock(
        self,
        ind: Indicator,
        result: _Working,
        value: Fraction,
        baseline: Baseline,
        applicable: Target,
        targets: list[Target],
        periods: list[str],
        at_deadline: bool,
        evidence: _Evidence,
    ) -> IndicatorScore:
        unit = ind.unit
        threshold = exact(applicable.threshold)  # type: ignore[arg-type]
        at_most = applicable.at_most
        deadline_day = date(applicable.year, 12, 31)
        previous = [t for t in targets if t.year < applicable.year]
        start: tuple[date, Fraction] | None
        if previous:
            start = (date(previous[-1].year, 12, 31), exact(previous[-1].threshold))  # type: ignore[arg-type]
        elif baseline.value is not None:
            start = (date(baseline.year, 12, 31), exact(baseline.value))
        else:
            start = None
        # Between milestones a figure is held against the path at its own date.
        when = min(evidence.value_date or self.period.end, self.period.end)
        expected: Fraction | None = None
        progress: Fraction | None = None
        if start is not None and start[0] < deadline_day:
            total = max(months_between(start[0], deadline_day), 1)

            def path_at(day: date) -> Fraction:
                assert start is not None
                elapsed = min(max(months_between(start[0], min(day, when)), 0), total)
                return along(ind.path, start[1], threshold, Fraction(elapsed, total))

            # Figures of different dates are held against the path at their own dates, with
            # the weights they have in the value (principle 6), not all at the newest one.
            dates = self._dates(ind, result.reporters) or [(when, Fraction(1))]
            expected = sum((weight * path_at(day) for day, weight in dates), Fraction(0))
            needed = expected - start[1]
            if (needed < 0) if at_most else (needed > 0):
                progress = (value - start[1]) / needed
            result.start_year = start[0].year
            result.start_value = kept(start[1])
            result.expected_date = when
        met = value <= threshold if at_most else value >= threshold
        flags = result.flags
        self._range_flag(applicable, value, flags)
        if not met and not at_deadline and not previous and self._at_start(baseline, start, when):
            # The only figure is the baseline itself: nothing yet shows progress either way.
            reason = Message(
                "score.no-data-since-baseline",
                {
                    "value": fmt.Quantity(float(value), unit),
                    "period": ", ".join(periods),
                    "target": fmt.TargetShown(applicable, unit),
                    "year": applicable.year,
                },
            )
            return self._done(result, "no-data", reason, None)
        status: Status
        verdict: Message
        shown_value, shown_path, decimals = self._shown(ind, result, value, expected, applicable)
        if at_deadline:
            status, verdict = self._at_milestone(ind, result, evidence, value, threshold, at_most)
        elif met:
            status, verdict = "on-track", Message("score.met")
        elif expected is None:
            status = "at-risk"
            verdict = Message("score.unknown-path", {"year": self.baseline_year})
            flags.append("trajectory-unknown")
        else:
            on_path = value <= expected if at_most else value >= expected
            ahead = progress >= exact(self.tolerance) if progress is not None else on_path
            status = "on-track" if ahead else "at-risk"
            # Named for what it is: compound only where it grows by a factor (two positive ends).
            shape: PathShape = "linear"
            if ind.path == "compound" and start is not None and start[1] > 0 and threshold > 0:
                shape = "compound"
            verdict = self._path_verdict(
                ahead, shown_path, progress, decimals, unit, when, at_most, shape
            )
        shown = self._value_text(
            fmt.Against(shown_value, unit, _bounds(applicable), _paths(shown_path), at_most),
            periods,
        )
        against = Message(
            "score.against",
            {"target": fmt.TargetShown(applicable, unit), "year": applicable.year},
        )
        return result.scored(
            status=status,
            value=shown_value,
            expected=shown_path,
            progress=kept(progress, exact(self.tolerance), digits=4),
            decimals=decimals,
            why=fmt.Sentence(
                shown, against, verdict, tuple(self._flag_texts(result, applicable, unit))
            ),
        )

    def _dates(self, ind: Indicator, figures: list[ReporterFigure]) -> list[tuple[date, Fraction]]:
        """The dates of the figures in a value, each with its weight in it: a ratio's by its
        denominator, a sum's by its figure; a `max` or `single` value is one figure's."""
        dated = []
        for figure in figures:
            ends = [p.end for t in figure.periods if (p := parse_period(t)) is not None]
            value, _, denominator = figure.exact()
            if figure.used and ends and value is not None:
                dated.append((max(ends), value, denominator))
        if not dated:
            return []
        if ind.combine in ("max", "single") or ind.unit == "yes_no":
            day = max(dated, key=lambda d: d[1])[0]
            return [(day, Fraction(1))]
        if len({d[0] for d in dated}) == 1:
            return [(dated[0][0], Fraction(1))]
        ratio = ind.combine == "ratio" and all(d[2] is not None for d in dated)
        by_day: dict[date, list[Fraction]] = {}
        for day, value, denominator in dated:
            weight = denominator if ratio else value
            assert weight is not None
            by_day.setdefault(day, []).append(weight)
        sums = {day: exact_sum(weights) for day, weights in by_day.items()}
        total = exact_sum(sums.values())
        if total <= 0:
            return [(d[0], Fraction(1, len(dated))) for d in dated]
        return [(day, weight / total) for day, weight in sums.items()]

    def _shown(
        self,
        ind: Indicator,
        result: _Working,
        value: Fraction,
        expected: Fraction | None,
        applicable: Target,
    ) -> tuple[float, float | None, int]:
        """The value and the path as the JSON keeps them (rounded only where that changes no
        comparison), and the decimals every output shows them with."""
        bounds = tuple(exact(b) for b in _bounds(applicable))
        shown_value = kept(value, *bounds, expected)
        assert shown_value is not None
        shown_path = kept(expected, exact(shown_value)) if expected is not None else None
        decimals = fmt.decimals_beside(
            shown_value, ind.unit, _bounds(applicable), _paths(shown_path), None, applicable.at_most
        )
        return shown_value, shown_path, decimals

    def _flow(
        self,
        ind: Indicator,
        result: _Working,
        value: Fraction,
        baseline: Baseline,
        applicable: Target,
        targets: list[Target],
        evidence: _Evidence,
    ) -> IndicatorScore:
        unit = ind.unit
        end = self.period.end
        year = end.year
        year_target = target_for_year(targets, year, baseline.value, baseline.year, ind.path)
        at_most = applicable.at_most
        expected: Fraction | None = None
        progress: Fraction | None = None
        if year_target is not None:
            expected = year_target * Fraction(end.month, 12)
            if unit == "count" and expected < 1 and end.month < 12:
                # A count moves in whole units: a pro-rated share of one (a quarter of "≥ 1
                # award a year") is no need yet (principle 7).
                expected = Fraction(0)
            result.expected_date = end
            if expected > 0 and not at_most:
                progress = value / expected
        aim = year_target if year_target is not None else exact(applicable.threshold)  # type: ignore[arg-type]
        at_deadline = self._at_deadline(ind, applicable, targets)
        # An at-most flow is met only once its year is over; until then it is on the way.
        met = (value <= aim and at_deadline) if at_most else value >= aim
        flags = result.flags
        if applicable.year == year:
            self._range_flag(applicable, value, flags)
        shown_value, shown_path, decimals = self._shown(ind, result, value, expected, applicable)
        status: Status
        verdict: Message
        if at_deadline:
            status, verdict = self._at_milestone(ind, result, evidence, value, aim, at_most)
        elif met:
            status, verdict = "on-track", Message("score.met")
        elif evidence.gaps:
            status, verdict = "at-risk", Message("score.not-yet")
        elif at_most:
            ahead = value <= aim
            status = "on-track" if ahead else "at-risk"
            verdict = Message("score.within" if ahead else "score.not-yet")
        elif expected is None:
            status = "at-risk"
            verdict = Message("score.unknown-path", {"year": self.baseline_year})
            flags.append("trajectory-unknown")
        else:
            ahead = progress >= exact(self.tolerance) if progress is not None else value >= expected
            status = "on-track" if ahead else "at-risk"
            # Within a year a flow's target is pro-rated by month: a straight path.
            verdict = self._path_verdict(
                ahead, shown_path, progress, decimals, unit, end, at_most, "linear"
            )
        aim_shown = float(aim)
        shown = Message(
            "score.value-ytd",
            {
                "value": fmt.Against(shown_value, unit, (aim_shown,), _paths(shown_path), at_most),
                "year": year,
            },
        )
        target_text = fmt.TargetShown(applicable, unit)
        if applicable.year == year or year_target is None:
            against = Message(
                "score.against-flow", {"target": target_text, "year": applicable.year}
            )
        else:
            against = Message(
                "score.against-flow-path",
                {
                    "year_target": fmt.Need(float(year_target), unit, decimals, at_most),
                    "year": year,
                    "target": target_text,
                    "milestone": applicable.year,
                },
            )
        return result.scored(
            status=status,
            value=shown_value,
            expected=shown_path,
            progress=kept(progress, exact(self.tolerance), digits=4),
            year_target=kept(year_target, value),
            decimals=decimals,
            why=fmt.Sentence(
                shown, against, verdict, tuple(self._flag_texts(result, applicable, unit))
            ),
        )

    # -- words -----------------------------------------------------------------------------

    def _value_text(self, shown: Renderable, periods: list[str]) -> Renderable:
        """The value, naming the period it comes from when that is not the period scored."""
        own = str(self.period)
        if periods and periods != [own]:
            return Message("score.value-at", {"value": shown, "period": ", ".join(periods)})
        return shown

    def _name(self, entry: str) -> Renderable:
        """A reporter's name in either language (its id when the registry does not know it)."""
        found = self.catalogue.entry(entry)
        return (
            fmt.Name(found.name_vi, found.name_en) if found is not None else fmt.Name(entry, entry)
        )

    def _path_verdict(
        self,
        ahead: bool,
        expected: float | None,
        progress: Fraction | None,
        decimals: int,
        unit: Unit,
        when: date,
        at_most: bool,
        shape: PathShape,
    ) -> Message:
        assert expected is not None
        params = {
            "path": Message(f"path.{shape}"),
            "expected": fmt.Need(expected, unit, decimals, at_most),
            "progress": fmt.ProgressShown(kept(progress, exact(self.tolerance)), self.tolerance),
            "date": fmt.Day(when),
        }
        suffix = "" if when == self.period.end else "-at"
        if progress is None:
            key = "score.on-path" if ahead else "score.below-path"
            return Message(key + suffix, params)
        return Message(("score.ahead" if ahead else "score.behind") + suffix, params)

    @staticmethod
    def _range_flag(applicable: Target, value: Fraction, flags: list[str]) -> None:
        high = applicable.high
        if applicable.kind == "range" and high is not None and value > exact(high):
            flags.append("above-range")

    def _flag_texts(self, result: _Working, applicable: Target, unit: Unit) -> list[Message]:
        """The flags' particulars in words, after the verdict."""
        flags = result.flags
        out = []
        if "above-range" in flags:
            out.append(Message("score.above-range", {"target": fmt.TargetShown(applicable, unit)}))
        if "unweighted" in flags:
            out.append(Message("score.unweighted"))
        if "provisional" in flags:
            due = fmt.Day(deadline(self.catalogue, self.period.end))
            out.append(Message("score.provisional", {"due": due}))
        if result.missing_periods and not result.awaited:
            items = tuple(
                fmt.Labelled(self._name(reporter), ", ".join(periods))
                for reporter, periods in result.missing_periods.items()
            )
            out.append(Message("score.incomplete", {"periods": fmt.Few(items)}))
        if self._earlier:
            items = tuple(fmt.Labelled(self._name(c.reporter), c.period) for c in self._earlier)
            out.append(
                Message(
                    "score.earlier-year", {"figures": fmt.Few(items), "year": self.period.end.year}
                )
            )
        if result.carried_forward:
            items = tuple(
                fmt.Labelled(self._name(c.reporter), c.period) for c in result.carried_forward
            )
            out.append(Message("score.carried-forward", {"figures": fmt.Few(items)}))
        if "books-closed" not in flags:  # the verdict has said who is in and who is not
            out += self._coverage_words
        if "baseline-fallback" in flags:
            out.append(
                Message(
                    "score.baseline-fallback",
                    {"baseline_year": self.baseline_year, "year": result.baseline_year},
                )
            )
        return out

    def _no_data_reason(
        self,
        ind: Indicator,
        figures: list[ReporterFigure],
        latest: tuple[str, date] | None,
        authority: str | None,
    ) -> Message:
        if figures and ind.combine == "single" and authority is not None:
            return Message("score.no-data-authority", {"authority": self._name(authority)})
        if latest is not None and ind.flow:
            return Message(
                "score.no-data-year", {"year": self.period.end.year, "period": latest[0]}
            )
        if latest is not None:
            return Message(
                "score.no-data-stale",
                {"period": latest[0], "months": self.catalogue.scoring.stale_after_months},
            )
        return Message("score.no-data", {"end": fmt.Day(self.period.end)})


def along(shape: PathShape, start: Fraction, end: Fraction, fraction: Fraction) -> Fraction:
    """The point `fraction` of the way from `start` to `end` on a path of the given shape.

    A straight path is exact. A compound path grows by the same factor each month; it needs
    two positive ends, and is a straight line otherwise (from zero nothing multiplies).
    """
    if shape == "compound" and start > 0 and end > 0:
        return exact(float(start) * (float(end) / float(start)) ** float(fraction))
    return start + (end - start) * fraction


def target_for_year(
    targets: list[Target],
    year: int,
    baseline: float | None,
    baseline_year: int,
    shape: PathShape = "linear",
) -> Fraction | None:
    """A flow's target for one year: the milestone's own, or on the path between them."""
    points = [(t.year, exact(t.threshold)) for t in targets if t.threshold is not None]
    for milestone, value in points:
        if milestone == year:
            return value
    before = [p for p in points if p[0] < year]
    after = [p for p in points if p[0] > year]
    if not after:
        return before[-1][1] if before else None
    low: tuple[int, Fraction]
    if before:
        low = before[-1]
    elif baseline is not None and baseline_year < year:
        low = (baseline_year, exact(baseline))
    else:
        return None
    high = after[0]
    return along(shape, low[1], high[1], Fraction(year - low[0], high[0] - low[0]))


def _bounds(target: Target) -> tuple[float, ...]:
    """The numbers of a target a value is compared with (a range: both its ends)."""
    ends = (target.threshold, target.high if target.kind == "range" else None)
    return tuple(float(e) for e in ends if e is not None)


def _paths(expected: float | None) -> tuple[float, ...]:
    return () if expected is None else (expected,)


def _reach(span: Span) -> Reach:
    return Reach(
        low=float(span.low),
        high=float(span.high),
        low_reached=span.low_reached,
        high_reached=span.high_reached,
    )
