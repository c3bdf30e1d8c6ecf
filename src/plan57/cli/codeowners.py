"""`plan57 codeowners`: write CODEOWNERS from the registry of reporting units."""

from __future__ import annotations

from pathlib import Path

import typer

from plan57.cli._app import app, lang_option, root_of
from plan57.cli._output import emit
from plan57.messages import Lang, text


@app.command()
def codeowners(
    ctx: typer.Context,
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Tệp ghi ra / file to write (default: the repository's CODEOWNERS).",
        dir_okay=False,
    ),
    check_only: bool = typer.Option(
        False, "--check", help="Không ghi; thoát với mã 1 nếu cần cập nhật / exit 1 if out of date."
    ),
    lang: str | None = lang_option(),
) -> None:
    """Ghi tệp CODEOWNERS từ danh mục đơn vị / write CODEOWNERS from the registry."""
    from plan57.catalogue.codeowners import write_codeowners
    from plan57.catalogue.loading import load_catalogue
    from plan57.repository import CATALOGUE, relative

    language: Lang = lang  # type: ignore[assignment]
    root = root_of(ctx)
    catalogue = load_catalogue(root / CATALOGUE)
    target = out.absolute() if out is not None else None
    path, changed = write_codeowners(root, catalogue, target, write=not check_only)
    shown = relative(root.resolve(), path.parent.resolve() / path.name)
    if not changed:
        emit(text("label.codeowners-unchanged", language, path=shown))
        return
    key = "label.codeowners-would" if check_only else "label.codeowners-written"
    emit(text(key, language, path=shown))
    raise typer.Exit(1 if check_only else 0)
