"""`plan57 explain`: what a finding code or scoring flag means and how to fix it."""

from __future__ import annotations

import enum
import shutil
from typing import TYPE_CHECKING

import typer

from plan57.cli._app import HUMAN, app, chosen, format_option, lang_option
from plan57.cli._output import emit
from plan57.messages import Lang, text

if TYPE_CHECKING:
    from plan57.explanations import Explanation


class ExplainFormat(enum.StrEnum):
    human = "human"
    json = "json"


@app.command()
def explain(
    code: str | None = typer.Argument(
        None, help="Mã lỗi hoặc cờ / a finding code or scoring flag (default: list them all)."
    ),
    output_format: str = format_option(ExplainFormat, HUMAN),
    lang: str | None = lang_option(),
) -> None:
    """Giải thích mã lỗi và cờ đánh giá / what a finding code or scoring flag means."""
    from plan57 import api

    language: Lang = lang  # type: ignore[assignment]
    shape = chosen(ExplainFormat, output_format)
    explained = api.explain(code, lang=language)
    if shape is ExplainFormat.json:
        emit(explained.model_dump_json(indent=2))
    elif code is None:
        emit(_listing(explained, language))
    else:
        emit(_details(explained.codes[0], language))


def _details(item: Explanation, lang: Lang) -> str:
    kind = text(f"explain.{item.kind}{_of(item)}", lang)
    if item.severity is not None:
        kind = f"{kind}, {text(f'label.{item.severity}', lang)}"
    lines = [f"{item.code} ({kind})", ""]
    lines += [f"{text('explain.meaning', lang)}: {item.meaning}"]
    lines += [f"{text('explain.why', lang)}: {item.why}", ""]
    for part, example in (("wrong", item.wrong), ("right", item.right)):
        lines.append(f"{text(f'explain.{part}', lang)}:")
        lines += [f"    {line}" for line in example.splitlines()]
    lines += ["", f"{text('explain.fix', lang)}: {item.fix}"]
    return "\n".join(lines)


def _listing(everything: object, lang: Lang) -> str:
    from plan57.explanations import Explanations

    assert isinstance(everything, Explanations)
    width = shutil.get_terminal_size((80, 24)).columns
    groups: dict[tuple[str, str], list[Explanation]] = {}
    for item in everything.codes:
        groups.setdefault((item.kind, _of(item)), []).append(item)
    pad = max(len(e.code) for e in everything.codes) + 2
    lines: list[str] = []
    for (kind, of), items in groups.items():
        lines += [text(f"explain.{kind}s{of}", lang, count=len(items)), ""]
        for item in items:
            lines.append(_fit(f"  {item.code.ljust(pad)}{item.meaning}", width))
        lines.append("")
    lines.append(text("explain.one", lang))
    return "\n".join(lines)


def _of(item: Explanation) -> str:
    """Whose finding a code is, as its labels' suffix: "" for check's (and for a flag),
    ".import" or ".fix" for those commands' own."""
    from plan57.explanations import command_of

    command = command_of(item.code) if item.kind == "finding" else "check"
    return "" if command == "check" else f".{command}"


def _fit(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"
