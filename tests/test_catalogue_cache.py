"""plan57.catalogue_cache: piecewise parsing must always mean what the full parse means."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plan57.catalogue import parse_catalogue
from plan57.catalogue_cache import CatalogueCache
from plan57.errors import CatalogueError
from plan57.models import Catalogue

HERE = Path(__file__).parent
SMALL = (HERE / "data" / "revisions" / "targets.yaml").read_text(encoding="utf-8")
REAL = (HERE.parent / "data" / "targets.yaml").read_text(encoding="utf-8")


def _outcome(parse: object) -> Catalogue | tuple[str, dict[str, object]]:
    try:
        result = parse()  # type: ignore[operator]
    except CatalogueError as error:
        return error.code, error.params
    assert isinstance(result, Catalogue)
    return result


def _same(text: str | bytes) -> None:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    full = _outcome(lambda: parse_catalogue(raw, "t.yaml"))
    pieces = _outcome(lambda: CatalogueCache().parse(raw, "t.yaml"))
    assert pieces == full


def test_the_bundled_catalogue() -> None:
    _same(REAL)
    _same(SMALL)


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
    ],
)
def test_variants(variant: object) -> None:
    _same(variant(SMALL))  # type: ignore[operator]


_LINES = SMALL.split("\n")
_EDITS = st.sampled_from(
    ["delete", "duplicate", "comment", "indent", "dedent", "dash", "blank", "colon", "quote"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_LINES) - 1), _EDITS), min_size=1, max_size=3))
def test_random_edits_mean_the_same(edits: list[tuple[int, str]]) -> None:
    lines = list(_LINES)
    for index, edit in edits:
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
        if not lines:
            lines = [""]
    _same("\n".join(lines))


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
