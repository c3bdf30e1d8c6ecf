"""`plan57 check`: validate the catalogue and the submissions."""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from plan57.cli._app import HUMAN, app, chosen, format_option, lang_option, root_of
from plan57.cli._output import console, emit, github_escape, parse_as_of
from plan57.messages import Lang, text

if TYPE_CHECKING:
    from plan57.findings import CheckReport, Finding


class CheckFormat(enum.StrEnum):
    human = "human"
    github = "github"
    json = "json"
    gitlab = "gitlab"
    md = "md"


@app.command()
def check(
    ctx: typer.Context,
    paths: list[Path] | None = typer.Argument(
        None, help="Tệp hoặc thư mục cần kiểm tra / files or folders to check (default: all)."
    ),
    output_format: str = format_option(CheckFormat, HUMAN),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Ngày kiểm tra / check date, YYYY-MM-DD (default: today)."
    ),
    changed_since: str | None = typer.Option(
        None,
        "--changed-since",
        help="Chỉ kiểm tra thay đổi kể từ phiên bản này / check what changed since REV "
        "(a pull request's base), and refuse changes mixing reporters' folders.",
    ),
    lang: str | None = lang_option(),
) -> None:
    """Kiểm tra danh mục và số liệu nộp / validate the catalogue and the submissions."""
    from plan57 import api
    from plan57.cli._progress import progress_bar

    language: Lang = lang  # type: ignore[assignment]
    shape = chosen(CheckFormat, output_format)
    label = text("progress.check", language)
    with progress_bar(label, language, for_people=shape is CheckFormat.human) as progress:
        report = api.check(
            root_of(ctx),
            as_of=parse_as_of(as_of),
            paths=paths or None,
            changed_since=changed_since,
            progress=progress,
        )
    if shape is CheckFormat.json:
        emit(report.model_dump_json(indent=2, context={"lang": language}))
    elif shape is CheckFormat.github:
        _print_github(report, language)
    elif shape is CheckFormat.gitlab:
        from plan57.output.ci import code_quality_json

        emit(code_quality_json(report, lang=language))
    elif shape is CheckFormat.md:
        from plan57.output.ci import markdown

        emit(markdown(report, language), nl=False)
    else:
        _print_human(report, language)
    raise typer.Exit(0 if report.ok else 1)


def _print_github(report: CheckReport, lang: Lang) -> None:
    for problem in report.problems:
        properties = [f"file={github_escape(problem.file or '', property_value=True)}"]
        if problem.line is not None:
            properties.append(f"line={problem.line}")
        title = problem.code if problem.column is None else f"{problem.code} ({problem.column})"
        properties.append(f"title={github_escape(title, property_value=True)}")
        more = text("label.explain-more", lang, code=problem.code)
        message = github_escape(f"{problem.message(lang)} → {problem.hint(lang)} {more}")
        emit(f"::{problem.severity} {','.join(properties)}::{message}")


def _print_human(report: CheckReport, lang: Lang) -> None:
    """Problems grouped by file; colours on a terminal, plain text anywhere else (CI logs)."""
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        _print_rich(report, lang)
        return
    lines: list[str] = []
    for problem, new_file, location, label in _human_rows(report, lang):
        if new_file:
            lines += ["", problem.file or ""]
        lines.append(f"  {location}{label} {problem.code} {problem.message(lang)}")
        lines.append(
            f"    → {problem.hint(lang)} {text('label.explain-more', lang, code=problem.code)}"
        )
    lines += ["", _summary(report, lang)]
    emit("\n".join(lines))


def _print_rich(report: CheckReport, lang: Lang) -> None:
    from rich.markup import escape

    out = console()
    for problem, new_file, location, label in _human_rows(report, lang):
        if new_file:
            out.print(f"\n[bold]{escape(problem.file or '')}[/bold]")
        colour = "red" if problem.severity == "error" else "yellow"
        out.print(
            f"  {escape(location)}[{colour}]{label}[/{colour}] [dim]{problem.code}[/dim] "
            f"{escape(problem.message(lang))}"
        )
        more = text("label.explain-more", lang, code=problem.code)
        out.print(f"    → {escape(problem.hint(lang))} {more}", style="dim")
    out.print(f"\n{_summary(report, lang)}")


def _human_rows(report: CheckReport, lang: Lang) -> Iterator[tuple[Finding, bool, str, str]]:
    """Each problem, whether it starts a new file, where it is ("line 3, column value: ")."""
    current: str | None = None
    for problem in report.problems:
        where = []
        if problem.line is not None:
            where.append(f"{text('label.line', lang)} {problem.line}")
        if problem.column is not None:
            where.append(f"{text('label.column', lang)} {problem.column}")
        location = f"{', '.join(where)}: " if where else ""
        yield problem, problem.file != current, location, text(f"label.{problem.severity}", lang)
        current = problem.file


def _summary(report: CheckReport, lang: Lang) -> str:
    if report.ok and not report.warnings:
        return text("label.check-ok", lang)
    return text("label.check-summary", lang, errors=report.errors, warnings=report.warnings)
