"""`plan57 site`: the published progress site, static pages in both languages with the open data."""

from __future__ import annotations

from pathlib import Path

import typer

from plan57.cli._app import app, lang_option, root_of
from plan57.cli._output import parse_as_of, tell
from plan57.cli.score import AS_OF_HELP
from plan57.messages import Lang, text


@app.command()
def site(
    ctx: typer.Context,
    out: Path = typer.Option(
        ...,
        "--out",
        help="Thư mục ghi trang web / the folder to write the site to (replaced whole).",
        file_okay=False,
    ),
    period: str | None = typer.Option(
        None,
        "--period",
        help=(
            "Kỳ báo cáo / period, e.g. 2025Q4 "
            "(default: the latest quarter whose reporting deadline has passed)."
        ),
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    lang: str | None = lang_option(),
) -> None:
    """Trang web công bố tiến độ / the progress site, in Vietnamese and English."""
    from plan57.cli._changes import tell_skipped
    from plan57.cli._progress import phased_bar
    from plan57.output.site import build_site

    language: Lang = lang  # type: ignore[assignment]
    with phased_bar(language) as progress:
        result = build_site(
            root_of(ctx),
            out,
            as_of=parse_as_of(as_of),
            period=period,
            progress=progress,
            notes=tell_skipped(language),
        )
    tell(
        text(
            "site.written",
            language,
            period=result.period,
            pages=result.pages,
            files=result.files,
            path=str(out),
        )
    )
