"""Shared presentation helpers for the commands: dates, consoles, annotations."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from plan57.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console


# Dates are the province's: a CI runner on UTC must not still be in yesterday at 6 a.m. in
# Buôn Ma Thuột. Việt Nam keeps UTC+7 all year, with no daylight saving time.
PROVINCE_TIME = timezone(timedelta(hours=7), "ICT")


def parse_as_of(value: str | None) -> date:
    """The --as-of date, or today in Đắk Lắk, whatever the machine's time zone."""
    if value is None:
        return datetime.now(PROVINCE_TIME).date()
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
