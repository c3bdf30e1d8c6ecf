"""The application itself: start-up cost, global options, tracebacks only with --debug."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from plan57 import __version__
from plan57.cli import app
from plan57.cli._app import narrowed


def _python(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLAN57_")}
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        timeout=60,
        check=False,
    )


def test_importing_the_cli_does_not_import_pandas() -> None:
    probe = (
        "import sys, plan57.cli\n"
        "heavy = sorted(m for m in ('pandas', 'numpy', 'jinja2', 'openpyxl') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    result = _python("-c", probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_traceback_only_with_debug(tmp_path: Path) -> None:
    plain = _python("-m", "plan57", "--root", str(tmp_path), "check")
    assert plain.returncode == 2
    assert "Traceback" not in plain.stderr
    assert plain.stderr.startswith("plan57: lỗi:")
    debug = _python("-m", "plan57", "--root", str(tmp_path), "--debug", "check")
    assert debug.returncode != 0
    assert "Traceback" in debug.stderr and "CatalogueError" in debug.stderr
    from_env = _python("-m", "plan57", "--root", str(tmp_path), "check", env={"PLAN57_DEBUG": "1"})
    assert "Traceback" in from_env.stderr


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"plan57 {__version__}"


def test_version_matches_the_package_metadata() -> None:
    from importlib.metadata import version

    assert version("plan57") == __version__


def _names(chosen: object) -> list[str]:
    from typer.main import get_command

    return sorted(get_command(chosen).commands)  # type: ignore[arg-type, attr-defined]


def test_a_run_from_the_shell_builds_only_the_command_it_names() -> None:
    assert _names(narrowed(["check", "--as-of", "2026-11-30"])) == ["check"]
    assert _names(narrowed(["--lang", "en", "score", "--period", "2026Q3"])) == ["score"]
    assert narrowed(["--version"]).registered_commands == []
    result = CliRunner().invoke(narrowed(["--version"]), ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"plan57 {__version__}"


def test_help_unknown_commands_and_completion_get_every_command() -> None:
    for arguments in ([], ["--help"], ["-h", "check"], ["chek"], ["--version", "--help"]):
        assert narrowed(arguments) is app, arguments
    os.environ["_PLAN57_COMPLETE"] = "complete_bash"
    try:
        assert narrowed(["check"]) is app
    finally:
        del os.environ["_PLAN57_COMPLETE"]


def test_root_from_the_environment(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["check", "--lang", "en"], env={"PLAN57_ROOT": str(tmp_path), "PLAN57_DEBUG": None}
    )
    assert result.exit_code == 2
    assert str(tmp_path / "data" / "targets.yaml") in result.stderr
