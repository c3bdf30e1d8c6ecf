"""`plan57 fix`: turn CSV files saved from Excel into the canonical submission form."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from plan57.cli._app import app, lang_option, root_of
from plan57.cli._output import console
from plan57.messages import Lang, text

if TYPE_CHECKING:
    from rich.console import Console

    from plan57.findings import Finding


@app.command()
def fix(
    ctx: typer.Context,
    paths: list[Path] | None = typer.Argument(
        None, help="Tệp hoặc thư mục / files or folders (default: data/submissions)."
    ),
    check_only: bool = typer.Option(
        False,
        "--check",
        help="Không sửa; thoát với mã 1 nếu cần sửa / change nothing, exit 1 if a fix is needed.",
    ),
    changed_since: str | None = typer.Option(
        None,
        "--changed-since",
        help="Chỉ các tệp số liệu thay đổi kể từ phiên bản này / only the submission files "
        "changed since REV (a pull request's base).",
    ),
    lang: str | None = lang_option(),
) -> None:
    """Sửa tệp CSV xuất từ Excel về dạng chuẩn / fix CSV files saved from Excel."""
    from rich.markup import escape

    from plan57.findings import Finding
    from plan57.submissions.repair import repair_files

    language: Lang = lang  # type: ignore[assignment]
    root = root_of(ctx)
    chosen = list(paths) if paths else None
    if changed_since is not None:
        from plan57.submissions.gate import changed_submissions

        chosen = [*(chosen or []), *changed_submissions(root, changed_since)]
    results = repair_files(root, chosen, write=not check_only)
    out = console()
    counts = {"changed": 0, "clean": 0, "refused": 0}
    for result in results:
        if isinstance(result, Finding):
            counts["refused"] += 1
            _problem(out, result, language)
            continue
        if result.refused:
            counts["refused"] += 1
            label = text("label.fix-refused", language)
            out.print(f"[red]{escape(label)}[/red]  {escape(result.file)}")
            for problem in result.problems:
                _problem(out, problem, language)
        elif result.changed:
            counts["changed"] += 1
            label = text("label.fix-would" if check_only else "label.fix-fixed", language)
            details = "; ".join(change.describe(language) for change in result.changes)
            out.print(f"[yellow]{escape(label)}[/yellow]  {escape(result.file)}: {escape(details)}")
        else:
            counts["clean"] += 1
    if check_only:
        summary = text(
            "label.fix-summary-check",
            language,
            would=counts["changed"],
            clean=counts["clean"],
            refused=counts["refused"],
        )
    else:
        summary = text(
            "label.fix-summary",
            language,
            fixed=counts["changed"],
            clean=counts["clean"],
            refused=counts["refused"],
        )
    out.print(escape(summary))
    failed = counts["refused"] > 0 or (check_only and counts["changed"] > 0)
    raise typer.Exit(1 if failed else 0)


def _problem(out: Console, problem: Finding, lang: Lang) -> None:
    from rich.markup import escape

    where = [problem.file or ""]
    if problem.line is not None:
        where.append(f"{text('label.line', lang)} {problem.line}")
    if problem.column is not None:
        where.append(f"{text('label.column', lang)} {problem.column}")
    out.print(
        f"  {escape(', '.join(where))}: [dim]{problem.code}[/dim] {escape(problem.message(lang))}"
    )
    more = text("label.explain-more", lang, code=problem.code)
    out.print(f"    → {escape(problem.hint(lang))} {more}", style="dim")
