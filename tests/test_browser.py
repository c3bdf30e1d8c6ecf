"""The HTML report in a real browser: headless Chromium through the DevTools protocol.

Checks that the page loads without console errors, that every chart is drawn, that the layout
holds at phone and desktop widths (no sideways scrolling; stacked rows and one column of
cards on a phone), that sorting by status works and that the print stylesheet applies.
Skipped, saying how to get it, where Chromium is not installed (`.ci/run` installs it).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from chromium import Browser, find_chromium
from plan57.output.report import build_report

pytestmark = pytest.mark.browser

PROJECT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "report-repo"
PHONE, DESKTOP = 390, 1280
GENERATED = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    binary = find_chromium()
    if binary is None:
        pytest.skip("Chromium is not installed; install with: apt-get install chromium")
    with Browser(binary) as opened:
        yield opened


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled data's 2025Q4 report (Vietnamese) and the hostile fixture's (English)."""
    folder = tmp_path_factory.mktemp("pages")
    bundled = folder / "bundled.html"
    bundled.write_text(
        build_report(
            PROJECT,
            period="2025Q4",
            as_of=date(2026, 1, 20),
            lang="vi",
            output="html",
            generated=GENERATED,
        ),
        encoding="utf-8",
    )
    fixture_root = folder / "fixture"
    shutil.copytree(FIXTURE, fixture_root)
    hostile = folder / "fixture.html"
    hostile.write_text(
        build_report(
            fixture_root,
            period="2025Q3",
            as_of=date(2025, 10, 20),
            lang="en",
            output="html",
            by="monitor",
            generated=GENERATED,
        ),
        encoding="utf-8",
    )
    return {"bundled": bundled, "fixture": hostile}


CHARTS = """Array.from(document.querySelectorAll('svg.chart')).map(function (svg) {
  var box = svg.getBoundingClientRect(), inner = svg.getBBox();
  return {id: svg.getAttribute('data-chart'), width: box.width, height: box.height,
          inner: inner.width * inner.height,
          shapes: svg.querySelectorAll('line, polyline, circle, path, rect').length,
          dots: svg.querySelectorAll('circle.dot').length,
          empty: svg.querySelectorAll('text.empty').length};
})"""

LAYOUT = """(function () {
  var cards = Array.from(document.querySelectorAll('.card'));
  var row = document.querySelector('table.scores tbody tr');
  return {scroll: document.documentElement.scrollWidth, width: window.innerWidth,
          columns: new Set(cards.map(function (c) { return Math.round(c.getBoundingClientRect().left); })).size,
          row: getComputedStyle(row).display,
          overflowing: Array.from(document.querySelectorAll('main *')).filter(function (e) {
            var head = e.closest('thead');  // on a phone the header row is kept for screen readers only
            if (head && getComputedStyle(head).position === 'absolute') { return false; }
            var r = e.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 1;
          }).map(function (e) { return e.tagName + ' ' + (e.textContent || '').slice(0, 40); })};
})()"""


def _open(browser: Browser, page: Path, width: int) -> None:
    browser.events.clear()
    browser.open(page.as_uri(), width, 900)


@pytest.mark.parametrize("name", ["bundled", "fixture"])
def test_loads_without_console_errors_and_draws_every_chart(
    browser: Browser, pages: dict[str, Path], name: str
) -> None:
    _open(browser, pages[name], DESKTOP)
    assert browser.evaluate("document.readyState") == "complete"
    charts: list[dict[str, Any]] = browser.evaluate(CHARTS)
    expected = 55 if name == "bundled" else 8
    assert len(charts) == expected
    for chart in charts:
        assert chart["width"] > 200 and chart["height"] > 80, chart
        assert chart["inner"] > 0 and chart["shapes"] > 0, chart
        assert chart["dots"] > 0 or chart["empty"] == 1, chart
    assert browser.evaluate("document.querySelectorAll('script').length") == 1
    assert browser.console_errors() == []


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_layout_holds_at_phone_and_desktop_widths(
    browser: Browser, pages: dict[str, Path], width: int
) -> None:
    _open(browser, pages["bundled"], width)
    layout = browser.evaluate(LAYOUT)
    assert layout["scroll"] <= layout["width"], layout
    assert layout["overflowing"] == [], layout
    if width == PHONE:
        assert layout["columns"] == 1 and layout["row"] == "block"
    else:
        assert layout["columns"] >= 3 and layout["row"] == "table-row"
    assert browser.console_errors() == []


def test_sorting_by_status_and_back(browser: Browser, pages: dict[str, Path]) -> None:
    _open(browser, pages["bundled"], DESKTOP)
    ranks = "Array.from(document.querySelectorAll('table.scores tbody')).map(function (b) { return Array.from(b.rows).map(function (r) { return Number(r.dataset.rank); }); })"
    ids = "Array.from(document.querySelectorAll('table.scores tbody tr td.id')).map(function (t) { return t.textContent; })"
    before = browser.evaluate(ids)
    assert browser.evaluate("document.getElementById('sort').hidden") is False
    browser.evaluate("document.getElementById('sort').click()")
    for table in browser.evaluate(ranks):
        assert table == sorted(table)
    assert (
        browser.evaluate("document.getElementById('sort').getAttribute('aria-pressed')") == "true"
    )
    browser.evaluate("document.querySelector('th.status-col').click()")
    assert browser.evaluate(ids) == before
    assert browser.console_errors() == []


def test_print_stylesheet(browser: Browser, pages: dict[str, Path]) -> None:
    _open(browser, pages["bundled"], DESKTOP)
    browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session=True)
    try:
        shown = "getComputedStyle(document.getElementById('sort')).display"
        assert browser.evaluate(shown) == "none"
        assert (
            browser.evaluate("getComputedStyle(document.querySelector('.card')).breakInside")
            == "avoid"
        )
    finally:
        browser.call("Emulation.setEmulatedMedia", {"media": ""}, session=True)
