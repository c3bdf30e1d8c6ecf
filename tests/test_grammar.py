"""plan57.grammar: one grammar for check, fix, status and the Excel import, so that they agree.

The property at the heart of it: whatever `fix` writes, `check` accepts the values it touched,
or `fix` refuses the file.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import AS_OF, CATALOGUE, examples, make_repo
from plan57 import grammar
from plan57.catalogue.loading import load_catalogue
from plan57.grammar import MAX_VALUE, Reading, exact, exact_sum, read_cell
from plan57.submissions.repair import repair_bytes
from plan57.submissions.rules import check_repository

# Indicators of the real catalogue, with their units; the grammar's findings (a range is about
# the value, not its spelling).
CATALOGUE_UNITS = {i.id: i.unit for i in load_catalogue(CATALOGUE).indicators}
IDS = ("CT04", "CT05", "CT08", "CT30")
NUMERIC = ("not-a-number", "ambiguous-number", "value-too-large")


@pytest.mark.parametrize(
    ("cell", "unit", "reading"),
    [
        ("85", "percent", Reading("85", 85.0)),
        ("85%", "percent", Reading("85", 85.0)),
        ("1,2%", "percent", Reading("1.2", 1.2)),
        (" 85 % ", "percent", Reading("85", 85.0)),
        ("\u00a01.5\u00a0", "count", Reading("1.5", 1.5)),
        ("１.５", "count", Reading("1.5", 1.5)),
        ("１２３", "count", Reading("123", 123.0)),
        ("1.234.567", "count", Reading("1234567", 1234567.0)),
        ("1.234", "count", Reading("1.234", 1.234)),
        ("85%", "count", Reading("85%", None, "not-a-number")),
        ("1,500", "count", Reading("1,500", None, "ambiguous-number")),
        ("1,500%", "percent", Reading("1,500%", None, "ambiguous-number")),
        ("1" + "0" * 308, "count", Reading("1" + "0" * 308, None, "value-too-large")),
        ("٣", "count", Reading("٣", None, "not-a-number")),
        ("1e3", "count", Reading("1e3", None, "not-a-number")),
        ("Có", "yes_no", Reading("Có", True)),
        ("không", "yes_no", Reading("không", False)),
        ("maybe", "yes_no", Reading("maybe", None, "not-yes-no")),
        ("", "count", Reading("", None)),
    ],
)
def test_read_cell(cell: str, unit: str, reading: Reading) -> None:
    assert read_cell(cell, unit) == reading


def test_lower_case_ids_and_the_sniffer() -> None:
    assert grammar.canonical_indicator("ct05") == "CT05"
    assert grammar.canonical_indicator("ct5") == "ct5"  # not certain: check suggests CT05
    assert grammar.legacy_encoding("Hòa".encode("cp1252")) == "windows-1252"
    assert grammar.legacy_encoding(b"N\xf4\xf2i") == "windows-1258"
    assert grammar.legacy_encoding(b"plain ascii") == "windows-1252"


def _csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


# Cells as Excel and people write figures: digits of either width, either decimal mark, groups,
# a percent sign, spaces of every kind around them.
_DIGITS = st.sampled_from("0123456789０１２３４５６７８９")
_FIGURE = st.builds(
    lambda lead, whole, mark, fraction, percent, space: (
        f"{space}{lead}{whole}{mark}{fraction}{percent}{space}"
    ),
    st.sampled_from(["", "-", "+", "１"]),
    st.text(_DIGITS, min_size=1, max_size=7),
    st.sampled_from(["", ".", ",", "．", "，"]),
    st.text(_DIGITS, max_size=4),
    st.sampled_from(["", "%", " %", "％"]),
    st.sampled_from(["", " ", "\u00a0", "\u202f"]),
)


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.sampled_from(IDS), _FIGURE), min_size=1, max_size=4))
def test_what_fix_writes_check_accepts(tmp_path: Path, cells: list[tuple[str, str]]) -> None:
    rows = [["indicator", "value"]]
    for indicator, figure in dict(cells).items():
        rows.append([indicator.lower(), figure])
    repair = repair_bytes(_csv(rows), file="data/submissions/so-tc/2025.csv", units=CATALOGUE_UNITS)
    if repair.refused:
        return
    assert repair.data is not None
    root = tmp_path / f"repo{abs(hash(repair.data))}"
    repo = make_repo(root)
    repo.submit("so-tc", "2025", repair.data)
    report = check_repository(repo.root, as_of=AS_OF).report
    written = list(csv.reader(io.StringIO(repair.data.decode("utf-8"))))
    for problem in report.problems:
        if problem.file == "data/targets.yaml" or problem.line is None:
            continue
        indicator, value = written[problem.line - 1]
        # A value fix touched is one check accepts; one it left alone may still be wrong.
        touched = value != rows[problem.line - 1][1].strip()
        assert not (touched and problem.code in NUMERIC), (rows, written, problem)
        assert problem.code != "unknown-indicator", (rows, written, problem)


def test_full_width_digits_are_converted_not_left_for_check_to_reject(tmp_path: Path) -> None:
    raw = _csv([["indicator", "value"], ["CT30", "１.５"], ["CT08", "85%"], ["ct34", "3"]])
    units = {"CT30": "count", "CT08": "percent", "CT34": "count"}
    repair = repair_bytes(raw, file="data/submissions/so-tc/2025.csv", units=units)
    assert repair.data == b"indicator,value\nCT30,1.5\nCT08,85\nCT34,3\n"
    assert {change.code for change in repair.changes} >= {
        "full-width",
        "percent-sign",
        "indicator-case",
    }


def test_fix_never_guesses_1500(tmp_path: Path) -> None:
    raw = _csv([["indicator", "value"], ["CT30", "1,500"]])
    repair = repair_bytes(raw, file="x.csv", units={"CT30": "count"})
    assert repair.refused
    assert [p.code for p in repair.problems] == ["fix-ambiguous"]


def test_fix_through_the_cli_uses_the_catalogue_units(tmp_path: Path) -> None:
    from clirun import invoke

    repo = make_repo(tmp_path / "repo")
    path = repo.submit("so-tc", "2025", 'indicator,value\nct08,"84,2%"\nCT30,3\n')
    assert invoke(repo.root, "fix", "--lang", "en").exit_code == 0
    assert path.read_bytes() == b"indicator,value\nCT08,84.2\nCT30,3\n"


@settings(max_examples=examples(300), deadline=None)
@given(
    st.decimals(
        min_value=-MAX_VALUE, max_value=MAX_VALUE, allow_nan=False, allow_infinity=False, places=6
    )
)
def test_exact_is_the_value_as_written(written: Decimal) -> None:
    # A cell of at most 15 significant digits reads back exactly as its text.
    if len(written.normalize().as_tuple().digits) > 15:
        return
    assert exact(float(str(written))) == Fraction(written)


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.decimals(min_value=0, max_value=10**9, places=4), max_size=30))
def test_exact_sum_adds_exactly(values: list[Decimal]) -> None:
    fractions = [Fraction(v) for v in values]
    assert exact_sum(fractions) == sum(fractions, Fraction(0))
