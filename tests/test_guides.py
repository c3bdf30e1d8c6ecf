"""The guides run as written: every `plan57` command in the README and the docs/ guides.

Each guide's `sh` blocks are run in order, in a copy of the bundled data with its sample
history (scripts/sample_history.py), from the repository's root as a reader would: each
command must end cleanly with status 0. The one step a person does by hand, filling in a
workbook, is done here with what the department guide's pictures show
(scripts/guide_pictures.FILLED). The guide's deadlines are the catalogue's, and its sample
messages are what `check` says.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from clirun import invoke
from conftest import PROJECT
from plan57.catalogue.loading import load_catalogue
from plan57.periods import parse_period
from plan57.submissions.obligations import deadline

GUIDE = PROJECT / "docs" / "huong-dan-don-vi.md"
GUIDES = [
    PROJECT / "README.md",
    GUIDE,
    PROJECT / "docs" / "submissions.md",
    PROJECT / "docs" / "analysts.md",
    PROJECT / "docs" / "secretariat.md",
]
_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _pictures() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "guide_pictures", PROJECT / "scripts" / "guide_pictures.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def commands(guide: Path) -> list[str]:
    """The `plan57 …`, `python scripts/…` and `cp` lines of a guide's sh blocks, in order."""
    found = []
    for block in _BLOCK.findall(guide.read_text("utf-8")):
        for line in block.splitlines():
            command = line.split(" #", 1)[0].strip()
            if command.startswith(
                ("plan57 ", ".venv/bin/python scripts/", "python scripts/", "cp ")
            ):
                found.append(command)
    return found


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "sample"
    script = PROJECT / "scripts" / "sample_history.py"
    subprocess.run([sys.executable, str(script), str(root)], check=True, capture_output=True)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_every_command_of_the_guide_runs_as_written(guide: Path, sample: Path) -> None:
    found = commands(guide)
    assert found, f"{guide.name} shows no plan57 command"
    pictures = _pictures()
    for command in found:
        args = shlex.split(command)[1:]
        if command.startswith("cp "):
            shutil.copyfile(sample / args[0], sample / args[1])
            continue
        if args[0].startswith("scripts/"):
            # One of the project's scripts, with this Python (the reader's .venv/bin/python).
            script = [sys.executable, str(PROJECT / args[0]), *args[1:]]
            subprocess.run(script, check=True, capture_output=True, cwd=sample)
            continue
        if args[0] == "import":
            # The reader fills the workbook in before importing it, as the pictures show.
            for name in args[1:]:
                if name.endswith(".xlsx") and (sample / name).is_file():
                    pictures.fill(sample / name, sample / name)
        if "--install-completion" in args:
            continue  # it writes into the reader's own shell set-up, never a test's business
        # `> FILE` as a shell would: the standard output into the file (never into a home).
        redirect = next((sign for sign in (">", ">>") if sign in args), None)
        into = args[args.index(redirect) + 1] if redirect else None
        args = args[: args.index(redirect)] if redirect else args
        if into and into.startswith("~"):
            into = None
        result = invoke(None, *args)
        assert result.exit_code == 0, (guide.name, command, result.output[-3000:])
        if into:
            (sample / into).write_text(result.stdout, encoding="utf-8")


def test_the_guide_gives_the_catalogues_deadlines() -> None:
    catalogue = load_catalogue(PROJECT / "data" / "targets.yaml")
    rows = re.findall(
        r"^\| [^|]+ \| `(\d{4}(?:Q\d|S\d)?)\.csv` \| (\d\d/\d\d/\d{4}) \| (\d\d/\d\d/\d{4}) \|$",
        GUIDE.read_text("utf-8"),
        re.MULTILINE,
    )
    assert len(rows) >= 6
    for name, end, due in rows:
        period = parse_period(name)
        assert period is not None
        assert period.end.strftime("%d/%m/%Y") == end, name
        assert deadline(catalogue, period.end).strftime("%d/%m/%Y") == due, name


def test_the_guides_sample_messages_are_what_check_says(sample: Path) -> None:
    text = GUIDE.read_text("utf-8")
    shown = re.search(r"^```text\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert shown is not None
    (sample / "data" / "submissions" / "xa-ea-kar" / "2025Q4.csv").write_text(
        'indicator,value,numerator,denominator,note\nCTO7,74.5,566,760,\nCT09,"90,4",357,395,\n'
        "CT40,0.8,388,485,\n",
        encoding="utf-8",
    )
    result = invoke(None, "check", "data/submissions/xa-ea-kar/2025Q4.csv", "--as-of", "2026-01-10")
    assert result.exit_code == 1
    assert result.stdout.strip() == shown.group(1).strip()


def test_the_guides_pictures_are_committed_and_shown() -> None:
    text = GUIDE.read_text("utf-8")
    for name in ("bang-tinh-trong.png", "bang-tinh-da-dien.png"):
        assert f"(huong-dan/{name})" in text
        picture = PROJECT / "docs" / "huong-dan" / name
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_readme_links_the_guides_first_and_keeps_the_two_commands() -> None:
    readme = (PROJECT / "README.md").read_text("utf-8")
    first = readme.index("docs/huong-dan-don-vi.md")
    assert first < readme.index("docs/analysts.md") < readme.index("## Two commands")
    assert "docs/secretariat.md" in readme[: readme.index("## Two commands")]
    assert "make run" in readme and "make test" in readme
    assert len(readme.splitlines()) < 200


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_every_relative_link_of_the_guide_leads_to_a_file(guide: Path) -> None:
    text = guide.read_text("utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target:
            continue
        assert (guide.parent / target).exists(), (guide.name, target)
