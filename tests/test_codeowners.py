"""plan57.catalogue.codeowners and `plan57 codeowners`: the forge keeps each department to its folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CATALOGUE
from plan57.catalogue.codeowners import BEGIN, END, block, drift, render, write_codeowners
from plan57.catalogue.loading import load_catalogue, parse_catalogue
from plan57.catalogue.models import Catalogue
from plan57.cli import app
from plan57.errors import CatalogueError

TARGETS = CATALOGUE.read_text("utf-8")


@pytest.fixture
def catalogue() -> Catalogue:
    return load_catalogue(CATALOGUE)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "data" / "submissions").mkdir(parents=True)
    shutil.copy(CATALOGUE, root / "data" / "targets.yaml")
    return root


def test_the_generated_rules(catalogue: Catalogue) -> None:
    lines = block(catalogue).splitlines()
    assert lines[0] == BEGIN and lines[-1] == END
    secretariat = "@daklak-plan57/secretariat"
    # Broad rules first: the forge applies the last rule that matches.
    assert lines[1:4] == [
        f"/data/submissions/ {secretariat}",
        f"/data/targets.yaml {secretariat}",
        f"/CODEOWNERS {secretariat}",
    ]
    assert "/data/submissions/so-tc/ @daklak-plan57/so-tc" in lines
    assert "/data/submissions/xa-ea-kar/ @daklak-plan57/xa-ea-kar" in lines
    folders = [line.split()[0] for line in lines[4:-1]]
    assert folders == [f"/data/submissions/{r}/" for r in catalogue.reporter_ids()]
    # Groups and bodies do not submit, so they own no folder.
    assert not any("cac-so-nganh" in line or "dang-uy-ubnd" in line for line in lines)


def test_a_reporter_without_a_team_is_left_to_the_secretariat() -> None:
    text = TARGETS.replace(', team: "@daklak-plan57/so-yt"', "")
    lines = block(parse_catalogue(text, "t")).splitlines()
    assert not any(line.startswith("/data/submissions/so-yt/") for line in lines)
    assert any(line.startswith("# ") and "so-yt" in line for line in lines[1:-1])


def test_team_handles_are_validated() -> None:
    with pytest.raises(CatalogueError) as error:
        parse_catalogue(TARGETS.replace('"@daklak-plan57/so-tc"', '"Sở Tài chính"'), "t")
    assert error.value.code == "catalogue-invalid"
    parse_catalogue(TARGETS.replace('"@daklak-plan57/so-tc"', '"ke-toan@stc.daklak.gov.vn"'), "t")


def test_render_keeps_other_lines_and_replaces_only_its_block(catalogue: Catalogue) -> None:
    own = "# Tooling\n/.github/ @daklak-plan57/devops\n"
    first = render(catalogue, own)
    assert first.startswith(own + "\n" + BEGIN)
    stale = first.replace("@daklak-plan57/so-tc\n", "@someone-else\n") + "/docs/ @writers\n"
    again = render(catalogue, stale)
    assert again == first + "/docs/ @writers\n"
    assert render(catalogue, again) == again


def test_write_is_atomic_and_idempotent(repo: Path, catalogue: Catalogue) -> None:
    path, changed = write_codeowners(repo, catalogue)
    assert (path, changed) == (repo / "CODEOWNERS", True)
    content = path.read_bytes()
    assert write_codeowners(repo, catalogue) == (path, False)
    assert path.read_bytes() == content
    assert sorted(p.name for p in repo.iterdir()) == ["CODEOWNERS", "data"]


def test_the_file_the_forge_reads_first_is_the_one_updated(
    repo: Path, catalogue: Catalogue
) -> None:
    github = repo / ".github" / "CODEOWNERS"
    github.parent.mkdir()
    github.write_text("/.github/ @daklak-plan57/devops\n", encoding="utf-8")
    path, _ = write_codeowners(repo, catalogue)
    assert path == github
    text = github.read_text("utf-8")
    assert text.startswith("/.github/ @daklak-plan57/devops\n")
    assert "/.github/CODEOWNERS @daklak-plan57/secretariat" in text
    assert drift(repo, catalogue) == []


def test_drift_is_reported_rule_by_rule(repo: Path, catalogue: Catalogue) -> None:
    assert drift(repo, catalogue) == []  # no file: the repository does not use one
    (repo / "CODEOWNERS").write_text("* @everyone\n", encoding="utf-8")
    [unmanaged] = drift(repo, catalogue)
    assert (unmanaged.code, unmanaged.severity, unmanaged.file) == (
        "codeowners-unmanaged",
        "warning",
        "CODEOWNERS",
    )
    write_codeowners(repo, catalogue)
    assert drift(repo, catalogue) == []
    moved = TARGETS.replace('"@daklak-plan57/so-tc"', '"@daklak-plan57/tai-chinh"').replace(
        ', team: "@daklak-plan57/vien-wasi"', ""
    )
    findings = drift(repo, parse_catalogue(moved, "t"))
    lines = (repo / "CODEOWNERS").read_text("utf-8").splitlines()
    assert lines[0] == "* @everyone"
    tc = lines.index("/data/submissions/so-tc/ @daklak-plan57/so-tc") + 1
    wasi = lines.index("/data/submissions/vien-wasi/ @daklak-plan57/vien-wasi") + 1
    assert [(f.code, f.line) for f in findings] == [
        ("codeowners-stale", tc),
        ("codeowners-stale", wasi),
    ]
    assert "/data/submissions/so-tc/" in findings[0].message("en")
    assert "@daklak-plan57/tai-chinh" in findings[0].message("en")
    assert "/data/submissions/vien-wasi/" in findings[1].message("en")


def test_check_warns_when_codeowners_no_longer_matches(repo: Path, catalogue: Catalogue) -> None:
    write_codeowners(repo, catalogue)
    text = (repo / "CODEOWNERS").read_text("utf-8").replace("@daklak-plan57/so-yt", "@old-team")
    (repo / "CODEOWNERS").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["--root", str(repo), "check", "--format", "json", "--lang", "en"]
    )
    report = json.loads(result.stdout)
    stale = [p for p in report["problems"] if p["code"] == "codeowners-stale"]
    assert (
        len(stale) == 1 and stale[0]["severity"] == "warning" and stale[0]["file"] == "CODEOWNERS"
    )
    assert result.exit_code == 0  # a warning does not fail the check


def test_codeowners_command(repo: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--root", str(repo), "codeowners", "--check", "--lang", "en"])
    assert result.exit_code == 1 and not (repo / "CODEOWNERS").exists()
    result = runner.invoke(app, ["--root", str(repo), "codeowners", "--lang", "en"])
    assert result.exit_code == 0 and "Wrote CODEOWNERS" in result.output
    result = runner.invoke(app, ["--root", str(repo), "codeowners", "--check", "--lang", "en"])
    assert result.exit_code == 0 and "already matches" in result.output
