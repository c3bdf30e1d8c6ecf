"""Problems found in the data: plain values, collected into a report and never raised."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from plan57.catalogue.models import Worded
from plan57.escaping import inline, visible
from plan57.messages import Lang, Message, severity_of

Severity = Literal["error", "warning"]
# Characters of a cell a message quotes; a 5 MB cell must not make a 5 MB message.
SHOWN = 40


def shown(value: Any) -> str:
    """A cell as a message quotes it: control characters made visible, long text cut short."""
    cell = str(value)
    # Only the start is ever shown, so only the start is escaped.
    head = cell[:SHOWN]
    head = visible(head, spaces=False)
    return head if len(head) <= SHOWN and len(cell) <= SHOWN else head[: SHOWN - 1] + "…"


# Findings of one code listed per file; the rest are counted in one `too-many-findings`. A
# header of a million unknown columns must not make a million annotations.
PER_CODE = 50


class Finding(Worded):
    """A problem in the data: its code, where it is, and the parameters of its message.

    A finding is language-neutral: `message(lang)` and `hint(lang)` render it, and its JSON
    carries both, in the language asked for (`--lang`).
    """

    model_config = ConfigDict(frozen=True)
    WORDS: ClassVar[dict[str, str]] = {"message": "What is wrong", "hint": "How to fix it"}

    severity: Severity
    code: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    indicator: str | None = None
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="The parameters of the message and hint, by name: cells as quoted (cut "
        "short, control characters made visible), numbers (a warning's figures as "
        "{value, kind: number}, written in the reader's notation), and nested texts as "
        "{key, params} (a suggestion).",
    )

    @field_validator("file", "column", "indicator")
    @classmethod
    def _inline(cls, value: str | None) -> str | None:
        # A path or a header from the data goes into JSON, CI annotations and terminals: no
        # line break, no raw byte that is not UTF-8 (which JSON cannot encode).
        return None if value is None else inline(value)

    @field_validator("params")
    @classmethod
    def _inline_params(cls, params: dict[str, Any]) -> dict[str, Any]:
        return {k: inline(v) if isinstance(v, str) else v for k, v in params.items()}

    def message(self, lang: Lang | None = None) -> str:
        return self._said(self.code).render(lang)

    def hint(self, lang: Lang | None = None) -> str:
        return self._said(f"{self.code}.hint").render(lang)

    def words(self) -> dict[str, Any]:
        return {"message": self._said(self.code), "hint": self._said(f"{self.code}.hint")}

    def _said(self, key: str) -> Message:
        return Message(key, {"indicator": self.indicator, "file": self.file, **self.params})

    def sort_key(self) -> tuple[str, int, str, str, str, str]:
        return (
            self.file or "",
            self.line or 0,
            self.column or "",
            self.code,
            self.indicator or "",
            # The parameters only break ties (two findings on one cell); the same at every run.
            repr(self.params),
        )


def make_finding(
    code: str,
    *,
    file: str | None = None,
    line: int | None = None,
    column: str | None = None,
    indicator: str | None = None,
    **params: Any,
) -> Finding:
    """A finding of `code`; its message and hint are the tables' texts for `code`, filled
    with `params` when rendered."""
    return Finding(
        severity=severity_of(code),
        code=code,
        file=file,
        line=line,
        column=column,
        indicator=indicator,
        params=params,
    )


class CheckReport(BaseModel):
    """The result of `plan57 check`; its JSON dump is the public `--format json` contract."""

    ok: bool
    errors: int
    warnings: int
    problems: list[Finding]

    @classmethod
    def from_findings(cls, findings: list[Finding]) -> CheckReport:
        unique = {(*f.sort_key(), f.severity): f for f in findings}
        problems = capped(sorted(unique.values(), key=Finding.sort_key))
        errors = sum(1 for f in problems if f.severity == "error")
        return cls(
            ok=errors == 0,
            errors=errors,
            warnings=len(problems) - errors,
            problems=problems,
        )


def capped(findings: list[Finding]) -> list[Finding]:
    """At most `PER_CODE` findings of one code per file, and one summary giving the rest."""
    counts: dict[tuple[str | None, str], int] = {}
    kept: list[Finding] = []
    for finding in findings:
        key = (finding.file, finding.code)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= PER_CODE or finding.code == "too-many-findings":
            kept.append(finding)
    # Warnings left unlisted are still warnings: a catalogue with many open decisions
    # (`catalogue-decision`) must not fail `check` for being counted rather than listed.
    summaries = [
        make_finding("too-many-findings", file=file, count=count - PER_CODE, of=code).model_copy(
            update={"severity": severity_of(code)}
        )
        for (file, code), count in counts.items()
        if count > PER_CODE and code != "too-many-findings"
    ]
    return sorted([*kept, *summaries], key=Finding.sort_key) if summaries else kept
