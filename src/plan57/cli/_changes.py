"""Presenting catalogue changes (`plan57 diff`, `plan57 history`) to people.

Rich tables on a terminal, Markdown for pull requests, and for a history sent to a pipe or a
file, plain aligned lines (a rich table of thousands of rows takes longer to draw than the
history takes to read, and its box drawing gets in the way of `grep`).
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

from plan57.escaping import markdown

# A change's wording is decided once, for the CLI, the report and the site alike.
from plan57.formatting import change_kind as kind
from plan57.formatting import change_line as line
from plan57.formatting import change_value as show
from plan57.formatting import change_where as where
from plan57.messages import Lang, text

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from plan57.catalogue.revisions import DiffReport, HistoryReport, Revision, SkippedRevision

_STYLES = {
    "raised": "green",
    "lowered": "red",
    "changed": "yellow",
    "added": "cyan",
    "removed": "magenta",
}


def revision_name(name: str, commit: str | None, lang: Lang) -> str:
    from plan57.catalogue.revisions import WORKTREE

    if name == WORKTREE:
        return text("label.working-tree", lang)
    if commit is None or commit.startswith(name):
        return name if commit is None else commit[:10]
    return f"{name} ({commit[:10]})"


def summary(revision: Revision, lang: Lang, *, whole: bool) -> list[str]:
    """The lines describing a revision's changes; a catalogue's creation in one line."""
    if whole and any(c.field == "plan" and c.kind == "added" for c in revision.changes):
        count = sum(1 for c in revision.changes if c.field == "indicator")
        return [text("label.history-created", lang, count=count)]
    return [line(change, lang) for change in revision.changes]


# --- diff ----------------------------------------------------------------------------------


def diff_title(report: DiffReport, lang: Lang) -> str:
    return text(
        "label.diff-title",
        lang,
        old=revision_name(report.from_, report.from_commit, lang),
        new=revision_name(report.to, report.to_commit, lang),
    )


def print_diff(report: DiffReport, lang: Lang, out: Console) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not report.changes:
        out.print(escape(diff_title(report, lang)))
        out.print(text("label.diff-none", lang))
        return
    table = Table(title=escape(diff_title(report, lang)), title_justify="left")
    for key in ("label.id", "label.field", "label.old", "label.new", "label.change"):
        table.add_column(text(key, lang), overflow="fold")
    for change in report.changes:
        style = _STYLES[change.kind]
        table.add_row(
            escape(where(change, lang)),
            escape(change.field),
            escape(show(change.old, lang)),
            escape(show(change.new, lang)),
            f"[{style}]{escape(kind(change, lang))}[/{style}]",
        )
    out.print(table)
    out.print(text("label.diff-count", lang, count=len(report.changes)))


def diff_markdown(report: DiffReport, lang: Lang) -> str:
    lines = [f"### {markdown(diff_title(report, lang))}", ""]
    if not report.changes:
        lines.append(text("label.diff-none", lang))
        return "\n".join(lines) + "\n"
    header = [text(key, lang) for key in ("label.id", "label.field", "label.old", "label.new")]
    header.append(text("label.change", lang))
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for change in report.changes:
        cells = [
            markdown(where(change, lang)),
            f"`{markdown(change.field)}`",
            markdown(show(change.old, lang), newline="<br>"),
            markdown(show(change.new, lang), newline="<br>"),
            f"**{markdown(kind(change, lang))}**",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", text("label.diff-count", lang, count=len(report.changes))]
    return "\n".join(lines) + "\n"


# --- history -------------------------------------------------------------------------------


def history_title(report: HistoryReport, lang: Lang) -> str:
    if report.indicator is None:
        return text("label.history-title", lang)
    return text("label.history-title-indicator", lang, indicator=report.indicator)


def skipped_notes(report: HistoryReport, lang: Lang) -> list[str]:
    return [skipped_note(item, lang) for item in report.skipped]


def skipped_note(item: SkippedRevision, lang: Lang) -> str:
    """ "Skipped revision …, whose catalogue cannot be read: …": `history` lists these, and
    `report`, `site` and `export` say them on stderr."""
    reason = text(item.code, lang, **item.params)
    return text("label.history-skipped", lang, commit=item.commit[:10], reason=reason)


def tell_skipped(lang: Lang) -> Callable[[SkippedRevision], None]:
    """The `notes` callback of report, site and export: each skipped revision on stderr,
    unless --quiet."""
    from plan57.cli._app import quiet
    from plan57.cli._output import tell

    def note(item: SkippedRevision) -> None:
        if not quiet():
            tell(f"plan57: {skipped_note(item, lang)}")

    return note


def print_history(report: HistoryReport, lang: Lang, out: Console) -> None:
    """On a terminal: each revision on one line (commit, date, author, subject), its changes
    indented below and wrapped to the width, so that it reads at 80 columns."""
    from rich.markup import escape
    from rich.padding import Padding
    from rich.text import Text

    out.print(f"[bold]{escape(history_title(report, lang))}[/bold]")
    if not report.revisions:
        out.print(text("label.history-none", lang))
    for revision in report.revisions:
        subject = revision.message.split("\n", 1)[0]
        out.print(
            f"\n[yellow]{revision.commit[:10]}[/yellow]  {revision.date[:10]}  "
            f"{escape(revision.author)}  [bold]{escape(subject)}[/bold]",
            soft_wrap=False,
        )
        for change in summary(revision, lang, whole=report.indicator is None):
            out.print(Padding(Text(f"• {change}"), (0, 0, 0, 4)), soft_wrap=False)
    for note in skipped_notes(report, lang):
        out.print(f"[dim]{escape(note)}[/dim]", soft_wrap=False)


# Longer author names overflow their column on their own line rather than widen every line.
_AUTHOR_WIDTH = 30


def history_text(report: HistoryReport, lang: Lang) -> str:
    """The history as plain aligned lines: each revision on one line, its changes below it."""
    lines = [history_title(report, lang), ""]
    if not report.revisions:
        lines.append(text("label.history-none", lang))
    else:
        heads = [text(key, lang) for key in ("label.commit", "label.date", "label.author")]
        authors = {revision.author for revision in report.revisions}
        widths = [
            max(10, _width(heads[0])),
            max(10, _width(heads[1])),
            min(_AUTHOR_WIDTH, max(_width(heads[2]), *map(_width, authors))),
        ]
        indent = " " * (widths[0] + 2)
        lines.append(_aligned([*heads, text("label.message", lang)], widths))
        for revision in report.revisions:
            subject = revision.message.split("\n", 1)[0]
            cells = [revision.commit[:10], revision.date[:10], revision.author, subject]
            lines.append(_aligned(cells, widths))
            changes = summary(revision, lang, whole=report.indicator is None)
            lines += [indent + change.replace("\n", "\n" + indent) for change in changes]
    notes = skipped_notes(report, lang)
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def _aligned(cells: list[str], widths: list[int]) -> str:
    """Cells padded to their column's width, two spaces apart; the last one as it is."""
    padded = [
        cell + " " * max(0, width - _width(cell))
        for cell, width in zip(cells[:-1], widths, strict=True)
    ]
    return "  ".join([*padded, cells[-1]]).rstrip()


@functools.lru_cache(maxsize=1024)
def _width(value: str) -> int:
    """The columns a string takes on a terminal: combining marks none, wide characters two."""
    if value.isascii():
        return len(value)
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in value
    )


def history_markdown(report: HistoryReport, lang: Lang) -> str:
    lines = [f"### {markdown(history_title(report, lang))}", ""]
    if not report.revisions:
        lines.append(text("label.history-none", lang))
    for revision in report.revisions:
        subject = markdown(revision.message.split("\n", 1)[0])
        author = markdown(revision.author)
        date = markdown(revision.date[:10])
        lines.append(f"#### `{revision.commit[:10]}` · {date} · {author} · {subject}")
        lines.append("")
        items = summary(revision, lang, whole=report.indicator is None)
        lines += [f"- {markdown(item)}" for item in items]
        lines.append("")
    lines += [f"> {markdown(note)}" for note in skipped_notes(report, lang)]
    return "\n".join(lines).rstrip("\n") + "\n"
