"""`plan57 import`: filled-in workbooks become canonical submission files."""

from __future__ import annotations

from pathlib import Path

import typer

from plan57.cli._app import app, lang_option, root_of
from plan57.cli._output import emit
from plan57.messages import Lang, text

# Up to this many files written, the closing line names each; more, and it names the folder.
_NAMED = 4


@app.command("import")
def import_(
    ctx: typer.Context,
    workbooks: list[Path] = typer.Argument(
        ..., help="Bảng tính đã điền (.xlsx) / filled-in workbooks (.xlsx).", dir_okay=False
    ),
    reporter: str | None = typer.Option(
        None, "--reporter", help="Mã đơn vị / reporter id (default: the one the workbook records)."
    ),
    period: str | None = typer.Option(
        None, "--period", help="Kỳ báo cáo / period (default: the one the workbook records)."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Tệp CSV ghi ra / CSV file to write (one workbook only; default: "
        "data/submissions/REPORTER/PERIOD.csv).",
        dir_okay=False,
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Ghi đè tệp đã có, bỏ qua thông tin trong bảng tính / overwrite, and override "
        "what the workbook records.",
    ),
    lang: str | None = lang_option(),
) -> None:
    """Chuyển bảng tính Excel đã điền thành tệp nộp CSV / turn filled-in workbooks into CSV."""
    from plan57.catalogue.loading import load_catalogue
    from plan57.cli._progress import progress_bar
    from plan57.repository import CATALOGUE
    from plan57.submissions.workbooks import ImportOptions, import_workbooks

    language: Lang = lang  # type: ignore[assignment]
    if out is not None and out.suffix.lower() not in ("", ".csv"):
        from plan57.errors import UsageError

        # `import` writes CSV: a file named .xlsx (or anything else) would lie about it.
        raise UsageError("format-mismatch", path=str(out), format="csv", formats=".csv")
    root = root_of(ctx)
    catalogue = load_catalogue(root / CATALOGUE)
    options = ImportOptions(reporter=reporter, period=period, out=out, force=force)
    with progress_bar(text("progress.import", language), language) as progress:
        results = import_workbooks(
            root, catalogue, workbooks, options, lang=language, progress=progress
        )
    lines: list[str] = []
    for result in results:
        if result.ok:
            lines.append(
                text(
                    "label.import-written",
                    language,
                    file=result.workbook,
                    path=result.output,
                    rows=result.rows,
                    reporter=result.reporter,
                    period=result.period,
                )
            )
            if result.narrative:
                lines.append(text("label.import-narrative", language, path=result.narrative))
            if result.gaps:
                lines.append(
                    text(
                        "label.import-gaps",
                        language,
                        count=len(result.gaps),
                        indicators=", ".join(result.gaps),
                    )
                )
            if result.left_out:
                lines.append(
                    text(
                        "label.import-left-out",
                        language,
                        count=len(result.left_out),
                        indicators=", ".join(result.left_out),
                    )
                )
            continue
        lines.append(text("label.import-failed", language, file=result.workbook))
        for problem in result.problems:
            # A cell's problem names the cell (Sheet1!D7) in its message.
            lines.append(f"  {problem.code} {problem.message(language)}")
            more = text("label.explain-more", language, code=problem.code)
            lines.append(f"    → {problem.hint(language)} {more}")
    written = [r.output for r in results if r.ok and r.output]
    failed = sum(1 for r in results if not r.ok)
    lines.append("")
    lines.append(text("label.import-summary", language, written=len(written), failed=failed))
    inside = [
        path
        for r in results
        if r.ok and r.outside is None
        for path in (r.output, r.narrative)
        if path
    ]
    if inside:
        # A batch of 102 communes is checked as the folder, not named file by file.
        paths = " ".join(inside) if len(inside) <= _NAMED else "data/submissions/"
        lines.append(text("label.import-next", language, paths=paths))
    for result in results:
        # `check` reads only the repository: the file must be put where it belongs first.
        if result.ok and result.outside is not None:
            lines.append(
                text(
                    "label.import-next-outside",
                    language,
                    path=result.output,
                    destination=result.outside,
                )
            )
    emit("\n".join(lines))
    raise typer.Exit(1 if failed else 0)
