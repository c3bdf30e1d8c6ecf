"""The message tables: the same keys and placeholders in both languages, Vietnamese in NFC."""

from __future__ import annotations

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
    default_lang,
    error_hint,
    placeholders,
    render_error,
    text,
)


def test_both_tables_have_the_same_keys() -> None:
    assert set(VI) == set(EN)
    assert set(TABLES) == {"vi", "en"}


@pytest.mark.parametrize("code", sorted(SEVERITY))
def test_every_finding_code_has_message_and_hint_in_both_languages(code: str) -> None:
    assert SEVERITY[code] in ("error", "warning")
    for table in (VI, EN):
        assert table[code].strip()
        assert table[f"{code}.hint"].strip()


@pytest.mark.parametrize("key", sorted(EN))
def test_placeholders_match(key: str) -> None:
    assert placeholders(VI[key]) == placeholders(EN[key])


@pytest.mark.parametrize("key", sorted(VI))
def test_vietnamese_is_nfc(key: str) -> None:
    assert unicodedata.is_normalized("NFC", VI[key])
    assert unicodedata.is_normalized("NFC", EN[key])


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
        "duplicate-indicator", "vi", file="f.csv", line=4, indicator="CT16", first_line=2
    )
    assert finding.severity == "error"
    assert finding.message == "Chỉ tiêu CT16 đã có ở dòng 2."
    assert finding.hint == VI["duplicate-indicator.hint"]
    assert make_finding("stock-fell", "en").severity == "warning"


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
