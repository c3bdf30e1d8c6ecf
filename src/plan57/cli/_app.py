"""The Typer application, and the one place where failures become exit status 2."""

from __future__ import annotations

import contextlib
import enum
import errno
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from plan57.errors import Plan57Error
from plan57.messages import Lang, default_lang, error_hint, render_error, text


class _State:
    """What the global options and each command's --lang leave for error reporting."""

    debug: bool = False
    lang: Lang | None = None
    # -1 with --quiet (errors and the result only), 1 with --verbose (what is being read).
    verbosity: int = 0


state = _State()


# Who each command is for, in the order `plan57 --help` lists them. Keyed by command name so
# that a command added later (import, site, export) joins its audience as soon as it exists,
# and a name here without a command is simply not shown.
AUDIENCES: dict[str, tuple[str, ...]] = {
    "departments": ("template", "import", "fix", "check"),
    "analysts": ("score", "report", "site", "export"),
    "secretariat": ("catalogue", "diff", "history", "status", "codeowners", "init"),
    "everyone": ("explain",),
}
AUDIENCE_PANELS = {
    "departments": "Sở, ngành, xã / departments and communes",
    "analysts": "Phân tích, báo cáo / analysts",
    "secretariat": "Văn phòng thường trực / secretariat",
    "everyone": "Tra cứu / reference",
}
# One example per audience, printed under the commands (only for the commands that exist).
AUDIENCE_EXAMPLES: dict[str, tuple[str, str]] = {
    "departments": ("check", "plan57 check data/submissions/so-tc/2025Q4.csv"),
    "analysts": ("report", "plan57 report --period 2025Q4 --out report.html"),
    "secretariat": ("history", "plan57 history CT05"),
    "everyone": ("explain", "plan57 explain not-a-number"),
}
HELP_OPTION_NAMES = ["-h", "--help"]


def audience_of(command: str) -> str | None:
    return next((who for who, names in AUDIENCES.items() if command in names), None)


# What a text option takes, as its help shows it instead of Python's `<str>`.
_TAKES = {
    "--as-of": "<date>",
    "--since": "<date>",
    "--plan-date": "<date>",
    "--period": "<period>",
    "--targets-at": "<rev|date>",
    "--changed-since": "<rev>",
    "--reporter": "<id>",
    "--province": "<name|code>",
    "--plan-number": "<text>",
    "--issuer": "<text>",
    "indicator": "<id>",
    "rev_a": "<rev>",
    "rev_b": "<rev>",
    "code": "<code>",
}


def _flags_as_flags(params: list[Any]) -> list[Any]:
    """A flag takes no value, so its help shows no `<bool>` placeholder after it; files given
    as arguments show as `<file>...` or `<path>...`, not as Python's `<list[Path]>`; a text
    says what it takes (`<date>`, `<period>`), not `<str>`."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
        elif isinstance(param, TyperOption) and param.metavar is None and param.opts[0] in _TAKES:
            param.metavar = _TAKES[param.opts[0]]
        elif isinstance(param, TyperArgument) and _paths(param):
            info = param.type_descriptor.parameter_info
            kind = "path"
            if not info.dir_okay:
                kind = "file"
            elif not info.file_okay:
                kind = "dir"
            # The argument's name already ends in "..." when it takes several.
            setattr(param, "display_type_rich", lambda ctx, shown=f"<{kind}>": shown)  # noqa: B010
        elif isinstance(param, TyperArgument) and param.name in _TAKES:
            shown = _TAKES[param.name]
            setattr(param, "display_type_rich", lambda ctx, shown=shown: shown)  # noqa: B010
    return params


def _paths(param: TyperArgument) -> bool:
    """Whether an argument takes a path, or a list of them."""
    from typing import get_args

    described = param.type_descriptor
    taken = get_args(described.annotation)[0] if described.is_list else described.annotation
    return taken is Path


class _Command(TyperCommand):
    """Every command: -h as well as --help, flags shown as flags, and --quiet/--verbose."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = {opt for param in self.params for opt in param.opts}
        # A command that declares one of these itself keeps its own.
        self.params.extend(p for p in _verbosity_params() if not taken & set(p.opts))

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_as_flags(super().get_params(ctx))


class _Group(TyperGroup):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Each run starts afresh (tests run many in one process).
        state.verbosity, state.lang = 0, None
        return super().main(*args, **kwargs)

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_as_flags(super().get_params(ctx))

    def list_commands(self, ctx: Any) -> list[str]:
        """By audience (departments, analysts, secretariat), then the rest as registered."""
        order = [name for names in AUDIENCES.values() for name in names]
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: order.index(n) if n in order else len(order))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.help = top_help(ctx)
        self.epilog = _examples(super().list_commands(ctx))
        super().format_help(ctx, formatter)

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


def top_help(ctx: Any) -> str:
    """The first paragraph of `plan57 --help`, naming the plan the catalogue is about."""
    from plan57.repository import plan_number

    root = ctx.params.get("root") or os.environ.get("PLAN57_ROOT")
    plan = plan_number(Path(root) if root else None)
    if plan is None:
        return (
            "Kiểm tra và báo cáo tiến độ một kế hoạch hành động (không tìm thấy data/targets.yaml). "
            "Compliance checker for an action plan (no data/targets.yaml found)."
        )
    number, resolution = plan
    return (
        f"Kiểm tra và báo cáo Kế hoạch {number} (Nghị quyết {resolution}). "
        f"Compliance checker for action plan {number} (Resolution {resolution})."
    )


def _examples(commands: list[str]) -> str:
    lines = [
        f"{AUDIENCE_PANELS[who]}: {example}"
        for who, (command, example) in AUDIENCE_EXAMPLES.items()
        if command in commands
    ]
    return "Ví dụ / examples:\n\n" + "\n\n".join(lines) if lines else ""


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


class NotesStream:
    """Standard error, whose write failures (closed, full) are dropped: what plan57 says there
    is for people, and failing to say it must not change the exit status of the run."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            written: int = self._stream.write(text)
        except (OSError, ValueError):
            return len(text)
        return written

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()

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


class _Typer(typer.Typer):
    """Typer whose commands follow the conventions above and sit in their audience's panel."""

    def command(self, name: str | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", _Command)

        def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
            shown = name or function.__name__.replace("_", "-")
            who = audience_of(shown)
            if who is not None:
                kwargs.setdefault("rich_help_panel", AUDIENCE_PANELS[who])
            return super(_Typer, self).command(name, **kwargs)(function)

        return decorator


app = _Typer(
    cls=_Group,
    name="plan57",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": HELP_OPTION_NAMES},
)


def narrowed(arguments: list[str]) -> typer.Typer:
    """The app with only the commands that `arguments` name, for one run from the shell.

    Typer builds every registered command's options before it parses anything (about 2 ms a
    command, most of what `plan57 --version` added to a bare Typer app): a run that names a
    command builds that one, `--version` alone builds none. Anything else (no command named,
    help of the whole app, shell completion) gets every command, as before."""
    import copy

    from typer.main import get_command_name

    def name(command: Any) -> str:
        return str(command.name or get_command_name(command.callback.__name__))

    names = {name(c) for c in app.registered_commands}
    first = next((i for i, a in enumerate(arguments) if a in names), len(arguments))
    if any(key.startswith("_PLAN57_COMPLETE") for key in os.environ):
        return app
    if set(arguments[:first]) & set(HELP_OPTION_NAMES):
        return app  # the whole app's help lists every command
    if first == len(arguments) and arguments != ["--version"]:
        return app
    chosen = [c for c in app.registered_commands if name(c) in arguments]
    small = copy.copy(app)
    small.registered_commands = chosen
    return small


def _set_quiet(value: bool) -> bool:
    if value:
        state.verbosity = -1
    return value


def _set_verbose(value: bool) -> bool:
    if value:
        state.verbosity = 1
    return value


QUIET_HELP = "Chỉ in lỗi và kết quả / only errors and the result: no progress, no notes."
VERBOSE_HELP = "In những gì đang đọc / say what is being read."


def _version(value: bool) -> None:
    if value:
        from plan57 import __version__

        typer.echo(f"plan57 {__version__}")
        raise typer.Exit(0)


def remember_lang(value: str | None) -> Lang:
    """Callback of every --lang option: validate it and remember it for error messages."""
    if value is None:
        # A command without --lang keeps the one given before its name, if any.
        lang = state.lang or default_lang()
    elif value in ("vi", "en"):
        lang = value  # type: ignore[assignment]
    else:
        raise typer.BadParameter("vi | en")
    state.lang = lang
    return lang


LANG_HELP = "Ngôn ngữ / language (mặc định PLAN57_LANG, nếu không thì vi)."


def lang_option() -> Any:
    return typer.Option(
        None,
        "--lang",
        help=LANG_HELP,
        callback=remember_lang,
        metavar="<vi|en>",
        autocompletion=lambda: ["vi", "en"],
        # Before the other options, so that what they say (a deprecated --format) is in it.
        is_eager=True,
    )


@app.callback()
def _global(
    ctx: typer.Context,
    root: Path | None = typer.Option(
        None,
        "--root",
        envvar="PLAN57_ROOT",
        help="Kho dữ liệu / data repository (the folder with data/targets.yaml); "
        "default: found from here up.",
        file_okay=False,
        # Read before --help, which names the plan from this repository's catalogue.
        is_eager=True,
    ),
    debug: bool = typer.Option(
        False,
        "--debug",
        envvar="PLAN57_DEBUG",
        help="Hiện traceback / show tracebacks of failures.",
    ),
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Phiên bản / show the version and exit.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", callback=_set_quiet, help=QUIET_HELP),
    verbose: bool = typer.Option(
        False, "--verbose", "-v", callback=_set_verbose, help=VERBOSE_HELP
    ),
    # Before the command name too, as -q and -v: `plan57 --lang en check`.
    lang: str | None = lang_option(),
) -> None:
    from plan57.repository import find_root

    state.debug = debug
    if quiet and verbose:
        raise typer.BadParameter("--quiet | --verbose")
    ctx.obj = find_root(root) if root is None else root.resolve()


def root_of(ctx: typer.Context) -> Path:
    """The data repository the global options chose."""
    root = ctx.find_root().obj
    return root if isinstance(root, Path) else Path.cwd()


# The default output for people is `human` in every command: it names the reader, not the
# layout (check lists findings, score lists scores, catalogue draws a table). `table`, which
# four commands used before, is still accepted for a release and says so on stderr.
HUMAN = "human"
FORMAT_ALIASES = {"table": HUMAN}
FORMAT_HELP = "Định dạng kết quả / output format."

E = TypeVar("E", bound=enum.StrEnum)


def format_option(choices: type[enum.StrEnum], default: str | None, help: str = "") -> Any:
    """The --format option of a command: its choices listed in help, old names accepted.

    Declare the parameter as `str` (or `str | None`) and read it with `chosen(Enum, value)`.
    """
    names = [member.value for member in choices]

    def validate(value: str | None) -> str | None:
        if value is None:
            return None
        lowered = value.strip().lower()
        if lowered in FORMAT_ALIASES and lowered not in names:
            canonical = FORMAT_ALIASES[lowered]
            if canonical in names:
                if not quiet():
                    note = text("label.format-deprecated", _lang(), old=lowered, new=canonical)
                    sys.stderr.write(f"plan57: {note}\n")
                return canonical
        if lowered not in names:
            raise typer.BadParameter(" | ".join(names))
        return lowered

    return typer.Option(
        default,
        "--format",
        help=help or FORMAT_HELP,
        callback=validate,
        metavar="<" + "|".join(names) + ">",
        autocompletion=lambda: names,
        show_default=default is not None,
    )


def chosen(choices: type[E], value: str) -> E:
    """The --format value (already checked by `format_option`) as its enum member."""
    return choices(value)


def verbose() -> bool:
    return state.verbosity > 0


def quiet() -> bool:
    return state.verbosity < 0


def _verbosity_params() -> list[Any]:
    """--quiet and --verbose after the command name too (`plan57 history -q`), for every
    command: options that feed the same state as the global ones and no function argument."""
    import copy

    return [copy.copy(param) for param in _verbosity_template()]


@functools.cache
def _verbosity_template() -> list[Any]:
    holder = typer.Typer(add_completion=False)

    @holder.command()
    def _options(
        quiet: bool = typer.Option(False, "--quiet", "-q", callback=_set_quiet, help=QUIET_HELP),
        verbose: bool = typer.Option(
            False, "--verbose", "-v", callback=_set_verbose, help=VERBOSE_HELP
        ),
    ) -> None:  # pragma: no cover - never run, only read for its options
        del quiet, verbose

    params = typer.main.get_command(holder).params
    for param in params:
        param.expose_value = False
        # Before the other options, so that --quiet also silences what they would say.
        param.is_eager = True
    return params
