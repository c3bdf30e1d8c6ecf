"""`plan57 report`: the period report, as Markdown, one self-contained HTML file, or the Word
document the secretariat signs (docx), also printed to PDF by LibreOffice (pdf)."""

from __future__ import annotations

import enum
from pathlib import Path

import typer

from plan57.cli._app import app, chosen, format_option, lang_option, quiet, root_of
from plan57.cli._output import emit, format_for, parse_as_of, tell
from plan57.cli.score import AS_OF_HELP, PERIOD_HELP, TARGETS_AT_HELP
from plan57.errors import UsageError
from plan57.messages import Lang, text


class ReportFormat(enum.StrEnum):
    md = "md"
    html = "html"
    docx = "docx"
    pdf = "pdf"


# What each file extension of --out means; another extension takes --format (else md).
_EXTENSIONS = {
    ".md": ReportFormat.md,
    ".markdown": ReportFormat.md,
    ".html": ReportFormat.html,
    ".htm": ReportFormat.html,
    ".docx": ReportFormat.docx,
    ".pdf": ReportFormat.pdf,
}


class Grouping(enum.StrEnum):
    group = "group"
    monitor = "monitor"
    lead = "lead"
    responsible = "responsible"


@app.command()
def report(
    ctx: typer.Context,
    period: str = typer.Option(..., "--period", help=PERIOD_HELP),
    output_format: str | None = format_option(
        ReportFormat,
        None,
        help="Định dạng / format: md | html | docx | pdf (default: from the --out file's extension, else md).",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Ghi vào tệp / write to this file (default: standard output).",
        dir_okay=False,
    ),
    by: Grouping = typer.Option(
        Grouping.group, "--by", help="Nhóm theo / group by: group | monitor | lead | responsible."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    targets_at: str | None = typer.Option(None, "--targets-at", help=TARGETS_AT_HELP),
    lang: str | None = lang_option(),
) -> None:
    """Báo cáo tiến độ theo kỳ / the period report for the steering committee."""
    from plan57 import api
    from plan57.cli._changes import tell_skipped
    from plan57.files import write_atomic

    language: Lang = lang  # type: ignore[assignment]
    asked = chosen(ReportFormat, output_format) if output_format else None
    shape = format_for(out, asked, _EXTENSIONS, ReportFormat.md)
    if shape in (ReportFormat.docx, ReportFormat.pdf) and out is None:
        raise UsageError("report-docx-stdout")
    document = api.report(
        root_of(ctx),
        period=period,
        format=shape.value,
        by=by.value,
        as_of=parse_as_of(as_of),
        lang=language,
        targets_at=targets_at,
        notes=tell_skipped(language),
    )
    if out is None:
        assert isinstance(document, str)
        emit(document, nl=False)
        return
    write_atomic(out, document if isinstance(document, bytes) else document.encode("utf-8"))
    if not quiet():
        tell(text("report.written", language, path=str(out)))
