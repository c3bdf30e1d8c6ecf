"""Progress for people: a rich bar on standard error, only when someone watches a terminal.

The library reports progress through `plan57.progress.Progress`; this turns it into a bar
that appears once the work has taken longer than PLAN57_PROGRESS_AFTER seconds (0.5 by
default, so quick runs never flicker), and into "reading …" lines with --verbose. Piped
output, JSON and --quiet get neither.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from plan57.cli._app import quiet, verbose
from plan57.cli._output import tell
from plan57.messages import Lang, text
from plan57.progress import Phases, Progress, no_phases, silent

_DEFAULT_AFTER = 0.5


@contextlib.contextmanager
def progress_bar(label: str, lang: Lang, *, for_people: bool = True) -> Iterator[Progress]:
    """A progress callback for one long task. `for_people` is False for machine output (JSON,
    CSV): then only --verbose lines on stderr, never a bar."""
    show = for_people and not quiet() and _watched()
    if not show and not verbose():
        yield silent
        return
    bar = _Bar(label, lang, show=show)
    try:
        yield bar.update
    finally:
        bar.close()


@contextlib.contextmanager
def phased_bar(lang: Lang, *, for_people: bool = True) -> Iterator[Phases]:
    """Progress for a task in phases (the site: check, prepare, score the quarters, write):
    one bar at a time, named for its phase (`phases("progress.pages")`)."""
    show = for_people and not quiet() and _watched()
    if not show and not verbose():
        yield no_phases
        return
    bar = _Bar("", lang, show=show)
    try:
        yield bar.phase
    finally:
        bar.close()


def _watched() -> bool:
    """Someone reads both streams on a terminal: not a pipe, not a file, not CI."""
    return sys.stdout.isatty() and sys.stderr.isatty()


def _after() -> float:
    try:
        return max(0.0, float(os.environ.get("PLAN57_PROGRESS_AFTER", _DEFAULT_AFTER)))
    except ValueError:
        return _DEFAULT_AFTER


class _Bar:
    def __init__(self, label: str, lang: Lang, *, show: bool) -> None:
        self.label = label
        self.lang = lang
        self.show = show
        self.started = time.monotonic()
        self.after = _after()
        self.live: Any = None
        self.task: Any = None
        self.fresh = False  # a new phase began: the next update starts the bar again

    def phase(self, key: str) -> Progress:
        """Start the phase named by the message `key`: the bar starts again from zero."""
        self.label = text(key, self.lang)
        self.fresh = True
        return self.update

    def update(self, done: int, total: int, what: str) -> None:
        if verbose() and what:
            self._say(text("label.reading", self.lang, what=what))
        if not self.show:
            return
        if self.live is None:
            if time.monotonic() - self.started < self.after:
                return
            self._start(total)
        elif self.fresh:
            self.live.reset(self.task, total=total, completed=done, description=self.label)
        self.fresh = False
        self.live.update(self.task, completed=done, total=total)

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        console = Console(file=sys.stderr, no_color="NO_COLOR" in os.environ)
        self.live = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.live.start()
        self.task = self.live.add_task(self.label, total=total)

    def _say(self, line: str) -> None:
        if self.live is not None:
            from rich.markup import escape

            from plan57.escaping import terminal

            # The bar's console is rich's own: what it prints is made visible here, as
            # `tell` does for the lines before the bar shows.
            self.live.console.print(escape(terminal(line)), highlight=False)
        else:
            tell(line)

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None
