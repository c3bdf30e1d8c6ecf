"""Replay the bundled sample submissions into a git repository, each on a plausible day.

`plan57 status` judges timeliness by the day a submission was first committed. The sample
files were all committed to this repository long after their deadlines, so in this
repository's own history every reporter is late. This script builds a separate repository
(default `out/sample-history`) with the same catalogue and files, committed one reporter and
period at a time on the day a department would have sent it: most within the deadline, some
late, and a few latest-period files not sent at all. `make run` builds it and shows its status:

    python scripts/sample_history.py out/sample-history
    plan57 --root out/sample-history status --period 2025Q4

The days come from a hash of each file's path, so every run builds the same history.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = Path("data") / "submissions"
CATALOGUE = Path("data") / "targets.yaml"
# The catalogue was adopted with the plan, and submissions follow it.
CATALOGUE_DAY = date(2025, 5, 22)
IDENTITY = {
    "GIT_AUTHOR_NAME": "plan57 sample history",
    "GIT_AUTHOR_EMAIL": "sample-history@example.org",
    "GIT_COMMITTER_NAME": "plan57 sample history",
    "GIT_COMMITTER_EMAIL": "sample-history@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "out" / "sample-history"
    sys.path.insert(0, str(ROOT / "src"))
    from plan57.catalogue.loading import load_catalogue
    from plan57.periods import parse_period

    catalogue = load_catalogue(ROOT / CATALOGUE)
    deadline_days = catalogue.submission.deadline_days
    files = sorted((ROOT / SUBMISSIONS).glob("*/*.csv"))
    latest = max(_period_end(parse_period, f) for f in files)
    plan: list[tuple[date, Path]] = []
    for path in files:
        end = _period_end(parse_period, path)
        day = _sent_on(path.relative_to(ROOT).as_posix(), end, deadline_days, end == latest)
        if day is not None:
            plan.append((day, path))
    if out.exists():
        shutil.rmtree(out)
    (out / CATALOGUE).parent.mkdir(parents=True)
    _git(out, "init", "--quiet", "--initial-branch=main")
    shutil.copyfile(ROOT / CATALOGUE, out / CATALOGUE)
    _commit(out, [CATALOGUE], "Danh mục chỉ tiêu Kế hoạch 283-KH/TU", CATALOGUE_DAY)
    for day, path in sorted(plan, key=lambda item: (item[0], item[1])):
        relative = path.relative_to(ROOT)
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / relative)
        reporter, period = relative.parent.name, relative.stem
        _commit(out, [relative], f"{reporter}: số liệu kỳ {period}", day)
    left_out = len(files) - len(plan)
    print(f"{out}: {len(plan)} submissions committed on their days, {left_out} not sent")
    return 0


def _period_end(parse_period: object, path: Path) -> date:
    period = parse_period(path.stem)  # type: ignore[operator]
    assert period is not None, path
    end: date = period.end
    return end


def _sent_on(name: str, end: date, deadline_days: int, latest: bool) -> date | None:
    """The day `name` was sent: seven in ten on time, two late, and one in ten of the latest
    period's files not sent yet (earlier ones all arrived, some late)."""
    draw = int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16)
    share, spread = draw % 10, (draw // 10) % 1000
    if share == 9 and latest:
        return None
    if share >= 7:
        return end + timedelta(days=deadline_days + 1 + spread % 40)
    return end + timedelta(days=1 + spread % deadline_days)


def _commit(root: Path, paths: list[Path], message: str, day: date) -> None:
    stamp = f"{day.isoformat()}T10:00:00+07:00"
    _git(root, "add", "--", *(p.as_posix() for p in paths))
    _git(root, "commit", "--quiet", "--no-verify", "-m", message, stamp=stamp)


def _git(root: Path, *args: str, stamp: str | None = None) -> None:
    env = dict(os.environ, **IDENTITY)
    if stamp is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = stamp
    subprocess.run(
        ["git", "-C", str(root), "-c", "commit.gpgsign=false", *args], env=env, check=True
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv))
