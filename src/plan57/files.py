"""Reading and writing files safely: one reader for data files, one writer for every output.

The reader opens a file only if it is a regular file reached without a link, judges its size
before reading it, and never blocks on a FIFO. The writer writes atomically (a crash halfway
leaves the old file whole), writes through a symbolic link to its target (the link stays a
link), and writes into a device or a FIFO as a shell redirection would, never replacing it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from plan57.errors import OutputError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)


class Unreadable(Exception):
    """A data file that is not read; carries the reason as a finding code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words the messages quote."""
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISDIR(mode):
        return "folder"
    return "special file"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path`, if it is a regular file (not a link) of at most `limit` bytes.

    The size is judged from the file system before a byte is read; a FIFO is opened without
    waiting for a writer and closed unread.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _NONBLOCK | _NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable("link-refused") from None
        if exc.errno == errno.ENXIO:  # a socket
            raise Unreadable("not-regular-file", kind="socket") from None
        raise Unreadable("unreadable", reason=exc.strerror or str(exc)) from None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable("not-regular-file", kind=kind_of(status.st_mode))
        if status.st_size > limit:
            raise Unreadable("too-large", size=status.st_size, limit=limit)
        try:
            # As many bytes as the file has (asking for `limit` would allocate it each time),
            # and the rest up to the limit only if it grows while being read.
            data = handle.read(status.st_size + 1)
            if len(data) > status.st_size:
                data += handle.read(limit + 1 - len(data))
        except OSError as exc:
            raise Unreadable("unreadable", reason=exc.strerror or str(exc)) from None
    if len(data) > limit:  # it grew while being read
        raise Unreadable("too-large", size=len(data), limit=limit)
    return data


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path`: the one writer of every file plan57 writes.

    A link is followed to its target, which is written and the link kept. An existing path
    that is not a regular file (a device, a FIFO, a socket) is written into directly, or the
    write is refused (`OutputError`); it is never replaced. A regular file is replaced by a
    temporary file written beside it, flushed to disk, then renamed over it.
    """
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    try:
        status: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise OutputError("write-failed", path=str(path), reason=exc.strerror) from exc
    if status is not None and not stat.S_ISREG(status.st_mode):
        _write_into(path, target, status, data)
        return
    _replace(path, target, data)


def _write_into(shown: Path, target: Path, status: os.stat_result, data: bytes) -> None:
    """Write into a device or a FIFO; a FIFO nobody reads from is refused, never waited on."""
    if stat.S_ISDIR(status.st_mode):
        raise OutputError("write-failed", path=str(shown), reason=os.strerror(errno.EISDIR))
    try:
        descriptor = os.open(target, os.O_WRONLY | _NONBLOCK | _NOCTTY | _CLOEXEC)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if exc.errno == errno.ENXIO:
            reason = f"{kind_of(status.st_mode)}: {reason}"
        raise OutputError("write-failed", path=str(shown), reason=reason) from exc
    try:
        os.set_blocking(descriptor, True)
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    except OSError as exc:
        raise OutputError("write-failed", path=str(shown), reason=exc.strerror) from exc
    finally:
        os.close(descriptor)


def _replace(shown: Path, path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise OutputError("write-failed", path=str(shown), reason=exc.strerror) from exc
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise OutputError("write-failed", path=str(shown), reason=exc.strerror) from exc
        raise


# --- a set of files replaced as one -------------------------------------------------------------


def checked_folder(
    out: Path,
    data: Path,
    *,
    marker: str,
    ours: Callable[[str], bool] = lambda _: False,
    not_ours: str = "site-out-not-site",
) -> Path:
    """The folder `out` a command replaces as a whole, refused (`UsageError`) when it is, lies
    in or holds the repository's `data` folder (`--out .` holds it), is not a folder, or holds
    files the command did not make (no `marker`, and a name `ours` does not claim)."""
    from plan57.errors import UsageError

    target = out.resolve()
    data = data.resolve()
    if target == data or data in target.parents or target in data.parents:
        raise UsageError("site-out-data", path=str(out))
    if target.exists():
        if not target.is_dir():
            raise UsageError("site-out-not-folder", path=str(out))
        names = [entry.name for entry in target.iterdir()]
        if names and not (target / marker).is_file() and not all(map(ours, names)):
            raise UsageError(not_ours, path=str(out))
    return target


T = TypeVar("T")


def replace_folder(target: Path, fill: Callable[[Path], T], *, marker: str) -> T:
    """Fill a new folder beside `target`, then swap it in for `target` in one rename.

    A failure half-way leaves the old folder whole and no new file beside it; nothing is
    ever written into the old folder, so a link planted in it (`pub/targets.csv →
    ../data/targets.yaml`) is replaced with the folder, never written through."""
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise OutputError("write-failed", path=str(target), reason=exc.strerror) from exc
    old: Path | None = None
    try:
        result = fill(building)
        (building / marker).write_text(f"plan57 {marker.rpartition('-')[2]}\n", encoding="utf-8")
        os.chmod(building, 0o755)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=parent))
            os.replace(target, old / "folder")
        os.replace(building, target)
    except BaseException as exc:
        shutil.rmtree(building, ignore_errors=True)
        if old is not None and not target.exists():
            with contextlib.suppress(OSError):
                os.replace(old / "folder", target)
        if isinstance(exc, OSError):
            raise OutputError("write-failed", path=str(target), reason=exc.strerror) from exc
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return result
