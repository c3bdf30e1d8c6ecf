"""`plan57 score`: a status for every indicator in a period."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import typer

from plan57.cli._app import HUMAN, app, chosen, format_option, lang_option, root_of
from plan57.cli._output import console, emit, parse_as_of
from plan57.messages import Lang, text

if TYPE_CHECKING:
    from plan57.scoring.verdicts import ScoreReport

_ICONS = {"on-track": "✔", "at-risk": "▲", "missed": "✖", "no-data": "○"}
_COLOURS = {"on-track": "green", "at-risk": "yellow", "missed": "red", "no-data": "dim"}
CSV_COLUMNS = (
    "id",
    "group",
    "name",
    "unit",
    "flow",
    "status",
    "value",
    "answer",
    "baseline",
    "expected",
    "progress",
    "milestone",
    "target",
    "reporters",
    "missing",
    "reason",
    "flags",
)


class ScoreFormat(enum.StrEnum):
    human = "human"
    json = "json"
    csv = "csv"


PERIOD_HELP = "Kỳ đánh giá / period to score: 2025, 2025S1, 2025Q4, 2025M12."
AS_OF_HELP = (
    "Ngày đánh giá, chỉ tính số liệu đã có đến ngày đó / judge on what was known that day, "
    "YYYY-MM-DD (default: today)."
)
TARGETS_AT_HELP = (
    "Danh mục theo phiên bản hoặc ngày / judge against the catalogue at a git revision or "
    "on a date (YYYY-MM-DD); default: the one in force at the period's end."
)


@app.command()
def score(
    ctx: typer.Context,
    period: str = typer.Option(..., "--period", help=PERIOD_HELP),
    output_format: str = format_option(ScoreFormat, HUMAN),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    targets_at: str | None = typer.Option(None, "--targets-at", help=TARGETS_AT_HELP),
    lang: str | None = lang_option(),
) -> None:
    """Đánh giá tiến độ các chỉ tiêu / score every indicator for a period."""
    from plan57 import api

    language: Lang = lang  # type: ignore[assignment]
    shape = chosen(ScoreFormat, output_format)
    report = api.score(
        root_of(ctx),
        period=period,
        as_of=parse_as_of(as_of),
        targets_at=targets_at,
    )
    if shape is ScoreFormat.json:
        emit(report.model_dump_json(indent=2, context={"lang": language}))
    elif shape is ScoreFormat.csv:
        emit(to_csv(report, language), nl=False, keep="\n\t\r\ufeff")
    else:
        _print_table(report, language)


def to_csv(report: ScoreReport, lang: Lang) -> str:
    """The scores as CSV for spreadsheets: UTF-8 with a byte-order mark, formulas neutralised."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item in report.indicators:
        writer.writerow(
            [
                _cell(item.id),
                _cell(item.group),
                _cell(item.name(lang)),
                _cell(item.unit),
                "true" if item.flow else "false",
                _cell(item.status),
                _number(item.value),
                "" if item.answer is None else ("yes" if item.answer else "no"),
                _number(item.baseline),
                _number(item.expected),
                _number(item.progress),
                "" if item.milestone is None else str(item.milestone),
                _cell(item.target.text if item.target else ""),
                _cell(" ".join(r.id for r in item.reporters)),
                _cell(" ".join(item.missing)),
                _cell(item.reason(lang)),
                _cell(" ".join(item.flags)),
            ]
        )
    return "\ufeff" + buffer.getvalue()


def _cell(value: str) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula."""
    from plan57.spreadsheet import neutralise

    return neutralise(value)


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def _print_table(report: ScoreReport, lang: Lang) -> None:
    """One line per indicator (id, status, value, target), its reason indented below."""
    from rich.markup import escape

    from plan57 import formatting as fmt

    out = console()
    out.print(f"[bold]{escape(text('score.title', lang, period=report.period))}[/bold]")
    if report.evidence is not None:
        from plan57.submissions.evidence import describe

        out.print(escape(describe(report.evidence, report.as_of, lang)), style="dim")
    out.print()
    if report.provisional and report.deadline is not None:
        banner = text("report.provisional", lang, due=fmt.day(report.deadline, lang))
        out.print(f"[yellow]{escape(banner)}[/yellow]\n")
    labels = {s: f"{_ICONS[s]} {text(f'status.{s}', lang)}" for s in _ICONS}
    width = max(len(label) for label in labels.values())
    for item in report.indicators:
        colour = _COLOURS[item.status]
        value = item.shown_value(lang)
        target = fmt.target(item.target, item.unit, lang)
        if item.milestone is not None:
            target = f"{target} ({item.milestone})"
        status = labels[item.status].ljust(width)
        out.print(
            f"[bold]{item.id}[/bold]  [{colour}]{escape(status)}[/{colour}]  "
            f"{escape(value):>12}  →  {escape(target)}"
        )
        out.print(f"      {escape(item.reason(lang))}", style="dim")
    counts = report.summary
    out.print(
        "\n"
        + text(
            "score.summary-line",
            lang,
            period=report.period,
            on_track=counts["on-track"],
            at_risk=counts["at-risk"],
            missed=counts["missed"],
            no_data=counts["no-data"],
        )
    )
