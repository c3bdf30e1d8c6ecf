"""Running `plan57` through Typer's test runner and asserting the run ended cleanly.

Clean means: exit status 0, 1 or 2, no exception escaped, no traceback printed, and no
"internal error" (the catch-all that turns an unexpected exception into exit 2 hides a crash
from the exit status, so the tests look for its message as well).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from plan57.cli import app
from plan57.messages import EN, VI

_INTERNAL = (EN["internal"].split("{")[0], VI["internal"].split("{")[0])


def assert_clean(result: Any) -> None:
    """The run ended the way plan57 promises: 0, 1 or 2, and never a crash."""
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output[-2000:])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    for marker in _INTERNAL:
        assert marker not in result.stderr, result.stderr[-2000:]


def invoke(root: Path | None, *args: str, env: Mapping[str, str | None] | None = None) -> Any:
    """`plan57 [--root ROOT] ARGS…`, asserted clean; returns the runner's result."""
    prefix = ["--root", str(root)] if root is not None else []
    result = CliRunner().invoke(app, [*prefix, *args], env=dict(env or {}))
    assert_clean(result)
    return result


def check_json(root: Path, *args: str, as_of: str = "2026-06-30") -> tuple[int, dict[str, Any]]:
    """`plan57 check --format json` in English: the exit status and the parsed report."""
    result = invoke(root, "check", "--as-of", as_of, "--lang", "en", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def file_problems(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings about submissions, leaving out the catalogue's own warnings."""
    return [p for p in report["problems"] if p["file"] != "data/targets.yaml"]
