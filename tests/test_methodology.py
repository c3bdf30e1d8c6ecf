"""docs/methodology.md cannot drift: every worked example of its principles is computed here and
must appear on the page word for word, and the bundled data's counts are those plan57 gives."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from plan57.scoring.verdicts import IndicatorScore
from test_scoring_principles import AFTER, CLOSED, settings_changed
from test_scoring_rules import changed, obs, one

PAGE = (Path(__file__).parent.parent / "docs" / "methodology.md").read_text("utf-8")
# The page as words, its lines joined: a sentence may wrap anywhere.
FLAT = " ".join(PAGE.split())


def on_page(text: str) -> bool:
    return " ".join(text.split()) in FLAT


def examples() -> dict[str, IndicatorScore]:
    """The page's worked examples, on the frozen test catalogue (tests/data/scoring/)."""
    hundred = changed("CT01", targets={2025: "100%"})
    half = settings_changed(coverage_threshold=0.5)
    two = changed("CT03", targets={2025: "≥ 2,0%"})
    return {
        "ratio-missed": one(
            "CT01",
            obs(("xa-a", "2025Q4", "CT01", 50.0, 50, 100)),
            "2025Q4",
            AFTER,
            catalogue=hundred,
        ),
        "ratio-undecided": one(
            "CT01", obs(("xa-a", "2025Q4", "CT01", 70.0, 70, 100)), "2025Q4", AFTER
        ),
        "sum-met": one(
            "CT02",
            obs(*[("so-a", f"2025Q{q}", "CT02", 5.0) for q in (1, 2, 3, 4)]),
            "2025Q4",
            AFTER,
        ),
        "closed-no-data": one(
            "CT01", obs(("xa-a", "2025Q4", "CT01", 70.0, 70, 100)), "2025Q4", CLOSED
        ),
        "closed-decided": one(
            "CT01",
            obs(("xa-a", "2025Q4", "CT01", 50.0, 50, 100)),
            "2025Q4",
            CLOSED,
            catalogue=half,
        ),
        "exact-tolerance": one(
            "CT03",
            obs(("so-a", "2024", "CT03", 0.0), ("so-a", "2025S1", "CT03", 0.95)),
            "2025S1",
            catalogue=two,
        ),
        "earlier-year": one(
            "CT01",
            obs(
                ("xa-a", "2024Q4", "CT01", 65.0, 65, 100), ("xa-b", "2025Q4", "CT01", 55.0, 55, 100)
            ),
            "2025Q4",
            AFTER,
            catalogue=changed("CT01", combine="max"),
        ),
        "after-last": one(
            "CT03", obs(("so-a", "2030", "CT03", 1.6), ("so-a", "2031S1", "CT03", 1.2)), "2031Q2"
        ),
        "yes-no-early": one(
            "CT04",
            obs(("so-a", "2025", "CT04", False)),
            "2025Q4",
            catalogue=changed("CT04", targets={2035: "Có"}),
        ),
        "just-under": one(
            "CT01",
            obs(
                ("xa-a", "2025Q4", "CT01", 99.92, 9992, 10000),
                ("xa-b", "2025Q4", "CT01", 100.0, 10000, 10000),
            ),
            "2025Q4",
            catalogue=hundred,
        ),
    }


@pytest.mark.parametrize("name", sorted(examples()))
def test_every_worked_example_is_on_the_page_as_plan57_words_it(name: str) -> None:
    item = examples()[name]
    for lang in ("en", "vi"):
        assert f"**{item.status}**: “{item.reason(lang)}”" in PAGE, (name, lang, item.reason(lang))


def test_the_bundled_data_counts_are_those_plan57_gives(tmp_path: Path) -> None:
    from plan57 import api

    # A plain copy, so that the files on disk are the evidence on both days: the repository's
    # own history holds the sample data only since it was committed.
    root = tmp_path / "repo"
    shutil.copytree(Path(__file__).parent.parent / "data", root / "data")
    for as_of in (date(2026, 1, 5), date(2026, 1, 20)):
        report = api.score(period="2025Q4", as_of=as_of, root=root)
        counts = " | ".join(
            str(report.summary[s]) for s in ("on-track", "at-risk", "missed", "no-data")
        )
        assert f"| {as_of.isoformat()} " in PAGE
        line = next(row for row in PAGE.splitlines() if row.startswith(f"| {as_of.isoformat()} "))
        assert f"| {counts} |" in line, (line, counts)


def test_the_live_catalogues_examples_are_as_plan57_computes_them() -> None:
    """Sections 3 and 4 of the page, on data/targets.yaml (as tests/test_scoring.py is)."""
    from plan57 import formatting as fmt
    from test_scoring import frame
    from test_scoring import one as live

    behind = live(
        "CT05", frame(("so-tc", "2024", "CT05", 0.6), ("so-tc", "2025S1", "CT05", 0.7)), "2025Q2"
    )
    assert behind.status == "at-risk"
    assert on_page(f'**{behind.status}**: "{behind.reason("vi")[:-1]}"')
    met = live(
        "CT05", frame(("so-tc", "2024", "CT05", 0.6), ("so-tc", "2025", "CT05", 1.2)), "2025Q4"
    )
    assert on_page(f'**{met.status}**, "{met.reason("vi")[:-1]}"')
    short = live(
        "CT05", frame(("so-tc", "2024", "CT05", 0.6), ("so-tc", "2025", "CT05", 0.8)), "2025Q4"
    )
    assert short.status == "missed" and on_page("With 0,8%: **missed**")
    flow = live(
        "CT15", frame(("so-khcn", "2027Q1", "CT15", 4), ("so-khcn", "2027Q2", "CT15", 6)), "2027Q2"
    )
    assert flow.year_target is not None and flow.expected is not None
    assert on_page(f"= **{fmt.number(flow.year_target, 'vi', 1)}**")
    assert on_page(f"half-way through 2027 the path needs {fmt.number(flow.expected, 'vi', 1)}")
