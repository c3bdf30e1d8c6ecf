"""The geometry of each indicator's small chart: baseline, reported values, expected path, targets.

Everything is computed here in SVG user units and rounded, so that the template only places
ready numbers and the same inputs always give the same bytes. A stock's chart runs from the
start of the baseline year to the milestone that applies; a per-year flow's chart shows each
year's running total against that year's pro-rated path, so it ends with the period's year.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from plan57 import formatting as fmt
from plan57.catalogue.models import Catalogue, Indicator, Unit
from plan57.grammar import exact
from plan57.messages import Lang, text
from plan57.scoring.judging import along, scored_targets, target_for_year
from plan57.scoring.verdicts import IndicatorScore, Point

WIDTH = 320
HEIGHT = 150
_LEFT, _RIGHT, _TOP, _BOTTOM = 44.0, 10.0, 18.0, 22.0
_MAX_YEAR_LABELS = 6


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str
    kind: str = ""


@dataclass(frozen=True)
class Bar:
    """A range target: a short vertical bar from its low end to its high end."""

    x: float
    y_low: float
    y_high: float
    label: str


@dataclass
class Chart:
    id: str
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    left: float = _LEFT
    right: float = WIDTH - _RIGHT
    top: float = _TOP
    bottom: float = HEIGHT - _BOTTOM
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    # Where each year starts on the x axis: short marks, so that a point's year can be read.
    x_marks: list[float] = field(default_factory=list)
    unit: str = ""  # the y axis's unit, written above it
    expected: list[str] = field(default_factory=list)  # polylines' `points` attributes
    reported: list[str] = field(default_factory=list)
    dots: list[Marker] = field(default_factory=list)
    targets: list[Marker] = field(default_factory=list)
    ranges: list[Bar] = field(default_factory=list)
    baseline: Marker | None = None
    empty: str | None = None
    yes_no: bool = False
    flow: bool = False


def chart(
    catalogue: Catalogue,
    ind: Indicator,
    item: IndicatorScore,
    points: list[Point],
    period_end: date,
    lang: Lang,
) -> Chart:
    """The chart of one indicator for a report on the period ending `period_end`."""
    base_year = catalogue.plan.baseline_year
    targets = scored_targets(ind)
    last_year = (
        period_end.year if ind.flow else max(item.milestone or period_end.year, period_end.year)
    )
    start, stop = date(base_year, 1, 1), date(last_year, 12, 31)
    shown_targets = [t for t in targets if t.year <= last_year]
    out = Chart(
        id=ind.id,
        title=text("report.chart", lang, id=ind.id),
        yes_no=ind.unit == "yes_no",
        flow=ind.flow,
    )
    scale = _Scale(out, start, stop)
    out.x_ticks = _year_ticks(scale, start.year, last_year)
    out.x_marks = [scale.x(date(y, 1, 1)) for y in range(start.year, last_year + 2)]
    if not points:
        out.empty = text("report.chart-empty", lang)

    if out.yes_no:
        scale.set_y(1.0)
        out.y_ticks = [
            Tick(scale.y(0.25), fmt.answer(False, lang)),
            Tick(scale.y(0.75), fmt.answer(True, lang)),
        ]
        for p in points:
            level = 0.75 if p.value >= 0.5 else 0.25
            yes = p.value >= 0.5
            label = f"{fmt.day(p.end, lang)}: {fmt.answer(yes, lang)}"
            out.dots.append(Marker(scale.x(p.end), scale.y(level), label, "yes" if yes else "no"))
        for t in shown_targets:
            label = f"{t.year}: {fmt.qualitative(t.text, lang)}"
            out.targets.append(Marker(scale.x(date(t.year, 12, 31)), scale.y(0.75), label))
        return out

    unit = ind.unit
    out.unit = text(f"unit.{unit}", lang)
    highs = [p.value for p in points]
    highs += [float(t.high if t.high is not None else t.threshold or 0) for t in shown_targets]
    if item.baseline is not None:
        highs.append(item.baseline)
    if item.expected is not None:
        highs.append(item.expected)
    path: list[tuple[date, float]] = []
    year_paths: list[list[tuple[date, float]]] = []
    # The baseline may be a later year's (`baseline-fallback`): it is drawn where it belongs.
    start_year = item.baseline_year or base_year
    if ind.flow:
        for year in range(base_year + 1, last_year + 1):
            found = target_for_year(targets, year, item.baseline, start_year, ind.path)
            if found is not None:
                aim = float(found)
                year_paths.append([(date(year, 1, 1), 0.0), (date(year, 12, 31), aim)])
                highs.append(aim)
    else:
        if item.baseline is not None:
            path.append((date(start_year, 12, 31), item.baseline))
        path += [
            (date(t.year, 12, 31), t.threshold) for t in shown_targets if t.threshold is not None
        ]
        if ind.path == "compound":
            path = _compound(path)
    top = _nice_top(max(highs, default=0.0), unit)
    scale.set_y(top)
    out.y_ticks = [Tick(scale.y(v), fmt.number(v, lang, _tick_decimals(top))) for v in _ticks(top)]

    for segment in ([path] if len(path) > 1 else []) + year_paths:
        out.expected.append(_points(scale, segment))
    for t in shown_targets:
        x = scale.x(date(t.year, 12, 31))
        label = f"{t.year}: {fmt.target(t, unit, lang)}"
        if t.kind == "range" and t.low is not None and t.high is not None:
            out.ranges.append(Bar(x, scale.y(t.low), scale.y(t.high), label))
        elif t.threshold is not None:
            out.targets.append(Marker(x, scale.y(t.threshold), label))
    if item.baseline is not None:
        out.baseline = Marker(
            scale.x(date(start_year, 12, 31)),
            scale.y(item.baseline),
            f"{start_year}: {fmt.quantity(item.baseline, unit, lang)}",
        )
    # A flow's running total starts again each year: one line per year.
    runs: dict[int, list[tuple[date, float]]] = {}
    for p in points:
        runs.setdefault(p.end.year if ind.flow else 0, []).append((p.end, p.value))
        out.dots.append(
            Marker(
                scale.x(p.end),
                scale.y(p.value),
                f"{fmt.day(p.end, lang)}: {point_beside(item, p.value, unit, lang)}",
            )
        )
    out.reported = [_points(scale, run) for _, run in sorted(runs.items()) if len(run) > 1]
    return out


class _Scale:
    def __init__(self, out: Chart, start: date, stop: date) -> None:
        self.out = out
        self.start = start.toordinal()
        self.span = max(stop.toordinal() - self.start, 1)
        self.top = 1.0

    def set_y(self, top: float) -> None:
        self.top = top if top > 0 else 1.0

    def x(self, day: date) -> float:
        share = (day.toordinal() - self.start) / self.span
        return round(self.out.left + share * (self.out.right - self.out.left), 1)

    def y(self, value: float) -> float:
        share = min(max(value / self.top, 0.0), 1.0)
        return round(self.out.bottom - share * (self.out.bottom - self.out.top), 1)


def _points(scale: _Scale, run: list[tuple[date, float]]) -> str:
    return " ".join(f"{scale.x(day):g},{scale.y(value):g}" for day, value in run)


def _year_ticks(scale: _Scale, first: int, last: int) -> list[Tick]:
    """Year labels in the middle of their year: every year on short charts, every few years on
    long ones, counted back from the last year so that the milestone's year is always named."""
    years = last - first + 1
    step = max(1, math.ceil(years / _MAX_YEAR_LABELS))
    return [Tick(scale.x(date(y, 7, 1)), str(y)) for y in range(last, first - 1, -step)][::-1]


def _nice_top(highest: float, unit: str) -> float:
    """A round upper bound a little above the highest figure (and never above 100 for a share)."""
    if highest <= 0:
        return 1.0
    step = _nice_step(highest * 1.08 / 4)
    top = math.ceil(highest * 1.08 / step) * step
    if unit in ("percent",) and highest <= 100 < top:
        return 100.0
    if unit == "index" and highest <= 1 < top:
        return 1.0
    return float(top)


def _nice_step(raw: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= raw:
            return float(factor * magnitude)
    return float(10 * magnitude)


def _ticks(top: float) -> list[float]:
    step = _nice_step(top / 4)
    count = round(top / step)
    values = [round(i * step, 10) for i in range(count + 1)]
    if values[-1] < top - 1e-9:
        values.append(top)
    return values


def _tick_decimals(top: float) -> int:
    step = _nice_step(top / 4)
    if step >= 1:
        return 0
    decimals = -math.floor(math.log10(step))
    return decimals + (0 if round(step * 10**decimals, 6).is_integer() else 1)


# --- the breakdown by reporter ---------------------------------------------------------------

BAR_WIDTH = 640
_BAR_ROW, _BAR_LABEL, _BAR_VALUE = 14.0, 210.0, 70.0
_LABEL_CHARS = 34
# Below this many reporters the table says it all; above it (102 communes) a picture helps.
BARS_FROM = 8


@dataclass(frozen=True)
class BarRow:
    y: float
    width: float
    label: str  # the reporter's name, shortened to fit
    value: str
    title: str  # the full name and value, for the tooltip
    used: bool


@dataclass
class BarChart:
    id: str
    title: str
    width: int
    height: int
    left: float
    right: float
    row: float
    rows: list[BarRow]
    x_ticks: list[Tick]
    unit: str


def reporter_bars(
    ind: Indicator, item: IndicatorScore, names: dict[str, str], lang: Lang
) -> BarChart | None:
    """Every reporter's figure as a horizontal bar, largest first; None when few reporters
    (or a yes/no indicator) make the table enough."""
    figures = [f for f in item.reporters if f.value is not None]
    if ind.unit == "yes_no" or len(figures) < BARS_FROM:
        return None
    figures.sort(key=lambda f: (-(f.value or 0.0), f.id))
    top = _nice_top(max(f.value or 0.0 for f in figures), ind.unit)
    left, right = _BAR_LABEL, BAR_WIDTH - _BAR_VALUE
    span = right - left
    rows = []
    for index, figure in enumerate(figures):
        value = figure.value or 0.0
        name = names.get(figure.id, figure.id)
        shown = name if len(name) <= _LABEL_CHARS else name[: _LABEL_CHARS - 1] + "…"
        amount = item.shown_figure(value, lang)
        rows.append(
            BarRow(
                y=round(_TOP + index * _BAR_ROW, 1),
                width=round(max(value, 0.0) / top * span, 1),
                label=shown,
                value=amount,
                title=f"{name}: {amount}",
                used=figure.used,
            )
        )
    height = int(_TOP + len(rows) * _BAR_ROW + _BOTTOM)
    ticks = [
        Tick(round(left + v / top * span, 1), fmt.number(v, lang, _tick_decimals(top)))
        for v in _ticks(top)
    ]
    return BarChart(
        id=ind.id,
        title=text("site.bars-title", lang, id=ind.id, count=len(rows)),
        width=BAR_WIDTH,
        height=height,
        left=left,
        right=right,
        row=_BAR_ROW,
        rows=rows,
        x_ticks=ticks,
        unit=text(f"unit.{ind.unit}", lang),
    )


def _compound(knots: list[tuple[date, float]]) -> list[tuple[date, float]]:
    """A compound path drawn through a point at each year's end between its knots."""
    out = knots[:1]
    for (start, low), (end, high) in itertools.pairwise(knots):
        years = end.year - start.year
        for step in range(1, years + 1):
            out.append(
                (
                    date(start.year + step, 12, 31),
                    float(along("compound", exact(low), exact(high), Fraction(step, years))),
                )
            )
    return out


def point_beside(item: IndicatorScore, value: float, unit: Unit, lang: Lang) -> str:
    """A point of the history beside the target; the period's own point as the value is."""
    if item.value is not None and math.isclose(value, item.value, rel_tol=1e-9, abs_tol=1e-9):
        return item.shown_value(lang)
    return fmt.beside(value, unit, lang, item.target_bounds(), (), item.at_most())
