"""Who must act: the indicators that need action, worst first, with the unit responsible, the
gap to the target and what each remaining reporting period needs; and the overdue reporters.

Every report (Markdown, HTML, Word) opens with these after the counts. The verdicts are
`score`'s; this module only measures the distance they leave, in the indicator's own unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from plan57 import formatting as fmt
from plan57.catalogue.models import Catalogue, Indicator
from plan57.messages import Lang, text
from plan57.periods import MONTHS, Period
from plan57.scoring.judging import scored_targets, target_for_year
from plan57.scoring.verdicts import IndicatorScore, MissingReport, ScoreReport

# Missed first, then at risk: what `score` says needs someone to act.
NEEDS_ACTION = ("missed", "at-risk")
# Beyond this many units without figures, a row counts them: the overdue list names them all.
_NAMED = 3


@dataclass(frozen=True)
class Need:
    """What an indicator needs to reach `aim` by `by`: `per_period` in each of the `periods`
    reporting periods left (None where the target is words or there is no figure)."""

    gap: float | None  # how far the value is from the judged target (0 when it is not short)
    aim: float | None
    by: date | None
    periods: int
    per_period: float | None
    # Which aim: the judged milestone's, the next milestone's once the judged one has passed,
    # a flow's year's target, or next year's once the year is over.
    kind: str


def needing_action(catalogue: Catalogue, report: ScoreReport) -> list[IndicatorScore]:
    """The missed indicators, then the at-risk ones, each in catalogue order."""
    order = {ind.id: n for n, ind in enumerate(catalogue.indicators)}
    chosen = [item for item in report.indicators if item.status in NEEDS_ACTION]
    return sorted(chosen, key=lambda i: (NEEDS_ACTION.index(i.status), order.get(i.id, 0)))


def need(catalogue: Catalogue, ind: Indicator, item: IndicatorScore, period: Period) -> Need:
    """What `item` needs from the periods after `period`."""
    step = MONTHS[ind.frequency]
    target = item.target
    by = date(item.milestone, 12, 31) if item.milestone is not None else None
    if target is None or target.threshold is None or item.value is None or ind.unit == "yes_no":
        return Need(None, None, by, _left(period.end, by, step), None, "words")
    sign = -1.0 if target.at_most else 1.0
    if ind.flow:
        return _flow_need(catalogue, ind, item, period, step)
    gap = max(sign * (target.threshold - item.value), 0.0)
    aim, kind = target.threshold, "milestone"
    left = _left(period.end, by, step)
    if by is not None and by <= period.end:
        later = [t for t in scored_targets(ind) if t.year > target.year and t.threshold is not None]
        if later:
            aim, by, kind = float(later[0].threshold), date(later[0].year, 12, 31), "next"  # type: ignore[arg-type]
            left = _left(period.end, by, step)
    per = (aim - item.value) / left if left else None
    if per is not None and sign * per <= 0:
        per = None  # already beyond the aim: holding it is enough
    return Need(gap, aim, by, left, per, kind)


def _flow_need(
    catalogue: Catalogue, ind: Indicator, item: IndicatorScore, period: Period, step: int
) -> Need:
    """A flow's target is each year's: the rest of this year, or next year once it is over."""
    assert item.target is not None and item.target.threshold is not None and item.value is not None
    year = period.end.year
    aim = item.year_target if item.year_target is not None else item.target.threshold
    gap = max(aim - item.value, 0.0)
    left = -(-(12 - period.end.month) // step)
    if left:
        return Need(gap, aim, date(year, 12, 31), left, gap / left if gap else None, "year")
    baseline_year = item.baseline_year or catalogue.plan.baseline_year
    upcoming = target_for_year(
        scored_targets(ind), year + 1, item.baseline, baseline_year, ind.path
    )
    if upcoming is None:
        return Need(gap, None, None, 0, None, "year")
    periods, aim_next = 12 // step, float(upcoming)
    return Need(gap, aim_next, date(year + 1, 12, 31), periods, aim_next / periods, "next-year")


def _left(end: date, by: date | None, step: int) -> int:
    """Reporting periods after the one ending `end` until `by` (both ends of months)."""
    if by is None or by <= end:
        return 0
    months = (by.year - end.year) * 12 + by.month - end.month
    return -(-months // step)  # a period partly left is still a period to report


def action_rows(
    catalogue: Catalogue, report: ScoreReport, period: Period, lang: Lang
) -> list[dict[str, Any]]:
    """The indicators needing action, each as the reports show it."""
    rows = []
    for number, item in enumerate(needing_action(catalogue, report), start=1):
        ind = catalogue.indicator(item.id)
        assert ind is not None
        needed = need(catalogue, ind, item, period)
        rows.append(
            {
                "number": number,
                "id": item.id,
                "name": item.name(lang),
                "status": item.status,
                "status_label": text(f"status.{item.status}", lang),
                "value": item.shown_value(lang),  # the one display beside its target
                "target": fmt.target(item.target, ind.unit, lang),
                "milestone": str(item.milestone) if item.milestone is not None else "–",
                "responsible_names": ", ".join(
                    catalogue.entry_name(r, lang) for r in ind.responsible
                ),
                "responsible": list(ind.responsible),
                "group": ind.group,
                "lead": ind.lead,
                "monitors": list(ind.monitors),
                "gap": fmt.quantity(needed.gap, ind.unit, lang) if needed.gap else "–",
                "needed": _needed_text(catalogue, ind, item, needed, lang),
            }
        )
    return rows


def _needed_text(
    catalogue: Catalogue, ind: Indicator, item: IndicatorScore, needed: Need, lang: Lang
) -> str:
    unit = ind.unit
    every = text(f"action.every.{ind.frequency}", lang)
    parts = []
    if needed.kind == "words":
        if needed.by is not None:
            wording = fmt.target(item.target, unit, lang)
            parts.append(text("action.words", lang, target=wording, by=fmt.day(needed.by, lang)))
    elif needed.per_period is None or needed.aim is None or needed.by is None:
        parts.append(text("action.hold", lang))
    else:
        # What each period needs is never shown as less than it is (rounded up, as `score`'s).
        amount = fmt.need(abs(needed.per_period), unit, lang, item.decimals or 0)
        signed = f"{'+' if needed.per_period > 0 else '−'}{amount}"
        parts.append(
            text(
                f"action.{needed.kind}",
                lang,
                amount=signed if not ind.flow else amount,
                every=every,
                periods=needed.periods,
                aim=fmt.quantity(needed.aim, unit, lang),
                by=fmt.day(needed.by, lang),
                year=needed.by.year,
                milestone=item.milestone or "",
            )
        )
    if len(item.missing) > _NAMED:
        parts.append(text("action.missing-many", lang, count=len(item.missing)))
    elif item.missing:
        names = ", ".join(catalogue.entry_name(r, lang) for r in item.missing)
        parts.append(text("action.missing", lang, names=names))
    return "; ".join(parts)


def owed_words(
    item: MissingReport, lang: Lang, gaps: dict[tuple[str, str], str] | None = None
) -> str:
    """What a reporter still owes, as every report lists it: the indicators (an explained gap's
    note beside its own), then the earlier periods it has not sent that keep a verdict open."""
    notes = gaps or {}
    owed = [
        text("label.gap", lang, indicator=i, note=notes[(item.reporter, i)])
        if (item.reporter, i) in notes
        else i
        for i in item.indicators
    ]
    owed += [
        text("report.blocking", lang, indicator=indicator, periods=", ".join(periods))
        for indicator, periods in item.blocking.items()
    ]
    return ", ".join(owed)


def overdue_rows(catalogue: Catalogue, report: ScoreReport, lang: Lang) -> list[dict[str, Any]]:
    """The reporters whose figures for the period are overdue, most days late first."""
    late = [m for m in report.missing if m.overdue]
    late.sort(key=lambda m: (m.due, m.reporter))
    return [
        {
            "reporter": catalogue.entry_name(m.reporter, lang),
            "id": m.reporter,
            "indicators": owed_words(m, lang),
            "due": fmt.day(m.due, lang),
            "days": (report.as_of - m.due).days,
            "late": text("action.days-late", lang, days=(report.as_of - m.due).days),
        }
        for m in late
    ]


def overdue_groups(catalogue: Catalogue, report: ScoreReport, lang: Lang) -> list[dict[str, Any]]:
    """The overdue reporters gathered by what they owe and by when: a hundred communes owing
    the same indicators are one line that names them all, not a hundred lines."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in overdue_rows(catalogue, report, lang):
        groups.setdefault((row["indicators"], row["due"]), []).append(row)
    return [
        {
            "reporters": ", ".join(r["reporter"] for r in rows),
            "count": len(rows),
            "indicators": indicators,
            "due": due,
            "late": rows[0]["late"],
        }
        for (indicators, due), rows in groups.items()
    ]
