"""The period report: scores, charts, missing reporters, the method in brief and the provenance.

`score_repository` reads and validates a data repository and scores it (what `plan57 score`
prints); `build_report` adds history, notes and provenance, prepares every string and number
in the reader's language, and hands the result to the templates (what `plan57 report` writes).
Submissions are validated against the working tree's catalogue (the contract in force now);
`targets_at` only changes the targets they are scored against.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from plan57 import formatting as fmt
from plan57 import git
from plan57.catalogue.loading import load_catalogue
from plan57.catalogue.models import Catalogue, Indicator, Unit
from plan57.catalogue.revisions import (
    Change,
    LastChange,
    Revision,
    SkippedNotes,
    TargetsRevision,
    catalogue_at,
    no_notes,
    parse_when,
)
from plan57.errors import GitError, Plan57Error, UsageError
from plan57.findings import CheckReport
from plan57.messages import Lang, render_error, text
from plan57.output.actions import action_rows, overdue_groups, owed_words
from plan57.output.charts import chart
from plan57.output.narratives import compiled
from plan57.periods import Period, parse_period
from plan57.progress import Progress, silent
from plan57.repository import CATALOGUE
from plan57.scoring.judging import Scoring
from plan57.scoring.standing import as_it_stood, mark_revised, only, revised_fields
from plan57.scoring.verdicts import STATUSES, IndicatorScore, Point, ScoreReport
from plan57.submissions.evidence import describe
from plan57.submissions.obligations import Gap, gap_notes

if TYPE_CHECKING:
    import pandas as pd

    from plan57.git import Commit
    from plan57.submissions.evidence import Evidence
    from plan57.submissions.narratives import Narrative

ReportFormat = Literal["md", "html"]
Grouping = Literal["group", "monitor", "lead", "responsible"]

# Worst first, so that sorting by status brings what needs attention to the top.
RANK = {"missed": 0, "at-risk": 1, "no-data": 2, "on-track": 3}
_SPARKS = "▁▂▃▄▅▆▇█"
_CHANGES_SHOWN = 12


@dataclass(frozen=True)
class Scored:
    """A repository scored for one period, with what the report needs besides the scores."""

    catalogue: Catalogue  # the targets in force for this report
    observations: pd.DataFrame  # the valid rows, with their `note`
    evidence: Evidence  # what was known on the day: the rows, where they came from, arrivals
    report: ScoreReport
    check: CheckReport
    targets: TargetsRevision
    period: Period
    # The observations prepared for scoring: the history, and a site's or an export's other
    # scores, reuse the preparation.
    scoring: Scoring
    # Any other period judged from the same evidence, on the plan as it stood at its end.
    judging: Judging
    # The units' narratives that passed `check` (every period; the reports choose theirs).
    narratives: list[Narrative] = field(default_factory=list)
    # Rows with no figure but a note: shown beside the missing figure, never scored.
    gaps: tuple[Gap, ...] = ()


@dataclass(frozen=True)
class Provenance:
    commit: str | None
    commit_date: datetime | None
    dirty: bool
    revisions: list[Revision] | None
    revisions_error: str | None


def score_repository(
    root: Path,
    *,
    period: str,
    as_of: date,
    targets_at: str | None = None,
    progress: Progress = silent,
) -> Scored:
    """Gather the evidence known on `as_of` at `root` (`progress` per file read) and score it
    for `period`: in git, the main line as it stood that day; else the files on disk.

    The verdicts are judged on the plan as it stood at the period's end (every deciding field
    of the catalogue in force then), or on the revision `targets_at` names; a revision after
    the period that changes a target or a verdict is shown beside it (`Judging`).
    """
    from plan57.submissions.evidence import gather

    working = load_catalogue(root / CATALOGUE)
    evidence = gather(root, as_of=as_of, catalogue=working, progress=progress)
    chosen = catalogue_at(root, parse_when(targets_at)) if targets_at is not None else None
    judging = Judging(root, evidence, chosen)
    report = judging.score(period)
    parsed = parse_period(report.period)
    assert parsed is not None  # score() has parsed it already
    return Scored(
        judging.catalogue(parsed),
        judging.observations,
        evidence,
        report,
        evidence.validation.report,
        judging.targets(parsed),
        parsed,
        judging.scoring(parsed),
        judging,
        evidence.validation.narratives,
        evidence.validation.gaps,
    )


class Judging:
    """The evidence of one day judged for any number of periods, each on the plan as it
    stood at the period's end (or on the catalogue `--targets-at` chose), with the revisions
    made since shown beside the verdicts. Each distinct catalogue is prepared for scoring once:
    a site and an export judge every quarter from one reading."""

    def __init__(
        self,
        root: Path,
        evidence: Evidence,
        chosen: tuple[Catalogue, TargetsRevision] | None = None,
    ) -> None:
        self.root = root
        self.evidence = evidence
        self.latest = evidence.catalogue  # the working tree's, or that of the day's commit
        self.observations = evidence.validation.observations
        self._chosen = chosen
        self._catalogues: dict[str | None, Catalogue] = {}
        self._scorings: dict[str | None, Scoring] = {}
        self._revised: dict[frozenset[str], Scoring] = {}
        self._parsed: dict[str, Catalogue | None] = {}

    @cached_property
    def _changes(self) -> list[Commit]:
        """The catalogue's changes on the main line up to the day's commit, newest first."""
        commit = self.evidence.commit
        if commit is None or self._chosen is not None:
            return []
        try:
            return git.log(self.root, commit.id, paths=(CATALOGUE.as_posix(),), first_parent=True)
        except GitError:
            return []

    def in_force(self, end: date) -> tuple[Catalogue, LastChange] | None:
        """The catalogue in force at `end` and its revision; None without history (or with
        `--targets-at`). A catalogue younger than `end` stood as first committed."""
        changes = self._changes
        if not changes:
            return None
        found = next((c for c in changes if c.date.date() <= end), changes[-1])
        if found.id not in self._parsed:
            self._parsed[found.id] = self._read(found, end)
        catalogue = self._parsed[found.id]
        if catalogue is None:
            return None
        change = LastChange(
            commit=found.id, date=found.date.isoformat(), author=found.author, message=found.message
        )
        return catalogue, change

    def _read(self, found: Commit, end: date) -> Catalogue | None:
        from plan57.catalogue.revisions import catalogue_in_force

        if found.id == self._changes[0].id and self.evidence.catalogue_commit is not None:
            return self.latest  # unchanged since: the catalogue already read
        try:
            return catalogue_at(self.root, found.id)[0]
        except Plan57Error:  # a revision that does not parse: the history's own answer
            stood = catalogue_in_force(self.root, end)
            return stood[0] if stood is not None else None

    def catalogue(self, period: Period) -> Catalogue:
        """The catalogue that judges `period`: the latest's, with the plan as it stood (no
        observations prepared: `status` asks only this)."""
        return self._stood(period)[1]

    def scoring(self, period: Period) -> Scoring:
        """The observations prepared for judging `period` (its history is drawn from them)."""
        key, catalogue = self._stood(period)
        if key not in self._scorings:
            self._scorings[key] = Scoring(catalogue, self.observations)
        return self._scorings[key]

    def _stood(self, period: Period) -> tuple[str | None, Catalogue]:
        key: str | None
        stood: Catalogue | None
        if self._chosen is not None:
            key, stood = "--targets-at", self._chosen[0]
        else:
            found = self.in_force(period.end)
            key = found[1].commit if found is not None else None
            stood = found[0] if found is not None else None
        if key not in self._catalogues:
            catalogue = as_it_stood(self.latest, stood) if stood is not None else self.latest
            self._catalogues[key] = catalogue
        return key, self._catalogues[key]

    def targets(self, period: Period) -> TargetsRevision:
        """Which revision judged `period`, for the reports to say so."""
        if self._chosen is not None:
            return self._chosen[1]
        stood = self.in_force(period.end)
        return TargetsRevision(
            requested=None,
            commit=stood[1].commit if stood is not None else None,
            path=CATALOGUE.as_posix(),
            last_change=stood[1] if stood is not None else None,
        )

    def score(self, period: Period | str) -> ScoreReport:
        """`period` judged on the plan as it stood, the later revisions beside the verdicts."""
        as_of = self.evidence.as_of
        parsed = parse_period(period.strip()) if isinstance(period, str) else period
        if parsed is None or parsed.end > as_of:
            report = Scoring(self.latest, self.observations).score(period, as_of)  # its error
        else:
            report = self.scoring(parsed).score(parsed, as_of)
            report.targets_revision = self.targets(parsed).commit
            stood = self.in_force(parsed.end) if self._chosen is None else None
            if stood is not None:
                self._mark_revised(report, stood[0])
        report.evidence = self.evidence.source
        return report

    def _mark_revised(self, report: ScoreReport, stood: Catalogue) -> None:
        """Judge again, under the latest catalogue known on the day, the indicators whose
        deciding fields were revised after the period, and show those verdicts beside."""
        fields = revised_fields(stood, self.latest)
        if not fields:
            return  # the usual case: nothing revised since, and no second scoring to pay for
        ids = frozenset(fields)
        if ids not in self._revised:
            self._revised[ids] = Scoring(only(self.latest, set(ids)), self.observations)
        try:
            revised = self._revised[ids].score(report.period, report.as_of)
        except Plan57Error:
            return  # the revised catalogue cannot judge this period: nothing to compare
        last = self._changes[0]
        mark_revised(report, revised, fields, last.id, last.date.date())


def generation_time() -> datetime:
    """When the report was made: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(tz=UTC).replace(microsecond=0)
    # The reproducible-builds specification: ASCII digits, seconds since 1970 (UTC).
    if epoch.isascii() and epoch.isdigit() and int(epoch) <= _LAST_EPOCH:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    raise UsageError("bad-source-date-epoch", value=epoch[:40], limit=_LAST_EPOCH)


# 9999-12-31 23:59:59 UTC, the last second a date can hold.
_LAST_EPOCH = 253_402_300_799


def provenance(
    root: Path, period: Period, lang: Lang, evidence: Evidence, notes: SkippedNotes = no_notes
) -> Provenance:
    """The commit the data was read at and the target revisions made during the period."""
    from plan57.catalogue.revisions import revisions_during

    if not git.is_repository(root):
        return Provenance(None, None, False, None, text("report.not-git", lang))
    commit: str | None = None
    when: datetime | None = None
    if evidence.commit is not None:  # the main line as it stood on the day judged
        commit, when = evidence.commit.id, evidence.commit_time
    elif not evidence.from_git:  # a shallow clone: the files on disk, at HEAD
        try:
            commit = git.run_git(root, "rev-parse", "--verify", "--quiet", "HEAD")
            when = datetime.fromisoformat(git.run_git(root, "log", "-1", "--format=%cI", "HEAD"))
        except GitError:
            commit, when = None, None  # a repository without commits yet
    try:
        dirty = bool(git.run_git(root, "status", "--porcelain", "--", "data"))
    except GitError:
        dirty = False
    # The report is still worth having when the history cannot be read (a shallow clone, a
    # revision whose catalogue does not parse): it says why instead of failing.
    try:
        revisions: list[Revision] | None = revisions_during(root, period.start, period.end, notes)
        error = None
    except Plan57Error as exc:
        revisions, error = None, render_error(exc, lang)
    return Provenance(commit, when, dirty, revisions, error)


def build_report(
    root: Path,
    *,
    period: str,
    as_of: date,
    lang: Lang,
    output: ReportFormat,
    by: Grouping = "group",
    targets_at: str | None = None,
    generated: datetime | None = None,
    notes: SkippedNotes = no_notes,
) -> str:
    """The period report for the repository at `root`, as Markdown or one HTML file; `notes`
    is told of each catalogue revision skipped because it cannot be read."""
    from plan57.render import render

    scored = score_repository(root, period=period, as_of=as_of, targets_at=targets_at)
    origin = provenance(root, scored.period, lang, scored.evidence, notes)
    view = report_view(scored, origin, lang=lang, by=by, generated=generated or generation_time())
    return render(f"report.{output}.j2", view)


# --- the view: every string the templates show, ready ----------------------------------------


def report_view(
    scored: Scored,
    origin: Provenance,
    *,
    lang: Lang,
    by: Grouping,
    generated: datetime,
) -> dict[str, Any]:
    catalogue, report, period = scored.catalogue, scored.report, scored.period
    points = scored.scoring.history(period)
    notes = _notes(scored.observations)
    rows: dict[str, dict[str, Any]] = {}
    for item in report.indicators:
        ind = catalogue.indicator(item.id)
        assert ind is not None
        rows[item.id] = _row(catalogue, ind, item, points.get(item.id, []), notes, period, lang)
    return {
        "lang": lang,
        "title": text("report.title", lang, number=catalogue.plan.number),
        "plan_title": catalogue.plan.title_vi if lang == "vi" else catalogue.plan.title_en,
        "period": text(
            "report.period",
            lang,
            period=report.period,
            start=fmt.day(period.start, lang),
            end=fmt.day(period.end, lang),
        ),
        "as_of": text("report.as-of", lang, as_of=fmt.day(report.as_of, lang)),
        "generated": text("report.generated", lang, time=fmt.moment(generated, lang)),
        "total": text("report.total", lang, total=len(report.indicators)),
        "summary": [
            {
                "status": status,
                "label": text(f"status.{status}", lang),
                "count": report.summary.get(status, 0),
            }
            for status in STATUSES
        ],
        "by": text(f"report.by.{by}", lang),
        "sections": sections(catalogue, rows, by, lang),
        "actions": action_sections(
            catalogue, action_rows(catalogue, report, period, lang), by, lang
        ),
        "overdue": overdue_groups(catalogue, report, lang),
        "narratives": [
            {"title": text(f"narrative.{part}", lang), "groups": groups}
            for part, groups in compiled(catalogue, scored.narratives, period, lang).items()
        ],
        "details": [rows[item.id] for item in report.indicators],
        "missing": _missing(catalogue, report, gap_notes(scored.gaps, period.end), lang),
        "provisional": (
            text("report.provisional", lang, due=fmt.day(report.deadline, lang))
            if report.provisional and report.deadline is not None
            else ""
        ),
        "revised": [rows[item.id] for item in report.indicators if item.revision is not None],
        "method": [
            text("report.method.value", lang, stale=catalogue.scoring.stale_after_months),
            text("report.method.target", lang, baseline_year=catalogue.plan.baseline_year),
            text("report.method.path", lang, baseline_year=catalogue.plan.baseline_year),
            text(
                "report.method.status", lang, tolerance=fmt.ratio(catalogue.scoring.tolerance, lang)
            ),
            text("report.method.special", lang),
            text("report.method.evidence", lang),
            text("report.method.more", lang),
        ],
        "provenance": _provenance_lines(scored, origin, lang),
        "revisions": _revisions(origin, lang),
        "revisions_title": text("report.revisions", lang),
        "revisions_note": (
            text("report.revisions-unknown", lang, reason=origin.revisions_error)
            if origin.revisions_error is not None
            else text("report.revisions-none", lang)
            if not origin.revisions
            else ""
        ),
        "labels": _labels(lang),
        "statuses": {s: text(f"status.{s}", lang) for s in STATUSES},
    }


def _labels(lang: Lang) -> dict[str, str]:
    keys = {
        "summary": "report.summary",
        "indicators": "report.indicators",
        "sort": "report.sort",
        "sort_hint": "report.sort-hint",
        "missing": "report.missing",
        "missing_intro": "report.missing-intro",
        "missing_none": "report.missing-none",
        "details": "report.details",
        "methodology": "report.methodology",
        "provenance": "report.provenance",
        "skip": "report.skip",
        "id": "label.id",
        "name": "label.name",
        "unit": "label.unit",
        "value": "report.col.value",
        "target": "report.col.target",
        "milestone": "report.col.milestone",
        "status": "report.col.status",
        "reason": "report.col.reason",
        "expected": "report.col.expected",
        "baseline": "report.col.baseline",
        "progress": "report.col.progress",
        "reporter": "report.col.reporter",
        "period": "report.col.period",
        "count": "report.col.count",
        "note": "report.col.note",
        "missing_indicators": "report.col.indicators",
        "due": "report.col.due",
        "legend_baseline": "report.legend.baseline",
        "legend_reported": "report.legend.reported",
        "legend_ytd": "report.legend.ytd",
        "legend_expected": "report.legend.expected",
        "legend_target": "report.legend.target",
        "no_reporters": "report.no-reporters",
        "revised": "report.revised",
        "revised_intro": "report.revised-intro",
        "revised_none": "report.revised-none",
        "flags": "report.col.flags",
        "previous": "report.col.previous",
        "revision": "report.col.revision",
        "explain": "report.explain",
        "notes": "report.col.notes",
        "action": "action.title",
        "action_intro": "action.intro",
        "action_none": "action.none",
        "action_overdue": "action.overdue",
        "action_overdue_none": "action.overdue-none",
        "responsible": "action.col.responsible",
        "gap": "action.col.gap",
        "needed": "action.col.needed",
        "late": "action.col.late",
        "narratives": "narrative.title",
        "narratives_none": "narrative.none",
    }
    return {name: text(key, lang) for name, key in keys.items()}


def _row(
    catalogue: Catalogue,
    ind: Indicator,
    item: IndicatorScore,
    points: list[Point],
    notes: dict[tuple[str, str, str], str],
    period: Period,
    lang: Lang,
) -> dict[str, Any]:
    unit = ind.unit
    value = item.shown_value(lang)
    baseline = fmt.quantity(item.baseline, unit, lang) if unit != "yes_no" else "–"
    if item.baseline_source == "catalogue":
        baseline = f"{baseline} ({text('report.baseline-catalogue', lang)})"
    carried = {(c.reporter, c.period) for c in item.carried_forward}
    reporters = []
    for figure in item.reporters:
        shown = (
            fmt.answer(figure.answer, lang)
            if unit == "yes_no"
            else item.shown_figure(figure.value, lang)
        )
        if figure.numerator is not None and figure.denominator is not None:
            shown += f" ({fmt.bare(figure.numerator, 'count', lang)}/"
            shown += f"{fmt.bare(figure.denominator, 'count', lang)})"
        found = [notes.get((item.id, figure.id, p), "") for p in figure.periods]
        periods = [
            f"{p} ({text('report.carried', lang)})" if (figure.id, p) in carried else p
            for p in figure.periods
        ]
        if len(figure.figures) > 1:
            # A flow's sum: each period with the figure that went into it.
            periods = [f"{p}: {fmt.quantity(v, unit, lang)}" for p, v in figure.figures.items()]
        reporters.append(
            {
                "name": catalogue.entry_name(figure.id, lang),
                "id": figure.id,
                "periods": ", ".join(periods),
                "value": shown,
                "used": figure.used,
                "note": " · ".join(dict.fromkeys(n for n in found if n)),
            }
        )
    # One line per reporter and note, naming every period it was written on.
    grouped: dict[tuple[str, str], list[str]] = {}
    for figure in item.reporters:
        if figure.used:
            for noted, note in figure.notes.items():
                grouped.setdefault((figure.id, note), []).append(noted)
    submitted_notes = [
        f"{catalogue.entry_name(reporter, lang)} ({', '.join(periods)}): {note}"
        for (reporter, note), periods in grouped.items()
    ]
    return {
        "id": item.id,
        "anchor": f"detail-{item.id}",
        "name": item.name(lang),
        "unit": text(f"unit.{unit}", lang),
        "kind": text("report.flow" if ind.flow else "report.stock", lang),
        "value": value,
        "target": fmt.target(item.target, unit, lang),
        "milestone": str(item.milestone) if item.milestone is not None else "–",
        "status": item.status,
        "status_label": text(f"status.{item.status}", lang),
        "rank": RANK[item.status],
        "reason": item.reason(lang),
        "expected": _expected(item, unit, lang),
        "baseline": baseline,
        "progress": fmt.progress(item.progress, item.tolerance or 1.0, lang),
        "reporters": reporters,
        "flags": [text(f"flag.{flag}", lang) for flag in item.flags],
        "notes": submitted_notes,
        "explain": _explanation(item, unit, lang),
        "previous": _previous(item, unit, lang),
        "missing": [catalogue.entry_name(r, lang) for r in item.missing],
        "chart": chart(catalogue, ind, item, points, period.end, lang),
        "spark": _spark(points, item, unit),
        "group": ind.group,
        "monitors": list(ind.monitors),
        "lead": ind.lead,
        "responsible": list(ind.responsible),
    }


def _explanation(item: IndicatorScore, unit: Unit, lang: Lang) -> list[tuple[str, str]]:
    """The working behind a verdict, as (label, text) pairs: only what applies to it."""
    out: list[tuple[str, str]] = []
    if item.baseline is not None and unit != "yes_no":
        source = {
            "catalogue": text("report.baseline-catalogue", lang),
            "reported": text("report.baseline-reported", lang, year=item.baseline_year),
            "fallback": text("report.baseline-fallback", lang, year=item.baseline_year),
        }.get(item.baseline_source or "", "")
        shown = fmt.quantity(item.baseline, unit, lang)
        out.append((text("report.col.baseline", lang), f"{shown} ({source})" if source else shown))
    if item.start_year is not None and item.start_value is not None:
        day = fmt.day(date(item.start_year, 12, 31), lang)
        start = f"{fmt.quantity(item.start_value, unit, lang)} ({day})"
        out.append((text("report.col.start", lang), start))
    if item.path == "compound":
        out.append((text("report.col.path", lang), text("label.path-compound", lang)))
    if item.tolerance is not None and item.progress is not None:
        out.append((text("report.col.tolerance", lang), fmt.ratio(item.tolerance, lang)))
    out.append((text("report.col.rule", lang), text(f"report.rule.{item.rule}", lang)))
    if item.numerator is not None and item.denominator is not None:
        combined = f"{fmt.bare(item.numerator, 'count', lang)} / "
        combined += fmt.bare(item.denominator, "count", lang)
        out.append((text("report.col.combined", lang), combined))
    if item.coverage is not None and item.coverage < 1:
        out.append((text("report.col.coverage", lang), fmt.ratio(item.coverage, lang)))
    return out


def _expected(item: IndicatorScore, unit: Unit, lang: Lang) -> str:
    """The path's value and the date it is for (the date of the figure compared with it)."""
    if unit == "yes_no" or item.expected is None:
        return "–"
    shown = item.shown_expected(lang)
    if item.expected_date is None:
        return shown
    return f"{shown} ({fmt.day(item.expected_date, lang)})"


def _previous(item: IndicatorScore, unit: Unit, lang: Lang) -> dict[str, str] | None:
    """The revised target and the verdict under it, for an indicator whose catalogue was
    revised after the period."""
    revision = item.revision
    if revision is None:
        return None
    return {
        "target": fmt.target(revision.target, unit, lang),
        "status": revision.status,
        "status_label": text(f"status.{revision.status}", lang),
        "commit": revision.commit[:12],
        "date": fmt.day(revision.date, lang),
    }


def _spark(points: list[Point], item: IndicatorScore, unit: str) -> str:
    """A text sparkline of the reported values, for Markdown where there are no pictures."""
    if not points:
        return "–"
    if unit == "yes_no":
        return "".join("✓" if p.value >= 0.5 else "✗" for p in points)
    top = max([p.value for p in points] + [item.target.threshold or 0.0 if item.target else 0.0])
    if top <= 0:
        return _SPARKS[0] * len(points)
    last = len(_SPARKS) - 1
    return "".join(_SPARKS[min(last, round(p.value / top * last))] for p in points)


def sections(
    catalogue: Catalogue, rows: dict[str, dict[str, Any]], by: Grouping, lang: Lang
) -> list[dict[str, Any]]:
    """Rows (with `group`, `lead`, `monitors` and `responsible`) in titled sections: by the
    appendix's groups, or by unit (an indicator under each of its units), in catalogue order."""
    ordered = [rows[i.id] for i in catalogue.indicators if i.id in rows]
    if by == "group":
        return [
            {
                "title": f"{g.id}. {g.name_vi if lang == 'vi' else g.name_en}",
                "rows": [r for r in ordered if r["group"] == g.id],
            }
            for g in catalogue.groups
            if any(r["group"] == g.id for r in ordered)
        ]

    def units(row: dict[str, Any]) -> list[str]:
        if by == "lead":
            return [row["lead"]]
        return list(row["monitors" if by == "monitor" else "responsible"])

    out = []
    for entry in catalogue.registry:
        chosen = [r for r in ordered if entry.id in units(r)]
        if chosen:
            out.append({"title": catalogue.entry_name(entry.id, lang), "rows": chosen})
    orphans = [r for r in ordered if not units(r)]
    if orphans:
        out.append({"title": text(f"report.no-{by}", lang), "rows": orphans})
    return out


def action_sections(
    catalogue: Catalogue, rows: list[dict[str, Any]], by: Grouping, lang: Lang
) -> list[dict[str, Any]]:
    """Who must act, in one table, or one per unit with `--by`: missed first, then at risk."""
    if by == "group":
        return [{"title": "", "rows": rows}] if rows else []
    position = {row["id"]: n for n, row in enumerate(rows)}
    grouped = sections(catalogue, {row["id"]: row for row in rows}, by, lang)
    for section in grouped:
        section["rows"] = sorted(section["rows"], key=lambda row: position[row["id"]])
    return grouped


def _missing(
    catalogue: Catalogue, report: ScoreReport, gaps: dict[tuple[str, str], str], lang: Lang
) -> list[dict[str, str]]:
    out = []
    for item in report.missing:
        due = fmt.day(item.due, lang)
        out.append(
            {
                "reporter": catalogue.entry_name(item.reporter, lang),
                "id": item.reporter,
                "indicators": owed_words(item, lang, gaps),
                "due": text("report.overdue" if item.overdue else "report.due", lang, due=due),
                "overdue": "overdue" if item.overdue else "due",
            }
        )
    return out


def _notes(observations: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    if observations.empty or "note" not in observations.columns:
        return {}
    rows = observations[observations["note"].fillna("").astype(str).str.strip() != ""]
    return {
        (str(i), str(r), str(p)): " ".join(str(n).split())
        for i, r, p, n in zip(
            rows["indicator"], rows["reporter"], rows["period"], rows["note"], strict=True
        )
    }


def _provenance_lines(scored: Scored, origin: Provenance, lang: Lang) -> list[str]:
    lines = []
    if origin.commit is not None:
        when = fmt.moment(origin.commit_date.astimezone(UTC), lang) if origin.commit_date else "–"
        line = text("report.data-commit", lang, commit=origin.commit[:12], date=when)
        if origin.dirty:
            line += f" — {text('report.data-dirty', lang)}"
        lines.append(line)
    else:
        lines.append(text("report.not-git", lang))
    lines.append(describe(scored.evidence.source, scored.report.as_of, lang))
    targets = scored.targets
    if targets.commit is None:
        lines.append(text("report.targets-working", lang))
    elif targets.requested is None and targets.last_change is not None:
        when = fmt.day(datetime.fromisoformat(targets.last_change.date).date(), lang)
        lines.append(text("report.targets-in-force", lang, commit=targets.commit[:12], date=when))
    else:
        last = targets.last_change
        when = fmt.day(datetime.fromisoformat(last.date).date(), lang) if last else "–"
        lines.append(
            text(
                "report.targets-revision",
                lang,
                revision=targets.requested or targets.commit[:12],
                commit=targets.commit[:12],
                date=when,
            )
        )
    check = scored.check
    lines.append(text("report.check", lang, errors=check.errors, warnings=check.warnings))
    return lines


def _revisions(
    origin: Provenance, lang: Lang, line: Callable[[Change], str] | None = None
) -> list[dict[str, Any]]:
    """The period's catalogue revisions, each change on a line (`line`, else `change_line`)."""
    return [
        {**revision_view(revision, lang), "changes": _change_texts(revision.changes, lang, line)}
        for revision in origin.revisions or []
    ]


def worded_revisions(origin: Provenance, catalogue: Catalogue, lang: Lang) -> list[dict[str, Any]]:
    """The period's revisions with each change in words, units named (the site's pages)."""

    def line(change: Change) -> str:
        words = fmt.change_words(change, lang, lambda unit: catalogue.entry_name(unit, lang))
        return f"{fmt.change_where(change, lang)}: {words}"

    return _revisions(origin, lang, line)


def revision_view(revision: Revision, lang: Lang) -> dict[str, str]:
    """A catalogue revision as the report and the site list it: day, short commit, author and
    the first line of its message."""
    return {
        "date": fmt.day(datetime.fromisoformat(revision.date).date(), lang),
        "commit": revision.commit[:12],
        "author": revision.author,
        "subject": revision.message.split("\n", 1)[0],
    }


def _change_texts(
    changes: list[Change], lang: Lang, line: Callable[[Change], str] | None = None
) -> list[str]:
    """One line per change; a revision that rewrote much (the first) is cut short."""
    shown = line or (lambda change: fmt.change_line(change, lang))
    lines = [shown(change) for change in changes[:_CHANGES_SHOWN]]
    if len(changes) > _CHANGES_SHOWN:
        lines.append(text("report.more-changes", lang, count=len(changes) - _CHANGES_SHOWN))
    return lines
