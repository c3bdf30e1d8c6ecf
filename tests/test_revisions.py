"""plan57.catalogue.revisions: semantic diffs, history, and the targets in force at a revision or date."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from gitrepo import commit, git, init
from plan57.catalogue import revisions
from plan57.catalogue.loading import parse_catalogue
from plan57.catalogue.models import Target
from plan57.catalogue.revisions import Change, compare, target_kind
from plan57.errors import CatalogueError, GitError, UsageError
from revisionrepo import BASE, V3, V6, V8, Story, build


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return build(tmp_path_factory.mktemp("story") / "repo")


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> Story:
    """The same story with the data repository in a subfolder of the git work tree."""
    return build(tmp_path_factory.mktemp("nested") / "repo", prefix="province/")


def _kinds(changes: list[Change]) -> list[tuple[str | None, str, str]]:
    return [(c.indicator, c.field, c.kind) for c in changes]


# --- the targets in force --------------------------------------------------------------------


def test_catalogue_at_working_tree(story: Story) -> None:
    catalogue, info = revisions.catalogue_at(story.root)
    assert catalogue == parse_catalogue(V8, "x")
    assert info.requested is None and info.commit is None and info.last_change is None
    assert info.path == "data/targets.yaml"


def test_catalogue_at_revision_and_tag(story: Story) -> None:
    catalogue, info = revisions.catalogue_at(story.root, "v1.0")
    assert catalogue == parse_catalogue(V3, "x")
    assert info.requested == "v1.0"
    assert info.commit == story.r[3]
    assert info.last_change is not None
    assert info.last_change.commit == story.r[3]
    assert info.last_change.message == "CT05: raise the 2030 target"
    assert info.last_change.date == "2025-07-01T10:00:00+07:00"
    catalogue, info = revisions.catalogue_at(story.root, "HEAD~2")
    assert info.commit == story.r[6]
    assert catalogue == parse_catalogue(V6, "x")
    # A revision that does not touch the catalogue reports the last one that did.
    _, info = revisions.catalogue_at(story.root, story.r[4][:10])
    assert info.commit == story.r[4]
    assert info.last_change is not None and info.last_change.commit == story.r[3]


def test_catalogue_at_follows_the_former_file_name(story: Story) -> None:
    catalogue, info = revisions.catalogue_at(story.root, story.r[1])
    assert catalogue == parse_catalogue(BASE, "x")
    assert info.path == "data/catalogue.yaml"
    assert info.last_change is not None and info.last_change.commit == story.r[1]


def test_catalogue_at_date(story: Story) -> None:
    _, info = revisions.catalogue_at(story.root, date(2025, 7, 1))
    assert info.commit == story.r[3]  # a commit on that day counts
    _, info = revisions.catalogue_at(story.root, date(2025, 6, 30))
    assert info.commit == story.r[2]
    assert info.requested == "2025-06-30"
    # r5 landed at 00:30 on 15 September in Vietnam (still the 14th in UTC): its own day counts.
    catalogue, info = revisions.catalogue_at(story.root, date(2025, 9, 14))
    assert info.commit == story.r[4]
    assert catalogue == parse_catalogue(V3, "x")
    _, info = revisions.catalogue_at(story.root, date(2025, 9, 15))
    assert info.commit == story.r[5]
    _, info = revisions.catalogue_at(story.root, date(2030, 1, 1))
    assert info.commit == story.r[8]


def test_catalogue_at_date_string(story: Story) -> None:
    when = revisions.parse_when("2025-06-30")
    assert when == date(2025, 6, 30)
    assert revisions.parse_when("v1.0") == "v1.0"
    with pytest.raises(UsageError) as caught:
        revisions.parse_when("2025-13-01")
    assert caught.value.code == "bad-date"


def test_catalogue_at_date_before_any_commit(story: Story) -> None:
    with pytest.raises(GitError) as caught:
        revisions.catalogue_at(story.root, date(2025, 1, 1))
    assert caught.value.code == "git-no-commit-before"
    assert caught.value.params["first"] == "2025-05-20"


def test_catalogue_at_where_the_catalogue_did_not_exist(story: Story) -> None:
    with pytest.raises(GitError) as caught:
        revisions.catalogue_at(story.root, story.r[0])
    assert caught.value.code == "git-path-missing"
    assert caught.value.params["rev"] == story.r[0]
    with pytest.raises(GitError) as caught:
        revisions.catalogue_at(story.root, date(2025, 5, 21))
    assert caught.value.code == "git-path-missing"


def test_catalogue_at_a_broken_revision(story: Story) -> None:
    with pytest.raises(CatalogueError) as caught:
        revisions.catalogue_at(story.root, "v2.0~1")
    assert caught.value.code == "catalogue-yaml"
    assert caught.value.params["path"] == "v2.0~1:data/targets.yaml"


def test_catalogue_at_unknown_revision(story: Story) -> None:
    for bad in ["v9", "--help", "HEAD~40"]:
        with pytest.raises(GitError) as caught:
            revisions.catalogue_at(story.root, bad)
        assert caught.value.code == "git-unknown-revision"


def test_catalogue_at_in_a_subfolder(nested: Story) -> None:
    catalogue, info = revisions.catalogue_at(nested.root, "v1.0")
    assert catalogue == parse_catalogue(V3, "x")
    assert info.path == "data/targets.yaml"
    _, info = revisions.catalogue_at(nested.root, nested.r[1])
    assert info.path == "data/catalogue.yaml"


def test_revisions_during(story: Story) -> None:
    during = revisions.revisions_during(story.root, date(2025, 7, 1), date(2025, 12, 31))
    assert [r.commit for r in during] == [story.r[6], story.r[5], story.r[3]]
    assert revisions.revisions_during(story.root, date(2024, 1, 1), date(2024, 12, 31)) == []


# --- diff --------------------------------------------------------------------------------------


def test_diff_between_tags(story: Story) -> None:
    report = revisions.diff(story.root, "v1.0", "v2.0")
    assert report.from_ == "v1.0" and report.to == "v2.0"
    assert report.from_commit == story.r[3] and report.to_commit == story.r[8]
    assert _kinds(report.changes) == [
        (None, "plan.secretariat_team", "added"),
        ("CT01", "monitors", "changed"),
        ("CT05", "targets.2025", "lowered"),
        ("CT07", "targets.2025", "lowered"),
        ("CT07", "targets.2030", "removed"),
        ("CT10", "indicator", "added"),
    ]
    lowered = report.changes[2]
    assert lowered.old == Target.parse(2025, "≥ 1,0%").model_dump()
    assert lowered.new == {
        "year": 2025,
        "kind": "min",
        "value": 0.8,
        "low": None,
        "high": None,
        "text": "≥ 0,8%",
    }
    assert report.changes[1].old == ["so-khcn"] and report.changes[1].new == ["so-khcn", "vp-tu"]
    removed = report.changes[4]
    assert removed.old is not None and removed.old["text"] == "2%" and removed.new is None
    added = report.changes[5]
    assert added.old is None and added.new["id"] == "CT10"
    assert added.new["targets"][0] == Target.parse(2025, "≥ 10").model_dump()


def test_diff_json_contract(story: Story) -> None:
    dumped = revisions.diff(story.root, "v1.0", "HEAD").model_dump(mode="json")
    assert list(dumped) == ["from", "to", "changes"]
    assert dumped["from"] == "v1.0" and dumped["to"] == "HEAD"
    assert list(dumped["changes"][0]) == ["indicator", "field", "old", "new", "kind"]


def test_diff_reverse_and_rename_and_name_change(story: Story) -> None:
    report = revisions.diff(story.root, story.r[3], story.r[1])
    assert _kinds(report.changes) == [
        ("CT01", "name_vi", "changed"),
        ("CT05", "targets.2030", "lowered"),
    ]
    assert report.changes[0].old == "Tỷ lệ phủ sóng mạng 5G trên địa bàn tỉnh"
    assert report.changes[0].new == "Tỷ lệ phủ sóng 5G trên địa bàn"
    assert revisions.diff(story.root, story.r[1], story.r[2]).changes == []


def test_diff_working_tree_against_head(tmp_path: Path, story: Story) -> None:
    root = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(story.root), str(root))
    assert revisions.diff(root).changes == []
    edited = V8.replace('2030: "100%"', '2030: "95%"')
    (root / "data" / "targets.yaml").write_text(edited, encoding="utf-8")
    report = revisions.diff(root)
    assert report.from_ == "HEAD" and report.to == revisions.WORKTREE and report.to_commit is None
    assert _kinds(report.changes) == [("CT01", "targets.2030", "lowered")]
    # One revision: from it to the working tree.
    report = revisions.diff(root, "v1.0")
    assert ("CT01", "targets.2030", "lowered") in _kinds(report.changes)
    assert ("CT10", "indicator", "added") in _kinds(report.changes)


def test_diff_errors(story: Story, tmp_path: Path) -> None:
    with pytest.raises(GitError) as caught:
        revisions.diff(story.root, "nope")
    assert caught.value.code == "git-unknown-revision"
    with pytest.raises(GitError) as caught:
        revisions.diff(story.root, story.r[0], "HEAD")
    assert caught.value.code == "git-path-missing"
    with pytest.raises(CatalogueError):
        revisions.diff(story.root, "v2.0~1", "v2.0")
    plain = tmp_path / "plain"
    shutil.copytree(story.root / "data", plain / "data")
    with pytest.raises(GitError) as caught:
        revisions.diff(plain)
    assert caught.value.code == "git-not-repository"


def test_compare_created_and_deleted() -> None:
    catalogue = parse_catalogue(BASE, "x")
    created = compare(None, catalogue)
    assert all(c.kind == "added" for c in created)
    fields = [c.field for c in created]
    assert fields[:2] == ["schema", "plan"]
    assert "registry.so-tc" in fields and "groups.I" in fields
    assert [c.indicator for c in created if c.field == "indicator"] == ["CT01", "CT05", "CT07"]
    deleted = compare(catalogue, None)
    assert all(c.kind == "removed" for c in deleted) and len(deleted) == len(created)
    assert compare(catalogue, parse_catalogue(BASE, "y")) == []


def test_compare_registry_and_settings() -> None:
    old = parse_catalogue(BASE, "x")
    text = BASE.replace("members: [dn-viettel]", "members: [dn-viettel, dn-vnpt]").replace(
        "registry:\n",
        "scoring:\n  tolerance: 0.9\nregistry:\n"
        '  - {id: dn-vnpt, kind: enterprise, name_vi: "VNPT", name_en: "VNPT"}\n',
    )
    changes = compare(old, parse_catalogue(text, "y"))
    assert _kinds(changes) == [
        (None, "scoring.tolerance", "changed"),
        (None, "registry.doanh-nghiep-bcvt-cntt", "changed"),
        (None, "registry.dn-vnpt", "added"),
    ]
    assert changes[0].old == 0.95 and changes[0].new == 0.9


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("≥ 60%", "≥ 70%", "raised"),
        ("≥ 60%", "55%", "lowered"),
        ("100%", "≥ 100%", "changed"),
        ("1,0%", "1.0%", "changed"),
        ("0,5 - 1%", "0,5 - 1,5%", "raised"),
        ("0,5 - 1%", "0,4 - 1%", "lowered"),
        ("0,5 - 1%", "0,4 - 1,5%", "changed"),
        ("0,5 - 1%", "≥ 0,8%", "raised"),
        ("Có", "Duy trì/nâng cấp", "changed"),
        ("Có", "≥ 1", "changed"),
    ],
)
def test_target_kind(old: str, new: str, kind: str) -> None:
    assert target_kind(Target.parse(2025, old), Target.parse(2025, new)) == kind
    assert target_kind(None, Target.parse(2025, new)) == "added"
    assert target_kind(Target.parse(2025, old), None) == "removed"


# --- history ------------------------------------------------------------------------------------


def test_history_of_the_catalogue(story: Story) -> None:
    report = revisions.history(story.root)
    assert report.indicator is None
    assert [r.commit for r in report.revisions] == [
        story.r[8],
        story.r[6],
        story.r[5],
        story.r[3],
        story.r[1],
    ]
    by_commit = {r.commit: r for r in report.revisions}
    # The broken revision is skipped, and the repair is compared with the last good one.
    assert [s.commit for s in report.skipped] == [story.r[7]]
    assert report.skipped[0].code == "catalogue-yaml"
    assert report.skipped[0].params["line"] == 90
    assert _kinds(by_commit[story.r[8]].changes) == [("CT05", "targets.2025", "lowered")]
    # The rename changed nothing inside: followed, but not a revision of the targets.
    assert story.r[2] not in by_commit
    assert _kinds(by_commit[story.r[3]].changes) == [
        ("CT01", "name_vi", "changed"),
        ("CT05", "targets.2030", "raised"),
    ]
    created = by_commit[story.r[1]]
    assert created.message == "Catalogue of Kế hoạch 283-KH/TU\n\nFrom the appendix of the plan."
    assert created.author == "Văn phòng Tỉnh ủy"
    assert created.date == "2025-05-22T09:00:00+07:00"
    assert ("CT05", "indicator", "added") in _kinds(created.changes)
    assert "skipped" not in report.model_dump()


def test_history_matches_pairwise_diffs(story: Story) -> None:
    report = revisions.history(story.root)
    for revision in report.revisions[:-1]:
        if revision.commit == story.r[8]:
            continue  # its parent is the broken revision
        assert (
            revision.changes
            == revisions.diff(story.root, f"{revision.commit}~1", revision.commit).changes
        )


def test_history_of_one_indicator(story: Story) -> None:
    report = revisions.history(story.root, "CT05")
    assert report.indicator == "CT05"
    assert [r.commit for r in report.revisions] == [story.r[8], story.r[3], story.r[1]]
    assert all(c.indicator == "CT05" for r in report.revisions for c in r.changes)
    assert _kinds(report.revisions[-1].changes) == [("CT05", "indicator", "added")]
    assert [r.commit for r in revisions.history(story.root, "CT10").revisions] == [story.r[6]]
    assert revisions.history(story.root, "CT55").revisions == []
    with pytest.raises(UsageError) as caught:
        revisions.history(story.root, "5")
    assert caught.value.code == "bad-indicator-option"


def test_history_since_and_until(story: Story) -> None:
    report = revisions.history(story.root, since=date(2025, 9, 15))
    assert [r.commit for r in report.revisions] == [story.r[8], story.r[6], story.r[5]]
    # The first revision kept is still compared with the one before it.
    assert _kinds(report.revisions[-1].changes)[0] == (None, "plan.secretariat_team", "added")
    report = revisions.history(story.root, since=date(2026, 1, 6))
    assert _kinds(report.revisions[0].changes) == [("CT05", "targets.2025", "lowered")]
    assert revisions.history(story.root, since=date(2027, 1, 1)).revisions == []


def test_history_in_a_subfolder(nested: Story) -> None:
    report = revisions.history(nested.root, "CT05")
    assert [r.commit for r in report.revisions] == [nested.r[8], nested.r[3], nested.r[1]]


def test_history_of_a_deleted_catalogue(tmp_path: Path) -> None:
    root = init(tmp_path / "repo")
    commit(root, {"data/targets.yaml": BASE}, "Add", "2025-05-22T09:00:00+07:00")
    commit(root, {"data/targets.yaml": V6}, "Edit", "2025-06-22T09:00:00+07:00")
    assert len(revisions.history(root).revisions) == 2
    commit(root, {"data/targets.yaml": None}, "Delete", "2025-07-22T09:00:00+07:00")
    report = revisions.history(root)
    assert [r.message for r in report.revisions] == ["Delete", "Edit", "Add"]
    assert {c.kind for c in report.revisions[0].changes} == {"removed"}
    with pytest.raises(GitError) as caught:
        revisions.diff(root, "HEAD~1", "HEAD")
    assert caught.value.code == "git-path-missing"


def test_shallow_clone(story: Story, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{story.root}", str(clone))
    with pytest.raises(GitError) as caught:
        revisions.history(clone)
    assert caught.value.code == "git-shallow"
    with pytest.raises(GitError) as caught:
        revisions.diff(clone, "v1.0")
    assert caught.value.code == "git-shallow-revision"
    with pytest.raises(GitError) as caught:
        revisions.catalogue_at(clone, date(2025, 7, 1))
    assert caught.value.code == "git-shallow"
    # What the shallow clone does have still works.
    assert revisions.diff(clone).changes == []
    _, info = revisions.catalogue_at(clone, date(2026, 2, 1))
    assert info.commit == story.r[8]


def test_not_a_repository(story: Story, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(story.root / "data", plain / "data")
    for call in (
        lambda: revisions.history(plain),
        lambda: revisions.catalogue_at(plain, "HEAD"),
        lambda: revisions.catalogue_at(plain, date(2025, 1, 1)),
    ):
        with pytest.raises(GitError) as caught:
            call()
        assert caught.value.code == "git-not-repository"
    catalogue, _ = revisions.catalogue_at(plain)  # the working tree needs no git
    assert catalogue == parse_catalogue(V8, "x")


def test_repository_without_commits(tmp_path: Path) -> None:
    root = init(tmp_path / "empty")
    (root / "data").mkdir()
    (root / "data" / "targets.yaml").write_text(BASE, encoding="utf-8")
    for call in (
        lambda: revisions.catalogue_at(root, date(2025, 1, 1)),
        lambda: revisions.catalogue_at(root, "HEAD"),
        lambda: revisions.diff(root),
    ):
        with pytest.raises(GitError) as caught:
            call()
        assert caught.value.code == "git-unknown-revision"
    assert revisions.history(root).revisions == []
