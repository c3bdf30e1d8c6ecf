"""The worked examples of docs/methodology.md's last three sections, computed by plan57.

"What was known that day", "The plan as it stood" and "Timeliness counts valid rows": every
figure the page gives is computed here and looked for in the page, so that it cannot drift.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import PROJECT
from gitrepo import commit, git, init
from plan57 import api
from plan57 import formatting as fmt
from plan57.periods import province_day
from plan57.scoring.verdicts import IndicatorScore

PAGE = (PROJECT / "docs" / "methodology.md").read_text("utf-8")
TARGETS = (PROJECT / "data" / "targets.yaml").read_text("utf-8")
KHCN = ("CT13", "CT20", "CT47")


def _section(title: str) -> str:
    return PAGE.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("method") / "sample-history"
    script = PROJECT / "scripts" / "sample_history.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    return out


def _cell(item: IndicatorScore) -> str:
    if item.status == "no-data":
        found = re.search(r"số liệu gần nhất là (.+) \(kỳ (\d{4})\)", item.reason("vi"))
        assert found is not None, item.reason("vi")
        return f"no data (latest {found.group(1)}, period {found.group(2)})"
    value = fmt.quantity(item.value, item.unit, "vi")
    return f"{item.status}: {value} against {fmt.target(item.target, item.unit, 'vi')}"


def test_what_was_known_that_day(sample: Path) -> None:
    section = _section("What was known that day")
    for day, label in ((date(2026, 1, 20), "20/01/2026"), (date(2026, 2, 20), "20/02/2026")):
        scores = {i.id: i for i in api.score(sample, period="2025Q4", as_of=day).indicators}
        khcn = next(
            r for r in api.status(sample, period="2025Q4", as_of=day).reporters
            if r.id == "so-khcn"
        )  # fmt: skip
        counted = f"{len(khcn.submitted)} of {len(khcn.expected)} submitted"
        if khcn.missing:
            assert set(KHCN) <= set(khcn.missing)
            tally = f"{counted}, {len(khcn.missing)} missing (CT13, CT20, CT47 among them)"
        else:
            assert khcn.late is not None and set(KHCN) <= set(khcn.late)
            sent = {fmt.day(province_day(khcn.submitted_at[i]), "vi") for i in KHCN}
            assert len(sent) == 1
            tally = (
                f"{counted}, {len(khcn.late)} late (CT13, CT20, CT47 among them, sent {sent.pop()})"
            )
        cells = " | ".join(_cell(scores[i]) for i in KHCN)
        assert f"| {label} | {cells} | {tally} |" in section


def test_the_plan_as_it_stood(sample: Path, tmp_path: Path) -> None:
    section = " ".join(_section("The plan as it stood").split())
    root = tmp_path / "repo"
    shutil.copytree(sample, root, symlinks=True)
    before = api.score(root, period="2025Q4", as_of=date(2026, 2, 28))
    raised = TARGETS.replace('    targets:\n      2025: "≥ 1,0%"\n      2030: "≥ 1,5%"\n      2035: "≥ 2%"',
                             '    targets:\n      2025: "≥ 1,2%"\n      2030: "≥ 1,5%"\n      2035: "≥ 2%"', 1)  # fmt: skip
    assert raised != TARGETS
    commit(root, {"data/targets.yaml": raised}, "CT05 2025", "2026-03-01T09:00:00+07:00")
    after = api.score(root, period="2025Q4", as_of=date(2026, 3, 31))
    ct05 = next(i for i in after.indicators if i.id == "CT05")
    assert ct05.status == "on-track" and ct05.revision is not None
    assert f'CT05 stays **on track**: "{ct05.reason("vi")}"' in section
    assert after.summary == before.summary
    counts = after.summary
    assert (
        f"{counts['on-track']} on track, {counts['at-risk']} at risk, {counts['missed']} missed, "
        f"{counts['no-data']} without data"
    ) in section
    unflagged = api.score(root, period="2025Q4", as_of=date(2026, 2, 28))
    assert all(i.revision is None for i in unflagged.indicators)


def _row(root: Path, reporter: str, indicator: str, what: str) -> str:
    status = api.status(root, period="2025Q4", as_of=date(2026, 3, 31))
    found = next(r for r in status.reporters if r.id == reporter)
    assert found.late is not None
    when = fmt.day(province_day(found.submitted_at[indicator]), "vi")
    return f"| {what} | {when} | {'yes' if indicator in found.late else 'no'} |"


def test_timeliness_counts_valid_rows(tmp_path: Path) -> None:
    section = _section("Timeliness counts valid rows")
    header = "indicator,value,numerator,denominator\n"
    yt = "data/submissions/so-yt/2025Q4.csv"

    def base(name: str) -> Path:
        root = init(tmp_path / name)
        commit(root, {"data/targets.yaml": TARGETS}, "Catalogue", "2025-06-01T09:00:00+07:00")
        return root

    fixed = base("fixed")
    commit(fixed, {yt: header + "CT08,80.0,45,50\n"}, "so-yt", "2026-01-10T09:00:00+07:00")
    commit(fixed, {yt: header + "CT08,90.0,45,50\n"}, "so-yt: fix", "2026-01-25T09:00:00+07:00")
    assert (
        _row(fixed, "so-yt", "CT08", "Sở Y tế sends CT08 on 10/01/2026 as 80,0% beside 45 of 50 "
             "(`check` refuses it: 45/50 is 90%), and fixes it on 25/01/2026")
        in section
    )  # fmt: skip
    merged = base("merged")
    git(merged, "checkout", "--quiet", "-b", "so-yt")
    commit(merged, {yt: header + "CT08,90.0,45,50\n"}, "so-yt", "2026-01-10T09:00:00+07:00")
    git(merged, "checkout", "--quiet", "main")
    git(
        merged,
        "merge",
        "--quiet",
        "--no-ff",
        "-m",
        "Merge",
        "so-yt",
        date="2026-03-09T10:00:00+07:00",
    )
    assert (
        _row(merged, "so-yt", "CT08", "Sở Y tế's CT08 on a branch whose commit is dated "
             "10/01/2026, merged on 09/03/2026")
        in section
    )  # fmt: skip
    corrected = base("corrected")
    nv = "data/submissions/so-nv/2025Q4.csv"
    commit(corrected, {nv: "indicator,value\nCT38,2\n"}, "so-nv", "2026-01-15T23:30:00+07:00")
    commit(corrected, {nv: "indicator,value\nCT38,3\n"}, "so-nv: fix", "2026-01-16T09:00:00+07:00")
    assert (
        _row(corrected, "so-nv", "CT38", "Sở Nội vụ sends CT38 on 15/01/2026 at 23:30 and "
             "corrects it on 16/01/2026")
        in section
    )  # fmt: skip
