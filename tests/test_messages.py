"""The message tables: the same keys and placeholders in both languages, Vietnamese in NFC."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from plan57.errors import CatalogueError
from plan57.findings import make_finding
from plan57.messages import (
    EN,
    SEVERITY,
    TABLES,
    VI,
    Message,
    default_lang,
    did_you_mean,
    error_hint,
    placeholders,
    render_error,
    suggestion,
    text,
)


def test_both_tables_have_the_same_keys() -> None:
    assert set(VI) == set(EN)
    assert set(TABLES) == {"vi", "en"}


def test_every_finding_code_has_message_and_hint_in_both_languages() -> None:
    assert set(SEVERITY.values()) <= {"error", "warning"}
    wanted = {key for code in SEVERITY for key in (code, f"{code}.hint")}
    for table in (VI, EN):
        assert wanted - {key for key, value in table.items() if value.strip()} == set()


def test_placeholders_match() -> None:
    # One set comparison for the whole table: the keys whose placeholders differ.
    assert {key for key in EN if placeholders(VI[key]) != placeholders(EN[key])} == set()


def test_vietnamese_is_nfc() -> None:
    for table in (VI, EN):
        assert {
            key for key, value in table.items() if not unicodedata.is_normalized("NFC", value)
        } == set()


def test_vietnamese_texts_are_vietnamese() -> None:
    # Every finding message in Vietnamese differs from the English one (nothing left untranslated
    # except texts with no words, such as "%").
    for code in SEVERITY:
        assert VI[code] != EN[code], code


def test_text_fills_placeholders_and_tolerates_missing_ones() -> None:
    assert text("missing-column", "en", name="value") == "The required column “value” is missing."
    assert text("missing-column", "vi", name="value") == "Thiếu cột bắt buộc «value»."
    assert text("missing-column", "en") == "The required column “” is missing."


def test_make_finding_uses_the_tables() -> None:
    finding = make_finding(
        "duplicate-indicator", file="f.csv", line=4, indicator="CT16", first_line=2
    )
    assert finding.severity == "error"
    assert finding.params == {"first_line": 2}
    assert finding.message("vi") == "Chỉ tiêu CT16 đã có ở dòng 2."
    assert finding.message("en") == text(
        "duplicate-indicator", "en", indicator="CT16", first_line=2
    )
    assert finding.hint("vi") == VI["duplicate-indicator.hint"]
    assert make_finding("stock-fell").severity == "warning"


def test_a_message_renders_nested_messages_in_the_language_asked_for() -> None:
    said = Message(
        "unknown-reporter", {"reporter": "so-tx", "suggestion": suggestion("so-tx", ["so-tc"])}
    )
    assert said.render("en") == text(
        "unknown-reporter", "en", reporter="so-tx", suggestion=" Did you mean so-tc?"
    )
    assert said.render("vi") == text(
        "unknown-reporter",
        "vi",
        reporter="so-tx",
        suggestion=did_you_mean("so-tx", ["so-tc"], "vi"),
    )
    assert suggestion("xyz-qqq", ["so-tc"]) == ""


def test_errors_render_in_both_languages() -> None:
    error = CatalogueError("catalogue-missing", path="data/targets.yaml")
    assert render_error(error, "en") == "The indicator catalogue data/targets.yaml was not found."
    assert "data/targets.yaml" in render_error(error, "vi")
    assert "--root" in error_hint(error, "en") and "--root" in error_hint(error, "vi")
    assert str(error) == render_error(error, "en")


@pytest.mark.parametrize(
    ("value", "lang"),
    [(None, "vi"), ("vi", "vi"), ("en", "en"), ("EN", "en"), ("en_US.UTF-8", "en"), ("fr", "vi")],
)
def test_default_lang(monkeypatch: pytest.MonkeyPatch, value: str | None, lang: str) -> None:
    if value is None:
        monkeypatch.delenv("PLAN57_LANG", raising=False)
    else:
        monkeypatch.setenv("PLAN57_LANG", value)
    assert default_lang() == lang


def test_every_finding_code_is_documented() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "catalogue.md"
    text = docs.read_text("utf-8")
    assert [code for code in SEVERITY if f"`{code}`" not in text] == []


@pytest.mark.parametrize(
    ("errors", "warnings", "en", "vi"),
    [
        (1, 1, "1 error, 1 warning.", "1 lỗi, 1 cảnh báo."),
        (2, 0, "2 errors, 0 warnings.", "2 lỗi, 0 cảnh báo."),
    ],
)
def test_counts_agree_with_their_nouns(errors: int, warnings: int, en: str, vi: str) -> None:
    assert text("label.check-summary", "en", errors=errors, warnings=warnings) == en
    assert text("label.check-summary", "vi", errors=errors, warnings=warnings) == vi
    assert text("label.diff-count", "en", count=1) == "1 change."
    assert text("label.diff-count", "en", count=3) == "3 changes."


def test_plural_forms_appear_only_in_english_and_name_a_placeholder_of_the_text() -> None:
    plural = re.compile(r"\{(\w+):[^}|]*\|[^}]*\}")
    for key, template in EN.items():
        for name in plural.findall(template):
            assert name in placeholders(VI[key]), key
    assert not [key for key, template in VI.items() if plural.search(template)]


def test_grdp_reads_as_a_phrase() -> None:
    from plan57.formatting import quantity

    assert quantity(7.2, "percent_grdp", "en") == "7.2% of GRDP"
    assert quantity(7.2, "percent_grdp", "vi") == "7,2% GRDP"


@pytest.mark.parametrize("typed", ["So-TC", "SO-TC", "so-tcc", " so-tc "])
def test_suggestions_ignore_case(typed: str) -> None:
    assert did_you_mean(typed, ["so-tc", "so-khcn", "ca-tinh"], "en") == " Did you mean so-tc?"
    assert did_you_mean("CT5", ["CT05", "CT50"], "en") != ""
    assert did_you_mean("xyz-qqq", ["so-tc"], "en") == ""
