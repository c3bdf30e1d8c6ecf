"""The báo cáo the secretariat signs and hands in: a Word document laid out as Hướng dẫn
36-HD/VPTW lays out a Party body's report (`plan57 report --format docx`).

The heading, signature and recipients come from the catalogue's `report:` section; part I is
the counts and who must act (`output.actions`), parts II and III the units' own words, part IV
the secretariat's tasks; the appendix holds every indicator's verdict as `score` gives it.
The view is prepared here, every string ready; the .docx template only lays it out.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from plan57 import formatting as fmt
from plan57.catalogue.models import Catalogue, ReportSettings
from plan57.errors import CatalogueError
from plan57.messages import Lang, text
from plan57.output.actions import action_rows, overdue_groups
from plan57.output.narratives import compiled
from plan57.output.report import (
    Grouping,
    Scored,
    action_sections,
    score_repository,
    sections,
)
from plan57.periods import PROVINCE_TIME, Period
from plan57.repository import CATALOGUE
from plan57.scoring.verdicts import IndicatorScore

_ROMAN = ("I", "II", "III", "IV")
_ORDINALS_EN = ("first", "second", "third", "fourth")


def build_word_report(
    root: Path,
    *,
    period: str,
    as_of: date,
    lang: Lang,
    by: Grouping,
    targets_at: str | None,
    generated: datetime,
) -> bytes:
    """The Word report of the repository at `root` for `period`, as the bytes of a .docx."""
    from plan57.render import render_docx

    scored = score_repository(root, period=period, as_of=as_of, targets_at=targets_at)
    return render_docx(word_view(scored, lang=lang, by=by, generated=generated))


def settings(catalogue: Catalogue) -> ReportSettings:
    """The catalogue's `report:` section, or an error that says how to add it."""
    if catalogue.report is None:
        raise CatalogueError("report-settings-missing", path=CATALOGUE.as_posix())
    return catalogue.report


def word_view(scored: Scored, *, lang: Lang, by: Grouping, generated: datetime) -> dict[str, Any]:
    catalogue, report, period = scored.catalogue, scored.report, scored.period
    heading = settings(catalogue)
    vi = lang == "vi"
    plan = catalogue.plan
    issuer = heading.issuer_vi if vi else heading.issuer_en
    superior = heading.superior_vi if vi else heading.superior_en
    in_words = period_words(period, lang)
    counts = {s.replace("-", "_"): report.summary.get(s, 0) for s in report.summary}
    signed = generated.astimezone(PROVINCE_TIME).date()
    return {
        "title": text("docx.kind", lang) + " " + in_words,
        "superior": (superior or "").upper(),
        "issuer": issuer.upper(),
        "number": text("docx.number", lang, symbol=heading.symbol),
        "party": text("docx.party", lang),
        "dateline": dateline(heading.place_vi if vi else heading.place_en, signed, lang),
        "kind": text("docx.kind", lang),
        "subject": text(
            "docx.subject",
            lang,
            number=plan.number,
            period=in_words,
        ),
        "intro": text(
            "docx.intro",
            lang,
            number=plan.number,
            date=fmt.day(plan.date, lang),
            issuer=plan.issuer_vi if vi else plan.issuer_en,
            title=_lower_first(plan.title_vi if vi else plan.title_en),
            body=issuer,
            period=in_words,
            as_of=fmt.day(report.as_of, lang),
        ),
        "counts": text(
            "docx.counts",
            lang,
            total=len(report.indicators),
            on_track=counts.get("on_track", 0),
            at_risk=counts.get("at_risk", 0),
            missed=counts.get("missed", 0),
            no_data=counts.get("no_data", 0),
        ),
        "provisional": (
            text("docx.provisional", lang, due=fmt.day(report.deadline, lang))
            if report.provisional and report.deadline is not None
            else ""
        ),
        "actions": action_sections(
            catalogue, action_rows(catalogue, report, period, lang), by, lang
        ),
        "overdue": [
            {"line": text("docx.overdue-line", lang, **row)}
            for row in overdue_groups(catalogue, report, lang)
        ],
        # The units' narratives: highlights in part I, parts II and III, by kind of unit.
        **{
            part: groups
            for part, groups in compiled(catalogue, scored.narratives, period, lang).items()
        },
        "tasks": list(heading.tasks_vi if vi else heading.tasks_en),
        "signature": list(heading.signature_vi if vi else heading.signature_en),
        "signer": heading.signer or "",
        "recipients": list(heading.recipients_vi if vi else heading.recipients_en),
        "appendix": _appendix(scored, by, lang),
        "labels": _labels(lang, in_words, heading.symbol),
    }


def _appendix(scored: Scored, by: Grouping, lang: Lang) -> list[dict[str, Any]]:
    """Every indicator, in sections as `--by` groups them, numbered through."""
    catalogue = scored.catalogue
    rows = {item.id: appendix_row(catalogue, item, lang) for item in scored.report.indicators}
    out = sections(catalogue, rows, by, lang)
    number = 0
    for section in out:
        for row in section["rows"]:
            number += 1
            row["number"] = number
    return out


def appendix_row(catalogue: Catalogue, item: IndicatorScore, lang: Lang) -> dict[str, Any]:
    """An indicator's line of the appendix: the facts of its `score` verdict."""
    ind = catalogue.indicator(item.id)
    assert ind is not None
    if item.unit == "yes_no":
        value = fmt.answer(item.answer, lang)
    else:
        value = fmt.quantity(item.value, item.unit, lang)
    return {
        "id": item.id,
        "name": item.name(lang),
        "value": value,
        "target": fmt.target(item.target, item.unit, lang),
        "milestone": str(item.milestone) if item.milestone is not None else "–",
        "status": item.status,
        "status_label": text(f"status.{item.status}", lang),
        "reason": item.reason(lang),
        "group": ind.group,
        "lead": ind.lead,
        "monitors": list(ind.monitors),
        "responsible": list(ind.responsible),
    }


def _labels(lang: Lang, period: str, symbol: str) -> dict[str, str]:
    keys = {
        "part1": "docx.part1",
        "counts": "docx.part1.counts",
        "action": "docx.part1.action",
        "action_intro": "action.intro",
        "action_none": "action.none",
        "overdue": "docx.part1.overdue",
        "highlights": "docx.part1.highlights",
        "overdue_none": "action.overdue-none",
        "part2": "docx.part2",
        "part3": "docx.part3",
        "part4": "docx.part4",
        "narratives_none": "docx.narratives-none",
        "tasks_none": "docx.tasks-none",
        "recipients": "docx.recipients",
        "appendix": "docx.appendix",
        "col_number": "action.col.number",
        "col_id": "label.id",
        "col_name": "label.name",
        "col_responsible": "action.col.responsible",
        "col_gap": "action.col.gap",
        "col_needed": "action.col.needed",
        "col_value": "report.col.value",
        "col_target": "report.col.target",
        "col_milestone": "report.col.milestone",
        "col_status": "report.col.status",
        "col_reason": "report.col.reason",
    }
    labels = {name: text(key, lang) for name, key in keys.items()}
    labels["appendix_title"] = text("docx.appendix-title", lang, period=period.upper())
    labels["appendix_note"] = text("docx.appendix-note", lang, symbol=symbol)
    return labels


def period_words(period: Period, lang: Lang) -> str:
    """A period as a report's title writes it: "quý IV năm 2025", "the fourth quarter of 2025"."""
    year = period.year
    if period.granularity == "quarter":
        index = (period.first_month - 1) // 3
        quarter = _ROMAN[index] if lang == "vi" else _ORDINALS_EN[index]
        return text("docx.period.quarter", lang, quarter=quarter, year=year)
    if period.granularity == "half":
        half = 1 if period.first_month == 1 else 2
        return text(f"docx.period.half-{half}", lang, year=year)
    if period.granularity == "month":
        month = str(period.first_month) if lang == "vi" else fmt.MONTHS_EN[period.first_month - 1]
        return text("docx.period.month", lang, month=month, year=year)
    return text("docx.period.year", lang, year=year)


def dateline(place: str, day: date, lang: Lang) -> str:
    """ "Đắk Lắk, ngày 08 tháng 01 năm 2026": a day below 10 and January and February with a
    leading zero, as administrative documents write them; English "Đắk Lắk, 8 January 2026"."""
    if lang == "vi":
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return text(
            "docx.dateline", lang, place=place, day=f"{day.day:02d}", month=month, year=day.year
        )
    return text(
        "docx.dateline", lang, place=place, day=day.day, month=fmt.MONTHS_EN[day.month - 1],
        year=day.year,
    )  # fmt: skip


def _lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]
