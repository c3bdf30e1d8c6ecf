"""The report as a PDF (`plan57 report --out report.pdf`): the Word báo cáo, printed by
LibreOffice from the system's packages (`soffice --headless --convert-to pdf`).

A real engine lays the pages out, the same one the Word document's test looks at; plan57 never
writes a PDF by hand. Without LibreOffice the command stops and says how to get it, or to
choose another format.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from plan57.errors import OutputError

# LibreOffice's first start in a fresh profile takes a few seconds; a report, a few more.
_TIMEOUT = 180


def office() -> str | None:
    """The LibreOffice binary: $PLAN57_SOFFICE, else soffice or libreoffice on the PATH."""
    for candidate in (
        os.environ.get("PLAN57_SOFFICE"),
        shutil.which("soffice"),
        shutil.which("libreoffice"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def docx_to_pdf(document: bytes) -> bytes:
    """`document` (a .docx) printed to PDF by LibreOffice, in a folder and profile of its own."""
    binary = office()
    if binary is None:
        raise OutputError("pdf-no-office")
    with tempfile.TemporaryDirectory(prefix="plan57-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(document)
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=_TIMEOUT,
                env={**os.environ, "HOME": str(work)},
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise OutputError("pdf-failed", reason=str(exc)[:200]) from None
        printed = work / "report.pdf"
        if done.returncode != 0 or not printed.is_file():
            reason = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[:200]
            raise OutputError("pdf-failed", reason=reason or f"exit status {done.returncode}")
        return printed.read_bytes()
