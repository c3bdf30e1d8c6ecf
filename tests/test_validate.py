"""The submission contract: one fixture per finding code, each giving exactly its findings.

Each folder under tests/data/findings/<code>/ is a small data repository (its submissions, and
its own data/targets.yaml when the code is about the catalogue); the real catalogue is copied in
otherwise. The table below says which findings each fixture must give, and nothing else.
"""

from __future__ import annotations

import codecs
import errno
import os
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
import pytest

import plan57
from conftest import AS_OF, FINDINGS, PROJECT, REAL_CATALOGUE, DataRepo, make_repo, nest, unnest
from plan57.catalogue.loading import indicator_lines
from plan57.findings import Finding
from plan57.messages import SEVERITY
from plan57.submissions.rules import check_repository

CAT = "data/targets.yaml"
WARNINGS = {
    "not-reported",
    "value-jump",
    "stock-fell",
    "peer-outlier",
    "stock-conflict",
    "flow-annual-conflict",
    "catalogue-overlap",
    "catalogue-target-down",
    "catalogue-no-monitor",
    "catalogue-empty-group",
    "catalogue-decision",
}


@dataclass(frozen=True)
class Expect:
    code: str
    file: str
    line: int | None = None
    column: str | None = None
    indicator: str | None = None
    # Text the English message or hint must contain.
    says: str = ""

    @property
    def path(self) -> str:
        if self.file in (CAT, "data/submissions"):
            return self.file
        return f"data/submissions/{self.file}"

    @property
    def severity(self) -> str:
        return "warning" if self.code in WARNINGS else "error"

    def key(self) -> tuple[object, ...]:
        return (self.code, self.severity, self.path, self.line, self.column, self.indicator)


def _key(finding: Finding) -> tuple[object, ...]:
    return (
        finding.code,
        finding.severity,
        finding.file,
        finding.line,
        finding.column,
        finding.indicator,
    )


E = Expect
CASES: dict[str, list[Expect]] = {
    "link-refused": [E("link-refused", "so-tc/2025.csv"), E("link-refused", "so-nv")],
    # Built at test time (git keeps none of these): see SETUP below.
    "not-regular-file": [E("not-regular-file", "so-tc/2025.csv", says="FIFO")],
    "unreadable": [
        E("unreadable", "so-tc/2025.csv", says="Permission denied"),
        E("unreadable", "so-nv", says="Permission denied"),
    ],
    "too-large": [E("too-large", "so-tc/2025.csv", says="2000000000 bytes")],
    "too-deep": [E("too-deep", "so-tc/a/a", says="at most 2")],
    "submissions-not-folder": [E("submissions-not-folder", "data/submissions")],
    # "1,500" split at its comma under a column with no name; the empty one on line 2 is fine.
    "unnamed-column": [E("unnamed-column", "so-khcn/2025.csv", 3, "3", says="“500”")],
    # A checked-out submodule (its folder holds a .git file), built at test time.
    "submodule-refused": [E("submodule-refused", "so-tc", says="another git repository")],
    # 60 unknown columns: 50 listed, then one finding counting the other 10.
    "too-many-findings": [
        *(E("unknown-column", "so-khcn/2025.csv", 1, f"x{i}") for i in range(50)),
        E("too-many-findings", "so-khcn/2025.csv", says="10 more “unknown-column”"),
    ],
    # 1 followed by 308 zeros reads as 1e308: a report's chart would overflow scaling it.
    "value-too-large": [E("value-too-large", "so-khcn/2025.csv", 2, "value", "CT16", says="10¹²")],
    # A tab is fine; a bell is not, and the message shows it escaped.
    "control-character": [
        E("control-character", "so-khcn/2025.csv", 3, "note", "CT15", says="bell\\u0007 here")
    ],
    "bad-file-name": [
        E("bad-file-name", "so-khcn/2025Q1.txt"),
        E("bad-file-name", "notes.csv"),
        E("bad-file-name", "so-khcn/old/2025.csv"),
    ],
    "unknown-reporter": [
        E("unknown-reporter", "so-kcn/2025.csv", says="Did you mean so-khcn?"),
        # A group is not a reporter: its members submit.
        E("unknown-reporter", "cac-so-nganh/2025.csv"),
    ],
    "bad-period": [
        E("bad-period", "so-khcn/2025Q5.csv", says="“2025Q5”"),
        E("bad-period", "so-khcn/2025q1.csv"),
        E("bad-period", "so-khcn/0000.csv"),
    ],
    # 2026Q2 ends on the check date itself, so it is over.
    "period-not-over": [E("period-not-over", "so-khcn/2026Q3.csv", says="2026-09-30")],
    # 2024 is the baseline year and allowed.
    "period-too-early": [E("period-too-early", "so-khcn/2023.csv", says="2024")],
    "encoding": [
        # Excel on a Vietnamese Windows: tone marks as separate bytes after their vowel.
        E("encoding", "so-khcn/2025.csv", line=3, says="windows-1258"),
        E("encoding", "so-tc/2025.csv", line=4, says="windows-1252"),
        E("encoding", "so-nv/2025.csv", line=1, says="UTF-16"),
    ],
    "nul-byte": [E("nul-byte", "so-khcn/2025.csv", line=3)],
    "truncated": [E("truncated", "so-khcn/2025.csv", line=3, says="cut short")],
    "too-many-rows": [E("too-many-rows", "so-khcn/2025.csv", says="1001 lines")],
    "empty-file": [
        E("empty-file", "so-khcn/2025.csv", line=1),
        E("empty-file", "so-tc/2025.csv", line=1),
    ],
    "delimiter": [
        E("delimiter", "so-khcn/2025.csv", line=1, says="«;»"),
        E("delimiter", "so-tc/2025.csv", line=1, says="TAB"),
    ],
    "missing-column": [
        E("missing-column", "so-khcn/2025.csv", line=1, column="value"),
        E("missing-column", "so-tc/2025.csv", line=1, column="indicator"),
        E("unknown-column", "so-tc/2025.csv", line=1, column="indicatr"),
    ],
    # `name` is one of the template's helper columns, which the checker ignores.
    "unknown-column": [E("unknown-column", "so-khcn/2025.csv", line=1, column="comment")],
    "duplicate-column": [E("duplicate-column", "so-khcn/2025.csv", line=1, column="note")],
    # One finding per blank row (",,", an empty line, " , "), not one per empty cell.
    "blank-row": [
        E("blank-row", "so-khcn/2025.csv", line=3),
        E("blank-row", "so-khcn/2025.csv", line=4),
        E("blank-row", "so-khcn/2025.csv", line=6),
    ],
    "ragged-row": [
        E("ragged-row", "so-khcn/2025.csv", line=2, says="4 cells"),
        E("ragged-row", "so-khcn/2025.csv", line=3, says="2 cells"),
    ],
    "repeated-header": [E("repeated-header", "so-khcn/2025.csv", line=3)],
    # Lines 2-3 are one quoted cell, closed; the quote opened on line 4 never closes, so the
    # rows after it cannot be read (and are not reported as "x" and "y" not being numbers).
    "bad-quotes": [E("bad-quotes", "so-khcn/2025Q1.csv", line=4)],
    "unknown-indicator": [
        E("unknown-indicator", "so-khcn/2025.csv", line=3, column="indicator", says="CT99"),
        E(
            "unknown-indicator",
            "so-khcn/2025.csv",
            line=4,
            column="indicator",
            says="Did you mean CT14?",
        ),
    ],
    "not-assigned": [
        E("not-assigned", "so-khcn/2025.csv", 3, "indicator", "CT05", says="reported by so-tc")
    ],
    "period-mismatch": [
        E("period-mismatch", "so-khcn/2025Q1.csv", 3, "period", "CT17", says="“2025Q2”")
    ],
    # Counts given without the value they make: the value is missing.
    "missing-value": [E("missing-value", "so-khcn/2025.csv", 2, "value", "CT08")],
    # A row with nothing but its indicator (an unfilled template row), or only a note: a
    # warning, and the indicator counts as missing.
    "not-reported": [
        E("not-reported", "so-khcn/2025.csv", 2, "value", "CT16"),
        E("not-reported", "so-khcn/2025.csv", 3, "value", "CT04", says="“chưa có quyết định”"),
    ],
    # The units' narratives (<reporter>/<period>.md): three fixed headings, each once.
    "narrative-heading": [
        E("narrative-heading", "so-khcn/2025Q4.md", 4, says="Did you mean Khó khăn, vướng mắc?"),
        E("narrative-heading", "so-khcn/2025Q4.md", 13, says="Kết quả nổi bật"),
    ],
    "narrative-missing": [E("narrative-missing", "so-khcn/2025Q4.md", says="Kiến nghị, đề xuất")],
    "narrative-text-outside": [
        E("narrative-text-outside", "so-khcn/2025Q4.md", 1, says="before the first heading")
    ],
    "narrative-too-long": [
        E("narrative-too-long", "so-khcn/2025Q4.md", 4, says="more than the limit of 6000")
    ],
    "narrative-character": [E("narrative-character", "so-khcn/2025Q4.md", 5, says="U+202E")],
    # A spreadsheet where a CSV belongs: the hint is the import command to run.
    "workbook": [
        E(
            "workbook",
            "so-khcn/2025Q4.xlsx",
            says="plan57 import data/submissions/so-khcn/2025Q4.xlsx --reporter so-khcn --period 2025Q4",
        ),
        E(
            "workbook",
            "so-tc/bao cao.ods",
            says="plan57 import 'data/submissions/so-tc/bao cao.ods'",
        ),
    ],
    "not-a-number": [
        E("not-a-number", "so-khcn/2025.csv", 2, "value", "CT13", says="“nan”"),
        E("not-a-number", "so-khcn/2025.csv", 3, "value", "CT14", says="“inf”"),
        E("not-a-number", "so-khcn/2025.csv", 4, "value", "CT16", says="“1_000”"),
        E("not-a-number", "so-khcn/2025.csv", 5, "value", "CT23", says="“1e3”"),
        E("not-a-number", "so-khcn/2025.csv", 6, "value", "CT18", says="“80%”"),
        # Full-width digits, as some input methods type them.
        E("not-a-number", "so-khcn/2025.csv", 7, "value", "CT24"),
        E("not-a-number", "so-khcn/2025.csv", 8, "numerator", "CT08", says="“abc”"),
    ],
    "ambiguous-number": [
        E("ambiguous-number", "so-khcn/2025.csv", 2, "value", "CT16", says="“1,500”"),
        E("ambiguous-number", "so-khcn/2025.csv", 3, "value", "CT13", says="“1.500,5”"),
        E("ambiguous-number", "so-khcn/2025.csv", 4, "value", "CT18", says="“6,5”"),
    ],
    "percent-out-of-range": [
        E("percent-out-of-range", "so-khcn/2025.csv", 2, "value", "CT18", says="101"),
        E("percent-out-of-range", "so-khcn/2025.csv", 3, "value", "CT20", says="-1"),
        E("percent-out-of-range", "so-khcn/2025.csv", 4, "value", "CT06", says="120"),
    ],
    "index-out-of-range": [
        E("index-out-of-range", "so-khcn/2025.csv", 2, "value", "CT39", says="1.2"),
        E("index-out-of-range", "so-khcn/2024.csv", 2, "value", "CT39", says="-0.1"),
    ],
    "negative-value": [
        E("negative-value", "so-khcn/2025.csv", 2, "value", "CT16", says="-5"),
        E("negative-value", "so-nv/2025.csv", 2, "value", "CT11", says="-1"),
    ],
    # 4.0 is a whole number; CT11 (per 10,000 people) may have decimals.
    "fractional-count": [E("fractional-count", "so-khcn/2025.csv", 2, "value", "CT16")],
    # "Có", "không", "YES", "co" are accepted (2024.csv and CT54).
    "not-yes-no": [
        E("not-yes-no", "so-khcn/2025.csv", 2, "value", "CT04", says="“maybe”"),
        E("not-yes-no", "so-khcn/2025.csv", 3, "value", "CT26", says="“1”"),
    ],
    "numerator-above-denominator": [
        E("numerator-above-denominator", "so-khcn/2025.csv", 2, "numerator", "CT08")
    ],
    # 33.3 for 1/3 and 33 for 1/3 agree at the precision written; 0.66 for 2/3 does not.
    "ratio-mismatch": [
        E("ratio-mismatch", "so-khcn/2025.csv", 2, "value", "CT08", says="60.00"),
        E("ratio-mismatch", "so-khcn/2025.csv", 5, "value", "CT39", says="0.67"),
    ],
    "ratio-incomplete": [
        E("ratio-incomplete", "so-khcn/2025.csv", 2, "denominator", "CT08"),
        E("ratio-incomplete", "so-khcn/2025.csv", 3, "numerator", "CT09"),
    ],
    # CT18 has one reporter, so a bare value is enough there.
    "ratio-required": [E("ratio-required", "so-khcn/2025.csv", 2, "numerator", "CT08")],
    "zero-denominator": [E("zero-denominator", "so-khcn/2025.csv", 2, "denominator", "CT08")],
    "duplicate-indicator": [
        E("duplicate-indicator", "so-khcn/2025.csv", 4, "indicator", "CT16", says="line 2")
    ],
    # 2025Q4 and 2025M12 overlap for the flow CT15: both files are told. 2025M09 does not
    # overlap, and the stock CT16 may be reported in any periods.
    "flow-overlap": [
        E("flow-overlap", "so-khcn/2025Q4.csv", 2, "indicator", "CT15", says="2025M12"),
        E("flow-overlap", "so-khcn/2025M12.csv", 2, "indicator", "CT15", says="2025Q4"),
    ],
    "value-jump": [E("value-jump", "so-khcn/2025Q2.csv", 2, "value", "CT16", says="median 155")],
    "stock-fell": [E("stock-fell", "so-khcn/2025Q2.csv", 2, "value", "CT16", says="200")],
    # 0.255 beside the 20.9 of 2024, 0.12 beside the 2030 target of 30%: fractions; 0.5 with
    # its numerator and denominator is a true small share.
    # Thirteen communes and wards, one far from the rest; one the same as none of twelve others
    # (MAD = 0); the ward far above them all has a note, which confirms it.
    "peer-outlier": [
        E("peer-outlier", "xa-krong-bong/2025Q4.csv", 2, "value", "CT07", says="median 63.5%"),
        E("stock-fell", "xa-krong-bong/2025Q4.csv", 2, "value", "CT07", says="61.5"),
        E("peer-outlier", "xa-ea-pal/2025Q4.csv", 3, "value", "CT09", says="median 100.0%"),
    ],
    "percent-as-fraction": [
        E("percent-as-fraction", "so-tc/2025.csv", 2, "value", "CT49", says="write 25.5"),
        E("percent-as-fraction", "so-tc/2025.csv", 3, "value", "CT31", says="write 12"),
    ],
    # 2025Q4 and 2025 both end on 31/12/2025: the annual 70 counts, the quarter's 85 is told.
    "stock-conflict": [
        E("stock-conflict", "so-khcn/2025Q4.csv", 2, "value", "CT16", says="differs from 70")
    ],
    # An annual 12 beside Q1–Q3 of 5 each: no overlap, a contradiction (12 < 15).
    "flow-annual-conflict": [
        E("flow-annual-conflict", "so-khcn/2025.csv", 2, "value", "CT15", says="total 15")
    ],
    "catalogue-overlap": [E("catalogue-overlap", CAT, 34, None, "CT27", says="CT13")],
    # CT01's "≥ 60%" → "100%" rises; CT02's "≥ 80" (2035) → "50-60" (2040) falls.
    "catalogue-target-down": [E("catalogue-target-down", CAT, 35, None, "CT02", says="50-60")],
    "catalogue-no-monitor": [E("catalogue-no-monitor", CAT, 34, None, "CT36")],
    "catalogue-empty-group": [E("catalogue-empty-group", CAT, says="vien-truong")],
    # One warning per open decision, at its own line (under `plan:` or under the indicator).
    "catalogue-decision": [
        E("catalogue-decision", CAT, 14, None, None, says="vp-tu | so-khcn"),
        E("catalogue-decision", CAT, 36, None, "CT16", says="false | true"),
    ],
}


def _links(root: Path) -> None:
    """A file link and a folder link inside data/submissions (git keeps neither reliably)."""
    base = root / "data" / "submissions"
    (base / "so-tc").mkdir()
    os.symlink("../../../outside.csv", base / "so-tc" / "2025.csv")
    os.symlink("so-khcn", base / "so-nv", target_is_directory=True)


def _fifo(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A FIFO named like a submission: opening it for reading would wait for a writer forever."""
    (root / "data" / "submissions" / "so-tc").mkdir()
    os.mkfifo(root / "data" / "submissions" / "so-tc" / "2025.csv")


def _unreadable(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file and a folder the system refuses to open (made so in-process: root reads anything)."""
    base = root / "data" / "submissions"
    (base / "so-tc").mkdir()
    (base / "so-tc" / "2025.csv").write_text("indicator,value\nCT05,1.2\n")
    (base / "so-nv").mkdir()
    denied = {str(base / "so-tc" / "2025.csv"), str(base / "so-nv")}
    real_open, real_scandir = os.open, os.scandir

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(path) in denied:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return (real_scandir if not args and not kwargs else real_open)(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    monkeypatch.setattr(os, "scandir", refuse)


def _too_large(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 2 GB file that takes no disk space (sparse): judged by its size, never read."""
    (root / "data" / "submissions" / "so-tc").mkdir()
    with open(root / "data" / "submissions" / "so-tc" / "2025.csv", "wb") as handle:
        handle.write(b"indicator,value\n")
        handle.truncate(2_000_000_000)


def _too_deep(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """1,500 nested folders: a recursive walk would end in RecursionError."""
    folder = root / "data" / "submissions" / "so-tc"
    nest(folder, 1_500, "a")
    _Cleanup.folders.append(folder)


class _Cleanup:
    """Folders nested too deep for pytest's own (recursive) cleanup of tmp_path."""

    folders: ClassVar[list[Path]] = []


@pytest.fixture(autouse=True)
def _unnest_deep_folders() -> Iterator[None]:
    yield
    while _Cleanup.folders:
        unnest(_Cleanup.folders.pop(), "a")


def _submissions_a_file(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """data/submissions is a regular file (with what a submission would hold)."""
    base = root / "data" / "submissions"
    shutil.rmtree(base)
    base.write_text("indicator,value\nCT16,150\n")


def _submodule(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """so-tc's folder is another repository's work tree (git cannot commit a .git file)."""
    folder = root / "data" / "submissions" / "so-tc"
    folder.mkdir()
    (folder / ".git").write_text("gitdir: ../../../.git/modules/so-tc\n", "utf-8")
    (folder / "2025.csv").write_text("indicator,value\nCT99,1\n", "utf-8")


def _setup(code: str, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if code == "link-refused":
        _links(root)
    elif code in SETUP:
        SETUP[code](root, monkeypatch)


SETUP: dict[str, Callable[[Path, pytest.MonkeyPatch], None]] = {
    "not-regular-file": _fifo,
    "unreadable": _unreadable,
    "too-large": _too_large,
    "too-deep": _too_deep,
    "submissions-not-folder": _submissions_a_file,
    "submodule-refused": _submodule,
}


def _check(
    code: str,
    tmp_path: Path,
    as_of: date = AS_OF,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> list[Finding]:
    fixture = FINDINGS / code
    repo = make_repo(tmp_path / "repo", fixture)
    _setup(code, repo.root, monkeypatch or pytest.MonkeyPatch())
    own_catalogue = (fixture / CAT).exists()
    report = check_repository(repo.root, as_of=as_of).report
    # The real catalogue's own warnings are checked once, below, not in every fixture.
    return [f for f in report.problems if own_catalogue or f.file != CAT]


@pytest.mark.parametrize("code", sorted(CASES))
def test_fixture_gives_exactly_its_findings(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _check(code, tmp_path, monkeypatch=monkeypatch)
    expected = CASES[code]
    assert code in {e.code for e in expected}
    assert sorted(map(_key, found), key=repr) == sorted((e.key() for e in expected), key=repr)
    for want in expected:
        finding = next(f for f in found if _key(f) == want.key())
        assert want.says in f"{finding.message('en')} {finding.hint('en')}"
        assert finding.message("vi") and finding.hint("vi")


def _check_codes() -> set[str]:
    """The finding codes `plan57 check` can give: those its modules name."""
    src = Path(plan57.__file__).parent
    text = "".join((src / name).read_text("utf-8") for name in _CHECK_MODULES)
    return {code for code in SEVERITY if f'"{code}"' in text}


_CHECK_MODULES = (
    "submissions/reading.py",
    "submissions/rules.py",
    "submissions/narratives.py",
    "catalogue/loading.py",
    "repository.py",
)


def test_every_check_code_has_a_fixture() -> None:
    fixtures = {path.name for path in FINDINGS.iterdir() if path.is_dir()}
    assert fixtures == set(CASES)
    assert fixtures <= set(SEVERITY)
    assert _check_codes() <= fixtures
    assert {code for code in fixtures if SEVERITY[code] == "warning"} == WARNINGS


def test_encoding_fixtures_hold_the_bytes_they_claim() -> None:
    base = FINDINGS / "encoding" / "data" / "submissions"
    cp1258 = (base / "so-khcn" / "2025.csv").read_bytes()
    # "ắ" is written as "ă" (0xE3) and a combining acute accent (0xEC): decomposed.
    assert b"\xd0\xe3\xeck L\xe3\xeck" in cp1258
    assert "Đắk Lắk" in unicodedata.normalize("NFC", cp1258.decode("cp1258"))
    assert "Hòa Bình" in (base / "so-tc" / "2025.csv").read_bytes().decode("cp1252")
    utf16 = (base / "so-nv" / "2025.csv").read_bytes()
    assert utf16.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    assert "Sở Nội vụ" in utf16.decode("utf-16")


def test_messages_follow_the_language(tmp_path: Path) -> None:
    (found,) = _check("duplicate-indicator", tmp_path)
    assert found.message("vi") == "Chỉ tiêu CT16 đã có ở dòng 2."
    assert found.message("en") == "Indicator CT16 already appears on line 2."
    assert found.params == {"first_line": 2}


def test_period_not_over_depends_on_the_check_date(tmp_path: Path) -> None:
    assert _check("period-not-over", tmp_path / "a", as_of=date(2026, 9, 30)) == []
    (finding,) = _check("period-not-over", tmp_path / "b", as_of=date(2026, 9, 29))
    assert finding.code == "period-not-over"
    early = _check("period-not-over", tmp_path / "c", as_of=date(2026, 6, 29))
    assert {f.file.rsplit("/", 1)[1] for f in early} == {"2026Q2.csv", "2026Q3.csv"}


def test_bundled_sample_data_has_no_errors() -> None:
    report = check_repository(PROJECT, as_of=AS_OF).report
    assert report.ok, [f for f in report.problems if f.severity == "error"]
    lines = indicator_lines(REAL_CATALOGUE.read_text("utf-8"))
    catalogue = {(f.code, f.line, f.indicator) for f in report.problems if f.file == CAT}
    assert catalogue == {
        ("catalogue-overlap", lines["CT27"], "CT27"),
        ("catalogue-no-monitor", lines["CT36"], "CT36"),
        ("catalogue-no-monitor", lines["CT42"], "CT42"),
    }


def test_paths_limit_the_findings_but_every_file_is_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", FINDINGS / "flow-overlap")
    base = repo.root / "data" / "submissions" / "so-khcn"
    for name in ("2025Q4.csv", "2025M12.csv"):
        report = check_repository(repo.root, as_of=AS_OF, paths=[base / name]).report
        errors = [f for f in report.problems if f.severity == "error"]
        assert [(f.code, f.file) for f in errors] == [
            ("flow-overlap", f"data/submissions/so-khcn/{name}")
        ]
    report = check_repository(repo.root, as_of=AS_OF, paths=[]).report
    assert report.ok
    # The catalogue's warnings are the secretariat's: only when the catalogue is checked.
    assert report.problems == []
    named = check_repository(repo.root, as_of=AS_OF, paths=[repo.catalogue]).report
    assert {f.file for f in named.problems} == {CAT}


def test_catalogue_warnings_come_with_a_full_check_or_a_catalogue_change(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", FINDINGS / "flow-overlap")
    one = repo.root / "data" / "submissions" / "so-khcn" / "2025Q4.csv"
    full = check_repository(repo.root, as_of=AS_OF).report
    assert any(f.file == CAT for f in full.problems)
    chosen = check_repository(repo.root, as_of=AS_OF, paths=[one]).report
    assert not any(f.file == CAT for f in chosen.problems)
    both = check_repository(repo.root, as_of=AS_OF, paths=[one, repo.catalogue])
    assert any(f.file == CAT for f in both.report.problems)


def test_observations_are_the_typed_rows_that_passed(repo: DataRepo) -> None:
    repo.submit(
        "so-khcn",
        "2025Q1",
        "indicator,value,numerator,denominator\nCT08,75,3,4\nCT15,3,,\nCT16,abc,,\n",
    )
    repo.submit("so-khcn", "2025", "indicator,value\nCT04,Có\nCT26,không\n")
    validation = check_repository(repo.root, as_of=AS_OF)
    assert [f.code for f in validation.report.problems if f.file != CAT] == ["not-a-number"]
    frame = validation.observations.sort_values(["period", "indicator"]).reset_index(drop=True)
    assert list(frame["indicator"]) == ["CT04", "CT26", "CT08", "CT15"]
    assert list(frame["period"]) == ["2025", "2025", "2025Q1", "2025Q1"]
    assert list(frame["answer"][:2]) == [True, False]
    assert frame["value"][:2].isna().all()
    assert list(frame["value"][2:]) == [75.0, 3.0]
    assert frame.at[2, "numerator"] == 3.0 and frame.at[2, "denominator"] == 4.0
    assert pd.isna(frame.at[3, "numerator"])
    assert list(frame["months"]) == [12, 12, 3, 3]
    assert frame.at[2, "start"] == pd.Timestamp("2025-01-01")
    assert frame.at[2, "end"] == pd.Timestamp("2025-03-31")
    assert list(frame["line"]) == [2, 3, 2, 3]
    assert set(frame["reporter"]) == {"so-khcn"}


def test_no_submissions_at_all(repo: DataRepo) -> None:
    validation = check_repository(repo.root, as_of=AS_OF)
    assert validation.report.ok
    assert validation.observations.empty


def test_nothing_under_data_is_modified(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", FINDINGS / "encoding")
    before = {p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file()}
    check_repository(repo.root, as_of=AS_OF)
    after = {p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file()}
    assert after == before


def test_departments_are_not_one_anothers_peers(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    departments = ["so-khcn", "so-tc", "so-nv", "so-xd", "so-yt", "so-gddt", "so-ct", "so-nnmt"]
    departments += ["so-vhttdl", "so-tp", "so-dttg", "so-ngv"]
    for at, reporter in enumerate(departments):
        value = 6.2 if at == 0 else 60 + at
        numerator = round(value * 10)
        repo.submit(
            reporter,
            "2025Q4",
            f"indicator,value,numerator,denominator\nCT09,{value},{numerator},1000\n",
        )
    report = check_repository(repo.root, as_of=AS_OF).report
    assert [p for p in report.problems if p.code == "peer-outlier"] == []


def test_an_annual_flow_figure_that_agrees_with_its_year_is_no_finding(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", FINDINGS / "flow-annual-conflict")
    folder = repo.root / "data" / "submissions" / "so-khcn"
    (folder / "2025.csv").write_text("indicator,value\nCT15,19\n", "utf-8")

    def codes() -> list[str]:
        found = check_repository(repo.root, as_of=AS_OF).report.problems
        return [f.code for f in found if f.file != CAT]

    assert codes() == []  # 19 ≥ 15 so far: no overlap, no contradiction
    # With the whole year in, the year must be its periods' sum: 19 against 20.
    (folder / "2025Q4.csv").write_text("indicator,value\nCT15,5\n", "utf-8")
    assert codes() == ["flow-annual-conflict"]
