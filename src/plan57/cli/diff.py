"""`plan57 diff`: what changed in the catalogue between two revisions, by indicator."""

from __future__ import annotations

import enum

import typer

from plan57.cli._app import HUMAN, app, chosen, format_option, lang_option, root_of
from plan57.messages import Lang


class DiffFormat(enum.StrEnum):
    human = "human"
    md = "md"
    json = "json"


@app.command()
def diff(
    ctx: typer.Context,
    rev_a: str | None = typer.Argument(
        None, help="Phiên bản gốc / the older revision (default: HEAD)."
    ),
    rev_b: str | None = typer.Argument(
        None, help="Phiên bản mới / the newer revision (default: the working tree)."
    ),
    output_format: str = format_option(DiffFormat, HUMAN),
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Thoát với mã 1 nếu có thay đổi / exit 1 when there are changes."
    ),
    lang: str | None = lang_option(),
) -> None:
    """So sánh danh mục giữa hai phiên bản / semantic diff of the catalogue between revisions."""
    from plan57 import api
    from plan57.cli import _changes
    from plan57.cli._output import console, emit

    language: Lang = lang  # type: ignore[assignment]
    shape = chosen(DiffFormat, output_format)
    report = api.diff(root_of(ctx), rev_a, rev_b)
    if shape is DiffFormat.json:
        emit(report.model_dump_json(indent=2))
    elif shape is DiffFormat.md:
        emit(_changes.diff_markdown(report, language), nl=False)
    else:
        _changes.print_diff(report, language, console())
    raise typer.Exit(1 if exit_code and report.changes else 0)
