"""`plan57 catalogue`: the table, and the JSON form, which is a public contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import CATALOGUE, CATALOGUE_ROOT, DataRepo
from plan57.catalogue.loading import load_catalogue
from plan57.cli import app

CLEAN_ENV: dict[str, str | None] = {"PLAN57_LANG": None, "PLAN57_ROOT": None, "PLAN57_DEBUG": None}
INDICATOR_KEYS = {"id", "group", "name_vi", "name_en", "unit", "flow", "reporters", "targets"}
TARGET_KEYS = {"year", "kind", "value", "low", "high", "text"}


def run(root: Path, *args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(
        app, ["--root", str(root), "catalogue", *args], env={**CLEAN_ENV, **(env or {})}
    )


@pytest.fixture(scope="module")
def contract() -> Any:
    result = run(CATALOGUE_ROOT, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_contract(contract: Any) -> None:
    assert {"plan", "indicators"} <= set(contract)
    plan = contract["plan"]
    assert (plan["number"], plan["date"], plan["milestones"]) == (
        "283-KH/TU",
        "2025-05-22",
        [2025, 2030, 2035, 2040, 2045],
    )
    assert [i["id"] for i in contract["indicators"]] == [f"CT{n:02d}" for n in range(1, 56)]
    for indicator in contract["indicators"]:
        assert set(indicator) >= INDICATOR_KEYS
        assert indicator["group"] in ("I", "II", "III", "IV", "V")
        assert indicator["unit"] in (
            "percent",
            "percent_grdp",
            "count",
            "per_10k",
            "index",
            "yes_no",
        )
        assert isinstance(indicator["flow"], bool)
        assert indicator["reporters"] and all(isinstance(r, str) for r in indicator["reporters"])
        for target in indicator["targets"]:
            assert set(target) == TARGET_KEYS
            assert target["kind"] in ("min", "exact", "range", "qualitative")
            assert target["year"] in plan["milestones"]
            assert target["text"]
            numbers = (target["value"], target["low"], target["high"])
            assert all(n is None or isinstance(n, (int, float)) for n in numbers)


def test_json_examples(contract: Any) -> None:
    by_id = {i["id"]: i for i in contract["indicators"]}
    ct05 = by_id["CT05"]
    assert (ct05["group"], ct05["unit"], ct05["flow"], ct05["reporters"]) == (
        "II",
        "percent",
        False,
        ["so-tc"],
    )
    assert (
        ct05["name_vi"]
        == "Tổng chi ngân sách địa phương chi cho khoa học, công nghệ, đổi mới sáng tạo"
    )
    assert ct05["targets"][0] == {
        "year": 2025,
        "kind": "min",
        "value": 1.0,
        "low": None,
        "high": None,
        "text": "≥ 1,0%",
    }
    assert by_id["CT23"]["targets"] == [
        {"year": 2040, "kind": "range", "value": None, "low": 15.0, "high": 20.0, "text": "15 - 20"}
    ]
    assert by_id["CT15"]["flow"] is True
    assert by_id["CT55"]["targets"] == [
        {
            "year": 2045,
            "kind": "qualitative",
            "value": None,
            "low": None,
            "high": None,
            "text": "Đóng góp",
        }
    ]


def test_json_is_the_loaded_catalogue(contract: Any) -> None:
    catalogue = load_catalogue(CATALOGUE)
    assert contract == catalogue.model_dump(mode="json", by_alias=True)


def test_table(repo: DataRepo) -> None:
    result = run(repo.root)
    assert result.exit_code == 0, result.output
    assert "Danh mục chỉ tiêu — Kế hoạch 283-KH/TU" in result.stdout
    for n in range(1, 56):
        assert f"CT{n:02d}" in result.stdout
    assert "\x1b[" not in result.stdout
    english = run(repo.root, "--lang", "en")
    assert "Indicator catalogue — Plan 283-KH/TU" in english.stdout
    assert english.stdout != result.stdout
    assert run(repo.root, env={"PLAN57_LANG": "en"}).stdout == english.stdout


def test_table_shows_names_literally(repo: DataRepo) -> None:
    text = repo.catalogue.read_text("utf-8")
    repo.catalogue.write_text(
        text.replace('name_en: "5G coverage in the province"', 'name_en: "[b]5G[/b] cover"', 1),
        "utf-8",
    )
    result = run(repo.root, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "[b]5G[/b] cover" in result.stdout


def test_missing_catalogue_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path, "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Không tìm thấy danh mục chỉ tiêu" in result.stderr


def test_unknown_format_exits_2(repo: DataRepo) -> None:
    assert run(repo.root, "--format", "csv").exit_code == 2


def test_table_fits_80_columns_with_ids_names_and_reporters(repo: DataRepo) -> None:
    result = run(repo.root, "--lang", "en", env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # About one line per indicator, not one per word of the name.
    assert len(lines) < 100
    row = next(line for line in lines if "CT05" in line)
    assert "so-tc" in row and "Share of the local budget" in row
    catalogue = load_catalogue(repo.catalogue)
    cut = [i for i in catalogue.indicators if len(i.name_en) > 44]
    assert cut and any("…" in line for line in lines)


def test_one_indicator_whole(repo: DataRepo) -> None:
    catalogue = load_catalogue(repo.catalogue)
    ct06 = catalogue.indicator("CT06")
    assert ct06 is not None
    result = run(repo.root, "ct06", "--lang", "en", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert ct06.name_en in result.stdout
    assert "2030: ≥ 3.0% of GRDP" in result.stdout
    assert "so-khcn (Department of Science and Technology)" in result.stdout
    as_json = json.loads(run(repo.root, "CT06", "--format", "json").stdout)
    assert as_json == ct06.model_dump(mode="json")


def test_an_unknown_indicator_gets_a_suggestion(repo: DataRepo) -> None:
    result = run(repo.root, "CT5", "--lang", "en")
    assert result.exit_code == 2
    assert "Did you mean CT05?" in result.stderr


def test_registry_lists_every_reporter_id_and_name(repo: DataRepo) -> None:
    catalogue = load_catalogue(repo.catalogue)
    result = run(repo.root, "--registry", "--lang", "en", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    for entry in catalogue.registry:
        assert entry.id in result.stdout
    wide = run(repo.root, "--registry", "--lang", "en", env={"COLUMNS": "200"})
    for entry in catalogue.registry:
        assert entry.name_en in wide.stdout
    as_json = json.loads(run(repo.root, "--registry", "--format", "json").stdout)
    assert [e["id"] for e in as_json] == [e.id for e in catalogue.registry]


def test_hints_point_to_what_lists_the_reporter_ids() -> None:
    from plan57.messages import EN, VI

    for table in (VI, EN):
        for key, value in table.items():
            if "plan57 catalogue" in value and key.endswith("reporter.hint"):
                assert "plan57 catalogue --registry" in value, key
