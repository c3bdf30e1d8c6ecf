"""The public API (`import plan57`): what it exposes, what importing it costs, and that every
command's `--format json` is the library's result dumped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import plan57
from clirun import invoke
from plan57.periods import today as today_in_province
from revisionrepo import Story, build

FIXTURE = Path(__file__).parent / "data" / "report-repo"
AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("api") / "repo"
    shutil.copytree(FIXTURE, copy)
    return copy


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    return build(tmp_path_factory.mktemp("api-story"))


def test_import_plan57_loads_no_heavy_library() -> None:
    code = (
        "import sys, plan57\n"
        "heavy = ('pandas', 'numpy', 'typer', 'rich', 'jinja2', 'click', 'openpyxl', 'yaml')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLAN57_")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean, check=True
    )
    assert done.stdout.strip() == ""


def test_every_public_name_resolves() -> None:
    calls = {"check", "score", "status", "report", "load_catalogue", "diff", "history", "explain"}
    assert calls | {"Plan57Error", "CheckReport", "ScoreReport", "StatusReport"} <= set(
        plan57.__all__
    )
    for name in plan57.__all__:
        value = getattr(plan57, name)
        assert getattr(value, "__name__", name) == name
    assert set(plan57.__all__) <= set(dir(plan57))
    with pytest.raises(AttributeError):
        plan57.no_such_thing  # noqa: B018


def test_errors_are_one_family() -> None:
    for name in ("CatalogueError", "UsageError", "GitError", "OutputError"):
        assert issubclass(getattr(plan57, name), plan57.Plan57Error)
    with pytest.raises(plan57.CatalogueError):
        plan57.load_catalogue("no/such/targets.yaml")


def test_defaults(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """root is the current folder, as_of today in the province, lang PLAN57_LANG or vi."""
    monkeypatch.chdir(data)
    monkeypatch.delenv("PLAN57_LANG", raising=False)
    today = plan57.check()
    assert today == plan57.check(data, as_of=today_in_province())
    scores = plan57.score(period="2025Q3", as_of=AS_OF)
    assert scores == plan57.score(data, period="2025Q3", as_of=date(2026, 6, 30))
    first = scores.indicators[0]
    assert first.reason() == first.reason("vi")
    monkeypatch.setenv("PLAN57_LANG", "en")
    assert first.reason() == first.reason("en") != first.reason("vi")
    assert plan57.check().problems[0].message() == today.problems[0].message("en")


def test_a_bad_date_is_a_usage_error(data: Path) -> None:
    with pytest.raises(plan57.UsageError) as caught:
        plan57.check(data, as_of="30/06/2026")
    assert caught.value.code == "bad-date"


def test_report_is_a_document(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The report prints when it was made: one fixed time, or the two may straddle a minute.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    html = plan57.report(data, period="2025Q3", format="html", as_of=AS_OF, lang="en")
    assert html.lstrip().lower().startswith("<!doctype html>")
    markdown = plan57.report(data, period="2025Q3", as_of=AS_OF, lang="en")
    cli = invoke(data, "report", "--period", "2025Q3", "--as-of", AS_OF, "--lang", "en")
    assert cli.stdout == markdown


def _same(cli_stdout: str, result: BaseModel | list[Any], lang: str = "vi") -> None:
    """The CLI's JSON is the result dumped the one documented way, texts in `--lang`."""
    context = {"lang": lang}
    if isinstance(result, list):
        expected: Any = [item.model_dump(mode="json", context=context) for item in result]
    else:
        expected = result.model_dump(mode="json", by_alias=True, context=context)
    assert json.loads(cli_stdout) == expected


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_check_json_is_the_library_result(data: Path, lang: str) -> None:
    cli = invoke(data, "check", "--as-of", AS_OF, "--lang", lang, "--format", "json")
    _same(cli.stdout, plan57.check(data, as_of=AS_OF), lang)
    one = data / "data" / "submissions" / "so-tc"
    cli = invoke(data, "check", str(one), "--as-of", AS_OF, "--lang", lang, "--format", "json")
    _same(cli.stdout, plan57.check(data, as_of=AS_OF, paths=[one]), lang)


@pytest.mark.parametrize("period", ["2025Q3", "2025"])
def test_score_json_is_the_library_result(data: Path, period: str) -> None:
    args = ("score", "--period", period, "--as-of", AS_OF, "--lang", "en", "--format", "json")
    _same(invoke(data, *args).stdout, plan57.score(data, period=period, as_of=AS_OF), "en")


def test_status_json_is_the_library_result(data: Path) -> None:
    args = ("status", "--period", "2025Q3", "--as-of", AS_OF, "--lang", "en", "--format", "json")
    _same(
        invoke(data, *args).stdout,
        plan57.status(data, period="2025Q3", as_of=AS_OF),
        "en",
    )


def test_catalogue_json_is_the_library_result(data: Path) -> None:
    catalogue = plan57.load_catalogue(data / "data" / "targets.yaml")
    _same(invoke(data, "catalogue", "--format", "json").stdout, catalogue)
    one = catalogue.indicators[0]
    _same(invoke(data, "catalogue", one.id, "--format", "json").stdout, one)
    _same(invoke(data, "catalogue", "--registry", "--format", "json").stdout, catalogue.registry)


def test_diff_json_is_the_library_result(story: Story) -> None:
    a, b = story.r[3], story.r[8]
    _same(
        invoke(story.root, "diff", a, b, "--format", "json").stdout, plan57.diff(story.root, a, b)
    )
    _same(invoke(story.root, "diff", "--format", "json").stdout, plan57.diff(story.root))


@pytest.mark.parametrize("indicator", [None, "CT05"])
def test_history_json_is_the_library_result(story: Story, indicator: str | None) -> None:
    args = ["history", *([indicator] if indicator else []), "--format", "json"]
    _same(invoke(story.root, *args).stdout, plan57.history(story.root, indicator))
    since = ["history", "--since", "2025-09-01", "--format", "json"]
    _same(invoke(story.root, *since).stdout, plan57.history(story.root, since="2025-09-01"))


@pytest.mark.parametrize("code", [None, "not-a-number"])
def test_explain_json_is_the_library_result(code: str | None) -> None:
    args = ["explain", *([code] if code else []), "--lang", "en", "--format", "json"]
    _same(invoke(None, *args).stdout, plan57.explain(code, lang="en"), "en")


def _neutral(document: Any, texts: set[str]) -> Any:
    """The JSON without its rendered texts: what must not depend on the language."""
    if isinstance(document, dict):
        return {k: _neutral(v, texts) for k, v in document.items() if k not in texts}
    if isinstance(document, list):
        return [_neutral(item, texts) for item in document]
    return document


@pytest.mark.parametrize(
    ("command", "texts"),
    [
        (("check",), {"message", "hint"}),
        (("score", "--period", "2025Q3"), {"name", "reason"}),
        (("status", "--period", "2025Q3"), {"name"}),
    ],
)
def test_results_are_language_neutral(
    data: Path, command: tuple[str, ...], texts: set[str]
) -> None:
    """Only the rendered texts differ between --lang vi and --lang en; codes and parameters
    (findings' `params`, scores' `why`) are the same."""
    args = (*command, "--as-of", AS_OF, "--format", "json", "--lang")
    vi, en = (json.loads(invoke(data, *args, lang).stdout) for lang in ("vi", "en"))
    assert vi != en
    assert _neutral(vi, texts) == _neutral(en, texts)
