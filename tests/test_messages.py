"""The message tables: the same keys and placeholders in both languages, Vietnamese in NFC."""

from __future__ import annotations

import ast
import re
import string
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
    MissingPlaceholder,
    default_lang,
    error_hint,
    placeholders,
    render_error,
    rendered,
    suggestion,
    text,
)

SRC = Path(__file__).resolve().parents[1] / "src" / "plan57"


def test_both_tables_have_the_same_keys() -> None:
    # Each way round, so that a failure names the keys one language lacks.
    assert set(VI) - set(EN) == set()
    assert set(EN) - set(VI) == set()
    assert set(TABLES) == {"vi", "en"}


def test_every_finding_code_has_message_and_hint_in_both_languages() -> None:
    assert set(SEVERITY.values()) <= {"error", "warning"}
    wanted = {key for code in SEVERITY for key in (code, f"{code}.hint")}
    for table in (VI, EN):
        assert wanted - {key for key, value in table.items() if value.strip()} == set()


def test_placeholders_match() -> None:
    # One comparison for the whole table: the keys whose placeholders differ, with both sets.
    differ = {
        key: (placeholders(VI[key]), placeholders(EN[key]))
        for key in EN.keys() & VI.keys()
        if placeholders(VI[key]) != placeholders(EN[key])
    }
    assert differ == {}


def test_placeholders_are_plain_names() -> None:
    # A text fills a placeholder by name only: an attribute, an index or a conversion
    # ("{x.y}", "{x[0]}", "{x!r}") would reach into a value the data may have shaped.
    fields = [
        (key, name, conversion)
        for table in (VI, EN)
        for key, template in table.items()
        for _, name, _, conversion in string.Formatter().parse(template)
        if name is not None
    ]
    assert [(key, name) for key, name, _ in fields if not name.isidentifier()] == []
    assert [(key, name) for key, name, conversion in fields if conversion] == []


# The calls that name a text by a literal key: errors, findings and refusals (the key and its
# hint), and `Message`/`text` (the key alone). A finding's own file, indicator and line are
# parameters of its texts too.
_RAISERS = {"Refused", "make_finding"}
_OWN = {"make_finding": {"file", "indicator", "line"}, "Refused": {"file", "indicator", "line"}}


def _literal_calls() -> list[tuple[str, int, str, set[str]]]:
    calls = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            key = first.value
            if any(keyword.arg is None for keyword in node.keywords):
                continue  # **params: not known until it runs
            given = {keyword.arg for keyword in node.keywords if keyword.arg}
            if name in _RAISERS or name.endswith("Error"):
                keys = [key, f"{key}.hint"]
                given |= _OWN.get(name, set())
            elif name == "text":
                keys = [key]
            elif name == "Message":
                params = node.args[1] if len(node.args) > 1 else ast.Dict(keys=[], values=[])
                if not isinstance(params, ast.Dict) or not all(
                    isinstance(k, ast.Constant) for k in params.keys
                ):
                    continue
                given = {k.value for k in params.keys if isinstance(k, ast.Constant)}
                keys = [key]
            else:
                continue
            where = str(path.relative_to(SRC.parent))
            calls += [(where, node.lineno, k, given) for k in keys if k in VI]
    return calls


def test_every_call_that_names_a_text_gives_its_placeholders() -> None:
    # A text rendered without a parameter raises (MissingPlaceholder); this finds the call
    # before a user does, for every call that names its key literally.
    calls = _literal_calls()
    assert len(calls) > 100  # the scan sees the calls, not nothing
    lacking = [
        f"{where}:{line}: {key} lacks {sorted(placeholders(VI[key]) - given)}"
        for where, line, key, given in calls
        if placeholders(VI[key]) - given
    ]
    assert lacking == []


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


def test_text_fills_placeholders_and_refuses_missing_ones() -> None:
    assert text("missing-column", "en", name="value") == "The required column “value” is missing."
    assert text("missing-column", "vi", name="value") == "Thiếu cột bắt buộc «value»."
    with pytest.raises(MissingPlaceholder, match="'missing-column' needs the parameter 'name'"):
        text("missing-column", "en")
    with pytest.raises(MissingPlaceholder, match="'count'"):
        text("label.diff-count", "en")  # a plural's count too
    with pytest.raises(MissingPlaceholder):
        Message("bad-period-option.hint", {}).render("vi")


def test_a_findings_line_fills_its_texts() -> None:
    # "From line {line} on": the line is the finding's own field, not one of its params.
    finding = make_finding("fix-unreadable", file="f.csv", line=3)
    assert finding.message("en").startswith("From line 3 on,")
    assert finding.message("vi").startswith("Từ dòng 3,")


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
        suggestion=" Có phải so-tc không?",
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
    assert rendered(suggestion(typed, ["so-tc", "so-khcn", "ca-tinh"]), "en") == (
        " Did you mean so-tc?"
    )
    assert suggestion("CT5", ["CT05", "CT50"]) != ""
    assert suggestion("xyz-qqq", ["so-tc"]) == ""
