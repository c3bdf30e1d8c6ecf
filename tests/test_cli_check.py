"""`plan57 check` through Typer's test runner: exit codes, JSON, GitHub annotations, languages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import AS_OF, FINDINGS, DataRepo, make_repo
from plan57.cli import app
from plan57.submissions.rules import check_repository

AS_OF_TEXT = AS_OF.isoformat()
PROBLEM_KEYS = {
    "severity",
    "code",
    "file",
    "line",
    "column",
    "indicator",
    "params",
    "message",
    "hint",
}
# `plan57 check` must not depend on the caller's environment.
CLEAN_ENV: dict[str, str | None] = {"PLAN57_LANG": None, "PLAN57_ROOT": None, "PLAN57_DEBUG": None}


def run(root: Path, *args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(app, ["--root", str(root), *args], env={**CLEAN_ENV, **(env or {})})


@pytest.fixture
def broken(tmp_path: Path) -> DataRepo:
    """A repository with errors of several kinds (and a '%' in a message)."""
    repo = make_repo(tmp_path / "repo", FINDINGS / "not-a-number")
    repo.submit("so-khcn", "2025Q1", "indicator,value\nCT15,3\nCT15,4\n")
    return repo


def test_clean_repository_exits_0(repo: DataRepo) -> None:
    repo.submit("so-khcn", "2025Q1", "indicator,value,note\nCT15,3,\nCT16,150,\n")
    result = run(repo.root, "check", "--as-of", AS_OF_TEXT)
    assert result.exit_code == 0, result.output
    # Warnings (the catalogue's own) do not fail the check.
    assert "0 lỗi, 3 cảnh báo." in result.stdout
    assert result.stderr == ""


def test_errors_exit_1(broken: DataRepo) -> None:
    result = run(broken.root, "check", "--as-of", AS_OF_TEXT)
    assert result.exit_code == 1
    assert "not-a-number" in result.stdout and "duplicate-indicator" in result.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["check", "--as-of", "2026-13-01"], "2026-13-01"),
        (["check", "--as-of", "yesterday"], "YYYY-MM-DD"),
        (["check", "/etc/hostname"], "/etc/hostname"),
        (["check", "data/submissions/nobody/2025.csv"], "nobody"),
    ],
)
def test_usage_errors_exit_2(repo: DataRepo, args: list[str], says: str) -> None:
    result = run(repo.root, *args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert "Traceback" not in result.output


def test_outside_path_message(repo: DataRepo, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("indicator,value\n")
    result = run(repo.root, "check", str(outside), "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"plan57: error: {outside} is outside the data repository")


def test_missing_catalogue_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path, "check", "--lang", "en")
    assert result.exit_code == 2
    assert "The indicator catalogue" in result.stderr and "was not found" in result.stderr
    assert "--root" in result.stderr
    assert "Traceback" not in result.output


def test_broken_catalogue_exits_2_naming_the_line(repo: DataRepo) -> None:
    text = repo.catalogue.read_text("utf-8").replace("    unit: count\n", "    unit: counts\n", 1)
    repo.catalogue.write_text(text, "utf-8")
    line = text[: text.index("unit: counts")].count("\n") + 1
    result = run(repo.root, "check", "--lang", "en")
    assert result.exit_code == 2
    assert f"data/targets.yaml, line {line}: indicators.12.unit" in result.stderr


def test_unknown_option_values_exit_2(repo: DataRepo) -> None:
    assert run(repo.root, "check", "--format", "xml").exit_code == 2
    assert run(repo.root, "check", "--lang", "fr").exit_code == 2


def _json(result: Result) -> Any:
    return json.loads(result.stdout)


def test_json_is_the_library_report(broken: DataRepo) -> None:
    result = run(broken.root, "check", "--format", "json", "--as-of", AS_OF_TEXT)
    assert result.exit_code == 1
    expected = check_repository(broken.root, as_of=AS_OF).report
    assert _json(result) == expected.model_dump(mode="json")


def test_json_shape(broken: DataRepo) -> None:
    result = run(broken.root, "check", "--format", "json", "--as-of", AS_OF_TEXT, "--lang", "en")
    data = _json(result)
    assert set(data) == {"ok", "errors", "warnings", "problems"}
    assert data["ok"] is False
    problems = data["problems"]
    assert data["errors"] == sum(p["severity"] == "error" for p in problems) == 8
    assert data["warnings"] == sum(p["severity"] == "warning" for p in problems) == 3
    for problem in problems:
        assert set(problem) == PROBLEM_KEYS
        assert problem["severity"] in ("error", "warning")
        assert isinstance(problem["code"], str) and isinstance(problem["file"], str)
        assert problem["line"] is None or (isinstance(problem["line"], int) and problem["line"] > 0)
        assert problem["column"] is None or isinstance(problem["column"], str)
        assert problem["indicator"] is None or re.fullmatch(r"CT\d\d", problem["indicator"])
        assert problem["message"] and problem["hint"]
        assert isinstance(problem["params"], dict)
    assert {
        "severity": "error",
        "code": "not-a-number",
        "file": "data/submissions/so-khcn/2025.csv",
        "line": 6,
        "column": "value",
        "indicator": "CT18",
        "params": {"value": "80%"},
        "message": "“80%” is not a number.",
        "hint": "Write digits with a decimal point and no unit or % sign, e.g. 12.5.",
    } in problems


def test_json_ok_when_only_warnings(repo: DataRepo) -> None:
    data = _json(run(repo.root, "check", "--format", "json", "--as-of", AS_OF_TEXT))
    assert (data["ok"], data["errors"], data["warnings"]) == (True, 0, 3)


def test_paths_limit_the_report(broken: DataRepo) -> None:
    chosen = broken.root / "data" / "submissions" / "so-khcn" / "2025Q1.csv"
    result = run(broken.root, "check", str(chosen), "--format", "json", "--as-of", AS_OF_TEXT)
    assert result.exit_code == 1
    data = _json(result)
    files = {p["file"] for p in data["problems"]}
    # The catalogue's own warnings come with a full check, not with one submission's.
    assert files == {"data/submissions/so-khcn/2025Q1.csv"}
    expected = check_repository(broken.root, as_of=AS_OF, paths=[chosen]).report
    assert data == expected.model_dump(mode="json", context={"lang": "vi"})
    # The catalogue among the paths (CI passes every changed file) is no submission.
    catalogue = run(broken.root, "check", str(broken.catalogue), "--as-of", AS_OF_TEXT)
    assert catalogue.exit_code == 0, catalogue.output


_ANNOTATION = re.compile(
    r"::(?P<severity>error|warning) file=(?P<file>[^,:]+)(?:,line=(?P<line>\d+))?"
    r",title=(?P<title>[^:]+)::(?P<message>.+)"
)


def test_github_annotations(broken: DataRepo) -> None:
    result = run(broken.root, "check", "--format", "github", "--as-of", AS_OF_TEXT, "--lang", "en")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    problems = check_repository(broken.root, as_of=AS_OF).report.problems
    assert len(lines) == len(problems)
    for line, problem in zip(lines, problems, strict=True):
        match = _ANNOTATION.fullmatch(line)
        assert match, line
        assert match["severity"] == problem.severity
        assert match["file"] == problem.file
        assert match["line"] == (None if problem.line is None else str(problem.line))
        assert match["title"].startswith(problem.code)
        assert match["message"].startswith(problem.message("en").replace("%", "%25"))
        assert problem.hint("en").replace("%", "%25") in match["message"]
    assert (
        "::error file=data/submissions/so-khcn/2025Q1.csv,line=3,title=duplicate-indicator "
        "(indicator)::Indicator CT15 already appears on line 2." in result.stdout
    )
    # "%" starts an escape in workflow commands, so it is written %25.
    assert "“80%25” is not a number." in result.stdout


def test_language_option_and_environment(broken: DataRepo) -> None:
    args = ("check", "--format", "json", "--as-of", AS_OF_TEXT)
    vi = _json(run(broken.root, *args))
    en = _json(run(broken.root, *args, "--lang", "en"))
    from_env = _json(run(broken.root, *args, env={"PLAN57_LANG": "en"}))
    overridden = _json(run(broken.root, *args, "--lang", "vi", env={"PLAN57_LANG": "en"}))
    assert en == from_env
    assert vi == overridden
    assert vi != en
    first = next(p for p in vi["problems"] if p["code"] == "duplicate-indicator")
    assert first["message"] == "Chỉ tiêu CT15 đã có ở dòng 2."
    strip = [{k: v for k, v in p.items() if k not in ("message", "hint")} for p in vi["problems"]]
    assert strip == [
        {k: v for k, v in p.items() if k not in ("message", "hint")} for p in en["problems"]
    ]


def test_language_of_errors(tmp_path: Path) -> None:
    assert run(tmp_path, "check").stderr.startswith("plan57: lỗi: Không tìm thấy danh mục")
    english = run(tmp_path, "check", env={"PLAN57_LANG": "en"})
    assert english.stderr.startswith("plan57: error: The indicator catalogue")


def test_human_output_is_grouped_by_file_and_plain(broken: DataRepo) -> None:
    result = run(broken.root, "check", "--as-of", AS_OF_TEXT, "--lang", "en")
    out = result.stdout
    assert "\x1b[" not in out
    headings = [line for line in out.splitlines() if line.startswith("data/")]
    assert headings == [
        "data/submissions/so-khcn/2025.csv",
        "data/submissions/so-khcn/2025Q1.csv",
        "data/targets.yaml",
    ]
    assert "  line 6, column value: error not-a-number “80%” is not a number." in out
    assert "    → Write digits with a decimal point" in out
    assert out.rstrip().endswith("8 errors, 3 warnings.")


def test_internal_failure_is_a_message_not_a_traceback(
    repo: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("plan57.submissions.rules.check_repository", boom)
    result = run(repo.root, "check", "--lang", "en")
    assert result.exit_code == 2
    assert "Internal error: RuntimeError: boom." in result.stderr
    assert "--debug" in result.stderr
    assert "Traceback" not in result.output
    debug = CliRunner().invoke(app, ["--root", str(repo.root), "--debug", "check"], env=CLEAN_ENV)
    assert isinstance(debug.exception, RuntimeError)


def test_a_folder_in_the_wrong_case_gets_a_suggestion(repo: DataRepo) -> None:
    repo.submit("So-TC", "2025Q4", "indicator,value\nCT05,1.2\n")
    result = CliRunner().invoke(
        app, ["--root", str(repo.root), "check", "--as-of", "2026-06-30", "--lang", "en"]
    )
    assert result.exit_code == 1
    assert "unknown-reporter" in result.stdout and "Did you mean so-tc?" in result.stdout
    assert "More: plan57 explain unknown-reporter" in result.stdout
    assert re.search(r"^1 error, \d+ warnings?\.$", result.stdout, re.MULTILINE)
