"""`plan57 template`: the form a reporter fills in for one period, as CSV or as a workbook."""

from __future__ import annotations

import enum
import sys
from pathlib import Path

import typer

from plan57.cli._app import app, chosen, format_option, lang_option, quiet, root_of
from plan57.cli._output import emit, format_for, tell
from plan57.messages import Lang, text


class TemplateFormat(enum.StrEnum):
    csv = "csv"
    xlsx = "xlsx"


# `--out so-tc-2025Q4.xlsx` is a workbook without --format; `--format csv` into it is refused.
_EXTENSIONS = {".csv": TemplateFormat.csv, ".xlsx": TemplateFormat.xlsx}


@app.command()
def template(
    ctx: typer.Context,
    reporter: str = typer.Option(..., "--reporter", help="Mã đơn vị / reporter id, e.g. so-tc."),
    period: str = typer.Option(
        ..., "--period", help="Kỳ báo cáo / period: 2025, 2025S1, 2025Q4, 2025M01."
    ),
    output_format: str | None = format_option(
        TemplateFormat,
        None,
        help="csv | xlsx (bảng tính Excel có quy tắc nhập / an Excel workbook with input rules; "
        "default: from the --out file's extension, else csv).",
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Tệp ghi ra / file to write (default: standard output; for xlsx REPORTER-PERIOD.xlsx).",
        dir_okay=False,
    ),
    force: bool = typer.Option(
        False, "--force", help="Ghi đè tệp đã có / overwrite an existing file."
    ),
    lang: str | None = lang_option(),
) -> None:
    """Tạo mẫu để điền số liệu (CSV hoặc Excel) / write the form a reporter fills in."""
    from plan57.catalogue.loading import load_catalogue
    from plan57.errors import UsageError
    from plan57.files import write_atomic
    from plan57.repository import CATALOGUE

    language: Lang = lang  # type: ignore[assignment]
    catalogue_path = root_of(ctx) / CATALOGUE
    catalogue = load_catalogue(catalogue_path)
    asked = chosen(TemplateFormat, output_format) if output_format else None
    if format_for(out, asked, _EXTENSIONS, TemplateFormat.csv) is TemplateFormat.xlsx:
        from plan57.submissions.workbooks import build_workbook, catalogue_revision

        revision = catalogue_revision(catalogue_path.read_bytes())
        form = build_workbook(catalogue, revision, reporter.strip(), period, lang=language)
        out = out or Path(f"{form.reporter}-{form.period}.xlsx")
        next_step = text(
            "label.template-xlsx-next",
            language,
            path=str(out),
            destination=form.submission_path,
        )
    else:
        from plan57.submissions.forms import build_form

        form = build_form(catalogue, reporter.strip(), period, lang=language)
        if out is None:
            sys.stdout.buffer.write(form.data)
            sys.stdout.buffer.flush()
            if not quiet():
                tell(form.owed_that_day(language))
            return
        next_step = text("label.template-next", language, destination=form.submission_path)
    if (out.exists() or out.is_symlink()) and not force:
        raise UsageError("output-exists", path=str(out))
    write_atomic(out, form.data)
    if quiet():
        return
    message = text(
        "label.template-written",
        language,
        path=str(out),
        count=len(form.indicators),
        reporter=form.reporter,
        period=str(form.period),
    )
    emit(message)
    emit(form.owed_that_day(language))
    emit(next_step)
