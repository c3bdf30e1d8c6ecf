"""`check` never imports pandas or openpyxl (a fact, not a timing); `score` and the observations
still import pandas, and only `template --format xlsx` and `import` import openpyxl."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "data" / "report-repo"
AS_OF = "2025-10-20"
# Rows that reach every kind of row rule: unknown indicator, not a number, duplicate, an
# overlapping flow (2025M07 inside so-khcn's 2025Q3), a row not reported.
BROKEN = "indicator,value,numerator,denominator\nCT15,abc,,\nCT15,2,,\nCT99,1,,\nCT23,,,\n"


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(FIXTURE, copy)
    (copy / "data" / "submissions" / "so-khcn" / "2025M07.csv").write_text(BROKEN, "utf-8")
    # A workbook among the submissions is named by check, never opened.
    (copy / "data" / "submissions" / "so-khcn" / "2025Q4.xlsx").write_bytes(b"PK\x03\x04")
    return copy


def _python(code: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLAN57_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=clean,
        timeout=60,
        check=False,
    )


def _cli(root: Path, *args: str) -> str:
    """Run the CLI's entry point with `args` in this process, then say whether pandas came in."""
    argv = ["plan57", "--root", str(root), *args]
    return (
        "import sys\n"
        "from plan57.cli import main\n"
        f"sys.argv = {argv!r}\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as stop:\n"
        "    code = stop.code\n"
        "print('pandas' in sys.modules, code, file=sys.stderr)\n"
        "print('openpyxl' in sys.modules, file=sys.stderr)\n"
    )


def test_the_check_command_does_not_import_pandas(root: Path) -> None:
    result = _python(_cli(root, "check", "--as-of", AS_OF, "--format", "json", "--lang", "en"))
    assert result.stderr.strip().splitlines()[-2:] == ["False 1", "False"], result.stderr
    codes = {problem["code"] for problem in json.loads(result.stdout)["problems"]}
    assert {"not-a-number", "unknown-indicator", "duplicate-indicator", "flow-overlap"} <= codes
    assert {"not-reported", "workbook"} <= codes


def test_only_the_workbook_commands_import_openpyxl(root: Path, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    args = ("template", "--reporter", "so-khcn", "--period", "2025", "--format", "xlsx")
    result = _python(_cli(root, *args, "--out", str(form)))
    assert result.stderr.strip().splitlines()[-1] == "True", result.stderr
    imported = _python(_cli(root, "import", str(form), "--lang", "en"))
    assert imported.stderr.strip().splitlines()[-1] == "True", imported.stderr
    assert "import-empty" in imported.stdout
    plain = _python(_cli(root, "template", "--reporter", "so-khcn", "--period", "2025"))
    assert plain.stderr.strip().splitlines()[-1] == "False", plain.stderr


def test_the_library_check_does_not_import_pandas_until_observations_are_asked_for(
    root: Path,
) -> None:
    code = (
        "import sys, datetime, pathlib\n"
        "from plan57.submissions.rules import check_repository\n"
        f"v = check_repository(pathlib.Path({str(root)!r}),"
        " as_of=datetime.date(2025, 10, 20))\n"
        "print(len(v.report.problems) > 0, 'pandas' in sys.modules)\n"
        "frame = v.observations\n"
        "print(type(frame).__name__, len(frame) > 0, 'pandas' in sys.modules)\n"
    )
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["True False", "DataFrame True True"]


def test_score_still_works_beside_it(root: Path) -> None:
    args = ("score", "--period", "2025Q3", "--as-of", AS_OF, "--format", "json", "--lang", "en")
    result = _python(_cli(root, *args))
    assert result.stderr.strip().splitlines()[-2:] == ["True 0", "False"], result.stderr
    assert json.loads(result.stdout)["indicators"]
