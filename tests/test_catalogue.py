"""The catalogue against the plan's appendix, and broken catalogues.

tests/data/appendix.tsv holds the appendix rows of Kế hoạch 283-KH/TU verbatim (STT, name, the
targets for 2025 … 2045, lead, responsible units, monitoring units). It is parsed here on its
own terms, without the catalogue's code, and every row is held against data/targets.yaml.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CATALOGUE, REAL_CATALOGUE, TEST_DATA, DataRepo, examples, make_repo
from plan57 import catalogue as catalogue_module
from plan57.catalogue import (
    CatalogueCache,
    catalogue_smells,
    indicator_lines,
    load_catalogue,
    parse_catalogue,
)
from plan57.errors import CatalogueError
from plan57.models import Catalogue, Indicator

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
    smells = catalogue_smells(catalogue, "en", "data/targets.yaml", text)
    assert [(s.code, s.indicator, s.line) for s in smells] == [
        ("catalogue-no-monitor", "CT36", lines["CT36"]),
        ("catalogue-no-monitor", "CT42", lines["CT42"]),
        ("catalogue-overlap", "CT27", lines["CT27"]),
    ]
    assert "CT13" in smells[2].message


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


# --- many revisions: CatalogueCache must always mean what the full parse means ---------------

SMALL = (TEST_DATA / "revisions" / "targets.yaml").read_text(encoding="utf-8")


def _outcome(parse: object) -> Catalogue | tuple[str, dict[str, object]]:
    try:
        result = parse()  # type: ignore[operator]
    except CatalogueError as error:
        return error.code, error.params
    assert isinstance(result, Catalogue)
    return result


def _flow_item(text: str) -> str:
    """The catalogue with CT05 written as one flow mapping: `- {id: CT05, …}`."""
    start = text.index("  - id: CT05")
    end = text.index("  - id: CT07")
    item = yaml.safe_load(text[start:end])[0]
    return text[:start] + "  - " + json.dumps(item, ensure_ascii=False) + "\n" + text[end:]


def _same(text: str | bytes) -> None:
    """Read alone, and cut from the small catalogue read before it, as the full parse reads it."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    full = _outcome(lambda: parse_catalogue(raw, "t.yaml"))
    assert _outcome(lambda: CatalogueCache().parse(raw, "t.yaml")) == full
    cache = CatalogueCache()
    cache.parse(SMALL.encode("utf-8"), "before.yaml")
    assert _outcome(lambda: cache.parse(raw, "t.yaml")) == full


def test_the_bundled_catalogues() -> None:
    for path in (CATALOGUE, REAL_CATALOGUE):
        _same(path.read_text(encoding="utf-8"))
    _same(SMALL)


def _milestone(old: str, new: str) -> Any:
    """A variant that rewrites one milestone line of CT05 (the first with that text)."""
    return lambda text: text.replace(old, new, 1)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.replace("\n    group: I\n", "\n\tgroup: I\n"), id="tab"),
        pytest.param(
            lambda t: t.replace("\n  - id: ", "\n- id: ").replace("\n    ", "\n  "),
            id="flush-items",
        ),
        pytest.param(
            lambda t: t.replace("indicators:\n", "indicators: # the appendix\n# note\n"),
            id="comments",
        ),
        pytest.param(lambda t: "---\n" + t, id="document-start"),
        pytest.param(lambda t: t + "...\n", id="document-end"),
        pytest.param(lambda t: t + "plan:\n  number: x\n", id="repeated-key"),
        pytest.param(lambda t: t + "extra: 1\n", id="unknown-key"),
        pytest.param(
            lambda t: t.replace(
                'name_en: "5G coverage in the province"', 'name_en: "5G\n  - coverage"'
            ),
            id="quoted-continuation-like-an-item",
        ),
        pytest.param(
            lambda t: t.replace(
                'name_en: "5G coverage in the province"', 'name_en: "5G\ncoverage: x"'
            ),
            id="quoted-continuation-like-a-key",
        ),
        pytest.param(
            lambda t: t.replace(
                'name_en: "5G coverage in the province"', "name_en: |\n      5G\n      - coverage\n"
            ),
            id="block-scalar",
        ),
        pytest.param(
            lambda t: t.replace(
                "milestones: [2025, 2030, 2035, 2040, 2045]",
                "milestones: [2025, 2030,\n2035, 2040, 2045]",
            ),
            id="flow-across-lines",
        ),
        pytest.param(
            lambda t: t.replace("  - id: CT05", "  - &five id: CT05").replace(
                "  - id: CT07", "  - *five\n  - id: CT07"
            ),
            id="alias",
        ),
        pytest.param(
            lambda t: t.replace("reporters: [so-tc]", "reporters: [so-nowhere]"),
            id="dangling-reference",
        ),
        pytest.param(lambda t: t.replace("  - id: CT07", "  - id: CT05"), id="duplicate-id"),
        pytest.param(
            lambda t: t.replace("    unit: percent_grdp", "   unit: percent_grdp"), id="bad-indent"
        ),
        pytest.param(
            lambda t: t.replace("indicators:\n", "indicators: []\nx:\n"), id="inline-indicators"
        ),
        pytest.param(lambda t: t[: t.index("indicators:")] + "indicators:\n", id="no-indicators"),
        pytest.param(lambda t: t.replace("\n", "\r"), id="old-mac-line-ends"),
        pytest.param(
            lambda t: t.replace("\nplan:", "\n  # indented comment\nplan:"), id="indented-comment"
        ),
        pytest.param(lambda t: t.encode("utf-16"), id="not-utf8"),
        pytest.param(
            lambda t: t.replace(
                'name_en: "5G coverage in the province"', "name_en: &n five G"
            ).replace('name_en: "R&D spending as a share of GRDP"', "name_en: *n"),
            id="scalar-alias-across-pieces",
        ),
        pytest.param(
            lambda t: t.replace(
                'name_vi: "Tỷ lệ phủ sóng 5G trên địa bàn"', 'name_vi: &n "Tỷ lệ phủ sóng 5G"'
            ).replace('name_en: "5G coverage in the province"', "name_en: *n"),
            id="scalar-alias-in-a-piece",
        ),
        pytest.param(
            lambda t: t.replace("  - id: CT05\n", "  - &five\n    id: CT05\n").replace(
                "  - id: CT07\n", "  - <<: *five\n    id: CT07\n"
            ),
            id="merge-key",
        ),
        pytest.param(
            lambda t: t.replace("date: 2025-05-22", "date: 2025-13-01"), id="impossible-date"
        ),
        # A block scalar keeps the line break that ends it, also at the end of a piece.
        pytest.param(
            lambda t: t.replace("    authority: so-tc\n", "").replace(
                '      2045: "≥ 3%"\n', '      2045: "≥ 3%"\n    authority: |\n      so-tc\n'
            ),
            id="block-scalar-ends-an-item",
        ),
        pytest.param(
            lambda t: t.replace(
                "  secretariat: vp-tu\n\ngroups:", "  secretariat: |\n    vp-tu\ngroups:"
            ),
            id="block-scalar-ends-a-section",
        ),
        pytest.param(
            lambda t: t.replace(
                'name_en: "5G coverage in the province"', "name_en: |+\n      5G coverage\n\n"
            ),
            id="keep-chomping",
        ),
        # What cutting an item into its keys must get right.
        pytest.param(
            lambda t: t.replace("    targets:\n", "    targets:   # the appendix\n"),
            id="comment-after-targets",
        ),
        pytest.param(
            lambda t: t.replace("\n      20", "\n          20"), id="targets-indented-deeper"
        ),
        pytest.param(
            lambda t: t.replace(
                '      2030: "≥ 1,5%"\n', '      # raised in July\n      2030: "≥ 1,5%"\n'
            ),
            id="comment-among-targets",
        ),
        pytest.param(
            lambda t: t.replace(
                "    combine: single\n    authority", "  # note\n    combine: single\n    authority"
            ),
            id="comment-left-of-the-keys",
        ),
        pytest.param(
            lambda t: t.replace("    unit: percent\n", "    unit: percent\n\n   \n"),
            id="blank-lines",
        ),
        pytest.param(
            lambda t: t.replace("    flow: false\n", "    flow: false   \n"), id="trailing-spaces"
        ),
        pytest.param(
            lambda t: t.replace('2030: "≥ 1,5%"', '2030: "≥ 1,5%"\n      2030: "≥ 9%"'),
            id="repeated-milestone",
        ),
        pytest.param(
            lambda t: t.replace("    unit: percent\n", "    unit: percent\n    unit: count\n", 1),
            id="repeated-key-in-an-item",
        ),
        pytest.param(lambda t: t.replace("    group: II\n", '    "group": II\n'), id="quoted-key"),
        pytest.param(lambda t: t.replace("    flow: false\n", "    on: false\n", 1), id="bool-key"),
        pytest.param(
            lambda t: t.replace('name_en: "5G coverage in the province"', 'name_en: &n "5G"'),
            id="unused-anchor",
        ),
        pytest.param(
            lambda t: t.replace(
                'name_en: "5G coverage in the province"',
                "name_en: 5G coverage\n      in the province",
            ),
            id="plain-scalar-on-two-lines",
        ),
        pytest.param(
            lambda t: t.replace(
                '    targets:\n      2025: "≥ 60%"\n      2030: "100%"\n      2035: null\n'
                "      2040: null\n      2045: null\n",
                '    targets: {2025: "≥ 60%", 2030: "100%"}\n',
            ),
            id="targets-in-flow-style",
        ),
        pytest.param(
            lambda t: t.replace(
                '    targets:\n      2025: "≥ 1,0%"', '    targets:\n    2025: "≥ 1,0%"'
            ),
            id="milestone-at-the-keys-column",
        ),
        pytest.param(
            lambda t: t.replace("    targets:\n      2025", "    targets:\n      - 2025"),
            id="targets-a-list",
        ),
        pytest.param(lambda t: t.replace("  - id: CT05\n", "  -   id: CT05\n"), id="wide-dash"),
        pytest.param(
            lambda t: t.replace("  - id: CT05\n", "  - # the budget\n    id: CT05\n"),
            id="comment-after-dash",
        ),
        pytest.param(lambda t: t.replace("  - id: CT05\n", "  -\n    id: CT05\n"), id="bare-dash"),
        pytest.param(_flow_item, id="item-in-flow-style"),
        pytest.param(
            lambda t: t.replace("  - id: CT07", "  - id: CT07\n    id: CT08"), id="two-ids"
        ),
        # What reading each milestone line alone must get right.
        pytest.param(_milestone('2030: "≥ 1,5%"', "2030: |"), id="milestone-block-scalar"),
        pytest.param(
            _milestone('2030: "≥ 1,5%"', "2030: >2\n        1,5%"), id="milestone-folded-below"
        ),
        pytest.param(_milestone('2030: "≥ 1,5%"', '2030: "≥ 1,5%'), id="milestone-quote-left-open"),
        pytest.param(_milestone('2030: "≥ 1,5%"', "2030: [1,"), id="milestone-flow-left-open"),
        pytest.param(
            lambda t: t.replace('2030: "≥ 1,5%"', '2030: &t "≥ 1,5%"', 1).replace(
                '2035: "≥ 2%"', "2035: *t", 1
            ),
            id="milestone-alias",
        ),
        pytest.param(_milestone('2030: "≥ 1,5%"', "2030: ≥ 1,5%"), id="milestone-plain"),
        pytest.param(
            _milestone('2030: "≥ 1,5%"', '2030: "≥ 1,5%"  # raised'), id="milestone-comment"
        ),
        pytest.param(_milestone('2030: "≥ 1,5%"', "2030: 'it''s 1,5%'"), id="milestone-single"),
        pytest.param(_milestone('2030: "≥ 1,5%"', '2030: "\\u2265 1,5%"'), id="milestone-escape"),
        pytest.param(_milestone('2030: "≥ 1,5%"', "2030: !!str 1,5"), id="milestone-tag"),
        pytest.param(_milestone('2030: "≥ 1,5%"', "2030:"), id="milestone-empty"),
        pytest.param(_milestone('2030: "≥ 1,5%"', "2030: 2031: x"), id="milestone-two-colons"),
        pytest.param(_milestone('2030: "≥ 1,5%"', '2030: "a" "b"'), id="milestone-two-scalars"),
        pytest.param(_milestone('2030: "≥ 1,5%"', "2030: - 1,5%"), id="milestone-dash"),
        pytest.param(
            _milestone('2030: "≥ 1,5%"', '2030: "≥ 1,5%"\n      2030: null'), id="milestone-twice"
        ),
        pytest.param(_milestone('2030: "≥ 1,5%"', "2030: true"), id="milestone-bool"),
        pytest.param(
            _milestone('2030: "≥ 1,5%"', '2030: "≥ 1,5%"\n       2035: "≥ 2%"'),
            id="milestone-indented-deeper",
        ),
        pytest.param(
            lambda t: t.replace('      2045: "≥ 3%"\n', '      2045: "≥ 3%"\n    baseline: 1\n'),
            id="key-after-targets",
        ),
        pytest.param(
            lambda t: t.replace("    targets:\n", "    targets: !!map\n", 1), id="targets-tagged"
        ),
    ],
)
def test_variants(variant: object) -> None:
    _same(variant(SMALL))  # type: ignore[operator]


_LINES = SMALL.split("\n")
_EDITS = st.sampled_from(
    ["delete", "duplicate", "comment", "indent", "dedent", "dash", "blank", "colon", "quote"]
)
# What the secretariat does most: a milestone's target rewritten.
_TARGETS = [n for n, line in enumerate(_LINES) if re.match(r" {6}20\d\d: ", line)]
_MOVES = st.tuples(
    st.sampled_from(_TARGETS), st.sampled_from(['"≥ 7%"', '"12"', "null", '"0,5 - 1%"'])
)


def _edit(lines: list[str], index: int, edit: str) -> list[str]:
    lines = list(lines)
    index %= len(lines)
    line = lines[index]
    if edit == "delete":
        del lines[index]
    elif edit == "duplicate":
        lines.insert(index, line)
    elif edit == "comment":
        lines.insert(index, " " * (index % 5) + "# note")
    elif edit == "indent":
        lines[index] = " " + line
    elif edit == "dedent":
        lines[index] = line[1:] if line.startswith(" ") else line
    elif edit == "dash":
        lines[index] = line.replace("    ", "  - ", 1)
    elif edit == "blank":
        lines.insert(index, "")
    elif edit == "colon":
        lines[index] = line.replace(":", "", 1)
    else:
        lines[index] = line + ' "'
    return lines or [""]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_LINES) - 1), _EDITS), min_size=1, max_size=3))
def test_random_edits_mean_the_same(edits: list[tuple[int, str]]) -> None:
    lines = list(_LINES)
    for index, edit in edits:
        lines = _edit(lines, index, edit)
    _same("\n".join(lines))


def _outcome_in(cache: CatalogueCache, text: str) -> Any:
    return _outcome(lambda: cache.parse(text.encode("utf-8"), "t.yaml"))


def _full(text: str) -> Any:
    return _outcome(lambda: parse_catalogue(text, "t.yaml"))


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.one_of(
                _MOVES.map(lambda move: ("move", *move)),
                st.tuples(st.just("edit"), st.integers(0, len(_LINES) - 1), _EDITS),
            ),
            min_size=1,
            max_size=3,
        ),
        min_size=1,
        max_size=6,
    ),
    st.randoms(use_true_random=False),
)
def test_revisions_read_in_turn_mean_the_same(
    steps: list[list[tuple[str, int, str]]], order: random.Random
) -> None:
    """One cache reads a history of revisions (each cut from the one read before it) and
    gives what the full parse gives for each, also read again in another order."""
    texts = [SMALL]
    lines = list(_LINES)
    for step in steps:
        for kind, index, change in step:
            if kind == "move" and index < len(lines) and re.match(r" {6}20\d\d: ", lines[index]):
                lines = list(lines)
                lines[index] = lines[index].split(":")[0] + ": " + change
            elif kind == "edit":
                lines = _edit(lines, index, change)
        texts.append("\n".join(lines))
    cache = CatalogueCache()
    for text in texts:
        assert _outcome_in(cache, text) == _full(text)
    again = CatalogueCache()
    order.shuffle(texts)
    for text in texts + texts[::-1]:
        assert _outcome_in(again, text) == _full(text)


def test_references_are_checked_when_the_registry_changes() -> None:
    cache = CatalogueCache()
    broken = SMALL.replace(
        '  - {id: so-tc, kind: department, name_vi: "Sở Tài chính", name_en: "Department of Finance"}\n',
        "",
    )
    dangling = SMALL.replace("reporters: [so-tc]", "reporters: [so-nowhere]")
    for text in (SMALL, broken, SMALL, dangling, broken, SMALL):
        assert _outcome_in(cache, text) == _full(text)
    assert isinstance(_outcome_in(cache, broken), tuple)
    assert isinstance(_outcome_in(cache, dangling), tuple)


def test_a_moved_target_is_read_from_the_revision_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast paths are taken, not only fallen back from: a revision that moves a target is
    cut from the previous one, and of the edited item only the changed line is parsed."""
    cache = CatalogueCache()
    cache.parse(SMALL.encode(), "a")
    whole: list[bytes] = []
    cut = catalogue_module._cut

    def counted_cut(text: bytes) -> Any:
        whole.append(text)
        return cut(text)

    parsed: list[str] = []
    load = catalogue_module._load_piece

    def counted_load(text: str) -> Any:
        parsed.append(text)
        return load(text)

    monkeypatch.setattr(catalogue_module, "_cut", counted_cut)
    monkeypatch.setattr(catalogue_module, "_load_piece", counted_load)
    edited = SMALL.replace('2030: "≥ 1,5%"', '2030: "≥ 2%"').replace(
        '2025: "≥ 60%"', '2025: "≥ 70%"'
    )
    assert cache.parse(edited.encode(), "b") == parse_catalogue(edited, "b")
    assert whole == []
    assert sorted(parsed) == ['      2025: "≥ 70%"\n', '      2030: "≥ 2%"\n']


# The same catalogue with `indicators` before the sections it refers to.
_REORDERED = (
    SMALL[: SMALL.index("groups:")]
    + SMALL[SMALL.index("indicators:") :]
    + "\n"
    + SMALL[SMALL.index("groups:") : SMALL.index("indicators:")]
)
_CT05 = SMALL[SMALL.index("  - id: CT05") : SMALL.index("  - id: CT07")]
# Edits within the items, at their edges above all: each revision is cut from the one before.
_ITEM_EDITS = [
    ("      2045: null\n  - id: CT05", "  - id: CT05"),
    ("  - id: CT05\n", "  - id: CT05\n    baseline: 1\n"),
    ("  - id: CT05", "  - id: CT06"),
    ("  - id: CT01\n", "  - id: CT01\n    baseline: 2\n"),
    (_CT05, ""),
    ("  - id: CT07", _CT05.replace("CT05", "CT09") + "  - id: CT07"),
    ('2030: "≥ 1,5%"\n      2035: "≥ 2%"', '2030: "≥ 1,6%"\n      2035: "≥ 2,25%"'),
    ("      2045: null\n", '      2045: "≥ 1%"\n'),
]


def _apply(text: str, old: str, new: str) -> str:
    # The last occurrence: the end of the text for the last edit.
    at = text.rindex(old)
    return text[:at] + new + text[at + len(old) :]


@pytest.mark.parametrize("base", [SMALL, _REORDERED], ids=["indicators-last", "indicators-first"])
def test_edits_within_items_are_cut_from_the_revision_before(
    base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole: list[bytes] = []
    cut = catalogue_module._cut

    def counted_cut(text: bytes) -> Any:
        whole.append(text)
        return cut(text)

    monkeypatch.setattr(catalogue_module, "_cut", counted_cut)
    pairs = 0
    for one, two in itertools.permutations(_ITEM_EDITS, 2):
        first = _apply(base, *one)
        if two[0] not in first:
            continue  # the first edit took away what the second would edit
        pairs += 1
        both = _apply(first, *two)
        cache = CatalogueCache()
        whole.clear()
        for text in (base, first, both, _apply(base, *two), base, both):
            assert _outcome_in(cache, text) == _full(text)
        assert len(whole) == 1, (one, two)
    assert pairs > 40


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  secretariat: vp-tu", "  secretariat: so-tc"),
        ("members: [dn-viettel]", "members: [dn-viettel, so-nowhere]"),
        ("  - {id: II,", "  - {id: III,"),
        # The same length: the text after the edit does not move.
        ("  - {id: II,", "  - {id: IX,"),
        ("kind: enterprise", "kind: institute "),
        ("indicators:\n", "indicators:  # the appendix\n"),
        ("indicators:\n", "indicators:\n  # the appendix\n"),
        ("  - id: CT01\n", "x: 1\n  - id: CT01\n"),
        ("  - id: CT01\n", "    - id: CT01\n"),
        ("  - id: CT05\n", "registry:\n  - id: CT05\n"),
        ("  - id: CT05\n", "   - id: CT05\n"),
        ("  - id: CT05\n", "  -id: CT05\n"),
        ("      2045: null\n", "      2045: null\n\t\n"),
        ("      2045: null\n", "      2045: null\r"),
    ],
)
@pytest.mark.parametrize("base", [SMALL, _REORDERED], ids=["indicators-last", "indicators-first"])
def test_edits_reaching_outside_the_items(base: str, old: str, new: str) -> None:
    """Edits of the other sections, of the items' frame, or that no longer cut into items."""
    cache = CatalogueCache()
    edited = _apply(base, old, new)
    for text in (base, edited, base, edited):
        assert _outcome_in(cache, text) == _full(text)


def test_unchanged_pieces_are_shared() -> None:
    cache = CatalogueCache()
    first = cache.parse(SMALL.encode(), "a", blob="a")
    edited = SMALL.replace('2030: "≥ 1,5%"', '2030: "≥ 2%"')
    second = cache.parse(edited.encode(), "b", blob="b")
    assert second == parse_catalogue(edited, "b")
    assert first.indicators[0] is second.indicators[0]
    assert first.indicators[1] is not second.indicators[1]
    assert first.plan is second.plan
    assert cache.parse(b"anything", "a", blob="a") is first  # cached by blob id
    assert "a" in cache and "c" not in cache


def test_errors_are_cached_by_blob() -> None:
    cache = CatalogueCache()
    with pytest.raises(CatalogueError) as caught:
        cache.parse(b"plan: [", "bad", blob="x")
    with pytest.raises(CatalogueError) as again:
        cache.get("x")
    assert again.value is caught.value


def test_a_line_separator_made_by_changing_one_byte_is_seen() -> None:
    """U+2027 and U+2028 differ in their last byte only: a revision that turns one into the
    other changes one byte, and the cut from the revision before must still see the break
    (YAML breaks lines there; the cut's line rule does not)."""
    before = SMALL.replace("5G coverage in the province", "5G\u2027coverage")
    last = catalogue_module._cut(before.encode())
    assert last is not None
    harmless = before.replace("\u2027", "\u2026").encode()
    assert catalogue_module._recut(last, harmless) is not None
    assert catalogue_module._recut(last, before.replace("\u2027", "\u2028").encode()) is None
    assert catalogue_module._cut(before.replace("\u2027", "\u2028").encode()) is None
