"""The catalogue's data model: targets parsed from the plan's text, references, groups."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from plan57.catalogue.models import Catalogue, Indicator, Target


@pytest.mark.parametrize(
    ("text", "kind", "value", "low", "high", "kept"),
    [
        ("≥ 60%", "min", 60.0, None, None, "≥ 60%"),
        ("≥80%", "min", 80.0, None, None, "≥80%"),
        (">= 5", "min", 5.0, None, None, ">= 5"),
        ("≥ 1,0%", "min", 1.0, None, None, "≥ 1,0%"),
        ("≥ 3,0% GRDP", "min", 3.0, None, None, "≥ 3,0% GRDP"),
        ("≥ 04", "min", 4.0, None, None, "≥ 04"),
        ("≥ 0.60", "min", 0.6, None, None, "≥ 0.60"),
        ("100%", "exact", 100.0, None, None, "100%"),
        ("6,5", "exact", 6.5, None, None, "6,5"),
        ("1", "exact", 1.0, None, None, "1"),
        ("15 - 20", "range", None, 15.0, 20.0, "15 - 20"),
        ("80-90%", "range", None, 80.0, 90.0, "80-90%"),
        ("7 – 10", "range", None, 7.0, 10.0, "7 – 10"),
        ("Có", "qualitative", None, None, None, "Có"),
        ("Duy trì/nâng cấp", "qualitative", None, None, None, "Duy trì/nâng cấp"),
        # Whitespace is tidied; the words are kept.
        ("  Ứng   dụng ", "qualitative", None, None, None, "Ứng dụng"),
        ("≥  60 %", "min", 60.0, None, None, "≥ 60 %"),
    ],
)
def test_target_parse(
    text: str, kind: str, value: float | None, low: float | None, high: float | None, kept: str
) -> None:
    target = Target.parse(2030, text)
    assert (target.year, target.kind, target.value, target.low, target.high, target.text) == (
        2030,
        kind,
        value,
        low,
        high,
        kept,
    )


def test_threshold() -> None:
    assert Target.parse(2030, "≥ 60%").threshold == 60.0
    assert Target.parse(2030, "100%").threshold == 100.0
    assert Target.parse(2030, "15 - 20").threshold == 15.0
    assert Target.parse(2030, "Có").threshold is None


def _catalogue() -> dict[str, Any]:
    """A small valid catalogue as YAML would load it."""
    return {
        "schema": 1,
        "plan": {
            "number": "283-KH/TU",
            "date": "2025-05-22",
            "issuer_vi": "Ban Thường vụ Tỉnh ủy Đắk Lắk",
            "issuer_en": "Standing Committee",
            "title_vi": "Kế hoạch",
            "title_en": "Plan",
            "resolution": "57-NQ/TW",
            "milestones": [2025, 2030],
            "secretariat": "vp-tu",
        },
        "groups": [{"id": "I", "name_vi": "Hạ tầng", "name_en": "Infrastructure"}],
        "registry": [
            {"id": "vp-tu", "kind": "department", "name_vi": "Văn phòng Tỉnh ủy", "name_en": "VP"},
            {"id": "so-tc", "kind": "department", "name_vi": "Sở Tài chính", "name_en": "DoF"},
            {"id": "xa-a", "kind": "commune", "name_vi": "Xã A", "name_en": "A"},
            {"id": "xa-b", "kind": "commune", "name_vi": "Xã B", "name_en": "B"},
            {"id": "ubnd", "kind": "body", "name_vi": "UBND", "name_en": "PPC"},
            {
                "id": "dia-phuong",
                "kind": "group",
                "name_vi": "Các địa phương",
                "name_en": "Communes",
                "members": ["xa-a", "xa-b"],
            },
            {
                "id": "tat-ca",
                "kind": "group",
                "name_vi": "Tất cả",
                "name_en": "All",
                "members": ["so-tc", "dia-phuong", "xa-a"],
            },
        ],
        "indicators": [
            {
                "id": "CT01",
                "group": "I",
                "name_vi": "Tỷ lệ",
                "name_en": "Share",
                "unit": "percent",
                "flow": False,
                "lead": "ubnd",
                "responsible": ["tat-ca"],
                "monitors": ["so-tc"],
                "reporters": ["tat-ca"],
                "combine": "ratio",
                "targets": {2025: "≥ 60%", 2030: "100%"},
            },
            {
                "id": "CT02",
                "group": "I",
                "name_vi": "Số lượng mỗi năm",
                "name_en": "Count each year",
                "unit": "count",
                "flow": True,
                "lead": "ubnd",
                "responsible": ["so-tc"],
                "monitors": [],
                "reporters": ["so-tc"],
                "combine": "single",
                "targets": {2025: None, 2030: "≥ 10"},
            },
        ],
    }


def _invalid(change: Any) -> str:
    data = _catalogue()
    change(data)
    with pytest.raises(ValidationError) as caught:
        Catalogue.model_validate(data)
    return str(caught.value)


def test_small_catalogue_is_valid() -> None:
    catalogue = Catalogue.model_validate(_catalogue())
    assert catalogue.schema_version == 1
    assert catalogue.scoring.tolerance == 0.95
    assert catalogue.submission.deadline_days == 15
    ct02 = catalogue.indicator("CT02")
    assert ct02 is not None
    assert [t.year for t in ct02.targets] == [2030]
    assert ct02.frequency == "quarter"
    assert ct02.name("vi") == "Số lượng mỗi năm" and ct02.name("en") == "Count each year"
    assert catalogue.indicator("CT03") is None


def test_groups_expand_to_members_recursively_once() -> None:
    catalogue = Catalogue.model_validate(_catalogue())
    assert catalogue.expand(["tat-ca"]) == ["so-tc", "xa-a", "xa-b"]
    assert catalogue.expand(["xa-b", "dia-phuong"]) == ["xa-b", "xa-a"]
    assert catalogue.assignments == {
        "CT01": frozenset({"so-tc", "xa-a", "xa-b"}),
        "CT02": frozenset({"so-tc"}),
    }
    assert [i.id for i in catalogue.indicators_for("xa-a")] == ["CT01"]
    assert [i.id for i in catalogue.indicators_for("so-tc")] == ["CT01", "CT02"]
    assert catalogue.reporter_ids() == ["vp-tu", "so-tc", "xa-a", "xa-b"]
    assert not catalogue.is_reporter("ubnd") and not catalogue.is_reporter("dia-phuong")
    assert not catalogue.is_reporter("nobody")
    assert catalogue.entry_name("so-tc", "vi") == "Sở Tài chính"
    assert catalogue.entry_name("so-tc", "en") == "DoF"
    assert catalogue.entry_name("nobody", "en") == "nobody"


def test_group_cycles_do_not_loop() -> None:
    data = _catalogue()
    data["registry"][5]["members"].append("tat-ca")
    catalogue = Catalogue.model_validate(data)
    assert catalogue.expand(["tat-ca"]) == ["so-tc", "xa-a", "xa-b"]


def test_targets_yaml_form() -> None:
    data = _catalogue()["indicators"][0]
    data["targets"] = {2030: "100%", 2025: "≥ 60%"}
    indicator = Indicator.model_validate(data)
    assert [t.year for t in indicator.targets] == [2025, 2030]
    assert indicator.target_for(2030) == Target.parse(2030, "100%")
    assert indicator.target_for(2035) is None
    data["targets"] = {2025: 12}
    assert Indicator.model_validate(data).targets[0].text == "12"
    data["targets"] = {2025: "   "}
    assert Indicator.model_validate(data).targets == []


@pytest.mark.parametrize(
    "targets",
    [{2025: True}, {2025: False}, {"2025": "≥ 60%"}, {2025: ["≥ 60%"]}],
)
def test_bad_targets(targets: dict[Any, Any]) -> None:
    data = _catalogue()["indicators"][0]
    data["targets"] = targets
    with pytest.raises(ValidationError, match="targets are written as year"):
        Indicator.model_validate(data)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d["indicators"][0].update(unit="percentage"), "unit"),
        (lambda d: d["indicators"][0].update(id="CT1"), "id"),
        (lambda d: d["indicators"][0].update(reporters=[]), "reporters"),
        (lambda d: d["indicators"][0].update(colour="red"), "colour"),
        (lambda d: d["indicators"][0].update(combine="mean"), "combine"),
        (lambda d: d["indicators"][0].update(frequency="weekly"), "frequency"),
        (lambda d: d["registry"][1].update(id="So TC"), "id"),
        (lambda d: d["registry"][1].update(kind="ministry"), "kind"),
        (lambda d: d["plan"].pop("number"), "number"),
        (
            lambda d: (
                d["scoring"].update(tolerance=1.5)
                if "scoring" in d
                else d.update(scoring={"tolerance": 1.5})
            ),
            "tolerance",
        ),
        (
            lambda d: d["indicators"][1].update(monitors=["so-kh"]),
            "CT02: so-kh is not in the registry",
        ),
        (lambda d: d["indicators"][0].update(group="IX"), "CT01: group IX is not defined"),
        (lambda d: d["registry"][5]["members"].append("xa-c"), "dia-phuong: member xa-c"),
        (lambda d: d["plan"].update(secretariat="vp"), "plan.secretariat vp"),
        (
            lambda d: d["indicators"][1]["targets"].update({2026: "≥ 1"}),
            "CT02: 2026 is not a milestone",
        ),
        (
            lambda d: d["indicators"].append(copy.deepcopy(d["indicators"][0])),
            "the id CT01 appears twice",
        ),
        (lambda d: d["registry"].append(dict(d["registry"][1])), "the id so-tc appears twice"),
        (lambda d: d["indicators"][1].update(authority="xa-a"), "authority xa-a is not one of"),
        (
            lambda d: d["indicators"][0].update(combine="single"),
            "combine: single with several reporters needs an authority",
        ),
    ],
)
def test_invalid_catalogues(change: Any, complaint: str) -> None:
    assert complaint in _invalid(change)


def test_single_with_a_group_of_one_needs_no_authority() -> None:
    data = _catalogue()
    data["indicators"][1]["authority"] = "so-tc"
    catalogue = Catalogue.model_validate(data)
    ct02 = catalogue.indicator("CT02")
    assert ct02 is not None and ct02.authority == "so-tc"
