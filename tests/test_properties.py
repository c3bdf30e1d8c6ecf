"""Property-based tests: whatever bytes, text or YAML come in, `plan57` ends cleanly.

Clean means exit 0, 1 or 2, never a traceback, never the catch-all "internal error" (see
clirun.assert_clean). Example counts stay modest so that the suite runs in CI's time.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clirun import check_json, file_problems, invoke
from conftest import CATALOGUE, DataRepo, examples, make_repo
from gitrepo import git, init
from plan57.catalogue.loading import parse_catalogue
from plan57.errors import CatalogueError
from plan57.messages import SEVERITY

PROPERTY = settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
REAL_TEXT = CATALOGUE.read_text("utf-8")
HEADER = ["indicator", "value", "numerator", "denominator", "period", "note", "source"]
VALID_ROW = ["CT08", "79.8", "213", "267", "2025Q1", "", ""]
TARGET = "data/submissions/so-tc/2025Q1.csv"


@contextmanager
def fresh_repo() -> Iterator[DataRepo]:
    """A repository per example (hypothesis runs many examples in one test call)."""
    folder = tempfile.mkdtemp(prefix="plan57-property-")
    try:
        yield make_repo(Path(folder) / "repo")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def assert_report_shape(report: dict[str, Any]) -> None:
    assert report["ok"] == (report["errors"] == 0)
    assert report["errors"] + report["warnings"] == len(report["problems"])
    for problem in report["problems"]:
        assert problem["code"] in SEVERITY
        assert problem["severity"] == SEVERITY[problem["code"]]
        assert problem["message"] and problem["hint"]


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    # With "\n" alone as the terminator, Python's writer leaves a cell holding a lone CR unquoted.
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


# Text that looks like submissions: the cells and separators that matter, in any order.
CSVISH = st.lists(
    st.lists(
        st.one_of(
            st.sampled_from(["indicator", "value", "note", "CT08", "CT30", "2", "79.8", ""]),
            st.text(alphabet=',;"\t\r\n =+-@.0123456789eEnaiđếƯ\ufeff\u200b', max_size=8),
        ),
        max_size=6,
    ).map(",".join),
    max_size=8,
).map("\n".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1258", "cp1252"])


@st.composite
def submission_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["bytes", "csvish", "cut"]))
    if kind == "bytes":
        return draw(st.binary(max_size=600))
    text = draw(CSVISH)
    raw = text.encode(draw(ENCODINGS), errors="replace")
    if kind == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


@PROPERTY
@given(content=submission_bytes())
def test_any_bytes_as_a_submission(content: bytes) -> None:
    with fresh_repo() as repo:
        repo.write(TARGET, content)
        code, report = check_json(repo.root)
    # A submission can fail the check, but never stop the run.
    assert code in (0, 1)
    assert_report_shape(report)


@settings(PROPERTY, max_examples=examples(25))
@given(content=submission_bytes())
def test_any_bytes_through_every_command_that_reads_submissions(content: bytes) -> None:
    with fresh_repo() as repo:
        path = repo.write(TARGET, content)
        for args in (
            ["score", "--period", "2025Q4", "--as-of", "2026-06-30", "--format", "json"],
            ["status", "--period", "2025Q1", "--as-of", "2026-06-30", "--format", "json"],
            ["fix", "--check"],
        ):
            assert invoke(repo.root, *args).exit_code in (0, 1), args
        assert path.read_bytes() == content  # --check changes nothing
        fixed = invoke(repo.root, "fix")
        assert fixed.exit_code in (0, 1)
        if path.read_bytes() != content:
            # What `fix` writes is a file the checker can read: UTF-8, commas, a header.
            code, report = check_json(repo.root)
            assert code in (0, 1)
            assert not {"encoding", "delimiter", "nul-byte", "truncated", "bad-quotes"} & {
                problem["code"] for problem in file_problems(report)
            }


# A name is bytes on Linux; "/" separates folders and NUL ends the name.
NAME = st.binary(min_size=1, max_size=40).filter(
    lambda name: b"/" not in name and b"\x00" not in name and name not in (b".", b"..")
)


@PROPERTY
@given(folder=NAME, name=NAME)
def test_any_file_name_under_submissions(folder: bytes, name: bytes) -> None:
    with fresh_repo() as repo:
        base = os.fsencode(repo.root / "data" / "submissions")
        os.mkdir(base + b"/" + folder)
        with open(base + b"/" + folder + b"/" + name, "wb") as handle:
            handle.write(b"indicator,value\nCT30,2\n")
        code, report = check_json(repo.root)
        assert code in (0, 1)
        assert_report_shape(report)
        for output_format in ("human", "github"):
            invoke(repo.root, "check", "--as-of", "2026-06-30", "--format", output_format)


@PROPERTY
@given(cell=st.text(max_size=300), column=st.sampled_from(HEADER))
def test_any_text_as_a_cell(cell: str, column: str) -> None:
    row = list(VALID_ROW)
    row[HEADER.index(column)] = cell
    with fresh_repo() as repo:
        repo.write(TARGET, csv_bytes([HEADER, row]))
        code, report = check_json(repo.root)
    assert code in (0, 1)
    assert_report_shape(report)
    # Whatever the cell holds, what is wrong is about that file, and about its one row or the
    # file as a whole (a NUL byte, or a cell with more line breaks than a submission has rows).
    for problem in file_problems(report):
        assert problem["file"] == TARGET
        assert problem["line"] in (None, 2, 3) or problem["code"] == "nul-byte"


@PROPERTY
@given(note=st.text(max_size=300).filter(lambda text: "\x00" not in text))
def test_any_text_as_a_note_is_accepted(note: str) -> None:
    row = list(VALID_ROW)
    row[HEADER.index("note")] = note
    with fresh_repo() as repo:
        repo.write(TARGET, csv_bytes([HEADER, row]))
        code, report = check_json(repo.root)
    # Any text but control characters, which would rewrite a terminal.
    kept = note.strip()  # as check reads a cell: whitespace controls at the ends go
    controls = any((ord(ch) < 32 and ch not in "\t\n\r") or 0x7F <= ord(ch) <= 0x9F for ch in kept)
    assert [p["code"] for p in file_problems(report)] == (["control-character"] if controls else [])
    assert code == (1 if controls else 0)


# --- the catalogue ---

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates(),
)
YAML_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), inner, max_size=4),
    ),
    max_leaves=20,
)
LINES = REAL_TEXT.splitlines(keepends=True)


@st.composite
def mutated_catalogue(draw: st.DrawFn) -> str:
    """The real catalogue with one line deleted, doubled, replaced or cut, or the file cut."""
    lines = list(LINES)
    at = draw(st.integers(0, len(lines) - 1))
    how = draw(st.sampled_from(["delete", "double", "replace", "cut-line", "cut-file", "value"]))
    if how == "delete":
        del lines[at]
    elif how == "double":
        lines.insert(at, lines[at])
    elif how == "replace":
        lines[at] = draw(st.text(max_size=40)) + "\n"
    elif how == "cut-line":
        lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
    elif how == "value":
        # Keep the key, give it any YAML value.
        key, _, _ = lines[at].partition(":")
        value = yaml.safe_dump(draw(YAML_VALUES), default_flow_style=True).strip()
        lines[at] = f"{key}: {value}\n"
    else:
        return REAL_TEXT[: draw(st.integers(0, len(REAL_TEXT)))]
    return "".join(lines)


CATALOGUE_TEXT = st.one_of(
    st.text(max_size=200),
    YAML_VALUES.map(lambda value: yaml.safe_dump(value, allow_unicode=True)),
    mutated_catalogue(),
)


@PROPERTY
@given(text=CATALOGUE_TEXT)
def test_any_yaml_as_the_catalogue_parses_or_is_refused(text: str) -> None:
    try:
        parse_catalogue(text, "data/targets.yaml")
    except CatalogueError as error:
        assert error.code.startswith("catalogue-")
        assert isinstance(error.params.get("line", 1), int)
        assert str(error)


@settings(PROPERTY, max_examples=examples(30))
@given(text=CATALOGUE_TEXT)
def test_any_yaml_as_the_catalogue_through_the_commands(text: str) -> None:
    assume("\x00" not in text)
    with fresh_repo() as repo:
        repo.catalogue.write_text(text, encoding="utf-8", errors="surrogatepass")
        repo.write(TARGET, csv_bytes([HEADER, VALID_ROW]))
        check = invoke(repo.root, "check", "--as-of", "2026-06-30", "--format", "json")
        shown = invoke(repo.root, "catalogue", "--format", "json")
        table = invoke(repo.root, "catalogue")
    assert check.exit_code in (0, 1, 2)
    # The catalogue is shown exactly when it could be read.
    assert shown.exit_code in (0, 2)
    assert table.exit_code == shown.exit_code
    assert (check.exit_code == 2) == (shown.exit_code == 2)


@settings(PROPERTY, max_examples=examples(15))
@given(text=CATALOGUE_TEXT)
def test_any_yaml_in_the_catalogues_history(text: str) -> None:
    assume("\x00" not in text)
    with fresh_repo() as repo:
        init(repo.root)
        git(repo.root, "add", "-A")
        git(repo.root, "commit", "--quiet", "-m", "real", date="2026-01-05T09:00:00+07:00")
        repo.catalogue.write_text(text, encoding="utf-8", errors="surrogatepass")
        git(
            repo.root,
            "commit",
            "--quiet",
            "--allow-empty",
            "-am",
            "any",
            date="2026-02-05T09:00:00+07:00",
        )
        for args in (
            ["history", "--format", "json"],
            ["history", "CT05"],
            ["diff", "HEAD~1", "HEAD", "--format", "json"],
            ["score", "--period", "2025Q4", "--as-of", "2026-03-01", "--targets-at", "HEAD~1"],
        ):
            invoke(repo.root, *args)


OPTION_VALUES = st.text(max_size=30).filter(lambda text: "\x00" not in text)


@settings(PROPERTY, max_examples=examples(40))
@given(
    value=OPTION_VALUES,
    args=st.sampled_from(
        [
            ["check", "--as-of", "{}"],
            ["check", "--changed-since", "{}"],
            ["check", "{}"],
            ["score", "--period", "{}"],
            ["score", "--period", "2025Q4", "--targets-at", "{}"],
            ["report", "--period", "{}", "--format", "md"],
            ["status", "--period", "{}"],
            ["history", "{}"],
            ["history", "--since", "{}"],
            ["diff", "{}"],
            ["template", "--reporter", "{}", "--period", "2025Q4"],
            ["check", "--lang", "{}"],
        ]
    ),
)
def test_any_option_value(value: str, args: list[str]) -> None:
    with fresh_repo() as repo:
        init(repo.root)
        git(repo.root, "add", "-A")
        git(repo.root, "commit", "--quiet", "-m", "real", date="2026-01-05T09:00:00+07:00")
        invoke(repo.root, *[arg.replace("{}", value) for arg in args])
