"""Failures that stop a run. Problems in the data are `Finding` values instead, never raised.

Every error carries a message code and its parameters; the CLI renders the text in the user's
language from the message tables and maps the whole family to exit status 2 in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plan57.messages import Message


class Plan57Error(Exception):
    """Base of every failure that stops a run (exit status 2)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> Message:
        """What went wrong, to be rendered in the reader's language."""
        from plan57.messages import Message

        return Message(self.code, self.params)

    @property
    def hint(self) -> Message:
        """How to fix it, to be rendered in the reader's language."""
        from plan57.messages import Message

        return Message(f"{self.code}.hint", self.params)

    def __str__(self) -> str:
        return self.message.render("en")


class CatalogueError(Plan57Error):
    """The catalogue is missing, unreadable or invalid."""


class UsageError(Plan57Error):
    """An option or argument the user gave cannot be used."""


class GitError(Plan57Error):
    """Git is missing, the folder is not a repository, or a revision cannot be read."""


class OutputError(Plan57Error):
    """An output file cannot be written."""


class AppendixError(Plan57Error):
    """`plan57 init` cannot read the appendix, find the province or write the repository."""
