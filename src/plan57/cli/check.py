"""`plan57 check`: validate the catalogue and the submissions."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from plan57.cli._app import app, lang_option, root_of
from plan57.cli._output import console, github_escape, parse_as_of
from plan57.messages import Lang, text

if TYPE_CHECKING:
    from plan57.findings import CheckReport


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
    output_format: CheckFormat = typer.Option(
        CheckFormat.human, "--format", help="human | github | json | gitlab | md"
    ),
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
    from plan57.submissions import expand_paths
    from plan57.validate import check_repository

    language: Lang = lang  # type: ignore[assignment]
    root = root_of(ctx)
    chosen = expand_paths(root, paths) if paths else None
    report = check_repository(
        root,
        as_of=parse_as_of(as_of),
        lang=language,
        paths=chosen,
        changed_since=changed_since,
    ).report
    if output_format is CheckFormat.json:
        typer.echo(report.model_dump_json(indent=2))
    elif output_format is CheckFormat.github:
        _print_github(report)
    elif output_format is CheckFormat.gitlab:
        from plan57.ci import code_quality_json

        typer.echo(code_quality_json(report))
    elif output_format is CheckFormat.md:
        from plan57.ci import markdown

        typer.echo(markdown(report, language), nl=False)
    else:
        _print_human(report, language)
    raise typer.Exit(0 if report.ok else 1)


def _print_github(report: CheckReport) -> None:
    for problem in report.problems:
        properties = [f"file={github_escape(problem.file or '', property_value=True)}"]
        if problem.line is not None:
            properties.append(f"line={problem.line}")
        title = problem.code if problem.column is None else f"{problem.code} ({problem.column})"
        properties.append(f"title={github_escape(title, property_value=True)}")
        message = github_escape(f"{problem.message} → {problem.hint}")
        typer.echo(f"::{problem.severity} {','.join(properties)}::{message}")


def _print_human(report: CheckReport, lang: Lang) -> None:
    from rich.markup import escape

    out = console()
    current: str | None = None
    for problem in report.problems:
        if problem.file != current:
            current = problem.file
            out.print(f"\n[bold]{escape(current or '')}[/bold]")
        where = []
        if problem.line is not None:
            where.append(f"{text('label.line', lang)} {problem.line}")
        if problem.column is not None:
            where.append(f"{text('label.column', lang)} {problem.column}")
        colour = "red" if problem.severity == "error" else "yellow"
        label = text(f"label.{problem.severity}", lang)
        location = ", ".join(where)
        prefix = f"  {location}: " if location else "  "
        out.print(
            f"{escape(prefix)}[{colour}]{label}[/{colour}] [dim]{problem.code}[/dim] "
            f"{escape(problem.message)}"
        )
        out.print(f"    → {escape(problem.hint)}", style="dim")
    summary = text("label.check-summary", lang, errors=report.errors, warnings=report.warnings)
    if report.ok and not report.warnings:
        summary = text("label.check-ok", lang)
    out.print(f"\n{summary}")
