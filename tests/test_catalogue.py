"""The catalogue against the plan's appendix, and broken catalogues.

tests/data/appendix.tsv holds the appendix rows of Kế hoạch 283-KH/TU verbatim (STT, name, the
targets for 2025 … 2045, lead, responsible units, monitoring units). It is parsed here on its
own terms, without the catalogue's code, and every row is held against data/targets.yaml.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import CATALOGUE, REAL_CATALOGUE, TEST_DATA, DataRepo, make_repo
from plan57.catalogue.loading import (
    catalogue_smells,
    indicator_lines,
    load_catalogue,
    parse_catalogue,
)
from plan57.catalogue.models import Catalogue, Indicator
from plan57.errors import CatalogueError

YEARS = (2025, 2030, 2035, 2040, 2045)
# The appendix's section headings: I 1–4, II 5–12, III 13–26, IV 27–38, V 39–55.
GROUPS = {"I": (1, 4), "II": (5, 12), "III": (13, 26), "IV": (27, 38), "V": (39, 55)}
# The plan's phrases for groups of units, as the registry names them.
PHRASES = {
    "Các sở, ban, ngành của tỉnh, các địa phương và các Viện, Trường học trên địa bàn tỉnh": [
        "cac-so-nganh",
        "cac-dia-phuong",
        "vien-truong",
    ],
    "Các sở, ban, ngành của tỉnh, các địa phương": ["cac-so-nganh", "cac-dia-phuong"],
    "Các sở, ban ngành của tỉnh, các địa phương": ["cac-so-nganh", "cac-dia-phuong"],
    "Các sở, ban, ngành của tỉnh": ["cac-so-nganh"],
    "Các Doanh nghiệp bưu chính, Công nghệ thông tin trên địa bàn tỉnh": ["doanh-nghiep-bcvt-cntt"],
}
FIXED_IDS = {
    "so-khcn": "Sở Khoa học và Công nghệ",
    "so-tc": "Sở Tài chính",
    "so-nv": "Sở Nội vụ",
    "so-xd": "Sở Xây dựng",
    "so-yt": "Sở Y tế",
    "so-gddt": "Sở Giáo dục và Đào tạo",
    "so-ct": "Sở Công Thương",
    "ca-tinh": "Công an tỉnh",
    "vp-tu": "Văn phòng Tỉnh ủy",
    "vp-ubnd": "Văn phòng UBND tỉnh",
}


def _appendix() -> list[list[str]]:
    rows = [
        line.split("\t") for line in (TEST_DATA / "appendix.tsv").read_text("utf-8").splitlines()
    ]
    assert all(len(row) == 10 for row in rows)
    return rows


APPENDIX = _appendix()
REAL = REAL_CATALOGUE.read_text("utf-8")
RAW_INDICATORS = {raw["id"]: raw for raw in yaml.safe_load(REAL)["indicators"]}


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(REAL_CATALOGUE)


def _units(cell: str, catalogue: Catalogue) -> list[str]:
    """Registry ids of a cell of the appendix ("Sở Nội vụ, Sở Khoa học và Công nghệ")."""
    if not cell.strip():
        return []
    if cell in PHRASES:
        return PHRASES[cell]
    by_name = {entry.name_vi.lower(): entry.id for entry in catalogue.registry}
    return [by_name[name.strip().lower()] for name in re.split(r"[;,]", cell)]


def _expected_target(text: str) -> tuple[str, float | None, float | None, float | None]:
    """(kind, value, low, high) of a target as the appendix writes it, decimal commas and all."""

    def number(raw: str) -> float:
        return float(raw.replace(",", "."))

    written = " ".join(text.split())
    if match := re.fullmatch(r"≥\s*([\d.,]+)\s*%?( GRDP)?", written):
        return "min", number(match.group(1)), None, None
    if match := re.fullmatch(r"([\d.,]+)\s*-\s*([\d.,]+)\s*%?", written):
        return "range", None, number(match.group(1)), number(match.group(2))
    if match := re.fullmatch(r"([\d.,]+)\s*%?", written):
        return "exact", number(match.group(1)), None, None
    return "qualitative", None, None, None


def _expected_unit(name: str, targets: list[str]) -> str:
    written = [t for t in targets if t]
    if any("GRDP" in t for t in written):
        return "percent_grdp"
    if any("%" in t for t in written):
        return "percent"
    if all(_expected_target(t)[0] == "qualitative" for t in written):
        return "yes_no"
    if "vạn dân" in name:
        return "per_10k"
    if name.startswith("Chỉ số"):
        return "index"
    return "count"


def test_all_55_indicators_in_the_appendix_order(catalogue: Catalogue) -> None:
    assert [row[0] for row in APPENDIX] == [str(n) for n in range(1, 56)]
    assert [ind.id for ind in catalogue.indicators] == [f"CT{n:02d}" for n in range(1, 56)]


@pytest.mark.parametrize("row", APPENDIX, ids=lambda row: f"CT{int(row[0]):02d}")
def test_indicator_matches_its_appendix_row(row: list[str], catalogue: Catalogue) -> None:
    number, name, *targets, lead, responsible, monitors = (cell.strip() for cell in row)
    ind = catalogue.indicator(f"CT{int(number):02d}")
    assert ind is not None
    # The plan's list formatting ("- ", sometimes "-" alone) is the only thing taken off.
    assert ind.name_vi == re.sub(r"^-\s?", "", name)
    assert ind.name_en.strip() and ind.name_en != ind.name_vi
    (group,) = [g for g, (first, last) in GROUPS.items() if first <= int(number) <= last]
    assert ind.group == group
    for year, text in zip(YEARS, targets, strict=True):
        target = ind.target_for(year)
        if not text:
            assert target is None, f"{year} is blank in the appendix"
            continue
        assert target is not None, f"{year}: {text}"
        assert target.text == text
        assert (target.kind, target.value, target.low, target.high) == _expected_target(text)
    assert [t.year for t in ind.targets] == [y for y, t in zip(YEARS, targets, strict=True) if t]
    assert ind.unit == _expected_unit(ind.name_vi, targets)
    assert ind.flow == ("mỗi năm" in name)
    assert ind.lead == _units(lead, catalogue)[0]
    assert ind.responsible == _units(responsible, catalogue)
    assert ind.monitors == _units(monitors, catalogue)


@pytest.mark.parametrize(
    ("indicator", "year", "kind", "value", "low", "high", "text"),
    [
        ("CT05", 2025, "min", 1.0, None, None, "≥ 1,0%"),
        ("CT05", 2040, "min", 2.5, None, None, "≥ 2,5%"),
        ("CT06", 2025, "min", 1.0, None, None, "≥ 1,0% GRDP"),
        ("CT09", 2025, "min", 80.0, None, None, "≥80%"),
        ("CT11", 2025, "exact", 6.5, None, None, "6,5"),
        ("CT14", 2025, "min", 4.0, None, None, "≥ 04"),
        ("CT12", 2040, "range", None, 80.0, 90.0, "80-90%"),
        ("CT23", 2040, "range", None, 15.0, 20.0, "15 - 20"),
        ("CT39", 2025, "min", 0.6, None, None, "≥ 0.60"),
        ("CT39", 2045, "exact", 1.0, None, None, "1"),
        ("CT42", 2025, "exact", 70.0, None, None, "70%"),
        ("CT04", 2025, "qualitative", None, None, None, "Có"),
        ("CT26", 2030, "qualitative", None, None, None, "Ứng dụng"),
        ("CT54", 2045, "qualitative", None, None, None, "Duy trì/nâng cấp"),
        ("CT55", 2045, "qualitative", None, None, None, "Đóng góp"),
    ],
)
def test_targets_spelled_out(
    catalogue: Catalogue,
    indicator: str,
    year: int,
    kind: str,
    value: float | None,
    low: float | None,
    high: float | None,
    text: str,
) -> None:
    ind = catalogue.indicator(indicator)
    assert ind is not None
    target = ind.target_for(year)
    assert target is not None
    assert target.model_dump() == {
        "year": year,
        "kind": kind,
        "value": value,
        "low": low,
        "high": high,
        "text": text,
    }


def test_blank_cells_stay_blank(catalogue: Catalogue) -> None:
    ct55 = catalogue.indicator("CT55")
    assert ct55 is not None
    assert [t.year for t in ct55.targets] == [2045]
    ct25 = catalogue.indicator("CT25")
    assert ct25 is not None
    assert [t.year for t in ct25.targets] == [2040]


def test_plan_metadata(catalogue: Catalogue) -> None:
    plan = catalogue.plan
    assert plan.number == "283-KH/TU"
    assert plan.date == date(2025, 5, 22)
    assert plan.resolution == "57-NQ/TW"
    assert plan.issuer_vi == "Ban Thường vụ Tỉnh ủy Đắk Lắk"
    assert plan.milestones == list(YEARS)
    assert plan.baseline_year == 2024
    assert catalogue.entry(plan.secretariat) is not None
    assert [g.id for g in catalogue.groups] == list(GROUPS)


def test_registry_has_the_fixed_ids(catalogue: Catalogue) -> None:
    for entry_id, name in FIXED_IDS.items():
        entry = catalogue.entry(entry_id)
        assert entry is not None, entry_id
        assert entry.name_vi == name
        assert catalogue.is_reporter(entry_id)
    for group in ("cac-so-nganh", "cac-dia-phuong", "doanh-nghiep-bcvt-cntt", "vien-truong"):
        entry = catalogue.entry(group)
        assert entry is not None and entry.kind == "group"
        assert not catalogue.is_reporter(group)


# The judgement calls made when transcribing the plan (docs/catalogue.md explains each).
REPORTED_BY_ONE = {"CT11": ["so-nv"], "CT53": ["so-tc"], "CT55": ["so-tc"]}
# Coverage is a network's: of the plan's postal and IT enterprises, the network operators.
NETWORK_OPERATORS = ["dn-viettel", "dn-vnpt", "dn-mobifone", "dn-fpt-telecom"]


@pytest.mark.parametrize("ind", load_catalogue(REAL_CATALOGUE).indicators, ids=lambda i: i.id)
def test_reporters_and_how_they_combine(ind: Indicator, catalogue: Catalogue) -> None:
    reporters = catalogue.expand(ind.reporters)
    if ind.id in ("CT01", "CT02", "CT03"):
        assert ind.responsible == ["doanh-nghiep-bcvt-cntt"]
        assert reporters == NETWORK_OPERATORS
        assert set(reporters) < set(catalogue.expand(ind.responsible))
        # Coverage by the best operator, not a sum over operators.
        assert ind.combine == "max"
    else:
        _reporters_and_combine(ind, reporters)
    # How often each indicator is reported is a choice made per indicator, never the default.
    assert RAW_INDICATORS[ind.id]["frequency"] == ind.frequency


def _reporters_and_combine(ind: Indicator, reporters: list[str]) -> None:
    assert ind.reporters == REPORTED_BY_ONE.get(ind.id, ind.responsible)
    if ind.id == "CT13":
        assert (ind.combine, ind.authority) == ("single", "so-khcn")
        assert ind.reporters == ["so-khcn", "so-tc"]
    elif len(ind.reporters) == 1 and len(reporters) == 1:
        assert (ind.combine, ind.authority) == ("single", ind.reporters[0])
    else:
        assert ind.unit == "percent"
        assert ind.combine == "ratio"


def test_smells_of_the_real_catalogue(catalogue: Catalogue) -> None:
    text = REAL_CATALOGUE.read_text("utf-8")
    lines = indicator_lines(text)
    smells = catalogue_smells(catalogue, "data/targets.yaml", text)
    assert [(s.code, s.indicator, s.line) for s in smells] == [
        ("catalogue-no-monitor", "CT36", lines["CT36"]),
        ("catalogue-no-monitor", "CT42", lines["CT42"]),
        ("catalogue-overlap", "CT27", lines["CT27"]),
    ]
    assert "CT13" in smells[2].message("en")


def test_indicator_lines_point_at_each_entry() -> None:
    text = REAL_CATALOGUE.read_text("utf-8")
    lines = indicator_lines(text)
    source = text.splitlines()
    assert sorted(lines) == [f"CT{n:02d}" for n in range(1, 56)]
    for indicator, line in lines.items():
        assert source[line - 1].strip() == f"- id: {indicator}"


# --- broken catalogues ---


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _broken(old: str, new: str) -> str:
    assert REAL.count(old) >= 1, old
    return REAL.replace(old, new, 1)


def _error(text: str | bytes) -> CatalogueError:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, "data/targets.yaml")
    return caught.value


def test_yaml_syntax_error_names_the_line() -> None:
    text = _broken("    unit: count\n", "    unit: [count\n")
    error = _error(text)
    assert error.code == "catalogue-yaml"
    # The parser notices the unclosed bracket at the next line.
    assert error.params["line"] in (_line_of(text, "[count"), _line_of(text, "[count") + 1)
    assert "data/targets.yaml" in str(error)


def test_tab_indentation_names_the_line() -> None:
    text = _broken('  number: "283-KH/TU"', '\tnumber: "283-KH/TU"')
    error = _error(text)
    assert (error.code, error.params["line"]) == ("catalogue-yaml", _line_of(text, "\tnumber"))


def test_invalid_field_names_the_line_and_field() -> None:
    text = _broken("    unit: count\n", "    unit: counts\n")
    error = _error(text)
    assert error.code == "catalogue-invalid"
    assert error.params["line"] == _line_of(text, "unit: counts")
    assert error.params["field"] == "indicators.12.unit"
    assert "percent" in error.params["reason"]


def test_unknown_field_is_refused() -> None:
    text = _broken("    unit: count\n", "    unit: count\n    colour: red\n")
    error = _error(text)
    assert error.code == "catalogue-invalid"
    assert error.params["line"] == _line_of(text, "colour: red")


def test_unknown_reference_names_the_indicator() -> None:
    text = _broken("    monitors: [so-tc]\n", "    monitors: [so-tcc]\n")
    error = _error(text)
    assert error.code == "catalogue-invalid"
    assert "so-tcc" in error.params["reason"]
    assert error.params["line"] == _line_of(text, "- id: CT05")


def test_unknown_group_member_names_the_group() -> None:
    text = _broken("members: [dn-viettel,", "members: [dn-viettell,")
    error = _error(text)
    assert error.code == "catalogue-invalid"
    assert error.params["line"] == _line_of(text, "- id: doanh-nghiep-bcvt-cntt")


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = _broken(
        'number: "283-KH/TU"', f'number: !!python/object/apply:os.system ["touch {marker}"]'
    )
    error = _error(text)
    assert error.code == "catalogue-yaml"
    assert error.params["line"] == _line_of(text, "!!python")
    assert not marker.exists()
    assert _error("plan: !!python/name:os.system\n").code == "catalogue-yaml"


def test_alias_bomb_is_refused() -> None:
    # Nine levels of nine references: 9**9 strings if it were ever expanded.
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    error = _error("\n".join(lines) + "\ngroups: *a9\n")
    assert error.code == "catalogue-yaml"
    assert "alias" in error.params["reason"].lower()


def test_any_alias_is_refused() -> None:
    # Even a harmless-looking alias: the catalogue never needs one.
    text = _broken("    lead: dang-uy-ubnd\n", "    lead: &lead dang-uy-ubnd\n")
    text = text.replace("    lead: dang-uy-ubnd\n", "    lead: *lead\n", 1)
    error = _error(text)
    assert error.code == "catalogue-yaml"
    assert error.params["line"] in (_line_of(text, "&lead"), _line_of(text, "*lead"))


def test_impossible_date_names_the_line() -> None:
    text = _broken("date: 2025-05-22", "date: 2025-13-22")
    error = _error(text)
    assert (error.code, error.params["line"]) == ("catalogue-yaml", _line_of(text, "2025-13-22"))


def test_a_yes_target_is_not_a_boolean() -> None:
    # YAML reads a bare yes as true: the target must be quoted to keep the plan's words.
    text = _broken('      2025: "Có"', "      2025: yes")
    error = _error(text)
    assert error.code == "catalogue-invalid"
    assert error.params["field"] == "indicators.3.targets"


def test_a_target_year_must_be_a_milestone() -> None:
    text = _broken('      2025: "≥ 1,0%"', '      2026: "≥ 1,0%"')
    error = _error(text)
    assert error.code == "catalogue-invalid"
    assert "2026" in error.params["reason"]
    assert error.params["line"] == _line_of(text, "- id: CT05")


def test_not_a_mapping_and_not_utf8() -> None:
    assert _error("- just\n- a list\n").code == "catalogue-invalid"
    assert _error("").code == "catalogue-invalid"
    assert _error(b"schema: 1\nplan: \xff\n").code == "catalogue-unreadable"


def test_utf8_bom_is_accepted() -> None:
    assert len(parse_catalogue(b"\xef\xbb\xbf" + REAL.encode(), "x").indicators) == 55


def test_missing_catalogue(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path / "data" / "targets.yaml")
    assert caught.value.code == "catalogue-missing"


def test_linked_catalogue_is_refused(repo: DataRepo, tmp_path: Path) -> None:
    real = tmp_path / "elsewhere.yaml"
    repo.catalogue.rename(real)
    repo.catalogue.symlink_to(real)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(repo.catalogue)
    assert caught.value.code == "catalogue-missing"


def test_targets_in_any_order_are_sorted(tmp_path: Path) -> None:
    text = _broken(
        '      2025: "≥ 60%"\n      2030: "100%"\n', '      2030: "100%"\n      2025: "≥ 60%"\n'
    )
    repo = make_repo(tmp_path / "repo")
    repo.write("data/targets.yaml", text)
    ct01 = load_catalogue(repo.catalogue).indicator("CT01")
    assert ct01 is not None
    assert [t.year for t in ct01.targets] == [2025, 2030]


@pytest.mark.parametrize(
    ("find", "replace", "field"),
    [
        ("deadline_days: 15", "deadline_days: 1000000000000000000000", "deadline_days"),
        ("stale_after_months: 12", "stale_after_months: .inf", "stale_after_months"),
        ("baseline_year: 2024", "baseline_year: 9999", "baseline_year"),
        ('      2040: "50-60"', '      2040: "50-6' + "0" * 400 + '"', "targets"),
    ],
)
def test_numbers_beyond_their_bounds_are_a_catalogue_error_with_a_line(
    find: str, replace: str, field: str
) -> None:
    text = CATALOGUE.read_text("utf-8")
    assert find in text
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text.replace(find, replace, 1), "data/targets.yaml")
    assert caught.value.code == "catalogue-invalid"
    assert field in caught.value.params["field"]
    line = text[: text.index(find)].count("\n") + 1
    # A target is placed at its indicator's `targets:` line, a few lines above the year.
    assert line - 5 <= caught.value.params["line"] <= line


@pytest.mark.parametrize(
    ("find", "duplicate"),
    [
        ('      2025: "≥ 60%"\n', '      2025: "≥ 60%"\n      2025: "≥ 10%"\n'),
        ("  baseline_year: 2024\n", "  baseline_year: 2024\n  baseline_year: 2020\n"),
    ],
)
def test_duplicate_keys_are_a_catalogue_error_naming_both_lines(find: str, duplicate: str) -> None:
    text = CATALOGUE.read_text("utf-8")
    assert find in text
    line = text[: text.index(find)].count("\n") + 1
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text.replace(find, duplicate, 1), "data/targets.yaml")
    assert caught.value.code == "catalogue-duplicate-key"
    assert (caught.value.params["first"], caught.value.params["line"]) == (line, line + 1)
    assert f"line {line + 1}" in str(caught.value) and f"line {line}." in str(caught.value)
