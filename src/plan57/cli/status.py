"""`plan57 status`: who owes what for a period, what came in, and whether it came on time."""

from __future__ import annotations

import enum

import typer

from plan57.cli._app import HUMAN, app, chosen, format_option, lang_option, root_of
from plan57.cli._output import console, emit, parse_as_of
from plan57.messages import Lang, text


class StatusFormat(enum.StrEnum):
    human = "human"
    md = "md"
    json = "json"


@app.command()
def status(
    ctx: typer.Context,
    period: str = typer.Option(..., "--period", help="Kỳ báo cáo / period: 2025, 2025Q4, …"),
    output_format: str = format_option(StatusFormat, HUMAN),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Tính đến ngày / as of, YYYY-MM-DD (default: today)."
    ),
    lang: str | None = lang_option(),
) -> None:
    """Tình hình nộp số liệu của một kỳ / completeness and timeliness of a period."""
    from plan57 import api
    from plan57.catalogue.loading import load_catalogue
    from plan57.repository import CATALOGUE
    from plan57.submissions.status import notes, render_markdown, table_header, table_rows

    language: Lang = lang  # type: ignore[assignment]
    shape = chosen(StatusFormat, output_format)
    root = root_of(ctx)
    report = api.status(root, period=period, as_of=parse_as_of(as_of))
    if shape is StatusFormat.json:
        emit(report.model_dump_json(indent=2, context={"lang": language}))
        return
    catalogue = load_catalogue(root / CATALOGUE)
    if shape is StatusFormat.md:
        emit(render_markdown(report, catalogue, language), nl=False)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=text("label.status-title", language, period=report.period))
    for index, name in enumerate(table_header(language)):
        justify = "right" if index in (1, 2, 5) else "left"
        table.add_column(name, overflow="fold", justify=justify)  # type: ignore[arg-type]
    rows = table_rows(report, language)
    for index, row in enumerate(rows):
        last = index == len(rows) - 1
        table.add_row(
            *(escape(cell) for cell in row),
            end_section=index == len(rows) - 2,
            style="bold" if last else None,
        )
    out = console()
    out.print(table)
    for line in notes(report, catalogue, language):
        out.print(escape(line))
