"""The submission contract: every rule `plan57 check` applies, as findings in one report.

Row rules run on the columns of all rows at once (numpy arrays, each rule per distinct cell),
so that a province's files, or a million rows, are checked in seconds; findings are only built
for the rows that fail. `check` never imports pandas: only the frame of observations (for
`score` and `report`) does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan57.catalogue.loading import catalogue_smells, load_catalogue
from plan57.catalogue.models import Catalogue
from plan57.findings import CheckReport, Finding, make_finding, shown
from plan57.formatting import Number, Quantity, TargetShown, Words, reporters_named
from plan57.grammar import (
    AMBIGUOUS,
    BOUNDED_UNITS,
    MAX_DECIMALS,
    MAX_VALUE,
    NO,
    NUMBER,
    PERCENT_UNITS,
    RATIO_SCALE,
    YES,
    Convention,
    convention_of,
    convert_number,
    likely_fraction,
)
from plan57.messages import Message, period_suggestion, suggestion
from plan57.periods import Period
from plan57.progress import Progress, silent
from plan57.repository import CATALOGUE, SUBMISSIONS, relative
from plan57.submissions.forms import catalogue_reference
from plan57.submissions.narratives import Narrative, parse_narrative
from plan57.submissions.obligations import Gap
from plan57.submissions.reading import SubmissionFile, Submissions, read_submissions

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    Mask = npt.NDArray[np.bool_]
    Floats = npt.NDArray[np.float64]
    Codes = npt.NDArray[np.intp]
    Objects = npt.NDArray[np.object_]

# A value this many times above or below the reporter's recent median deserves a second look.
JUMP_FACTOR = 3.0
JUMP_FLOOR = {"count": 5.0, "per_10k": 1.0, "percent": 10.0, "percent_grdp": 1.0, "index": 0.1}


# A figure whose modified z-score among its peers is above this is far from them (DHIS2's
# default, after Iglewicz and Hoaglin), among at least so many peers.
PEER_Z = 3.5
MIN_PEERS = 10
# Reporters compared with each other: the communes and wards, one level of government doing
# the same work for populations alike. Departments, enterprises and institutes each measure a
# scope of their own (a department's own procedures), so none is another's peer.
_LEVELS = {"commune": "local", "ward": "local"}


@dataclass(frozen=True)
class Validation:
    """The report, and the rows that passed (typed for scoring), built when first asked for.

    `check` never asks: on a million rows the frame of observations costs a tenth of a second
    and a good deal of memory.
    """

    report: CheckReport
    build_observations: Callable[[], pd.DataFrame] = field(repr=False, compare=False)
    # The units' narratives that passed (`<reporter>/<period>.md`), in the order read.
    narratives: list[Narrative] = field(default_factory=list)
    # Rows with no figure but a note: explained gaps, never figures.
    gaps: tuple[Gap, ...] = ()

    @cached_property
    def observations(self) -> pd.DataFrame:
        return self.build_observations()


def check_repository(
    root: Path,
    *,
    as_of: date,
    paths: Sequence[Path] | None = None,
    changed_since: str | None = None,
    catalogue: Catalogue | None = None,
    progress: Progress = silent,
) -> Validation:
    """Load the catalogue and the submissions under `root`, and validate them.

    With `paths`, findings are limited to those files, but every submission is still read:
    a file can be wrong only in the light of another (overlapping periods). With
    `changed_since`, the pull-request gate chooses the files and adds its own findings, and
    only those files are read, with every reporter's files for the changed periods: a rule
    compares a reporter's own files (overlaps, plausibility) or a figure with its peers' for
    the same period (`peer-outlier`), so nothing else can conflict with the change (the gate
    then costs the reporter's files and one period's, not the repository's age).
    """
    from plan57.submissions.gate import scope

    catalogue_path = root / CATALOGUE
    catalogue_named = False
    if paths is not None:
        named = [path for path in paths if relative(root, path) != CATALOGUE.as_posix()]
        catalogue_named = len(named) != len(paths)
        paths = named
    if catalogue is None:
        catalogue = load_catalogue(catalogue_path)
    catalogue_text = catalogue_path.read_text("utf-8") if catalogue_path.is_file() else ""
    gate_alone = changed_since is not None and paths is None
    paths, gate_findings, peers = scope(root, catalogue, paths, changed_since)
    only_files = None
    files = None
    if paths is not None:
        files = sorted({*paths, *peers}) if gate_alone else sorted({root / SUBMISSIONS, *paths})
        only_files = {relative(root, path) for path in paths}
        # The catalogue's warnings are the secretariat's: a submission's pull request cannot act
        # on them, so they come with a full check, or when the catalogue itself is checked.
        if catalogue_named:
            only_files.add(CATALOGUE.as_posix())
    submissions = read_submissions(root, files, progress=progress)
    validation = validate(
        catalogue,
        submissions,
        as_of=as_of,
        catalogue_file=CATALOGUE.as_posix(),
        catalogue_text=catalogue_text,
        only_files=only_files,
    )
    if not gate_findings:
        return validation
    report = CheckReport.from_findings([*validation.report.problems, *gate_findings])
    return replace(validation, report=report)


def validate(
    catalogue: Catalogue,
    submissions: Submissions,
    *,
    as_of: date,
    catalogue_file: str = CATALOGUE.as_posix(),
    catalogue_text: str = "",
    only_files: set[str] | None = None,
    across_files: bool = True,
) -> Validation:
    """Every finding for the catalogue and the submissions, and the rows that passed.

    `only_files` limits the findings to those files (the rest are still read, since a changed
    file can conflict with them); the catalogue's own findings only when it is one of them.
    Without `across_files` no rule compares one file with another: each file is judged alone
    (the past versions of files, which never stood side by side, are checked so).
    """
    findings = list(submissions.findings)
    findings += catalogue_smells(catalogue, catalogue_file, catalogue_text)
    good_files, file_findings = _check_files(catalogue, submissions.files, as_of)
    findings += file_findings
    rules = _RowRules(catalogue, submissions, good_files)
    findings += rules.run(across_files=across_files)
    told, passed = _narratives(catalogue, submissions, as_of)
    findings += told
    if only_files is not None:
        findings = [f for f in findings if f.file in only_files]
    return Validation(
        CheckReport.from_findings(findings), rules.observations, passed, tuple(rules.gaps)
    )


def _narratives(
    catalogue: Catalogue, submissions: Submissions, as_of: date
) -> tuple[list[Finding], list[Narrative]]:
    """The narratives' findings (the file rules of every submission, then their own), and the
    narratives without errors."""
    good, findings = _check_files(catalogue, [n.file for n in submissions.narratives], as_of)
    passed = []
    for told in submissions.narratives:
        file = told.file
        if file.path not in good or file.reporter is None or file.period is None:
            continue
        narrative, problems = parse_narrative(told.text, file.path, file.reporter, file.period)
        findings += problems
        if not any(problem.severity == "error" for problem in problems):
            passed.append(narrative)
    return findings, passed


def _check_files(
    catalogue: Catalogue, files: list[SubmissionFile], as_of: date
) -> tuple[dict[str, SubmissionFile], list[Finding]]:
    """File-level rules: the reporter exists, the period is well formed, over, and not too early."""
    good: dict[str, SubmissionFile] = {}
    findings: list[Finding] = []
    reporters = catalogue.reporter_ids()
    baseline = catalogue.plan.baseline_year
    for file in files:
        problems: list[Finding] = []
        if file.reporter is None or not catalogue.is_reporter(file.reporter):
            problems.append(
                make_finding(
                    "unknown-reporter",
                    file=file.path,
                    reporter=file.reporter,
                    suggestion=suggestion(
                        file.reporter or "", reporters, aliases=catalogue.name_aliases()
                    ),
                )
            )
        period = file.period
        if period is None:
            problems.append(
                make_finding(
                    "bad-period",
                    file=file.path,
                    period=file.period_text,
                    suggestion=period_suggestion(file.period_text),
                )
            )
        elif period.end > as_of:
            problems.append(
                make_finding(
                    "period-not-over",
                    file=file.path,
                    period=str(period),
                    end=period.end.isoformat(),
                    as_of=as_of.isoformat(),
                )
            )
        elif period.year < baseline:
            problems.append(
                make_finding(
                    "period-too-early", file=file.path, period=str(period), baseline=baseline
                )
            )
        findings += problems
        if not problems:
            good[file.path] = file
    return good, findings


# Control characters other than the tab and line ends a quoted cell may hold.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _number_text(value: float) -> Number:
    """A figure for a finding's sentence, in the reader's notation (vi 48,25, en 48.25)."""
    return Number(float(f"{value:.10g}"))


class _RowRules:
    """Row rules over the columns of all rows, as numpy arrays; remembers which rows failed.

    Rows are positions in `Submissions.columns`. No pandas here: `check` never imports it.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        submissions: Submissions,
        good_files: dict[str, SubmissionFile],
    ) -> None:
        import numpy as np

        self.catalogue = catalogue
        self.columns = submissions.columns
        self.size = len(self.columns["file"])
        self.findings: list[Finding] = []
        self.failed: Mask = np.zeros(self.size, dtype=bool)
        self.good_files = good_files
        units = {i.id: i.unit for i in catalogue.indicators}
        self._units = units
        self._factorised: dict[str, tuple[Codes, Objects]] = {}
        reporters = {path: f.reporter for path, f in good_files.items()}
        names = {path: str(f.period) for path, f in good_files.items()}
        self._derive("reporter", "file", reporters.get)
        self._derive("period_name", "file", names.get)
        self._derive("unit", "indicator", units.get)
        self.has_reporter: Mask = self._codes("reporter")[0] >= 0
        self.numbers: dict[str, Floats] = {}
        self.gaps: list[Gap] = []

    # --- looking things up once per distinct value, not once per row ---

    def _codes(self, column: str) -> tuple[Codes, Objects]:
        """`column` factorised: a code per row and the distinct values, computed once.

        The distinct values come in the order of their first row (as `pandas.factorize` gives
        them); cells are interned strings, so the dictionary's hashing is cheap.
        """
        import numpy as np

        found = self._factorised.get(column)
        if found is None:
            cells = self.columns[column]
            distinct = list(dict.fromkeys(cells))
            number = dict(zip(distinct, range(len(distinct)), strict=True))
            codes = np.fromiter(map(number.__getitem__, cells), dtype=np.intp, count=len(cells))
            found = self._factorised[column] = (codes, _objects(distinct))
        return found

    def _derive(self, name: str, column: str, lookup: Callable[[Any], Any]) -> None:
        """A column computed from `column`'s distinct values, factorised without any row loop.

        A None from `lookup` is a missing cell (code -1). Taking the derived values in the
        order of `column`'s distinct values keeps them in the order of their first row.
        """
        import numpy as np

        codes, uniques = self._codes(column)
        derived = [lookup(value) for value in uniques]
        distinct = [value for value in dict.fromkeys(derived) if value is not None]
        number = dict(zip(distinct, range(len(distinct)), strict=True))
        table = np.array([number.get(value, -1) for value in derived] + [-1], dtype=np.intp)
        self._factorised[name] = (table[codes], _objects(distinct))

    def _value(self, column: str, at: Any) -> Any:
        """The cell of `column` at row `at` (None where a derived column has nothing)."""
        cells = self.columns.get(column)
        if cells is not None:
            return cells[at]
        codes, uniques = self._codes(column)
        code = codes[at]
        return uniques[code] if code >= 0 else None

    def _unit_in(self, *units: str) -> Mask:
        """Rows whose indicator has one of `units`."""
        found: Mask = self._per_value("indicator", lambda i: self._units.get(i) in units, "bool")
        return found

    def _empty(self, column: str) -> Mask:
        found: Mask = self._per_value(column, lambda cell: cell == "", "bool")
        return found

    def _per_value(self, column: str, lookup: Callable[[Any], Any], dtype: str) -> Any:
        """`lookup` of each distinct value of `column`, spread back over the rows.

        A million rows hold a few thousand distinct cells, so patterns, dictionaries and number
        parsing run on those and numpy spreads the answers. A missing cell gets None: NaN as a
        number, NaT as a date, False as a flag.
        """
        import numpy as np

        codes, uniques = self._codes(column)
        table = [lookup(value) for value in uniques]
        table.append(None)  # code -1, a missing cell
        # numpy turns None into NaN, False or NaT by itself; text stays objects.
        kind: Any = {"float64": float, "bool": bool, "datetime64[s]": dtype}.get(dtype, object)
        if kind is object:
            return _objects(table)[codes]
        return np.asarray(table, dtype=kind)[codes]

    # --- building findings for the rows a mask selects ---

    def _flag(self, mask: Mask, code: str, column: str | None, **params: Any) -> None:
        """One finding per selected row; `params` values that are column names are looked up."""
        if not mask.any():
            return
        self.failed |= mask
        self._emit(mask, code, column, params)

    def _emit(self, mask: Mask, code: str, column: str | None, params: dict[str, Any]) -> None:
        import numpy as np

        files, lines, indicators = (self.columns[name] for name in ("file", "line", "indicator"))
        for at in np.flatnonzero(mask).tolist():
            values = {
                key: shown(self._value(value[1:], at))
                if isinstance(value, str) and value.startswith("@")
                else value
                for key, value in params.items()
            }
            indicator = indicators[at] if indicators[at] in self._ids else None
            self.findings.append(
                make_finding(
                    code,
                    file=files[at],
                    line=int(lines[at]),
                    column=column,
                    indicator=indicator,
                    **values,
                )
            )

    @property
    def _ids(self) -> dict[str, Any]:
        return self.catalogue.assignments

    # --- the rules ---

    def run(self, *, across_files: bool = True) -> list[Finding]:
        if not self.size:
            return []
        import numpy as np

        # NaN stands for a missing number and is compared and divided freely below.
        with np.errstate(all="ignore"):
            self._indicators()
            self._control_characters()
            self._periods()
            value = self._parse_numbers()
            self._yes_no()
            self._ranges(value)
            self._ratios(value)
            self._fractions(value)
            self._duplicates()
            if across_files:
                self._flow_overlaps()
            self._plausibility()
            self._peers()
        return self.findings

    def _indicators(self) -> None:
        import numpy as np

        ids = self._ids
        known = self._per_value("indicator", ids.__contains__, "bool")
        unknown = ~known
        for at in np.flatnonzero(unknown).tolist():
            self._unknown_indicator(at)
        self.failed |= unknown
        indicator_codes, indicators = self._codes("indicator")
        reporter_codes, reporters = self._codes("reporter")
        # One cell per distinct pair; the extra last row and column stand for missing cells.
        allowed = np.zeros((len(indicators) + 1, len(reporters) + 1), dtype=bool)
        for i, indicator in enumerate(indicators):
            # Unknown indicators were flagged above; only the 55 known ones need their pairs.
            assigned_to = ids.get(indicator)
            if assigned_to:
                allowed[i, :-1] = [reporter in assigned_to for reporter in reporters]
        assigned = allowed[indicator_codes, reporter_codes]
        outsider = known & self.has_reporter & ~assigned
        for at in np.flatnonzero(outsider).tolist():
            indicator = self._value("indicator", at)
            self._flag_one(
                at,
                "not-assigned",
                "indicator",
                reporter=self._value("reporter", at),
                reporters=self._assigned(indicator),
            )

    def _assigned(self, indicator: str) -> Any:
        """Who reports `indicator`, as the catalogue assigns it: groups named and counted."""
        found = self.catalogue.indicator(indicator)
        return reporters_named(self.catalogue, found.reporters) if found else "—"

    def _control_characters(self) -> None:
        """Free text with a control character: it would rewrite a terminal or a log.

        The value stays usable (the row is not failed); the other columns refuse such cells
        through their own rules (not a number, unknown indicator).
        """
        for column in ("note", "source"):
            bad = self._per_value(column, lambda cell: bool(_CONTROL.search(cell)), "bool")
            if bad.any():
                self._emit(bad, "control-character", column, {"value": f"@{column}"})

    def _flag_one(self, at: int, code: str, column: str | None, **params: Any) -> None:
        self.failed[at] = True
        indicator = self.columns["indicator"][at]
        self.findings.append(
            make_finding(
                code,
                file=self.columns["file"][at],
                line=int(self.columns["line"][at]),
                column=column,
                indicator=indicator if indicator in self._ids else None,
                **params,
            )
        )

    def _unknown_indicator(self, at: int) -> None:
        raw = str(self.columns["indicator"][at])
        # What this reporter owes comes first: CT09 for a commune's "CTO9", not CT49.
        reporter = self._value("reporter", at)
        owes = [i.id for i in self.catalogue.indicators_for(reporter)] if reporter else []
        close = suggestion(raw, list(self._ids), first=owes)
        self._flag_one(at, "unknown-indicator", "indicator", value=shown(raw), suggestion=close)

    def _periods(self) -> None:
        import numpy as np

        stated_codes, stated = self._codes("period")
        name_codes, names = self._codes("period_name")
        # The file's period name as a code of the stated cells (-2: no row states it).
        at = dict(zip(stated.tolist(), range(len(stated)), strict=True))
        as_stated = np.array([at.get(name, -2) for name in names] + [-3], dtype=np.intp)
        differs = stated_codes != as_stated[name_codes]
        mismatch = ~self._empty("period") & self.has_reporter & differs
        self._flag(mismatch, "period-mismatch", "period", value="@period", period="@period_name")

    def _parse_numbers(self) -> Floats:
        yes_no = self._unit_in("yes_no")
        value = self._numeric_column("value", skip=yes_no)
        empty = self._empty("value")
        # A row with no figure at all (an unfilled template row, perhaps with a note) says the
        # indicator is not reported yet: a warning, and the row counts as missing downstream.
        unreported = empty & self._empty("numerator") & self._empty("denominator")
        self._not_reported(unreported)
        self._flag(empty & ~unreported, "missing-value", "value")
        for column in ("numerator", "denominator"):
            self.numbers[column] = self._numeric_column(column, skip=yes_no)
        self.numbers["value"] = value
        return value

    def _not_reported(self, mask: Mask) -> None:
        """A warning per row with no figure, the note shown; the row is kept from scoring."""
        import numpy as np

        # A row already refused (an unknown indicator, say) needs no second word.
        fresh = mask & ~self.failed
        self.failed |= mask
        columns = self.columns
        for at in np.flatnonzero(fresh).tolist():
            note = columns["note"][at]
            indicator = columns["indicator"][at]
            reporter = self._value("reporter", at)
            if note and reporter is not None and indicator in self._ids:
                period = self.good_files[columns["file"][at]].period
                assert period is not None
                self.gaps.append(Gap(reporter, indicator, period.end, " ".join(note.split())))
            self.findings.append(
                make_finding(
                    "not-reported",
                    file=columns["file"][at],
                    line=int(columns["line"][at]),
                    column="value",
                    indicator=indicator if indicator in self._ids else None,
                    note=Message("label.not-reported-note", {"note": shown(note)}) if note else "",
                )
            )

    def _numeric_column(self, column: str, skip: Mask) -> Floats:
        """The cells of `column` as numbers; flags text that is not a plain decimal number."""
        import numpy as np

        number, ambiguous_number = NUMBER, AMBIGUOUS
        present = ~self._empty(column) & ~skip
        plain = self._per_value(column, lambda cell: bool(number.fullmatch(cell)), "bool")
        ambiguous = (
            present
            & ~plain
            & self._per_value(column, lambda cell: bool(ambiguous_number.fullmatch(cell)), "bool")
        )
        other = present & ~plain & ~ambiguous
        flagged = np.flatnonzero(ambiguous).tolist()
        conventions = self._conventions(flagged)
        for at in flagged:
            cell = self.columns[column][at]
            unit = self._value("unit", at) if column == "value" else None
            convention = conventions[self.columns["file"][at]]
            reading = reading_hint(cell, unit, Message("label.reading-none"), convention)
            self._flag_one(at, "ambiguous-number", column, value=shown(cell), reading=reading)
        self._flag(other, "not-a-number", column, value=f"@{column}")
        parsed = self._per_value(
            column, lambda cell: float(cell) if number.fullmatch(cell) else None, "float64"
        )
        # Finite and bounded, or a report's chart would overflow scaling it.
        too_large = present & plain & ~(np.abs(parsed) <= MAX_VALUE)
        self._flag(too_large, "value-too-large", column, value=f"@{column}", limit="10¹²")
        result: Floats = np.where(skip | too_large, np.nan, parsed)
        return result

    def _conventions(self, rows: list[int]) -> dict[str, Convention | None]:
        """How each file of `rows` writes decimals (`grammar.convention_of`), as `fix` reads
        it: a file that writes "87,5" groups thousands with points."""
        import numpy as np

        files = {self.columns["file"][at] for at in rows}
        if not files:
            return {}
        codes, uniques = self._codes("file")
        wanted = np.isin(codes, [i for i, name in enumerate(uniques) if name in files])
        cells: dict[str, list[str]] = {name: [] for name in files}
        for at in np.flatnonzero(wanted).tolist():
            mine = cells[self.columns["file"][at]]
            mine += [self.columns[c][at] for c in ("value", "numerator", "denominator")]
        return {name: convention_of(found) for name, found in cells.items()}

    def _yes_no(self) -> None:
        yes_no = self._unit_in("yes_no")
        words = YES | NO
        # An empty cell is a missing value, whatever the unit.
        bad = yes_no & self._per_value(
            "value", lambda v: v != "" and v.lower() not in words, "bool"
        )
        self._flag(bad, "not-yes-no", "value", value="@value")

    def _ranges(self, value: Floats) -> None:
        import numpy as np

        # Every percent unit has the same scale (100), an index its own (1).
        percent = self._unit_in(*PERCENT_UNITS)
        top = RATIO_SCALE["percent"]
        self._flag(
            percent & ((value < 0) | (value > top)), "percent-out-of-range", "value", value="@value"
        )
        index = self._unit_in("index")
        top = RATIO_SCALE["index"]
        self._flag(
            index & ((value < 0) | (value > top)), "index-out-of-range", "value", value="@value"
        )
        others = self._unit_in("count", "per_10k")
        self._flag(others & (value < 0), "negative-value", "value", value="@value")
        count = self._unit_in("count")
        for at in np.flatnonzero(count & (value >= 0) & (value % 1 != 0)).tolist():
            # "1.400" on a count can only be one thousand four hundred: the grammar says so.
            cell = self.columns["value"][at]
            reading = reading_hint(cell, "count", Message("label.reading-whole"))
            self._flag_one(at, "fractional-count", "value", value=shown(cell), reading=reading)

    def _ratios(self, value: Floats) -> None:
        import numpy as np

        numerator, denominator = self.numbers["numerator"], self.numbers["denominator"]
        scale = self._per_value("unit", RATIO_SCALE.get, "float64")
        applies = ~np.isnan(scale)
        has_num, has_den = ~self._empty("numerator"), ~self._empty("denominator")
        self._flag(
            applies & has_num & ~has_den,
            "ratio-incomplete",
            "denominator",
            present="numerator",
            missing="denominator",
        )
        self._flag(
            applies & has_den & ~has_num,
            "ratio-incomplete",
            "numerator",
            present="denominator",
            missing="numerator",
        )
        combines = {i.id: i.combine for i in self.catalogue.indicators}
        by_ratio = self._per_value("indicator", lambda i: combines.get(i) == "ratio", "bool")
        self._flag(
            applies & by_ratio & ~has_num & ~has_den & ~self._empty("value"),
            "ratio-required",
            "numerator",
        )
        both = applies & ~np.isnan(numerator) & ~np.isnan(denominator)
        self._flag(both & (denominator == 0), "zero-denominator", "denominator")
        bounded = self._unit_in(*BOUNDED_UNITS)
        above = both & bounded & (numerator > denominator) & (denominator != 0)
        self._flag(
            above,
            "numerator-above-denominator",
            "numerator",
            numerator="@numerator",
            denominator="@denominator",
        )
        usable = both & (denominator > 0) & ~np.isnan(value) & ~above
        expected = (numerator / np.where(denominator > 0, denominator, np.nan)) * scale
        # A value agrees when it is the ratio rounded to as many decimals as the value shows.
        decimals = self._per_value("value", _decimals, "float64")
        tolerance = 0.5 * np.power(10.0, -decimals) + 1e-9
        mismatch = usable & (np.abs(value - expected) > tolerance)
        for at in np.flatnonzero(mismatch).tolist():
            self._flag_one(
                at,
                "ratio-mismatch",
                "value",
                value=shown(self.columns["value"][at]),
                numerator=shown(self.columns["numerator"][at]),
                denominator=shown(self.columns["denominator"][at]),
                expected=f"{expected[at]:.{max(int(decimals[at]), 2)}f}",
            )

    def _fractions(self, value: Floats) -> None:
        """A percentage typed as a fraction (0.255 for 25.5%) never reaches a verdict.

        Read beside the reporter's previous figure, else the catalogue's baseline or target
        (`grammar.likely_fraction`). A numerator and a denominator confirm a true small share:
        `ratio-mismatch` holds the value to them.
        """
        import numpy as np

        confirmed = ~self._empty("numerator") & ~self._empty("denominator")
        small = (value > 0) & (value <= 1) & self._unit_in(*PERCENT_UNITS)
        candidates = np.flatnonzero(small & ~confirmed & ~self.failed & self.has_reporter)
        if not len(candidates):
            return
        previous = self._previous_figures(candidates.tolist())
        for at in candidates.tolist():
            indicator = self.catalogue.indicator(self.columns["indicator"][at])
            period = self.good_files[self.columns["file"][at]].period
            assert indicator is not None and period is not None
            unit = indicator.unit
            found = previous.get(at)
            if found is not None:
                reference: float | None = found[0]
                said = Message(
                    "label.fraction-previous",
                    {"value": Quantity(found[0], unit), "period": found[1]},
                )
            else:
                reference, target = catalogue_reference(indicator, period.year)
                said = (
                    Message("label.fraction-baseline", {"value": Quantity(reference, unit)})
                    if target is None
                    else Message(
                        "label.fraction-target",
                        {"target": TargetShown(target, unit), "year": target.year},
                    )
                )
            if not likely_fraction(float(value[at]), unit, reference):
                continue
            cell = self.columns["value"][at]
            percent = format(Decimal(cell) * 100, "f")
            percent = percent.rstrip("0").rstrip(".") if "." in percent else percent
            self._flag_one(
                at,
                "percent-as-fraction",
                "value",
                value=shown(cell),
                percent=percent,
                percent_shown=Quantity(float(percent), unit, int(_decimals(percent))),
                small=Quantity(float(cell), unit, int(_decimals(cell))),
                reference=said,
            )

    def _previous_figures(self, rows: list[int]) -> dict[int, tuple[float, str]]:
        """For each of `rows`, its reporter's latest earlier figure of the same indicator that
        passed the rules so far, with its period; rows without one are left out."""
        import numpy as np

        value, indicators = self.numbers["value"], self.columns["indicator"]

        def pair(at: int) -> tuple[Any, str]:
            return self._value("reporter", at), indicators[at]

        def period(at: int) -> Period:
            found = self.good_files[self.columns["file"][at]].period
            assert found is not None
            return found

        wanted = {pair(at) for at in rows}
        ids = {indicator for _, indicator in wanted}
        usable = ~self.failed & self.has_reporter & ~np.isnan(value)
        runs: dict[tuple[Any, str], list[tuple[date, float, str]]] = {}
        chosen = usable & self._per_value("indicator", ids.__contains__, "bool")
        for other in np.flatnonzero(chosen).tolist():
            if (key := pair(other)) in wanted:
                its = period(other)
                runs.setdefault(key, []).append((its.end, float(value[other]), str(its)))
        found: dict[int, tuple[float, str]] = {}
        for at in rows:
            before = period(at).end
            earlier = [run for run in runs.get(pair(at), []) if run[0] < before]
            if earlier:
                _, figure, name = max(earlier)
                found[at] = (figure, name)
        return found

    def _duplicates(self) -> None:
        import numpy as np

        file_codes, _ = self._codes("file")
        indicator_codes, indicators = self._codes("indicator")
        key = file_codes.astype(np.int64) * (len(indicators) + 1) + indicator_codes
        # The first row of each (file, indicator) pair, and which pair each row belongs to.
        _, first, pair = np.unique(key, return_index=True, return_inverse=True)
        repeated = np.ones(self.size, dtype=bool)
        repeated[first] = False
        if not repeated.any():
            return
        first_at = first[pair.reshape(-1)]
        lines = self.columns["line"]
        for at in np.flatnonzero(repeated).tolist():
            self._flag_one(
                at, "duplicate-indicator", "indicator", first_line=int(lines[first_at[at]])
            )

    def _flow_overlaps(self) -> None:
        """Flag every flow row whose period overlaps another file's for the same reporter.

        Both files get a finding: either may be the new one, and `check PATH` reports only the
        files it is given.
        """
        import numpy as np

        flows = {i.id for i in self.catalogue.indicators if i.flow}
        candidates = np.flatnonzero(
            self._per_value("indicator", flows.__contains__, "bool")
            & self.has_reporter
            & self._may_overlap(flows)
        ).tolist()
        if not candidates:
            return
        periods = {path: f.period for path, f in self.good_files.items()}
        grouped: dict[tuple[str, str], list[tuple[Period, str, Any]]] = {}
        files, indicators = self.columns["file"], self.columns["indicator"]
        for at in candidates:
            file = files[at]
            period = periods[file]
            assert period is not None
            key = (self._value("reporter", at), indicators[at])
            grouped.setdefault(key, []).append((period, file, at))
        for entries in grouped.values():
            entries.sort(key=lambda entry: (entry[0], entry[1]))
            for period, file, at in entries:
                clash = _first_overlap(entries, period, file)
                if clash is not None:
                    self._flag_one(
                        at,
                        "flow-overlap",
                        "indicator",
                        period=str(period),
                        other_period=str(clash[0]),
                        other_file=clash[1],
                    )
            self._annual_conflicts(entries)

    def _annual_conflicts(self, entries: list[tuple[Period, str, Any]]) -> None:
        """Warn where a flow's annual figure contradicts the shorter periods of its year.

        The annual report stands for its reporter's year (docs/methodology.md, principle 8),
        so beside Q1–Q3 it is no overlap; it is a contradiction when it is less than what the
        year's periods already add up to, or differs from their sum once they cover the year.
        """
        import math
        from fractions import Fraction

        from plan57.grammar import exact

        value = self.numbers["value"]

        def usable(at: Any) -> bool:
            return not self.failed[at] and not math.isnan(value[at])

        for period, file, at in entries:
            if period.months != 12 or not usable(at):
                continue
            parts = [
                (p, a)
                for p, f, a in entries
                if f != file and p.months < 12 and p.year == period.year and usable(a)
            ]
            if not parts:
                continue
            total = sum((exact(value[a]) for _, a in parts), Fraction(0))
            months = sorted(m for p, _ in parts for m in range(p.first_month, p.last_month + 1))
            whole = months == list(range(1, 13))
            annual = exact(value[at])
            if annual < total or (whole and annual != total):
                self._warn_one(
                    at,
                    "flow-annual-conflict",
                    period=str(period),
                    total=_number_text(float(total)),
                    periods=", ".join(str(p) for p, _ in parts),
                )

    def _may_overlap(self, flows: set[str]) -> Mask:
        """Rows of the (reporter, indicator) pairs in which two files' periods overlap.

        A cheap sieve before the exact comparison of periods: sorted by start, a pair's files
        overlap only where a start is not after the latest end before it. A province's clean
        run of months passes without a single Period being compared.
        """
        import numpy as np

        reporter_codes, _ = self._codes("reporter")
        indicator_codes, indicators = self._codes("indicator")
        file_codes, files = self._codes("file")
        periods = [self.good_files[f].period if f in self.good_files else None for f in files]
        first = np.array([p.start.toordinal() if p else 0 for p in periods], dtype=np.int64)
        last = np.array([p.end.toordinal() if p else 0 for p in periods], dtype=np.int64)
        is_flow = np.array([indicator in flows for indicator in indicators] + [False])
        chosen = np.flatnonzero(is_flow[indicator_codes] & (reporter_codes >= 0))
        # Each (reporter, indicator) pair as a small integer, so that numpy can sort and group.
        pairs = reporter_codes[chosen].astype(np.int64) * (len(indicators) + 1)
        _, pair = np.unique(pairs + indicator_codes[chosen], return_inverse=True)
        file = file_codes[chosen]
        start, end = first[file], last[file]
        order = np.lexsort((end, start, pair))
        pair, file, start, end = pair[order], file[order], start[order], end[order]
        # Offsetting each pair's day numbers keeps a running maximum from leaking into the next.
        offset = pair.astype(np.int64) * 10_000_000
        latest = np.maximum.accumulate(end + offset) - offset
        same_pair = pair[1:] == pair[:-1]
        clash = same_pair & (file[1:] != file[:-1]) & (start[1:] <= latest[:-1])
        suspects = np.zeros(self.size, dtype=bool)
        suspects[chosen[order]] = np.isin(pair, pair[1:][clash])
        return suspects

    def _plausibility(self) -> None:
        """Warnings on rows that passed: a stock that falls, a value far from recent ones."""
        import numpy as np

        value = self.numbers["value"]
        usable = ~self.failed & ~np.isnan(value) & self.has_reporter
        if not usable.any():
            return
        stocks = {i.id for i in self.catalogue.indicators if not i.flow}
        periods = {p: f.period for p, f in self.good_files.items() if f.period}
        reporter_codes, _ = self._codes("reporter")
        indicator_codes, indicators = self._codes("indicator")

        def per_file(of: Callable[[Period], float]) -> Floats:
            found: Floats = self._per_value(
                "file", lambda p: of(periods[p]) if p in periods else None, "float64"
            )
            return found

        # numpy arrays of the usable rows, sorted by (reporter, indicator) pair as one integer,
        # then end of period, longer period first: each pair's rows form a run.
        chosen = np.flatnonzero(usable)
        pairs = (reporter_codes.astype("int64") * (len(indicators) + 1) + indicator_codes)[chosen]
        end = per_file(lambda period: period.end.toordinal())[chosen]
        months = per_file(lambda period: period.months)[chosen]
        order = np.lexsort((-months, end, pairs))
        chosen, pairs, end, months = chosen[order], pairs[order], end[order], months[order]
        flow = ~self._per_value("indicator", stocks.__contains__, "bool")[chosen]
        floor = self._per_value("indicator", self._jump_floor.get, "float64")[chosen]
        number = value[chosen]
        # Flows are compared per month so that a year and a quarter can be compared.
        rate = np.where(flow, number / months, number)
        previous = _shift_within(number, pairs, 1)
        same_end = end == _shift_within(end, pairs, 1)
        # Two figures of a level for periods ending the same day (2025Q4 and 2025): the longer
        # period's counts (it sorts first here, as in scoring), and the other is told so.
        conflict = ~flow & ~np.isnan(previous) & same_end & (number != previous)
        for position in np.flatnonzero(conflict).tolist():
            self._warn_one(
                chosen[position],
                "stock-conflict",
                other=_number_text(previous[position]),
                other_period=self._value("period_name", chosen[position - 1]),
                period=self._value("period_name", chosen[position]),
            )
        fell = ~flow & ~np.isnan(previous) & (number < previous)
        fell &= ~same_end
        for position in np.flatnonzero(fell).tolist():
            self._warn_one(
                chosen[position],
                "stock-fell",
                previous=_number_text(previous[position]),
                previous_period=self._value("period_name", chosen[position - 1]),
            )
        history = np.column_stack([_shift_within(rate, pairs, k) for k in range(1, 5)])
        counts = (~np.isnan(history)).sum(axis=1)
        enough = counts >= 2
        median = _median_of_valid(history, counts)
        scale = np.where(flow, months, 1.0)
        # Small numbers jump by large factors without meaning anything: ask for a real gap too.
        gap = np.abs(rate - median) * scale >= floor
        far = (rate > median * JUMP_FACTOR) | (rate < median / JUMP_FACTOR)
        jump = enough & (median > 0) & far & gap
        for position in np.flatnonzero(jump).tolist():
            self._warn_one(
                chosen[position],
                "value-jump",
                median=_number_text(median[position] * scale[position]),
            )

    @property
    def _jump_floor(self) -> dict[str, float]:
        return {i.id: JUMP_FLOOR[i.unit] for i in self.catalogue.indicators if i.unit in JUMP_FLOOR}

    def _peers(self) -> None:
        """A figure far from its peers' for the same indicator and period: DHIS2's modified
        z-score, 0.6745·|x − median| / MAD above `PEER_Z` (docs/catalogue.md).

        Peers are the communes and wards (`_LEVELS`), at least `MIN_PEERS` of them. Where more than half the peers report the same figure
        (MAD = 0), the mean absolute deviation stands in, scaled by 1.253314 as DHIS2 does;
        where every figure is the same, nothing stands out. A note on the row confirms it.
        """
        import numpy as np

        value = self.numbers["value"]
        levels = {e.id: _LEVELS[e.kind] for e in self.catalogue.registry if e.kind in _LEVELS}
        self._derive("level", "reporter", levels.get)
        usable = ~self.failed & (self._codes("level")[0] >= 0) & ~np.isnan(value)
        usable &= ~self._unit_in("yes_no")
        noted = ~self._empty("note")
        chosen = np.flatnonzero(usable)
        if len(chosen) < MIN_PEERS:
            return
        # Each (indicator, period, level) as one integer, so that numpy sorts and groups it.
        group = np.zeros(len(chosen), dtype=np.int64)
        for name in ("indicator", "period_name", "level"):
            codes, uniques = self._codes(name)
            group = group * (len(uniques) + 1) + codes[chosen]
        order = np.argsort(group, kind="stable")
        bounds = np.flatnonzero(np.diff(group[order])) + 1
        outliers: list[tuple[int, float, int]] = []
        for members in np.split(order, bounds):
            if len(members) < MIN_PEERS:
                continue
            rows = chosen[members]
            figures = value[rows]
            median = float(np.median(figures))
            deviation = np.abs(figures - median)
            mad = float(np.median(deviation))
            if mad > 0:
                score = 0.6745 * deviation / mad
            else:
                mean = float(deviation.mean())
                if mean == 0:
                    continue
                score = deviation / (1.253314 * mean)
            for at in rows[(score > PEER_Z) & ~noted[rows]].tolist():
                outliers.append((at, median, len(rows)))
        if not outliers:
            return
        previous = self._previous_figures([at for at, _, _ in outliers])
        for at, median, peers in outliers:
            unit = self._units[self.columns["indicator"][at]]
            found = previous.get(at)
            last = (
                Message(
                    "label.peer-previous",
                    {"value": Quantity(found[0], unit), "period": found[1]},
                )
                if found
                else Message("label.peer-no-previous")
            )
            self._warn_one(
                at,
                "peer-outlier",
                median=Quantity(median, unit),
                peers=peers,
                period=self._value("period_name", at),
                previous=last,
            )

    def _warn_one(self, at: Any, code: str, **params: Any) -> None:
        columns = self.columns
        number = float(self.numbers["value"][at])
        self.findings.append(
            make_finding(
                code,
                file=columns["file"][at],
                line=int(columns["line"][at]),
                column="value",
                indicator=columns["indicator"][at],
                # A warning's figures are told in the reader's notation, never "xuống 48.25".
                value=shown(columns["value"][at]) if number != number else Number(number),
                **params,
            )
        )

    def observations(self) -> pd.DataFrame:
        """The rows that passed every rule, typed for scoring (the one place pandas is used)."""
        import numpy as np
        import pandas as pd

        columns = [
            "reporter",
            "period",
            "indicator",
            "value",
            "answer",
            "numerator",
            "denominator",
            "file",
            "line",
            "start",
            "end",
            "months",
            "note",
            "source",
        ]
        if not self.size:
            return pd.DataFrame({name: [] for name in columns})
        keep = ~self.failed & self.has_reporter
        periods = {p: f.period for p, f in self.good_files.items() if f.period}
        yes_no = self._unit_in("yes_no")[keep]
        answer = self._per_value(
            "value",
            lambda v: True if v.lower() in YES else False if v.lower() in NO else None,
            "object",
        )[keep]

        def cells(column: str) -> pd.Series:
            if column in self.columns:
                return pd.Series(_objects(self.columns[column])[keep], dtype=object).astype(str)
            codes, uniques = self._codes(column)
            return pd.Series(uniques[codes[keep]], dtype=object).astype(str)

        def number(column: str) -> pd.Series:
            return pd.Series(self.numbers[column][keep], dtype="float64")

        def per_file(attribute: str, dtype: str) -> pd.Series:
            found = self._per_value(
                "file",
                lambda p: getattr(periods[p], attribute) if p in periods else None,
                dtype,
            )
            return pd.Series(found[keep], dtype=dtype)

        frame = pd.DataFrame(
            {
                "reporter": cells("reporter"),
                "period": cells("period_name"),
                "indicator": cells("indicator"),
                "value": number("value"),
                "answer": pd.Series(answer, dtype=object).where(yes_no, None).astype(object),
                "numerator": number("numerator"),
                "denominator": number("denominator"),
                "file": cells("file"),
                "line": pd.Series(np.asarray(self.columns["line"], dtype=np.int64)[keep]),
                "start": per_file("start", "datetime64[s]"),
                "end": per_file("end", "datetime64[s]"),
                "months": per_file("months", "float64").astype("int64"),
                "note": cells("note"),
                "source": cells("source"),
            }
        )
        return frame.reset_index(drop=True)


def _objects(values: list[Any]) -> Objects:
    """`values` as a one-dimensional numpy array of objects (never split into more axes)."""
    import numpy as np

    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _shift_within(values: Any, runs: Any, by: int) -> Any:
    """`values` moved `by` rows down within each run of equal `runs` (sorted); NaN elsewhere."""
    import numpy as np

    shifted = np.full(len(values), np.nan)
    if by < len(values):
        shifted[by:] = np.where(runs[by:] == runs[:-by], values[:-by], np.nan)
    return shifted


def _median_of_valid(history: Any, counts: Any) -> Any:
    """Each row's median of its non-missing values (NaN below two), without nanmedian's cost."""
    import numpy as np

    ordered = np.sort(history, axis=1)  # NaN sorts last
    rows = np.arange(len(ordered))
    low = np.clip((counts - 1) // 2, 0, history.shape[1] - 1)
    high = np.clip(counts // 2, 0, history.shape[1] - 1)
    median = (ordered[rows, low] + ordered[rows, high]) / 2
    median[counts < 2] = np.nan
    return median


def _decimals(cell: str) -> float:
    """How many decimals a number cell shows ("94.70" shows two), at most `MAX_DECIMALS`."""
    found = re.search(r"\.([0-9]+)$", cell)
    return float(min(len(found.group(1)), MAX_DECIMALS)) if found else 0.0


def _first_overlap(
    entries: list[tuple[Period, str, Any]], period: Period, file: str
) -> tuple[Period, str] | None:
    """The first entry of another file whose period overlaps `period` (entries sorted by start).

    The same file twice is a duplicate row, which `duplicate-indicator` reports.
    """
    for other, other_file, _ in entries:
        if other.start > period.end:
            return None
        if other_file != file and other.overlaps(period) and not _year_and_part(other, period):
            return other, other_file
    return None


def reading_hint(
    cell: str, unit: str | None, otherwise: Message, convention: Convention | None = None
) -> Message:
    """What a cell written with separators means, by the grammar `fix` and `import` use: the
    one reading the unit or the file's `convention` leaves, or both readings in words;
    `otherwise` when neither helps."""
    number = convert_number(cell, unit, convention)
    if number.ambiguous:
        first, second = number.readings
        words = {"first_words": Words(first), "second_words": Words(second)}
        return Message("label.reading-two", {"first": first, "second": second, **words})
    if number.canonical != cell and NUMBER.fullmatch(number.canonical):
        spelled = number.canonical
        key = "label.reading-certain"
        if number.settled_by_unit:
            key = "label.reading-one"
        elif number.readings != ("", "") and convention in ("comma", "point"):
            key = f"label.reading-{convention}"
        return Message(key, {"spelled": spelled, "words": Words(spelled)})
    return otherwise


def _year_and_part(a: Period, b: Period) -> bool:
    """An annual report beside a shorter period of its own year: no overlap, since the year
    stands for its periods (`_annual_conflicts` checks that they agree)."""
    return (a.months == 12) != (b.months == 12) and a.year == b.year
