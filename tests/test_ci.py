"""plan57.output.ci: the check's report for GitLab code quality and GitHub job summaries."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CATALOGUE
from plan57.cli import app
from plan57.findings import CheckReport
from plan57.output.ci import code_quality, fingerprint, markdown
from plan57.submissions.rules import check_repository

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-02-01"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    folder = root / "data" / "submissions" / "so-tc"
    folder.mkdir(parents=True)
    shutil.copy(CATALOGUE, root / "data" / "targets.yaml")
    (folder / "2025Q4.csv").write_text(
        "indicator,value\nCT30,-1\nCT34,a|b\nCT99,3\n", encoding="utf-8"
    )
    return root


def report_of(root: Path, lang: str = "en") -> CheckReport:
    return check_repository(root, as_of=date.fromisoformat(AS_OF)).report  # type: ignore[arg-type]


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--root", str(root), "check", "--as-of", AS_OF, *args])
    return result.exit_code, result.stdout


def test_gitlab_code_quality_is_the_library_report(repo: Path) -> None:
    status, output = run(repo, "--format", "gitlab", "--lang", "en")
    assert status == 1
    issues = json.loads(output)
    assert issues == code_quality(report_of(repo), "en")
    errors = [i for i in issues if i["location"]["path"] == "data/submissions/so-tc/2025Q4.csv"]
    assert {i["check_name"] for i in errors} >= {
        "negative-value",
        "not-a-number",
        "unknown-indicator",
    }
    for issue in issues:
        assert issue["severity"] in ("major", "minor")
        assert issue["location"]["lines"]["begin"] >= 1
        assert issue["description"].endswith(f"More: plan57 explain {issue['check_name']}")
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_fingerprints_do_not_depend_on_the_language(repo: Path) -> None:
    english = [fingerprint(f) for f in report_of(repo, "en").problems]
    vietnamese = [fingerprint(f) for f in report_of(repo, "vi").problems]
    assert sorted(english) == sorted(vietnamese)


def test_markdown_lists_every_problem(repo: Path) -> None:
    report = report_of(repo)
    status, output = run(repo, "--format", "md", "--lang", "en")
    assert status == 1
    assert output == markdown(report, "en")
    rows = [line for line in output.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == len(report.problems)
    # A "|" inside a cell must not split the table.
    assert all(line.count(" | ") == 6 for line in rows)
    assert "a\\|b" in output
    # Each problem says where to read more, in the column a reader ends on.
    for problem, row in zip(report.problems, rows, strict=True):
        assert row.endswith(f"More: plan57 explain {problem.code} |")


def test_markdown_of_a_clean_report() -> None:
    clean = CheckReport.from_findings([])
    assert "No errors." in markdown(clean, "en")


def _recipe_commands() -> list[tuple[str, list[str]]]:
    """Every plan57 command line in the CI recipes and the pre-commit hooks, made concrete."""
    import re
    import shlex

    import yaml

    commands: list[tuple[str, list[str]]] = []
    for name in ("examples/ci/github/plan57.yml", "examples/ci/gitlab/plan57.gitlab-ci.yml"):
        text = (REPO / name).read_text("utf-8")
        for line in re.findall(r"(plan57 (?:check|fix|status|report|codeowners)[^\n]*)", text):
            line = line.replace('${SINCE:+--changed-since "$SINCE"}', "--changed-since HEAD")
            line = line.replace('"$PERIOD"', "2025Q4").replace('"${year}Q${quarter}"', "2025Q4")
            line = re.split(r"\s(?:>>?|\|\|)\s", line)[0]
            commands.append((name, shlex.split(line)[1:]))
    for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8")):
        commands.append((hook["id"], shlex.split(hook["entry"])[1:]))
    return commands


@pytest.mark.parametrize(("where", "args"), _recipe_commands())
def test_every_command_in_the_recipes_runs(repo: Path, where: str, args: list[str]) -> None:
    from gitrepo import git, init

    registered = {
        command.name or command.callback.__name__.replace("_", "-")  # type: ignore[union-attr]
        for command in app.registered_commands
    }
    if args[0] not in registered:
        pytest.skip(f"plan57 {args[0]} is not part of this build yet")
    init(repo)
    git(repo, "add", "--", ".")
    git(repo, "commit", "--quiet", "-m", "data", date="2026-01-05T09:00:00+07:00")
    # Pre-commit passes the staged file names; the recipes name none.
    extra = [str(repo / "data/submissions/so-tc/2025Q4.csv")] if where.startswith("plan57-") else []
    result = CliRunner().invoke(app, ["--root", str(repo), *args, *extra])
    assert result.exit_code in (0, 1), f"{where}: plan57 {' '.join(args)}\n{result.output}"
