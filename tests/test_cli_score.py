"""`plan57 score` through Typer's runner: the JSON contract, CSV for spreadsheets, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from clirun import invoke
from plan57.cli.score import CSV_COLUMNS, to_csv
from plan57.output.report import score_repository
from plan57.scoring.verdicts import ScoreReport

FIXTURE = Path(__file__).parent / "data" / "report-repo"
AS_OF = "2025-10-20"


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "repo"
    shutil.copytree(FIXTURE, copy)
    return copy


def library(root: Path) -> ScoreReport:
    return score_repository(root, period="2025Q3", as_of=date(2025, 10, 20)).report


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_json_is_the_library_result(root: Path, lang: str) -> None:
    result = invoke(
        root, "score", "--period", "2025Q3", "--as-of", AS_OF, "--format", "json", "--lang", lang
    )
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert printed == library(root).model_dump(mode="json", context={"lang": lang})
    assert printed["period"] == "2025Q3"
    assert printed["summary"] == {"on-track": 2, "at-risk": 4, "missed": 0, "no-data": 2}
    assert printed["provisional"] is False and printed["deadline"] == "2025-10-15"
    ct05 = next(i for i in printed["indicators"] if i["id"] == "CT05")
    assert ct05["status"] == "at-risk"
    assert ct05["target"]["text"] == "≥ 1,0%"
    assert ct05["reporters"][0]["id"] == "so-tc"


def test_table_shows_each_indicator_with_its_reason(root: Path) -> None:
    result = invoke(root, "score", "--period", "2025Q3", "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 0
    assert "CT05  ▲ At risk" in result.stdout
    assert "0.75% (period 2025S1) against the target ≥ 1.0% by the end of 2025" in result.stdout
    assert "Period 2025Q3: 2 on track, 4 at risk, 0 missed, 2 without data." in result.stdout


def test_csv_for_spreadsheets(root: Path) -> None:
    result = invoke(root, "score", "--period", "2025Q3", "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.startswith("\ufeff" + ",".join(CSV_COLUMNS))
    lines = result.stdout.strip("\ufeff").splitlines()
    assert len(lines) == 1 + 8
    assert lines[1].startswith("CT01,I,")


def test_csv_cells_that_look_like_formulas_are_neutralised(root: Path) -> None:
    report = library(root)
    first = report.indicators[0]
    hostile = first.model_copy(
        update={"name_vi": '=HYPERLINK("http://x","y")', "why": "-1+2", "missing": ["@a"]}
    )
    text = to_csv(report.model_copy(update={"indicators": [hostile]}), "vi")
    row = text.splitlines()[1]
    assert "'=HYPERLINK" in row and ",'-1+2" in row and ",'@a," in row


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2025Q4", "--as-of", "2025-10-20"], "chưa kết thúc"),
        (["--period", "2023", "--as-of", AS_OF], "trước năm gốc"),
        (["--period", "Q3-2025", "--as-of", AS_OF], "không phải kỳ báo cáo hợp lệ"),
        (["--period", "2025Q3", "--as-of", "20/10/2025"], "không phải ngày hợp lệ"),
        (["--period", "2025Q3", "--as-of", AS_OF, "--targets-at", "HEAD"], "git"),
    ],
)
def test_what_cannot_be_scored_exits_2(root: Path, args: list[str], message: str) -> None:
    result = invoke(root, "score", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_period_is_a_usage_error(root: Path) -> None:
    assert invoke(root, "score").exit_code == 2


def test_missing_catalogue_exits_2(tmp_path: Path) -> None:
    result = invoke(tmp_path, "score", "--period", "2025Q3", "--as-of", AS_OF)
    assert result.exit_code == 2


def test_importing_the_cli_does_not_import_pandas_or_jinja() -> None:
    code = "import sys, plan57.cli; print(any(m in sys.modules for m in ('pandas', 'jinja2')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_before_the_deadline_the_table_and_json_say_provisional(root: Path) -> None:
    result = invoke(root, "score", "--period", "2025Q3", "--as-of", "2025-10-10", "--lang", "en")
    assert result.exit_code == 0
    assert "Provisional report: figures for the period are due by 15 Oct 2025" in result.stdout
    printed = json.loads(
        invoke(
            root, "score", "--period", "2025Q3", "--as-of", "2025-10-10", "--format", "json"
        ).stdout
    )
    assert printed["provisional"] is True and printed["summary"]["missed"] == 0
    csv_text = invoke(
        root, "score", "--period", "2025Q3", "--as-of", "2025-10-10", "--format", "csv"
    ).stdout
    header, first = csv_text.strip("\ufeff").splitlines()[:2]
    assert header.endswith(",flags")
    ct01 = next(i for i in printed["indicators"] if i["id"] == "CT01")
    assert ct01["flags"] and first.endswith("," + " ".join(ct01["flags"]))
