"""plan57.submissions.gate and `plan57 check --changed-since`: what a pull request may change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CATALOGUE
from gitrepo import commit, git, init
from plan57.catalogue.loading import parse_catalogue
from plan57.cli import app
from plan57.submissions.gate import changed_files, gate, mixed_reporters, reporter_folder

TARGETS = CATALOGUE.read_text("utf-8")
HEADER = "indicator,value,numerator,denominator,note\n"
GOOD_TC = HEADER + "CT30,3,,,\nCT34,2,,,\n"
GOOD_YT = HEADER + "CT08,90.0,45,50,\n"
# A wrong file of another reporter that a pull request for so-tc must not be blamed for.
BROKEN_NV = HEADER + "CT38,many,,,\n"
DAY = "2026-01-05T09:00:00+07:00"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init(tmp_path / "repo")
    commit(
        root,
        {
            "data/targets.yaml": TARGETS,
            "data/submissions/so-tc/2025Q3.csv": GOOD_TC,
            "data/submissions/so-nv/2025Q3.csv": BROKEN_NV,
        },
        "Base",
        DAY,
    )
    git(root, "checkout", "--quiet", "-b", "submission")
    return root


def check(repo: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(
        app,
        [
            "--root",
            str(repo),
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-02-01",
            "--lang",
            "en",
            *args,
        ],
    )
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def problems(report: dict, code: str | None = None) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(p["code"], p["file"]) for p in report["problems"] if code is None or p["code"] == code]


def test_reporter_folder() -> None:
    assert reporter_folder("data/submissions/so-tc/2025Q4.csv") == "so-tc"
    assert reporter_folder("data/submissions/so-tc/x/2025Q4.csv") == "so-tc"
    assert reporter_folder("data/submissions/2025Q4.csv") is None
    assert reporter_folder("data/targets.yaml") is None


def test_only_the_changed_reporter_is_checked(repo: Path) -> None:
    commit(repo, {"data/submissions/so-tc/2025Q4.csv": GOOD_TC}, "so-tc: 2025Q4", DAY)
    status, report = check(repo, "--changed-since", "main")
    assert status == 0, report
    assert problems(report, "not-a-number") == []
    # Without the gate the whole repository is checked, and so-nv's mistake shows.
    status, report = check(repo)
    assert status == 1
    assert problems(report, "not-a-number") == [
        ("not-a-number", "data/submissions/so-nv/2025Q3.csv")
    ]


def test_changes_are_taken_from_where_the_branch_left_the_base(repo: Path) -> None:
    commit(repo, {"data/submissions/so-tc/2025Q4.csv": GOOD_TC}, "so-tc: 2025Q4", DAY)
    git(repo, "checkout", "--quiet", "main")
    commit(repo, {"data/submissions/so-yt/2025Q4.csv": GOOD_YT}, "so-yt merged meanwhile", DAY)
    git(repo, "checkout", "--quiet", "submission")
    base, changed = changed_files(repo, "main")
    assert changed == ["data/submissions/so-tc/2025Q4.csv"]
    assert base == git(repo, "rev-parse", "main~1")


def test_errors_in_changed_files_are_reported(repo: Path) -> None:
    commit(repo, {"data/submissions/so-tc/2025Q4.csv": HEADER + "CT30,-4,,,\n"}, "bad", DAY)
    status, report = check(repo, "--changed-since", "main")
    assert status == 1
    assert ("negative-value", "data/submissions/so-tc/2025Q4.csv") in problems(report)


def test_an_overlap_with_an_unchanged_file_of_the_same_reporter(repo: Path) -> None:
    # CT30 is counted per year: a second-half figure overlaps the committed 2025Q3 one (an
    # annual figure would stand for the year instead). The checker reports the overlap on the
    # quarter, a file this change did not touch.
    commit(
        repo, {"data/submissions/so-tc/2025S2.csv": HEADER + "CT30,12,,,\n"}, "so-tc: 2025S2", DAY
    )
    result = gate(repo, parse_catalogue(TARGETS, "t"), "main")
    assert repo / "data/submissions/so-tc/2025Q3.csv" in result.paths
    status, report = check(repo, "--changed-since", "main")
    assert status == 1
    assert ("flow-overlap", "data/submissions/so-tc/2025Q3.csv") in problems(report)


def test_the_gate_reads_only_the_reporters_a_change_touches(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plan57.submissions import rules

    # A second-half figure overlaps the committed 2025Q3 one (as in the test above).
    commit(
        repo, {"data/submissions/so-tc/2025S2.csv": HEADER + "CT30,12,,,\n"}, "so-tc: 2025S2", DAY
    )
    read: list[Path] = []
    original = rules.read_submissions

    def spy(root: Path, paths: list[Path] | None = None, **kwargs: object) -> object:
        read.extend(paths or [root / "data/submissions"])
        return original(root, paths, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rules, "read_submissions", spy)
    status, gated = check(repo, "--changed-since", "main")
    assert sorted(p.relative_to(repo).as_posix() for p in read) == [
        "data/submissions/so-tc/2025Q3.csv",
        "data/submissions/so-tc/2025S2.csv",
    ]
    # What it reports on those files is what a check of the whole repository reports on them.
    read.clear()
    _, whole = check(repo)
    files = {"data/submissions/so-tc/2025S2.csv", "data/submissions/so-tc/2025Q3.csv"}
    assert gated["problems"] == [p for p in whole["problems"] if p["file"] in files]
    assert status == 1 and gated["problems"]


def test_two_reporters_in_one_change_are_refused(repo: Path) -> None:
    commit(
        repo,
        {
            "data/submissions/so-tc/2025Q4.csv": GOOD_TC,
            "data/submissions/so-yt/2025Q4.csv": GOOD_YT,
        },
        "two departments at once",
        DAY,
    )
    status, report = check(repo, "--changed-since", "main")
    assert status == 1
    assert sorted(problems(report, "mixed-reporters")) == [
        ("mixed-reporters", "data/submissions/so-tc/2025Q4.csv"),
        ("mixed-reporters", "data/submissions/so-yt/2025Q4.csv"),
    ]
    message = next(p["message"] for p in report["problems"] if p["code"] == "mixed-reporters")
    assert "so-tc" in message and "so-yt" in message


def test_deleting_another_reporters_file_counts_as_touching_its_folder(repo: Path) -> None:
    commit(
        repo,
        {"data/submissions/so-tc/2025Q4.csv": GOOD_TC, "data/submissions/so-nv/2025Q3.csv": None},
        "so-tc, and a deletion",
        DAY,
    )
    _, report = check(repo, "--changed-since", "main")
    assert {file for _, file in problems(report, "mixed-reporters")} == {
        "data/submissions/so-tc/2025Q4.csv",
        "data/submissions/so-nv/2025Q3.csv",
    }


def test_reporters_the_catalogue_lets_share_a_pull_request() -> None:
    shared = TARGETS.replace(
        'name_en: "Tuy Hòa ward",', 'name_en: "Tuy Hòa ward", shared_pull_requests: true,'
    ).replace(
        'name_en: "Ea Kar commune",', 'name_en: "Ea Kar commune", shared_pull_requests: true,'
    )
    catalogue = parse_catalogue(shared, "t")
    wards = ["data/submissions/phuong-tuy-hoa/2025Q4.csv", "data/submissions/xa-ea-kar/2025Q4.csv"]
    assert mixed_reporters(catalogue, wards) == []
    # A department that does not share still needs its own pull request.
    mixed = mixed_reporters(catalogue, [*wards, "data/submissions/so-tc/2025Q4.csv"])
    assert [f.file for f in mixed] == ["data/submissions/so-tc/2025Q4.csv"]


def test_files_that_are_not_reporter_period_csv_are_refused(repo: Path) -> None:
    commit(
        repo,
        {
            "data/submissions/so-tc/2025Q4.xlsx": b"PK\x03\x04",
            "data/submissions/so-tc/2025/Q4.csv": GOOD_TC,
            "data/submissions/2025Q4.csv": GOOD_TC,
        },
        "stray files",
        DAY,
    )
    status, report = check(repo, "--changed-since", "main")
    assert status == 1
    assert {file for _, file in problems(report, "bad-file-name")} == {
        "data/submissions/so-tc/2025/Q4.csv",
        "data/submissions/2025Q4.csv",
    }
    # A workbook is told how to become a submission, not to rename itself.
    assert problems(report, "workbook") == [("workbook", "data/submissions/so-tc/2025Q4.xlsx")]


def test_uncommitted_and_untracked_files_count_as_changed(repo: Path) -> None:
    path = repo / "data" / "submissions" / "so-tc" / "2025Q4.csv"
    path.write_text(GOOD_TC, encoding="utf-8")
    (repo / "data" / "submissions" / "so-tc" / "2025Q3.csv").write_text(GOOD_TC + "CT30,4,,,\n")
    _, changed = changed_files(repo, "HEAD")
    assert changed == ["data/submissions/so-tc/2025Q3.csv", "data/submissions/so-tc/2025Q4.csv"]
    _, report = check(repo, "--changed-since", "HEAD")
    assert ("duplicate-indicator", "data/submissions/so-tc/2025Q3.csv") in problems(report)


def test_a_catalogue_change_checks_everything(repo: Path) -> None:
    commit(
        repo,
        {"data/targets.yaml": TARGETS.replace("deadline_days: 15", "deadline_days: 20")},
        "c",
        DAY,
    )
    result = gate(repo, parse_catalogue(TARGETS, "t"), "main")
    assert result.catalogue_changed
    _, report = check(repo, "--changed-since", "main")
    assert ("not-a-number", "data/submissions/so-nv/2025Q3.csv") in problems(report)
    # The catalogue changed, so its own warnings are this pull request's business.
    assert any(code.startswith("catalogue-") for code, _ in problems(report))


def test_a_submission_pull_request_gets_no_catalogue_warnings(repo: Path) -> None:
    git(repo, "branch", "--force", "main", "HEAD")
    commit(repo, {"data/submissions/so-tc/2025Q4.csv": GOOD_TC}, "so-tc: 2025Q4", DAY)
    status, report = check(repo, "--changed-since", "main")
    assert status == 0
    assert not any(code.startswith("catalogue-") for code, _ in problems(report))
    _, full = check(repo)
    assert any(code.startswith("catalogue-") for code, _ in problems(full))


def test_bad_revisions_and_missing_git_are_usage_errors(repo: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for revision in ("no-such-branch", "--all"):
        result = runner.invoke(app, ["--root", str(repo), "check", "--changed-since", revision])
        assert result.exit_code == 2, result.output
    plain = tmp_path / "plain"
    (plain / "data").mkdir(parents=True)
    (plain / "data" / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    result = runner.invoke(app, ["--root", str(plain), "check", "--changed-since", "main"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_fix_check_changed_since_looks_only_at_the_changed_files(repo: Path) -> None:
    # A file already on main saved with semicolons is not this pull request's business.
    commit(repo, {"data/submissions/so-nv/2025Q2.csv": "indicator;value\nCT38;2\n"}, "semi", DAY)
    git(repo, "branch", "--force", "main", "HEAD")
    commit(repo, {"data/submissions/so-tc/2025Q4.csv": GOOD_TC}, "so-tc: 2025Q4", DAY)
    runner = CliRunner()
    args = ["--root", str(repo), "fix", "--check", "--lang", "en"]
    result = runner.invoke(app, [*args, "--changed-since", "main"])
    assert result.exit_code == 0, result.output
    assert "0 files need fixing (run plan57 fix), 1 already canonical" in result.output
    assert runner.invoke(app, args).exit_code == 1
    # Line endings alone are no fault (issue 11); a byte-order mark is something to fix.
    commit(repo, {"data/submissions/so-tc/2025Q3.csv": "\ufeff" + GOOD_TC}, "bom", DAY)
    result = runner.invoke(app, [*args, "--changed-since", "main"])
    assert result.exit_code == 1 and "so-tc/2025Q3.csv" in result.output
    assert "so-nv" not in result.output


def test_a_changed_figure_is_still_compared_with_its_peers(tmp_path: Path) -> None:
    # peer-outlier compares a commune's figure with the other communes' for the same period:
    # the gate reads those files too (without reporting on them).
    from conftest import FINDINGS, PROJECT

    files = {
        path.relative_to(FINDINGS / "peer-outlier").as_posix(): path.read_text("utf-8")
        for path in (FINDINGS / "peer-outlier").rglob("*.csv")
    }
    changed = "data/submissions/xa-krong-bong/2025Q4.csv"
    root = init(tmp_path / "repo")
    base = {k: v for k, v in files.items() if k != changed}
    commit(
        root, {"data/targets.yaml": (PROJECT / "data/targets.yaml").read_text(), **base}, "b", DAY
    )
    git(root, "checkout", "--quiet", "-b", "submission")
    commit(root, {changed: files[changed]}, "xa-krong-bong: 2025Q4", DAY)
    _, gated = check(root, "--changed-since", "main")
    _, whole = check(root)
    assert ("peer-outlier", changed) in problems(gated)
    mine = {p["file"] for p in gated["problems"]}
    assert mine <= {changed, "data/submissions/xa-krong-bong/2025Q3.csv"}
    assert [p for p in gated["problems"] if p["file"] == changed] == [
        p for p in whole["problems"] if p["file"] == changed
    ]
