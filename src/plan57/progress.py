"""Progress of long work: the library reports it through a callback, the CLI decides whether
anyone sees it (a bar on a terminal, a line per item with --verbose, nothing otherwise).

Nothing here prints: a long-running library function takes `progress: Progress = silent` and
calls it as it goes.
"""

from __future__ import annotations

from collections.abc import Callable

# progress(done, total, what): `done` of `total` steps are finished; `what` names the item
# (a file, a commit) being read now.
Progress = Callable[[int, int, str], None]


def silent(done: int, total: int, what: str) -> None:
    """Nobody is watching."""


# phases(key): the progress of one phase of a long task made of several (the site: check the
# submissions, score the quarters, write the pages). `key` is the message key of the phase's
# name ("progress.pages"); the CLI shows one bar at a time, named for its phase.
Phases = Callable[[str], Progress]


def no_phases(key: str) -> Progress:
    """Nobody is watching any phase."""
    return silent
