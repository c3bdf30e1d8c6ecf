"""plan57.catalogue.cache: the cache must always mean what the full parse means."""

from __future__ import annotations

import itertools
import json
import random
import re
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CATALOGUE, REAL_CATALOGUE, TEST_DATA, examples
from plan57.catalogue import cache as catalogue_cache
from plan57.catalogue.cache import CatalogueCache
from plan57.catalogue.loading import parse_catalogue
from plan57.catalogue.models import Catalogue
from plan57.errors import CatalogueError

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
    cut = catalogue_cache._cut

    def counted_cut(text: bytes) -> Any:
        whole.append(text)
        return cut(text)

    parsed: list[str] = []
    load = catalogue_cache._load_piece

    def counted_load(text: str) -> Any:
        parsed.append(text)
        return load(text)

    monkeypatch.setattr(catalogue_cache, "_cut", counted_cut)
    monkeypatch.setattr(catalogue_cache, "_load_piece", counted_load)
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
    cut = catalogue_cache._cut

    def counted_cut(text: bytes) -> Any:
        whole.append(text)
        return cut(text)

    monkeypatch.setattr(catalogue_cache, "_cut", counted_cut)
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
    last = catalogue_cache._cut(before.encode())
    assert last is not None
    harmless = before.replace("\u2027", "\u2026").encode()
    assert catalogue_cache._recut(last, harmless) is not None
    assert catalogue_cache._recut(last, before.replace("\u2027", "\u2028").encode()) is None
    assert catalogue_cache._cut(before.replace("\u2027", "\u2028").encode()) is None
