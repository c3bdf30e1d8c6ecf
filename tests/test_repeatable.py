"""The same inputs give the same bytes: JSON, tables, CSV and reports.

Not the current directory, the locale, the time zone, the hash seed nor the order in which the
file system lists files may change a single byte. The report's generation time comes from
SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from clirun import invoke
from conftest import PROJECT
from gitrepo import git, init
from plan57.cli._output import parse_as_of

EPOCH = "1772352000"  # 2026-03-01 08:00 UTC
AS_OF = "2026-03-01"
# Everything that prints something the analysts or CI keep, in every format.
COMMANDS: dict[str, list[str]] = {
    "check": ["check", "--as-of", AS_OF],
    "check-json": ["check", "--as-of", AS_OF, "--format", "json"],
    "check-github": ["check", "--as-of", AS_OF, "--format", "github"],
    "check-md": ["check", "--as-of", AS_OF, "--format", "md"],
    "catalogue": ["catalogue"],
    "catalogue-json": ["catalogue", "--format", "json"],
    "score": ["score", "--period", "2025Q4", "--as-of", AS_OF],
    "score-json": ["score", "--period", "2025Q4", "--as-of", AS_OF, "--format", "json"],
    "score-csv": ["score", "--period", "2025Q4", "--as-of", AS_OF, "--format", "csv"],
    "report-md": ["report", "--period", "2025Q4", "--as-of", AS_OF, "--format", "md"],
    "report-html": ["report", "--period", "2025Q4", "--as-of", AS_OF, "--format", "html"],
    "report-en": ["report", "--period", "2025Q4", "--as-of", AS_OF, "--lang", "en"],
    "status-json": ["status", "--period", "2025Q4", "--as-of", AS_OF, "--format", "json"],
    "status-md": ["status", "--period", "2025Q4", "--as-of", AS_OF, "--format", "md"],
    "diff-json": ["diff", "HEAD~1", "HEAD", "--format", "json"],
    "history-json": ["history", "--format", "json"],
}
# Fixed for every run: rich lays tables out to the terminal's width.
STABLE_ENV = {"SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": "120", "NO_COLOR": "1", "PLAN57_LANG": None}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data in git, with a second revision of the catalogue."""
    root = init(tmp_path_factory.mktemp("repeatable") / "repo")
    shutil.copytree(PROJECT / "data", root / "data")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "bundled data", date="2026-01-05T09:00:00+07:00")
    catalogue = root / "data" / "targets.yaml"
    text = catalogue.read_text("utf-8")
    catalogue.write_text(text.replace("tolerance: 0.95", "tolerance: 0.9", 1), encoding="utf-8")
    git(root, "commit", "--quiet", "-am", "tolerance", date="2026-02-05T09:00:00+07:00")
    return root


def run_all(root: Path | None) -> dict[str, tuple[int, bytes]]:
    """Every command in-process; `root` None means: found from the current directory."""
    outputs = {}
    for name, args in COMMANDS.items():
        result = invoke(root, *args, env=STABLE_ENV)
        outputs[name] = (result.exit_code, result.stdout_bytes)
    return outputs


def assert_same(first: dict[str, tuple[int, bytes]], second: dict[str, tuple[int, bytes]]) -> None:
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert not different, different


@pytest.fixture(scope="module")
def baseline(repo: Path) -> dict[str, tuple[int, bytes]]:
    outputs = run_all(repo)
    assert all(code in (0, 1) for code, _ in outputs.values())
    assert all(output for _, output in outputs.values())
    return outputs


def test_same_inputs_same_bytes(repo: Path, baseline: dict[str, tuple[int, bytes]]) -> None:
    assert_same(run_all(repo), baseline)


def test_the_current_directory_does_not_matter(
    repo: Path, baseline: dict[str, tuple[int, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/")
    assert_same(run_all(repo), baseline)
    # Found from a folder deep inside the repository, without --root.
    monkeypatch.chdir(repo / "data" / "submissions" / "so-tc")
    assert_same(run_all(None), baseline)


class _Shuffled:
    """os.scandir with its entries in another order (reversed): what another file system does."""

    calls = 0

    def __init__(self, real: Any, path: Any = ".") -> None:
        with real(path) as entries:
            self._entries = sorted(entries, key=lambda entry: entry.name, reverse=True)
        self._iterator: Iterator[Any] = iter(self._entries)
        type(self).calls += 1

    def __enter__(self) -> _Shuffled:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def __iter__(self) -> _Shuffled:
        return self

    def __next__(self) -> Any:
        return next(self._iterator)

    def close(self) -> None:
        pass


def test_the_order_files_are_listed_in_does_not_matter(
    repo: Path, baseline: dict[str, tuple[int, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_scandir, real_listdir = os.scandir, os.listdir
    monkeypatch.setattr(os, "scandir", lambda path=".": _Shuffled(real_scandir, path))
    monkeypatch.setattr(os, "listdir", lambda path=".": sorted(real_listdir(path), reverse=True))
    _Shuffled.calls = 0
    shuffled = run_all(repo)
    monkeypatch.undo()
    assert _Shuffled.calls > 0  # the submissions really were listed through the shuffle
    assert_same(shuffled, baseline)


@pytest.fixture
def time_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Switch the process's local time zone (TZ and tzset), restored afterwards."""

    def switch(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield switch
    monkeypatch.undo()
    time.tzset()


def test_the_time_zone_does_not_matter(
    repo: Path,
    baseline: dict[str, tuple[int, bytes]],
    time_zone: Any,
) -> None:
    for name in ("Pacific/Kiritimati", "Etc/GMT+12"):
        time_zone(name)
        assert_same(run_all(repo), baseline)


def test_today_is_the_provinces_whatever_the_time_zone(tmp_path: Path, time_zone: Any) -> None:
    # UTC+14 and UTC-12 are 26 hours apart: their calendar dates always differ.
    time_zone("Pacific/Kiritimati")
    east = parse_as_of(None)
    time_zone("Etc/GMT+12")
    west = parse_as_of(None)
    assert east == west == datetime.now(timezone(timedelta(hours=7))).date()
    # A month not over yet: the finding quotes today's date, which must not move with TZ.
    shutil.copytree(PROJECT / "data", tmp_path / "repo" / "data")
    now = datetime.now(UTC) + timedelta(hours=7)
    month = tmp_path / "repo" / f"data/submissions/so-tc/{now.year}M{now.month:02d}.csv"
    month.write_text("indicator,value\nCT30,2\n", encoding="utf-8")
    outputs = []
    for name in ("Pacific/Kiritimati", "Etc/GMT+12"):
        time_zone(name)
        result = invoke(tmp_path / "repo", "check", "--format", "json", "--lang", "en")
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert "is not over yet" in outputs[0]


def test_source_date_epoch_is_the_generation_time(repo: Path) -> None:
    args = COMMANDS["report-en"]
    first = invoke(repo, *args, env=STABLE_ENV).stdout
    later = invoke(repo, *args, env={**STABLE_ENV, "SOURCE_DATE_EPOCH": "1772445600"}).stdout
    assert "Generated 1 Mar 2026 08:00 UTC" in first
    # Two hours and a day later; nothing else differs.
    assert first.replace("Generated 1 Mar 2026 08:00", "Generated 2 Mar 2026 10:00") == later


# Real processes: the locale decides the encoding of the output streams, and the hash seed the
# order of Python's sets; neither can be changed inside this process.
PROCESS_COMMANDS = ("check", "check-json", "score-csv", "report-md", "status-md", "history-json")
LOCALES = {
    "C-no-utf8-mode": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
    "vi_VN.UTF-8": {"LC_ALL": "vi_VN.UTF-8", "LANG": "vi_VN.UTF-8"},
    "en_US.UTF-8": {"LC_ALL": "en_US.UTF-8", "LANG": "en_US.UTF-8"},
}


def _process(root: Path, args: list[str], variant: dict[str, str], seed: str) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHON", "PLAN57_"))}
    env.update({k: v for k, v in STABLE_ENV.items() if v is not None})
    env.update(variant)
    env["PYTHONHASHSEED"] = seed
    completed = subprocess.run(
        [sys.executable, "-m", "plan57", "--root", str(root), *args],
        capture_output=True,
        env=env,
        cwd="/",
        timeout=120,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr.decode("utf-8", "replace")
    assert completed.stderr == b""
    return completed.stdout


@pytest.mark.parametrize("locale_name", list(LOCALES))
def test_the_locale_and_hash_seed_do_not_matter(
    repo: Path, baseline: dict[str, tuple[int, bytes]], locale_name: str
) -> None:
    for seed, name in enumerate(PROCESS_COMMANDS, start=1):
        output = _process(repo, COMMANDS[name], LOCALES[locale_name], str(seed))
        assert output == baseline[name][1], name
