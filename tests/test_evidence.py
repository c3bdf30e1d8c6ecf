"""plan57.submissions.evidence: what was known on a day, and when each valid row arrived.

Principle 1 of docs/methodology.md ("What was known that day") and principle 9 ("Timeliness
counts valid rows"), held on the sample history (scripts/sample_history.py) and on small git
repositories built in temporary folders.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import PROJECT, examples
from gitrepo import commit, git, init
from plan57.catalogue.loading import load_catalogue
from plan57.cli import app
from plan57.output.report import build_report, score_repository
from plan57.periods import parse_period
from plan57.submissions.evidence import gather
from plan57.submissions.status import build_status

TARGETS = (PROJECT / "data" / "targets.yaml").read_text("utf-8")
GENERATED = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
# Sở KH&CN's 2025.csv reached the sample history's main line on 14/02/2026.
BEFORE_KHCN, AFTER_KHCN = date(2026, 1, 20), date(2026, 2, 20)
KHCN = ("CT13", "CT20", "CT47")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("evidence") / "sample-history"
    script = PROJECT / "scripts" / "sample_history.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    return out


def _copy(sample: Path, to: Path) -> Path:
    shutil.copytree(sample, to, symlinks=True)
    return to


def _statuses(root: Path, as_of: date) -> dict[str, str]:
    report = score_repository(root, period="2025Q4", as_of=as_of).report
    return {item.id: item.status for item in report.indicators}


def test_as_of_a_day_judges_only_what_had_reached_the_main_line(sample: Path) -> None:
    # Issue 20's example: Sở KH&CN's 2025.csv was committed on 14/02/2026. On 20/01/2026 its
    # figures were not known: CT13, CT20 and CT47 have no data, and `status` says it owes them.
    scored = score_repository(sample, period="2025Q4", as_of=BEFORE_KHCN)
    for item in scored.report.indicators:
        if item.id in KHCN:
            assert item.status == "no-data", item.id
            assert "2025" not in item.periods
    assert not (scored.observations["file"] == "data/submissions/so-khcn/2025.csv").any()
    catalogue = load_catalogue(sample / "data" / "targets.yaml")
    period = parse_period("2025Q4")
    assert period is not None
    status = build_status(sample, catalogue, period, as_of=BEFORE_KHCN)
    khcn = next(r for r in status.reporters if r.id == "so-khcn")
    assert set(KHCN) <= set(khcn.missing)
    # A month later they had arrived, late, and are judged.
    after = _statuses(sample, AFTER_KHCN)
    assert all(after[i] != "no-data" for i in KHCN)
    khcn = next(
        r
        for r in build_status(sample, catalogue, period, as_of=AFTER_KHCN).reporters
        if r.id == "so-khcn"
    )
    assert set(KHCN) <= set(khcn.late or ())


def test_the_json_says_where_the_figures_came_from(sample: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["--root", str(sample), "score", "--period", "2025Q4", "--as-of", "2026-01-20",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0
    evidence = json.loads(result.stdout)["evidence"]
    assert evidence["source"] == "main-line" and evidence["reason"] is None
    head = git(sample, "rev-list", "-1", "--first-parent", "--before=2026-01-20T17:00:00Z", "HEAD")
    assert evidence["commit"] == head
    plain = tmp_path / "plain"
    shutil.copytree(sample / "data", plain / "data")
    result = CliRunner().invoke(
        app,
        ["--root", str(plain), "score", "--period", "2025Q4", "--as-of", "2026-01-20",
         "--format", "json"],
    )  # fmt: skip
    assert json.loads(result.stdout)["evidence"] == {
        "source": "disk", "reason": "no-git", "commit": None, "commit_date": None
    }  # fmt: skip


def test_outside_git_the_files_on_disk_are_the_evidence_and_the_report_says_so(
    sample: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(sample / "data", plain / "data")
    assert all(s != "no-data" for i, s in _statuses(plain, BEFORE_KHCN).items() if i in KHCN)
    markdown = build_report(
        plain, period="2025Q4", as_of=BEFORE_KHCN, lang="en", output="md", generated=GENERATED
    )
    assert "The folder is not in a git repository, so which rows were there" in markdown
    tiếng_việt = build_report(
        plain, period="2025Q4", as_of=BEFORE_KHCN, lang="vi", output="md", generated=GENERATED
    )
    assert "Thư mục không nằm trong kho git, nên không biết ngày nào đã có dòng nào" in tiếng_việt


def _later_commits(root: Path) -> None:
    """What the history gains after 20/01/2026: a new file, a corrected figure, a revised
    catalogue, and a branch merged (its commit dated before the day)."""
    commit(
        root,
        {"data/submissions/so-yt/2025Q4.csv": "indicator,value,numerator,denominator\n"
         "CT08,90.0,45,50\n"},
        "so-yt: 2025Q4",
        "2026-03-01T09:00:00+07:00",
    )  # fmt: skip
    path = root / "data" / "submissions" / "so-khcn" / "2025Q4.csv"
    commit(
        root,
        {"data/submissions/so-khcn/2025Q4.csv": path.read_text("utf-8") + "\n"},
        "so-khcn: a blank line at the end",
        "2026-03-02T09:00:00+07:00",
    )
    revised = TARGETS.replace('2025: "≥ 1,0%"', '2025: "≥ 0,7%"', 1)
    assert revised != TARGETS
    commit(root, {"data/targets.yaml": revised}, "Hạ mục tiêu CT05", "2026-03-03T09:00:00+07:00")
    git(root, "checkout", "--quiet", "-b", "late")
    commit(
        root,
        {"data/submissions/so-nv/2025Q4.csv": "indicator,value\nCT38,7\n"},
        "so-nv: 2025Q4, backdated",
        "2026-01-05T09:00:00+07:00",
    )
    git(root, "checkout", "--quiet", "main")
    git(
        root, "merge", "--quiet", "--no-ff", "-m", "Merge", "late", date="2026-03-04T09:00:00+07:00"
    )


@pytest.mark.parametrize("output", ["md", "html"])
def test_a_report_for_a_past_day_is_reproducible_byte_for_byte(
    sample: Path, tmp_path: Path, output: str
) -> None:
    root = _copy(sample, tmp_path / "repo")

    def build() -> str:
        return build_report(
            root, period="2025Q4", as_of=BEFORE_KHCN, lang="vi", output=output,  # type: ignore[arg-type]
            generated=GENERATED,
        )  # fmt: skip

    first = build()
    _later_commits(root)
    assert git(root, "log", "-1", "--format=%s") == "Merge"
    assert build() == first
    # The later commits do change what is known later.
    later = build_report(
        root, period="2025Q4", as_of=date(2026, 3, 31), lang="vi", output=output,  # type: ignore[arg-type]
        generated=GENERATED,
    )  # fmt: skip
    assert later != first


def test_uncommitted_files_and_unmerged_branches_are_not_evidence(
    sample: Path, tmp_path: Path
) -> None:
    root = _copy(sample, tmp_path / "repo")
    # Sở Tài chính never sent its 2025Q4 in the sample history; Sở Xây dựng's is on a branch.
    (root / "data" / "submissions" / "so-tc" / "2025Q4.csv").write_text(
        (PROJECT / "data" / "submissions" / "so-tc" / "2025Q4.csv").read_text("utf-8"),
        encoding="utf-8",
    )
    git(root, "checkout", "--quiet", "-b", "pending")
    commit(
        root,
        {"data/submissions/so-xd/2025Q4.csv": (
            PROJECT / "data" / "submissions" / "so-xd" / "2025Q4.csv"
        ).read_text("utf-8")},
        "so-xd: 2025Q4 on a branch",
        "2026-01-05T09:00:00+07:00",
    )  # fmt: skip
    git(root, "checkout", "--quiet", "main")
    frame = gather(root, as_of=date(2026, 6, 30)).observations
    files = set(frame["file"])
    assert "data/submissions/so-tc/2025Q4.csv" not in files
    assert "data/submissions/so-xd/2025Q4.csv" not in files
    assert "data/submissions/so-tc/2025Q3.csv" in files


def test_each_row_arrives_when_its_valid_version_did(tmp_path: Path) -> None:
    # CT08 valid on time; CT09 sent on time with a value that contradicts its numerator and
    # denominator, fixed late. The rows of one file arrive apart.
    root = init(tmp_path / "repo")
    commit(root, {"data/targets.yaml": TARGETS}, "Catalogue", "2025-06-01T09:00:00+07:00")
    header = "indicator,value,numerator,denominator\n"
    path = "data/submissions/so-yt/2025Q4.csv"
    on_time, fixed = "2026-01-10T09:00:00+07:00", "2026-01-25T09:00:00+07:00"
    commit(root, {path: header + "CT08,90.0,45,50\nCT09,80.0,45,50\n"}, "so-yt", on_time)
    commit(root, {path: header + "CT08,90.0,45,50\nCT09,90.0,45,50\n"}, "so-yt: CT09", fixed)
    evidence = gather(root, as_of=date(2026, 2, 1))
    assert evidence.arrivals == {
        (path, "CT08"): datetime.fromisoformat(on_time),
        (path, "CT09"): datetime.fromisoformat(fixed),
    }
    frame = evidence.observations
    arrived = dict(zip(frame["indicator"], frame["arrived"], strict=True))
    assert arrived["CT09"] == datetime.fromisoformat(fixed)
    # Before the fix only CT08 was known.
    early = gather(root, as_of=date(2026, 1, 20)).observations
    assert list(early["indicator"]) == ["CT08"]


def test_a_repository_with_nothing_on_the_main_line_by_the_day_has_no_figures(
    tmp_path: Path,
) -> None:
    root = init(tmp_path / "repo")
    commit(root, {"data/targets.yaml": TARGETS}, "Catalogue", "2026-03-01T09:00:00+07:00")
    evidence = gather(root, as_of=date(2026, 2, 1))
    assert evidence.commit is None and evidence.observations.empty
    assert evidence.source.source == "main-line" and evidence.source.commit is None


def test_the_last_commit_read_from_disk_or_from_git_is_the_same_evidence(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plan57 import git as plan57_git

    root = _copy(sample, tmp_path / "repo")
    assert plan57_git.same_as_head(root, "data/submissions")
    on_disk = gather(root, as_of=date(2026, 6, 30)).observations
    monkeypatch.setattr(plan57_git, "same_as_head", lambda root, under: False)
    from_git = gather(root, as_of=date(2026, 6, 30)).observations
    assert on_disk.drop(columns="arrived").equals(from_git.drop(columns="arrived"))
    assert list(on_disk["arrived"]) == list(from_git["arrived"])


def test_any_file_that_head_does_not_have_is_seen(sample: Path, tmp_path: Path) -> None:
    from plan57.git import same_as_head

    root = _copy(sample, tmp_path / "repo")
    (root / ".gitignore").write_text("*.tmp\n", encoding="utf-8")
    ignored = root / "data" / "submissions" / "so-tc" / "x.tmp"
    ignored.write_text("x", encoding="utf-8")
    assert not same_as_head(root, "data/submissions")  # ignored, but on disk: `check` reads it
    ignored.unlink()
    edited = root / "data" / "submissions" / "so-tc" / "2025Q3.csv"
    edited.write_text(edited.read_text("utf-8") + "\n", encoding="utf-8")
    assert not same_as_head(root, "data/submissions")
    git(root, "checkout", "--quiet", "--", "data/submissions")
    assert same_as_head(root, "data/submissions")


def test_gathering_the_evidence_writes_nothing_in_git(sample: Path, tmp_path: Path) -> None:
    # A copied repository: every file's timestamps are stale in the index, which porcelain
    # commands with optional locks would refresh and write back.
    root = _copy(sample, tmp_path / "repo")
    index = root / ".git" / "index"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    gather(root, as_of=date(2026, 6, 30)).arrivals  # noqa: B018 - computed for its effects
    score_repository(root, period="2025Q4", as_of=date(2026, 6, 30))
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before


@pytest.mark.slow
def test_a_past_days_site_and_export_are_reproducible_byte_for_byte(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plan57.output.opendata import export_repository
    from plan57.output.site import build_site

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    root = _copy(sample, tmp_path / "repo")

    def build(name: str) -> dict[str, bytes]:
        site, data = tmp_path / f"site-{name}", tmp_path / f"data-{name}"
        build_site(root, site, as_of=BEFORE_KHCN, period="2025Q4")
        export_repository(root, data, as_of=BEFORE_KHCN, period="2025Q4")
        return {
            f"{kind}/{path.relative_to(folder)}": path.read_bytes()
            for kind, folder in (("site", site), ("data", data))
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }

    first = build("first")
    _later_commits(root)
    assert build("again") == first


# --- the arrival of a row, as a property -------------------------------------------------------

_STATES = {
    "valid": "CT08,90.0,45,50\n",
    "invalid": "CT08,80.0,45,50\n",  # the value contradicts its numerator and denominator
    "empty": "CT08,,,\n",  # a row without a figure is no submission
    "absent": "",
}


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    versions=st.lists(
        st.tuples(st.sampled_from(sorted(_STATES)), st.integers(min_value=0, max_value=40)),
        min_size=1,
        max_size=5,
    )
)
def test_a_row_arrives_with_the_first_of_its_unbroken_run_of_valid_versions(
    versions: list[tuple[str, int]],
) -> None:
    # Each version of one file is committed straight on the main line on its day (in any
    # order: a commit dated before its predecessor counts from its predecessor's time).
    with tempfile.TemporaryDirectory() as folder:
        root = init(Path(folder) / "repo")
        commit(root, {"data/targets.yaml": TARGETS}, "Catalogue", "2025-06-01T09:00:00+07:00")
        path = "data/submissions/so-yt/2025Q4.csv"
        header = "indicator,value,numerator,denominator\nCT09,90.0,45,50\n"
        times: list[datetime] = []
        for n, (state, day) in enumerate(versions):
            stamp = datetime(2026, 1, 1, 9, 0, tzinfo=UTC) + timedelta(days=day, seconds=n)
            commit(root, {path: header + _STATES[state]}, f"v{n}", stamp.isoformat())
            times.append(max([stamp, *times[-1:]]))
        run = 0
        for state, _ in reversed(versions):
            if state != "valid":
                break
            run += 1
        expected = {(path, "CT08"): times[-run]} if run else {}
        arrivals = gather(root, as_of=date(2026, 6, 30)).arrivals
        assert {k: v for k, v in arrivals.items() if k[1] == "CT08"} == expected
        assert arrivals[(path, "CT09")] == times[0]


def test_git_is_asked_once_for_the_submissions_folder_not_once_per_file(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Twenty years of files as pathspecs cost git the files times the changes, and their names
    # could pass the system's limit on a command line; the arrivals are the same either way.
    from plan57 import git as plan57_git

    asked: list[list[str]] = []
    original = plan57_git.main_line_changes

    def spy(root: Path, paths: list[str], revision: str = "HEAD") -> list[plan57_git.PathChange]:
        asked.append(paths)
        return original(root, paths, revision)

    def per_file(
        root: Path, paths: list[str], revision: str = "HEAD"
    ) -> list[plan57_git.PathChange]:
        listed = git(root, "ls-files", "--", *paths).splitlines()
        return original(root, listed, revision)

    as_of = date(2026, 6, 30)
    monkeypatch.setattr(plan57_git, "main_line_changes", per_file)
    expected = gather(sample, as_of=as_of).arrivals
    monkeypatch.setattr(plan57_git, "main_line_changes", spy)
    assert gather(sample, as_of=as_of).arrivals == expected
    assert asked == [["data/submissions"]]
    assert len({path for path, _ in expected}) > 1


def test_the_arrivals_of_some_rows_are_those_rows_of_all_the_arrivals(sample: Path) -> None:
    # `status` asks only for its period's rows; the answer must not depend on having asked.
    as_of = date(2026, 6, 30)
    every = gather(sample, as_of=as_of).arrivals
    some = {key for key in every if key[0].endswith("2025Q4.csv")}
    assert some and len(some) < len(every)
    assert gather(sample, as_of=as_of).arrivals_of(some) == {key: every[key] for key in some}
    evidence = gather(sample, as_of=as_of)
    assert evidence.arrivals == every  # computed whole, then asked for some
    assert evidence.arrivals_of(some) == {key: every[key] for key in some}
