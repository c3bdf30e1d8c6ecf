"""Shell completion for bash, zsh and fish (Typer's --show-completion / --install-completion)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from plan57.cli import app


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F _plan57_completion plan57"),
        ("zsh", "#compdef plan57"),
        ("fish", "complete --command plan57"),
    ],
)
def test_show_completion_prints_each_shells_script(
    shell: str, marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Normally the shell is detected from the parent process; this switch makes it an argument.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--show-completion", shell], prog_name="plan57")
    assert result.exit_code == 0
    assert marker in result.stdout
    assert "_PLAN57_COMPLETE" in result.stdout


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"_PLAN57_COMPLETE": "complete_bash", "COMP_WORDS": "plan57 sta", "COMP_CWORD": "1"},
            "status",
        ),
        ({"_PLAN57_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "plan57 te"}, '"template"'),
        (
            {
                "_PLAN57_COMPLETE": "complete_fish",
                "_TYPER_COMPLETE_ARGS": "plan57 status --format ",
                "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            },
            "md",
        ),
        (
            {
                "_PLAN57_COMPLETE": "complete_bash",
                "COMP_WORDS": "plan57 check --lang ",
                "COMP_CWORD": "3",
            },
            "en",
        ),
        (
            {
                "_PLAN57_COMPLETE": "complete_bash",
                "COMP_WORDS": "plan57 score --format ",
                "COMP_CWORD": "3",
            },
            "human",
        ),
    ],
)
def test_the_scripts_answer_completions(env: dict[str, str], expected: str) -> None:
    result = CliRunner().invoke(app, [], prog_name="plan57", env=env)
    assert result.exit_code == 0
    # bash and fish answer one candidate a line; zsh answers an _arguments spec with quoted names.
    assert expected in result.stdout.splitlines() or f"({expected}:" in result.stdout
