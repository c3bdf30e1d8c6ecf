"""`plan57 explain`: every finding code and scoring flag explained in both languages.

Regenerate the golden files with PLAN57_UPDATE_GOLDEN=1 after an intended change.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clirun import invoke
from conftest import PROJECT
from plan57.cli import app
from plan57.explanations import codes, explain, explain_all
from plan57.messages import EN, LANGS, SEVERITY, VI, Lang
from plan57.scoring.verdicts import FLAGS

GOLDEN = Path(__file__).parent / "golden"
EVERY_CODE = [*SEVERITY, *FLAGS]
NARROW = {"COLUMNS": "80", "NO_COLOR": "1", "PLAN57_LANG": None}


def test_explain_knows_every_finding_code_and_every_flag() -> None:
    assert codes() == EVERY_CODE


@pytest.mark.parametrize("code", EVERY_CODE)
@pytest.mark.parametrize("lang", LANGS)
def test_every_code_has_a_whole_entry(code: str, lang: Lang) -> None:
    item = explain(code, lang)
    for part in (item.meaning, item.why, item.wrong, item.right, item.fix):
        assert part.strip() and not re.search(r"\{[a-z_]*\}", part), (code, part)
    assert item.wrong != item.right
    assert item.severity == SEVERITY.get(code)


@pytest.mark.parametrize("code", EVERY_CODE)
def test_why_is_written_in_each_language(code: str) -> None:
    assert VI[f"explain.{code}.why"] != EN[f"explain.{code}.why"]


def test_no_entry_explains_a_code_that_does_not_exist() -> None:
    parts = {"why", "wrong", "right", "fix"}
    explained = set()
    for key in VI:
        if key.startswith("explain.") and key.count(".") >= 1:
            name = key.removeprefix("explain.")
            code, _, part = name.rpartition(".")
            explained.add(code if code and part in parts else name)
    labels = {"findings", "flags", "finding", "flag", "meaning", "why", "wrong", "right"}
    labels |= {"fix", "one", "findings.import", "finding.import", "findings.fix", "finding.fix"}
    assert explained - labels - set(EVERY_CODE) == set()


def test_scores_carry_only_the_flags_explain_knows() -> None:
    result = invoke(
        PROJECT, "score", "--period", "2025Q4", "--as-of", "2026-06-30", "--format", "json"
    )
    flags = {flag for item in json.loads(result.stdout)["indicators"] for flag in item["flags"]}
    assert flags and flags <= set(FLAGS)


def test_the_json_is_the_librarys_result() -> None:
    result = invoke(None, "explain", "--format", "json", "--lang", "en", env=NARROW)
    assert json.loads(result.stdout) == explain_all("en").model_dump(mode="json")


def test_codes_are_matched_whatever_their_case() -> None:
    result = invoke(None, "explain", "Not-A-Number", "--lang", "en", env=NARROW)
    assert result.exit_code == 0 and result.stdout.startswith("not-a-number (")


def test_an_unknown_code_suggests_the_nearest(tmp_path: Path) -> None:
    result = invoke(None, "explain", "not-a-numbr", "--lang", "en", env=NARROW)
    assert result.exit_code == 2
    assert "Did you mean not-a-number?" in result.stderr


def test_the_listing_fits_80_columns() -> None:
    result = invoke(None, "explain", "--lang", "vi", env=NARROW)
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    for code in EVERY_CODE:
        assert f"  {code} " in result.stdout


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("explain-list", ["explain"]),
        ("explain-not-a-number", ["explain", "not-a-number"]),
        ("explain-unweighted", ["explain", "unweighted"]),
    ],
)
def test_explain_matches_its_golden_file(name: str, args: list[str], lang: str) -> None:
    result = invoke(None, *args, "--lang", lang, env=NARROW)
    _golden(f"{name}.{lang}.txt", result.stdout)


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["explain", "--help"]])
def test_help_matches_its_golden_file(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from typer import rich_utils

    # Typer reads these from the environment once, when first imported (CI sets
    # GITHUB_ACTIONS, which would colour the help): the golden is 80 columns of plain text.
    monkeypatch.setattr(rich_utils, "MAX_WIDTH", 80)
    monkeypatch.setattr(rich_utils, "FORCE_TERMINAL", False)
    result = CliRunner().invoke(app, ["--root", str(PROJECT), *args], env=NARROW)
    assert result.exit_code == 0
    _golden(f"help-{'-'.join(a.strip('-') for a in args)}.txt", result.stdout)


def _golden(name: str, got: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("PLAN57_UPDATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")
