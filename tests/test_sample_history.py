"""The sample history: the bundled submissions replayed on plausible days give `status` a mix."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from conftest import PROJECT
from plan57.catalogue.loading import load_catalogue
from plan57.periods import parse_period
from plan57.submissions.status import build_status


def test_status_of_the_sample_history_shows_on_time_late_and_missing(tmp_path: Path) -> None:
    out = tmp_path / "sample-history"
    script = PROJECT / "scripts" / "sample_history.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    catalogue = load_catalogue(out / "data" / "targets.yaml")
    period = parse_period("2025Q4")
    assert period is not None
    report = build_status(out, catalogue, period, as_of=date(2026, 6, 30))
    assert report.timeliness == "known"
    late = {s.id for s in report.reporters if s.late}
    on_time = {s.id for s in report.reporters if s.submitted and not s.late}
    missing = {s.id for s in report.reporters if s.missing}
    assert late and on_time and missing
    # Every sample file that was sent is the bundled one, byte for byte.
    for path in (out / "data" / "submissions").glob("*/*.csv"):
        assert path.read_bytes() == (PROJECT / path.relative_to(out)).read_bytes()
    # In the project's own history the samples were committed after the fact; not here.
    assert len(on_time) >= len(late)
