"""plan57.submissions.status and `plan57 status`: owed, submitted, missing, and on time by git's clock."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gitrepo import commit, git, init
from plan57.catalogue.loading import load_catalogue
from plan57.catalogue.models import Catalogue
from plan57.cli import app
from plan57.errors import UsageError
from plan57.submissions.status import (
    StatusReport,
    build_status,
    parse_status_period,
    render_markdown,
)

REPO = Path(__file__).resolve().parents[1]
TARGETS = (REPO / "data" / "targets.yaml").read_text("utf-8")
Q4 = parse_status_period("2025Q4")
HEADER = "indicator,value,numerator,denominator,note\n"
# The deadline for 2025Q4 is 15 days after 31 December: 15 January 2026, in Đắk Lắk's time.
ON_TIME = "2026-01-10T09:00:00+07:00"
LAST_MINUTE = "2026-01-15T23:30:00+07:00"  # 16:30 UTC: still the 15th in the province
LATE = "2026-01-16T00:30:00+07:00"  # 15 January 17:30 UTC, but the 16th in the province


def so_tc(*indicators: str, empty: tuple[str, ...] = ()) -> str:
    rows = [f"{i},3,,," if i in ("CT30", "CT34") else f"{i},90.0,45,50," for i in indicators]
    rows += [f"{i},,,," for i in empty]
    return HEADER + "".join(row + "\n" for row in rows)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init(tmp_path / "repo")
    commit(root, {"data/targets.yaml": TARGETS}, "Catalogue", "2025-06-01T09:00:00+07:00")
    commit(
        root,
        {"data/submissions/so-tc/2025Q4.csv": so_tc("CT08", "CT09", "CT30", empty=("CT34",))},
        "so-tc: 2025Q4",
        ON_TIME,
    )
    commit(
        root,
        {"data/submissions/so-nv/2025Q4.csv": "indicator,value\nCT38,2\n"},
        "so-nv: 2025Q4",
        LAST_MINUTE,
    )
    commit(
        root,
        {"data/submissions/so-tc/2025Q4.csv": so_tc("CT08", "CT09", "CT30", "CT34", "CT40")},
        "so-tc: CT34 filled in, CT40 added",
        LATE,
    )
    return root


@pytest.fixture
def catalogue() -> Catalogue:
    return load_catalogue(REPO / "data" / "targets.yaml")


def reporter(report: StatusReport, reporter_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in report.reporters if r.id == reporter_id)


def test_on_time_late_and_missing_from_git(repo: Path, catalogue: Catalogue) -> None:
    report = build_status(repo, catalogue, Q4, as_of=date(2026, 2, 1))
    assert report.timeliness == "known" and report.deadline == date(2026, 1, 15)
    tc = reporter(report, "so-tc")
    # At the end of 2025 so-tc owes its quarterly indicators' 2025Q4 and its annual ones' 2025.
    quarterly = ["CT08", "CT09", "CT30", "CT34", "CT40", "CT41", "CT42", "CT43", "CT44"]
    quarterly += ["CT45", "CT48"]
    annual = ["CT05", "CT12", "CT13", "CT28", "CT29", "CT31", "CT32", "CT37", "CT49", "CT51"]
    annual += ["CT53", "CT55"]
    assert sorted(tc.expected) == sorted(quarterly + annual)
    assert tc.submitted == ["CT08", "CT09", "CT30", "CT34", "CT40"]
    assert tc.missing == [i for i in tc.expected if i not in tc.submitted]
    # CT34 was committed on time but empty: it counts from the commit that gave it a value.
    assert tc.late == ["CT34", "CT40"]
    assert tc.submitted_at["CT08"] == datetime.fromisoformat(ON_TIME)
    assert tc.submitted_at["CT34"] == datetime.fromisoformat(LATE)
    assert tc.rate == pytest.approx(5 / 23, abs=1e-4)
    nv = reporter(report, "so-nv")
    assert nv.submitted == ["CT38"] and nv.late == []
    yt = reporter(report, "so-yt")
    assert yt.submitted == [] and yt.missing == yt.expected and yt.rate == 0.0
    overall = report.overall
    assert overall.expected == sum(len(r.expected) for r in report.reporters)
    assert (overall.submitted, overall.late) == (6, 2)
    assert overall.missing == overall.expected - 6
    assert overall.on_time_rate == pytest.approx(4 / overall.expected, abs=1e-4)


def test_as_of_a_date_before_the_late_commit(repo: Path, catalogue: Catalogue) -> None:
    report = build_status(repo, catalogue, Q4, as_of=date(2026, 1, 15))
    tc = reporter(report, "so-tc")
    assert tc.submitted == ["CT08", "CT09", "CT30"]
    assert "CT34" in tc.missing and "CT40" in tc.missing
    assert tc.late == []
    assert reporter(report, "so-nv").submitted == ["CT38"]  # 23:30 on the 15th, province time


def test_rows_on_disk_but_not_committed_are_not_submitted(repo: Path, catalogue: Catalogue) -> None:
    path = repo / "data" / "submissions" / "so-yt" / "2025Q4.csv"
    path.parent.mkdir(parents=True)
    path.write_text("indicator,value,numerator,denominator\nCT08,90.0,45,50\n", encoding="utf-8")
    report = build_status(repo, catalogue, Q4, as_of=date(2026, 2, 1))
    assert reporter(report, "so-yt").submitted == []


def test_a_row_removed_later_is_no_longer_submitted(repo: Path, catalogue: Catalogue) -> None:
    commit(
        repo,
        {"data/submissions/so-tc/2025Q4.csv": so_tc("CT08", "CT09", "CT34", "CT40")},
        "so-tc: CT30 withdrawn",
        "2026-01-20T09:00:00+07:00",
    )
    tc = reporter(build_status(repo, catalogue, Q4, as_of=date(2026, 2, 1)), "so-tc")
    assert "CT30" in tc.missing and tc.submitted_at["CT08"] == datetime.fromisoformat(ON_TIME)


def test_outside_git_the_files_count_and_timeliness_is_unknown(
    repo: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(repo / "data", plain / "data")
    report = build_status(plain, catalogue, Q4, as_of=date(2026, 2, 1))
    assert (report.timeliness, report.timeliness_reason) == ("unknown", "no-git")
    tc = reporter(report, "so-tc")
    assert tc.submitted == ["CT08", "CT09", "CT30", "CT34", "CT40"]
    assert tc.late is None and tc.submitted_at == {}
    assert report.overall.late is None and report.overall.on_time_rate is None
    markdown = render_markdown(report, catalogue, "vi")
    assert "Không đánh giá được việc nộp đúng hạn" in markdown
    assert "| Sở Tài chính (so-tc) | 23 | 5 |" in markdown


def test_a_shallow_clone_does_not_pretend_to_know(
    repo: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", f"file://{repo}", str(shallow)],
        check=True,
        capture_output=True,
    )
    report = build_status(shallow, catalogue, Q4, as_of=date(2026, 2, 1))
    assert (report.timeliness, report.timeliness_reason) == ("unknown", "shallow")
    assert reporter(report, "so-tc").submitted == ["CT08", "CT09", "CT30", "CT34", "CT40"]


def test_a_repository_without_commits_has_nothing_submitted(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    root = init(tmp_path / "fresh")
    (root / "data" / "submissions" / "so-tc").mkdir(parents=True)
    (root / "data" / "submissions" / "so-tc" / "2025Q4.csv").write_text(so_tc("CT08"))
    report = build_status(root, catalogue, Q4, as_of=date(2026, 2, 1))
    assert report.timeliness == "known" and report.overall.submitted == 0


def test_a_renamed_file_counts_from_when_it_reached_its_path(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    # Issue 11: a row's time is when it first appeared at its current path. "2025q4.csv" was
    # no submission (`check` refuses the name), so the rename after the deadline is late.
    root = init(tmp_path / "renamed")
    commit(root, {"data/targets.yaml": TARGETS}, "Catalogue", "2025-06-01T09:00:00+07:00")
    commit(root, {"data/submissions/so-tc/2025q4.csv": so_tc("CT08")}, "wrong name", ON_TIME)
    git(root, "mv", "data/submissions/so-tc/2025q4.csv", "data/submissions/so-tc/2025Q4.csv")
    commit(root, {}, "rename", LATE)
    tc = reporter(build_status(root, catalogue, Q4, as_of=date(2026, 2, 1)), "so-tc")
    assert tc.submitted_at == {"CT08": datetime.fromisoformat(LATE)}
    assert tc.late == ["CT08"]


def test_periods_nobody_owes_and_bad_periods(repo: Path, catalogue: Catalogue) -> None:
    report = build_status(repo, catalogue, parse_status_period("2025M02"), as_of=date(2026, 2, 1))
    assert report.reporters == [] and report.overall.rate is None
    with pytest.raises(UsageError) as error:
        parse_status_period("2025Q7")
    assert error.value.code == "bad-period-option"


def _status(repo: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--root", str(repo), "status", *args])
    return result.exit_code, result.stdout


def test_json_is_the_library_report(repo: Path, catalogue: Catalogue) -> None:
    status, output = _status(
        repo, "--period", "2025Q4", "--as-of", "2026-02-01", "--format", "json", "--lang", "en"
    )
    assert status == 0
    expected = build_status(repo, catalogue, Q4, as_of=date(2026, 2, 1))
    assert json.loads(output) == json.loads(expected.model_dump_json(context={"lang": "en"}))
    data = json.loads(output)
    assert data["period"] == "2025Q4"
    first = data["reporters"][0]
    assert {"id", "expected", "submitted", "missing", "late", "rate"} <= set(first)
    assert {"expected", "submitted", "missing", "late", "rate"} <= set(data["overall"])


def test_markdown_and_table(repo: Path) -> None:
    status, output = _status(
        repo, "--period", "2025Q4", "--as-of", "2026-02-01", "--format", "md", "--lang", "en"
    )
    assert status == 0
    assert output.startswith("### Submissions for period 2025Q4")
    assert "| Department of Finance (so-tc) | 23 | 5 | CT05, CT12, CT13, " in output
    assert "| CT34, CT40 | 22% |" in output
    assert "Deadline: 15 Jan 2026" in output
    status, output = _status(repo, "--period", "2025Q4", "--as-of", "2026-02-01")
    assert status == 0 and "Toàn tỉnh" in output and "Hạn nộp: 15/01/2026" in output


def test_command_errors(repo: Path) -> None:
    assert _status(repo, "--period", "2025X")[0] == 2
    assert _status(repo, "--period", "2025Q4", "--as-of", "15/01/2026")[0] == 2


# --- principle 9: timeliness counts valid rows on the main line ------------------------------


def test_a_branch_backdated_before_the_deadline_and_merged_late_is_late(
    repo: Path, catalogue: Catalogue
) -> None:
    # Issue 20 (principle 9), issue 21: the branch's commit claims 10 January; the merge that
    # brings it to the main line is 53 days after the deadline. The merge's time counts.
    git(repo, "checkout", "--quiet", "-b", "so-yt")
    commit(
        repo,
        {"data/submissions/so-yt/2025Q4.csv": so_tc("CT08")},
        "so-yt: 2025Q4",
        ON_TIME,
    )
    git(repo, "checkout", "--quiet", "main")
    merged = "2026-03-09T10:00:00+07:00"  # 15 January + 53 days
    git(repo, "merge", "--quiet", "--no-ff", "-m", "Merge so-yt", "so-yt", date=merged)
    yt = reporter(build_status(repo, catalogue, Q4, as_of=date(2026, 3, 31)), "so-yt")
    assert yt.submitted == ["CT08"] and yt.late == ["CT08"]
    assert yt.submitted_at == {"CT08": datetime.fromisoformat(merged)}
    # Before the merge the branch's rows are not known, whatever their dates say.
    before = reporter(build_status(repo, catalogue, Q4, as_of=date(2026, 3, 8)), "so-yt")
    assert before.submitted == []


def test_an_invalid_row_counts_from_the_commit_that_fixes_it(
    repo: Path, catalogue: Catalogue
) -> None:
    # Sent on time with a value that does not match its numerator and denominator (refused),
    # fixed after the deadline: late, from the fix.
    path = "data/submissions/so-yt/2025Q4.csv"
    commit(repo, {path: so_tc("CT08").replace("90.0", "80.0")}, "so-yt: 2025Q4", ON_TIME)
    assert (
        reporter(build_status(repo, catalogue, Q4, as_of=date(2026, 1, 20)), "so-yt").submitted
        == []
    )
    fixed = "2026-01-25T09:00:00+07:00"
    commit(repo, {path: so_tc("CT08")}, "so-yt: CT08 fixed", fixed)
    yt = reporter(build_status(repo, catalogue, Q4, as_of=date(2026, 2, 1)), "so-yt")
    assert yt.late == ["CT08"] and yt.submitted_at == {"CT08": datetime.fromisoformat(fixed)}


def test_a_valid_row_corrected_later_keeps_its_first_arrival(
    repo: Path, catalogue: Catalogue
) -> None:
    path = "data/submissions/so-nv/2025Q4.csv"
    commit(repo, {path: "indicator,value\nCT38,3\n"}, "so-nv: CT38 corrected", LATE)
    nv = reporter(build_status(repo, catalogue, Q4, as_of=date(2026, 2, 1)), "so-nv")
    assert nv.late == [] and nv.submitted_at == {"CT38": datetime.fromisoformat(LAST_MINUTE)}


def test_a_commit_dated_before_its_predecessor_does_not_move_back_in_time(
    repo: Path, catalogue: Catalogue
) -> None:
    # A commit straight on the main line whose date is set before the commit it follows.
    commit(
        repo,
        {"data/submissions/so-yt/2025Q4.csv": so_tc("CT08")},
        "so-yt: 2025Q4",
        "2026-01-01T09:00:00+07:00",
    )
    yt = reporter(build_status(repo, catalogue, Q4, as_of=date(2026, 2, 1)), "so-yt")
    assert yt.submitted_at == {"CT08": datetime.fromisoformat(LATE)} and yt.late == ["CT08"]
