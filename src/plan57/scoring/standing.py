"""The plan as it stood: which catalogue judges a period, and the revisions shown beside it.

A period's headline verdict is judged against the catalogue in force at the end of the
period, in every field that decides a verdict: an indicator's targets, baseline, path,
reporters, combine rule and authority, and the catalogue's tolerance and staleness. What the
catalogue only names or lays out (names, groups, the registry's entries, the indicators known)
is read from the latest catalogue known on the day, so that a report lists today's names.

A later revision of a deciding field is never silently applied: the verdict under the revised
catalogue is shown beside the headline (`mark_revised`), with the fields it changed.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Any, TypeVar

from pydantic import BaseModel

from plan57 import formatting as fmt
from plan57.catalogue.models import Catalogue, Indicator
from plan57.messages import Message
from plan57.scoring.verdicts import CatalogueRevision, ScoreReport

# The fields of an indicator, and of the catalogue's `scoring` settings, that decide a verdict.
DECIDING = ("targets", "baseline", "path", "reporters", "combine", "authority")
SETTINGS = ("tolerance", "stale_after_months")

_Model = TypeVar("_Model", bound=BaseModel)


def as_it_stood(latest: Catalogue, stood: Catalogue) -> Catalogue:
    """`latest` with every field that decides a verdict as `stood` had it.

    An indicator `stood` did not have yet is judged as `latest` has it.
    """
    before = {ind.id: ind for ind in stood.indicators}
    indicators = [
        _replaced(ind, **{name: getattr(before[ind.id], name) for name in DECIDING})
        if ind.id in before
        else ind
        for ind in latest.indicators
    ]
    return _replaced(latest, indicators=indicators, scoring=stood.scoring)


def revised_fields(stood: Catalogue, revised: Catalogue) -> dict[str, list[str]]:
    """Per indicator of both, the deciding fields `revised` changed from `stood`, in order."""
    settings = [
        name for name in SETTINGS if getattr(stood.scoring, name) != getattr(revised.scoring, name)
    ]
    before = {ind.id: ind for ind in stood.indicators}
    out: dict[str, list[str]] = {}
    for ind in revised.indicators:
        old = before.get(ind.id)
        if old is None:
            continue
        fields = [name for name in DECIDING if _deciding(old, name) != _deciding(ind, name)]
        if fields or settings:
            out[ind.id] = fields + settings
    return out


def only(catalogue: Catalogue, ids: set[str]) -> Catalogue:
    """`catalogue` with only the indicators `ids` (to judge those again, and no others)."""
    return _replaced(catalogue, indicators=[i for i in catalogue.indicators if i.id in ids])


def mark_revised(
    report: ScoreReport,
    revised: ScoreReport,
    fields: dict[str, list[str]],
    commit: str,
    day: date,
) -> None:
    """Show beside each verdict of `report` the verdict of `revised` (the same period judged
    under the catalogue revised after it, by `commit` of `day`) where the revision changes
    the target or the verdict: flag `target-revised` when the target changed, else
    `catalogue-revised`, and say so in the reason."""
    after = {item.id: item for item in revised.indicators}
    for item in report.indicators:
        new = after.get(item.id)
        changed = fields.get(item.id)
        if new is None or not changed:
            continue
        target_changed = new.target != item.target
        if not target_changed and new.status == item.status:
            continue  # a revision that changes nothing a reader sees
        item.flags.append("target-revised" if target_changed else "catalogue-revised")
        item.revision = CatalogueRevision(
            commit=commit, date=day, fields=changed, target=new.target, status=new.status
        )
        words = Message(
            "score.target-revised" if target_changed else "score.catalogue-revised",
            {
                "target": fmt.TargetShown(new.target, new.unit) if new.target else "–",
                "date": fmt.Day(day),
                "status": Message(f"status.{new.status}"),
                "fields": fmt.Few(tuple(Message(f"field.{name}") for name in changed)),
            },
        )
        item.why = fmt.Amended(item.why, words)


def _deciding(ind: Indicator, name: str) -> Any:
    value = getattr(ind, name)
    if name == "targets":
        return sorted((t.year, t.kind, t.value, t.low, t.high, t.text) for t in value)
    return value


def _replaced(model: _Model, **update: Any) -> _Model:
    """A copy of `model` with `update`, its cached look-ups dropped (they describe the old)."""
    copy = model.model_copy(update=update)
    for name, attribute in vars(type(model)).items():
        if isinstance(attribute, cached_property):
            copy.__dict__.pop(name, None)
    return copy
