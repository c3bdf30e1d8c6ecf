"""The country's provinces and their communes, wards and special zones since 1 July 2025.

The official list (Quyết định 19/2025/QĐ-TTg codes) ships as package data,
`plan57/catalogue/data/units-2025.csv`, written by `scripts/communes.py` from the `vietnam-provinces`
package, the same source as Đắk Lắk's registry; nothing reads that package at run time.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from plan57.errors import AppendixError

UnitKind = str  # "commune", "ward" or "special-zone"


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: UnitKind

    @property
    def id(self) -> str:
        return slug(self.name)


@dataclass(frozen=True)
class Province:
    code: str
    name: str  # as published: "Tỉnh Đắk Lắk", "Thành phố Huế"
    kind: str  # "province" or "city" (a centrally-run city)
    units: tuple[Unit, ...]

    @property
    def short_name(self) -> str:
        """ "Đắk Lắk" of "Tỉnh Đắk Lắk"."""
        return re.sub(r"^(Tỉnh|Thành phố)\s+", "", self.name)


@cache
def provinces() -> tuple[Province, ...]:
    """All 34 provinces and centrally-run cities, in the order of their codes."""
    raw = resources.files("plan57.catalogue").joinpath("data/units-2025.csv").read_text("utf-8")
    heads: dict[str, tuple[str, str]] = {}
    units: dict[str, list[Unit]] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        if row["code"]:
            units.setdefault(row["province"], []).append(
                Unit(code=row["code"], name=row["name"], kind=row["kind"])
            )
        else:
            heads[row["province"]] = (row["name"], row["kind"])
    return tuple(
        Province(code=code, name=name, kind=kind, units=tuple(units.get(code, ())))
        for code, (name, kind) in heads.items()
    )


def find_province(query: str) -> Province:
    """The province `query` names (its code, its name with or without "Tỉnh", any accents).

    None or several: `AppendixError`, with the closest names.
    """
    # "TP Hồ Chí Minh", "Tỉnh Gia Lai": the kind of unit is not part of the name.
    wanted = _key(re.sub(r"^\s*(?:tỉnh|thành phố|tp\.?)\s+", "", query, flags=re.IGNORECASE))
    every = provinces()
    exact = [p for p in every if wanted in (_key(p.code), _key(p.name), _key(p.short_name))]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [p for p in every if wanted and wanted in _key(p.name)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise AppendixError(
            "init-province-ambiguous", value=query, matches=", ".join(p.name for p in partial)
        )
    import difflib

    names = {_key(p.short_name): p.name for p in every}
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.5)
    suggestion = ", ".join(names[name] for name in close) or "-"
    raise AppendixError("init-province-unknown", value=query, suggestion=suggestion)


def _key(text: str) -> str:
    return slug(text).replace("-", "")


def slug(name: str) -> str:
    """`Xã Ea H’Leo` → `xa-ea-hleo`: ASCII letters and digits, words joined by hyphens.

    The rule of `scripts/communes.py`, which wrote Đắk Lắk's registry ids with it.
    """
    text = name.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("’", ""))
    return "-".join(words)
