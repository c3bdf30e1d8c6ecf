"""`plan57 export`: the open data (observations, scores, targets, registry) as files."""

from __future__ import annotations

import enum
from pathlib import Path

import typer

from plan57.cli._app import app, chosen, format_option, lang_option, root_of
from plan57.cli._output import parse_as_of, tell
from plan57.cli.score import AS_OF_HELP
from plan57.messages import Lang, text


class ExportFormat(enum.StrEnum):
    csv = "csv"
    parquet = "parquet"
    json = "json"
    all = "all"


@app.command()
def export(
    ctx: typer.Context,
    out: Path = typer.Option(
        ..., "--out", help="Thư mục ghi dữ liệu / the folder to write to.", file_okay=False
    ),
    output_format: str = format_option(
        ExportFormat,
        ExportFormat.all.value,
        help="csv (with datapackage.json) | parquet | json | all",
    ),
    period: str | None = typer.Option(
        None,
        "--period",
        help=(
            "Điểm đến kỳ / scores up to this period "
            "(default: the latest quarter whose reporting deadline has passed)."
        ),
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    lang: str | None = lang_option(),
) -> None:
    """Xuất dữ liệu mở / the open data: CSV with a data package, Parquet, JSON."""
    from plan57.cli._changes import tell_skipped
    from plan57.cli._progress import phased_bar
    from plan57.output.opendata import FORMATS, export_repository

    language: Lang = lang  # type: ignore[assignment]
    shape = chosen(ExportFormat, output_format)
    formats = FORMATS if shape is ExportFormat.all else (shape.value,)
    with phased_bar(language) as progress:
        written = export_repository(
            root_of(ctx),
            out,
            as_of=parse_as_of(as_of),
            period=period,
            formats=formats,  # type: ignore[arg-type]
            progress=progress,
            notes=tell_skipped(language),
        )
    tell(text("export.written", language, files=len(written), path=str(out)))
