"""Build the benchmark corpora under benchmarks/.corpus/ from a fixed seed.

The corpora are generated, never committed: the same seed gives the same bytes, so every
machine measures the same work.

- province/          ~130 reporters, monthly files 2024M01-2026M10, ~10 rows each, valid;
                     a git repository whose last commit adds one file (for --changed-since)
- province-broken/   the same files with ~1% of the rows broken in every way `check` knows,
                     plus one file per file-level problem; expected-codes.json lists them
- stress-10k/, stress-100k/, stress-1m/   50 rows a file, 200 / 2,000 / 20,000 files
- peer/, peer-1m/    the rows of stress-100k (stress-1m) as one CSV with a Table Schema
- lifetime/          the province's reporters over the plan's whole life, 2024M01-2045M12
                     (commands run with --as-of 2046-02-01)
- national/          exports/<province>/{observations,scores}.parquet: 34 provinces' open
                     data over twenty years (~12 million rows), from lifetime's own export
- history/           a git repository whose data/targets.yaml has 2,000 revisions
- workbooks/         102 filled-in workbooks (`plan57 template --format xlsx`), one for each
                     commune and ward of the registry, for `plan57 import`

Reporters that the bundled catalogue does not list yet (communes, enterprises, institutes,
the stress units) are added to a copy of the catalogue inside each corpus; data/targets.yaml
of the project is never touched.

Usage: python benchmarks/generate.py [--only NAME ...] [--force]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SEED = 283_57
HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
CORPUS = HERE / ".corpus"
CATALOGUE = PROJECT / "data" / "targets.yaml"
# Every corpus's own copy of the catalogue lives where plan57 looks for it.
CATALOGUE_IN_CORPUS = Path("data") / "targets.yaml"
SUBMISSIONS = Path("data") / "submissions"

FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2024, 2026, 10
# The plan's whole life (issue 24): the province's reporters, monthly, to the plan's last month.
LIFETIME_LAST = (2045, 12)
HEADER = ["indicator", "period", "value", "numerator", "denominator", "note"]
STRESS_SIZES = {"stress-10k": 10_000, "stress-100k": 100_000, "stress-1m": 1_000_000}
STRESS_ROWS_PER_FILE = 50
HISTORY_REVISIONS = 2_000
RATIO_SCALE = {"percent": 100.0, "percent_grdp": 100.0, "index": 1.0, "per_10k": 10_000.0}
# Names for the generated units: realistic enough to exercise Unicode, never official.
COMMUNE_NAMES = [
    "Ea Tu", "Hòa Phú", "Cư Ê Wi", "Ea Kao", "Hòa Xuân", "Krông Búk", "Ea H'leo", "Ea Súp",
    "Buôn Đôn", "Cư M'gar", "Krông Pắc", "Krông Năng", "Krông Bông", "Lắk", "M'Đrắk",
    "Sông Hinh", "Sơn Hòa", "Đồng Xuân", "Tuy An", "Phú Hòa", "Tây Hòa", "Đông Hòa",
]  # fmt: skip


def month_periods(last_year: int = LAST_YEAR, last_month: int = LAST_MONTH) -> list[str]:
    return [
        f"{year}M{month:02d}"
        for year in range(FIRST_YEAR, last_year + 1)
        for month in range(1, 13)
        if (year, month) <= (last_year, last_month)
    ]


MONTHS = month_periods()


# --- the catalogue copy -------------------------------------------------------------------


@dataclass
class Unit:
    id: str
    kind: str
    name_vi: str
    name_en: str
    members: list[str] | None = None


@dataclass
class Extension:
    """Registry entries to add to the catalogue copy, and members to add to its groups."""

    units: list[Unit] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)
    # A group added to every indicator's reporters (the stress units owe everything).
    everyone: str | None = None


def extended_catalogue(extension: Extension) -> str:
    """The project's catalogue text with the extension spliced in, comments kept."""
    text = CATALOGUE.read_text("utf-8")
    for group, added in extension.members.items():
        if not added:
            continue
        pattern = re.compile(
            rf"(  - id: {re.escape(group)}\n(?:    .*\n)*?    members: \[)([^\]]*)(\])"
        )
        joined = ", ".join(added)
        text, count = pattern.subn(lambda m, new=joined: f"{m[1]}{m[2]}, {new}{m[3]}", text)
        if count != 1:
            raise SystemExit(f"generate: group {group} not found in {CATALOGUE}")
    if extension.everyone:
        text = re.sub(
            r"^(    reporters: \[)([^\]]*)(\])$",
            lambda m: f"{m[1]}{m[2]}, {extension.everyone}{m[3]}",
            text,
            flags=re.MULTILINE,
        )
    lines = [
        f'  - {{id: {u.id}, kind: {u.kind}, name_vi: "{u.name_vi}", name_en: "{u.name_en}", '
        f'team: "@daklak-plan57/{u.id}"}}\n'
        if u.members is None
        else f'  - id: {u.id}\n    kind: {u.kind}\n    name_vi: "{u.name_vi}"\n'
        f'    name_en: "{u.name_en}"\n    members: [{", ".join(u.members)}]\n'
        for u in extension.units
    ]
    anchor = "\nindicators:\n"
    at = text.index(anchor)
    # New entries go at the end of the registry, before the comment block that opens indicators.
    comment_start = text.rfind("\n\n", 0, at)
    return text[: comment_start + 1] + "".join(lines) + text[comment_start + 1 :]


def load(text: str) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(text, Loader=loader)
    return data


def assignments(catalogue: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each reporting unit's indicators, groups expanded, as raw catalogue entries."""
    entries = {e["id"]: e for e in catalogue["registry"]}

    def expand(ids: list[str]) -> list[str]:
        out: list[str] = []
        for item in ids:
            entry = entries[item]
            out += expand(entry["members"]) if entry["kind"] == "group" else [item]
        return out

    owed: dict[str, list[dict[str, Any]]] = {}
    for indicator in catalogue["indicators"]:
        for reporter in dict.fromkeys(expand(indicator["reporters"])):
            owed.setdefault(reporter, []).append(indicator)
    return owed


# --- values -------------------------------------------------------------------------------


def series(rng: random.Random, indicator: dict[str, Any], count: int) -> list[dict[str, str]]:
    """`count` consecutive monthly rows for one reporter and indicator, all valid.

    Stocks never fall and move slowly, flows stay within a narrow band: nothing trips the
    plausibility warnings, so a valid corpus checks clean.
    """
    unit, flow, ratio = indicator["unit"], indicator["flow"], indicator["combine"] == "ratio"
    rows: list[dict[str, str]] = []
    if unit == "yes_no":
        return [{"value": "yes" if rng.random() < 0.8 else "có"} for _ in range(count)]
    if ratio:
        denominator = rng.randint(200, 1_000)
        numerator = int(denominator * rng.uniform(0.3, 0.7))
        scale = RATIO_SCALE[unit]
        decimals = 3 if unit == "index" else 1
        for _ in range(count):
            numerator = min(denominator, numerator + rng.randint(0, 2))
            value = numerator / denominator * scale
            rows.append(
                {
                    "value": f"{value:.{decimals}f}",
                    "numerator": str(numerator),
                    "denominator": str(denominator),
                }
            )
        return rows
    if unit == "count" and flow:
        return [{"value": str(rng.randint(10, 20))} for _ in range(count)]
    start, step, decimals, ceiling = {
        "count": (rng.randint(5, 200), 2, 0, None),
        "percent": (rng.uniform(20, 70), 0.3, 1, 100.0),
        "percent_grdp": (rng.uniform(0.5, 1.5), 0.02, 2, 100.0),
        "per_10k": (rng.uniform(5, 20), 0.1, 1, None),
        "index": (rng.uniform(0.3, 0.6), 0.005, 3, 1.0),
    }[unit]
    value = float(start)
    for _ in range(count):
        value += rng.uniform(0, step) if decimals else rng.randint(0, int(step))
        if ceiling is not None:
            value = min(value, ceiling)
        rows.append({"value": f"{value:.{decimals}f}"})
    return rows


@dataclass
class CorpusFile:
    reporter: str
    period: str
    rows: list[list[str]]


def unit_rows(
    rng: random.Random, owed: list[dict[str, Any]], periods: list[str], reporter: str
) -> Iterator[CorpusFile]:
    """One file per period for `reporter`, one row per indicator it owes."""
    columns = {ind["id"]: series(rng, ind, len(periods)) for ind in owed}
    for at, period in enumerate(periods):
        rows = []
        for indicator in owed:
            cells = columns[indicator["id"]][at]
            rows.append(
                [
                    indicator["id"],
                    period,
                    cells["value"],
                    cells.get("numerator", ""),
                    cells.get("denominator", ""),
                    "",
                ]
            )
        yield CorpusFile(reporter, period, rows)


def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def write_files(root: Path, files: list[CorpusFile]) -> int:
    rows = 0
    for item in files:
        folder = root / SUBMISSIONS / item.reporter
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{item.period}.csv").write_text(csv_text(HEADER, item.rows), "utf-8")
        rows += len(item.rows)
    return rows


def start_corpus(root: Path, catalogue_text: str) -> None:
    if root.exists():
        shutil.rmtree(root)
    (root / CATALOGUE_IN_CORPUS).parent.mkdir(parents=True)
    (root / CATALOGUE_IN_CORPUS).write_text(catalogue_text, "utf-8")


# --- the province -------------------------------------------------------------------------


def slug(name: str) -> str:
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def province_extension() -> Extension:
    """102 communes, 18 telecom/IT enterprises and 6 institutes: the province's reporters."""
    catalogue = load(CATALOGUE.read_text("utf-8"))
    known = {e["id"] for e in catalogue["registry"]}
    groups = {e["id"]: e for e in catalogue["registry"] if e["kind"] == "group"}
    extension = Extension()

    def add(group: str, kind: str, total: int, make: Callable[[int], tuple[str, str, str]]) -> None:
        have = len(groups[group]["members"])
        added: list[str] = []
        number = 0
        while have + len(added) < total:
            number += 1
            unit_id, name_vi, name_en = make(number)
            if unit_id in known:
                continue
            known.add(unit_id)
            extension.units.append(Unit(unit_id, kind, name_vi, name_en))
            added.append(unit_id)
        extension.members[group] = added

    def commune(n: int) -> tuple[str, str, str]:
        base = COMMUNE_NAMES[(n - 1) % len(COMMUNE_NAMES)]
        suffix = "" if n <= len(COMMUNE_NAMES) else f" {(n - 1) // len(COMMUNE_NAMES) + 1}"
        return f"xa-{slug(base)}{suffix.replace(' ', '-')}", f"Xã {base}{suffix}", f"{base}{suffix}"

    add("cac-dia-phuong", "commune", 102, commune)
    add(
        "doanh-nghiep-bcvt-cntt",
        "enterprise",
        18,
        lambda n: (f"dn-cntt-{n:02d}", f"Doanh nghiệp CNTT số {n}", f"IT enterprise {n}"),
    )
    add(
        "vien-truong",
        "institute",
        6,
        lambda n: (f"vien-nc-{n:02d}", f"Viện nghiên cứu số {n}", f"Research institute {n}"),
    )
    return extension


def province_files(
    catalogue_text: str, rng: random.Random, months: list[str] = MONTHS
) -> list[CorpusFile]:
    owed = assignments(load(catalogue_text))
    files: list[CorpusFile] = []
    for reporter in sorted(owed):
        files += unit_rows(rng, owed[reporter], months, reporter)
    return files


def git(root: Path, *args: str, stdin: bytes | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Văn phòng Tỉnh ủy",
        "GIT_AUTHOR_EMAIL": "secretariat@example.invalid",
        "GIT_COMMITTER_NAME": "Văn phòng Tỉnh ủy",
        "GIT_COMMITTER_EMAIL": "secretariat@example.invalid",
        "GIT_AUTHOR_DATE": "2026-11-01T08:00:00+07:00",
        "GIT_COMMITTER_DATE": "2026-11-01T08:00:00+07:00",
    }
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        input=stdin,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def make_province(root: Path, months: list[str] = MONTHS) -> dict[str, Any]:
    """The province's reporters, one file a month each up to the last of `months` (the
    `lifetime` corpus is the same generator run to the plan's end, 2045M12)."""
    text = extended_catalogue(province_extension())
    start_corpus(root, text)
    files = province_files(text, random.Random(SEED), months)
    # The last file is held back for a second commit: the pull request --changed-since sees.
    last = next(f for f in files if f.reporter.startswith("xa-") and f.period == months[-1])
    rows = write_files(root, [f for f in files if f is not last])
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"Số liệu đến {months[-2]}")
    rows += write_files(root, [last])
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"{last.reporter}: số liệu {last.period}")
    reporters = {f.reporter for f in files}
    return {"files": len(files), "rows": rows, "reporters": len(reporters), "changed": 1}


# --- the broken variant -------------------------------------------------------------------

Breaker = Callable[[random.Random, CorpusFile, int, dict[str, dict[str, Any]]], bool]


def _indicator(file: CorpusFile, at: int, units: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return units[file.rows[at][0]]


def _set(column: str, value: str) -> Breaker:
    index = HEADER.index(column)

    def breaker(
        rng: random.Random, file: CorpusFile, at: int, units: dict[str, dict[str, Any]]
    ) -> bool:
        file.rows[at][index] = value
        return True

    return breaker


def _when(test: Callable[[dict[str, Any]], bool], then: Breaker) -> Breaker:
    def breaker(
        rng: random.Random, file: CorpusFile, at: int, units: dict[str, dict[str, Any]]
    ) -> bool:
        return test(_indicator(file, at, units)) and then(rng, file, at, units)

    return breaker


def _blank(rng: random.Random, file: CorpusFile, at: int, units: dict[str, Any]) -> bool:
    file.rows[at] = [""] * len(HEADER)
    return True


def _ragged(rng: random.Random, file: CorpusFile, at: int, units: dict[str, Any]) -> bool:
    file.rows[at] = file.rows[at][:-2]
    return True


def _header(rng: random.Random, file: CorpusFile, at: int, units: dict[str, Any]) -> bool:
    file.rows[at] = list(HEADER)
    return True


def _not_assigned(rng: random.Random, file: CorpusFile, at: int, units: dict[str, Any]) -> bool:
    present = {row[0] for row in file.rows}
    # CT05 belongs to so-tc alone, and has a plain percent value.
    if "CT05" in present or file.reporter == "so-tc":
        return False
    file.rows[at][0] = "CT05"
    file.rows[at][3:5] = ["", ""]
    return True


def _numbers(numerator: str, denominator: str) -> Breaker:
    def breaker(
        rng: random.Random, file: CorpusFile, at: int, units: dict[str, dict[str, Any]]
    ) -> bool:
        if _indicator(file, at, units)["combine"] != "ratio":
            return False
        row = file.rows[at]
        row[3] = row[3] if numerator == "keep" else numerator
        row[4] = row[4] if denominator == "keep" else denominator
        return True

    return breaker


def _above(rng: random.Random, file: CorpusFile, at: int, units: dict[str, Any]) -> bool:
    if _indicator(file, at, units)["combine"] != "ratio":
        return False
    row = file.rows[at]
    row[3] = str(int(row[4]) + 5)
    return True


def _mismatch(rng: random.Random, file: CorpusFile, at: int, units: dict[str, Any]) -> bool:
    if _indicator(file, at, units)["combine"] != "ratio":
        return False
    row = file.rows[at]
    row[2] = f"{max(0.0, float(row[2]) - 7.5):.1f}"
    return True


def _duplicate(rng: random.Random, file: CorpusFile, at: int, units: dict[str, Any]) -> bool:
    file.rows.insert(at + 1, list(file.rows[at]))
    return True


def _fell(rng: random.Random, file: CorpusFile, at: int, units: dict[str, Any]) -> bool:
    indicator = _indicator(file, at, units)
    if indicator["flow"] or indicator["unit"] != "count" or file.period == MONTHS[0]:
        return False
    row = file.rows[at]
    row[2] = str(max(0, int(row[2]) // 2 - 3))
    return True


def _jump(rng: random.Random, file: CorpusFile, at: int, units: dict[str, Any]) -> bool:
    indicator = _indicator(file, at, units)
    if not indicator["flow"] or MONTHS.index(file.period) < 4:
        return False
    row = file.rows[at]
    row[2] = str(int(row[2]) * 10)
    return True


def _percent(unit: str) -> Callable[[dict[str, Any]], bool]:
    return lambda ind: ind["unit"] == unit and ind["combine"] != "ratio"


ROW_BREAKERS: dict[str, Breaker] = {
    "blank-row": _blank,
    "ragged-row": _ragged,
    "repeated-header": _header,
    "unknown-indicator": _set("indicator", "CT99"),
    "not-assigned": _not_assigned,
    "period-mismatch": _set("period", "2023M01"),
    "missing-value": _when(lambda ind: ind["unit"] != "yes_no", _set("value", "")),
    "not-a-number": _when(lambda ind: ind["unit"] != "yes_no", _set("value", "n/a")),
    "ambiguous-number": _when(lambda ind: ind["unit"] == "count", _set("value", "1,500")),
    "percent-out-of-range": _when(_percent("percent"), _set("value", "120.5")),
    "index-out-of-range": _when(lambda ind: ind["unit"] == "index", _set("value", "1.7")),
    "negative-value": _when(lambda ind: ind["unit"] == "count", _set("value", "-3")),
    "fractional-count": _when(lambda ind: ind["unit"] == "count", _set("value", "2.5")),
    "not-yes-no": _when(lambda ind: ind["unit"] == "yes_no", _set("value", "maybe")),
    "numerator-above-denominator": _above,
    "ratio-mismatch": _mismatch,
    "ratio-incomplete": _numbers("keep", ""),
    "ratio-required": _numbers("", ""),
    "zero-denominator": _numbers("0", "0"),
    "duplicate-indicator": _duplicate,
    "stock-fell": _fell,
    "value-jump": _jump,
}


def make_broken(root: Path) -> dict[str, Any]:
    """The province's files, ~1% of rows broken, each kind of break about equally often."""
    text = extended_catalogue(province_extension())
    start_corpus(root, text)
    rng = random.Random(SEED)
    files = province_files(text, rng)
    units = {ind["id"]: ind for ind in load(text)["indicators"]}
    total = sum(len(f.rows) for f in files)
    wanted = total // 100
    kinds = list(ROW_BREAKERS)
    counts = dict.fromkeys(kinds, 0)
    touched: set[tuple[int, int]] = set()
    broken = 0
    # Kinds take turns; a kind that fits few rows (an index, a yes/no) gets many tries.
    while broken < wanted:
        kind = kinds[broken % len(kinds)]
        for _ in range(5_000):
            file_at = rng.randrange(len(files))
            file = files[file_at]
            row_at = rng.randrange(len(file.rows))
            if (file_at, row_at) in touched:
                continue
            if ROW_BREAKERS[kind](rng, file, row_at, units):
                touched |= {(file_at, row_at), (file_at, row_at + 1)}
                counts[kind] += 1
                break
        broken += 1
    rows = write_files(root, files)
    codes = {kind for kind, count in counts.items() if count}
    codes |= broken_files(root, rng)
    broken = sum(counts.values())
    expected = {"rows": rows, "broken_rows": broken, "codes": sorted(codes)}
    (root / "expected-codes.json").write_text(json.dumps(expected, indent=2) + "\n", "utf-8")
    return {"files": len(files), "rows": rows, "broken_rows": broken, "codes": len(codes)}


def broken_files(root: Path, rng: random.Random) -> set[str]:
    """One extra file for each file-level problem `check` reports."""
    base = root / SUBMISSIONS
    good = "indicator,period,value,numerator,denominator,note\nCT15,{p},12,,,{n}\n"
    note = "Số liệu ước tính của phòng Kế hoạch"

    def put(relative: str, data: bytes) -> None:
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    # An Excel export in windows-1258 writes Vietnamese tone marks as combining characters.
    put("so-khcn/2024S1.csv", windows_1258(good.format(p="2024S1", n=note)))
    put("so-khcn/2024S2.csv", good.format(p="2024S2", n="a\x00b").encode())
    put("so-tc/2024S1.csv", b"")
    put("so-tc/2024S2.csv", good.format(p="2024S2", n="").replace(",", ";").encode())
    put("so-nv/2024S1.csv", b"indicator,period,note\nCT38,2024S1,\n")
    put("so-nv/2024S2.csv", b"indicator,period,value,ghi_chu\nCT38,2024S2,12,\n")
    put("so-ct/2024S1.csv", b"indicator,value,value\nCT33,12,12\n")
    put("so-ct/notes.txt", b"ghi chu\n")
    put("so-khcn2/2025M01.csv", good.format(p="2025M01", n="").encode())
    put("so-khcn/2025M13.csv", good.format(p="2025M13", n="").encode())
    put("so-khcn/2027M01.csv", good.format(p="2027M01", n="").encode())
    put("so-khcn/2023M12.csv", good.format(p="2023M12", n="").encode())
    # A quarter beside the months it covers: the flow is counted twice.
    put("so-khcn/2025Q2.csv", good.format(p="2025Q2", n="").encode())
    os.symlink("2025M01.csv", base / "so-khcn" / "2025M01-link.csv")
    return {
        "encoding",
        "nul-byte",
        "empty-file",
        "delimiter",
        "missing-column",
        "unknown-column",
        "duplicate-column",
        "bad-file-name",
        "unknown-reporter",
        "bad-period",
        "period-not-over",
        "period-too-early",
        "flow-overlap",
        "link-refused",
    }


def windows_1258(text: str) -> bytes:
    """Text as Excel saves it in windows-1258: base letters precomposed, tone marks apart."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        # The code page has â, ê, ô, ơ, ư, ă precomposed but not their toned forms.
        for mark in marks:
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and composed.encode("cp1258", errors="ignore"):
                base, marks = composed, marks.replace(mark, "", 1)
                break
        out += base.encode("cp1258") + marks.encode("cp1258")
    return bytes(out)


# --- stress -------------------------------------------------------------------------------


def stress_extension(units: int) -> Extension:
    ids = [f"dv-{n:05d}" for n in range(1, units + 1)]
    group = Unit("don-vi-thu-nghiem", "group", "Các đơn vị thử nghiệm", "Test units", ids)
    units = [Unit(i, "department", f"Đơn vị thử nghiệm {i[3:]}", f"Test unit {i[3:]}") for i in ids]
    return Extension(units=[group, *units], everyone=group.id)


def make_stress(root: Path, rows_wanted: int) -> dict[str, Any]:
    """`rows_wanted` rows, 50 a file: synthetic units that each owe 50 of the 55 indicators."""
    files_wanted = rows_wanted // STRESS_ROWS_PER_FILE
    units = -(-files_wanted // len(MONTHS))
    extension = stress_extension(units)
    text = extended_catalogue(extension)
    ids = [u.id for u in extension.units if u.members is None]
    start_corpus(root, text)
    rng = random.Random(SEED + rows_wanted)
    indicators = load(text)["indicators"]
    written = 0
    files = 0
    for unit in ids:
        owed = sorted(rng.sample(indicators, STRESS_ROWS_PER_FILE), key=lambda i: i["id"])
        periods = MONTHS[: min(len(MONTHS), files_wanted - files)]
        batch = list(unit_rows(rng, owed, periods, unit))
        written += write_files(root, batch)
        files += len(batch)
        if files >= files_wanted:
            break
    return {"files": files, "rows": written, "reporters": units}


# --- the peer case: one CSV and a Table Schema ---------------------------------------------


def make_peer(root: Path, source: Path) -> dict[str, Any]:
    """The rows of `source` (a stress corpus) as one CSV, for `frictionless validate`."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    catalogue = load((source / CATALOGUE_IN_CORPUS).read_text("utf-8"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["reporter", *HEADER])
    rows = 0
    for path in sorted((source / SUBMISSIONS).glob("*/*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            for row in reader:
                writer.writerow([path.parent.name, *row])
                rows += 1
    (root / "rows.csv").write_text(out.getvalue(), "utf-8")
    reporters = [e["id"] for e in catalogue["registry"] if e["kind"] not in ("group", "body")]
    # As much of the contract as a Table Schema can say: types, required cells, patterns,
    # enumerations and a unique key. Units, ratios, assignments and overlaps it cannot say.
    schema = {
        "fields": [
            {"name": "reporter", "type": "string", "constraints": {"required": True, "enum": reporters}},
            {"name": "indicator", "type": "string", "constraints": {"required": True, "enum": [i["id"] for i in catalogue["indicators"]]}},
            {"name": "period", "type": "string", "constraints": {"required": True, "pattern": r"\d{4}(S[12]|Q[1-4]|M(0[1-9]|1[0-2]))?"}},
            {"name": "value", "type": "string", "constraints": {"required": True, "pattern": r"[+-]?\d+(\.\d+)?|yes|no|có|không"}},
            {"name": "numerator", "type": "number", "constraints": {"minimum": 0}},
            {"name": "denominator", "type": "number", "constraints": {"minimum": 0}},
            {"name": "note", "type": "string"},
        ],
        "primaryKey": ["reporter", "period", "indicator"],
        "missingValues": [""],
    }  # fmt: skip
    (root / "schema.json").write_text(json.dumps(schema, ensure_ascii=False, indent=2), "utf-8")
    resource = {
        "name": "submissions",
        "path": "rows.csv",
        "scheme": "file",
        "format": "csv",
        "encoding": "utf-8",
        "schema": "schema.json",
    }
    (root / "rows.resource.json").write_text(json.dumps(resource, indent=2), "utf-8")
    return {"rows": rows}


# --- history ------------------------------------------------------------------------------

_TARGET_LINE = re.compile(r'^(      (\d{4}): ")(≥ )?(\d+)(?:([.,])(\d+))?(%?)( GRDP)?("\s*)$')


def make_history(root: Path, revisions: int = HISTORY_REVISIONS) -> dict[str, Any]:
    """A catalogue with `revisions` commits, each moving a few targets; built by fast-import."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    rng = random.Random(SEED + revisions)
    lines = CATALOGUE.read_text("utf-8").splitlines(keepends=True)
    editable: list[tuple[int, str]] = []
    current = ""
    for number, line in enumerate(lines):
        if match := re.match(r"^  - id: (CT\d{2})$", line.rstrip("\n")):
            current = match.group(1)
        elif current and _TARGET_LINE.match(line):
            editable.append((number, current))
    stream = io.BytesIO()
    # Twenty years of revisions, as the plan runs to 2045, starting the day after the plan.
    when = 1_748_000_000
    authors = [("Văn phòng Tỉnh ủy", "secretariat"), ("Sở Khoa học và Công nghệ", "so-khcn")]
    for mark in range(1, revisions + 1):
        changed: list[str] = []
        # Every revision changes something: a commit that leaves the file alone is no revision.
        while mark > 1 and not changed:
            for number, indicator in rng.sample(editable, rng.randint(1, 4)):
                moved, year = _move_target(rng, lines[number])
                if moved != lines[number]:
                    lines[number] = moved
                    changed.append(f"{indicator} ({year})")
        message = (
            "Danh mục chỉ tiêu theo Kế hoạch 283-KH/TU"
            if mark == 1
            else f"Điều chỉnh mục tiêu: {', '.join(changed)}"
        ).encode()
        name, email = authors[mark % len(authors)]
        when += rng.randint(86_400, 6 * 86_400)
        content = "".join(lines).encode()
        stream.write(b"commit refs/heads/main\n")
        stream.write(f"mark :{mark}\n".encode())
        stream.write(f"author {name} <{email}@example.invalid> {when} +0700\n".encode())
        stream.write(f"committer {name} <{email}@example.invalid> {when} +0700\n".encode())
        stream.write(f"data {len(message)}\n".encode() + message + b"\n")
        if mark > 1:
            stream.write(f"from :{mark - 1}\n".encode())
        stream.write(b"M 100644 inline data/targets.yaml\n")
        stream.write(f"data {len(content)}\n".encode() + content + b"\n\n")
    git(root, "init", "-q")
    git(root, "fast-import", "--quiet", stdin=stream.getvalue())
    git(root, "reset", "-q", "--hard", "main")
    git(root, "gc", "-q")
    return {"revisions": revisions}


def _move_target(rng: random.Random, line: str) -> tuple[str, str]:
    """The target line with its number moved a little, written in the same style."""
    match = _TARGET_LINE.match(line)
    assert match is not None
    prefix, year, minimum, whole, separator, fraction, percent, grdp, end = match.groups()
    decimals = len(fraction or "")
    old = float(f"{whole}.{fraction}" if fraction else whole)
    new = max(0.0, old * rng.uniform(0.9, 1.12))
    if percent and new > 100:
        new = 100.0
    text = f"{new:.{decimals}f}"
    if separator:
        text = text.replace(".", separator)
    return f"{prefix}{minimum or ''}{text}{percent}{grdp or ''}{end}", year


# --- workbooks -----------------------------------------------------------------------------

WORKBOOK_PERIOD = "2025Q3"


def workbook_names() -> list[str]:
    """The workbooks of the corpus, as `plan57 import` is given them (one per locality)."""
    catalogue = load(CATALOGUE.read_text("utf-8"))
    group = next(e for e in catalogue["registry"] if e["id"] == "cac-dia-phuong")
    return [f"workbooks/{unit}.xlsx" for unit in group["members"]]


def make_workbooks(root: Path) -> dict[str, Any]:
    """Each commune's and ward's form for a quarter, filled in as a user would."""
    from openpyxl import load_workbook

    from plan57.catalogue.loading import load_catalogue
    from plan57.submissions.workbooks import (
        FIRST_ROW,
        WORKBOOK_COLUMNS,
        build_workbook,
        catalogue_revision,
    )

    start_corpus(root, CATALOGUE.read_text("utf-8"))
    (root / SUBMISSIONS).mkdir(parents=True)
    (root / "workbooks").mkdir()
    catalogue = load_catalogue(CATALOGUE)
    revision = catalogue_revision(CATALOGUE.read_bytes())
    rng = random.Random(SEED)
    column = {name: at + 1 for at, name in enumerate(WORKBOOK_COLUMNS)}
    names = workbook_names()
    rows = 0
    for name in names:
        unit = Path(name).stem
        form = build_workbook(catalogue, revision, unit, WORKBOOK_PERIOD, lang="vi")
        path = root / name
        path.write_bytes(form.data)
        book = load_workbook(path)
        sheet = book.worksheets[0]
        for line in range(FIRST_ROW, FIRST_ROW + len(form.indicators)):
            denominator = rng.randint(50, 5_000)
            numerator = rng.randint(0, denominator)
            sheet.cell(row=line, column=column["numerator"], value=numerator)
            sheet.cell(row=line, column=column["denominator"], value=denominator)
            value = round(numerator / denominator * 100, 1)
            # Some typed as text with a decimal comma, as people do.
            shown = f"{value}".replace(".", ",") if rng.random() < 0.2 else value
            sheet.cell(row=line, column=column["value"], value=shown)
            rows += 1
        book.save(path)
    return {"workbooks": len(names), "rows": rows}


# --- the national picture -----------------------------------------------------------------

NATIONAL_PROVINCES = 34
LIFETIME_AS_OF = "2046-02-01"


def make_national(root: Path) -> dict[str, Any]:
    """34 provinces' open data over the plan's whole life, as the national level would copy
    them (`exports/<province>/*.parquet`): the lifetime corpus's own `plan57 export`, once, and
    33 seeded variants of it (each figure scaled, each verdict drawn again), so that every file
    has the schema a real export has and the roll-up reads what it would read."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from plan57.output.opendata import export_repository

    if root.exists():
        shutil.rmtree(root)
    first = root / "exports" / "dak-lak"
    export_repository(
        CORPUS / "lifetime",
        first,
        as_of=__import__("datetime").date.fromisoformat(LIFETIME_AS_OF),
        formats=("parquet",),
    )
    observations = pq.read_table(first / "observations.parquet")
    scores = pq.read_table(first / "scores.parquet")
    rng = random.Random(SEED)
    statuses = ["on-track", "at-risk", "missed", "no-data"]
    for number in range(2, NATIONAL_PROVINCES + 1):
        folder = root / "exports" / f"tinh-{number:02d}"
        folder.mkdir(parents=True)
        scale = pa.scalar(rng.uniform(0.5, 2.0), pa.float64())
        values = observations.column("value")
        scaled = pc.multiply(values.cast(pa.float64()), scale).cast(values.type)
        index = observations.schema.get_field_index("value")
        pq.write_table(
            observations.set_column(index, "value", scaled), folder / "observations.parquet"
        )
        drawn = pa.array([rng.choice(statuses) for _ in range(scores.num_rows)], pa.string())
        status = scores.schema.get_field_index("status")
        kind = scores.schema.field("status").type
        pq.write_table(
            scores.set_column(status, "status", drawn.cast(kind)), folder / "scores.parquet"
        )
    return {
        "provinces": NATIONAL_PROVINCES,
        "rows": observations.num_rows * NATIONAL_PROVINCES,
        "scores": scores.num_rows * NATIONAL_PROVINCES,
    }


# --- driver -------------------------------------------------------------------------------


def fingerprint() -> str:
    """Regenerate when the generator or the catalogue changes."""
    digest = hashlib.sha256(Path(__file__).read_bytes() + CATALOGUE.read_bytes())
    return digest.hexdigest()[:16]


BUILDERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "province": make_province,
    "province-broken": make_broken,
    "lifetime": lambda root: make_province(root, month_periods(*LIFETIME_LAST)),
    "national": make_national,
    "stress-10k": lambda root: make_stress(root, STRESS_SIZES["stress-10k"]),
    "stress-100k": lambda root: make_stress(root, STRESS_SIZES["stress-100k"]),
    "stress-1m": lambda root: make_stress(root, STRESS_SIZES["stress-1m"]),
    "peer": lambda root: make_peer(root, CORPUS / "stress-100k"),
    "peer-1m": lambda root: make_peer(root, CORPUS / "stress-1m"),
    "history": make_history,
    "workbooks": make_workbooks,
}
# The peer cases are built from the stress corpora, so those come first.
DEPENDS = {"peer": ["stress-100k"], "peer-1m": ["stress-1m"], "national": ["lifetime"]}


def build(names: list[str], force: bool) -> dict[str, dict[str, Any]]:
    CORPUS.mkdir(exist_ok=True)
    manifest_path = CORPUS / "manifest.json"
    manifest: dict[str, dict[str, Any]] = (
        json.loads(manifest_path.read_text("utf-8")) if manifest_path.is_file() else {}
    )
    stamp = fingerprint()
    order: list[str] = []
    for name in names:
        order += [d for d in DEPENDS.get(name, []) if d not in order]
        if name not in order:
            order.append(name)
    for name in order:
        entry = manifest.get(name, {})
        if not force and entry.get("stamp") == stamp and (CORPUS / name).is_dir():
            continue
        print(f"generate: {name} …", file=sys.stderr, flush=True)
        facts = BUILDERS[name](CORPUS / name)
        manifest[name] = {**facts, "stamp": stamp, "seed": SEED}
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return {name: manifest[name] for name in order}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(BUILDERS), default=None)
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    args = parser.parse_args(argv)
    built = build(args.only or list(BUILDERS), args.force)
    for name, facts in built.items():
        shown = ", ".join(f"{k}={v}" for k, v in facts.items() if k not in ("stamp", "seed"))
        print(f"{name}: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
