"""`plan57 history`: every revision of the catalogue (or of one indicator), newest first."""

from __future__ import annotations

import enum
import sys

import typer

from plan57.cli._app import HUMAN, app, chosen, format_option, lang_option, root_of
from plan57.messages import Lang, text


class HistoryFormat(enum.StrEnum):
    human = "human"
    md = "md"
    json = "json"


@app.command()
def history(
    ctx: typer.Context,
    indicator: str | None = typer.Argument(
        None, help="Mã chỉ tiêu / indicator id, e.g. CT05 (default: the whole catalogue)."
    ),
    since: str | None = typer.Option(
        None, "--since", help="Từ ngày / revisions from this day on, YYYY-MM-DD."
    ),
    output_format: str = format_option(HistoryFormat, HUMAN),
    lang: str | None = lang_option(),
) -> None:
    """Lịch sử sửa đổi danh mục chỉ tiêu / the revisions of the targets, newest first."""
    from plan57 import api
    from plan57.cli import _changes
    from plan57.cli._output import console, emit, parse_as_of
    from plan57.cli._progress import progress_bar

    language: Lang = lang  # type: ignore[assignment]
    shape = chosen(HistoryFormat, output_format)
    start = parse_as_of(since) if since is not None else None
    label = text("progress.history", language)
    with progress_bar(label, language, for_people=shape is HistoryFormat.human) as progress:
        report = api.history(root_of(ctx), indicator, since=start, progress=progress)
    if shape is HistoryFormat.json:
        emit(report.model_dump_json(indent=2))
    elif shape is HistoryFormat.md:
        emit(_changes.history_markdown(report, language), nl=False)
    elif _terminal():
        _changes.print_history(report, language, console())
    else:
        emit(_changes.history_text(report, language), nl=False)


def _terminal() -> bool:
    """Whether people read the output as it comes (a rich table), or a pipe or file takes it."""
    return sys.stdout.isatty()
