"""Every file plan57 writes is written atomically: a failure, an interrupt or a kill halfway
leaves the old file whole, and (except after SIGKILL, which nothing can clean up after) no
temporary file behind.

`write_atomic` is tested on its own, then every command that writes a file (`report --out`,
`template --out`, `codeowners`, `fix`) in-process with a failure injected, and in a real process
stopped by a signal while its new file is half-way to disk.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clirun import invoke
from conftest import PROJECT
from plan57.errors import OutputError
from plan57.files import write_atomic

OLD = b"the old content, whole\n" * 100
NEW = "nội dung mới\n".encode() * 100_000
AS_OF = "2026-03-01"


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# --- write_atomic ---


def test_writes_a_new_file_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "new" / "report.html"
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert listing(target.parent) == ["report.html"]


def test_replacing_keeps_the_old_files_permissions(tmp_path: Path) -> None:
    target = tmp_path / "CODEOWNERS"
    target.write_bytes(OLD)
    target.chmod(0o600)
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


class _HalfWriter:
    """A file whose write stops half-way with a full disk."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def _fail_write(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _HalfWriter(real(*a, **k)))


def _fail_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(descriptor: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fail)


def _fail_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(source: Any, target: Any) -> None:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "replace", fail)


FAILURES: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "disk-full-mid-write": _fail_write,
    "fsync-fails": _fail_fsync,
    "rename-fails": _fail_replace,
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failure_halfway_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(OLD)
    FAILURES[failure](monkeypatch)
    with pytest.raises(OutputError) as caught:
        write_atomic(target, NEW)
    assert caught.value.code == "write-failed"
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["report.html"]


def test_an_interrupt_halfway_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(OLD)

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)
    assert target.read_bytes() == OLD
    assert listing(tmp_path) == ["report.html"]


# --- every command that writes ---


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "data", root / "data")
    return root


def _excel_submission(root: Path) -> Path:
    """A submission `fix` rewrites (a byte-order mark, CRLF line ends): its bytes are the old file."""
    path = root / "data" / "submissions" / "so-tc" / "2025Q4.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    return path


# Each writer: how to make the file it overwrites (returns it), and the arguments.
WRITERS: dict[str, tuple[Callable[[Path], Path], Callable[[Path], list[str]]]] = {
    "report --out": (
        lambda root: root / "out" / "report.html",
        lambda target: ["report", "--period", "2025Q4", "--as-of", AS_OF, "--out", str(target)],
    ),
    "template --out": (
        lambda root: root / "forms" / "so-tc-2025Q4.csv",
        lambda target: [
            "template",
            "--reporter",
            "so-tc",
            "--period",
            "2025Q4",
            "--out",
            str(target),
            "--force",
        ],
    ),
    "codeowners": (
        lambda root: root / ".github" / "CODEOWNERS",
        lambda target: ["codeowners", "--out", str(target)],
    ),
    "fix": (_excel_submission, lambda target: ["fix"]),
}


def _prepare(tmp_path: Path, writer: str) -> tuple[Path, Path, bytes, list[str]]:
    root = _repo(tmp_path)
    place, arguments = WRITERS[writer]
    target = place(root)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(OLD)
    return root, target, target.read_bytes(), arguments(target)


@pytest.mark.parametrize("writer", list(WRITERS))
def test_each_writer_writes(tmp_path: Path, writer: str) -> None:
    root, target, old, arguments = _prepare(tmp_path, writer)
    before = listing(target.parent)
    result = invoke(root, *arguments)
    assert result.exit_code == 0, result.output
    # The file was replaced, and nothing else appeared beside it.
    assert target.read_bytes() != old
    assert listing(target.parent) == before


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("writer", list(WRITERS))
def test_each_writer_leaves_the_old_file_whole_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str, failure: str
) -> None:
    root, target, old, arguments = _prepare(tmp_path, writer)
    before = listing(target.parent)
    FAILURES[failure](monkeypatch)
    result = invoke(root, *arguments)
    monkeypatch.undo()
    assert result.exit_code == 2
    assert target.read_bytes() == old
    assert listing(target.parent) == before


# A process stopped while its new file is on its way to disk: fsync is the last step before
# the rename, so the whole new file is in the temporary file and the old one still in place.
_STALLED_RUN = textwrap.dedent(
    """
    import os, sys, time

    def stall(descriptor):
        sys.stderr.write("PLAN57-WRITING\\n")
        sys.stderr.flush()
        time.sleep(600)

    os.fsync = stall
    sys.argv = ["plan57", *sys.argv[1:]]
    from plan57.cli import main

    main()
    """
)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("writer", list(WRITERS))
def test_each_writer_killed_halfway_leaves_the_old_file_whole(
    tmp_path: Path, writer: str, how: signal.Signals
) -> None:
    root, target, old, arguments = _prepare(tmp_path, writer)
    before = listing(target.parent)
    process = subprocess.Popen(
        [sys.executable, "-c", _STALLED_RUN, "--root", str(root), *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=root,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line == b"PLAN57-WRITING\n", line + process.stderr.read()
        # The new file is complete in its temporary file beside the target.
        assert len(listing(target.parent)) == len(before) + 1
        process.send_signal(how)
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
    assert target.read_bytes() == old
    if how == signal.SIGTERM:
        assert code == 128 + signal.SIGTERM
        assert listing(target.parent) == before
    else:
        # Nothing runs after SIGKILL: the half-written temporary file stays, hidden and named
        # after its target, and the old file is untouched.
        assert code == -signal.SIGKILL
        leftovers = set(listing(target.parent)) - set(before)
        assert len(leftovers) == 1
        assert next(iter(leftovers)).startswith(f".{target.name}.")


# --- paths that are not regular files: written into or refused, never replaced ---


def test_a_fifo_nobody_reads_is_refused_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError) as caught:
        write_atomic(fifo, NEW)
    assert caught.value.code == "write-failed"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert listing(tmp_path) == ["pipe"]


def test_a_fifo_with_a_reader_is_written_into(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    try:
        for _ in range(500):  # until the reader has the FIFO open
            try:
                write_atomic(fifo, NEW)
                break
            except OutputError:
                time.sleep(0.01)
    finally:
        if not received and reader.is_alive():
            with open(fifo, "wb"):
                pass  # releases the reader if nothing was written
        reader.join(timeout=30)
    assert received == [NEW]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make a device here: {error}")
    write_atomic(device, NEW)
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert listing(tmp_path) == ["null"]


def test_a_socket_is_refused_and_stays_a_socket(tmp_path: Path) -> None:
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(OutputError):
            write_atomic(path, NEW)
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    finally:
        server.close()


def test_a_link_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    target = tmp_path / "real.html"
    target.write_bytes(OLD)
    link = tmp_path / "report.html"
    link.symlink_to("real.html")
    write_atomic(link, NEW)
    assert link.is_symlink()
    assert target.read_bytes() == NEW
    assert listing(tmp_path) == ["real.html", "report.html"]


@pytest.mark.parametrize("writer", ["report --out", "template --out", "codeowners"])
def test_each_writer_refuses_a_fifo_with_exit_2(tmp_path: Path, writer: str) -> None:
    root = _repo(tmp_path)
    place, arguments = WRITERS[writer]
    target = place(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(target)
    result = invoke(root, *arguments(target), "--lang", "en")
    assert result.exit_code == 2
    assert "Could not write" in result.stderr
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
