"""The submission contract's grammar: how a file's bytes become text and a cell's text a value.

One module owns it so that the commands agree. `check` accepts exactly the numbers `NUMBER`
reads and names a legacy encoding with `legacy_encoding`; `fix` reads files with `decode` and
converts only what `convert_number` finds certain, so that whatever it writes `check` accepts;
`status` reads files with the same sniffer; Excel's import (`read_cell`) reads one cell the way
`check` reads it after `fix`. The bounds of every number (submissions and catalogue) are here.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

# --- bounds ------------------------------------------------------------------------------------

# Every number plan57 reads (a value, a numerator, a baseline, a target) is finite and at most
# this large in magnitude: a trillion is far above any count the plan sets (its largest are
# thousands of enterprises), and far below where a float loses whole units or a chart's
# scale overflows.
MAX_VALUE = 1e12
# Years the plan (2025-2045) and its baseline (2024) can name, in periods and the catalogue.
FIRST_YEAR = 2000
LAST_YEAR = 2099
# Settings of the catalogue.
MAX_DEADLINE_DAYS = 366
MAX_STALE_MONTHS = 240
# Decimals a figure is compared and shown to: a float holds about 15 significant digits, so
# a cell of a million decimals says no more than this, and a message stays a line.
MAX_DECIMALS = 15

# --- encodings and delimiters ------------------------------------------------------------------

Encoding = Literal["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "windows-1258", "windows-1252"]
ENCODING_NAMES: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "windows-1258": "windows-1258",
    "windows-1252": "windows-1252",
}
# The delimiter of the contract, then those Excel writes where the list separator differs.
DELIMITERS: tuple[str, ...] = (",", ";", "\t")

# windows-1258 and windows-1252 differ only in a few bytes: five combining tone marks and the
# letters ă đ ơ ư (and ₫) in 1258 are Latin-1 letters in 1252.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VIET_LETTERS = frozenset("ăĂđĐơƠưƯ₫")
_VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")


class Refused(Exception):
    """Text that cannot be read safely; carries the reason as a finding code."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def looks_utf16(raw: bytes) -> bool:
    """UTF-16, with a byte-order mark or without: ASCII text with a NUL beside nearly every byte."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = raw[:200]
    return len(sample) >= 4 and (
        sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4
    )


def detect_encoding(raw: bytes) -> Encoding:
    """The encoding `raw` was most likely saved in; `Refused` when it cannot be told safely."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if raw.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    if b"\x00" in raw:
        raise Refused("nul-byte")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return legacy_encoding(raw)
    return "utf-8"


# A well-formed UTF-8 sequence of two to four bytes.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def mixed_encodings(raw: bytes) -> bool:
    """Whether `raw` spells a letter in UTF-8 (Vietnamese "ở" is E1 BB 9F): legacy text makes
    such a sequence only by chance, and then rarely a letter."""
    for match in _UTF8_SEQUENCE.finditer(raw):
        try:
            char = match.group().decode("utf-8")
        except UnicodeDecodeError:  # a surrogate or an overlong form
            continue
        if unicodedata.category(char).startswith("L"):
            return True
    return False


def legacy_encoding(raw: bytes) -> Encoding:
    """windows-1258 (Vietnamese Excel) or windows-1252 (Western Excel), judged by the text.

    Text that reads the same in both has nothing Vietnamese in it: windows-1252. A tone mark
    after a vowel, or ă đ ơ ư, is Vietnamese: windows-1258. Signs of both: `Refused`.
    """
    if mixed_encodings(raw):
        # Letters written in UTF-8 beside bytes that are not: one file in two encodings (a
        # cell pasted from an old file). Read as one legacy encoding, the UTF-8 letters would
        # become "Sá»Ÿ"; no single reading is right, so none is guessed.
        raise Refused("fix-unknown-encoding")
    vietnamese = _try_decode(raw, "cp1258")
    western = _try_decode(raw, "cp1252")
    if vietnamese is None:
        if western is None:
            raise Refused("fix-unknown-encoding")
        return "windows-1252"
    if western is None:
        return "windows-1258"
    plausible = implausible = 0
    for index, (ours, theirs) in enumerate(zip(vietnamese, western, strict=True)):
        if ours == theirs:
            continue
        if ours in _TONE_MARKS:
            # Vietnamese Excel writes a tone mark as a combining character right after its vowel.
            if index and vietnamese[index - 1] in _VOWELS:
                plausible += 1
            else:
                implausible += 1
        elif ours in _VIET_LETTERS:
            plausible += 1
    if plausible == 0:
        return "windows-1252"
    if implausible == 0:
        return "windows-1258"
    raise Refused("fix-unknown-encoding")


def _try_decode(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(raw: bytes) -> tuple[str, Encoding]:
    """The text of `raw` without any byte-order mark, and the encoding it was read in."""
    encoding = detect_encoding(raw)
    if encoding in ("utf-16-le", "utf-16-be"):
        decoded = _try_decode(raw[2:], encoding)
        if decoded is None:
            raise Refused("fix-unknown-encoding")
        if "\x00" in decoded:
            raise Refused("nul-byte")
        return decoded, encoding
    codec = {"windows-1258": "cp1258", "windows-1252": "cp1252"}.get(encoding, encoding)
    decoded = _try_decode(raw, codec)
    if decoded is None:  # a UTF-8 byte-order mark, then bytes that are not UTF-8
        raise Refused("fix-unknown-encoding")
    return decoded, encoding


# --- numbers and answers -----------------------------------------------------------------------

# What `check` accepts: ASCII digits only (`\d` also matches full-width and other scripts'
# digits, "１２", "٣"), a decimal point, no thousands separators, no exponent.
NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
# Thousands separators or a decimal comma: "1,500", "1.500,5", "6,5". `check` never guesses.
AMBIGUOUS = re.compile(r"[+-]?[0-9]{1,3}(?:[.,][0-9]{3})+(?:[.,][0-9]+)?|[+-]?[0-9]+,[0-9]+")
YES = frozenset({"yes", "có", "co"})
NO = frozenset({"no", "không", "khong"})
# How a ratio's value relates to its numerator and denominator, by unit.
RATIO_SCALE: dict[str, float] = {
    "percent": 100.0,
    "percent_grdp": 100.0,
    "index": 1.0,
    "per_10k": 10_000.0,
}
PERCENT_UNITS = frozenset({"percent", "percent_grdp"})
# A share or an index is a part of its whole: its value lies between 0 and its RATIO_SCALE, and
# its numerator never exceeds its denominator.
BOUNDED_UNITS = frozenset({*PERCENT_UNITS, "index"})

# A percentage's value from 0 to 1 reads as a fraction typed for a percentage (0.255 for 25.5%)
# when, beside a reference figure (the reporter's previous one, the baseline, the target), the
# value is far too small (the reference more than FRACTION_FACTOR times larger) and a hundred
# times it is plausible (within FRACTION_SPAN times the reference, either way): 0.255 beside
# 20.9 is 25.5; 0.72 beside a target of 8% GRDP is no 72% either, and is left alone.
FRACTION_FACTOR = 10.0
FRACTION_SPAN = 5.0


def fraction_band(reference: float | None) -> tuple[float, float] | None:
    """The values that read as a fraction beside `reference`, from the first to the second;
    None when none does. The workbook's input rule refuses the same band."""
    if reference is None or not reference > 0:
        return None
    low = reference / (100 * FRACTION_SPAN)
    high = min(reference * FRACTION_SPAN / 100, reference / FRACTION_FACTOR, 1.0)
    return (low, high) if low <= high else None


def likely_fraction(value: float, unit: str | None, reference: float | None) -> bool:
    """Whether a percentage's `value` is most likely a fraction (0.255 typed for 25.5%)."""
    band = fraction_band(reference)
    return unit in PERCENT_UNITS and band is not None and value > 0 and band[0] <= value <= band[1]


def bounds(unit: str) -> tuple[float, float]:
    """The values `check` lets a figure of `unit` take: never below zero, a share or an index
    no more than its scale, anything else up to MAX_VALUE."""
    return 0.0, RATIO_SCALE[unit] if unit in BOUNDED_UNITS else MAX_VALUE


def exact(value: float) -> Fraction:
    """A figure as written: the shortest decimal that reads back as `value`, exactly.

    A cell's text becomes a float once (`read_cell`); for any text of up to 15 significant
    digits, the shortest decimal that reads back as that float is the text itself, so
    comparisons made on `exact` are made on the values as written (0.95 is 0.95, not
    0.9499999999999999556), and arithmetic on them (sums, ratios, paths) is exact.
    """
    return Fraction(Decimal(repr(float(value))))


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """The sum of `exact` figures, in whole numbers over their common power of ten (as fast as
    adding integers; the same as adding the fractions)."""
    items = list(values)
    if not items:
        return Fraction(0)
    scale = max(v.denominator for v in items)
    if any(scale % v.denominator for v in items):
        return sum(items, Fraction(0))
    return Fraction(sum(v.numerator * (scale // v.denominator) for v in items), scale)


_INTEGER = re.compile(r"[-+]?\d+")
_COMMA_DECIMAL = re.compile(r"([-+]?)(\d+),(\d+)")
_POINT_DECIMAL = re.compile(r"([-+]?)(\d+)\.(\d+)")
_DOT_GROUPED = re.compile(r"([-+]?)(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?")
_COMMA_GROUPED = re.compile(r"([-+]?)(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?")
# Full-width digits and signs (a Vietnamese or CJK input method), as their ASCII selves.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，＋－％", "0123456789.,+-%")
# Spaces Excel and the web leave around a figure: no-break, narrow no-break, thin.
_SPACES = "\u00a0\u202f\u2009 \t"

Change = Literal["decimal-comma", "thousands", "full-width", "percent-sign"]
# How a file writes its decimals, judged by its cells that can be read one way only: "87,5"
# and "1.234.567" write a decimal comma, "87.5" and "1,234,567" a decimal point; "mixed" both.
Convention = Literal["comma", "point", "mixed"]


@dataclass(frozen=True)
class Number:
    """How one numeric cell reads: its canonical spelling, or the two readings it allows.

    `readings` are (the thousands reading, the decimal reading) in the contract's spelling:
    ("1500", "1.5") for "1,500". `ambiguous` when both remain possible and nothing settles
    them; `three_decimals` when "1.234" is 1.234 as written unless the file writes decimal
    commas.
    """

    canonical: str
    changes: tuple[Change, ...] = ()
    ambiguous: bool = False
    three_decimals: bool = False
    comma_style: bool = False
    point_style: bool = False
    readings: tuple[str, str] = ("", "")
    # Why the unit settled a reading (one of them impossible for it), for the messages.
    settled_by_unit: bool = False


def convert_number(
    cell: str, unit: str | None = None, convention: Convention | None = None
) -> Number:
    """The canonical spelling of a numeric cell where it is certain, else the cell as it is.

    Certain: full-width digits, spaces around the figure, a percent sign on a percentage
    indicator (`unit`), a decimal comma that cannot be a thousands separator ("1,25"), and
    grouping that cannot be a decimal ("1.234.567"). "1,500" or "1.400" is read one way when
    only one reading is possible: for the indicator's `unit` (a count is whole, a share at most
    100: `possible`), or by the file's own `convention` (a file that writes "87,5" groups
    thousands with points). Otherwise it is `ambiguous`, with both readings; never guessed.
    """
    changes: list[Change] = []
    text = cell.strip(_SPACES)
    if text.translate(_FULL_WIDTH) != text:
        text = text.translate(_FULL_WIDTH)
        changes.append("full-width")
    if text.endswith("%") and unit in PERCENT_UNITS:
        text = text[:-1].rstrip(_SPACES)
        changes.append("percent-sign")
    if not text.isascii():
        return Number(cell)
    number = _settle(_classify(text), unit, convention)
    if number.ambiguous:
        return Number(cell, ambiguous=True, readings=number.readings)
    if not NUMBER.fullmatch(number.canonical):
        return Number(cell)  # not a number even so: left for `check` to report, untouched
    return replace(number, changes=(*changes, *number.changes))


def possible(reading: str, unit: str | None) -> bool:
    """Whether a value spelled `reading` can be a value of an indicator with `unit`.

    A count is a whole number; a share or an index lies between 0 and its scale; nothing is
    negative. Without a unit (a numerator, a denominator) any number not negative is.
    """
    value = float(reading)
    if value < 0:
        return False
    if unit == "count":
        return value.is_integer()
    if unit in BOUNDED_UNITS:
        return value <= RATIO_SCALE[unit]
    return True


def _settle(number: Number, unit: str | None, convention: Convention | None) -> Number:
    """`number`'s reading where the unit or the file's convention leaves only one."""
    if not (number.ambiguous or number.three_decimals):
        return number
    thousands, decimal = number.readings
    fits = [reading for reading in (thousands, decimal) if possible(reading, unit)]
    by_unit = len(fits) == 1
    comma = "," in number.canonical
    if by_unit:
        chosen = fits[0]
    elif convention == "comma":
        chosen = decimal if comma else thousands
    elif convention == "point":
        chosen = thousands if comma else decimal
    else:
        return number
    if chosen == thousands:
        return Number(chosen, ("thousands",), readings=number.readings, settled_by_unit=by_unit)
    if not comma:  # "1.234" read as written: nothing to change
        return Number(number.canonical, readings=number.readings, settled_by_unit=by_unit)
    # The decimals as written ("1,500" is 1.500): a ratio's value is held to those it shows.
    written = number.canonical.replace(",", ".")
    return Number(written, ("decimal-comma",), readings=number.readings, settled_by_unit=by_unit)


def _classify(cell: str) -> Number:
    if _INTEGER.fullmatch(cell):
        return Number(cell)
    if match := _COMMA_DECIMAL.fullmatch(cell):
        sign, whole, fraction = match.groups()
        if _could_be_thousands(whole, fraction):
            readings = (f"{sign}{whole}{fraction}", _decimal(sign, whole, fraction))
            return Number(cell, ambiguous=True, readings=readings)
        return Number(f"{sign}{whole}.{fraction}", ("decimal-comma",), comma_style=True)
    if match := _POINT_DECIMAL.fullmatch(cell):
        sign, whole, fraction = match.groups()
        if _could_be_thousands(whole, fraction):
            readings = (f"{sign}{whole}{fraction}", _decimal(sign, whole, fraction))
            return Number(cell, three_decimals=True, readings=readings)
        return Number(cell, point_style=True)
    if match := _DOT_GROUPED.fullmatch(cell):
        sign, grouped, fraction = match.groups()
        digits = sign + grouped.replace(".", "")
        canonical = f"{digits}.{fraction}" if fraction else digits
        return Number(canonical, ("thousands",), comma_style=True)
    if match := _COMMA_GROUPED.fullmatch(cell):
        sign, grouped, fraction = match.groups()
        digits = sign + grouped.replace(",", "")
        canonical = f"{digits}.{fraction}" if fraction else digits
        return Number(canonical, ("thousands",), point_style=True)
    return Number(cell)


def _decimal(sign: str, whole: str, fraction: str) -> str:
    """The decimal reading of whole,fraction in the contract's spelling, no trailing zeros."""
    fraction = fraction.rstrip("0")
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


def _could_be_thousands(whole: str, fraction: str) -> bool:
    """Whether `whole` and `fraction` could be one number split by a thousands separator."""
    return len(fraction) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0")


def convention_of(cells: Iterable[str]) -> Convention | None:
    """How a file writes decimals, from its cells that read one way only; None: no sign."""
    comma = point = False
    for cell in cells:
        number = convert_number(cell)
        comma |= number.comma_style
        point |= number.point_style
    if comma and point:
        return "mixed"
    return "comma" if comma else "point" if point else None


def canonical_indicator(cell: str) -> str:
    """An indicator id as the catalogue writes it: "ct05" → "CT05" (other text unchanged)."""
    text = cell.strip(_SPACES)
    return text.upper() if re.fullmatch(r"[cC][tT][0-9]{2}", text) else cell


# --- one cell, as the Excel import reads it ----------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One cell read for an indicator: the text `check` accepts and its value, or a problem.

    `problem` is a finding code of `check` (`not-a-number`, `ambiguous-number`,
    `value-too-large`, `not-yes-no`); then `text` is the cell as given and `value` None. An
    empty cell reads as `text` "" and `value` None with no problem (whether a value is owed
    is `check`'s business).
    """

    text: str
    value: float | bool | None
    problem: str | None = None


def read_cell(cell: str, unit: str) -> Reading:
    """Read one cell's text as a value of an indicator with `unit` (`Indicator.unit`).

    The same grammar as `check` after `fix`: the conversions `fix` finds certain are made (a
    decimal comma, full-width digits, "85%" for a percentage), nothing is guessed.
    """
    stripped = unicodedata.normalize("NFC", cell).strip(_SPACES)
    if not stripped:
        return Reading("", None)
    if unit == "yes_no":
        word = stripped.lower()
        if word in YES or word in NO:
            return Reading(stripped, word in YES)
        return Reading(cell, None, "not-yes-no")
    number = convert_number(stripped, unit)
    if number.ambiguous:
        return Reading(cell, None, "ambiguous-number")
    if not NUMBER.fullmatch(number.canonical):
        return Reading(cell, None, "not-a-number")
    value = float(number.canonical)
    if not abs(value) <= MAX_VALUE:
        return Reading(cell, None, "value-too-large")
    return Reading(number.canonical, value)
