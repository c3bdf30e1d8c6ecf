"""Hostile input: every file of the corpus gets exactly its declared outcome, and nothing crashes.

The committed corpus and its outcomes are in tests/data/hostile/ (expected.yaml). What cannot be
committed is built here: a 5 MB cell, a million rows, file names that are not UTF-8, symbolic
links out of the repository, an empty repository, a missing catalogue, hostile YAML.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from clirun import check_json, file_problems, invoke
from conftest import PROJECT, REAL_CATALOGUE, TEST_DATA, DataRepo, make_repo, nest, unnest
from plan57.catalogue.loading import parse_catalogue
from plan57.errors import CatalogueError
from plan57.findings import PER_CODE
from plan57.submissions.reading import MAX_LINES

CORPUS = TEST_DATA / "hostile"
CASES: list[dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text("utf-8"))["cases"]
TARGET = "data/submissions/so-tc/2025Q1.csv"
# Characters that must never reach a terminal or a CI log raw: escape sequences, bidi overrides.
RAW_CONTROLS = ("\x1b", "\u202e", "\u2066", "\x00")


def outcome(report: dict[str, Any]) -> list[tuple[str, int | None, str | None]]:
    return [(p["code"], p["line"], p["column"]) for p in file_problems(report)]


def corpus_repo(tmp_path: Path, name: str) -> DataRepo:
    repo = make_repo(tmp_path / "repo")
    repo.write(TARGET, (CORPUS / name).read_bytes())
    return repo


def test_every_corpus_file_has_an_expected_outcome() -> None:
    declared = sorted(case["file"] for case in CASES)
    assert declared == sorted(path.name for path in CORPUS.glob("*.csv"))


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_corpus_file_gets_its_declared_outcome(tmp_path: Path, case: dict[str, Any]) -> None:
    repo = corpus_repo(tmp_path, case["file"])
    code, report = check_json(repo.root)
    assert code == case["exit"]
    expected = [(p["code"], p["line"], p["column"]) for p in case["problems"]]
    assert outcome(report) == expected
    for problem, declared in zip(file_problems(report), case["problems"], strict=True):
        assert problem["file"] == TARGET
        for fragment in declared.get("says", []):
            assert fragment in problem["message"]


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
@pytest.mark.parametrize("output_format", ["human", "github"])
def test_corpus_file_prints_cleanly(
    tmp_path: Path, case: dict[str, Any], output_format: str
) -> None:
    repo = corpus_repo(tmp_path, case["file"])
    result = invoke(
        repo.root, "check", "--as-of", "2026-06-30", "--lang", "vi", "--format", output_format
    )
    assert result.exit_code == case["exit"]
    for raw in RAW_CONTROLS:
        assert raw not in result.output
    # Data never ends a line: no line of any output starts with a command the data wrote.
    assert not [line for line in result.output.splitlines() if line.startswith("::error file=R")]


# The other commands that read submissions meet the same files.
READERS = {
    "fix --check": ["fix", "--check"],
    "status": ["status", "--period", "2025Q1", "--as-of", "2026-06-30", "--format", "json"],
    "score": ["score", "--period", "2025Q4", "--as-of", "2026-06-30", "--format", "json"],
}


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
@pytest.mark.parametrize("reader", list(READERS))
def test_corpus_file_through_the_other_readers(
    tmp_path: Path, case: dict[str, Any], reader: str
) -> None:
    repo = corpus_repo(tmp_path, case["file"])
    before = (repo.root / TARGET).read_bytes()
    assert invoke(repo.root, *READERS[reader]).exit_code in (0, 1)
    assert (repo.root / TARGET).read_bytes() == before


def test_markup_in_cells_is_printed_as_text(tmp_path: Path) -> None:
    repo = corpus_repo(tmp_path, "markup-in-notes.csv")
    result = invoke(repo.root, "check", "--as-of", "2026-06-30", "--lang", "en")
    # rich would swallow "[red]…[/red]" as a style if the message were not escaped.
    assert "“[red]1[/red]”" in result.stdout
    assert "“<b>81.6</b>”" in result.stdout


# --- what cannot be committed ---


def test_five_megabyte_cells(tmp_path: Path) -> None:
    big = "x" * 5_000_000
    repo = make_repo(tmp_path / "repo")
    # In a note a long text is fine; as a value it is one finding that quotes only its start.
    repo.submit("so-tc", "2025Q1", f"indicator,value,note\nCT30,2,{big}\nCT34,{big},\n")
    # In the header it is an unknown column, named briefly too.
    repo.submit("so-tc", "2025Q2", f"indicator,value,{big}\nCT30,2,\n")
    code, report = check_json(repo.root)
    assert code == 1
    assert outcome(report) == [
        ("not-a-number", 3, "value"),
        ("unknown-column", 1, "x" * 39 + "…"),
    ]
    assert len(json.dumps(report)) < 20_000


def test_a_million_rows_is_one_finding(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.submit("so-tc", "2025Q1", b"indicator,value\n" + b"CT30,2\n" * 1_000_000)
    # Lone CRs (old Mac line ends) count as lines too.
    repo.submit("so-tc", "2025Q2", b"indicator,value\r" + b"CT30,2\r" * 1_000_000)
    code, report = check_json(repo.root)
    assert code == 1
    assert outcome(report) == [("too-many-rows", None, None), ("too-many-rows", None, None)]
    assert "1000001" in file_problems(report)[0]["message"]


def test_a_file_at_the_line_limit_is_still_checked(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    rows = MAX_LINES - 1  # and the header: exactly MAX_LINES lines
    repo.submit("so-tc", "2025Q1", "indicator,value\n" + "CT30,2\n" * rows)
    code, report = check_json(repo.root)
    assert code == 1
    # Every row is checked; the findings are capped, with one finding counting the rest.
    problems = file_problems(report)
    assert [p["code"] for p in problems].count("duplicate-indicator") == PER_CODE
    (summary,) = [p for p in problems if p["code"] == "too-many-findings"]
    assert f"{rows - 1 - PER_CODE} more “duplicate-indicator”" in summary["message"]


def _bytes_name(path: Path, name: bytes) -> bytes:
    return os.fsencode(path) + b"/" + name


def test_file_names_that_are_not_text(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    submissions = repo.root / "data" / "submissions"
    (submissions / "so-tc").mkdir()
    names = {
        _bytes_name(submissions / "so-tc", b"2025Q1\xff.csv"): "so-tc/2025Q1\\xff.csv",
        _bytes_name(submissions, b"so-\xe9"): "so-\\xe9/2025Q1.csv",
        _bytes_name(submissions / "so-tc", b"2025Q2\x1b[2J.csv"): "so-tc/2025Q2\\u001b[2J.csv",
        _bytes_name(submissions / "so-tc", "\u202e2025Q3.csv".encode()): "so-tc/\\u202e2025Q3.csv",
        # A line break in a name must not forge a second GitHub annotation.
        _bytes_name(submissions / "so-tc", b"2025Q4\n::error file=x::forged.csv"): (
            "so-tc/2025Q4\\u000a::error file=x::forged.csv"
        ),
    }
    content = b"indicator,value\nCT30,2\n"
    try:
        for name in names:
            if name.endswith(b"so-\xe9"):
                os.mkdir(name)
                with open(name + b"/2025Q1.csv", "wb") as handle:
                    handle.write(content)
            else:
                with open(name, "wb") as handle:
                    handle.write(content)
    except OSError as error:  # some file systems (APFS) refuse names that are not UTF-8
        pytest.skip(f"this file system refuses such names: {error}")
    code, report = check_json(repo.root)
    assert code == 1
    expected = sorted(f"data/submissions/{shown}" for shown in names.values())
    assert sorted(p["file"] for p in file_problems(report)) == expected
    assert {p["code"] for p in file_problems(report)} == {"bad-file-name"}
    for output_format in ("human", "github"):
        result = invoke(repo.root, "check", "--as-of", "2026-06-30", "--format", output_format)
        assert result.exit_code == 1
        for raw in RAW_CONTROLS:
            assert raw not in result.output
        assert not any(line.startswith("::error file=x") for line in result.output.splitlines())


class _Opened:
    """Every path the process opens or lists while recording (Python's audit hooks)."""

    installed = False
    paths: list[str] | None = None

    @classmethod
    def hook(cls, event: str, args: tuple[Any, ...]) -> None:
        if cls.paths is not None and event in ("open", "os.listdir", "os.scandir") and args:
            target = args[0]
            if isinstance(target, (str, bytes, os.PathLike)):
                cls.paths.append(os.path.realpath(os.fsdecode(target)))

    @classmethod
    def record(cls) -> list[str]:
        if not cls.installed:
            sys.addaudithook(cls.hook)  # hooks cannot be removed; it records only on demand
            cls.installed = True
        cls.paths = []
        return cls.paths

    @classmethod
    def stop(cls) -> None:
        cls.paths = None


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the repository with a valid-looking submission in it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.csv").write_text("indicator,value\nCT30,2\n", encoding="utf-8")
    (folder / "2025Q1.csv").write_text("indicator,value\nCT15,3\n", encoding="utf-8")
    return folder


def test_links_out_of_the_repository_are_refused_and_never_followed(
    tmp_path: Path, outside: Path
) -> None:
    repo = make_repo(tmp_path / "repo")
    submissions = repo.root / "data" / "submissions"
    (submissions / "so-tc").mkdir()
    (submissions / "so-tc" / "2025Q1.csv").symlink_to(outside / "secret.csv")
    (submissions / "so-nv").symlink_to(outside, target_is_directory=True)
    repo.submit("so-tc", "2025Q2", "indicator,value\nCT30,2\n")
    opened = _Opened.record()
    try:
        code, report = check_json(repo.root)
    finally:
        _Opened.stop()
    assert code == 1
    assert outcome(report) == [("link-refused", None, None), ("link-refused", None, None)]
    assert [p["file"] for p in file_problems(report)] == [
        "data/submissions/so-nv",
        TARGET,
    ]
    # The recording works (the real file was read) and nothing outside was opened or listed.
    assert str((submissions / "so-tc" / "2025Q2.csv").resolve()) in opened
    real_outside = str(outside.resolve())
    assert not [path for path in opened if path.startswith(real_outside)]


def test_a_linked_submissions_folder_is_refused(tmp_path: Path, outside: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    submissions = repo.root / "data" / "submissions"
    submissions.rmdir()
    submissions.symlink_to(outside, target_is_directory=True)
    code, report = check_json(repo.root)
    assert code == 1
    assert [(p["code"], p["file"]) for p in file_problems(report)] == [
        ("link-refused", "data/submissions")
    ]


def test_paths_given_on_the_command_line_stay_inside(tmp_path: Path, outside: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    link = repo.root / TARGET
    link.parent.mkdir(parents=True)
    link.symlink_to(outside / "secret.csv")
    for given in (outside / "secret.csv", repo.root / ".." / "outside" / "secret.csv"):
        result = invoke(repo.root, "check", "--lang", "en", str(given))
        assert result.exit_code == 2
        assert "outside the data repository" in result.stderr
    # A link at a submission path is a link, wherever it points (test_hostile_pr).
    assert invoke(repo.root, "check", "--lang", "en", str(link)).exit_code == 1


def test_a_linked_catalogue_is_not_read(tmp_path: Path, outside: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (outside / "targets.yaml").write_bytes(REAL_CATALOGUE.read_bytes())
    repo.catalogue.unlink()
    repo.catalogue.symlink_to(outside / "targets.yaml")
    opened = _Opened.record()
    try:
        result = invoke(repo.root, "check", "--lang", "en")
    finally:
        _Opened.stop()
    assert result.exit_code == 2
    assert "catalogue" in result.stderr
    assert str((outside / "targets.yaml").resolve()) not in opened


def test_an_empty_repository(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke(empty, "check", "--lang", "en")
    assert result.exit_code == 2
    assert "data/targets.yaml was not found" in result.stderr
    assert result.stdout == ""


def test_a_repository_with_a_catalogue_and_no_submissions(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo.root / "data" / "submissions").rmdir()
    code, report = check_json(repo.root)
    assert code == 0
    assert file_problems(report) == []


def test_a_missing_catalogue(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.submit("so-tc", "2025Q1", "indicator,value\nCT30,2\n")
    repo.catalogue.unlink()
    for lang, says in (("en", "was not found"), ("vi", "Không tìm thấy")):
        result = invoke(repo.root, "check", "--lang", lang)
        assert result.exit_code == 2
        assert says in result.stderr
        assert "data/targets.yaml" in result.stderr


# --- hostile YAML in the catalogue ---

REAL_TEXT = REAL_CATALOGUE.read_text("utf-8")


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
        "!!python/name:os.system",
        "!!python/module:os",
        "!plan57/custom {{a: 1}}",
    ],
)
def test_yaml_tags_that_build_objects_are_refused(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "ran"
    text = REAL_TEXT.replace("\nschema: 1\n", f"\nschema: {tag.format(marker=marker)}\n", 1)
    assert text != REAL_TEXT
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, "data/targets.yaml")
    assert caught.value.code == "catalogue-yaml"
    repo = make_repo(tmp_path / "repo")
    repo.catalogue.write_text(text, encoding="utf-8")
    result = invoke(repo.root, "check", "--lang", "en")
    assert result.exit_code == 2
    assert "invalid YAML" in result.stderr
    assert not marker.exists()


BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]"
            for i in range(8)
        ),
    ]
)


def _fan_out(count: int) -> str:
    """The real catalogue with one 1 MB string repeated `count` times through an alias."""
    big = "x" * 1_000_000
    anchor = '    name_en: "Communes and wards"\n'
    assert anchor in REAL_TEXT
    members = ", ".join(["*big"] * count)
    return REAL_TEXT.replace(anchor, f'    name_en: &big "{big}"\n    members: [{members}]\n', 1)


@pytest.mark.parametrize(
    "text",
    [
        BILLION_LAUGHS,
        _fan_out(1000),
        REAL_TEXT.replace("\nscoring:\n", "\nscoring: &s\n", 1) + "extra: {<<: *s}\n",
    ],
    ids=["billion-laughs", "string-fan-out", "merge-key"],
)
def test_yaml_aliases_are_refused(text: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, "data/targets.yaml")
    assert caught.value.code == "catalogue-yaml"
    assert "aliases" in caught.value.params["reason"]


def _limits() -> None:
    # A bound, not a timing: the kernel stops the run if the bomb ever goes off.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


@pytest.mark.parametrize("count", [200_000], ids=["200k-aliases-of-1MB"])
def test_alias_bomb_is_bounded_in_memory_and_time(tmp_path: Path, count: int) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.catalogue.write_text(_fan_out(count), encoding="utf-8")
    # Expanded, this catalogue's JSON would be 200 GB.
    completed = subprocess.run(
        [sys.executable, "-m", "plan57", "--root", str(repo.root), "catalogue", "--format", "json"],
        capture_output=True,
        env={**os.environ, "PLAN57_LANG": "en"},
        preexec_fn=_limits,
        timeout=300,
        cwd=PROJECT,
        check=False,
    )
    assert completed.returncode == 2, completed.stderr[-2000:]
    assert completed.stdout == b""
    assert b"aliases" in completed.stderr


# --- hostile text in what plan57 publishes ---


def test_markup_and_template_syntax_reach_the_report_as_text(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "data", root / "data")
    catalogue = root / "data" / "targets.yaml"
    text = catalogue.read_text("utf-8")
    at = text.index("id: CT30\n")
    start = text.index("name_en: ", at)
    end = text.index("\n", start)
    hostile = "<script>alert(1)</script> {{ 7*7 }} {% raw %}"
    catalogue.write_text(text[:start] + f'name_en: "{hostile}"' + text[end:], encoding="utf-8")
    notes = root / "data" / "submissions" / "so-tc" / "2025Q4.csv"
    lines = notes.read_text("utf-8").splitlines()
    assert lines[0].endswith(",note") and lines[1].endswith(",")
    lines[1] += '"<script>alert(2)</script> {{ 6*7 }}"'
    notes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke(
        root,
        "report",
        "--period",
        "2025Q4",
        "--as-of",
        "2026-03-01",
        "--format",
        "html",
        "--lang",
        "en",
    )
    assert result.exit_code == 0
    html = result.stdout
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} {% raw %}" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt; {{ 6*7 }}" in html


# --- round two (issue 11): links in the path, things that are not files, depth, size ---

EVERY_READER = {
    "check": ["check", "--as-of", "2026-06-30", "--format", "json"],
    **READERS,
    "fix": ["fix"],
    "report": ["report", "--period", "2025Q4", "--as-of", "2026-06-30", "--format", "md"],
}


@pytest.mark.parametrize("reader", list(EVERY_READER))
def test_a_fifo_and_deep_folders_end_cleanly(tmp_path: Path, reader: str) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.submit("so-tc", "2025Q4", "indicator,value\nCT30,2\n")
    os.mkfifo(repo.root / "data" / "submissions" / "so-tc" / "2025Q1.csv")
    deep = repo.root / "data" / "submissions" / "so-nv"
    nest(deep, 1_500)
    try:
        # A FIFO opened for reading would wait here forever; a recursive walk would crash.
        result = invoke(repo.root, *EVERY_READER[reader], "--lang", "en")
    finally:
        unnest(deep)
    assert result.exit_code in (0, 1)
    if reader.startswith(("check", "fix")):
        assert "not a regular file (FIFO)" in result.output or "FIFO" in result.output
        assert "nested too deep" in result.output
    assert stat.S_ISFIFO(
        os.lstat(repo.root / "data" / "submissions" / "so-tc" / "2025Q1.csv").st_mode
    )


def test_fix_through_a_linked_folder_writes_nothing_outside_data(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    elsewhere = repo.write("elsewhere/2025Q1.csv", "indicator;value\r\nCT30;2\r\n")
    before = elsewhere.read_bytes()
    (repo.root / "data" / "submissions" / "so-zz").symlink_to(
        "../../elsewhere", target_is_directory=True
    )
    given = repo.root / "data" / "submissions" / "so-zz" / "2025Q1.csv"
    for arguments in (["fix", str(given)], ["fix"], ["fix", str(given.parent)]):
        result = invoke(repo.root, *arguments, "--lang", "en")
        assert result.exit_code == 1, result.output
        assert "link-refused" in result.output
        assert elsewhere.read_bytes() == before
    code, report = check_json(repo.root, str(given))
    assert code == 1
    assert [(p["code"], p["file"]) for p in file_problems(report)] == [
        ("link-refused", "data/submissions/so-zz")
    ]


def test_a_submissions_file_is_an_error_for_check_and_fix(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    base = repo.root / "data" / "submissions"
    base.rmdir()
    base.write_bytes(b"indicator;value\r\nCT30;2\r\n")
    code, report = check_json(repo.root)
    assert code == 1
    assert [p["code"] for p in file_problems(report)] == ["submissions-not-folder"]
    result = invoke(repo.root, "fix", "--lang", "en")
    assert result.exit_code == 1
    assert base.read_bytes() == b"indicator;value\r\nCT30;2\r\n"


def test_fix_check_on_an_unreadable_file_names_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "repo")
    path = repo.submit("so-tc", "2025Q1", "indicator,value\nCT30,2\n")
    real_open = os.open

    def refuse(name: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(name) == str(path):
            raise PermissionError(13, "Permission denied", name)
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = invoke(repo.root, "fix", "--check", "--lang", "en")
    assert result.exit_code == 1
    assert "Could not be read: Permission denied" in result.output


def test_a_huge_file_is_judged_by_its_size_and_never_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    path = repo.submit("so-tc", "2025Q1", "indicator,value\n")
    with open(path, "r+b") as handle:
        handle.truncate(2 << 30)  # sparse: 2 GB that take no disk space
    code, report = check_json(repo.root)
    fixed = invoke(repo.root, "fix", "--check", "--lang", "en")
    assert code == 1
    assert [p["code"] for p in file_problems(report)] == ["too-large"]
    assert fixed.exit_code == 1 and "too-large" in fixed.output


def test_a_million_unknown_columns_make_a_bounded_report(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    header = ",".join(f"c{i}" for i in range(1_000_000))
    repo.submit("so-tc", "2025Q1", f"indicator,value,{header}\nCT30,2{',' * 1_000_000}\n")
    result = invoke(repo.root, "check", "--as-of", "2026-06-30", "--format", "github")
    assert result.exit_code == 1
    annotations = [line for line in result.output.splitlines() if "so-tc" in line]
    assert len(annotations) == PER_CODE + 1
    assert len(result.output) < 100_000


# --- bounds: every number finite and bounded, periods within the plan's century ---


@pytest.mark.parametrize(
    "arguments",
    [
        ["score", "--period", "9999"],
        ["status", "--period", "9999M12"],
        ["report", "--period", "9999Q4"],
    ],
)
def test_periods_beyond_the_bounds_are_a_clear_error(tmp_path: Path, arguments: list[str]) -> None:
    repo = make_repo(tmp_path / "repo")
    result = invoke(repo.root, *arguments, "--lang", "en")
    assert result.exit_code == 2
    assert "is not a valid reporting period" in result.stderr


def test_a_huge_count_is_refused_and_the_report_still_renders(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "data", root / "data")
    path = root / "data" / "submissions" / "so-khcn" / "2025Q4.csv"
    text = path.read_text("utf-8")
    assert "\nCT15,5," in text
    path.write_text(text.replace("\nCT15,5,", "\nCT15,1" + "0" * 308 + ","), encoding="utf-8")
    code, report = check_json(root)
    assert code == 1
    assert ("value-too-large", "value") in {(p["code"], p["column"]) for p in file_problems(report)}
    for output_format in ("html", "md"):
        result = invoke(
            root, "report", "--period", "2025Q4", "--as-of", "2026-03-01", "--format", output_format
        )
        assert result.exit_code == 0


# --- the environment: terminal width, standard output, SOURCE_DATE_EPOCH ---


@pytest.mark.parametrize("columns", ["0", "abc"])
@pytest.mark.parametrize(
    "arguments",
    [
        ["check", "--as-of", "2026-06-30"],
        ["catalogue"],
        ["score", "--period", "2025Q4", "--as-of", "2026-03-01"],
        ["status", "--period", "2025Q4", "--as-of", "2026-03-01"],
    ],
    ids=["check", "catalogue", "score", "status"],
)
def test_an_unusable_terminal_width_still_prints(columns: str, arguments: list[str]) -> None:
    wide = invoke(PROJECT, *arguments, "--lang", "en", env={"COLUMNS": "80"})
    narrow = invoke(PROJECT, *arguments, "--lang", "en", env={"COLUMNS": columns})
    assert narrow.exit_code == wide.exit_code
    assert narrow.stdout == wide.stdout


def _run(*arguments: str, **options: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "plan57", "--root", str(PROJECT), *arguments, "--lang", "en"],
        stderr=subprocess.PIPE,
        env={**os.environ, "PLAN57_LANG": "en"},
        timeout=120,
        check=False,
        cwd=PROJECT,
        **options,
    )


@pytest.mark.parametrize("arguments", [["check"], ["catalogue", "--format", "json"]])
def test_a_full_standard_output_is_a_clean_error(arguments: list[str]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        completed = _run(*arguments, stdout=full)
    assert completed.returncode == 2
    assert completed.stderr.decode().startswith("plan57: error: Could not write to standard output")
    assert b"Traceback" not in completed.stderr and b"Exception ignored" not in completed.stderr


def test_a_closed_standard_output_is_a_clean_error() -> None:
    completed = _run("check", preexec_fn=lambda: os.close(1))
    assert completed.returncode == 2
    assert b"Bad file descriptor" in completed.stderr
    assert b"Internal error" not in completed.stderr


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "99999999999999", "١٢٣"])
def test_an_unusable_source_date_epoch_is_a_clean_error(tmp_path: Path, value: str) -> None:
    result = invoke(
        PROJECT,
        "report",
        "--period",
        "2025Q4",
        "--as-of",
        "2026-03-01",
        "--lang",
        "en",
        env={"SOURCE_DATE_EPOCH": value},
    )
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.stderr


def test_help_with_columns_zero_still_prints() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "plan57", "--help"],
        capture_output=True,
        env={**os.environ, "COLUMNS": "0"},
        timeout=120,
        check=False,
        cwd=PROJECT,
    )
    assert completed.returncode == 0
    assert b"Usage: plan57" in completed.stdout


def test_a_linked_data_folder_is_not_read(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (outside / "targets.yaml").write_bytes(REAL_CATALOGUE.read_bytes())
    (outside / "submissions").mkdir()
    (root / "data").symlink_to(outside, target_is_directory=True)
    result = invoke(root, "check", "--lang", "en")
    assert result.exit_code == 2
    assert "was not found" in result.stderr
