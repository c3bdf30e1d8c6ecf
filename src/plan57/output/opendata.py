"""Open data: the validated observations, the scores, the targets and the registry as tables.

`build_tables` prepares the four tables from a scored repository; `write_tables` writes them as
CSV with a Frictionless Data Package (`datapackage.json`, a Table Schema per resource), as
Parquet (typed columns, through pyarrow, imported only here) and as JSON. `plan57 export`
writes them alone; `plan57 site` writes the same files into the site's `data/` folder.

The tables are the national roll-up's input too: every province exports the same columns, so
an engine that reads Parquet (DuckDB, see docs/performance.md) adds them up.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from plan57.catalogue.models import Catalogue
from plan57.catalogue.revisions import Revision, SkippedNotes, no_notes
from plan57.errors import GitError, Plan57Error
from plan57.periods import Period, parse_period
from plan57.progress import Phases, Progress, no_phases, silent
from plan57.repository import SUBMISSIONS
from plan57.scoring.judging import Scoring
from plan57.scoring.verdicts import ScoreReport
from plan57.spreadsheet import CsvWriter, neutralise

if TYPE_CHECKING:
    import pandas as pd

    from plan57.submissions.evidence import Evidence

ColumnType = Literal["string", "integer", "number", "boolean", "date"]
Format = Literal["csv", "parquet", "json"]
FORMATS: tuple[Format, ...] = ("csv", "parquet", "json")
PACKAGE = "datapackage.json"
# The tables `build_tables` makes, by name (held equal by a test).
TABLE_NAMES = frozenset({"observations", "scores", "targets", "registry"})


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    required: bool = False


@dataclass
class Table:
    """One resource: its columns (the Table Schema) and its cells, one list per column with a
    row at the same position in each (columns, since every writer works column by column)."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    data: list[Sequence[Any]]

    @classmethod
    def of_rows(
        cls,
        name: str,
        title: str,
        description: str,
        columns: tuple[Column, ...],
        primary_key: tuple[str, ...],
        rows: Iterable[Sequence[Any]],
    ) -> Table:
        listed = list(rows)
        data: list[Sequence[Any]] = [list(c) for c in zip(*listed, strict=True)]
        return cls(name, title, description, columns, primary_key, data or [[] for _ in columns])

    @property
    def length(self) -> int:
        return len(self.data[0]) if self.data else 0

    def where(self, column: str, value: Any) -> Table:
        """The rows whose `column` holds `value`."""
        at = [c.name for c in self.columns].index(column)
        keep = [i for i, v in enumerate(self.data[at]) if v == value]
        return replace(self, data=[[cells[i] for i in keep] for cells in self.data])


OBSERVATIONS = (
    Column("reporter", "string", "Reporting unit id (registry)", required=True),
    Column("indicator", "string", "Indicator id (CT01 … CT55)", required=True),
    Column("period", "string", "Reporting period: 2025, 2025S1, 2025Q4 or 2025M12", required=True),
    Column("start", "date", "First day of the period", required=True),
    Column("end", "date", "Last day of the period", required=True),
    Column("value", "number", "The figure (empty on yes/no indicators)"),
    Column("answer", "boolean", "The answer on a yes/no indicator"),
    Column("numerator", "number", "Numerator of a ratio indicator"),
    Column("denominator", "number", "Denominator of a ratio indicator"),
    Column("note", "string", "The submitter's note"),
    Column("source", "string", "The submitter's source"),
    Column("file", "string", "Submission file, relative to the data repository", required=True),
    Column("line", "integer", "Line of the row in its file", required=True),
    Column("commit", "string", "Last commit that changed the file (empty: uncommitted)"),
)
SCORES = (
    Column("period", "string", "Period scored", required=True),
    Column("indicator", "string", "Indicator id", required=True),
    Column("status", "string", "on-track, at-risk, missed or no-data", required=True),
    Column("flags", "string", "Flags of the verdict, separated by spaces"),
    Column("value", "number", "The indicator's value for the period"),
    Column("answer", "boolean", "The answer of a yes/no indicator"),
    Column("baseline", "number", "Baseline value"),
    Column(
        "expected", "number", "Value expected by now on the path to the target (linear or compound)"
    ),
    Column("progress", "number", "Actual progress over expected progress"),
    Column("milestone", "integer", "Milestone year of the target applied"),
    Column("target", "string", "The target applied, as the plan writes it"),
    Column("reporters", "integer", "Reporters whose figures were used"),
    Column("missing", "integer", "Reporters owing a figure without one"),
)
TARGETS = (
    Column("indicator", "string", "Indicator id", required=True),
    Column("milestone", "integer", "Milestone year (target due by 31 December)", required=True),
    Column("kind", "string", "min, exact, range or qualitative", required=True),
    Column("value", "number", "Minimum or exact level"),
    Column("low", "number", "Low end of a range"),
    Column("high", "number", "High end of a range"),
    Column("text", "string", "The target as the plan writes it", required=True),
    Column("revision", "string", "Commit that last set this target (empty: not committed)"),
)
REGISTRY = (
    Column("id", "string", "Unit id", required=True),
    Column("kind", "string", "body, department, group, commune, enterprise or institute"),
    Column("name_vi", "string", "Name in Vietnamese", required=True),
    Column("name_en", "string", "Name in English", required=True),
    Column("members", "string", "Members of a group, separated by spaces"),
    Column("indicators", "integer", "Indicators the unit reports"),
)


def score_periods(catalogue: Catalogue, last: Period) -> list[Period]:
    """Every quarter from the first after the baseline year to `last`'s last quarter."""
    periods = []
    for year in range(catalogue.plan.baseline_year + 1, last.year + 1):
        for quarter in range(1, 5):
            found = parse_period(f"{year}Q{quarter}")
            assert found is not None
            if found.end <= last.end:
                periods.append(found)
    return periods


def build_tables(
    root: Path,
    catalogue: Catalogue,
    observations: pd.DataFrame,
    *,
    period: Period,
    as_of: date,
    revisions: list[Revision] | None,
    reports: dict[str, ScoreReport] | None = None,
    scoring: Scoring | None = None,
    evidence: Evidence | None = None,
    judge: Callable[[Period], ScoreReport] | None = None,
    progress: Progress = silent,
) -> list[Table]:
    """The four tables. `reports` are scores already made (by period), reused as they are, and
    `scoring` the observations already prepared for scoring, or `judge` the call that judges
    any quarter on the plan as it stood at its end; `progress` counts the quarters scored
    (most of the time goes there)."""
    done = dict(reports or {})
    if judge is None:
        scoring = scoring or Scoring(catalogue, observations)
        judge = partial(scoring.score, as_of=as_of)
    scores = []
    quarters = score_periods(catalogue, period)
    for step, each in enumerate(quarters):
        progress(step, len(quarters), "")
        report = done.get(str(each)) or judge(each)
        scores.append(report)
    progress(len(quarters), len(quarters), "")
    return [
        Table(
            "observations",
            "Observations",
            "Every row of the submissions that passed plan57 check.",
            OBSERVATIONS,
            ("reporter", "indicator", "period"),
            _observation_columns(root, observations, evidence),
        ),
        Table.of_rows(
            "scores",
            "Scores",
            "Each indicator's status for each quarter (the method: docs/methodology.md).",
            SCORES,
            ("period", "indicator"),
            [row for report in scores for row in _score_rows(report)],
        ),
        Table.of_rows(
            "targets",
            "Targets",
            "The milestone targets of the plan's appendix, as in force.",
            TARGETS,
            ("indicator", "milestone"),
            _target_rows(catalogue, revisions),
        ),
        Table.of_rows(
            "registry",
            "Registry",
            "Reporting units and the bodies the plan names.",
            REGISTRY,
            ("id",),
            _registry_rows(catalogue),
        ),
    ]


def _observation_columns(
    root: Path, frame: pd.DataFrame, evidence: Evidence | None
) -> list[Sequence[Any]]:
    if frame.empty:
        return [[] for _ in OBSERVATIONS]
    commits = _file_commits(root, evidence)

    def figures(column: str) -> list[Any]:
        series = frame[column]
        cells: list[Any] = series.astype(object).where(series.notna(), None).tolist()
        return cells  # NaN: no figure

    def text(column: str) -> list[Any]:
        return [cell or None for cell in frame[column].tolist()]

    files = frame["file"].tolist()
    return [
        frame["reporter"].tolist(),
        frame["indicator"].tolist(),
        frame["period"].tolist(),
        frame["start"].dt.date.tolist(),
        frame["end"].dt.date.tolist(),
        figures("value"),
        [a if isinstance(a, bool) else None for a in frame["answer"].tolist()],
        figures("numerator"),
        figures("denominator"),
        text("note"),
        text("source"),
        files,
        frame["line"].astype(int).tolist(),
        [commits.get(f) for f in files],
    ]


def _file_commits(root: Path, evidence: Evidence | None) -> dict[str, str]:
    """Each submission file's last commit on the main line up to the evidence's (that of the
    day judged); files changed since, and everything outside git, have none."""
    from plan57 import git

    if not git.is_repository(root):
        return {}
    if evidence is not None and evidence.from_git:
        if evidence.commit is None:
            return {}
        try:
            return git.last_commits(root, SUBMISSIONS.as_posix(), evidence.commit.id)
        except GitError:
            return {}
    try:
        commits = git.last_commits(root, SUBMISSIONS.as_posix())
        for path in git.changed_files(root, SUBMISSIONS.as_posix()):
            commits.pop(path, None)
    except GitError:
        return {}
    return commits


def _score_rows(report: ScoreReport) -> Iterable[tuple[Any, ...]]:
    for item in report.indicators:
        yield (
            report.period,
            item.id,
            item.status,
            " ".join(item.flags) or None,
            item.value,
            item.answer,
            item.baseline,
            item.expected,
            item.progress,
            item.milestone,
            item.target.text if item.target else None,
            sum(1 for r in item.reporters if r.used),
            len(item.missing),
        )


def target_revisions(revisions: list[Revision] | None) -> dict[tuple[str, int], str]:
    """(indicator, milestone) → the newest commit that set that target (or added the indicator)."""
    found: dict[tuple[str, int], str] = {}
    whole: dict[str, str] = {}
    # Revisions come newest first: the first seen is the last change.
    for revision in revisions or []:
        for change in revision.changes:
            if change.indicator is None:
                continue
            if change.field.startswith("targets."):
                found.setdefault(
                    (change.indicator, int(change.field.split(".", 1)[1])), revision.commit
                )
            elif change.field == "indicator" and change.kind == "added":
                whole.setdefault(change.indicator, revision.commit)
    return {**{(i, -1): c for i, c in whole.items()}, **found}


def _target_rows(catalogue: Catalogue, revisions: list[Revision] | None) -> list[tuple[Any, ...]]:
    known = target_revisions(revisions)
    rows = []
    for ind in catalogue.indicators:
        for target in ind.targets:
            commit = known.get((ind.id, target.year)) or known.get((ind.id, -1))
            rows.append(
                (
                    ind.id,
                    target.year,
                    target.kind,
                    target.value,
                    target.low,
                    target.high,
                    target.text,
                    commit,
                )
            )
    return rows


def _registry_rows(catalogue: Catalogue) -> list[tuple[Any, ...]]:
    counts = {rid: len(catalogue.indicators_for(rid)) for rid in catalogue.reporter_ids()}
    return [
        (
            entry.id,
            entry.kind,
            entry.name_vi,
            entry.name_en,
            " ".join(entry.members) or None,
            counts.get(entry.id, 0),
        )
        for entry in catalogue.registry
    ]


def require_parquet() -> None:
    """Fail before any work when Parquet is asked for and pyarrow (the `parquet` extra) is not
    installed."""
    import importlib.util

    if importlib.util.find_spec("pyarrow") is None:
        raise Plan57Error("parquet-missing")


def export_repository(
    root: Path,
    out: Path,
    *,
    as_of: date,
    period: str | None = None,
    formats: Sequence[Format] = FORMATS,
    progress: Phases = no_phases,
    notes: SkippedNotes = no_notes,
) -> list[Path]:
    """Validate and score the repository at `root` and write its tables into `out`.

    `progress` is told of two phases: the check of the submissions, the quarters scored;
    `notes` of each catalogue revision skipped because it cannot be read."""
    from plan57.catalogue.loading import load_catalogue
    from plan57.files import checked_folder, replace_folder
    from plan57.output.report import score_repository
    from plan57.repository import CATALOGUE
    from plan57.submissions.obligations import default_period

    # The set is replaced as one, as the site is: never `--out .` (which holds data/), never
    # a folder of other files, never a file written through a link left in the old set.
    target = checked_folder(
        out, root / "data", marker=EXPORT_MARKER, ours=_exported_name, not_ours="export-out-other"
    )
    if "parquet" in formats:
        require_parquet()
    if period is None:
        period = str(default_period(load_catalogue(root / CATALOGUE), as_of))
    scored = score_repository(root, period=period, as_of=as_of, progress=progress("progress.check"))
    tables = build_tables(
        root,
        scored.catalogue,
        scored.observations,
        period=scored.period,
        as_of=as_of,
        revisions=catalogue_revisions(root, notes, until=as_of),
        evidence=scored.evidence,
        reports={str(scored.period): scored.report},
        scoring=scored.scoring,
        judge=scored.judging.score,
        progress=progress("progress.quarters"),
    )
    number = scored.catalogue.plan.number
    written = replace_folder(
        target,
        lambda folder: write_tables(tables, folder, formats, plan_number=number),
        marker=EXPORT_MARKER,
    )
    return written


# The mark of a folder `export` made, which a later export may replace whole.
EXPORT_MARKER = ".plan57-export"


def _exported_name(name: str) -> bool:
    """A file an export writes (a folder of these, made before the marker existed, is one)."""
    stem, _, kind = name.rpartition(".")
    return name == PACKAGE or (kind in FORMATS and stem in TABLE_NAMES)


def catalogue_revisions(
    root: Path, notes: SkippedNotes = no_notes, until: date | None = None
) -> list[Revision] | None:
    """The catalogue's revisions (up to `until`: those known that day), newest first; None
    outside git or where history is unreadable (a shallow clone): the targets' revision column
    is then left empty. `notes` is told of each revision skipped because its catalogue cannot
    be read."""
    from plan57 import git
    from plan57.catalogue.revisions import history

    if not git.is_repository(root):
        return None
    try:
        found = history(root, until=until)
    except Plan57Error:
        return None
    for skipped in found.skipped:
        notes(skipped)
    return found.revisions


# --- writing ---------------------------------------------------------------------------------


def write_tables(
    tables: Sequence[Table], folder: Path, formats: Sequence[Format], *, plan_number: str
) -> list[Path]:
    """Write every table in each format into `folder`, with the data package when CSV is among
    them; each file atomically. Returns the files written, relative to `folder`."""
    from plan57.files import write_atomic

    writers = {"csv": to_csv, "json": to_json, "parquet": to_parquet}
    written: list[Path] = []
    for table in tables:
        for kind in FORMATS:
            if kind in formats:
                name = Path(f"{table.name}.{kind}")
                write_atomic(folder / name, writers[kind](table))
                written.append(name)
    if "csv" in formats:
        package = json.dumps(datapackage(tables, plan_number), ensure_ascii=False, indent=2) + "\n"
        write_atomic(folder / PACKAGE, package.encode("utf-8"))
        written.append(Path(PACKAGE))
    return written


def _text_column(column: ColumnType, values: Sequence[Any], spreadsheet: bool = False) -> list[str]:
    """One column's cells as CSV text: numbers as Python writes them, dates in ISO 8601, text
    as it is, empty for no value. Column by column, since a province's observations are half a
    million cells. Only a file meant for a spreadsheet (`spreadsheet`) has its text neutralised
    (an apostrophe before what could start a formula): the data package's CSV holds the same
    text as its Parquet and JSON, for the tools that read it."""
    if column == "string":
        if spreadsheet:
            return ["" if v is None else neutralise(str(v)) for v in values]
        return ["" if v is None else str(v) for v in values]
    if column == "boolean":
        return ["" if v is None else ("true" if v else "false") for v in values]
    if column == "number":
        return ["" if v is None else repr(v) for v in values]
    if column == "date":
        return _dates(values)
    return ["" if v is None else str(v) for v in values]


def _dates(values: Sequence[Any]) -> list[Any]:
    cache: dict[Any, str] = {None: ""}
    out = []
    for v in values:
        shown = cache.get(v)
        if shown is None:
            shown = cache[v] = v.isoformat()
        out.append(shown)
    return out


def to_csv(table: Table, *, spreadsheet: bool = False) -> bytes:
    """UTF-8 without a byte-order mark (the data package says so); text cells as they are, or
    neutralised for a spreadsheet (`spreadsheet`)."""
    cells = [
        _text_column(c.type, v, spreadsheet) for c, v in zip(table.columns, table.data, strict=True)
    ]
    return _csv_text(table, cells)


def csv_by(table: Table, column: str, *, spreadsheet: bool = False) -> dict[Any, bytes]:
    """One CSV file per value of `column` (an indicator's rows), the cells converted once."""
    cells = [
        _text_column(c.type, v, spreadsheet) for c, v in zip(table.columns, table.data, strict=True)
    ]
    at = [c.name for c in table.columns].index(column)
    groups: dict[Any, list[int]] = {}
    for index, value in enumerate(table.data[at]):
        groups.setdefault(value, []).append(index)
    return {
        value: _csv_text(table, [[cells_[i] for i in rows] for cells_ in cells])
        for value, rows in groups.items()
    }


def _csv_text(table: Table, cells: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = CsvWriter(buffer, line_end="\r\n")
    writer.writerow([c.name for c in table.columns])
    if any("\r" in "".join(column) for column in cells):
        for row in zip(*cells, strict=True):
            writer.writerow(row)  # CsvWriter quotes a row holding a lone CR
    else:
        # No CR anywhere (the usual case): the csv module's own loop, the same bytes, faster.
        csv.writer(buffer, lineterminator="\r\n").writerows(zip(*cells, strict=True))
    return buffer.getvalue().encode("utf-8")


def to_json(table: Table) -> bytes:
    """An array of objects, one per row; dates in ISO 8601, no value as null.

    Each column is encoded once, column by column (a repeated text once), and the rows are put
    together with one format string: the same text as `json.dumps` of the records, in a
    fraction of the time on a province's half a million cells.
    """
    encoded = [
        _json_column(c.type, values) for c, values in zip(table.columns, table.data, strict=True)
    ]
    row = "{" + ",".join(f"{json.dumps(c.name)}:%s" for c in table.columns) + "}"
    body = ",".join(row % cells for cells in zip(*encoded, strict=True))
    return ("[" + body + "]\n").encode("utf-8")


def _json_column(kind: ColumnType, values: Sequence[Any]) -> list[str]:
    if kind in ("number", "integer", "boolean"):
        # Numbers, booleans and nulls hold no ", ": the list's own encoding splits safely.
        text = json.dumps(list(values))[1:-1]
        return text.split(", ") if text else []
    cache: dict[Any, str] = {None: "null"}
    out = []
    for value in values:
        shown = cache.get(value)
        if shown is None:
            plain = value.isoformat() if kind == "date" else value
            shown = cache[value] = json.dumps(plain, ensure_ascii=False)
        out.append(shown)
    return out


def to_parquet(table: Table) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }
    arrays = [
        pa.array(list(values), type=types[column.type])
        for column, values in zip(table.columns, table.data, strict=True)
    ]
    schema = pa.schema(
        [pa.field(c.name, types[c.type], nullable=not c.required) for c in table.columns]
    )
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), sink)
    return bytes(sink.getvalue().to_pybytes())


LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}


def datapackage(tables: Sequence[Table], plan_number: str) -> dict[str, Any]:
    """A Frictionless Data Package describing the CSV files, one Table Schema per resource."""
    return {
        "name": "plan57",
        # The plan is named by its catalogue: any province's repository publishes its own.
        "title": f"Kế hoạch {plan_number} — indicators, targets and reported figures",
        "profile": "tabular-data-package",
        # Public-sector information, open for any use with attribution (docs: the open data).
        "licenses": [LICENCE],
        "resources": [
            {
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "path": f"{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": {
                    "fields": [
                        {
                            "name": c.name,
                            "type": c.type,
                            "description": c.description,
                            **({"constraints": {"required": True}} if c.required else {}),
                        }
                        for c in table.columns
                    ],
                    "primaryKey": list(table.primary_key),
                    "missingValues": [""],
                },
            }
            for table in tables
        ],
    }
