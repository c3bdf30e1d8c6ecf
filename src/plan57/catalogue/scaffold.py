"""`plan57 init`: a new data repository for any province, from its plan's appendix.

The catalogue is written from the appendix and nothing else: targets exactly as the plan writes
them (parsed by the catalogue's own grammar, `Target.parse`, and its scorability rule), units
and stock/flow only where the text settles them. Every choice the text leaves open is written
as a provisional value with an open decision beside it (`decisions:`), which `plan57 check`
reports as a `catalogue-decision` warning until the secretariat settles it.

The repository is built in a temporary folder beside `DIR`, committed, and moved into place:
an error leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from plan57.catalogue.appendix import Appendix, AppendixRow, read_appendix
from plan57.catalogue.models import Indicator, Target, TargetError, Unit
from plan57.catalogue.provinces import Province, find_province, slug
from plan57.errors import AppendixError, CatalogueError, Plan57Error
from plan57.escaping import inline

RESOLUTION = "57-NQ/TW"
TITLE_VI = (
    "Kế hoạch hành động thực hiện Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị về "
    "đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên "
    "địa bàn tỉnh"
)
TITLE_EN = (
    "Action plan implementing Politburo Resolution 57-NQ/TW of 22/12/2024 on breakthroughs in "
    "science, technology, innovation and national digital transformation in the province"
)
COMMUNES_GROUP = "cac-dia-phuong"
# The plan's heading: "Ban hành kèm theo Kế hoạch số 283-KH/TU, ngày 22/5/2025 của Ban …".
_HEADING = re.compile(
    r"Kế hoạch số\s+(?P<number>[0-9][\w/.-]*)\s*,?\s*ngày\s+"
    r"(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})\s*/\s*(?P<year>\d{4})"
    r"(?:\s+của\s+(?P<issuer>[^)\n]+))?",
    re.IGNORECASE,
)
# A cell names several units, separated by ";", "," or "và" before the next unit's own name
# ("Sở Xây dựng, Sở Y tế"); a comma inside a name ("Các sở, ban, ngành của tỉnh") stays.
_UNIT_START = (
    r"(?:Sở|Các|các|Văn phòng|Công an|Ban|Đảng ủy|Ủy ban|UBND|Thanh tra|Trường Đại học|"
    r"Trường Cao đẳng|Viện|Bộ Chỉ huy|Tỉnh đoàn|Hội|Liên hiệp|Bảo hiểm|Ngân hàng|Cục|Kho bạc|"
    r"Đài|Báo|Bưu điện|Trung tâm|Đoàn|Mặt trận|Tỉnh ủy|Thành ủy|Hội đồng)\b"
)
_SPLIT = re.compile(rf"\s*(?:;|,|\bvà\b)\s*(?={_UNIT_START})")
_BODIES = (
    "Đảng ủy",
    "Ban Thường vụ",
    "Ban Chỉ đạo",
    "Tỉnh ủy",
    "Thành ủy",
    "UBND tỉnh",
    "UBND thành phố",
    "Ủy ban nhân dân",
    "HĐND",
    "Hội đồng nhân dân",
)
# English names of the units every province has under the same Vietnamese name (the
# departments of Nghị định 45/2025/NĐ-CP and the party offices); any other name is a decision.
ENGLISH_UNITS = {
    "Đảng ủy UBND tỉnh": "Party Committee of the Provincial People's Committee",
    "Sở Khoa học và Công nghệ": "Department of Science and Technology",
    "Sở Tài chính": "Department of Finance",
    "Sở Nội vụ": "Department of Home Affairs",
    "Sở Xây dựng": "Department of Construction",
    "Sở Y tế": "Department of Health",
    "Sở Giáo dục và Đào tạo": "Department of Education and Training",
    "Sở Công Thương": "Department of Industry and Trade",
    "Sở Nông nghiệp và Môi trường": "Department of Agriculture and Environment",
    "Sở Văn hóa, Thể thao và Du lịch": "Department of Culture, Sports and Tourism",
    "Sở Tư pháp": "Department of Justice",
    "Sở Dân tộc và Tôn giáo": "Department of Ethnic and Religious Affairs",
    "Sở Ngoại vụ": "Department of Foreign Affairs",
    "Công an tỉnh": "Provincial Police",
    "Thanh tra tỉnh": "Provincial Inspectorate",
    "Văn phòng Tỉnh ủy": "Office of the Provincial Party Committee",
    "Văn phòng Thành ủy": "Office of the City Party Committee",
    "Văn phòng UBND tỉnh": "Office of the Provincial People's Committee",
    "UBND tỉnh": "Provincial People's Committee",
    "Các sở, ban, ngành của tỉnh": "Provincial departments and agencies",
    "Các địa phương": "Communes and wards",
}
_KIND_EN = {"commune": "commune", "ward": "ward", "special-zone": "special zone"}
_REGISTRY_KIND = {"commune": "commune", "ward": "ward", "special-zone": "commune"}


@dataclass(frozen=True)
class PlanInfo:
    """What the options say about the plan; what they leave out is read from the appendix."""

    number: str | None = None
    date: dt.date | None = None
    issuer: str | None = None


class InitResult(BaseModel):
    """What `plan57 init` made; its JSON dump is `plan57 init --format json`."""

    path: str
    province: str
    indicators: int
    groups: int
    units: int
    decisions: int
    commit: str


@dataclass
class _Entry:
    id: str
    kind: str
    name_vi: str
    name_en: str
    code: str | None = None
    members: list[str] = field(default_factory=list)


@dataclass
class _Decision:
    field: str
    choices: list[str]
    note: str | None = None


def init_repository(
    target: Path, province_query: str, appendix_path: Path, info: PlanInfo
) -> InitResult:
    """Write a new data repository into `target` (absent or an empty folder)."""
    if target.is_symlink() or (target.exists() and (not target.is_dir() or any(target.iterdir()))):
        raise AppendixError("init-dir-not-empty", path=str(target))
    province = find_province(province_query)
    appendix = read_appendix(appendix_path)
    catalogue = build_catalogue(appendix, province, info)
    parent = target.absolute().parent
    if not parent.is_dir():
        raise AppendixError("init-no-parent", path=str(parent))
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.plan57-init-", dir=parent))
    try:
        _write_files(work, catalogue, province)
        commit = _first_commit(work, catalogue.plan_number)
        if target.exists():
            target.rmdir()
        os.rename(work, target)
        # mkdtemp makes the folder private; the repository gets the mode any new folder gets.
        umask = os.umask(0)
        os.umask(umask)
        target.chmod(0o777 & ~umask)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return InitResult(
        path=str(target),
        province=province.name,
        indicators=catalogue.indicators,
        groups=catalogue.groups,
        units=catalogue.units,
        decisions=catalogue.decisions,
        commit=commit,
    )


@dataclass(frozen=True)
class BuiltCatalogue:
    text: str
    plan_number: str
    indicators: int
    groups: int
    units: int
    decisions: int


def build_catalogue(appendix: Appendix, province: Province, info: PlanInfo) -> BuiltCatalogue:
    """The text of `data/targets.yaml` for `appendix`, validated as the catalogue loader would."""
    from plan57.catalogue.loading import parse_catalogue

    heading = _HEADING.search(appendix.preamble)
    number = info.number or (heading.group("number") if heading else None)
    date = info.date or (_heading_date(heading, appendix.source) if heading else None)
    if not number or date is None:
        raise AppendixError("init-plan-metadata", file=appendix.source)
    issuer = info.issuer or _issuer(heading.group("issuer") if heading else None, province)
    registry = _Registry(province)
    plan_decisions: list[_Decision] = []
    issuer_en = _issuer_en(issuer, province)
    if issuer_en is None:
        issuer_en = issuer
        plan_decisions.append(_Decision("issuer_en", ["English name of the issuer"]))
    secretariat = registry.add(_office(province))
    indicators = [
        _indicator(row, registry, appendix.milestones, appendix.source) for row in appendix.rows
    ]
    plan_decisions.append(
        _Decision(
            "secretariat",
            _unique([secretariat, *(ind.lead for ind in indicators)]),
            "the unit that keeps this catalogue (registry id)",
        )
    )
    plan_decisions += [
        _Decision(f"groups.{group.id}.name_en", ["English name of the group"])
        for group in appendix.groups
    ]
    for entry in registry.entries:
        if entry.name_en == entry.name_vi and entry.kind not in ("commune", "ward"):
            plan_decisions.append(
                _Decision(f"registry.{entry.id}.name_en", ["English name of the unit"])
            )
    lines = _plan_lines(province, number, date, issuer, issuer_en, appendix.milestones, secretariat)
    lines += _decision_lines(plan_decisions, "  ")
    lines += _report_lines(province)
    lines += ["", "groups:"]
    lines += [
        f"  - {{id: {group.id}, name_vi: {_q(group.name)}, name_en: {_q(group.name)}}}"
        for group in appendix.groups
    ]
    lines += ["", "registry:"]
    lines += [_entry_line(entry) for entry in registry.entries]
    lines += ["", "indicators:"]
    for ind in indicators:
        lines += ind.lines
    text = "\n".join(_header(province, number)) + "\n" + "\n".join(lines) + "\n"
    try:
        parse_catalogue(text, "data/targets.yaml")
    except CatalogueError as error:  # a bug of this module, not of the appendix
        raise AppendixError("init-invalid", reason=str(error)) from error
    return BuiltCatalogue(
        text=text,
        plan_number=number,
        indicators=len(indicators),
        groups=len(appendix.groups),
        units=len(registry.entries),
        decisions=len(plan_decisions) + sum(ind.decisions for ind in indicators),
    )


def _heading_date(heading: re.Match[str], source: str) -> dt.date:
    """The plan's date as its heading gives it ("ngày 22/5/2025"); an impossible one
    ("ngày 31/2/2025") is a clear error naming it, never a crash."""
    day, month, year = (int(heading.group(part)) for part in ("day", "month", "year"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise AppendixError("init-bad-date", file=source, text=f"{day}/{month}/{year}") from None


def _header(province: Province, number: str) -> list[str]:
    return [
        # A comment ends at a line break: the number (given with --plan-number) is made one
        # line, or a break in it would start a line of YAML of its own.
        f"# Catalogue of Kế hoạch {inline(number)}, the action plan of {province.name} for Resolution "
        f"{RESOLUTION}.",
        "# Written by `plan57 init` from the plan's appendix. Targets are written exactly as the",
        "# appendix writes them; a blank cell is `null`. Each `decisions:` entry is a choice the",
        "# appendix leaves open: set the field, delete the decision (plan57 check warns until then).",
        "schema: 1",
        "",
    ]


def _plan_lines(
    province: Province,
    number: str,
    date: dt.date,
    issuer: str,
    issuer_en: str,
    milestones: list[int],
    secretariat: str,
) -> list[str]:
    return [
        "plan:",
        f"  number: {_q(number)}",
        f"  date: {date.isoformat()}",
        f"  issuer_vi: {_q(issuer)}",
        f"  issuer_en: {_q(issuer_en)}",
        f"  title_vi: {_q(TITLE_VI)}",
        f"  title_en: {_q(TITLE_EN)}",
        f"  resolution: {_q(RESOLUTION)}",
        f"  baseline_year: {milestones[0] - 1}",
        "  # Each milestone is the end of its year (31 December).",
        f"  milestones: [{', '.join(str(year) for year in milestones)}]",
        f"  secretariat: {secretariat}",
    ]


def _report_lines(province: Province) -> list[str]:
    """The Word report's heading and signature (`report:`), as a province's Steering Committee
    writes them; the secretariat checks the names and the recipients before the first report."""
    city = province.kind == "city"
    level_vi, level_en = ("thành phố", "City") if city else ("tỉnh", "Provincial")
    committee = "Thành ủy" if city else "Tỉnh ủy"
    place = province.short_name
    vi = [
        "Ban Chỉ đạo Trung ương (để báo cáo)",
        f"Thường trực {committee} (để báo cáo)",
        f"Ban Thường vụ {committee} (để báo cáo)",
        "Các thành viên Ban Chỉ đạo",
        f"Lưu Văn phòng {committee}",
    ]
    en = [
        "Central Steering Committee (for its information)",
        f"Standing Board of the {level_en} Party Committee (for its information)",
        f"Standing Committee of the {level_en} Party Committee (for its information)",
        "Members of the Steering Committee",
        f"Files of the Office of the {level_en} Party Committee",
    ]
    return [
        "",
        "# The Word report's heading, signature and recipients (plan57 report --format docx),",
        "# as Hướng dẫn 36-HD/VPTW lays them out: check them before the first report.",
        "report:",
        f"  superior_vi: {_q(f'Đảng bộ {level_vi} {place}')}",
        f"  superior_en: {_q(f'{place} {level_en} Party Organisation')}",
        f"  issuer_vi: {_q(f'Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số {level_vi}')}",
        f"  issuer_en: {_q(f'{level_en} Steering Committee for Science, Technology, Innovation and Digital Transformation')}",
        '  symbol: "BC/BCĐ"',
        f"  place_vi: {_q(place)}",
        f"  place_en: {_q(place)}",
        '  signature_vi: ["T/M BAN CHỈ ĐẠO", "TRƯỞNG BAN"]',
        '  signature_en: ["ON BEHALF OF THE STEERING COMMITTEE", "HEAD"]',
        "  recipients_vi:",
        *(f"    - {_q(line)}" for line in vi),
        "  recipients_en:",
        *(f"    - {_q(line)}" for line in en),
        "  # Part IV, the tasks for the next period: one paragraph each.",
        "  tasks_vi: []",
        "  tasks_en: []",
    ]


class _Registry:
    """The units the appendix names, and the province's communes and wards."""

    def __init__(self, province: Province) -> None:
        self.province = province
        self.entries: list[_Entry] = []
        self._ids: dict[str, _Entry] = {}

    def add(self, name: str) -> str:
        name = name[:1].upper() + name[1:]
        entry_id = slug(name)
        if entry_id in self._ids:
            return entry_id
        if entry_id == COMMUNES_GROUP:
            return self._communes(name)
        kind = "department"
        if name.startswith("Các "):
            kind = "group"
        elif name.startswith(_BODIES):
            kind = "body"
        entry = _Entry(entry_id, kind, name, ENGLISH_UNITS.get(name, name))
        self._append(entry)
        return entry_id

    def _communes(self, name: str) -> str:
        units = self.province.units
        counts: dict[str, int] = {}
        for unit in units:
            counts[unit.id] = counts.get(unit.id, 0) + 1
        # Two units whose names differ only in their accents ("Xã Văn Lãng", "Xã Vân Lăng")
        # keep apart by their official codes.
        ids = [unit.id if counts[unit.id] == 1 else f"{unit.id}-{unit.code}" for unit in units]
        self._append(
            _Entry(COMMUNES_GROUP, "group", name, ENGLISH_UNITS["Các địa phương"], members=ids)
        )
        for unit, unit_id in zip(units, ids, strict=True):
            place = unit.name.split(" ", 1)[1] if " " in unit.name else unit.name
            place = re.sub(r"^khu\s+", "", place)  # "Đặc khu Côn Đảo" → "Côn Đảo"
            self._append(
                _Entry(
                    unit_id,
                    _REGISTRY_KIND[unit.kind],
                    unit.name,
                    f"{place} {_KIND_EN[unit.kind]}",
                    code=unit.code,
                )
            )
        return COMMUNES_GROUP

    def _append(self, entry: _Entry) -> None:
        self.entries.append(entry)
        self._ids[entry.id] = entry

    def kind(self, entry_id: str) -> str:
        return self._ids[entry_id].kind

    def members(self, entry_id: str) -> list[str]:
        return self._ids[entry_id].members


def units_of(cell: str) -> list[str]:
    """The unit names in a cell of the lead, responsible or monitoring column."""
    return [part.strip(" .") for part in _SPLIT.split(cell) if part.strip(" .")]


@dataclass(frozen=True)
class _Written:
    """An indicator's lines of the catalogue, its lead, and how many decisions it leaves."""

    lines: list[str]
    lead: str
    decisions: int


def _indicator(
    row: AppendixRow, registry: _Registry, milestones: list[int], source: str
) -> _Written:
    indicator_id = f"CT{int(row.stt):02d}"
    if len(indicator_id) != 4:
        raise AppendixError("init-too-many", file=source, row=row.row, stt=row.stt)
    leads = [registry.add(name) for name in units_of(row.lead.text)]
    responsible = [registry.add(name) for name in units_of(row.responsible.text)]
    monitors = [registry.add(name) for name in units_of(row.monitors.text)]
    if not leads:
        raise AppendixError("init-missing-cell", file=source, row=row.row, column=row.lead.column)
    targets = {year: Target.parse(year, cell.text) for year, cell in row.targets.items()}
    decisions: list[_Decision] = []
    unit = _unit(row.name, list(targets.values()), decisions)
    flow = _flow(row.name, unit, decisions)
    reporters = _reporters(responsible, monitors, leads, registry, decisions)
    several = sum(len(registry.members(r)) or 1 for r in reporters) > 1
    combine = "single"
    if several:
        combine = {"percent": "ratio", "yes_no": "max"}.get(unit, "sum")
        decisions.append(
            _Decision(
                "combine",
                _unique([combine, "sum", "ratio", "max", "single"]),
                "how several reporters' values make the province's",
            )
        )
    frequency = "year" if unit == "yes_no" else "quarter"
    decisions.append(
        _Decision("frequency", _unique([frequency, "month", "quarter", "half", "year"]))
    )
    numeric = [t for t in targets.values() if t.threshold is not None]
    if unit == "count" and len(numeric) >= 2:
        decisions.append(
            _Decision(
                "path", ["linear", "compound"], "compound: the count multiplies between milestones"
            )
        )
    decisions.append(_Decision("name_en", ["English name of the indicator"]))
    _check_scorable(row, indicator_id, unit, targets, source)
    lines = [
        f"  - id: {indicator_id}",
        f"    group: {row.group}",
        f"    name_vi: {_q(row.name)}",
        f"    name_en: {_q(row.name)}",
        f"    unit: {unit}",
        f"    flow: {'true' if flow else 'false'}",
        f"    frequency: {frequency}",
        f"    lead: {leads[0]}",
        f"    responsible: [{', '.join(responsible)}]",
        f"    monitors: [{', '.join(monitors)}]",
        f"    reporters: [{', '.join(reporters)}]",
        f"    combine: {combine}",
        "    targets:",
    ]
    for year in milestones:
        target_cell = row.targets.get(year)
        lines.append(f"      {year}: {_q(target_cell.text) if target_cell else 'null'}")
    lines += _decision_lines(decisions, "    ")
    return _Written(lines, leads[0], len(decisions))


def _check_scorable(
    row: AppendixRow, indicator_id: str, unit: str, targets: dict[int, Target], source: str
) -> None:
    """The catalogue's own rule on targets (`Indicator`), reported at the appendix's cell."""
    try:
        Indicator(
            id=indicator_id,
            group="-",
            name_vi="-",
            name_en="-",
            unit=unit,
            flow=False,
            lead="-",
            responsible=[],
            monitors=[],
            reporters=["-"],
            combine="sum",
            targets=list(targets.values()),
        )
    except ValidationError as exc:
        cause = exc.errors()[0].get("ctx", {}).get("error")
        year = cause.year if isinstance(cause, TargetError) else min(targets)
        cell = row.targets[year]
        raise AppendixError(
            "init-bad-target",
            file=source,
            row=cell.row,
            column=cell.column,
            text=cell.text,
            reason=exc.errors()[0]["msg"],
        ) from None


def _unit(name: str, targets: list[Target], decisions: list[_Decision]) -> Unit:
    lowered = name.lower()
    texts = " ".join(t.text for t in targets)
    if targets and all(t.kind == "qualitative" for t in targets):
        return "yes_no"
    if "GRDP" in texts:
        return "percent_grdp"
    if "%" in texts or lowered.startswith("tỷ lệ"):
        return "percent"
    if "vạn dân" in lowered:
        return "per_10k"
    if lowered.startswith("chỉ số"):
        return "index"
    if lowered.startswith("số "):
        return "count"
    decisions.append(_Decision("unit", ["count", "percent", "index", "per_10k"]))
    return "count"


def _flow(name: str, unit: str, decisions: list[_Decision]) -> bool:
    lowered = name.lower()
    if any(words in lowered for words in ("mỗi năm", "hằng năm", "hàng năm", "trong năm")):
        return True
    if unit != "count":
        return False  # a share, a rate, an index or a yes/no is a level, never added up
    decisions.append(
        _Decision(
            "flow",
            ["false", "true"],
            "false: a stock, the latest value counts; true: a flow, the periods' values add up",
        )
    )
    return False


def _reporters(
    responsible: list[str],
    monitors: list[str],
    leads: list[str],
    registry: _Registry,
    decisions: list[_Decision],
) -> list[str]:
    """Who submits: the responsible units that can (a department, the communes), else the
    monitors, else the lead; a decision whenever the appendix does not name them one to one."""

    def reports(entry_id: str) -> bool:
        kind = registry.kind(entry_id)
        return kind not in ("group", "body") or bool(registry.members(entry_id))

    chosen = [r for r in responsible if reports(r)] or [m for m in monitors if reports(m)] or leads
    if chosen != responsible:
        decisions.append(
            _Decision(
                "reporters",
                _unique([*chosen, *responsible, *monitors]),
                "the registry ids that submit this indicator (a group needs its members)",
            )
        )
    return chosen


def _decision_lines(decisions: list[_Decision], indent: str) -> list[str]:
    if not decisions:
        return []
    lines = [f"{indent}decisions:"]
    for decision in decisions:
        choices = ", ".join(_q(choice) for choice in decision.choices)
        note = f", note: {_q(decision.note)}" if decision.note else ""
        lines.append(f"{indent}  - {{field: {decision.field}, choices: [{choices}]{note}}}")
    return lines


def _entry_line(entry: _Entry) -> str:
    parts = [f"id: {entry.id}", f"kind: {entry.kind}"]
    if entry.code:
        parts.append(f'code: "{entry.code}"')
    parts += [f"name_vi: {_q(entry.name_vi)}", f"name_en: {_q(entry.name_en)}"]
    if entry.kind == "group":
        parts.append(f"members: [{', '.join(entry.members)}]")
    return "  - {" + ", ".join(parts) + "}"


def _q(text: str) -> str:
    """`text` as a YAML double-quoted scalar: JSON's escapes (which YAML reads), and every
    character YAML may not hold or would read as a line break (DEL, C1 controls, U+2028,
    the byte-order mark) escaped too, so that any appendix text makes a valid catalogue."""
    return _NOT_YAML_PRINTABLE.sub(
        lambda match: f"\\u{ord(match.group()):04x}", json.dumps(text, ensure_ascii=False)
    )


# What YAML 1.1 does not count as printable, or reads as a line break inside a scalar.
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _issuer(heading: str | None, province: Province) -> str:
    party = "Thành ủy" if province.kind == "city" else "Tỉnh ủy"
    said = (heading or "").strip().rstrip(").")
    if said and province.short_name not in said:
        said = f"{said} {province.short_name}"
    return said or f"Ban Thường vụ {party} {province.short_name}"


def _issuer_en(issuer: str, province: Province) -> str | None:
    for party, english in (("Tỉnh ủy", "Provincial"), ("Thành ủy", "City")):
        if issuer == f"Ban Thường vụ {party} {province.short_name}":
            return f"Standing Committee of the {province.short_name} {english} Party Committee"
    return None


def _office(province: Province) -> str:
    return "Văn phòng Thành ủy" if province.kind == "city" else "Văn phòng Tỉnh ủy"


# --- the repository's files ---------------------------------------------------------------


def _shared(*parts: str) -> str:
    """A file plan57 ships for new repositories, under `plan57/assets`."""
    from importlib import resources

    try:
        return resources.files("plan57").joinpath("assets", *parts).read_text("utf-8")
    except OSError:
        raise AppendixError("init-missing-recipe", path="/".join(parts)) from None


def _write_files(root: Path, catalogue: BuiltCatalogue, province: Province) -> None:
    from plan57.catalogue.loading import parse_catalogue
    from plan57.render import render

    plan = parse_catalogue(catalogue.text, "data/targets.yaml").plan
    readme = render(
        "init-readme.md.j2",
        {
            "province": province.name,
            "title": plan.title_vi,
            "number": plan.number,
            "date": plan.date.strftime("%d/%m/%Y"),
            "issuer": plan.issuer_vi,
            "issuer_en": plan.issuer_en,
            "decisions": catalogue.decisions,
            "indicators": catalogue.indicators,
            "groups": catalogue.groups,
            "units": catalogue.units,
        },
    )
    files = {
        "data/targets.yaml": catalogue.text,
        ".gitattributes": _shared("gitattributes"),
        ".gitignore": "out/\n",
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".github/workflows/plan57.yml": _shared("ci", "github", "plan57.yml"),
        ".gitlab-ci.yml": _shared("ci", "gitlab", "plan57.gitlab-ci.yml"),
        "README.md": readme,
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, "utf-8")
    # Empty, so git does not keep it: every unit's first submission adds its own folder.
    (root / "data" / "submissions").mkdir()


PRE_COMMIT = """\
# plan57's hooks, run from the plan57 installed beside git (pip install plan57).
repos:
  - repo: local
    hooks:
      - id: plan57-fix
        name: plan57 fix (CSV saved from Excel → canonical form)
        entry: plan57 fix
        language: system
        files: ^data/submissions/.*\\.csv$
      - id: plan57-check
        name: plan57 check
        entry: plan57 check
        language: system
        files: ^data/(submissions/|targets\\.yaml$)
        pass_filenames: false
        require_serial: true
"""


def _first_commit(root: Path, number: str) -> str:
    from plan57.git import run_git

    run_git(root, "init", "--quiet", "--initial-branch=main")
    run_git(root, "add", "--all")
    identity: list[str] = []
    try:
        run_git(root, "config", "user.email")
    except Plan57Error:
        identity = ["-c", "user.name=plan57 init", "-c", "user.email=plan57-init@localhost"]
    run_git(
        root,
        *identity,
        "-c",
        "commit.gpgsign=false",
        "commit",
        "--quiet",
        "-m",
        f"Catalogue of Kế hoạch {number}\n\nWritten by plan57 init from the plan's appendix.",
    )
    return run_git(root, "rev-parse", "HEAD")
