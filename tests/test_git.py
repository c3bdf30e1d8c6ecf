"""plan57.git: running git safely, reading history in one call and blobs through one process."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from gitrepo import commit, git, init
from plan57 import git as g
from plan57.errors import GitError
from plan57.messages import error_hint


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init(tmp_path / "repo")
    commit(root, {"data/t.yaml": "a: 1\n"}, "First\n\nWith a body.", "2025-01-10T09:00:00+07:00")
    commit(root, {"data/t.yaml": "a: 2\n", "other.txt": "x"}, "Second", "2025-02-10T09:00:00+07:00")
    git(root, "mv", "data/t.yaml", "data/targets.yaml")
    commit(root, {}, "Rename", "2025-03-10T09:00:00+07:00")
    commit(root, {"data/targets.yaml": "a: 3\n"}, "Fourth", "2025-04-10T23:30:00+07:00")
    git(root, "tag", "v1")
    return root


def test_repository_probes(repo: Path, tmp_path: Path) -> None:
    assert g.is_repository(repo)
    assert g.is_repository(repo / "data")
    assert not g.is_repository(tmp_path)
    assert not g.is_shallow(repo)
    assert g.prefix(repo / "data") == "data/"


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError) as caught:
        g.require_repository(tmp_path)
    assert caught.value.code == "git-not-repository"
    with pytest.raises(GitError) as caught:
        g.resolve(tmp_path, "HEAD")
    assert caught.value.code == "git-not-repository"


def test_git_missing(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "nowhere"))
    with pytest.raises(GitError) as caught:
        g.run_git(repo, "status")
    assert caught.value.code == "git-missing"
    assert not g.is_repository(repo)


def test_resolve(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    assert g.resolve(repo, "HEAD") == head
    assert g.resolve(repo, "v1") == head
    assert g.resolve(repo, "HEAD~3") == git(repo, "rev-list", "--max-parents=0", "HEAD")
    for bad in ["nope", "HEAD~9", "-h", "--output=/tmp/x", "HEAD\nHEAD", " HEAD", ""]:
        with pytest.raises(GitError) as caught:
            g.resolve(repo, bad)
        assert caught.value.code == "git-unknown-revision", bad


def test_option_like_revision_never_reaches_git(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "written"
    with pytest.raises(GitError):
        g.log(repo, f"--output={target}")
    assert not target.exists()


def test_log_fields(repo: Path) -> None:
    commits = g.log(repo)
    assert [c.subject for c in commits] == ["Fourth", "Rename", "Second", "First"]
    first = commits[-1]
    assert first.message == "First\n\nWith a body."
    assert first.author == "Văn phòng Tỉnh ủy"
    assert first.email == "secretariat@example.org"
    assert first.date == datetime(2025, 1, 10, 9, tzinfo=timezone(timedelta(hours=7)))
    assert first.author_date == first.date
    assert [c.subject for c in g.log(repo, paths=("other.txt",))] == ["Second"]
    assert [c.subject for c in g.log(repo, reverse=True, max_count=2)] == ["First", "Second"]


def test_path_history_follows_renames(repo: Path) -> None:
    changes = g.path_history(repo, "data/targets.yaml")
    assert [(c.commit.subject, c.status) for c in changes] == [
        ("Fourth", "M"),
        ("Rename", "R"),
        ("Second", "M"),
        ("First", "A"),
    ]
    rename = changes[1]
    assert (rename.old_path, rename.new_path) == ("data/t.yaml", "data/targets.yaml")
    assert rename.old_blob == rename.new_blob
    assert changes[-1].old_blob is None and changes[-1].old_path is None
    # Consecutive revisions chain: each one's old blob is the previous one's new blob.
    for newer, older in itertools.pairwise(changes):
        assert newer.old_blob == older.new_blob


def test_path_history_from_a_subfolder(repo: Path) -> None:
    changes = g.path_history(repo / "data", "targets.yaml")
    assert len(changes) == 4
    assert changes[0].new_path == "data/targets.yaml"


def test_blob_reader(repo: Path) -> None:
    changes = g.path_history(repo, "data/targets.yaml")
    with g.BlobReader(repo) as reader:
        contents = [reader.read(c.new_blob or "") for c in changes]
        assert reader.read("HEAD~3:data/t.yaml") == b"a: 1\n"
        assert reader.read("0" * 40) is None
        assert reader.read("HEAD:missing") is None
        assert reader.read("bad\nname") is None
    assert contents == [b"a: 3\n", b"a: 2\n", b"a: 2\n", b"a: 1\n"]


def test_blob_reader_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError) as caught, g.BlobReader(tmp_path) as reader:
        reader.read("HEAD:x")
    assert caught.value.code == "git-not-repository"


def test_shallow_clone(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{repo}", str(clone))
    assert g.is_shallow(clone)
    with pytest.raises(GitError) as caught:
        g.resolve(clone, "HEAD~2")
    assert caught.value.code == "git-shallow-revision"
    assert "git fetch --unshallow" in error_hint(caught.value, "en")
    assert "git fetch --unshallow" in error_hint(caught.value, "vi")


def test_blob_reader_read_many(repo: Path) -> None:
    changes = g.path_history(repo, "data/targets.yaml")
    names = [c.new_blob or "" for c in changes] + ["0" * 40, "bad\nname", "HEAD:data/targets.yaml"]
    with g.BlobReader(repo) as reader:
        answers = list(reader.read_many(names))
        # The same process keeps answering after a batch.
        assert reader.read("HEAD~3:data/t.yaml") == b"a: 1\n"
    assert [name for name, _ in answers] == names
    assert [data for _, data in answers] == [
        b"a: 3\n",
        b"a: 2\n",
        b"a: 2\n",
        b"a: 1\n",
        None,
        None,
        b"a: 3\n",
    ]


def test_blob_reader_left_mid_batch(repo: Path) -> None:
    big = "x" * 200_000
    commit(repo, {"big.txt": big}, "Big", "2025-05-10T09:00:00+07:00")
    with g.BlobReader(repo) as reader:
        for _, data in reader.read_many(["HEAD:big.txt"] * 50):
            assert data == big.encode()
            break  # git is still writing answers nobody will read: closing must not hang
