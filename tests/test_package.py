"""The built package carries what it loads through the package: templates and assets."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_carries_the_templates_and_assets(tmp_path: Path) -> None:
    if not (PROJECT / ".git").exists():
        pytest.skip("needs the git checkout, to build from its tracked files")
    # Built from a copy of the tracked files: an in-tree build would write into the checkout.
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT, capture_output=True, check=True
    ).stdout.split(b"\0")
    source = tmp_path / "source"
    for name in filter(None, tracked):
        path = PROJECT / name.decode()
        if not path.exists() and not path.is_symlink():
            continue
        copy = source / name.decode()
        copy.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            copy.symlink_to(path.readlink())
        else:
            shutil.copyfile(path, copy)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), "."],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("plan57-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.name for p in (PROJECT / "src" / "plan57" / "templates").iterdir()}
    assert {f"plan57/templates/{name}" for name in templates} <= names
    assert {
        "plan57/assets/methodology.md",
        "plan57/assets/gitattributes",
        "plan57/assets/ci/github/plan57.yml",
        "plan57/assets/ci/gitlab/plan57.gitlab-ci.yml",
        "plan57/catalogue/data/units-2025.csv",
        "plan57/py.typed",
    } <= names
    # What the links point to is in the wheel as a file, not as a link out of the package.
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("plan57/assets/methodology.md").decode("utf-8")
    assert shipped == (PROJECT / "docs" / "methodology.md").read_text("utf-8")
