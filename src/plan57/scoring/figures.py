"""Combining the reporters' figures: the observations as sorted arrays, each
period's figures selected from them, and the value of an indicator for a period (sum,
ratio, max or single) with the figures behind it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from plan57.catalogue.models import Catalogue, Indicator
from plan57.grammar import RATIO_SCALE, bounds, exact, exact_sum  # as `check` verifies it
from plan57.periods import Period
from plan57.scoring.verdicts import BaselineSource, ReporterFigure, rounded
from plan57.submissions.obligations import (
    reporting_periods,
)


@dataclass(frozen=True)
class Baseline:
    value: float | None
    source: BaselineSource | None
    year: int
    reporters: frozenset[str] = frozenset()


def rows_by_indicator(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {str(key): group for key, group in rows.groupby("indicator", sort=False, observed=True)}


# One reporter's figure in an indicator's value: reporter, value, numerator, denominator, the
# periods it stands for (separated by spaces) and, for a stock, the row it is (a flow: -1).
_Contribution = tuple[str, float, float, float, str, int]


def _records(contributions: pd.DataFrame) -> dict[str, list[_Contribution]]:
    """The contributions as plain tuples, by indicator, in the frame's order."""
    out: dict[str, list[_Contribution]] = {}
    columns = ["indicator", "reporter", "value", "numerator", "denominator", "period", "row"]
    for indicator, *rest in zip(*(contributions[c].tolist() for c in columns), strict=True):
        out.setdefault(str(indicator), []).append(tuple(rest))
    return out


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


class Frame:
    """The observations joined with what the catalogue says about each indicator."""

    def __init__(self, catalogue: Catalogue, observations: pd.DataFrame) -> None:
        self.catalogue = catalogue
        self.observations = observations
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
        columns += ["denominator", "end", "months", "file", "line", "note"]
        if not observations.empty and "note" not in observations.columns:
            observations = observations.assign(note="")
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
        # What each selection by date reads, as arrays at the rows' positions: one pandas
        # selection of the whole frame per step costs more than the step itself.
        days = self.rows["end"].to_numpy().astype("datetime64[D]")
        months = days.astype("datetime64[M]").astype(np.int64)
        self.days = days.astype(np.int64)
        self.years = months // 12 + 1970
        self.month = months % 12 + 1
        self.months = self.rows["months"].to_numpy(dtype=np.int64)
        self.flow = self.rows["flow"].to_numpy(dtype=bool)
        # The rows are in (indicator, reporter) order, so each pair's rows are a run.
        pairs = self.rows.groupby(["indicator", "reporter"], sort=False, observed=True)
        self.pair = pairs.ngroup().to_numpy()
        self.code = pd.factorize(self.rows["indicator"])[0]
        # What a figure in a value shows, for the selections to copy no more than that.
        columns = ["indicator", "reporter", "value", "numerator", "denominator", "period", "end"]
        self.figures = self.rows[columns]
        self._year_values: dict[int, dict[str, float]] = {}
        # Per indicator, the figures and gaps are read row by row from plain lists: tens of
        # thousands of small pandas selections cost more than the scoring itself.
        self._cells: _Cells | None = None
        self._year_rows: dict[tuple[str, int, date], list[int]] = {}
        self._whole_years: dict[tuple[str, int], bool] = {}
        self._baselines: tuple[dict[str, float], dict[str, pd.DataFrame]] | None = None

    @property
    def cells(self) -> _Cells:
        """The rows as plain lists (made once, on first use)."""
        if self._cells is None:
            self._cells = _Cells(self)
        return self._cells

    def year_rows(self, indicator: str, year: int, upto: date) -> list[int]:
        """A flow's rows of `year` ending by `upto` that make its sum (annual reports win), as
        positions in `cells`."""
        key = (indicator, year, upto)
        found = self._year_rows.get(key)
        if found is None:
            cells = self.cells
            last = _days(upto)
            rows = [i for i in cells.years.get((indicator, year), ()) if cells.end[i] <= last]
            annual = {cells.reporter[i] for i in rows if cells.months[i] == 12}
            found = [i for i in rows if cells.months[i] == 12 or cells.reporter[i] not in annual]
            self._year_rows[key] = found
        return found

    def baselines(self) -> tuple[dict[str, float], dict[str, pd.DataFrame]]:
        """Each indicator's value at the baseline year's end, and the contributions to it."""
        if self._baselines is None:
            rows = self.contributions(date(self.catalogue.plan.baseline_year, 12, 31), detail=False)
            values, _ = self.combine(rows)
            self._baselines = values, rows_by_indicator(rows)
        return self._baselines

    def gaps(
        self, ind: Indicator, reporters: list[str], year: int, upto: date
    ) -> dict[str, list[Period]]:
        """Per reporter, the reporting periods of `year` up to `upto` that no figure covers."""
        required = reporting_periods(ind, year, upto)
        if not required:
            return {}
        cells = self.cells
        covered: dict[str, set[int]] = {}
        for i in self.year_rows(ind.id, year, upto):
            last = cells.month[i]
            covered.setdefault(cells.reporter[i], set()).update(
                range(last - cells.months[i] + 1, last + 1)
            )
        out: dict[str, list[Period]] = {}
        for reporter in reporters:
            have = covered.get(reporter, set())
            lacking = [
                p for p in required if not set(range(p.first_month, p.last_month + 1)) <= have
            ]
            if lacking:
                out[reporter] = lacking
        return out

    def whole_year(self, ind: Indicator, year: int) -> bool:
        """Whether a flow's `year` has every reporting period from every reporter owing it.

        Stocks always qualify: their year-end value needs no sum.
        """
        if not ind.flow:
            return True
        key = (ind.id, year)
        if key not in self._whole_years:
            self._whole_years[key] = not self.gaps(ind, self.owing(ind), year, date(year, 12, 31))
        return self._whole_years[key]

    def owing(self, ind: Indicator) -> list[str]:
        """The reporters whose figures decide the value: the authority alone for `single`."""
        authority = self.authority.get(ind.id)
        if ind.combine == "single" and authority is not None:
            return [authority]
        return self.catalogue.expand(ind.reporters)

    def fallback_baseline(self, ind: Indicator, end: date) -> Baseline:
        """The first year after the baseline year with a figure, ending before `end`.

        A flow's year counts only when complete (every reporting period from every reporter
        that owes it): a part of a year is no baseline.
        """
        base_year = self.catalogue.plan.baseline_year
        for year in range(base_year + 1, end.year + 1):
            year_end = date(year, 12, 31)
            if year_end >= end:
                break
            if year not in self._year_values:
                self._year_values[year], _ = self.combine(
                    self.contributions(year_end, detail=False)
                )
            value = self._year_values[year].get(ind.id)
            if value is None:
                continue
            if not self.whole_year(ind, year):
                continue
            return Baseline(value, "fallback", year)
        return Baseline(None, None, base_year)

    def contributions(self, end: date, *, detail: bool) -> pd.DataFrame:
        """Each (indicator, reporter)'s figure as it stood at `end`."""
        return self.contributions_at([end], detail=detail)

    def contributions_at(self, ends: list[date], *, detail: bool) -> pd.DataFrame:
        """Each (indicator, reporter)'s figure as it stood at each of `ends`, the end's position
        in column `at` (one selection for all: a chart's history has a dozen quarters)."""
        stocks: list[Any] = []
        flows: list[Any] = []
        for end in ends:
            upto = self.days <= _days(end)
            cutoff = _days(stale_cutoff(end, self.stale_months))
            chosen = np.flatnonzero(upto & ~self.flow & (self.days >= cutoff))
            if len(chosen):
                # Each pair's last row standing is its latest (a pair's rows run by date).
                chosen = chosen[np.append(self.pair[chosen[1:]] != self.pair[chosen[:-1]], True)]
            stocks.append(chosen)
            in_year = np.flatnonzero(upto & self.flow & (self.years == end.year))
            annual = self.months[in_year] == 12
            flows.append(in_year[annual | ~np.isin(self.pair[in_year], self.pair[in_year[annual]])])
        chosen = np.concatenate(stocks)
        latest = self.figures.take(chosen).rename(columns={"end": "last"})
        parts = [latest.assign(at=_positions(stocks), row=chosen)]
        if sum(len(f) for f in flows):
            flow = self.figures.take(np.concatenate(flows)).assign(at=_positions(flows))
            grouped = flow.groupby(["at", "indicator", "reporter"], sort=False)
            sums = grouped[["value", "numerator", "denominator"]].sum(min_count=1)
            sums["last"] = grouped["end"].max()
            if detail:
                sums["period"] = grouped["period"].agg(" ".join)
            else:
                sums["period"] = ""
            sums["row"] = -1  # a sum of several rows
            parts.append(sums.reset_index())
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def combine(self, contributions: pd.DataFrame) -> tuple[dict[str, float], set[str]]:
        """Each indicator's value from its reporters' figures, and the ratios averaged unweighted."""
        values, unweighted = self.combine_at(contributions)
        return values.get(0, {}), unweighted.get(0, set())

    def combine_at(
        self, contributions: pd.DataFrame
    ) -> tuple[dict[int, dict[str, float]], dict[int, set[str]]]:
        """`combine` for each end of `contributions_at`, by the end's position."""
        values: dict[int, dict[str, float]] = {}
        unweighted: dict[int, set[str]] = {}
        if contributions.empty:
            return values, unweighted
        rows = contributions
        combine = self.meta["combine"].to_numpy()[self.meta.index.get_indexer(rows["indicator"])]
        # `single` and `max` pick one figure (no arithmetic): plain Python picks what pandas
        # would (the first, the largest; NaN skipped), without a selection per rule.
        authority = self.authority
        for at, indicator, reporter, value, rule in zip(
            rows["at"].tolist(),
            rows["indicator"].tolist(),
            rows["reporter"].tolist(),
            rows["value"].tolist(),
            combine,
            strict=True,
        ):
            if math.isnan(value):
                continue
            mine = values.setdefault(at, {})
            if rule == "single":
                if reporter == authority.get(indicator) and indicator not in mine:
                    mine[indicator] = value
            elif rule == "max" and (indicator not in mine or value > mine[indicator]):
                mine[indicator] = value
        keys = ["at", "indicator"]
        pieces = [rows[combine == "sum"].groupby(keys)["value"].sum()]
        ratio = rows[combine == "ratio"]
        if not ratio.empty:
            complete = ratio["numerator"].notna() & ratio["denominator"].notna()
            sums = ratio[complete].groupby(keys)[["numerator", "denominator"]].sum()
            sums = sums[sums["denominator"] > 0]
            indicators = sums.index.get_level_values("indicator")
            scale = self.meta["scale"].to_numpy()[self.meta.index.get_indexer(indicators)]
            pieces.append(sums["numerator"] / sums["denominator"] * scale)
            # `check` requires numerators and denominators for ratios; this only guards data
            # that bypassed it, and says so in the flags instead of weighting silently.
            rest = ratio[~pd.MultiIndex.from_frame(ratio[keys]).isin(sums.index)]
            if not rest.empty:
                means = rest.groupby(keys)["value"].agg(["mean", "count"])
                pieces.append(means["mean"])
                for at, indicator in means.index[means["count"] > 1]:
                    unweighted.setdefault(int(at), set()).add(str(indicator))
        for piece in pieces:
            for (at, indicator), value in piece.items():
                if pd.notna(value):
                    values.setdefault(int(at), {})[str(indicator)] = float(value)
        return values, unweighted

    def latest_before(self, end: date) -> dict[str, tuple[str, date]]:
        """Each indicator's most recent reported period ending by `end`, stale or not."""
        chosen = np.flatnonzero(self.days <= _days(end))
        if not len(chosen):
            return {}
        # Newest end first, then the longest period ending then; the later row wins a tie.
        rank = self.days[chosen] * 16 + self.months[chosen]
        code = self.code[chosen]
        starts = np.flatnonzero(np.append(True, code[1:] != code[:-1]))
        best = np.repeat(np.maximum.reduceat(rank, starts), np.diff(np.append(starts, len(rank))))
        hits = chosen[rank == best]
        last = hits[np.append(self.code[hits[1:]] != self.code[hits[:-1]], True)]
        cells = self.rows.take(last)
        return {
            str(ind): (str(per), _day(days))
            for ind, per, days in zip(
                cells["indicator"], cells["period"], self.days[last].tolist(), strict=True
            )
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
        names = self.rows["indicator"].to_numpy()
        month = self.years * 12 + self.month - 1
        quarter = month - month % 3 + 2
        # One (indicator, date) pair per distinct code: the dates of a handful of years.
        out = {
            (str(names[i]), _month_end(int(quarter[i])))
            for i in np.unique(self.code * (1 << 32) + quarter, return_index=True)[1]
        }
        # Reports ending mid-quarter (a month) also mark their own month, for a month's report.
        out |= {
            (str(names[i]), _day(int(self.days[i])))
            for i in np.unique(self.code * (1 << 32) + self.days, return_index=True)[1]
        }
        return out


def indicator_figures(
    catalogue: Catalogue,
    ind: Indicator,
    rows: list[_Contribution] | None,
    frame: Frame,
    end: date,
) -> list[ReporterFigure]:
    if rows is None:
        return []
    authority = frame.authority.get(ind.id)
    order = {rid: n for n, rid in enumerate(catalogue.expand(ind.reporters))}
    # Each period's own figure and note: a stock's one row standing, a flow's rows of its
    # year's sum (of a period sent twice, the later file or line, as in the sum's order).
    cells = frame.cells
    in_sum: dict[str, dict[str, int]] = {}
    if ind.flow:
        for position in frame.year_rows(ind.id, end.year, end):
            in_sum.setdefault(cells.reporter[position], {})[cells.period[position]] = position
    figures = []
    for reporter, value, numerator, denominator, periods, row in rows:
        yes_no = ind.unit == "yes_no"
        shown = sorted(str(periods).split())
        positions = in_sum.get(str(reporter), {}) if ind.flow else {cells.period[row]: row}
        mine = {
            p: (cells.value[i], _note(cells.note[i]))
            for p in shown
            if (i := positions.get(p)) is not None
        }
        figure = ReporterFigure(
            id=str(reporter),
            value=None if yes_no else rounded(value),
            answer=bool(value >= 0.5) if yes_no else None,
            numerator=rounded(numerator),
            denominator=rounded(denominator),
            periods=shown,
            used=ind.combine != "single" or reporter == authority,
            figures=(
                {p: rounded(mine[p][0]) or 0.0 for p in shown if p in mine} if ind.flow else {}
            ),
            notes={p: mine[p][1] for p in shown if p in mine and mine[p][1]},
        )
        # The same figures as written: each row's cell, a flow's summed exactly.
        rows_in = [positions[p] for p in shown if p in positions]
        figure._exact = _exact_sum([cells.value[i] for i in rows_in]) if rows_in else _ex(value)
        figure._numerator = _exact_sum([cells.numerator[i] for i in rows_in]) if rows_in else None
        figure._denominator = (
            _exact_sum([cells.denominator[i] for i in rows_in]) if rows_in else None
        )
        figures.append(figure)
    figures.sort(key=lambda f: (order.get(f.id, 1 << 30), f.id))
    return figures


_EPOCH = date(1970, 1, 1)


def _positions(selections: list[Any]) -> Any:
    """For rows selected per end and concatenated, each row's end (its position in the list)."""
    return np.repeat(np.arange(len(selections)), [len(s) for s in selections])


def _days(day: date) -> int:
    return (day - _EPOCH).days


def _day(days: int) -> date:
    return date.fromordinal(_EPOCH.toordinal() + days)


class _Cells:
    """The frame's rows as plain lists, one per column, with the positions of each flow's rows
    by year."""

    def __init__(self, frame: Frame) -> None:
        rows = frame.rows
        self.end: list[int] = frame.days.tolist()
        self.year: list[int] = frame.years.tolist()
        self.month: list[int] = frame.month.tolist()
        self.months: list[int] = frame.months.tolist()
        self.reporter: list[str] = rows["reporter"].tolist()
        self.period: list[str] = rows["period"].tolist()
        self.value: list[float] = rows["value"].astype("float64").tolist()
        self.numerator: list[float] = rows["numerator"].astype("float64").tolist()
        self.denominator: list[float] = rows["denominator"].astype("float64").tolist()
        self.note: list[Any] = rows["note"].tolist()
        indicators: list[str] = rows["indicator"].tolist()
        self.years: dict[tuple[str, int], list[int]] = {}
        for i in np.flatnonzero(frame.flow).tolist():
            self.years.setdefault((indicators[i], self.year[i]), []).append(i)


def _ex(value: float) -> Fraction | None:
    return None if math.isnan(value) else exact(value)


def _exact_sum(values: list[float]) -> Fraction | None:
    """The sum of figures as written; None when one of them is blank (a ratio's missing part)."""
    if len(values) == 1:
        return _ex(values[0])
    if any(math.isnan(v) for v in values):
        return None
    # Decimals add exactly at this precision (figures of at most 17 digits within MAX_VALUE),
    # and faster than fractions.
    with localcontext() as context:
        context.prec = 80
        return Fraction(sum((Decimal(repr(v)) for v in values), Decimal(0)))


def _note(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return " ".join(str(value).split())


@dataclass(frozen=True)
class Span:
    """The values an indicator could still take over the figures it awaits (exact)."""

    low: Fraction
    high: Fraction
    low_reached: bool = True
    high_reached: bool = True

    def could_meet(self, threshold: Fraction, at_most: bool) -> bool:
        if at_most:
            return self.low < threshold or (self.low == threshold and self.low_reached)
        return self.high > threshold or (self.high == threshold and self.high_reached)

    def could_miss(self, threshold: Fraction, at_most: bool) -> bool:
        return self.high > threshold if at_most else self.low < threshold


def exact_value(rule: str, used: list[ReporterFigure], scale: float) -> Fraction | None:
    """An indicator's value from its reporters' figures as written, by its combine rule (the
    exact twin of `Frame.combine`, for the few figures of one indicator)."""
    parts = [f.exact() for f in used]
    values = [v for v, _, _ in parts if v is not None]
    if not values:
        return None
    if rule == "ratio":
        if all(n is not None and d is not None for _, n, d in parts):
            den = exact_sum(d for _, _, d in parts if d is not None)
            if den > 0:
                num = exact_sum(n for _, n, _ in parts if n is not None)
                return num / den * exact(scale)
        return exact_sum(values) / len(values)
    if rule == "sum":
        return exact_sum(values)
    if rule == "max":
        return max(values)
    return values[0]


def reach(
    rule: str,
    used: list[ReporterFigure],
    awaited: dict[str, int],
    unit: str,
    flow: bool,
) -> Span:
    """The values the indicator could take once every awaited figure is in, whatever those
    figures are within the unit's bounds (`grammar.bounds`).

    `awaited` maps each awaited reporter to the number of its periods still owed (a stock's
    figure is owed whole: the one it stands on, if any, is replaced; a flow's missing periods
    each add a figure to what its reporter has sent).
    """
    if not awaited:
        value = exact_value(rule, used, RATIO_SCALE.get(unit, 1.0))
        return Span(value, value) if value is not None else Span(Fraction(0), Fraction(0))
    lo, hi = (Fraction(0), Fraction(1)) if unit == "yes_no" else (exact(b) for b in bounds(unit))
    known = {f.id: f.exact() for f in used}
    fixed = [known[r] for r in known if r not in awaited]
    if rule == "ratio" and unit != "yes_no":
        return _ratio_reach(fixed, lo, hi, exact(RATIO_SCALE.get(unit, 1.0)))
    # What each awaited reporter has sent of its year (a stock's figure is replaced whole).
    partials = {
        r: (known.get(r, (None, None, None))[0] or Fraction(0)) if flow else Fraction(0)
        for r in awaited
    }
    values = [v for v, _, _ in fixed if v is not None]
    if rule == "single":
        if awaited:
            reporter, count = next(iter(awaited.items()))
            return Span(partials[reporter] + count * lo, partials[reporter] + count * hi)
        return Span(values[0], values[0]) if values else Span(lo, hi)
    if rule == "max" or unit == "yes_no":
        lows = values + [partials[r] + c * lo for r, c in awaited.items()]
        highs = values + [partials[r] + c * hi for r, c in awaited.items()]
        return Span(max(lows), max(highs))
    base = exact_sum(values) + exact_sum(partials.values())
    count = sum(awaited.values())
    return Span(base + count * lo, base + count * hi)


def _ratio_reach(
    fixed: list[tuple[Fraction | None, Fraction | None, Fraction | None]],
    lo: Fraction,
    hi: Fraction,
    scale: Fraction,
) -> Span:
    """A ratio pulls towards each awaited reporter's share with a weight (its denominator)
    that can be anything above zero: the reach runs from the present share to the unit's
    bounds, never quite reaching a bound the present share is away from."""
    nums = [n for _, n, d in fixed if n is not None and d is not None]
    dens = [d for _, n, d in fixed if n is not None and d is not None]
    total = exact_sum(dens)
    if total > 0:
        present = exact_sum(nums) / total * scale
    elif values := [v for v, _, _ in fixed if v is not None]:
        present = exact_sum(values) / len(values)
    else:
        return Span(lo, hi)
    return Span(min(present, lo), max(present, hi), present <= lo, present >= hi)
