"""Problems found in the data: plain values, collected into a report and never raised."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from plan57.escaping import visible
from plan57.messages import Lang, finding_text, severity_of

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


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    indicator: str | None = None
    message: str
    hint: str

    def sort_key(self) -> tuple[str, int, str, str, str, str]:
        return (
            self.file or "",
            self.line or 0,
            self.column or "",
            self.code,
            self.indicator or "",
            self.message,
        )


def make_finding(
    code: str,
    lang: Lang,
    *,
    file: str | None = None,
    line: int | None = None,
    column: str | None = None,
    indicator: str | None = None,
    **params: Any,
) -> Finding:
    """Build a finding whose message and hint come from the message table for `code`."""
    message, hint = finding_text(code, lang, {"indicator": indicator, "file": file, **params})
    return Finding(
        severity=severity_of(code),
        code=code,
        file=file,
        line=line,
        column=column,
        indicator=indicator,
        message=message,
        hint=hint,
    )


class CheckReport(BaseModel):
    """The result of `plan57 check`; its JSON dump is the public `--format json` contract."""

    ok: bool
    errors: int
    warnings: int
    problems: list[Finding]

    @classmethod
    def from_findings(cls, findings: list[Finding], lang: Lang = "vi") -> CheckReport:
        unique = {(*f.sort_key(), f.severity, f.hint): f for f in findings}
        problems = capped(sorted(unique.values(), key=Finding.sort_key), lang)
        errors = sum(1 for f in problems if f.severity == "error")
        return cls(
            ok=errors == 0,
            errors=errors,
            warnings=len(problems) - errors,
            problems=problems,
        )


def capped(findings: list[Finding], lang: Lang) -> list[Finding]:
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
        make_finding(
            "too-many-findings", lang, file=file, count=count - PER_CODE, of=code
        ).model_copy(update={"severity": severity_of(code)})
        for (file, code), count in counts.items()
        if count > PER_CODE and code != "too-many-findings"
    ]
    return sorted([*kept, *summaries], key=Finding.sort_key) if summaries else kept
