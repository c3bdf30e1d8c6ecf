"""The units' narratives of a period, compiled by kind of unit for the reports."""

from __future__ import annotations

from typing import Any

from plan57.catalogue.models import Catalogue
from plan57.messages import Lang, text
from plan57.periods import Period
from plan57.submissions.narratives import PARTS, Narrative, Part

# The kinds of unit in the order a report lists them; wards are listed with the communes.
_KINDS = {"body": "body", "department": "department", "commune": "commune", "ward": "commune"}
_ORDER = ("body", "department", "commune", "enterprise", "institute")


def of_period(narratives: list[Narrative], period: Period) -> list[Narrative]:
    """The narratives of `period` and of the shorter periods within it, by period."""
    inside = [
        n for n in narratives if period.start <= n.period.start and n.period.end <= period.end
    ]
    return sorted(inside, key=lambda n: (n.period, n.reporter))


def compiled(
    catalogue: Catalogue, narratives: list[Narrative], period: Period, lang: Lang
) -> dict[Part, list[dict[str, Any]]]:
    """Each part's groups of units (departments, communes, …), each unit with its paragraphs;
    a unit's text of a shorter period is labelled with that period."""
    chosen = of_period(narratives, period)
    order = {entry.id: n for n, entry in enumerate(catalogue.registry)}
    out: dict[Part, list[dict[str, Any]]] = {}
    for part in PARTS:
        groups: dict[str, list[dict[str, Any]]] = {}
        for narrative in sorted(chosen, key=lambda n: (order.get(n.reporter, 0), n.period)):
            paragraphs = narrative.parts.get(part, [])
            if not paragraphs:
                continue
            entry = catalogue.entry(narrative.reporter)
            kind = _KINDS.get(entry.kind, entry.kind) if entry is not None else "body"
            name = catalogue.entry_name(narrative.reporter, lang)
            if narrative.period != period:
                name = f"{name} ({narrative.period})"
            groups.setdefault(kind, []).append(
                {"unit": name, "id": narrative.reporter, "paragraphs": list(paragraphs)}
            )
        out[part] = [
            {"title": text(f"narrative.kind.{kind}", lang), "entries": groups[kind]}
            for kind in _ORDER
            if kind in groups
        ]
    return out
