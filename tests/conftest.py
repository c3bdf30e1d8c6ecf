"""Shared test helpers: small data repositories built in tmp_path around a frozen test catalogue."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

PROJECT = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"
# The live catalogue: only test_catalogue.py holds it against the plan's appendix.
REAL_CATALOGUE = PROJECT / "data" / "targets.yaml"
# Every other test reads this frozen copy, so that revising the live targets breaks no test
# that is not about them (refresh it by copying data/targets.yaml when a test needs to).
CATALOGUE_ROOT = TEST_DATA / "catalogue"
CATALOGUE = CATALOGUE_ROOT / "data" / "targets.yaml"
FINDINGS = TEST_DATA / "findings"
# The check date of the tests: 2026Q2 is over, 2026Q3 is not.
AS_OF = date(2026, 6, 30)


# Property tests: a fast profile while developing (a few examples each), the thorough one in CI
# (.ci/run sets CI, as GitHub Actions and GitLab do) or with HYPOTHESIS_PROFILE=thorough.
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
_DEV_EXAMPLES = 8
settings.register_profile("thorough", deadline=None, suppress_health_check=_QUIET)
settings.register_profile(
    "dev", max_examples=_DEV_EXAMPLES, deadline=None, suppress_health_check=_QUIET
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("thorough" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


def examples(thorough: int) -> int:
    """How many examples a property test tries: `thorough` in the thorough profile, a few in
    the development one."""
    return thorough if PROFILE == "thorough" else min(thorough, _DEV_EXAMPLES)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every property test is `slow`: `pytest -m "not slow"` is the quick loop."""
    for item in items:
        function = getattr(item, "function", None)
        if getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)


@dataclass(frozen=True)
class DataRepo:
    """A data repository in a temporary folder: data/targets.yaml and data/submissions/."""

    root: Path

    @property
    def catalogue(self) -> Path:
        return self.root / "data" / "targets.yaml"

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def submit(self, reporter: str, period: str, content: str | bytes) -> Path:
        return self.write(f"data/submissions/{reporter}/{period}.csv", content)


def make_repo(root: Path, fixture: Path | None = None) -> DataRepo:
    """A repository at `root`: the fixture's files (if any), and the frozen test catalogue
    unless the fixture brings its own."""
    if fixture is not None:
        shutil.copytree(fixture, root, symlinks=True)
    (root / "data" / "submissions").mkdir(parents=True, exist_ok=True)
    repo = DataRepo(root)
    if not repo.catalogue.exists():
        shutil.copyfile(CATALOGUE, repo.catalogue)
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> DataRepo:
    """An empty data repository with the frozen test catalogue."""
    return make_repo(tmp_path / "repo")


def nest(folder: Path, depth: int, name: str = "d") -> None:
    """`depth` folders named `name` inside each other under `folder`, made without recursion
    (os.makedirs recurses, and so does shutil.rmtree: `unnest` removes them again)."""
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=descriptor)
            inner = os.open(name, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
    finally:
        os.close(descriptor)


def unnest(folder: Path, name: str = "d") -> None:
    """Remove what `nest` made under `folder`, deepest first, without recursion."""
    chain = [os.open(folder, os.O_RDONLY)]
    try:
        while True:
            try:
                chain.append(os.open(name, os.O_RDONLY, dir_fd=chain[-1]))
            except FileNotFoundError:
                break
        while len(chain) > 1:
            os.close(chain.pop())
            os.rmdir(name, dir_fd=chain[-1])
    finally:
        for descriptor in chain:
            os.close(descriptor)
