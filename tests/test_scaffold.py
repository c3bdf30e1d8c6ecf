"""`plan57 init`: the seed's appendix gives back this repository's targets, and any province's
appendix gives a repository that `check`, `report` and `site` work on."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from clirun import invoke
from conftest import PROJECT, REAL_CATALOGUE, TEST_DATA
from plan57.catalogue.appendix import read_appendix
from plan57.catalogue.loading import load_catalogue, parse_catalogue
from plan57.catalogue.models import Catalogue
from plan57.catalogue.provinces import find_province, provinces
from plan57.catalogue.scaffold import PlanInfo, build_catalogue, units_of

SEED = TEST_DATA / "init" / "appendix-283.tsv"
OTHER = TEST_DATA / "init" / "appendix-other.csv"
# The plan's own smells, which the hand-made catalogue has as well (docs/catalogue.md).
SEED_SMELLS = {"catalogue-overlap", "catalogue-no-monitor"}
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture(scope="module")
def seeded() -> Catalogue:
    built = build_catalogue(read_appendix(SEED), find_province("Đắk Lắk"), PlanInfo())
    return parse_catalogue(built.text, "data/targets.yaml")


def test_the_seed_appendix_reproduces_every_target(seeded: Catalogue) -> None:
    real = load_catalogue(REAL_CATALOGUE)
    assert seeded.plan.milestones == real.plan.milestones
    assert [(g.id, g.name_vi) for g in seeded.groups] == [(g.id, g.name_vi) for g in real.groups]
    assert [i.id for i in seeded.indicators] == [i.id for i in real.indicators]
    for made, kept in zip(seeded.indicators, real.indicators, strict=True):
        assert made.targets == kept.targets, made.id
        assert made.name_vi == kept.name_vi
        assert made.group == kept.group


def test_what_init_infers_agrees_with_the_hand_made_catalogue(seeded: Catalogue) -> None:
    """Units and stock/flow are written only where the text settles them, and then rightly."""
    real = load_catalogue(REAL_CATALOGUE)
    for made, kept in zip(seeded.indicators, real.indicators, strict=True):
        left_open = {decision.field for decision in made.decisions}
        if "unit" not in left_open:
            assert made.unit == kept.unit, made.id
        if "flow" not in left_open:
            assert made.flow == kept.flow, made.id
        # Always open: init cannot know how often the province wants figures, nor English.
        assert {"frequency", "name_en"} <= left_open


def test_who_reports_for_a_group_without_members_is_an_open_decision(
    seeded: Catalogue,
) -> None:
    ct01 = seeded.indicator("CT01")
    assert ct01 is not None
    group = ct01.responsible[0]
    assert seeded.entry(group) is not None and seeded.entry(group).kind == "group"  # type: ignore[union-attr]
    decision = next(d for d in ct01.decisions if d.field == "reporters")
    assert group in decision.choices and ct01.reporters[0] in decision.choices


def test_the_communes_are_the_official_list(seeded: Catalogue) -> None:
    official = PROJECT / "data" / "registry" / "dak-lak-communes-2025.csv"
    rows = list(csv.DictReader(io.StringIO(official.read_text("utf-8"))))
    communes = [e for e in seeded.registry if e.code is not None]
    assert [(e.code, e.name_vi, e.kind) for e in communes] == [
        (r["code"], r["name"], r["kind"]) for r in rows
    ]
    real = load_catalogue(REAL_CATALOGUE)
    assert [e.id for e in communes] == [e.id for e in real.registry if e.code is not None]


def test_the_national_list_is_complete_and_compact() -> None:
    every = provinces()
    assert len(every) == 34
    assert sum(len(p.units) for p in every) == 3321
    assert all(re.fullmatch(r"\d{5}", u.code) for p in every for u in p.units)
    data = Path(__import__("plan57").__file__).parent / "catalogue" / "data" / "units-2025.csv"
    assert data.stat().st_size < 150_000


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Đắk Lắk", "Tỉnh Đắk Lắk"),
        ("dak lak", "Tỉnh Đắk Lắk"),
        ("46", "Thành phố Huế"),
        ("TP Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
        ("Gia Lai", "Tỉnh Gia Lai"),
    ],
)
def test_a_province_by_name_or_code(query: str, name: str) -> None:
    assert find_province(query).name == name


def test_units_named_in_one_cell() -> None:
    assert units_of("Sở Xây dựng, Sở Y tế, Sở Giáo dục và Đào tạo") == [
        "Sở Xây dựng",
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
    ]
    assert units_of(
        "Các sở, ban, ngành của tỉnh, các địa phương và các Viện, Trường học trên địa bàn tỉnh"
    ) == ["Các sở, ban, ngành của tỉnh", "các địa phương", "các Viện, Trường học trên địa bàn tỉnh"]
    assert units_of("Sở Khoa học và Công nghệ; Sở Nội vụ") == [
        "Sở Khoa học và Công nghệ",
        "Sở Nội vụ",
    ]


def _check_codes(repo: Path) -> tuple[int, set[str]]:
    result = invoke(repo, "check", "--format", "json")
    report = json.loads(result.stdout)
    return result.exit_code, {p["code"] for p in report["problems"]}


@needs_git
@pytest.mark.parametrize(
    ("appendix", "province", "allowed"),
    [(SEED, "Đắk Lắk", SEED_SMELLS), (OTHER, "Gia Lai", set())],
)
def test_init_gives_a_repository_check_report_and_site_work_on(
    tmp_path: Path, appendix: Path, province: str, allowed: set[str]
) -> None:
    repo = tmp_path / "repo"
    result = invoke(
        None, "init", str(repo), "--province", province, "--appendix", str(appendix), "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    assert "decisions" in result.stdout
    for name in ("README.md", ".gitattributes", ".pre-commit-config.yaml"):
        assert (repo / name).is_file()
    assert (repo / ".github" / "workflows" / "plan57.yml").is_file()
    assert (repo / "data" / "submissions").is_dir()
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%s"], capture_output=True, text=True, check=True
    )
    assert log.stdout.count("\n") == 1
    status = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True
    )
    assert status.stdout == ""
    code, found = _check_codes(repo)
    assert code == 0
    assert found - {"too-many-findings"} == {"catalogue-decision"} | allowed
    report = invoke(repo, "report", "--period", "2025Q4", "--format", "md")
    assert report.exit_code == 0
    site = invoke(repo, "site", "--period", "2025Q4", "--out", str(tmp_path / "site"))
    assert site.exit_code == 0
    # init writes the Word report's heading for the province: the report needs nothing more.
    word = tmp_path / "report.docx"
    assert invoke(repo, "report", "--period", "2025Q4", "--out", str(word)).exit_code == 0
    catalogue = load_catalogue(repo / "data" / "targets.yaml")
    assert catalogue.report is not None
    assert catalogue.report.place_vi == find_province(province).short_name
    assert (tmp_path / "site" / "index.html").is_file()
    if appendix == OTHER:  # another province's site names its own plan only
        seed = re.compile(r"đắk lắk|283-KH", re.IGNORECASE)
        pages = [*(tmp_path / "site").rglob("*.html"), *(tmp_path / "site").rglob("*.json")]
        assert [p.name for p in pages if seed.search(p.read_text("utf-8"))] == []
        assert not seed.search(report.stdout)


@needs_git
def test_init_reads_an_xlsx_appendix(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in SEED.read_text("utf-8").splitlines():
        sheet.append(line.split("\t"))
    workbook = tmp_path / "appendix.xlsx"
    book.save(workbook)
    repo = tmp_path / "repo"
    args = ["init", str(repo), "--province", "66", "--appendix", str(workbook)]
    result = invoke(None, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    assert made["indicators"] == 55 and made["province"] == "Tỉnh Đắk Lắk"
    built = load_catalogue(repo / "data" / "targets.yaml")
    real = load_catalogue(REAL_CATALOGUE)
    assert [i.targets for i in built.indicators] == [i.targets for i in real.indicators]


def test_an_existing_folder_is_never_written_into(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "keep.txt").write_text("mine", "utf-8")
    result = invoke(None, "init", str(repo), "--province", "Gia Lai", "--appendix", str(OTHER))
    assert result.exit_code == 2
    assert "repo" in result.stderr
    assert [p.name for p in repo.iterdir()] == ["keep.txt"]


def test_a_folder_inside_a_missing_one(tmp_path: Path) -> None:
    repo = tmp_path / "missing" / "repo"
    args = ["init", str(repo), "--province", "52", "--appendix", str(OTHER), "--lang", "en"]
    result = invoke(None, *args)
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("province", "says"),
    [("Atlantis", "No province"), ("Quảng", "several"), ("Dak Lac", "Đắk Lắk")],
)
def test_a_province_that_matches_none_or_several(tmp_path: Path, province: str, says: str) -> None:
    args = ["init", str(tmp_path / "repo"), "--province", province, "--appendix", str(OTHER)]
    result = invoke(None, *args, "--lang", "en")
    assert result.exit_code == 2  # a near miss is suggested, not taken
    assert says in result.stderr
    assert not (tmp_path / "repo").exists()


def test_a_bad_appendix_leaves_nothing_behind(tmp_path: Path) -> None:
    appendix = tmp_path / "appendix.csv"
    text = OTHER.read_text("utf-8").replace("\n6;", "\n5;")
    appendix.write_text(text, "utf-8")
    repo = tmp_path / "repo"
    args = ["init", str(repo), "--province", "Gia Lai", "--appendix", str(appendix)]
    result = invoke(None, *args, "--lang", "en")
    assert result.exit_code == 2
    assert "appendix.csv, row 13, column A: number 5 already appears on row 11" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["appendix.csv"]


def test_a_target_the_grammar_cannot_score_is_reported_at_its_cell(tmp_path: Path) -> None:
    appendix = tmp_path / "appendix.csv"
    appendix.write_text(OTHER.read_text("utf-8").replace("≥ 12;", "tối đa 12;"), "utf-8")
    result = invoke(
        None, "init", str(tmp_path / "r"), "--province", "52", "--appendix", str(appendix)
    )
    assert result.exit_code == 2
    assert "tối đa 12" in result.stderr and "D" in result.stderr


def test_the_plan_number_and_date_when_the_appendix_lacks_them(tmp_path: Path) -> None:
    appendix = tmp_path / "appendix.csv"
    appendix.write_text(OTHER.read_text("utf-8").split("\n", 2)[2], "utf-8")
    args = ["init", str(tmp_path / "r"), "--province", "52", "--appendix", str(appendix)]
    assert invoke(None, *args).exit_code == 2
    result = invoke(None, *args, "--plan-number", "9-KH/TU", "--plan-date", "2025-07-01")
    assert result.exit_code == 0, result.output
    built = load_catalogue(tmp_path / "r" / "data" / "targets.yaml")
    assert built.plan.number == "9-KH/TU" and str(built.plan.date) == "2025-07-01"
    assert invoke(None, *args[:2], "--plan-date", "1/7").exit_code == 2


def _text_of(path: Path) -> str:
    """A file's text; the Word template's is the XML of its parts."""
    if path.suffix != ".docx":
        return path.read_text("utf-8")
    import zipfile

    with zipfile.ZipFile(path) as package:
        return "\n".join(
            package.read(name).decode("utf-8", "replace") for name in package.namelist()
        )


def test_nothing_outside_the_catalogue_names_the_seed_province() -> None:
    """The CLI, reports, site and templates name a province only through the catalogue."""
    pattern = re.compile(r"đắk lắk|dak ?lak|283-KH", re.IGNORECASE)
    offenders = []
    for folder, glob in (("src/plan57/cli", "*.py"), ("templates", "*")):
        for path in sorted((PROJECT / folder).glob(glob)):
            for number, line in enumerate(_text_of(path).splitlines(), 1):
                if pattern.search(line) and not line.lstrip().startswith(("#", '"""')):
                    offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
