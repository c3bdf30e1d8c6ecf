"""Open data: the data package passes `frictionless validate`, Parquet reads back typed and equal
to the CSV and JSON, cells that could run as formulas are neutralised, and the national roll-up
documented in docs/performance.md runs in DuckDB over three synthetic provinces' exports.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from clirun import invoke
from gitrepo import commit, git, init
from plan57.output.opendata import OBSERVATIONS, Column, Table, to_csv

PROJECT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "report-repo"
ARGS = ("--period", "2025Q3", "--as-of", "2025-10-20")
TABLES = ("observations", "scores", "targets", "registry")


def committed_repo(root: Path, change: dict[str, str | None] | None = None) -> Path:
    shutil.copytree(FIXTURE, root)
    init(root)
    files: dict[str, str | bytes | None] = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "data").rglob("*"))
        if p.is_file()
    }
    for name, content in (change or {}).items():
        if content is None:
            (root / name).unlink()
            del files[name]
        else:
            files[name] = content
    commit(root, files, "Danh mục và số liệu", "2025-10-10T09:00:00+07:00")
    return root


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("export")
    repo = committed_repo(base / "repo")
    out = base / "out"
    result = invoke(repo, "export", "--out", str(out), *ARGS)
    assert result.exit_code == 0, result.output
    return repo, out


def test_every_table_in_every_format(exported: tuple[Path, Path]) -> None:
    _, out = exported
    names = {p.name for p in out.iterdir()}
    # The marker says the folder is an export, which a later export replaces whole.
    assert names == {"datapackage.json", ".plan57-export"} | {
        f"{t}.{k}" for t in TABLES for k in ("csv", "json", "parquet")
    }


def test_frictionless_accepts_the_data_package(exported: tuple[Path, Path]) -> None:
    from frictionless import validate

    report = validate(str(exported[1] / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.name for task in report.tasks] == list(TABLES)


def test_parquet_reads_back_typed_and_equal_to_csv_and_json(exported: tuple[Path, Path]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = exported[1]
    for name in TABLES:
        table = pq.read_table(out / f"{name}.parquet")
        records = json.loads((out / f"{name}.json").read_text("utf-8"))
        rows = list(csv.DictReader(io.StringIO((out / f"{name}.csv").read_text("utf-8"))))
        assert table.num_rows == len(records) == len(rows) > 0
        assert table.column_names == list(records[0]) == list(rows[0])
        as_json = [
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}
            for row in table.to_pylist()
        ]
        assert as_json == records
    observations = pq.read_table(out / "observations.parquet").schema
    assert observations.field("value").type == pa.float64()
    assert observations.field("line").type == pa.int64()
    assert observations.field("end").type == pa.date32()
    assert observations.field("answer").type == pa.bool_()
    assert pq.read_table(out / "targets.parquet").schema.field("milestone").type == pa.int64()


def test_observations_carry_their_commit_and_scores_every_quarter(
    exported: tuple[Path, Path],
) -> None:
    repo, out = exported
    head = git(repo, "rev-parse", "HEAD")
    records = json.loads((out / "observations.json").read_text("utf-8"))
    assert {r["commit"] for r in records} == {head}
    scores = json.loads((out / "scores.json").read_text("utf-8"))
    assert sorted({r["period"] for r in scores}) == ["2025Q1", "2025Q2", "2025Q3"]
    score = invoke(repo, "score", "--format", "json", *ARGS)
    latest = {i["id"]: i["status"] for i in json.loads(score.stdout)["indicators"]}
    assert {r["indicator"]: r["status"] for r in scores if r["period"] == "2025Q3"} == latest


def test_each_format_alone(tmp_path: Path, exported: tuple[Path, Path]) -> None:
    repo = exported[0]
    for kind, suffixes in (("csv", {".csv", ".json"}), ("parquet", {".parquet"})):
        out = tmp_path / kind
        assert invoke(repo, "export", "--out", str(out), "--format", kind, *ARGS).exit_code == 0
        shown = {p.suffix for p in out.iterdir() if not p.name.startswith(".")}
        assert shown == suffixes  # csv brings datapackage.json
    refused = invoke(repo, "export", "--out", str(repo / "data" / "x"), *ARGS)
    assert refused.exit_code == 2


def test_csv_for_a_spreadsheet_neutralises_formulas_but_not_numbers() -> None:
    table = Table.of_rows(
        "t",
        "T",
        "",
        (Column("note", "string", ""), Column("value", "number", "")),
        ("note",),
        [("=HYPERLINK(1)", -1.5), ("plain\rtext", None)],
    )
    text = to_csv(table, spreadsheet=True).decode("utf-8")
    assert text.splitlines()[1] == "'=HYPERLINK(1),-1.5"
    assert '"plain\rtext",""' in text  # a lone CR cannot start a new row
    # The data package's CSV holds the text as the Parquet and JSON do.
    assert to_csv(table).decode("utf-8").splitlines()[1] == "=HYPERLINK(1),-1.5"
    assert [c.name for c in OBSERVATIONS][-1] == "commit"


def _rollup_query() -> str:
    doc = (PROJECT / "docs" / "performance.md").read_text("utf-8")
    match = re.search(r"<!-- rollup:begin -->\s*```sql\n(.*?)```\s*<!-- rollup:end -->", doc, re.S)
    assert match, "docs/performance.md lost its roll-up query"
    return match.group(1)


def test_the_documented_rollup_over_three_provinces(tmp_path: Path) -> None:
    import duckdb

    exports = tmp_path / "exports"
    # Three provinces: the fixture, one where two reporters did not report, one with other figures.
    variants: dict[str, dict[str, str | None]] = {
        "dak-lak": {},
        "gia-lai": {
            "data/submissions/xa-a/2025Q3.csv": None,
            "data/submissions/dn-a/2025Q3.csv": None,
        },
        "khanh-hoa": {
            "data/submissions/xa-a/2025Q3.csv": "indicator,value,numerator,denominator,note\n"
            "CT07,95.0,114,120,\n"
        },
    }
    expected: dict[tuple[str, str], dict[str, int]] = {}
    for name, change in variants.items():
        repo = committed_repo(tmp_path / name, change)
        out = exports / name
        assert (
            invoke(repo, "export", "--out", str(out), "--format", "parquet", *ARGS).exit_code == 0
        )
        score = json.loads(invoke(repo, "score", "--format", "json", *ARGS).stdout)
        for item in score["indicators"]:
            counts = expected.setdefault(("2025Q3", item["id"]), {})
            counts[item["status"]] = counts.get(item["status"], 0) + 1
    assert any(len(counts) > 1 for counts in expected.values())  # the provinces differ
    query = _rollup_query().replace("exports/", exports.as_posix() + "/")
    rows = duckdb.connect().execute(query).fetchall()
    got = {
        (period, indicator): {
            s: n
            for s, n in zip(("on-track", "at-risk", "missed", "no-data"), counts, strict=True)
            if n
        }
        for period, indicator, provinces, *counts in rows
        if period == "2025Q3"
    }
    assert got == expected
    assert all(provinces == 3 for _, _, provinces, *_ in rows)


def test_without_pyarrow_parquet_is_refused_with_the_fix_and_csv_still_works(
    exported: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    repo = exported[0]
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a)
    )
    for args in (("export", "--out", str(tmp_path / "e")), ("site", "--out", str(tmp_path / "s"))):
        result = invoke(repo, *args, *ARGS, "--lang", "en")
        assert result.exit_code == 2
        assert "pip install 'plan57[parquet]'" in result.stderr
    assert not (tmp_path / "s").exists() and not (tmp_path / "e").exists()
    csv_only = invoke(repo, "export", "--out", str(tmp_path / "c"), "--format", "csv", *ARGS)
    assert csv_only.exit_code == 0


def test_the_data_package_holds_text_as_written_and_has_a_licence(tmp_path: Path) -> None:
    """A note that looks like a formula is the same text in the CSV, the JSON and the Parquet
    (formula safety is for the files meant for spreadsheets); the package names its licence."""
    import pyarrow.parquet as pq

    note = "=1+1 -2 @mention"
    submission = f'indicator,value,note\nCT15,5,"{note}"\n'
    repo = committed_repo(tmp_path / "repo", {"data/submissions/so-khcn/2025Q3.csv": submission})
    out = tmp_path / "out"
    assert invoke(repo, "export", "--out", str(out), *ARGS).exit_code == 0
    rows = list(csv.DictReader(io.StringIO((out / "observations.csv").read_text("utf-8"))))
    records = json.loads((out / "observations.json").read_text("utf-8"))
    parquet = pq.read_table(out / "observations.parquet").to_pylist()
    assert note in {r["note"] for r in rows}
    assert [r["note"] for r in rows] == [r["note"] or "" for r in records]
    assert [r["note"] for r in records] == [r["note"] for r in parquet]
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
