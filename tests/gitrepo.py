"""Small git repositories for tests, built with fixed identities and dates.

Nothing here depends on the user's global git configuration: identity, dates, the default
branch and signing are all set on each command.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

IDENTITY = {
    "GIT_AUTHOR_NAME": "Văn phòng Tỉnh ủy",
    "GIT_AUTHOR_EMAIL": "secretariat@example.org",
    "GIT_COMMITTER_NAME": "Văn phòng Tỉnh ủy",
    "GIT_COMMITTER_EMAIL": "secretariat@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ, **IDENTITY)
    if date is not None:
        env["GIT_AUTHOR_DATE"] = date
        env["GIT_COMMITTER_DATE"] = date
    completed = subprocess.run(
        ["git", "-C", str(root), "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return completed.stdout.strip()


def init(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "--quiet", "--initial-branch=main")
    return root


def commit(root: Path, files: dict[str, str | bytes | None], message: str, date: str) -> str:
    """Write (or, for None, delete) `files`, commit them all at `date`, return the commit id."""
    for name, content in files.items():
        path = root / name
        if content is None:
            git(root, "rm", "--quiet", "--", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        git(root, "add", "--", name)
    git(root, "commit", "--quiet", "--allow-empty", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD")
