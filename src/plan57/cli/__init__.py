"""The command line: each command parses options, calls one library function, writes the result.

Command modules import heavy libraries (pandas, jinja2) inside their functions, so that
`plan57 --help` stays fast.
"""

from __future__ import annotations

from plan57.cli import catalogue as _catalogue  # noqa: F401  (registers the command)
from plan57.cli import check as _check  # noqa: F401
from plan57.cli import codeowners as _codeowners  # noqa: F401
from plan57.cli import diff as _diff  # noqa: F401
from plan57.cli import explain as _explain  # noqa: F401
from plan57.cli import export as _export  # noqa: F401
from plan57.cli import fix as _fix  # noqa: F401
from plan57.cli import history as _history  # noqa: F401
from plan57.cli import init as _init  # noqa: F401
from plan57.cli import report as _report  # noqa: F401
from plan57.cli import score as _score  # noqa: F401
from plan57.cli import site as _site  # noqa: F401
from plan57.cli import status as _status  # noqa: F401
from plan57.cli import template as _template  # noqa: F401
from plan57.cli import workbook as _workbook  # noqa: F401
from plan57.cli._app import app, narrowed

__all__ = ["app", "main"]


def main() -> None:
    import signal
    import sys

    signal.signal(signal.SIGTERM, _terminate)
    _utf8_output()
    _guard_output()
    _usable_width()
    narrowed(sys.argv[1:])(prog_name="plan57")


def _utf8_output() -> None:
    """Write UTF-8 whatever the locale: under LANG=C without Python's UTF-8 mode the streams
    are ASCII, and the first Vietnamese letter would stop the run."""
    import codecs
    import io
    import sys

    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(encoding="utf-8")


def _usable_width() -> None:
    """An unusable COLUMNS (0 makes rich, and so Typer's help, print nothing) is dropped for
    the whole process, so every console falls back to its default width."""
    import os

    from plan57.cli._output import unusable_columns

    if unusable_columns():
        del os.environ["COLUMNS"]


def _guard_output() -> None:
    import os
    import sys

    from plan57.cli._app import GuardedStream, NotesStream

    if sys.stdout is not None:
        sys.stdout = GuardedStream(sys.stdout)
    # Standard error carries notes for people: when it is closed or full, they are lost, and
    # the exit status keeps its meaning (2 stays 2, 0 after writing a report stays 0).
    sys.stderr = NotesStream(sys.stderr if sys.stderr is not None else open(os.devnull, "w"))  # noqa: SIM115


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (a cancelled CI job, `kill`) exits through Python, so that cleanup runs: an
    interrupted `write_atomic` removes its temporary file and leaves the old file whole."""
    raise SystemExit(128 + signum)
