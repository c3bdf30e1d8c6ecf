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
