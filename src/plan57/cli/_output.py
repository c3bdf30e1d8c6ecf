"""Shared presentation helpers for the commands: dates, consoles, annotations."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING

from plan57.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console


def parse_as_of(value: str | None) -> date:
    """The --as-of date, or today."""
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError("bad-date", value=value) from None


def console() -> Console:
    """A rich console on stdout; colourless when not a terminal or when NO_COLOR is set."""
    from rich.console import Console

    return Console(
        highlight=False,
        soft_wrap=True,
        no_color="NO_COLOR" in os.environ,
        file=sys.stdout,
    )


def github_escape(text: str, *, property_value: bool = False) -> str:
    """Escape text for a GitHub workflow command (message, or a property value)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text
