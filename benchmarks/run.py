"""Measure plan57 on the generated corpora against the budgets of issues 6 and 24.

Each figure is the median wall time of several runs of the real command, each run a new
process as a person or CI starts it (so every run is "cold" for plan57's own caches; the
operating system's file cache is warm after one untimed run). Peak memory is the largest
resident set of those runs, from the kernel's accounting of the child (wait4). A run whose
exit status or output is not what the corpus calls for fails the benchmark: a fast wrong
answer is not a result.

The table is printed and written into docs/performance.md between its markers; the exit
status is 1 when a budget is missed, a check of the output fails, or a figure cannot be
measured (a command that does not exist yet is reported as not available, never faked).

Usage: python benchmarks/run.py [--runs N] [--only ID ...] [--no-write] [--profile ID]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
CORPUS = HERE / ".corpus"
DOC = PROJECT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
# The benchmark's own environment: plan57 (editable) and frictionless live beside this Python.
BIN = Path(sys.executable).parent
AS_OF = "2026-11-30"
# The plan's whole life (issue 24): monthly files to 2045M12, judged the February after.
LIFETIME_AS_OF = "2046-02-01"
LIFETIME_PERIOD = "2045Q4"
# Every command on the lifetime corpus stays within this (355,000 rows are tens of MB).
LIFETIME_MEMORY = 400.0
STARTUP_FACTOR = 1.2
# Ten times the rows may cost at most this many times the time: linear, with start-up to spare.
LINEAR_FACTOR = 12.5
PEER_FACTOR = 3.0
# Outside the corpus: an untracked file there would count as a change for --changed-since.
REPORT_OUT = Path(tempfile.gettempdir()) / "plan57-bench-report.html"
SITE_OUT = Path(tempfile.gettempdir()) / "plan57-bench-site"
EXPORT_OUT = Path(tempfile.gettempdir()) / "plan57-bench-export"


@dataclass
class Run:
    seconds: float
    peak_mb: float
    status: int
    stdout: bytes
    stderr: bytes


@dataclass
class Measure:
    id: str
    label: str
    argv: list[str]
    corpus: str
    budget: float | None = None
    memory: float | None = None
    runs: int = 5
    expect: int = 0
    # What must exist for the measurement to mean anything: a command, or "command --option".
    needs: str | None = None
    # A Python module the benchmark's environment must have (the roll-up's engine).
    module: str | None = None
    verify: Callable[[Run, Path], str | None] | None = None
    result: list[Run] = field(default_factory=list)
    problem: str | None = None
    unavailable: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.result)

    @property
    def peak(self) -> float:
        return max(r.peak_mb for r in self.result)

    @property
    def met(self) -> bool:
        if self.unavailable or self.problem or not self.result:
            return False
        if self.budget is not None and self.median > self.budget:
            return False
        return self.memory is None or self.peak <= self.memory


def run_once(argv: list[str], cwd: Path) -> Run:
    """One run of `argv` in `cwd`: wall time, peak memory of that child, status, output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLAN57_")}
    env.update(NO_COLOR="1", COLUMNS="120", TERM="dumb", PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, env=env)
        # wait4 gives this child's own resource usage; Popen.wait would throw it away.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # Linux reports ru_maxrss in kilobytes.
        return Run(seconds, usage.ru_maxrss / 1024, process.returncode, out.read(), err.read())


# --- what each corpus must produce ----------------------------------------------------------


def json_report(run: Run) -> dict[str, object]:
    data: dict[str, object] = json.loads(run.stdout)
    return data


def broken_codes(run: Run, corpus: Path) -> str | None:
    expected = set(json.loads((corpus / "expected-codes.json").read_text("utf-8"))["codes"])
    problems = json_report(run)["problems"]
    assert isinstance(problems, list)
    found = {p["code"] for p in problems}
    missing = expected - found
    return f"codes not reported: {', '.join(sorted(missing))}" if missing else None


def imported(run: Run, corpus: Path) -> str | None:
    """Every workbook became its submission."""
    written = len(list((corpus / "data" / "submissions").glob("*/*.csv")))
    expected = len(WORKBOOKS)
    return None if written == expected else f"{written} of {expected} submissions written"


def clean_corpus(run: Run, corpus: Path) -> str | None:
    """A valid corpus gives no error (the catalogue's own warnings are expected)."""
    from plan57.messages import TABLES

    text = run.stdout.decode("utf-8", "replace")
    if any(table["label.check-ok"] in text for table in TABLES.values()):
        return None
    match = re.search(r"(\d+) (?:lỗi|errors?)", text)
    if match is None or match.group(1) != "0":
        return "the valid corpus did not check clean: " + text.strip().splitlines()[-1:][0]
    return None


def scored(run: Run, corpus: Path) -> str | None:
    indicators = json_report(run).get("indicators")
    if not isinstance(indicators, list) or len(indicators) != 55:
        return "score did not give 55 indicators"
    statuses = {i["status"] for i in indicators}
    return None if statuses - {"no-data"} else "every indicator is no-data: nothing was scored"


def report_written(run: Run, corpus: Path) -> str | None:
    if not REPORT_OUT.is_file() or REPORT_OUT.stat().st_size < 10_000:
        return "the report was not written"
    return None


def site_written(run: Run, corpus: Path) -> str | None:
    pages = len(list((SITE_OUT / "indicators").glob("CT*.html")))
    if pages != 55 or not (SITE_OUT / "en" / "index.html").is_file():
        return f"the site has {pages} indicator pages, not 55 in each language"
    if not (SITE_OUT / "data" / "datapackage.json").is_file():
        return "the site has no open data"
    return None


def export_written(run: Run, corpus: Path) -> str | None:
    names = {"datapackage.json", "observations.parquet", "scores.json", "registry.csv"}
    missing = names - {p.name for p in EXPORT_OUT.iterdir()} if EXPORT_OUT.is_dir() else names
    if missing:
        return f"the export lacks {', '.join(sorted(missing))}"
    rows = (EXPORT_OUT / "observations.csv").read_bytes().count(b"\n") - 1
    expected = _size(corpus.name)[1]
    return None if rows == expected else f"the export has {rows} observations, not {expected:,}"


def status_given(run: Run, corpus: Path) -> str | None:
    return None if run.stdout.strip() else "status printed nothing"


def national_rolled(run: Run, corpus: Path) -> str | None:
    expected = _size("national")[1]
    text = run.stdout.decode("utf-8", "replace")
    match = re.search(r"([\d,]+) rows in", text)
    rows = int(match.group(1).replace(",", "")) if match else 0
    return None if rows == expected else f"the roll-up read {rows:,} rows, not {expected:,}"


def history_complete(run: Run, corpus: Path) -> str | None:
    revisions = json_report(run).get("revisions")
    if not isinstance(revisions, list) or len(revisions) < 2_000:
        return f"history gave {len(revisions) if isinstance(revisions, list) else 0} revisions"
    return None


def history_text(run: Run, corpus: Path) -> str | None:
    return None if run.stdout.count(b"\n") > 2_000 else "history printed too little"


def _size(name: str) -> tuple[int, int]:
    """A corpus's files and rows, as generate.py recorded them when it made the corpus
    (seeded, so the same for a given generator and catalogue)."""
    try:
        facts = json.loads((CORPUS / "manifest.json").read_text("utf-8"))[name]
    except (OSError, ValueError, KeyError):
        return 0, 0
    return int(facts.get("files", facts.get("provinces", 0))), int(facts["rows"])


PROVINCE_FILES, PROVINCE_ROWS = _size("province")
LIFETIME_FILES, LIFETIME_ROWS = _size("lifetime")

# The 102 workbooks of the `workbooks` corpus, one per commune and ward (see generate.py).
sys.path.insert(0, str(HERE))
from generate import workbook_names  # noqa: E402

WORKBOOKS = workbook_names()

MEASURES = [
    Measure("help", "`plan57 --help`", ["plan57", "--help"], "province", budget=0.3),
    Measure(
        "version", "`plan57 --version`", ["plan57", "--version"], "province", budget=0.3, runs=9
    ),
    Measure(
        "check",
        f"`plan57 check`, province ({PROVINCE_FILES:,} files, {PROVINCE_ROWS:,} rows)",
        ["plan57", "check", "--as-of", AS_OF],
        "province",
        budget=1.5,
        verify=clean_corpus,
    ),
    Measure(
        "check-broken",
        "`plan57 check --format json`, province with 1% broken rows",
        ["plan57", "check", "--as-of", AS_OF, "--format", "json"],
        "province-broken",
        budget=1.5,
        expect=1,
        verify=broken_codes,
    ),
    Measure(
        "changed",
        "`plan57 check --changed-since HEAD~1`, one changed file",
        ["plan57", "check", "--changed-since", "HEAD~1", "--as-of", AS_OF],
        "province",
        budget=0.8,
        needs="check --changed-since",
        verify=clean_corpus,
    ),
    Measure(
        "score",
        "`plan57 score --period 2026Q3`, province",
        ["plan57", "score", "--period", "2026Q3", "--as-of", AS_OF, "--format", "json"],
        "province",
        budget=1.5,
        needs="score",
        verify=scored,
    ),
    Measure(
        "report",
        "`plan57 report --format html`, province",
        [
            "plan57",
            "report",
            "--period",
            "2026Q3",
            "--as-of",
            AS_OF,
            "--format",
            "html",
            "--out",
            str(REPORT_OUT),
        ],
        "province",
        budget=1.5,
        needs="report",
        verify=report_written,
    ),
    Measure(
        "site",
        "`plan57 site`, province (390 pages in two languages, with the open data)",
        ["plan57", "site", "--out", str(SITE_OUT), "--as-of", AS_OF],
        "province",
        budget=10.0,
        needs="site",
        verify=site_written,
    ),
    Measure(
        "export",
        "`plan57 export`, province (CSV, data package, Parquet, JSON)",
        ["plan57", "export", "--out", str(EXPORT_OUT), "--as-of", AS_OF],
        "province",
        budget=3.0,
        needs="export",
        verify=export_written,
    ),
    Measure(
        "status",
        "`plan57 status`, province",
        ["plan57", "status", "--period", "2026Q3", "--as-of", AS_OF],
        "province",
        needs="status",
        verify=status_given,
    ),
    *[
        Measure(
            f"{name}-lifetime",
            f"{label}, lifetime ({LIFETIME_FILES:,} files, {LIFETIME_ROWS:,} rows)",
            [*argv, "--as-of", LIFETIME_AS_OF],
            "lifetime",
            budget=budget,
            memory=LIFETIME_MEMORY,
            runs=3,
            needs=needs,
            verify=verify,
        )
        for name, label, argv, budget, needs, verify in [
            (
                "changed",
                "`plan57 check --changed-since HEAD~1`, one changed file",
                ["plan57", "check", "--changed-since", "HEAD~1"],
                0.5,
                "check --changed-since",
                clean_corpus,
            ),
            ("check", "`plan57 check`", ["plan57", "check"], 2.0, None, clean_corpus),
            (
                "score",
                f"`plan57 score --period {LIFETIME_PERIOD}`",
                ["plan57", "score", "--period", LIFETIME_PERIOD, "--format", "json"],
                1.0,
                "score",
                scored,
            ),
            (
                "report",
                "`plan57 report --format html`",
                [
                    "plan57",
                    "report",
                    "--period",
                    LIFETIME_PERIOD,
                    "--format",
                    "html",
                    "--out",
                    str(REPORT_OUT),
                ],
                1.0,
                "report",
                report_written,
            ),
            (
                "status",
                f"`plan57 status --period {LIFETIME_PERIOD}`",
                ["plan57", "status", "--period", LIFETIME_PERIOD],
                1.0,
                "status",
                status_given,
            ),
            (
                "export",
                "`plan57 export`",
                ["plan57", "export", "--out", str(EXPORT_OUT)],
                3.0,
                "export",
                export_written,
            ),
            (
                "site",
                "`plan57 site`",
                ["plan57", "site", "--out", str(SITE_OUT)],
                5.0,
                "site",
                site_written,
            ),
        ]
    ],
    Measure(
        "version-bare",
        "a bare Typer app's `--version` (`benchmarks/bare_typer.py`)",
        ["python", str(HERE / "bare_typer.py"), "--version"],
        "province",
        runs=9,
    ),
    Measure(
        "national",
        "national picture: 34 provinces' exports over twenty years, DuckDB "
        "(`benchmarks/rollup.py --exports`)",
        ["python", str(HERE / "rollup.py"), "--exports", "exports"],
        "national",
        budget=10.0,
        runs=3,
        module="duckdb",
        verify=national_rolled,
    ),
    Measure(
        "history",
        "`plan57 history`, 2,000 revisions, cold",
        ["plan57", "history"],
        "history",
        # Issue 14: the simplest cache that keeps 2,000 revisions within 1.5 s (the byte-level
        # splitter it replaced bought 0.5 s that nobody reading a history feels).
        budget=1.5,
        needs="history",
        verify=history_text,
    ),
    Measure(
        "history-json",
        "`plan57 history --format json`, 2,000 revisions, cold",
        ["plan57", "history", "--format", "json"],
        "history",
        needs="history",
        verify=history_complete,
    ),
    Measure(
        "import",
        "`plan57 import`, 102 filled-in workbooks (one per commune and ward)",
        ["plan57", "import", "--force", *WORKBOOKS],
        "workbooks",
        budget=5.0,
        needs="import",
        verify=imported,
    ),
    Measure(
        "check-10k",
        "`plan57 check`, 10,000 rows (200 files)",
        ["plan57", "check", "--as-of", AS_OF],
        "stress-10k",
        verify=clean_corpus,
    ),
    Measure(
        "check-100k",
        "`plan57 check`, 100,000 rows (2,000 files)",
        ["plan57", "check", "--as-of", AS_OF],
        "stress-100k",
        verify=clean_corpus,
    ),
    Measure(
        "check-1m",
        "`plan57 check`, 1,000,000 rows (20,000 files)",
        ["plan57", "check", "--as-of", AS_OF],
        "stress-1m",
        budget=10.0,
        memory=1536.0,
        runs=3,
        verify=clean_corpus,
    ),
    Measure(
        "rollup-1m",
        "DuckDB roll-up of the same 1,000,000 rows (`benchmarks/rollup.py`)",
        ["python", str(HERE / "rollup.py"), "."],
        "stress-1m",
        runs=3,
        module="duckdb",
    ),
    Measure(
        "frictionless",
        "`frictionless validate`, the same 100,000 rows as one CSV",
        ["frictionless", "validate", "rows.resource.json"],
        "peer",
    ),
    Measure(
        "frictionless-1m",
        "`frictionless validate`, the 1,000,000 rows as one CSV",
        ["frictionless", "validate", "rows.resource.json"],
        "peer-1m",
        runs=1,
    ),
]


def available(measure: Measure) -> str | None:
    """Why `measure` cannot be taken yet, or None."""
    if not (CORPUS / measure.corpus).is_dir():
        return f"corpus {measure.corpus} missing (run benchmarks/generate.py)"
    if not (BIN / measure.argv[0]).exists():
        return f"{measure.argv[0]} is not installed in {BIN}"
    if measure.module is not None:
        probe = [str(BIN / "python"), "-c", f"import {measure.module}"]
        if subprocess.run(probe, capture_output=True, check=False).returncode != 0:
            return f"{measure.module} is not installed in {BIN}"
    if measure.needs is None:
        return None
    command, _, option = measure.needs.partition(" ")
    listing = run_once([str(BIN / "plan57"), "--help"], PROJECT).stdout.decode()
    if not re.search(rf"^\W*{re.escape(command)}\b", listing, re.MULTILINE):
        return f"plan57 has no `{command}` command yet"
    if option:
        text = run_once([str(BIN / "plan57"), command, "--help"], PROJECT).stdout.decode()
        if option not in text:
            return f"`plan57 {command}` has no {option} yet"
    return None


def take(measure: Measure, runs: int | None) -> None:
    measure.unavailable = available(measure)
    if measure.unavailable:
        return
    corpus = CORPUS / measure.corpus
    argv = [str(BIN / measure.argv[0]), *measure.argv[1:]]
    warm = run_once(argv, corpus)  # fills the file cache and checks the answer; not timed
    if warm.status != measure.expect:
        tail = (warm.stderr or warm.stdout).decode("utf-8", "replace").strip()[-300:]
        measure.problem = f"exit {warm.status}, expected {measure.expect}: {tail}"
        return
    if measure.verify is not None:
        try:
            measure.problem = measure.verify(warm, corpus)
        except (ValueError, KeyError, AssertionError) as error:
            measure.problem = f"unexpected output: {error}"
        if measure.problem:
            return
    for _ in range(runs or measure.runs):
        measure.result.append(run_once(argv, corpus))
    REPORT_OUT.unlink(missing_ok=True)


# --- the table ------------------------------------------------------------------------------


def seconds(value: float) -> str:
    return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"


def verdict(measure: Measure) -> str:
    if measure.unavailable:
        return f"not available: {measure.unavailable}"
    if measure.problem:
        return f"FAILED: {measure.problem}"
    if measure.budget is None and measure.memory is None:
        return "(reference)"
    return "met" if measure.met else "MISSED"


def budget_text(measure: Measure) -> str:
    parts = []
    if measure.budget is not None:
        parts.append(f"≤ {measure.budget:g} s")
    if measure.memory is not None:
        memory = measure.memory
        parts.append(f"≤ {memory / 1024:g} GB" if memory >= 1024 else f"≤ {memory:g} MB")
    return ", ".join(parts) or "—"


def derived(by_id: dict[str, Measure]) -> list[tuple[str, str, str, bool | None]]:
    """Figures computed from two measurements: linear growth, and the peer comparison."""
    rows: list[tuple[str, str, str, bool | None]] = []
    small, large = by_id.get("check-100k"), by_id.get("check-1m")
    if small and large and small.result and large.result:
        growth = large.median / small.median
        rows.append(
            (
                "growth 100,000 → 1,000,000 rows (10× the rows)",
                f"{growth:.1f}× the time",
                f"≤ {LINEAR_FACTOR:g}× (linear)",
                growth <= LINEAR_FACTOR,
            )
        )
    else:
        rows.append(("growth 100,000 → 1,000,000 rows", "not available", "linear", None))
    rows += startup(by_id)
    rows += lifetime_growth(by_id)
    peer, ours = by_id.get("frictionless"), small
    if peer and ours and peer.result and ours.result:
        ratio = peer.median / ours.median
        rows.append(
            (
                "`plan57 check` against `frictionless validate`, same 100,000 rows",
                f"{ratio:.1f}× faster",
                f"≥ {PEER_FACTOR:g}×",
                ratio >= PEER_FACTOR,
            )
        )
    else:
        rows.append(
            ("`plan57 check` against `frictionless validate`", "not available", "≥ 3×", None)
        )
    peer, ours = by_id.get("frictionless-1m"), large
    if peer and ours and peer.result and ours.result:
        ratio = peer.median / ours.median
        # A reference, without a budget of its own: how the comparison grows with the rows.
        rows.append(
            (
                "the same comparison on 1,000,000 rows",
                f"{ratio:.1f}× faster",
                "—",
                True,
            )
        )
    return rows


def startup(by_id: dict[str, Measure]) -> list[tuple[str, str, str, bool | None]]:
    ours, bare = by_id.get("version"), by_id.get("version-bare")
    if not (ours and bare and ours.result and bare.result):
        return [("start-up against a bare Typer app", "not available", "≤ 1.2×", None)]
    ratio = ours.median / bare.median
    return [
        (
            "start-up: `plan57 --version` against a bare Typer app's",
            f"{ratio:.2f}× ({seconds(ours.median)} against {seconds(bare.median)})",
            f"≤ {STARTUP_FACTOR:g}×",
            ratio <= STARTUP_FACTOR,
        )
    ]


# Each lifetime figure and the province figure it grew from.
GROWTH = ["changed", "check", "score", "report", "status", "export", "site"]


def lifetime_growth(by_id: dict[str, Measure]) -> list[tuple[str, str, str, bool | None]]:
    """From province to lifetime, time and peak memory, against the growth of the rows."""
    rows: list[tuple[str, str, str, bool | None]] = []
    work = LIFETIME_ROWS / PROVINCE_ROWS if PROVINCE_ROWS else float("nan")
    for name in GROWTH:
        small, large = by_id.get(name), by_id.get(f"{name}-lifetime")
        if not (small and large):
            continue
        shown = large.label.split(", lifetime (")[0]
        label = f"growth province → lifetime ({work:.1f}× the rows): {shown}"
        if not (small.result and large.result):
            rows.append((label, "not available", "linear", None))
            continue
        time_factor, memory_factor = large.median / small.median, large.peak / small.peak
        rows.append(
            (
                label,
                f"{time_factor:.1f}× the time, {memory_factor:.1f}× the memory",
                f"≤ {work:.1f}× (linear)",
                max(time_factor, memory_factor) <= work,
            )
        )
    return rows


def machine() -> list[str]:
    cpu = "unknown"
    memory = "unknown"
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    if cpuinfo.is_file():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = names[0] if names else cpu
    if meminfo.is_file():
        total = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        memory = f"{int(total.group(1)) / 1024 / 1024:.1f} GiB" if total else memory
    versions = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import importlib.metadata as m; print(*(f'{p} {m.version(p)}' for p in "
            "('plan57', 'pandas', 'numpy', 'frictionless')), sep=', ')",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(PROJECT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return [
        f"- Machine: {os.cpu_count()} cores (`nproc`), {cpu}, {memory} of memory, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; {versions}",
        f"- Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit `{commit}`, "
        f"load average {load:.2f} at the start (the machine is shared: figures are noisy)",
    ]


def table(measures: list[Measure]) -> tuple[str, bool]:
    by_id = {m.id: m for m in measures}
    lines = [
        *machine(),
        "",
        "| figure | median | runs | peak memory | budget | result |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    ok = True
    for m in measures:
        if m.result:
            median, runs, peak = seconds(m.median), str(len(m.result)), f"{m.peak:.0f} MB"
        else:
            median = runs = peak = "—"
        result = verdict(m)
        ok &= result in ("met", "(reference)")
        lines.append(f"| {m.label} | {median} | {runs} | {peak} | {budget_text(m)} | {result} |")
    for label, value, budget, met in derived(by_id):
        ok &= bool(met)
        shown = "met" if met else "not available" if met is None else "MISSED"
        shown = "(reference)" if budget == "—" else shown
        lines.append(f"| {label} | {value} | | | {budget} | {shown} |")
    scale = [by_id[i] for i in ("check-10k", "check-100k", "check-1m") if i in by_id]
    if any(m.result for m in scale):
        lines += [
            "",
            "| rows | median | per 1,000 rows | peak memory |",
            "| ---: | ---: | ---: | ---: |",
        ]
        for m, rows in zip(scale, (10_000, 100_000, 1_000_000), strict=False):
            if m.result:
                per = m.median / rows * 1000
                lines.append(
                    f"| {rows:,} | {seconds(m.median)} | {per * 1000:.1f} ms | {m.peak:.0f} MB |"
                )
    return "\n".join(lines) + "\n", ok


def write_doc(text: str) -> None:
    block = f"{BEGIN}\n{text}{END}"
    current = DOC.read_text("utf-8") if DOC.is_file() else "# Performance\n\n"
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        updated = head + block + tail
    else:
        updated = current.rstrip("\n") + "\n\n" + block + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(updated, "utf-8")


def profile(measure: Measure) -> int:
    """Run one measurement's command under pyinstrument and print where the time goes."""
    tool = BIN / "pyinstrument"
    if not tool.exists() or measure.argv[0] != "plan57":
        print(f"run.py: cannot profile {measure.id} (pyinstrument or a plan57 command needed)")
        return 2
    argv = [str(tool), "-r", "text", str(BIN / "plan57"), *measure.argv[1:]]
    return subprocess.run(argv, cwd=CORPUS / measure.corpus, check=False).returncode


def compile_plan57() -> None:
    """plan57's bytecode, compiled as `pip install` compiles an installed package's: the
    editable install would otherwise compile every module in every run (about 0.08 s of a
    report), which no user's installed plan57 pays. The runs themselves write no bytecode."""
    import compileall

    compileall.compile_dir(PROJECT / "src" / "plan57", quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="timed runs per figure (default: 5, 3 for big)")
    parser.add_argument("--only", nargs="*", choices=[m.id for m in MEASURES])
    parser.add_argument("--no-write", action="store_true", help="do not update the doc")
    parser.add_argument("--profile", choices=[m.id for m in MEASURES])
    args = parser.parse_args(argv)
    if args.profile:
        return profile(next(m for m in MEASURES if m.id == args.profile))
    chosen = [m for m in MEASURES if not args.only or m.id in args.only]
    compile_plan57()
    for measure in chosen:
        print(f"bench: {measure.id} …", file=sys.stderr, flush=True)
        take(measure, args.runs)
    text, ok = table(chosen)
    print(text)
    if not args.no_write and not args.only:
        write_doc(text)
        print(f"bench: table written to {DOC.relative_to(PROJECT)}", file=sys.stderr)
    if not ok:
        print("bench: a budget was missed or a figure could not be taken", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    if shutil.which("git") is None:
        sys.exit("run.py: git is needed")
    sys.exit(main())
