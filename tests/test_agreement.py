"""`score`, `report`, `site`, `export` and `status` agree on every fact they share, on any day.

Over the sample history (scripts/sample_history.py) at a dozen `--as-of` dates: what was
submitted by whom, which figures are used, and each indicator's status are the same in all
five outputs, read back from what each writes (docs/methodology.md, "What was known that day").
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import PROJECT
from plan57 import api
from plan57.catalogue.loading import load_catalogue
from plan57.output.opendata import export_repository
from plan57.output.site import build_site
from plan57.submissions.obligations import default_period

pytestmark = pytest.mark.slow

DAYS = [
    date(2025, 4, 20),
    date(2025, 7, 10),
    date(2025, 7, 20),
    date(2025, 10, 20),
    date(2025, 11, 5),
    date(2026, 1, 10),
    date(2026, 1, 15),
    date(2026, 1, 16),
    date(2026, 1, 20),
    date(2026, 2, 14),
    date(2026, 2, 20),
    date(2026, 6, 30),
]
LABELS = {"On track": "on-track", "At risk": "at-risk", "Missed": "missed", "No data": "no-data"}
_ROW = re.compile(r'<tr data-status="([a-z-]+)"[^>]*data-key="(ct\d\d) ')
_SUBMITTED = re.compile(
    r'<section aria-labelledby="submitted-h">.*?</section>', re.DOTALL
)  # fmt: skip
_LINK = re.compile(r'href="\.\./indicators/(CT\d\d)\.html"')


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("agreement") / "sample-history"
    script = PROJECT / "scripts" / "sample_history.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    return out


def _report_statuses(markdown: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if not cells or not re.fullmatch(r"CT\d\d", cells[0]) or cells[0] in found:
            continue
        for cell in cells[1:]:
            label = next((LABELS[k] for k in LABELS if cell.split(" (")[0].endswith(k)), None)
            if label is not None:
                found[cells[0]] = label
                break
    return found


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as rows:
        return list(csv.DictReader(rows))


def _answered(rows: list[dict[str, str]], end: date) -> set[tuple[str, str]]:
    return {
        (r["reporter"], r["indicator"])
        for r in rows
        if r["end"] == end.isoformat() and (r["value"] or r["answer"])
    }


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_the_five_outputs_agree_on_every_shared_fact(
    sample: Path, tmp_path: Path, day: date
) -> None:
    catalogue = load_catalogue(sample / "data" / "targets.yaml")
    period = default_period(catalogue, day)
    name = str(period)
    score = api.score(sample, period=name, as_of=day)
    status = api.status(sample, period=name, as_of=day)
    markdown = api.report(sample, period=name, as_of=day, lang="en")
    site = tmp_path / "site"
    build_site(sample, site, as_of=day, period=name)
    export = tmp_path / "export"
    export_repository(sample, export, as_of=day, period=name, formats=["csv"])

    # Each indicator's status.
    statuses = {item.id: item.status for item in score.indicators}
    assert _report_statuses(markdown) == statuses
    home = (site / "en" / "index.html").read_text("utf-8")
    assert {i.upper(): s for s, i in _ROW.findall(home)} == statuses
    for table in (site / "data" / "scores.csv", export / "scores.csv"):
        rows = [r for r in _csv(table) if r["period"] == name]
        assert {r["indicator"]: r["status"] for r in rows} == statuses, table

    # What was submitted by whom: status, the score's missing list, the rows published.
    submitted = {(r.id, i) for r in status.reporters for i in r.submitted}
    missing = {(r.id, i) for r in status.reporters for i in r.missing}
    assert missing == {(m.reporter, i) for m in score.missing for i in m.indicators}
    for table in (site / "data" / "observations.csv", export / "observations.csv"):
        owed = submitted | missing
        assert _answered(_csv(table), period.end) & owed == submitted, table
    for reporter in status.reporters:
        page = (site / "reporters" / f"{reporter.id}.html").read_text("utf-8")
        assert f'data-count="submitted">{len(reporter.submitted)}<' in page
        listed = _SUBMITTED.search(page)
        assert set(_LINK.findall(listed.group(0) if listed else "")) == set(reporter.submitted)

    # Which figures are used: each comes from a row that was known, and the tables count them.
    known = {
        (r["reporter"], r["indicator"], r["period"]) for r in _csv(export / "observations.csv")
    }
    rows = {r["indicator"]: r for r in _csv(export / "scores.csv") if r["period"] == name}
    for item in score.indicators:
        used = [f for f in item.reporters if f.used]
        assert int(rows[item.id]["reporters"]) == len(used), item.id
        for figure in used:
            for each in figure.periods:
                assert (figure.id, item.id, each) in known, (item.id, figure.id, each)
