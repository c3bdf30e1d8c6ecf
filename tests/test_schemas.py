"""The committed JSON Schemas (schemas/) are the models' own, and real output validates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from clirun import invoke
from conftest import TEST_DATA
from plan57.schemas import CONTRACTS, schema_text
from revisionrepo import Story, build

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
FIXTURE = Path(__file__).parent / "data" / "report-repo"
AS_OF = "2026-06-30"


@pytest.mark.parametrize("contract", CONTRACTS)
def test_committed_schema_is_up_to_date(contract: str) -> None:
    committed = (SCHEMAS / f"{contract}.schema.json").read_text("utf-8")
    assert committed == schema_text(contract), (
        f"schemas/{contract}.schema.json is stale: run `.venv/bin/python -m plan57.schemas schemas`"
    )


def test_no_schema_without_a_contract() -> None:
    assert {p.name for p in SCHEMAS.glob("*.json")} == {f"{c}.schema.json" for c in CONTRACTS}


def test_schemas_are_valid_json_schemas() -> None:
    for contract in CONTRACTS:
        Draft202012Validator.check_schema(json.loads(schema_text(contract)))


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("schemas") / "repo"
    shutil.copytree(FIXTURE, copy)
    # A row with problems, so that the check report has findings of several kinds.
    broken = "indicator,value,numerator,denominator\nCT15,abc,,\nCT99,1,,\n"
    (copy / "data" / "submissions" / "so-khcn" / "2025M07.csv").write_text(broken, "utf-8")
    return copy


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return build(tmp_path_factory.mktemp("schemas-story"))


def _valid(contract: str, stdout: str) -> Any:
    document = json.loads(stdout)
    schema = json.loads((SCHEMAS / f"{contract}.schema.json").read_text("utf-8"))
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(document)]
    assert errors == [], errors[:5]
    return document


def test_check_output_validates(data: Path) -> None:
    for lang in ("vi", "en"):
        out = invoke(data, "check", "--as-of", AS_OF, "--lang", lang, "--format", "json").stdout
        assert _valid("check", out)["problems"]


@pytest.mark.parametrize("period", ["2025Q3", "2025"])
def test_score_and_status_output_validate(data: Path, period: str) -> None:
    score = invoke(data, "score", "--period", period, "--as-of", AS_OF, "--format", "json")
    assert _valid("score", score.stdout)["indicators"]
    status = invoke(data, "status", "--period", period, "--as-of", AS_OF, "--format", "json")
    _valid("status", status.stdout)


def test_catalogue_outputs_validate(data: Path) -> None:
    _valid("catalogue", invoke(data, "catalogue", "--format", "json").stdout)
    _valid("indicator", invoke(data, "catalogue", "CT05", "--format", "json").stdout)
    _valid("registry", invoke(data, "catalogue", "--registry", "--format", "json").stdout)


def test_diff_and_history_outputs_validate(story: Story) -> None:
    diff = invoke(story.root, "diff", story.r[3], story.r[8], "--format", "json")
    assert _valid("diff", diff.stdout)["changes"]
    history = invoke(story.root, "history", "--format", "json")
    assert _valid("history", history.stdout)["revisions"]
    _valid("history", invoke(story.root, "history", "CT05", "--format", "json").stdout)


def test_explain_output_validates() -> None:
    _valid("explain", invoke(None, "explain", "not-a-number", "--format", "json").stdout)


def test_init_output_validates(tmp_path: Path) -> None:
    appendix = TEST_DATA / "init" / "appendix-other.csv"
    args = ["init", str(tmp_path / "repo"), "--province", "Gia Lai", "--appendix", str(appendix)]
    assert _valid("init", invoke(None, *args, "--format", "json").stdout)["indicators"]


def test_a_wrong_document_does_not_validate() -> None:
    schema = json.loads((SCHEMAS / "check.schema.json").read_text("utf-8"))
    wrong = {"ok": "yes", "errors": 0, "warnings": 0, "problems": [{"code": 1}]}
    assert list(Draft202012Validator(schema).iter_errors(wrong))
