"""The one way plan57 guesses what a mistyped id, period or folder meant ("Có phải CT09 không?").

Every command that names something unknown asks here: indicator ids (`check`, `catalogue`,
`history`), reporter ids and folders (`check`, `template`, `import`), periods (file names and
`--period`), finding codes (`explain`). A guess is tried in this order:

1. the same id up to case, spaces and the typos of a keyboard: the letter O for a zero, l or I
   for a one ("CTO9" is CT09), and a missing leading zero ("CT5", "5" are CT05);
2. a name the id stands for (`aliases`: the folder "so-tai-chinh" is so-tc, Sở Tài chính);
3. the closest spelling among what the user most likely meant (`first`: what the reporter
   owes), then among everything known.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from plan57.periods import parse_period

# Letters typed for the digits they look like, where a digit belongs.
_TYPOS = str.maketrans({"o": "0", "l": "1", "i": "1"})
_INDICATOR = re.compile(r"(?:ct)?[-_.]?[0o]*([0-9ol]{1,2})")
_CUTOFF = 0.6
# What the user owes wins a near tie: CT09 over CT49 for "CT9" from a commune that owes CT09.
_PREFERRED = 0.05


def closest(
    value: str,
    known: Sequence[str],
    *,
    first: Iterable[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> str | None:
    """The known id `value` most likely meant, or None when nothing is close."""
    wanted = _key(value)
    if not wanted:
        return None
    keys = {_key(item): item for item in known}
    if wanted in keys:
        return keys[wanted]
    named = {slug(name): target for name, target in (aliases or {}).items()}
    if (alias := named.get(slug(value))) is not None:
        return alias
    preferred = set(first)
    scored = [
        (_likeness(wanted, key) + (_PREFERRED if item in preferred else 0.0), item)
        for key, item in keys.items()
    ]
    scored += [(_likeness(slug(value), name), item) for name, item in named.items()]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] >= _CUTOFF else None


def _likeness(one: str, other: str) -> float:
    return difflib.SequenceMatcher(None, one, other).ratio()


def _key(value: str) -> str:
    """An id as compared: lower case, no spaces; an indicator's number on two digits with O
    and l read as the digits they look like ("CTO9" → "ct09", "ct5" → "ct05", "5" → "ct05")."""
    text = re.sub(r"\s+", "", value.casefold())
    indicator = _INDICATOR.fullmatch(text)
    if indicator and (text.startswith("ct") or text.isdigit()):
        return f"ct{int(indicator.group(1).translate(_TYPOS)):02d}"
    return text


def slug(name: str) -> str:
    """A name as a folder would spell it: "Sở Tài chính" → "so-tai-chinh"."""
    decomposed = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


# --- periods ---------------------------------------------------------------------------------

_PERIOD_SPELLINGS = (
    # 2025q4, 2025-Q4, 2025_q4, 2025 Q4, 2025-quy4
    (re.compile(r"(\d{4})[-_ .]*(?:q|quy|quý|qui)[-_ .]*([1-4])"), "{0}Q{1}"),
    # Q4-2025, quy4-2025, Quý 4 2025
    (re.compile(r"(?:q|quy|quý|qui)[-_ .]*([1-4])[-_ .]*(\d{4})"), "{1}Q{0}"),
    # 2025s1, 2025-H1, 2025-6t1
    (re.compile(r"(\d{4})[-_ .]*(?:s|h)[-_ .]*([12])"), "{0}S{1}"),
    (re.compile(r"(?:s|h)[-_ .]*([12])[-_ .]*(\d{4})"), "{1}S{0}"),
    # 2025m1, 2025-01, 2025_M01, thang1-2025, 01-2025
    (re.compile(r"(\d{4})[-_ .]*(?:m|thang|tháng)?[-_ .]*(\d{1,2})"), "{0}M{1:0>2}"),
    (re.compile(r"(?:m|thang|tháng)?[-_ .]*(\d{1,2})[-_ .]+(\d{4})"), "{1}M{0:0>2}"),
    (re.compile(r"(?:nam|năm)?[-_ .]*(\d{4})"), "{0}"),
)


def closest_period(text: str) -> str | None:
    """The period a misspelt one most likely names ("2025-Q4", "quy4-2025" → 2025Q4)."""
    wanted = text.strip().casefold()
    for spelling, canonical in _PERIOD_SPELLINGS:
        match = spelling.fullmatch(wanted)
        if match is None:
            continue
        period = parse_period(canonical.format(*match.groups()))
        if period is not None and str(period) != text:
            return str(period)
    return None
