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
IDS = ("CT04", "CT05", "CT08", "CT30", "CT11", "CT39")
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
        # A count is whole: "1.234" and "1,500" can only be thousands (issue 22).
        ("1.234", "count", Reading("1234", 1234.0)),
        ("1.234", "per_10k", Reading("1.234", 1.234)),
        ("85%", "count", Reading("85%", None, "not-a-number")),
        ("1,500", "count", Reading("1500", 1500.0)),
        ("1,000", "count", Reading("1,000", None, "ambiguous-number")),
        ("1,500", "per_10k", Reading("1,500", None, "ambiguous-number")),
        # A share is at most 100: "1,500%" and "61,725" can only be decimals.
        ("1,500%", "percent", Reading("1.500", 1.5)),
        ("61,725", "percent", Reading("61.725", 61.725)),
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


# Figures written with a separator that looks like grouping: "1.400", "61,725", "1,000".
_GROUPED = st.builds(
    lambda whole, mark, fraction: f"{whole}{mark}{fraction}",
    st.integers(1, 999).map(str),
    st.sampled_from([".", ","]),
    st.text(st.sampled_from("0123456789"), min_size=3, max_size=3),
)
RANGE = ("fractional-count", "percent-out-of-range", "index-out-of-range")


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.tuples(st.sampled_from(IDS), st.one_of(_FIGURE, _GROUPED)), min_size=1, max_size=4)
)
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
        original = rows[problem.line - 1][1]
        touched = value != original.strip()
        assert not (touched and problem.code in NUMERIC), (rows, written, problem)
        # A reading the unit settled fits the unit: a whole count, a share within 100.
        settled = grammar.convert_number(original, CATALOGUE_UNITS[indicator]).settled_by_unit
        assert not (settled and problem.code in RANGE), (rows, written, problem)
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
    repair = repair_bytes(raw, file="x.csv", units={"CT30": "per_10k"})
    assert repair.refused
    [problem] = repair.problems
    assert problem.code == "fix-ambiguous"
    # Both readings in words, and two spellings that differ to a Vietnamese reader too.
    assert "một nghìn năm trăm hoặc một phẩy năm" in problem.message("vi")
    assert "ghi 1500" not in problem.hint("vi")
    assert "Sửa ô thành 1500 nếu là một nghìn năm trăm, hoặc 1.5 nếu là một phẩy năm" in (
        problem.hint("vi")
    )


@pytest.mark.parametrize(
    ("rows", "written"),
    [
        # A count is a whole number, whatever the file's decimal mark.
        ([["CT08", "87,5"], ["CT30", "1.400"]], [["CT08", "87.5"], ["CT30", "1400"]]),
        ([["CT30", "1,400"]], [["CT30", "1400"]]),
        # A share is at most 100 per cent: sixty-one point seven two five.
        ([["CT08", "61,725"]], [["CT08", "61.725"]]),
        # Where the unit allows both, the file's own decimal mark settles it.
        ([["CT08", "87,5"], ["CT30", "1,000"]], [["CT08", "87.5"], ["CT30", "1.000"]]),
        ([["CT08", "87.5"], ["CT30", "1,000"]], [["CT08", "87.5"], ["CT30", "1000"]]),
        ([["CT08", "87,5"], ["CT06", "1.234"]], [["CT08", "87.5"], ["CT06", "1234"]]),
    ],
)
def test_the_unit_and_the_file_settle_a_separator(
    rows: list[list[str]], written: list[list[str]]
) -> None:
    units = {"CT08": "percent", "CT30": "count", "CT06": "per_10k"}
    header = ["indicator", "value"]
    repair = repair_bytes(_csv([header, *rows], ";"), file="x.csv", units=units)
    assert not repair.refused, [p.message("en") for p in repair.problems]
    assert repair.data == _csv([header, *written]).replace(b"\r\n", b"\n")


def test_a_file_of_two_minds_settles_nothing() -> None:
    rows = [["indicator", "value"], ["CT08", "87,5"], ["CT09", "12.5"], ["CT06", "1.234"]]
    units = {"CT08": "percent", "CT09": "percent", "CT06": "per_10k"}
    repair = repair_bytes(_csv(rows, ";"), file="x.csv", units=units)
    assert [(p.code, p.line) for p in repair.problems] == [("fix-ambiguous", 4)]
    assert "một nghìn hai trăm ba mươi bốn hoặc một phẩy hai ba bốn" in repair.problems[0].message(
        "vi"
    )


def test_check_says_what_fix_will_read() -> None:
    from plan57.messages import Message
    from plan57.submissions.rules import reading_hint

    none = Message("label.reading-none")
    assert reading_hint("61,725", "percent", none).render("vi") == (
        "Theo đơn vị của chỉ tiêu, ô này chỉ có thể là sáu mươi mốt phẩy bảy hai năm: ghi 61.725"
    )
    assert "1500 nếu là một nghìn năm trăm" in reading_hint("1,500", "per_10k", none).render("vi")
    assert reading_hint("1.5", "count", none) is none


def test_fix_through_the_cli_uses_the_catalogue_units(tmp_path: Path) -> None:
    from clirun import invoke

    repo = make_repo(tmp_path / "repo")
    path = repo.submit("so-tc", "2025", 'indicator,value\nct08,"84,2%"\nCT30,3\n')
    assert invoke(repo.root, "fix", "--lang", "en").exit_code == 0
    assert path.read_bytes() == b"indicator,value\nCT08,84.2\nCT30,3\n"


@pytest.mark.parametrize(
    ("value", "unit", "reference", "fraction"),
    [
        (0.255, "percent", 20.9, True),  # last year's 20,9%: 25,5% was meant
        (0.12, "percent", 30.0, True),  # the 2030 target of 30%
        (0.72, "percent_grdp", 8.0, False),  # 72% of GRDP is no more likely than 0,72%
        (0.3, "percent", 2.0, False),  # beside 2%, 0,3% is plausible: 30% is not
        (0.5, "percent", None, False),  # nothing to read it beside
        (0.0, "percent", 60.0, False),  # nought is nought
        (0.5, "count", 60.0, False),
    ],
)
def test_a_percentage_typed_as_a_fraction(
    value: float, unit: str, reference: float | None, fraction: bool
) -> None:
    assert grammar.likely_fraction(value, unit, reference) is fraction


@pytest.mark.parametrize(
    ("rows", "cell", "written"),
    [
        ([["CT08", "87,5"], ["CT30", "1,000"]], "1,000", "1.000"),  # the file's decimal comma
        ([["CT08", "87.5"], ["CT30", "1,000"]], "1,000", "1000"),  # its decimal point
        ([["CT30", "1.400"]], "1.400", "1400"),  # a count is whole
        ([["CT08", "61,725"]], "61,725", "61.725"),  # a share is at most 100
    ],
)
def test_what_check_says_a_cell_means_is_what_fix_writes(
    tmp_path: Path, rows: list[list[str]], cell: str, written: str
) -> None:
    repo = make_repo(tmp_path / "repo")
    path = repo.submit("so-tc", "2025", _csv([["indicator", "value"], *rows]))
    report = check_repository(repo.root, as_of=AS_OF).report
    hints = [p.hint("en") for p in report.problems if p.file and p.file.endswith("2025.csv")]
    assert any(f"write {written}" in hint for hint in hints), hints
    repair = repair_bytes(path.read_bytes(), file="x.csv", units=CATALOGUE_UNITS)
    assert repair.data is not None
    fixed = dict(csv.reader(io.StringIO(repair.data.decode("utf-8"))))
    assert fixed[next(i for i, value in rows if value == cell)] == written


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
