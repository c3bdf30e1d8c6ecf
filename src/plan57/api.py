"""The library's public calls: one function per command, with the defaults a script wants.

Each `plan57` command parses its options, calls the function here of the same name, and writes
the result: `plan57 check --format json` is `check(...)` dumped, and a test holds them equal.
Every call reads a data repository (`root`, the current folder by default), never writes to
it, raises a `Plan57Error` when it cannot run, and returns problems in the data as values.

Dates default to today in the province (`plan57.periods.today`). Results are
language-neutral: findings and scores keep their texts as message keys and parameters, and
render them on request (`finding.message(lang)`, `score.reason(lang)`, a dump with
`context={"lang": ...}`); the calls that render (`report`, `explain`) take `lang`, which
defaults to PLAN57_LANG, else Vietnamese. Heavy modules are imported inside the calls, so
that `import plan57` stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from plan57.messages import Lang, default_lang
from plan57.progress import Progress, silent

if TYPE_CHECKING:
    from plan57.catalogue.models import Catalogue
    from plan57.catalogue.revisions import DiffReport, HistoryReport, SkippedNotes
    from plan57.explanations import Explanations
    from plan57.findings import CheckReport
    from plan57.scoring.verdicts import ScoreReport
    from plan57.submissions.status import StatusReport

PathLike = str | os.PathLike[str]
ReportFormat = Literal["md", "html", "docx", "pdf"]
Grouping = Literal["group", "monitor", "lead", "responsible"]


def check(
    root: PathLike = ".",
    *,
    as_of: date | str | None = None,
    paths: Iterable[PathLike] | None = None,
    changed_since: str | None = None,
    progress: Progress = silent,
) -> CheckReport:
    """Validate the catalogue and the submissions under `root` (`plan57 check`).

    `paths` limits the findings to those files and folders (every submission is still read);
    `changed_since` checks what changed since a revision, as in a pull request.
    """
    from plan57.periods import day_or_today
    from plan57.submissions.reading import expand_paths
    from plan57.submissions.rules import check_repository

    folder = _folder(root)
    selected = expand_paths(folder, [Path(p) for p in paths]) if paths is not None else None
    return check_repository(
        folder,
        as_of=day_or_today(as_of),
        paths=selected,
        changed_since=changed_since,
        progress=progress,
    ).report


def load_catalogue(path: PathLike = Path("data") / "targets.yaml") -> Catalogue:
    """The indicator catalogue at `path` (`plan57 catalogue`); an invalid one raises."""
    from plan57.catalogue.loading import load_catalogue as load

    return load(Path(path))


def score(
    root: PathLike = ".",
    *,
    period: str,
    as_of: date | str | None = None,
    targets_at: str | None = None,
) -> ScoreReport:
    """A status for every indicator in `period` (`plan57 score`).

    `targets_at` scores against the targets at a git revision or on a date (YYYY-MM-DD).
    """
    from plan57.output.report import score_repository
    from plan57.periods import day_or_today

    return score_repository(
        _folder(root),
        period=period,
        as_of=day_or_today(as_of),
        targets_at=targets_at,
    ).report


def status(
    root: PathLike = ".",
    *,
    period: str,
    as_of: date | str | None = None,
) -> StatusReport:
    """Who owed what for `period`, what came in, and whether on time (`plan57 status`).

    What was owed is read from the plan as it stood at the period's end, as `score` reads it.
    """
    from plan57.catalogue.loading import load_catalogue as load
    from plan57.output.report import Judging
    from plan57.periods import day_or_today
    from plan57.repository import CATALOGUE
    from plan57.submissions.evidence import gather
    from plan57.submissions.status import build_status, parse_status_period

    folder = _folder(root)
    wanted = parse_status_period(period)
    day = day_or_today(as_of)
    evidence = gather(folder, as_of=day, catalogue=load(folder / CATALOGUE))
    catalogue = Judging(folder, evidence).catalogue(wanted)
    return build_status(folder, catalogue, wanted, as_of=day, evidence=evidence)


@overload
def report(
    root: PathLike = ".",
    *,
    period: str,
    format: Literal["docx", "pdf"],
    by: Grouping = "group",
    as_of: date | str | None = None,
    targets_at: str | None = None,
    lang: Lang | None = None,
    notes: SkippedNotes | None = None,
) -> bytes: ...


@overload
def report(
    root: PathLike = ".",
    *,
    period: str,
    format: Literal["md", "html"] = "md",
    by: Grouping = "group",
    as_of: date | str | None = None,
    targets_at: str | None = None,
    lang: Lang | None = None,
    notes: SkippedNotes | None = None,
) -> str: ...


def report(
    root: PathLike = ".",
    *,
    period: str,
    format: ReportFormat = "md",  # the command's own option name
    by: Grouping = "group",
    as_of: date | str | None = None,
    targets_at: str | None = None,
    lang: Lang | None = None,
    notes: SkippedNotes | None = None,
) -> str | bytes:
    """The period report (`plan57 report`): Markdown or one self-contained HTML page as text,
    or the Word document the secretariat signs as bytes: a .docx (`format="docx"`), or that
    document printed to PDF by LibreOffice (`format="pdf"`, which needs `soffice`).

    `notes` is told of each catalogue revision skipped because it cannot be read."""
    from plan57.catalogue.revisions import no_notes
    from plan57.output.report import build_report, generation_time
    from plan57.periods import day_or_today

    if format == "docx" or format == "pdf":
        from plan57.output.pdf import docx_to_pdf
        from plan57.output.word import build_word_report

        document = build_word_report(
            _folder(root),
            period=period,
            as_of=day_or_today(as_of),
            lang=lang or default_lang(),
            by=by,
            targets_at=targets_at,
            generated=generation_time(),
        )
        return docx_to_pdf(document) if format == "pdf" else document
    return build_report(
        _folder(root),
        period=period,
        as_of=day_or_today(as_of),
        lang=lang or default_lang(),
        output=format,
        by=by,
        targets_at=targets_at,
        notes=notes or no_notes,
    )


def diff(root: PathLike = ".", rev_a: str | None = None, rev_b: str | None = None) -> DiffReport:
    """What changed in the catalogue between two revisions (`plan57 diff`).

    `rev_a` defaults to HEAD, `rev_b` to the working tree.
    """
    from plan57.catalogue.revisions import diff as catalogue_diff

    return catalogue_diff(_folder(root), rev_a, rev_b)


def history(
    root: PathLike = ".",
    indicator: str | None = None,
    *,
    since: date | str | None = None,
    until: date | str | None = None,
    progress: Progress = silent,
) -> HistoryReport:
    """Every revision of the catalogue, or of one indicator, newest first (`plan57 history`)."""
    from plan57.catalogue.revisions import history as catalogue_history
    from plan57.periods import day_or_today

    return catalogue_history(
        _folder(root),
        indicator,
        since=None if since is None else day_or_today(since),
        until=None if until is None else day_or_today(until),
        progress=progress,
    )


def explain(code: str | None = None, *, lang: Lang | None = None) -> Explanations:
    """What a finding code or scoring flag means and how to fix it; every one without `code`
    (`plan57 explain`)."""
    from plan57.explanations import Explanations, explain_all
    from plan57.explanations import explain as explain_one

    language = lang or default_lang()
    if code is None:
        return explain_all(language)
    return Explanations(lang=language, codes=[explain_one(code, language)])


def _folder(root: PathLike) -> Path:
    """The repository as an absolute path, as the command line resolves --root: the paths it
    reads are compared with the paths a caller names."""
    return Path(root).resolve()
