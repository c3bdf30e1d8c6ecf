"""Every command's help, walked the way sqlite-utils tests that every command has help.

The commands are read from the application itself, so a command added later (import, site,
export) is held to the same rules without touching this file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperArgument, TyperOption
from typer.testing import CliRunner

from conftest import DataRepo
from plan57.cli import app
from plan57.cli._app import AUDIENCE_PANELS, AUDIENCES, FORMAT_ALIASES, HUMAN

ROOT = Path(__file__).resolve().parents[1]
GROUP = typer.main.get_command(app)
COMMANDS: dict[str, Any] = dict(GROUP.commands)  # type: ignore[attr-defined]
WIDE = {"COLUMNS": "200", "NO_COLOR": "1"}


@pytest.fixture(autouse=True)
def _plain_help(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typer reads these from the environment once, at import: in CI (GITHUB_ACTIONS) it would
    colour the help, and TERMINAL_WIDTH would fix its width."""
    from typer import rich_utils

    monkeypatch.setattr(rich_utils, "MAX_WIDTH", None)
    monkeypatch.setattr(rich_utils, "FORCE_TERMINAL", False)


def _help(*args: str) -> str:
    result = CliRunner().invoke(app, [*args], env=WIDE)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _context(name: str) -> typer.Context:
    """The context a command runs in under `plan57` (which gives it -h as well as --help)."""
    parent = typer.Context(GROUP, info_name="plan57", **GROUP.context_settings)
    return typer.Context(COMMANDS[name], info_name=name, parent=parent)


def _options(name: str) -> list[TyperOption]:
    return [p for p in COMMANDS[name].get_params(_context(name)) if isinstance(p, TyperOption)]


def test_the_walk_finds_the_commands() -> None:
    assert {"check", "score", "catalogue", "history", "explain"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help_under_both_names(name: str, flag: str) -> None:
    shown = _help(name, flag)
    assert f"plan57 {name}" in shown
    # The summary is bilingual: Vietnamese first, then English after " / ".
    assert " / " in (COMMANDS[name].help or ""), name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_flags_show_no_value_placeholder(name: str) -> None:
    shown = _help(name, "--help")
    assert "<bool>" not in shown
    for option in _options(name):
        if option.is_flag:
            assert not option.display_type_rich(_context(name)), (name, option.opts)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_python_type_shows_as_a_placeholder(name: str) -> None:
    """Files given as arguments read `<file>` or `<path>`, never Python's `<list[Path]>`; a
    text says what it takes (`<date>`, `<period>`), never `<str>`."""
    shown = _help(name, "--help")
    assert "<list[" not in shown and "<Path>" not in shown, name
    assert "<str>" not in shown, name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_says_what_it_is_for(name: str) -> None:
    for param in COMMANDS[name].params:
        if isinstance(param, TyperOption | TyperArgument):
            assert (param.help or "").strip(), (name, param.name)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_choices_are_listed(name: str) -> None:
    shown = _help(name, "--help")
    for option in _options(name):
        if "--lang" in option.opts:
            assert option.metavar == "<vi|en>"
        if "--format" in option.opts:
            assert option.metavar and re.fullmatch(r"<[a-z]+(\|[a-z]+)*>", option.metavar)
            assert option.metavar in shown
            choices = option.metavar.strip("<>").split("|")
            # One vocabulary: the output for people is `human`; old names are only aliases.
            assert not set(choices) & set(FORMAT_ALIASES), (name, choices)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_quiet_verbose_and_lang(name: str) -> None:
    opts = {o for option in _options(name) for o in option.opts}
    assert {"--quiet", "-q", "--verbose", "-v", "-h", "--help"} <= opts
    assert "--lang" in opts


@pytest.mark.parametrize(
    ("where", "lang"),
    [
        (["--lang", "en", "check"], "en"),
        (["check", "--lang", "en"], "en"),
        (["--lang", "en", "check", "--lang", "vi"], "vi"),
    ],
)
def test_lang_before_or_after_the_command_name(repo: DataRepo, where: list[str], lang: str) -> None:
    """As -q and -v: the language given before the command, unless the command is given one."""
    env = {**WIDE, "PLAN57_LANG": None}
    result = CliRunner().invoke(app, ["--root", str(repo.root), *where], env=env)
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert ("lỗi" in last) == (lang == "vi") and ("error" in last) == (lang == "en"), last


def test_the_same_option_means_the_same_thing_everywhere() -> None:
    """An option name takes the same kind of value in every command that has it."""
    kinds: dict[str, set[str]] = defaultdict(set)
    for name in COMMANDS:
        context = _context(name)
        for option in _options(name):
            if "--format" in option.opts:
                continue  # the choices differ by command; the rule above holds them
            shown = str(option.display_type_rich(context))
            # --out names a file or a folder by what the command writes: both are a path.
            kind = "<path>" if shown in ("<file>", "<dir>") else shown
            for opt in option.opts:
                kinds[opt].add(kind)
    assert {opt: kind for opt, kind in kinds.items() if len(kind) > 1} == {}


def test_the_same_idea_has_the_same_option_name_everywhere() -> None:
    """A parameter (output_format, out, period, as_of, …) is spelt the same in every command."""
    spellings: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for name in COMMANDS:
        for option in _options(name):
            if option.name:
                spellings[option.name].add(tuple(sorted(option.opts)))
    assert {name: opts for name, opts in spellings.items() if len(opts) > 1} == {}


def test_format_table_is_a_deprecated_alias_of_human(repo: DataRepo) -> None:
    result = CliRunner().invoke(
        app, ["--root", str(repo.root), "catalogue", "--format", "table", "--lang", "en"], env=WIDE
    )
    assert result.exit_code == 0, result.output
    assert "deprecated" in result.stderr and "--format human" in result.stderr
    same = CliRunner().invoke(
        app, ["--root", str(repo.root), "catalogue", "--format", HUMAN, "--lang", "en"], env=WIDE
    )
    assert same.stdout == result.stdout and same.stderr == ""


def test_a_format_that_is_not_a_choice_is_refused(repo: DataRepo) -> None:
    result = CliRunner().invoke(
        app, ["--root", str(repo.root), "score", "--format", "xml"], env=WIDE
    )
    assert result.exit_code == 2
    assert "human | json | csv" in result.output


def test_top_level_help_groups_commands_by_audience() -> None:
    shown = _help("--help")
    for who, names in AUDIENCES.items():
        present = [n for n in names if n in COMMANDS]
        if not present:
            continue
        panel = shown.index(AUDIENCE_PANELS[who])
        # Commands not yet in the application are not listed under their audience.
        for missing in set(names) - set(COMMANDS):
            assert not re.search(rf"│ {missing}\b", shown)
        for command in present:
            assert shown.index(f"│ {command} ") > panel
    assert "Ví dụ / examples" in shown
    assert "plan57 check data/submissions/so-tc/2025Q4.csv" in shown


def test_every_command_belongs_to_an_audience() -> None:
    placed = {name for names in AUDIENCES.values() for name in names}
    assert set(COMMANDS) - placed == set()


def test_top_level_help_names_the_plan_from_the_catalogue(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    (plan / "data").mkdir(parents=True)
    (plan / "data" / "targets.yaml").write_text(
        'schema: 1\nplan:\n  number: "99-KH/XY"\n  resolution: "12-NQ/TW"\n  baseline_year: 2024\n'
        "groups: []\n",
        "utf-8",
    )
    shown = _help("--root", str(plan), "--help")
    assert "Kế hoạch 99-KH/XY" in shown and "Resolution 12-NQ/TW" in shown
    assert "283-KH/TU" not in shown
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no data/targets.yaml found" in _help("--root", str(empty), "--help")


def test_help_imports_nothing_heavy() -> None:
    """`plan57 --help` (and a command's) stays fast: no pandas, numpy or jinja2."""
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from plan57.cli import app\n"
        "for args in (['--help'], ['check', '--help'], ['report', '-h'], ['explain', '-h']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "print(','.join(m for m in ('pandas', 'numpy', 'jinja2') if m in sys.modules))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLAN57_")}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=clean,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_quiet_does_not_outlive_its_run(repo: DataRepo, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    args = ["--root", str(repo.root), "report", "--period", "2025Q4", "--as-of", "2026-06-30"]
    quiet = CliRunner().invoke(app, ["-q", *args, "--out", str(out)], env=WIDE)
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stderr == ""
    loud = CliRunner().invoke(app, [*args, "--out", str(out), "--lang", "en"], env=WIDE)
    assert "Report written" in loud.stderr


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ('  number: "99-KH/XY"\n  resolution: "12-NQ/TW"\n', ("99-KH/XY", "12-NQ/TW")),
        ("  number: '99-KH/XY'  # quoted\n  resolution: 12-NQ/TW\n", ("99-KH/XY", "12-NQ/TW")),
        ('  number: "99-KH\\u002FXY"\n  resolution: "12-NQ/TW"\n', ("99-KH/XY", "12-NQ/TW")),
        ('  resolution: "12-NQ/TW"\n', None),
        ('  number: "\\e[31m"\n  resolution: "12-NQ/TW"\n', None),
    ],
)
def test_the_plan_is_read_from_its_block(
    tmp_path: Path, block: str, expected: tuple[str, str] | None
) -> None:
    from plan57.repository import plan_number

    (tmp_path / "data").mkdir()
    catalogue = tmp_path / "data" / "targets.yaml"
    catalogue.write_text(f"schema: 1\nplan:\n{block}\ngroups: []\n", "utf-8")
    assert plan_number(tmp_path) == expected
    catalogue.unlink()
    catalogue.symlink_to(tmp_path / "elsewhere.yaml")
    assert plan_number(tmp_path) is None


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_silences_the_deprecation_note(repo: DataRepo, where: str) -> None:
    args = ["catalogue", "--format", "table"]
    args = ["-q", *args] if where == "before" else [*args, "-q"]
    result = CliRunner().invoke(app, ["--root", str(repo.root), *args], env=WIDE)
    assert result.exit_code == 0 and result.stderr == ""
