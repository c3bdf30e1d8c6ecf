"""Reading submission files: bytes to one frame of text cells, and the files' own findings."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from conftest import DataRepo
from plan57.errors import UsageError
from plan57.periods import parse_period
from plan57.repository import SUBMISSIONS
from plan57.submissions.reading import (
    CELLS,
    Submissions,
    expand_paths,
    list_files,
    read_submissions,
)

HEADER = "indicator,value,note\n"


def _read(repo: DataRepo) -> Submissions:
    return read_submissions(repo.root)


def _codes(submissions: Submissions) -> list[tuple[str, str | None, int | None]]:
    return [(f.code, f.file, f.line) for f in submissions.findings]


def test_rows_are_text_cells_with_their_file_and_line(repo: DataRepo) -> None:
    repo.submit("so-khcn", "2025Q1", "indicator,value,period\nCT15, 3 ,2025Q1\nCT17,4,\n")
    read = _read(repo)
    assert read.findings == []
    assert list(read.rows.columns) == ["file", "line", *CELLS]
    rows = read.rows.to_dict("records")
    assert rows[0] == {
        "file": "data/submissions/so-khcn/2025Q1.csv",
        "line": 2,
        "indicator": "CT15",
        "value": "3",
        "period": "2025Q1",
        "numerator": "",
        "denominator": "",
        "note": "",
        "source": "",
    }
    assert rows[1]["line"] == 3
    (file,) = read.files
    assert (file.reporter, file.period, file.period_text) == (
        "so-khcn",
        parse_period("2025Q1"),
        "2025Q1",
    )


def test_quoted_cells_spanning_lines_keep_physical_line_numbers(repo: DataRepo) -> None:
    repo.submit(
        "so-khcn",
        "2025Q1",
        'indicator,value,note\nCT15,3,"nghiệm thu\nqua ba\ndòng"\nCT17,4,"một, hai"\n\nCT19,1,\n',
    )
    read = _read(repo)
    assert list(read.rows["line"]) == [2, 5, 7]
    assert read.rows["note"][0] == "nghiệm thu\nqua ba\ndòng"
    assert read.rows["note"][1] == "một, hai"
    assert _codes(read) == [("blank-row", "data/submissions/so-khcn/2025Q1.csv", 6)]


def test_windows_line_endings_and_utf8_bom(repo: DataRepo) -> None:
    repo.submit("so-khcn", "2025", "\ufeffindicator,value,note\r\nCT16,150,Đắk Lắk\r\n".encode())
    read = _read(repo)
    assert read.findings == []
    assert list(read.rows["indicator"]) == ["CT16"]
    assert list(read.rows["note"]) == ["Đắk Lắk"]


def test_decomposed_text_is_normalised_to_nfc(repo: DataRepo) -> None:
    text = unicodedata.normalize("NFD", "indicator,value,note\nCT04,Có,Sở Khoa học và Công nghệ\n")
    assert text != unicodedata.normalize("NFC", text)
    repo.submit("so-khcn", "2025", text)
    read = _read(repo)
    assert list(read.rows["value"]) == ["Có"]
    assert list(read.rows["note"]) == ["Sở Khoa học và Công nghệ"]
    assert unicodedata.is_normalized("NFC", read.rows["note"][0])


def test_header_is_case_and_space_insensitive_and_helpers_are_ignored(repo: DataRepo) -> None:
    repo.submit(
        "so-khcn",
        "2025",
        " Indicator ,VALUE,name,unit,target,Note\nCT16,150,Số lượng cán bộ,count,≥ 150,ok\n",
    )
    read = _read(repo)
    assert read.findings == []
    assert read.rows.loc[0, ["indicator", "value", "note"]].tolist() == ["CT16", "150", "ok"]


@pytest.mark.parametrize(
    ("raw", "encoding", "line"),
    [
        ("indicator,value\nCT16,150\n".encode("utf-16"), "UTF-16", 1),
        ("indicator,value\nCT16,150\n".encode("utf-16-le"), "UTF-16", 1),
        ("indicator,value\nCT16,150\n".encode("utf-16-be"), "UTF-16", 1),
        ("indicator,value,note\nCT16,150,Hòa\n".encode("cp1252"), "windows-1252", 2),
        ("indicator,value,note\nCT16,150,Café\n".encode("cp1252"), "windows-1252", 2),
        (b"indicator,value,note\n\nCT16,150,\xd0\xe3\xeck\n", "windows-1258", 3),
        # "Nội" as Excel writes it in windows-1258: ô then a combining dot below.
        (b"indicator,value,note\nCT16,150,N\xf4\xf2i\n", "windows-1258", 2),
    ],
)
def test_not_utf8_names_the_likely_encoding(
    repo: DataRepo, raw: bytes, encoding: str, line: int
) -> None:
    repo.submit("so-khcn", "2025", raw)
    read = _read(repo)
    (finding,) = read.findings
    assert (finding.code, finding.line) == ("encoding", line)
    assert encoding in finding.message("en")
    assert "plan57 fix data/submissions/so-khcn/2025.csv" in finding.hint("en")
    assert read.rows.empty and read.files == []


def test_links_are_refused_and_never_followed(repo: DataRepo, tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("indicator,value\nCT05,1.2\n")
    repo.submit("so-khcn", "2025", "indicator,value\nCT16,150\n")
    base = repo.root / "data" / "submissions"
    (base / "so-tc").mkdir()
    (base / "so-tc" / "2025.csv").symlink_to(outside)
    (base / "so-nv").symlink_to(base / "so-khcn", target_is_directory=True)
    listing = list_files(repo.root, [repo.root / SUBMISSIONS])
    assert listing.files == [base / "so-khcn" / "2025.csv"]
    assert [(r.path, r.code) for r in listing.refused] == [
        (base / "so-nv", "link-refused"),
        (base / "so-tc" / "2025.csv", "link-refused"),
    ]
    read = _read(repo)
    assert {f.code for f in read.findings} == {"link-refused"}
    assert set(read.rows["file"]) == {"data/submissions/so-khcn/2025.csv"}


def test_submissions_folder_itself_a_link(repo: DataRepo, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "so-khcn").mkdir(parents=True)
    (elsewhere / "so-khcn" / "2025.csv").write_text("indicator,value\nCT16,150\n")
    base = repo.root / "data" / "submissions"
    base.rmdir()
    base.symlink_to(elsewhere, target_is_directory=True)
    listing = list_files(repo.root, [repo.root / SUBMISSIONS])
    assert listing.files == []
    assert [(r.path, r.code) for r in listing.refused] == [(base, "link-refused")]


def test_no_submissions_folder(tmp_path: Path) -> None:
    listing = list_files(tmp_path, [tmp_path / SUBMISSIONS])
    assert listing.files == [] and listing.refused == []
    read = read_submissions(tmp_path)
    assert read.rows.empty and read.findings == [] and read.files == []


def test_given_paths_are_read_alone(repo: DataRepo) -> None:
    chosen = repo.submit("so-khcn", "2025", "indicator,value\nCT16,150\n")
    repo.submit("so-tc", "2025", "indicator,value\nCT05,1.2\n")
    read = read_submissions(repo.root, [chosen])
    assert [f.path for f in read.files] == ["data/submissions/so-khcn/2025.csv"]


def test_expand_paths(repo: DataRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = repo.submit("so-khcn", "2025", HEADER)
    two = repo.submit("so-khcn", "2025Q1", HEADER)
    three = repo.submit("so-tc", "2025", HEADER)
    monkeypatch.chdir(repo.root)
    assert expand_paths(repo.root, [Path("data/submissions/so-khcn")]) == [one, two]
    assert expand_paths(repo.root, [Path("data/submissions")]) == [one, two, three]
    assert expand_paths(repo.root, [three, Path("data/submissions/so-tc/2025.csv")]) == [three]
    # CI passes the changed files: the catalogue is kept, and `check_repository` takes it as
    # asking for the catalogue's own findings (it is no submission).
    assert expand_paths(repo.root, [Path("data/targets.yaml"), three]) == [three, repo.catalogue]
    outside = tmp_path / "outside.csv"
    outside.write_text(HEADER)
    with pytest.raises(UsageError) as caught:
        expand_paths(repo.root, [outside])
    assert caught.value.code == "path-outside"
    with pytest.raises(UsageError) as caught:
        expand_paths(repo.root, [Path("data/submissions/so-khcn/2030.csv")])
    assert caught.value.code == "path-missing"
    # A link under data/ is the walk's to refuse (link-refused), wherever it points.
    link = repo.root / "data" / "submissions" / "so-nv"
    link.symlink_to(tmp_path, target_is_directory=True)
    assert expand_paths(repo.root, [link]) == [link]
    # A folder holding data/submissions asks for everything, as `check` alone does.
    assert expand_paths(repo.root, [Path("data")]) is None
    assert expand_paths(repo.root, [Path(".")]) is None


def test_folder_link_given_inside_a_folder_is_kept_to_be_refused(repo: DataRepo) -> None:
    one = repo.submit("so-khcn", "2025", HEADER)
    base = repo.root / "data" / "submissions"
    (base / "so-nv").symlink_to(base / "so-khcn", target_is_directory=True)
    assert expand_paths(repo.root, [base]) == [base / "so-khcn" / "2025.csv", base / "so-nv"]
    assert one.exists()
    read = read_submissions(repo.root, expand_paths(repo.root, [base]))
    assert [(f.code, f.file) for f in read.findings] == [("link-refused", "data/submissions/so-nv")]


def test_unreadable_file_is_a_finding(repo: DataRepo) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = repo.submit("so-khcn", "2025", HEADER)
    path.chmod(0)
    read = _read(repo)
    assert [f.code for f in read.findings] == ["empty-file"]
