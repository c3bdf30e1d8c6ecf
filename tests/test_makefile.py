"""The two commands of the README: what `make run` and `make test` would do (make -n)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import PROJECT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _plan(target: str) -> list[str]:
    # -B plans the whole build, as on a fresh clone; -n runs nothing.
    result = subprocess.run(
        ["make", "-n", "-B", target],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.splitlines()


def test_make_run_installs_only_what_running_needs() -> None:
    plan = _plan("run")
    installs = [line for line in plan if "pip install" in line and "--upgrade pip" not in line]
    assert installs and all("[dev]" not in line for line in installs), installs
    assert any("plan57 report" in line for line in plan)


def test_make_test_installs_the_test_tools_and_says_why_tests_were_skipped() -> None:
    plan = _plan("test")
    assert any("pip install" in line and "[dev]" in line for line in plan)
    assert any(line.split()[0].endswith("pytest") and "-rs" in line.split() for line in plan)
