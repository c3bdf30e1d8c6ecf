"""plan57.scoring.standing: a period is judged on the plan as it stood at its end.

Principle 2 of docs/methodology.md ("The plan as it stood"): scenarios on small git
repositories around the frozen scoring catalogue, whose catalogue is revised after the period
(a target raised, the tolerance changed, the path changed), and `--targets-at`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gitrepo import commit, init
from plan57.catalogue.loading import parse_catalogue
from plan57.output.report import build_report, score_repository
from plan57.scoring.standing import as_it_stood, revised_fields
from plan57.scoring.verdicts import IndicatorScore

TEXT = (Path(__file__).parent / "data" / "scoring" / "targets.yaml").read_text("utf-8")
CT03 = '''    combine: single
    targets:
      2025: "≥ 1,0%"'''
# Sở A's CT03 for 2025 and 2026: 1,2 % meets "≥ 1,0%" in 2025; in 2026 the straight path from
# 1,0 % (the 2025 milestone) to 1,5 % in 2030 expects 1,1 %, so 1,09 % is 90 % of the way.
FIGURES = {
    "data/submissions/so-a/2025.csv": "indicator,value\nCT03,1.2\n",
    "data/submissions/so-a/2026.csv": "indicator,value\nCT03,1.09\n",
}
AS_OF = date(2027, 4, 1)
REVISED_ON = "2027-03-01T09:00:00+07:00"


def _repo(root: Path, revised: str) -> Path:
    assert revised != TEXT
    init(root)
    commit(root, {"data/targets.yaml": TEXT}, "Danh mục", "2025-06-01T09:00:00+07:00")
    commit(root, FIGURES, "so-a: 2025, 2026", "2027-01-10T09:00:00+07:00")
    commit(root, {"data/targets.yaml": revised}, "Sửa danh mục", REVISED_ON)
    return root


def _ct03(root: Path, period: str, **options: str) -> IndicatorScore:
    report = score_repository(root, period=period, as_of=AS_OF, **options).report  # type: ignore[arg-type]
    return next(i for i in report.indicators if i.id == "CT03")


def test_a_target_raised_after_the_period_does_not_turn_a_met_result_into_a_miss(
    tmp_path: Path,
) -> None:
    raised = TEXT.replace(CT03, CT03.replace("≥ 1,0%", "≥ 1,5%"))
    root = _repo(tmp_path / "repo", raised)
    scored = score_repository(root, period="2025", as_of=AS_OF)
    item = next(i for i in scored.report.indicators if i.id == "CT03")
    assert item.status == "on-track" and item.target is not None and item.target.text == "≥ 1,0%"
    assert scored.report.summary["missed"] == 0  # the headline counts keep the plan as it stood
    assert "target-revised" in item.flags and item.revision is not None
    assert (item.revision.status, item.revision.fields) == ("missed", ["targets"])
    assert item.revision.target is not None and item.revision.target.text == "≥ 1,5%"
    assert item.revision.date == date(2027, 3, 1)
    assert "theo bản sửa ngày 01/03/2027 (≥ 1,5%) thì là «Không đạt»" in item.reason("vi")


@pytest.mark.parametrize(
    ("revised", "field"),
    [
        (TEXT.replace("tolerance: 0.95", "tolerance: 0.85"), "tolerance"),
        (
            TEXT.replace(CT03, CT03.replace("    targets:", "    path: compound\n    targets:")),
            "path",
        ),
    ],
    ids=["tolerance", "path"],
)
def test_a_rule_changed_after_the_period_is_flagged_beside_the_verdict(
    tmp_path: Path, revised: str, field: str
) -> None:
    # 90 % of the straight path is behind at a tolerance of 95 %; at 85 %, or on the compound
    # path (which expects 1,0845 % after a year), it is on track.
    root = _repo(tmp_path / "repo", revised)
    item = _ct03(root, "2026")
    assert item.status == "at-risk" and item.progress == pytest.approx(0.9)
    assert "catalogue-revised" in item.flags and "target-revised" not in item.flags
    assert item.revision is not None
    assert (item.revision.status, item.revision.fields) == ("on-track", [field])
    words = {"tolerance": "tolerance", "path": "path"}[field]
    assert f"the catalogue was revised after this period ({words})" in item.reason("en")
    # An indicator whose verdict the revision does not change carries no flag.
    report = score_repository(root, period="2026", as_of=AS_OF).report
    assert [i.id for i in report.indicators if i.revision is not None] == ["CT03"]


def test_before_the_revision_was_made_nothing_is_flagged(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo", TEXT.replace("tolerance: 0.95", "tolerance: 0.85"))
    report = score_repository(root, period="2026", as_of=date(2027, 2, 1)).report
    assert all(i.revision is None for i in report.indicators)


def test_targets_at_chooses_the_catalogue_judged_and_changes_nothing_else(
    tmp_path: Path,
) -> None:
    # The revision renames Sở A and lowers the tolerance. Judged against the first revision,
    # the verdict is that revision's, but names are today's.
    revised = TEXT.replace("tolerance: 0.95", "tolerance: 0.85").replace(
        'name_vi: "Sở A"', 'name_vi: "Sở A (mới)"'
    )
    root = _repo(tmp_path / "repo", revised)
    old = _ct03(root, "2026", targets_at="2025-06-01")
    assert old.status == "at-risk" and old.revision is None
    new = _ct03(root, "2026", targets_at="HEAD")
    assert new.status == "on-track" and new.revision is None
    markdown = build_report(
        root, period="2026", as_of=AS_OF, lang="vi", output="md", targets_at="2025-06-01"
    )
    assert "Sở A (mới)" in markdown


def test_as_it_stood_takes_every_deciding_field_and_nothing_else() -> None:
    latest = parse_catalogue(
        TEXT.replace("tolerance: 0.95", "tolerance: 0.85")
        .replace(CT03, CT03.replace("    targets:", "    path: compound\n    targets:"))
        .replace('name_en: "Budget share"', 'name_en: "Budget share (revised)"')
        .encode("utf-8"),
        "latest",
    )
    stood = parse_catalogue(TEXT.encode("utf-8"), "stood")
    judged = as_it_stood(latest, stood)
    ct03 = judged.indicator("CT03")
    assert ct03 is not None and ct03.path == "linear" and judged.scoring.tolerance == 0.95
    assert ct03.name_en == "Budget share (revised)"
    assert revised_fields(stood, latest)["CT03"] == ["path", "tolerance"]
    assert revised_fields(stood, stood) == {}


def test_the_export_judges_each_quarter_on_the_plan_as_it_stood_at_its_end(
    tmp_path: Path,
) -> None:
    import csv

    from plan57.output.opendata import export_repository

    raised = TEXT.replace(CT03, CT03.replace("≥ 1,0%", "≥ 1,5%"))
    root = _repo(tmp_path / "repo", raised)
    export_repository(root, tmp_path / "out", as_of=AS_OF, period="2027Q1", formats=["csv"])
    with (tmp_path / "out" / "scores.csv").open(encoding="utf-8") as rows:
        scores = {(r["period"], r["indicator"]): r for r in csv.DictReader(rows)}
    # 2025Q4 ended before the revision: its own plan judges it, the revision beside it.
    q4 = scores[("2025Q4", "CT03")]
    assert (q4["target"], q4["status"]) == ("≥ 1,0%", "on-track")
    assert "target-revised" in q4["flags"].split()
    # 2027Q1 ended after it: the revised catalogue is the plan as it stood.
    q1 = scores[("2027Q1", "CT03")]
    assert q1["target"] == "≥ 1,5%" and "target-revised" not in q1["flags"].split()


def test_status_and_score_agree_on_who_owed_when_the_reporters_were_revised(
    tmp_path: Path,
) -> None:
    from plan57 import api

    # After the period, Sở B is added to CT03's reporters: for 2025 it owed nothing.
    revised = TEXT.replace(
        '    reporters: [so-a]\n    combine: single\n    targets:\n      2025: "≥ 1,0%"',
        "    reporters: [so-a, so-b]\n    combine: single\n    authority: so-a\n"
        '    targets:\n      2025: "≥ 1,0%"',
    )
    root = _repo(tmp_path / "repo", revised)
    status = api.status(root, period="2025", as_of=AS_OF)
    owed = {(r.id, i) for r in status.reporters for i in r.expected}
    assert ("so-a", "CT03") in owed and ("so-b", "CT03") not in owed
    score = api.score(root, period="2025", as_of=AS_OF)
    missing = {(m.reporter, i) for m in score.missing for i in m.indicators}
    assert missing == {(r.id, i) for r in status.reporters for i in r.missing}
