"""The examples of docs/api.md run, in order, from the top of a copy of the bundled data
repository committed to git (as a data repository is)."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest

from gitrepo import commit, git, init

PROJECT = Path(__file__).resolve().parents[1]
DOC = PROJECT / "docs" / "api.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def examples() -> list[str]:
    return _BLOCK.findall(DOC.read_text("utf-8"))


def test_the_page_has_an_example_for_every_public_call() -> None:
    import plan57

    code = "\n".join(examples())
    calls = [n for n in plan57.__all__ if n[0].islower()]
    assert [name for name in calls if f"plan57.{name}(" not in code] == []


def test_the_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    init(root)
    shutil.copytree(PROJECT / "data", root / "data")
    git(root, "add", "--all")
    commit(root, {}, "The bundled data", "2026-01-10T09:00:00+07:00")
    monkeypatch.chdir(root)
    monkeypatch.delenv("PLAN57_LANG", raising=False)
    namespace: dict[str, object] = {}
    printed = io.StringIO()
    for number, block in enumerate(examples(), 1):
        with contextlib.redirect_stdout(printed):
            try:
                exec(compile(block, f"docs/api.md example {number}", "exec"), namespace)
            except Exception as error:  # pragma: no cover - the failure message
                pytest.fail(f"docs/api.md example {number} failed: {error!r}\n{block}")
    assert "Traceback" not in printed.getvalue()
    # Nothing under data/ changed: the calls only read.
    assert git(root, "status", "--porcelain") == ""
