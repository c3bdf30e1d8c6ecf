"""The catalogue's data model: the plan, its indicators, targets and reporting units."""

from __future__ import annotations

import datetime as dt
import functools
import re
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from plan57.grammar import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_DEADLINE_DAYS,
    MAX_STALE_MONTHS,
    MAX_VALUE,
)
from plan57.messages import LANGS, Lang, default_lang, rendered

Unit = Literal["percent", "percent_grdp", "count", "per_10k", "index", "yes_no"]
Combine = Literal["sum", "ratio", "single", "max"]
Frequency = Literal["month", "quarter", "half", "year"]
# The direction of a target: at least (`≥ x`), at most (`≤ x`), a range (`a - b`), a level to
# reach (`100%`, `6,5`: met at that level or above) or words judged yes/no ("Có").
TargetKind = Literal["min", "max", "exact", "range", "qualitative"]
# The shape of the expected path between two points: a straight line, or steady growth by the
# same factor every month (counts that multiply between milestones, such as CT28: 1, 15, 300).
PathShape = Literal["linear", "compound"]
# Characters that only a number target uses: words with them are a target that failed to parse.
_COMPARISON = re.compile(r"[<>≤≥=]|\d")
RegistryKind = Literal["body", "department", "group", "commune", "ward", "enterprise", "institute"]

_NUMBER = r"\d+(?:[.,]\d+)?"
_MIN = re.compile(rf"(?:≥|>=)\s*({_NUMBER})\s*%?(?:\s*GRDP)?")
_MAX = re.compile(rf"(?:≤|<=)\s*({_NUMBER})\s*%?(?:\s*GRDP)?")
_RANGE = re.compile(rf"({_NUMBER})\s*[-–]\s*({_NUMBER})\s*%?(?:\s*GRDP)?")
_EXACT = re.compile(rf"({_NUMBER})\s*%?(?:\s*GRDP)?")
_REPORTER_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# No `#` anywhere in an e-mail: CODEOWNERS reads `#` after a space as a comment, and an
# owner that is a comment leaves its path with no owner at all.
_HANDLE = r"^(?:@[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)?|[^@\s#]+@[^@\s#]+\.[^@\s#]+)$"


class TargetError(ValueError):
    """A target the catalogue cannot score; `year` lets the error point at its own line."""

    def __init__(self, message: str, year: int) -> None:
        super().__init__(message)
        self.year = year


def _number(text: str) -> float:
    # The plan writes decimals both ways ("1,0%", "≥ 0.60"); it never uses thousands separators.
    return float(text.replace(",", "."))


# A number of the catalogue: finite, and within the grammar's bounds.
Bounded = Annotated[float, Field(ge=-MAX_VALUE, le=MAX_VALUE, allow_inf_nan=False)]


class Target(BaseModel):
    """One milestone target, parsed from the text the plan uses and keeping that text."""

    model_config = ConfigDict(frozen=True)

    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    kind: TargetKind
    value: Bounded | None = None
    low: Bounded | None = None
    high: Bounded | None = None
    text: str

    @classmethod
    def parse(cls, year: int, text: str) -> Target:
        return _parse_target(year, text)

    @property
    def threshold(self) -> float | None:
        """The number the value must reach: the minimum, maximum, level, or a range's low end."""
        return self.low if self.kind == "range" else self.value

    @property
    def at_most(self) -> bool:
        """Whether the value must stay at or below the threshold (lower is better)."""
        return self.kind == "max"


# Targets are frozen, so one object can serve every catalogue that writes the same text: the
# history of a catalogue parses the same few thousand targets again and again.
@functools.lru_cache(maxsize=4096)
def _parse_target(year: int, text: str) -> Target:
    cleaned = " ".join(text.split())
    if match := _MIN.fullmatch(cleaned):
        return Target(year=year, kind="min", value=_number(match.group(1)), text=cleaned)
    if match := _MAX.fullmatch(cleaned):
        return Target(year=year, kind="max", value=_number(match.group(1)), text=cleaned)
    if match := _RANGE.fullmatch(cleaned):
        low, high = _number(match.group(1)), _number(match.group(2))
        return Target(year=year, kind="range", low=low, high=high, text=cleaned)
    if match := _EXACT.fullmatch(cleaned):
        return Target(year=year, kind="exact", value=_number(match.group(1)), text=cleaned)
    return Target(year=year, kind="qualitative", text=cleaned)


class Decision(BaseModel):
    """A choice the catalogue's author has not made yet, e.g. whether a count is a flow.

    `plan57 init` writes one wherever the appendix does not settle a field; the field holds a
    provisional value meanwhile, and `plan57 check` warns (`catalogue-decision`) until the
    secretariat sets the field and deletes the decision.
    """

    model_config = ConfigDict(extra="forbid")

    field: str = Field(min_length=1)
    choices: list[str] = Field(min_length=1)
    note: str | None = None


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: str
    date: dt.date
    issuer_vi: str
    issuer_en: str
    title_vi: str
    title_en: str
    resolution: str
    baseline_year: int = Field(default=2024, ge=FIRST_YEAR, le=LAST_YEAR)
    milestones: list[Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]]
    secretariat: str
    secretariat_team: str | None = Field(default=None, pattern=_HANDLE)
    # Open decisions about the plan as a whole (its English names, its secretariat).
    decisions: list[Decision] = Field(default_factory=list)


class ScoringSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tolerance: float = Field(default=0.95, gt=0, le=1)
    stale_after_months: int = Field(default=12, ge=1, le=MAX_STALE_MONTHS)
    # How long after the reporting deadline a milestone's outstanding figures are awaited
    # before the books close, and the share of the reporters owing it whose figures must be
    # in for the verdict to be decided on what came then (docs/methodology.md, principle 4).
    awaited_days: int = Field(default=90, ge=0, le=MAX_DEADLINE_DAYS)
    coverage_threshold: float = Field(default=0.8, gt=0, le=1)


class SubmissionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deadline_days: int = Field(default=15, ge=0, le=MAX_DEADLINE_DAYS)


class ReportSettings(BaseModel):
    """The heading, signature and recipients of the secretariat's Word report (`report --format
    docx`), as Hướng dẫn 36-HD/VPTW lays out a Party body's báo cáo. Vietnamese first; each
    English field is the same in English (`--lang en`)."""

    model_config = ConfigDict(extra="forbid")

    # The body above the issuer, top left ("ĐẢNG BỘ TỈNH ĐẮK LẮK"); none for a top-level body.
    superior_vi: str | None = None
    superior_en: str | None = None
    # The issuing body, top left in bold ("BAN CHỈ ĐẠO …").
    issuer_vi: str = Field(min_length=1)
    issuer_en: str = Field(min_length=1)
    # The number's symbol: "BC/BCĐ" gives "Số    -BC/BCĐ", the number written in at signing.
    symbol: str = Field(min_length=1)
    # The place in the dateline ("Đắk Lắk, ngày 15 tháng 01 năm 2026").
    place_vi: str = Field(min_length=1)
    place_en: str = Field(min_length=1)
    # The signature block's lines ("T/M BAN CHỈ ĐẠO", "TRƯỞNG BAN") and the signer's name.
    signature_vi: list[str] = Field(min_length=1)
    signature_en: list[str] = Field(min_length=1)
    signer: str | None = None
    # "Nơi nhận": who receives the report, one line each.
    recipients_vi: list[str] = Field(min_length=1)
    recipients_en: list[str] = Field(min_length=1)
    # Part IV, the tasks for the next period: the secretariat's own text, one paragraph each.
    tasks_vi: list[str] = Field(default_factory=list)
    tasks_en: list[str] = Field(default_factory=list)


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name_vi: str
    name_en: str


class RegistryEntry(BaseModel):
    """A reporting unit, a body the plan names, or a group of units."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=_REPORTER_ID)
    kind: RegistryKind
    name_vi: str
    name_en: str
    # A commune's or ward's official administrative code (five digits, Quyết định 19/2025/QĐ-TTg).
    code: str | None = Field(default=None, pattern=r"^[0-9]{5}$")
    # The forge handle (@org/team, @user or an e-mail) that owns the unit's folder in CODEOWNERS.
    team: str | None = Field(default=None, pattern=_HANDLE)
    members: list[str] = Field(default_factory=list)
    # Whether the unit's folder may change in the same pull request as other units' folders
    # (plan57 check --changed-since refuses that otherwise).
    shared_pull_requests: bool = False


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^CT\d{2}$")
    group: str
    name_vi: str
    name_en: str
    unit: Unit
    flow: bool
    frequency: Frequency = "quarter"
    lead: str
    responsible: list[str]
    monitors: list[str]
    reporters: list[str] = Field(min_length=1)
    combine: Combine
    authority: str | None = None
    baseline: float | None = Field(default=None, ge=-MAX_VALUE, le=MAX_VALUE, allow_inf_nan=False)
    # Linear unless the catalogue says the indicator grows by multiplying (docs/methodology.md).
    path: PathShape = "linear"
    targets: list[Target]
    # Open decisions about this indicator (class Decision); none once the catalogue is settled.
    decisions: list[Decision] = Field(default_factory=list)

    @field_validator("targets", mode="before")
    @classmethod
    def _parse_targets(cls, raw: object) -> object:
        # The YAML writes targets as {year: "text" | null}, the appendix's row as it stands.
        if not isinstance(raw, dict):
            return raw
        targets = []
        for year, text in raw.items():
            if text is None or (isinstance(text, str) and not text.strip()):
                continue
            # YAML reads a bare yes/no/on/off as a boolean: a target must keep the plan's words.
            if (
                not isinstance(year, int)
                or isinstance(text, bool)
                or not isinstance(text, (str, int, float))
            ):
                raise ValueError('targets are written as year: "text", e.g. 2025: "≥ 60%"')
            targets.append(Target.parse(year, str(text)))
        # Milestones in order, whatever order the file lists them in (smells compare neighbours).
        return sorted(targets, key=lambda target: target.year)

    @model_validator(mode="after")
    def _targets_scorable(self) -> Indicator:
        # A number indicator whose target reads as words, or words that look like a failed
        # number ("< 5", "tối đa 8%"), would otherwise be scored as a silent yes/no.
        for target in self.targets:
            if target.kind != "qualitative":
                continue
            if self.unit != "yes_no" or _COMPARISON.search(target.text):
                raise TargetError(
                    f"{self.id}: the {target.year} target {target.text!r} is not a target plan57 "
                    "can score; write ≥ x, ≤ x, a level (x), a range (a - b), or words for a "
                    "yes_no indicator",
                    target.year,
                )
        return self

    @model_validator(mode="after")
    def _authority_needed(self) -> Indicator:
        if self.combine == "single" and self.authority is None and len(self.reporters) > 1:
            raise ValueError("combine: single with several reporters needs an authority")
        return self

    def target_for(self, year: int) -> Target | None:
        return next((t for t in self.targets if t.year == year), None)

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_version: int = Field(alias="schema")
    plan: Plan
    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    submission: SubmissionSettings = Field(default_factory=SubmissionSettings)
    # The Word report's heading and signature; only `report --format docx` needs it.
    report: ReportSettings | None = None
    groups: list[Group]
    registry: list[RegistryEntry]
    indicators: list[Indicator]

    @model_validator(mode="after")
    def _references(self) -> Catalogue:
        references = References(self.plan, self.groups, self.registry)
        references.check_ids()
        _unique("indicators", [i.id for i in self.indicators])
        references.check_registry()
        for ind in self.indicators:
            references.check_indicator(ind)
        return self

    @cached_property
    def _entries(self) -> dict[str, RegistryEntry]:
        return {e.id: e for e in self.registry}

    @cached_property
    def _indicators(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @cached_property
    def assignments(self) -> dict[str, frozenset[str]]:
        """Each indicator's reporters, groups expanded to their members."""
        return {i.id: frozenset(self.expand(i.reporters)) for i in self.indicators}

    def expand(self, ids: list[str]) -> list[str]:
        """Reporter ids with every group replaced by its members (recursively), in order."""
        return _expand(self._entries, ids)

    def entry(self, entry_id: str) -> RegistryEntry | None:
        return self._entries.get(entry_id)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self._indicators.get(indicator_id)

    def is_reporter(self, entry_id: str) -> bool:
        entry = self._entries.get(entry_id)
        return entry is not None and entry.kind not in ("group", "body")

    def reporter_ids(self) -> list[str]:
        """Every unit that may submit, in registry order."""
        return [e.id for e in self.registry if e.kind not in ("group", "body")]

    def name_aliases(self) -> dict[str, str]:
        """Each reporter's names (vi and en) → its id, for suggesting "so-tc" for "so-tai-chinh"."""
        return {
            name: entry.id
            for entry in self.registry
            if entry.kind != "group"
            for name in (entry.name_vi, entry.name_en)
        }

    def indicators_for(self, reporter: str) -> list[Indicator]:
        return [i for i in self.indicators if reporter in self.assignments[i.id]]

    def entry_name(self, entry_id: str, lang: str) -> str:
        entry = self._entries.get(entry_id)
        if entry is None:
            return entry_id
        return entry.name_vi if lang == "vi" else entry.name_en


class References:
    """What the catalogue's cross-references are checked against: registry, groups, milestones.

    The checks are split so that a reader of many revisions (`plan57 history`) can check the
    registry once for every revision that shares it, and each indicator once per registry.
    `Catalogue` runs them all, in this order, for every catalogue it validates.
    """

    def __init__(self, plan: Plan, groups: list[Group], registry: list[RegistryEntry]) -> None:
        self.plan = plan
        self.groups = groups
        self.registry = registry
        self.entries = {e.id: e for e in registry}
        self.group_ids = {g.id for g in groups}

    def check_ids(self) -> None:
        """No group and no registry entry is defined twice; raises ValueError."""
        _unique("groups", [g.id for g in self.groups])
        _unique("registry", [e.id for e in self.registry])

    def check_registry(self) -> None:
        """Group members and the secretariat exist; raises ValueError."""
        for entry in self.registry:
            for member in entry.members:
                if member not in self.entries:
                    raise ValueError(f"{entry.id}: member {member} is not in the registry")
        if self.plan.secretariat not in self.entries:
            raise ValueError(f"plan.secretariat {self.plan.secretariat} is not in the registry")

    def check_indicator(self, ind: Indicator) -> None:
        """One indicator's group, units, authority and milestones exist; raises ValueError."""
        if ind.group not in self.group_ids:
            raise ValueError(f"{ind.id}: group {ind.group} is not defined")
        for ref in [ind.lead, *ind.responsible, *ind.monitors, *ind.reporters]:
            if ref not in self.entries:
                raise ValueError(f"{ind.id}: {ref} is not in the registry")
        if ind.authority is not None and ind.authority not in _expand(self.entries, ind.reporters):
            raise ValueError(f"{ind.id}: authority {ind.authority} is not one of its reporters")
        # A group of several members is several reporters too.
        if (
            ind.combine == "single"
            and ind.authority is None
            and len(_expand(self.entries, ind.reporters)) > 1
        ):
            raise ValueError(f"{ind.id}: combine: single with several reporters needs an authority")
        for target in ind.targets:
            if target.year not in self.plan.milestones:
                raise ValueError(f"{ind.id}: {target.year} is not a milestone of the plan")


def _expand(entries: dict[str, RegistryEntry], ids: list[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    stack = list(reversed(ids))
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        entry = entries.get(current)
        if entry is not None and entry.kind == "group":
            stack.extend(reversed(entry.members))
        else:
            out.append(current)
    return out


def _unique(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{what}: the id {item} appears twice")
        seen.add(item)


# --- results whose texts are rendered when they are dumped ------------------------------------


class Worded(BaseModel):
    """A result that keeps its texts as `Message`s (a key and parameters), language-neutral.

    Dumped, it carries each text rendered in one language: the dump's context names it,
    `model_dump(mode="json", context={"lang": "en"})`, else PLAN57_LANG, else Vietnamese. That
    is how every `--format json` is written; its JSON Schema lists the rendered texts too.
    """

    # Each text the dump adds: its name, and what it says (for the JSON Schema).
    WORDS: ClassVar[dict[str, str]] = {}

    def words(self) -> dict[str, Any]:
        """The texts to render into the dump, by name: `Message`s and the like (None: null)."""
        return {}

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        lang = dumped_lang(info)
        texts = {
            name: None if said is None else rendered(said, lang)
            for name, said in self.words().items()
        }
        return {**data, **texts}

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # The model's own fields (the wrap serializer above would hide them), plus its texts.
        plain = {key: value for key, value in core_schema.items() if key != "serialization"}
        fields = handler(plain)
        if handler.mode == "serialization":
            schema = handler.resolve_ref_schema(fields)
            for name, what in cls.WORDS.items():
                schema["properties"][name] = {
                    "title": name.replace("_", " ").capitalize(),
                    "type": "string",
                    "description": f"{what}, in the language of the dump (`--lang`).",
                }
                schema.setdefault("required", []).append(name)
        return fields


def dumped_lang(info: SerializationInfo) -> Lang:
    """The language a dump renders its texts in: `context={"lang": ...}`, else the default."""
    context = info.context if isinstance(info.context, dict) else {}
    lang = context.get("lang")
    return lang if lang in LANGS else default_lang()
