"""The Typer application, and the one place where failures become exit status 2."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from plan57.errors import Plan57Error
from plan57.messages import Lang, default_lang, error_hint, render_error, text


class _State:
    """What the global options and each command's --lang leave for error reporting."""

    debug: bool = False
    lang: Lang | None = None


state = _State()


class _Group(TyperGroup):
    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                if sys.stdout is None:  # started with standard output closed (`>&-`)
                    raise _output_failed(OSError(errno.EBADF, os.strerror(errno.EBADF)))
                result = super().invoke(ctx)
            except typer.Exit:
                _flush_stdout()
                raise
            _flush_stdout()
            return result
        except Plan57Error as error:
            if state.debug:
                raise
            if error.code == "output-failed":
                _abandon_stdout()
            _report(render_error(error, _lang()), error_hint(error, _lang()))
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader went away (`plan57 check | head`): stop quietly, as other tools do.
            _abandon_stdout()
            raise typer.Exit(0) from None
        except Exception as error:
            if state.debug or _is_cli_control(error):
                raise
            internal = Plan57Error("internal", reason=f"{type(error).__name__}: {error}")
            _report(render_error(internal, _lang()), error_hint(internal, _lang()))
            raise typer.Exit(2) from None


class GuardedStream:
    """Standard output whose write failures (a full disk, a closed stream) stop the run with
    a message (exit 2) instead of an internal error; a reader that went away stays quiet."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            written: int = self._stream.write(text)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise _output_failed(exc) from exc
        return written

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as exc:
            raise _output_failed(exc) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _output_failed(exc: Exception) -> Plan57Error:
    from plan57.errors import OutputError

    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return OutputError("output-failed", reason=reason)


def _flush_stdout() -> None:
    """Everything written reaches standard output before the exit status is decided."""
    if isinstance(sys.stdout, GuardedStream):
        sys.stdout.flush()


def _abandon_stdout() -> None:
    """What could not be written is dropped, so that Python's own flush at exit stays quiet."""
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the failed stream


def _is_cli_control(error: Exception) -> bool:
    """Exit, Abort and usage errors belong to Typer (and click), which handles them itself."""
    return type(error).__module__.split(".")[0] in ("typer", "click")


def _lang() -> Lang:
    return state.lang or default_lang()


def _report(message: str, hint: str) -> None:
    from plan57.escaping import terminal

    label = text("label.error", _lang())
    sys.stderr.write(terminal(f"plan57: {label}: {message}\n  → {hint}\n"))


app = typer.Typer(
    cls=_Group,
    name="plan57",
    help=(
        "Kiểm tra và báo cáo Kế hoạch 283-KH/TU (Nghị quyết 57-NQ/TW, Đắk Lắk). "
        "Compliance checker for Đắk Lắk's action plan for Resolution 57-NQ/TW."
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from plan57 import __version__

        typer.echo(f"plan57 {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global(
    ctx: typer.Context,
    root: Path | None = typer.Option(
        None,
        "--root",
        envvar="PLAN57_ROOT",
        help="Data repository (the folder with data/targets.yaml); default: found from here up.",
        file_okay=False,
    ),
    debug: bool = typer.Option(
        False, "--debug", envvar="PLAN57_DEBUG", help="Show tracebacks of failures."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    from plan57.repository import find_root

    state.debug = debug
    ctx.obj = find_root(root) if root is None else root.resolve()


def root_of(ctx: typer.Context) -> Path:
    """The data repository the global options chose."""
    root = ctx.find_root().obj
    return root if isinstance(root, Path) else Path.cwd()


def remember_lang(value: str | None) -> Lang:
    """Callback of every --lang option: validate it and remember it for error messages."""
    if value is None:
        lang = default_lang()
    elif value in ("vi", "en"):
        lang = value  # type: ignore[assignment]
    else:
        raise typer.BadParameter("vi | en")
    state.lang = lang
    return lang


LANG_HELP = "Ngôn ngữ / language: vi | en (mặc định PLAN57_LANG, nếu không thì vi)."


def lang_option() -> Any:
    return typer.Option(None, "--lang", help=LANG_HELP, callback=remember_lang)


def no_color() -> bool:
    return "NO_COLOR" in os.environ
