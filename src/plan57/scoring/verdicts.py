"""What a verdict is: the statuses, the closed list of flags, and the models of a
score (an indicator's verdict, its figures and working, the period's report). Language-
neutral; imported without pandas."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from plan57 import formatting as fmt
from plan57.catalogue.models import Combine, PathShape, Target, Unit, Worded
from plan57.messages import Lang, default_lang, rendered
from plan57.submissions.evidence import EvidenceSource

Status = Literal["on-track", "at-risk", "missed", "no-data"]
STATUSES: tuple[Status, ...] = ("on-track", "at-risk", "missed", "no-data")
# Where the baseline came from: the catalogue, the baseline year's reports, or (no figure for
# the baseline year) the first later year with a figure (flagged `baseline-fallback`).
BaselineSource = Literal["catalogue", "reported", "fallback"]

# Figures in the JSON are rounded so that float noise (0.1 + 0.2) never reaches the contract.
_DIGITS = 6

# Every flag an indicator's score may carry, in the order the reports list them; each has its
# words under `flag.<name>` in the message tables (`plan57 explain` lists them from here).
FLAGS: tuple[str, ...] = (
    "provisional",
    "stale",
    "incomplete",
    "carried-forward",
    "partial-coverage",
    "baseline-fallback",
    "target-revised",
    "catalogue-revised",
    "trajectory-unknown",
    "above-range",
    "unweighted",
)


class ReporterFigure(BaseModel):
    """What one reporter contributed to an indicator's value for the period."""

    id: str
    value: float | None
    answer: bool | None = None
    numerator: float | None = None
    denominator: float | None = None
    periods: list[str]
    used: bool
    # Flows: each period's figure that went into the year's sum.
    figures: dict[str, float] = Field(default_factory=dict)
    # The submitter's note on each period's row, where it wrote one ("Số liệu sơ bộ").
    notes: dict[str, str] = Field(default_factory=dict)


class CarriedFigure(BaseModel):
    """A figure from an earlier period than the one scored, still standing in the value."""

    reporter: str
    period: str


class CatalogueRevision(BaseModel):
    """A revision of the catalogue after the period that changes its target or its verdict:
    the verdict judged under the revised catalogue, shown beside the headline (which is judged
    on the plan as it stood at the period's end; docs/methodology.md, "The plan as it stood")."""

    commit: str  # the last revision of the catalogue known on the day judged
    date: date
    fields: list[str]  # the deciding fields it changed: targets, tolerance, path, reporters, …
    target: Target | None  # the target under the revision
    status: Status  # the verdict under the revision


class IndicatorScore(Worded):
    """One indicator's status, the figures behind it and the reason, in words on request.

    The score is language-neutral: `reason(lang)` and `name(lang)` render it, and its JSON
    carries both in the language asked for (`--lang`).
    """

    WORDS: ClassVar[dict[str, str]] = {
        "name": "The indicator's name",
        "reason": "Why the indicator has its status",
    }

    id: str
    status: Status
    value: float | None
    baseline: float | None
    expected: float | None
    milestone: int | None
    target: Target | None
    reporters: list[ReporterFigure]
    why: Any = Field(
        description="The reason kept for rendering: a message {key, params} or a sentence of "
        "them, whose parameters keep the raw figures, each typed by its `kind`."
    )
    name_vi: str
    name_en: str
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
    # The explanation (docs/methodology.md, "Every verdict explained").
    baseline_year: int | None = None
    expected_date: date | None = None
    tolerance: float | None = None
    rule: Combine = "sum"
    path: PathShape = "linear"
    numerator: float | None = None
    denominator: float | None = None
    coverage: float | None = None
    carried_forward: list[CarriedFigure] = Field(default_factory=list)
    missing_periods: dict[str, list[str]] = Field(default_factory=dict)
    revision: CatalogueRevision | None = None

    def reason(self, lang: Lang | None = None) -> str:
        return rendered(self.why, lang or default_lang())

    def name(self, lang: Lang | None = None) -> str:
        return self.name_vi if (lang or default_lang()) == "vi" else self.name_en

    def words(self) -> dict[str, Any]:
        return {"name": fmt.Name(self.name_vi, self.name_en), "reason": self.why}


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
    # True until the end of the period's reporting deadline (`deadline`): figures may still come.
    provisional: bool = False
    deadline: date | None = None
    # Where the rows judged came from: the main line as it stood on `as_of`, or the files on disk.
    evidence: EvidenceSource | None = None


@dataclass(frozen=True)
class Point:
    """One value of an indicator's history, at the end of the period it describes."""

    end: date
    value: float


def rounded(value: Any, digits: int = _DIGITS) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)
