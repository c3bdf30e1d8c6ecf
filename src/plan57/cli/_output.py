"""Shared presentation helpers for the commands: dates, consoles, annotations."""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from rich.console import Console


E = TypeVar("E", bound=enum.Enum)


def format_for(out: Path | None, asked: E | None, extensions: Mapping[str, E], default: E) -> E:
    """The format of an output: the one asked for, else the one the file's extension names,
    else `default`; a file named for another format than the one asked for is refused, so
    that a name never lies about what is in the file."""
    suffix = out.suffix.lower() if out is not None else ""
    named = extensions.get(suffix)
    if asked is not None and named is not None and named is not asked:
        from plan57.errors import UsageError

        raise UsageError(
            "format-mismatch",
            path=str(out),
            format=asked.value,
            formats=", ".join(extensions),
        )
    return asked or named or default


def parse_as_of(value: str | None) -> date:
    """The --as-of date, or today in Đắk Lắk, whatever the machine's time zone."""
    from plan57.periods import day_or_today

    return day_or_today(value)


def console() -> Console:
    """A rich console on stdout; colourless when not a terminal or when NO_COLOR is set.

    Every text it prints has control and bidirectional characters made visible: rich passes
    an escape sequence in a cell through to the terminal as it is.
    """
    from rich.console import Console
    from rich.segment import Segment

    from plan57.escaping import terminal

    class _SafeConsole(Console):
        def _render_buffer(self, buffer: Iterable[Segment]) -> str:
            # Rich's own control segments (cursor moves) pass; text segments are data.
            safe = (
                item if item.control else Segment(terminal(item.text), item.style)
                for item in buffer
            )
            return super()._render_buffer(safe)

    return _SafeConsole(
        width=_width(),
        highlight=False,
        soft_wrap=True,
        no_color="NO_COLOR" in os.environ,
        file=sys.stdout,
    )


# Narrower than this, tables and messages fold into unreadable slivers (or, at COLUMNS=0,
# print nothing at all): such a COLUMNS is ignored.
_MIN_WIDTH = 40
_DEFAULT_WIDTH = 80


def unusable_columns() -> bool:
    """Whether COLUMNS is set to a width nothing can be laid out in (0, negative, not a number)."""
    columns = os.environ.get("COLUMNS")
    if columns is None:
        return False
    try:
        return int(columns) < _MIN_WIDTH
    except ValueError:
        return True


def _width() -> int | None:
    """The console's width: rich's own choice, unless COLUMNS is unusable."""
    return _DEFAULT_WIDTH if unusable_columns() else None


def emit(text: str, *, nl: bool = True, keep: str = "\n\t") -> None:
    """Write text that may carry data to stdout: the one way plain output leaves plan57.

    Control and bidirectional characters are made visible (JSON's own escapes, so a JSON
    document still parses to the same data); `keep` lets a format's own through (CSV's CR
    line ends and byte-order mark).
    """
    import typer

    from plan57.escaping import visible

    typer.echo(visible(text, keep=keep), nl=nl)


def tell(text: str) -> None:
    """Write a note for people (what was written, what is being read) to stderr, with control
    and bidirectional characters from data made visible, as `emit` does for stdout."""
    from plan57.escaping import terminal

    sys.stderr.write(terminal(text) + "\n")


def github_escape(text: str, *, property_value: bool = False) -> str:
    """Escape text for a GitHub workflow command (message, or a property value)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text
