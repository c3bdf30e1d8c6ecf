"""plan57.suggest: one guess for a mistyped id, period or folder, used by every command."""

from __future__ import annotations

import pytest

from clirun import invoke
from conftest import DataRepo
from plan57.suggest import closest, closest_period, slug

IDS = [f"CT{n:02d}" for n in range(1, 56)]


@pytest.mark.parametrize(
    ("typed", "first", "meant"),
    [
        ("CTO9", [], "CT09"),  # the letter O for a zero
        ("CTO9", ["CT09", "CT30"], "CT09"),
        ("CTl2", [], "CT12"),  # a lower-case L for a one
        ("ct5", [], "CT05"),
        ("5", [], "CT05"),
        ("CT 05", [], "CT05"),
        ("CT49x", ["CT09"], "CT49"),  # what is owed wins only a near tie
        ("CT9", ["CT09"], "CT09"),
        ("xyz", [], None),
    ],
)
def test_indicator_ids(typed: str, first: list[str], meant: str | None) -> None:
    assert closest(typed, IDS, first=first) == meant


def test_a_folder_named_after_the_reporter() -> None:
    aliases = {"Sở Tài chính": "so-tc", "Department of Finance": "so-tc", "Sở Y tế": "so-yt"}
    assert slug("Sở Tài chính") == "so-tai-chinh" and slug("Đắk Lắk") == "dak-lak"
    assert closest("so-tai-chinh", ["so-tc", "so-yt"], aliases=aliases) == "so-tc"
    assert closest("So-TC", ["so-tc", "so-yt"]) == "so-tc"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2025q4", "2025Q4"),
        ("2025-Q4", "2025Q4"),
        ("Q4-2025", "2025Q4"),
        ("quy4-2025", "2025Q4"),
        ("Quý 4 2025", "2025Q4"),
        ("2025-H1", "2025S1"),
        ("2025-01", "2025M01"),
        ("nam2025", "2025"),
        ("2025Q4", None),  # already right
        ("2025Q5", None),
    ],
)
def test_periods(typed: str, meant: str | None) -> None:
    assert closest_period(typed) == meant


def test_every_command_suggests_the_same_way(repo: DataRepo) -> None:
    repo.submit("so-tc", "2025-Q4", "indicator,value\nCT30,3\n")
    repo.write("data/submissions/so-tai-chinh/2025.csv", "indicator,value\nCT30,3\n")
    repo.submit("xa-ea-kar", "2025Q4", "indicator,value,numerator,denominator\nCTO9,50,5,10\n")
    checked = invoke(repo.root, "check", "--lang", "en", "--as-of", "2026-06-30").output
    assert "Did you mean 2025Q4?" in checked
    assert "Did you mean so-tc?" in checked
    assert "Did you mean CT09?" in checked and "CT49" not in checked
    for args, meant in (
        (["history", "CT5"], "CT05"),
        (["catalogue", "CT5"], "CT05"),
        (["template", "--reporter", "so-tai-chinh", "--period", "2025Q4"], "so-tc"),
        (["template", "--reporter", "so-tc", "--period", "quy4-2025"], "2025Q4"),
        (["status", "--period", "2025-Q4"], "2025Q4"),
    ):
        result = invoke(repo.root, *args, "--lang", "en")
        assert result.exit_code == 2, args
        assert f"Did you mean {meant}?" in result.output, (args, result.output)


def test_a_hint_names_a_group_and_its_count_never_its_hundred_ids(repo: DataRepo) -> None:
    repo.submit("dn-vnpt", "2025Q4", "indicator,value,numerator,denominator\nCT07,50,5,10\n")
    checked = invoke(repo.root, "check", "--lang", "en", "--as-of", "2026-06-30").output
    assert "Communes and wards (group cac-dia-phuong, 102 units)" in checked
    assert "xa-ea-kar" not in checked
    result = invoke(repo.root, "template", "--reporter", "cac-dia-phuong", "--period", "2025Q4")
    assert result.exit_code == 2
    assert "(nhóm cac-dia-phuong, 102 đơn vị)" in result.output
    assert result.output.count("xa-") == 0
