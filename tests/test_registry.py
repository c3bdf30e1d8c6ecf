"""The registry is the real province: all 102 communes and wards of Đắk Lắk since 1 July 2025.

`data/registry/dak-lak-communes-2025.csv` is the official list (code, name as published, kind);
`scripts/communes.py` wrote it and the catalogue's entries from the `vietnam-provinces` package.
These tests hold the catalogue to the list, so that a hand edit of either is caught.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from conftest import PROJECT, REAL_CATALOGUE
from plan57.catalogue.loading import load_catalogue
from plan57.catalogue.models import Catalogue

OFFICIAL = PROJECT / "data" / "registry" / "dak-lak-communes-2025.csv"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(REAL_CATALOGUE)


def _official() -> list[dict[str, str]]:
    with OFFICIAL.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _script() -> object:
    spec = importlib.util.spec_from_file_location("communes", PROJECT / "scripts" / "communes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["communes"] = module
    spec.loader.exec_module(module)
    return module


def test_the_official_list_has_88_communes_and_14_wards() -> None:
    units = _official()
    assert len(units) == 102
    assert sum(u["kind"] == "commune" for u in units) == 88
    assert sum(u["kind"] == "ward" for u in units) == 14
    assert len({u["code"] for u in units}) == 102
    for unit in units:
        assert re.fullmatch(r"[0-9]{5}", unit["code"])
        prefix = "Xã " if unit["kind"] == "commune" else "Phường "
        assert unit["name"].startswith(prefix), unit
        assert "  " not in unit["name"] and unit["name"] == unit["name"].strip()


def test_every_commune_and_ward_is_in_the_registry_as_published(catalogue: Catalogue) -> None:
    slug = _script().slug  # type: ignore[attr-defined]
    places = [e for e in catalogue.registry if e.kind in ("commune", "ward")]
    registered = {(e.code, e.name_vi, e.kind, e.id) for e in places}
    official = {(u["code"], u["name"], u["kind"], slug(u["name"])) for u in _official()}
    assert registered == official


def test_the_group_of_localities_lists_every_one(catalogue: Catalogue) -> None:
    group = catalogue.entry("cac-dia-phuong")
    assert group is not None and group.kind == "group"
    codes = {e.id for e in catalogue.registry if e.kind in ("commune", "ward")}
    assert set(group.members) == codes and len(group.members) == 102
    for unit in codes:
        assert catalogue.is_reporter(unit)


def test_ids_are_stable_ascii_slugs() -> None:
    slug = _script().slug  # type: ignore[attr-defined]
    assert slug("Xã Hòa Phú") == "xa-hoa-phu"
    assert slug("Phường Buôn Ma Thuột") == "phuong-buon-ma-thuot"
    assert slug("Xã Ea H’Leo") == "xa-ea-hleo"
    assert slug("Xã Đắk Liêng") == "xa-dak-lieng"
    assert slug("Xã Phú Hòa 2") == "xa-phu-hoa-2"


def test_sample_submissions_come_from_registered_units(catalogue: Catalogue) -> None:
    folders = [p.name for p in (PROJECT / "data" / "submissions").iterdir() if p.is_dir()]
    assert folders
    for folder in folders:
        assert catalogue.is_reporter(folder), folder


def test_team_handles_are_said_to_be_illustrative() -> None:
    text = REAL_CATALOGUE.read_text("utf-8")
    assert "illustrative" in text
    docs = (PROJECT / "docs" / "catalogue.md").read_text("utf-8")
    assert "illustrative" in docs


def test_the_generated_block_is_what_the_script_writes(tmp_path: Path) -> None:
    """Re-running the script's catalogue writer on the official list changes nothing."""
    script = _script()
    units = [
        script._unit(int(u["code"]), u["name"], "xã" if u["kind"] == "commune" else "phường")  # type: ignore[attr-defined]
        for u in _official()
    ]
    copy = tmp_path / "targets.yaml"
    copy.write_text(REAL_CATALOGUE.read_text("utf-8"), "utf-8")
    script.CATALOGUE = copy  # type: ignore[attr-defined]
    script._write_catalogue(units)  # type: ignore[attr-defined]
    assert copy.read_text("utf-8") == REAL_CATALOGUE.read_text("utf-8")
