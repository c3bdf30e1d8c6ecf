"""Figures kept for later (plan57.formatting's typed values): each renders in either language
exactly as the function of the same name writes it, and nests inside a `Message`."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic_core import to_jsonable_python

from plan57 import formatting as fmt
from plan57.catalogue.models import Target
from plan57.messages import LANGS, Lang, Message, text

TARGET = Target(year=2025, kind="min", value=1.0, text="≥ 1,0%")


@pytest.mark.parametrize("lang", LANGS)
def test_each_figure_renders_as_its_function(lang: Lang) -> None:
    pairs = [
        (fmt.Quantity(1234.5, "count"), fmt.quantity(1234.5, "count", lang)),
        (fmt.Quantity(7.25, "percent_grdp"), fmt.quantity(7.25, "percent_grdp", lang)),
        (fmt.Against(59.96, "percent", (60,)), fmt.beside(59.96, "percent", lang, (60,))),
        (fmt.Need(0.25, "count", 0), fmt.need(0.25, "count", lang, 0)),
        (fmt.TargetShown(TARGET, "percent"), fmt.target(TARGET, "percent", lang)),
        (fmt.Answer(True), fmt.answer(True, lang)),
        (fmt.Qualitative("Có"), fmt.qualitative("Có", lang)),
        (fmt.Ratio(0.5), fmt.ratio(0.5, lang)),
        (fmt.ProgressShown(0.9499, 0.95), fmt.progress(0.9499, 0.95, lang)),
        (fmt.Day(date(2025, 12, 31)), fmt.day(date(2025, 12, 31), lang)),
    ]
    for figure, expected in pairs:
        assert figure.render(lang) == expected, figure


def test_names_lists_and_sentences() -> None:
    name = fmt.Name("Sở Tài chính", "Department of Finance")
    assert (name.render("vi"), name.render("en")) == ("Sở Tài chính", "Department of Finance")
    listed = fmt.Few((fmt.Labelled(name, "2025Q1"), "b"))
    assert listed.render("en") == "Department of Finance (2025Q1), b"
    said = fmt.Sentence(fmt.Quantity(1.2, "percent"), Message("score.met"), Message("score.met"))
    assert said.render("en") == f"1.2% {text('score.met', 'en')}{text('score.met', 'en')}."
    amended = fmt.Amended(said, "more")
    assert amended.render("vi").endswith("; more.")


def test_a_message_with_figures_keeps_raw_values_in_its_json() -> None:
    said = Message("score.provisional", {"due": fmt.Day(date(2026, 1, 15))})
    assert said.render("vi") == text("score.provisional", "vi", due="15/01/2026")
    assert said.render("en") == text("score.provisional", "en", due="15 Jan 2026")
    dumped = json.loads(json.dumps(to_jsonable_python(said)))
    assert dumped == {
        "key": "score.provisional",
        "params": {"due": {"value": "2026-01-15", "kind": "day"}},
    }


def test_a_change_in_words_names_its_field_and_its_units() -> None:
    from plan57.catalogue.models import Target
    from plan57.catalogue.revisions import Change

    raised = Change(
        indicator="CT05",
        field="targets.2030",
        old=Target.parse(2030, "≥ 1,5%").model_dump(),
        new=Target.parse(2030, "≥ 2%").model_dump(),
        kind="raised",
    )
    assert fmt.change_words(raised, "vi") == "Mục tiêu năm 2030: ≥ 1,5% → ≥ 2% (nâng lên)"
    assert fmt.change_words(raised, "en") == "The 2030 target: ≥ 1,5% → ≥ 2% (raised)"
    moved = Change(indicator="CT01", field="reporters", old=["a"], new=["b", "c"], kind="changed")
    names = {"a": "Sở A", "b": "Sở B", "c": "Sở C"}
    shown = fmt.change_words(moved, "vi", names.__getitem__)
    assert shown == "Đơn vị báo cáo: Sở A → Sở B, Sở C (thay đổi)"


def test_a_catalogue_wide_change_in_words_names_the_part() -> None:
    from plan57.catalogue.revisions import Change

    plan = Change(indicator=None, field="plan", old=None, new={"number": "x"}, kind="added")
    assert fmt.change_words(plan, "vi") == "Thông tin kế hoạch (thêm mới)"
    unit = Change(indicator=None, field="registry.so-tc", old={"a": 1}, new=None, kind="removed")
    assert fmt.change_words(unit, "en", {"so-tc": "Department of Finance"}.__getitem__) == (
        "Unit Department of Finance (removed)"
    )
