"""`plan57 template`: the CSV form a reporter fills in for one period."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from plan57.cli._app import app, lang_option, root_of
from plan57.cli._output import emit
from plan57.messages import Lang, text


@app.command()
def template(
    ctx: typer.Context,
    reporter: str = typer.Option(..., "--reporter", help="Mã đơn vị / reporter id, e.g. so-tc."),
    period: str = typer.Option(
        ..., "--period", help="Kỳ báo cáo / period: 2025, 2025S1, 2025Q4, 2025M01."
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Tệp ghi ra / file to write (default: standard output).", dir_okay=False
    ),
    force: bool = typer.Option(
        False, "--force", help="Ghi đè tệp đã có / overwrite an existing file."
    ),
    lang: str | None = lang_option(),
) -> None:
    """Tạo mẫu CSV để điền số liệu / write the CSV form a reporter fills in."""
    from plan57.catalogue import load_catalogue
    from plan57.errors import UsageError
    from plan57.files import write_atomic
    from plan57.forms import build_form
    from plan57.repository import CATALOGUE

    language: Lang = lang  # type: ignore[assignment]
    catalogue = load_catalogue(root_of(ctx) / CATALOGUE)
    form = build_form(catalogue, reporter.strip(), period, lang=language)
    if out is None:
        sys.stdout.buffer.write(form.data)
        sys.stdout.buffer.flush()
        return
    if (out.exists() or out.is_symlink()) and not force:
        raise UsageError("output-exists", path=str(out))
    write_atomic(out, form.data)
    message = text(
        "label.template-written",
        language,
        path=str(out),
        count=len(form.indicators),
        reporter=form.reporter,
        period=str(form.period),
    )
    emit(message)
    emit(text("label.template-next", language, destination=form.submission_path))
