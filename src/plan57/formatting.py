"""Numbers, targets and dates written the way each language writes them (vi `1.234,5`, en `1,234.5`).

Scoring writes its reasons with these, and the reports show every figure through them, so a
figure reads the same in the reason and in the table beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from plan57.catalogue.models import Catalogue, Target, Unit
from plan57.grammar import exact
from plan57.messages import TABLES, Lang, rendered, text

if TYPE_CHECKING:
    from plan57.catalogue.revisions import Change

# Decimals shown per unit: percentages to a tenth, an index to a hundredth (DTI 0,62).
_DECIMALS: dict[str, int] = {
    "percent": 1,
    "percent_grdp": 1,
    "per_10k": 1,
    "index": 2,
    "count": 0,
}
Rounding = Literal["half-up", "up", "down"]
# A float's shortest decimal has at most 17 significant digits: enough places for any figure.
_EXACT_DIGITS = 30
# Progress at or beyond this ratio of the path is said in words rather than as "1.407%".
_WELL_AHEAD = 2.0
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# "1 Mar 2026": each month's first three letters are its English abbreviation.
_MONTHS_EN_SHORT = tuple(month[:3] for month in MONTHS_EN)
_FIRST_NUMBER = re.compile(r"\d+(?:[.,](\d+))?")


def number(value: float, lang: Lang, decimals: int = 0, way: Rounding = "half-up") -> str:
    """`value` with thousands grouped and the decimal mark of `lang`.

    Rounded half up on the value as written (`grammar.exact`), so that 2,675 shows as 2,68
    and what is shown is what `decimals_beside` decided on.
    """
    if not math.isfinite(value):
        return "–"
    shown_value = _rounded(exact(value), decimals, way)
    if shown_value == 0:
        shown_value = Fraction(0)  # never "-0"
    shown = f"{Decimal(shown_value.numerator) / Decimal(shown_value.denominator):,.{decimals}f}"
    if lang == "vi":
        shown = shown.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return shown


def _rounded(value: Fraction, decimals: int, way: Rounding = "half-up") -> Fraction:
    """`value` rounded to `decimals` places exactly: half up (away from zero), or up or down
    (a need: what the path asks for is never shown as less than it asks)."""
    scale = 10**decimals
    if way == "up":
        return Fraction(math.ceil(value * scale), scale)
    if way == "down":
        return Fraction(math.floor(value * scale), scale)
    whole = math.floor(abs(value) * scale + Fraction(1, 2))
    return Fraction(whole if value >= 0 else -whole, scale)


def need_rounding(at_most: bool) -> Rounding:
    """How a need is rounded: up for a minimum to reach, down for a maximum to stay under."""
    return "down" if at_most else "up"


def _places(value: Fraction) -> int:
    """The decimals a finite decimal needs to be written exactly (`exact` values are, down to
    a float's smallest); a fraction that is no finite decimal gets `_EXACT_DIGITS`."""
    denominator = value.denominator
    twos = (denominator & -denominator).bit_length() - 1
    rest, fives = denominator >> twos, 0
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    return max(twos, fives) if rest == 1 else _EXACT_DIGITS


def _sign(value: Fraction) -> int:
    return (value > 0) - (value < 0)


def decimals_beside(
    value: float,
    unit: Unit,
    targets: tuple[float, ...] = (),
    paths: tuple[float, ...] = (),
    decimals: int | None = None,
    at_most: bool = False,
) -> int:
    """The decimals `value` needs so that, as shown, it compares with each of `targets` (shown
    as the plan writes them) and each of `paths` (shown with the same decimals) exactly as it
    compares with them: 99,96% beside ≥ 100% (never "100,0%"), 0,9999% beside ≥ 1,0%, 99,94%
    beside a path of 99,95% (never both "99,9%"). A path is a need, rounded up (down for an
    at-most target: `need_rounding`), so that 0,25 needed never reads "0,2".

    The one decision of digits for a figure shown beside what it is judged against; every
    output shows the value and its path with these decimals (`IndicatorScore.shown_value`).
    """
    mine = exact(value)
    others = [exact(t) for t in targets] + [exact(p) for p in paths]
    start = decimals_for(unit, value) if decimals is None else decimals
    way = need_rounding(at_most)
    # At the places the figures are written with, nothing is rounded and every order holds.
    last = max([start, _places(mine), *(_places(o) for o in others)])
    for places in range(start, last):
        shown = _rounded(mine, places)
        if all(_sign(shown - exact(t)) == _sign(mine - exact(t)) for t in targets) and all(
            _sign(shown - _rounded(exact(p), places, way)) == _sign(mine - exact(p)) for p in paths
        ):
            return places
    return last


def beside(
    value: float | None,
    unit: Unit,
    lang: Lang,
    targets: tuple[float, ...] = (),
    paths: tuple[float, ...] = (),
    at_most: bool = False,
) -> str:
    """`value` with its unit and the decimals `decimals_beside` decides."""
    if value is None or not math.isfinite(value):
        return "–"
    return quantity(value, unit, lang, decimals_beside(value, unit, targets, paths, None, at_most))


def need(value: float | None, unit: Unit, lang: Lang, decimals: int, at_most: bool = False) -> str:
    """What a path asks for, rounded up (down for an at-most target) to the decimals of the
    value beside it (`decimals_beside`), or its own where it has more (10,8 needed beside
    a count of 10): what it asks for is never shown as less."""
    if value is None or not math.isfinite(value):
        return "–"
    places = max(decimals, decimals_for(unit, value))
    return quantity(value, unit, lang, places, need_rounding(at_most))


def decimals_for(unit: Unit, value: float) -> int:
    """Decimals to show: a tenth for shares, a hundredth for an index, none for whole counts.

    A pro-rated count (an expected 10,8) keeps one decimal, and a small share keeps a second
    one when it has it (0,75% must not read as 0,8% beside a target of ≥ 1,0%).
    """
    if unit == "count":
        return 0 if float(value).is_integer() else 1
    decimals = _DECIMALS.get(unit, 1)
    if decimals == 1 and abs(value) < 10 and round(value, 1) != round(value, 2):
        return 2
    return decimals


def bare(
    value: float, unit: Unit, lang: Lang, decimals: int | None = None, way: Rounding = "half-up"
) -> str:
    """The number alone, with the decimals its unit uses (or those given)."""
    return number(value, lang, decimals_for(unit, value) if decimals is None else decimals, way)


def quantity(
    value: float | None,
    unit: Unit,
    lang: Lang,
    decimals: int | None = None,
    way: Rounding = "half-up",
) -> str:
    """A figure with its unit: `1,2%`, `1,0% GRDP` (en `1.0% of GRDP`), `6,5`, `0,62`, `1.500`."""
    if value is None or not math.isfinite(value):
        return "–"
    shown = bare(value, unit, lang, decimals, way)
    if unit == "percent":
        return f"{shown}%"
    if unit == "percent_grdp":
        # "7.2% of GRDP" in English; Vietnamese writes "7,2% GRDP", as the plan does.
        return text("quantity.percent_grdp", lang, value=shown)
    return shown


def progress(value: float | None, tolerance: float, lang: Lang) -> str:
    """A progress ratio in words far from the path, else a percentage on the right side.

    Beyond twice the path it reads "well ahead of the path"; below zero (the value went back
    past the start) "behind the starting point"; near the tolerance it keeps the decimals that
    keep it from reading as the tolerance itself ("94,99%", never "95%" next to "behind").
    """
    if value is None or not math.isfinite(value):
        return "–"
    if value >= _WELL_AHEAD:
        return text("progress.well-ahead", lang)
    if value < 0:
        return text("progress.behind-start", lang)
    percent, bar = float(exact(value) * 100), float(exact(tolerance) * 100)
    return f"{number(percent, lang, decimals_beside(percent, 'count', (bar,), (), 0))}%"


def answer(value: bool | None, lang: Lang) -> str:
    if value is None:
        return "–"
    return text("score.yes" if value else "score.no", lang)


def target(item: Target | None, unit: Unit, lang: Lang) -> str:
    """A target as the plan states it, in `lang`'s notation: `≥ 1,0%`, `≥ 60%`, `15–20`.

    Numbers keep the decimals the plan wrote ("1,0%" stays 1,0; "60%" stays 60).
    """
    if item is None:
        return "–"
    found = _FIRST_NUMBER.search(item.text)
    decimals = len(found.group(1)) if found and found.group(1) else 0
    if item.kind == "min" and item.value is not None:
        return f"≥ {quantity(item.value, unit, lang, decimals)}"
    if item.kind == "max" and item.value is not None:
        return f"≤ {quantity(item.value, unit, lang, decimals)}"
    if item.kind == "exact" and item.value is not None:
        return quantity(item.value, unit, lang, decimals)
    if item.kind == "range" and item.low is not None and item.high is not None:
        low = bare(item.low, unit, lang, decimals)
        return f"{low}–{quantity(item.high, unit, lang, decimals)}"
    return qualitative(item.text, lang)


def qualitative(wording: str, lang: Lang) -> str:
    """A yes/no target's wording ("Có", "Ứng dụng"), translated where the table knows it."""
    key = f"target-text.{wording}"
    return TABLES[lang].get(key, wording)


def ratio(value: float | None, lang: Lang) -> str:
    """A progress ratio as a percentage: 0.92 → `92%`."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{number(value * 100, lang, 0)}%"


def day(value: date, lang: Lang) -> str:
    """A date: vi `31/12/2025`, en `31 Dec 2025`."""
    if lang == "vi":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return f"{value.day} {_MONTHS_EN_SHORT[value.month - 1]} {value.year}"


def moment(value: datetime, lang: Lang) -> str:
    """A time of day with its date and its zone: vi `31/12/2025 08:30 UTC`.

    The zone is the value's own (UTC in reports, the province's ICT on the site's reporter
    pages), so that a time is never labelled with a zone it is not in."""
    return f"{day(value.date(), lang)} {value:%H:%M} {value.tzname() or 'UTC'}"


# --- a catalogue change (diff, history, the report's revisions, the site) --------------------


def change_value(value: Any, lang: Lang) -> str:
    """A changed value as people read it: a target's own text, a unit's name, a list joined."""
    if value is None:
        return "—"
    if isinstance(value, dict):
        if "text" in value and "year" in value:
            return str(value["text"])
        name = value.get("name_vi" if lang == "vi" else "name_en")
        if name is not None:
            return str(name)
        return ", ".join(f"{key}: {change_value(item, lang)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(change_value(item, lang) for item in value) or "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float) and math.isfinite(value):
        # A tolerance or a baseline in the language's notation: never "48.25" in Vietnamese.
        return number(value, lang, _places(exact(value)))
    return str(value)


def change_where(change: Change, lang: Lang) -> str:
    return change.indicator or text("label.catalogue-wide", lang)


def change_kind(change: Change, lang: Lang) -> str:
    return text(f"change.{change.kind}", lang)


def change_line(change: Change, lang: Lang) -> str:
    """One change on one line: `CT05 targets.2030: ≥ 1,5% → ≥ 2% (raised)`."""
    if change.kind == "added":
        body = f"+ {change_value(change.new, lang)}"
    elif change.kind == "removed":
        body = f"− {change_value(change.old, lang)}"
    else:
        body = f"{change_value(change.old, lang)} → {change_value(change.new, lang)}"
    return f"{change_where(change, lang)} {change.field}: {body} ({change_kind(change, lang)})"


# Fields whose values are registry ids: an indicator's page names the units instead.
_UNIT_FIELDS = ("lead", "responsible", "monitors", "reporters", "authority")


def change_words(change: Change, lang: Lang, name: Callable[[str], str] = str) -> str:
    """One change of an indicator as its own page says it, in words: `Mục tiêu năm 2030: ≥ 1,5%
    → ≥ 2% (nâng lên)`, `Đơn vị báo cáo: <names> → <names> (thay đổi)`; `name` names a unit."""
    if change.field == "indicator":
        return text(f"change.indicator-{change.kind}", lang)
    collection, _, key = change.field.partition(".")
    if collection == "targets":
        label = text("change.field.target", lang, year=key)
    elif collection == "groups" and key:
        label = text("change.field.group-entry", lang, group=key)
    elif collection == "registry" and key:
        label = text("change.field.registry-entry", lang, unit=name(key))
    elif f"change.field.{change.field}" in TABLES[lang]:
        label = text(f"change.field.{change.field}", lang)
    else:
        label = change.field

    def shown(value: Any) -> str:
        if change.field in _UNIT_FIELDS and isinstance(value, (str, list)):
            ids = [value] if isinstance(value, str) else value
            return ", ".join(name(str(i)) for i in ids) or "—"
        return change_value(value, lang)

    if change.indicator is None and change.kind in ("added", "removed"):
        # A whole part of the catalogue (the plan, a group, a unit): its name says enough.
        return f"{label} ({change_kind(change, lang)})"
    if change.kind == "added":
        body = shown(change.new)
    elif change.kind == "removed":
        body = shown(change.old)
    else:
        body = f"{shown(change.old)} → {shown(change.new)}"
    return f"{label}: {body} ({change_kind(change, lang)})"


# --- figures kept for later: typed values a `Message` renders in the language asked for -------
#
# A verdict's reason is a `Message` whose parameters are these (and other messages), so that a
# score is language-neutral and its JSON keeps the raw numbers beside the sentence. Each has a
# `kind`, so that a reader of the JSON can tell them apart.


@dataclass(frozen=True)
class Quantity:
    """`quantity`: a figure with its unit."""

    value: float | None
    unit: Unit
    decimals: int | None = None
    kind: Literal["quantity"] = "quantity"

    def render(self, lang: Lang) -> str:
        return quantity(self.value, self.unit, lang, self.decimals)


@dataclass(frozen=True)
class Number:
    """A figure in a finding's sentence: every decimal it has, in the language's notation."""

    value: float
    kind: Literal["number"] = "number"

    def render(self, lang: Lang) -> str:
        if not math.isfinite(self.value):
            return "–"
        return number(self.value, lang, _places(exact(self.value)))


@dataclass(frozen=True)
class Against:
    """`beside`: a figure shown with the decimals that keep it on its side of the targets and
    the path it is judged against."""

    value: float
    unit: Unit
    targets: tuple[float, ...] = ()
    paths: tuple[float, ...] = ()
    at_most: bool = False
    kind: Literal["against"] = "against"

    def render(self, lang: Lang) -> str:
        return beside(self.value, self.unit, lang, self.targets, self.paths, self.at_most)


@dataclass(frozen=True)
class Need:
    """`need`: what the path asks for, with the decimals of the value it is compared with."""

    value: float
    unit: Unit
    decimals: int
    at_most: bool = False
    kind: Literal["need"] = "need"

    def render(self, lang: Lang) -> str:
        return need(self.value, self.unit, lang, self.decimals, self.at_most)


@dataclass(frozen=True)
class TargetShown:
    """`target`: a target as the plan states it."""

    target: Target | None
    unit: Unit
    kind: Literal["target"] = "target"

    def render(self, lang: Lang) -> str:
        return target(self.target, self.unit, lang)


@dataclass(frozen=True)
class Answer:
    """`answer`: yes or no."""

    value: bool | None
    kind: Literal["answer"] = "answer"

    def render(self, lang: Lang) -> str:
        return answer(self.value, lang)


@dataclass(frozen=True)
class Qualitative:
    """`qualitative`: a yes/no target's wording."""

    wording: str
    kind: Literal["qualitative"] = "qualitative"

    def render(self, lang: Lang) -> str:
        return qualitative(self.wording, lang)


@dataclass(frozen=True)
class Ratio:
    """`ratio`: a share as a percentage."""

    value: float | None
    kind: Literal["ratio"] = "ratio"

    def render(self, lang: Lang) -> str:
        return ratio(self.value, lang)


@dataclass(frozen=True)
class ProgressShown:
    """`progress`: progress along the path, in words far from it."""

    value: float | None
    tolerance: float
    kind: Literal["progress"] = "progress"

    def render(self, lang: Lang) -> str:
        return progress(self.value, self.tolerance, lang)


@dataclass(frozen=True)
class Day:
    """`day`: a date."""

    value: date
    kind: Literal["day"] = "day"

    def render(self, lang: Lang) -> str:
        return day(self.value, lang)


@dataclass(frozen=True)
class Name:
    """A name the catalogue gives in both languages (an indicator's, a reporter's)."""

    vi: str
    en: str
    kind: Literal["name"] = "name"

    def render(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class Labelled:
    """`name (detail)`: a reporter and its periods."""

    name: Any
    detail: str
    kind: Literal["labelled"] = "labelled"

    def render(self, lang: Lang) -> str:
        return f"{rendered(self.name, lang)} ({self.detail})"


# Items a sentence lists before it says "and n others".
FEW = 4


@dataclass(frozen=True)
class Few:
    """A list for a sentence: past a handful, the first few and how many more (the JSON has
    them all, or, with `more`, the first few and how many others a field of its own lists;
    a committee reads the first few and the count)."""

    items: tuple[Any, ...]
    sep: str = ", "
    more: int = 0
    kind: Literal["list"] = "list"

    def render(self, lang: Lang) -> str:
        shown = [rendered(item, lang) for item in self.items]
        total = len(shown) + self.more
        if total <= FEW:
            return self.sep.join(shown)
        return text(
            "score.and-others", lang, items=self.sep.join(shown[: FEW - 1]), n=total - FEW + 1
        )


@dataclass(frozen=True)
class Sentence:
    """A verdict's sentence: the value, the target it is held against, the verdict, and the
    particulars after it, separated by semicolons; capitalised, with a full stop."""

    value: Any
    against: Any
    verdict: Any
    extra: tuple[Any, ...] = ()
    kind: Literal["sentence"] = "sentence"

    def render(self, lang: Lang) -> str:
        body = f"{rendered(self.value, lang)} {rendered(self.against, lang)}"
        body += rendered(self.verdict, lang)
        body += "".join(f"; {rendered(part, lang)}" for part in self.extra)
        return body[:1].upper() + body[1:] + "."


@dataclass(frozen=True)
class Amended:
    """A sentence with one more clause before its full stop (a revised target's note)."""

    base: Any
    more: Any
    kind: Literal["amended"] = "amended"

    def render(self, lang: Lang) -> str:
        return rendered(self.base, lang)[:-1] + f"; {rendered(self.more, lang)}."


# --- numbers in words: the two readings of "1,500" said so that neither can be misread ------

_VI_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_VI_SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ")
_EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_SCALES = ("", "thousand", "million", "billion", "trillion")


def in_words(spelled: str, lang: Lang) -> str:
    """A number spelled as the contract writes it ("1500", "1.5") in words: vi "một nghìn năm
    trăm", "một phẩy năm"; en "one thousand five hundred", "one point five". The decimals are
    read digit by digit, as one reads them aloud."""
    whole, _, fraction = spelled.lstrip("+-").partition(".")
    whole = whole.lstrip("0") or "0"
    if len(whole) > 3 * len(_VI_SCALES):
        return spelled
    names = _VI_DIGITS if lang == "vi" else _EN_DIGITS
    words = _vi_whole(int(whole)) if lang == "vi" else _en_whole(int(whole))
    if fraction:
        point = "phẩy" if lang == "vi" else "point"
        words += [point, *(names[int(d)] for d in fraction)]
    if spelled.startswith("-"):
        words.insert(0, "âm" if lang == "vi" else "minus")
    return " ".join(words)


def _groups(value: int) -> list[int]:
    """`value` in groups of three digits, the highest first."""
    groups: list[int] = []
    while True:
        value, group = divmod(value, 1000)
        groups.insert(0, group)
        if not value:
            return groups


def _vi_whole(value: int) -> list[str]:
    if value == 0:
        return [_VI_DIGITS[0]]
    groups = _groups(value)
    words: list[str] = []
    for index, group in enumerate(groups):
        if group:
            words += _vi_hundreds(group, full=index > 0)
            scale = _VI_SCALES[len(groups) - 1 - index]
            words += [scale] if scale else []
    return words


def _vi_hundreds(value: int, *, full: bool) -> list[str]:
    """Below a thousand; `full` inside a larger number ("một nghìn không trăm linh năm")."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words = [_VI_DIGITS[hundreds], "trăm"] if hundreds or full else []
    if tens == 0:
        if units:
            words += ["linh", _VI_DIGITS[units]] if words else [_VI_DIGITS[units]]
        return words
    words += ["mười"] if tens == 1 else [_VI_DIGITS[tens], "mươi"]
    if units == 5:
        words.append("lăm")
    elif units == 1 and tens > 1:
        words.append("mốt")
    elif units:
        words.append(_VI_DIGITS[units])
    return words


def _en_whole(value: int) -> list[str]:
    if value == 0:
        return [_EN_DIGITS[0]]
    groups = _groups(value)
    words: list[str] = []
    for index, group in enumerate(groups):
        if group:
            words += _en_hundreds(group)
            scale = _EN_SCALES[len(groups) - 1 - index]
            words += [scale] if scale else []
    return words


def _en_hundreds(value: int) -> list[str]:
    hundreds, rest = divmod(value, 100)
    words = [_EN_DIGITS[hundreds], "hundred"] if hundreds else []
    if rest >= 20:
        tens, units = divmod(rest, 10)
        words.append(_EN_TENS[tens] + (f"-{_EN_DIGITS[units]}" if units else ""))
    elif rest >= 10:
        words.append(_EN_TEENS[rest - 10])
    elif rest:
        words.append(_EN_DIGITS[rest])
    return words


@dataclass(frozen=True)
class Words:
    """`in_words`: a number spelled in the contract's form, said in words."""

    spelled: str
    kind: Literal["words"] = "words"

    def render(self, lang: Lang) -> str:
        return in_words(self.spelled, lang)


def reporters_named(catalogue: Catalogue, ids: list[str]) -> Few:
    """Registry entries for a sentence: a group by its name, its id and how many it has
    ("Các địa phương (nhóm cac-dia-phuong, 102 đơn vị)"), never its hundred ids."""
    from plan57.messages import Message

    items: list[Any] = []
    for entry_id in ids:
        entry = catalogue.entry(entry_id)
        if entry is not None and entry.kind == "group":
            params = {
                "name": Name(entry.name_vi, entry.name_en),
                "id": entry.id,
                "count": len(catalogue.expand([entry.id])),
            }
            items.append(Message("label.group-count", params))
        else:
            items.append(entry_id)
    return Few(tuple(items))
