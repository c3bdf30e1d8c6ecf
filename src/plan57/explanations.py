"""What every finding code and scoring flag means, for `plan57 explain` (like `ruff rule`).

The texts come from the message tables: the finding's own message and hint (placeholders
shown as <name>), and `explain.<code>.*` entries for why it matters and a wrong and a right
example. A scoring flag has its meaning and fix under `explain.<flag>` and `explain.<flag>.fix`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from plan57.errors import UsageError
from plan57.messages import SEVERITY, Lang, pattern, suggestion, text


class Explanation(BaseModel):
    code: str
    kind: Literal["finding", "flag"]
    severity: Literal["error", "warning"] | None
    meaning: str
    why: str
    wrong: str
    right: str
    fix: str


class Explanations(BaseModel):
    """The JSON of `plan57 explain --format json`."""

    lang: Lang
    codes: list[Explanation]


def flags() -> tuple[str, ...]:
    from plan57.scoring.verdicts import FLAGS

    return FLAGS


def codes() -> list[str]:
    """Every code `plan57 explain` knows: finding codes, then scoring flags."""
    return [*SEVERITY, *flags()]


def command_of(code: str) -> Literal["check", "import", "fix"]:
    """The command whose findings carry a finding code: `import-*` and `fix-*` codes are
    those commands' own (a workbook, a file being repaired); every other one is `check`'s."""
    if code.startswith("import-"):
        return "import"
    if code.startswith("fix-"):
        return "fix"
    return "check"


def explain(code: str, lang: Lang) -> Explanation:
    known = codes()
    wanted = code.strip().lower()
    if wanted not in known:
        raise UsageError("explain-unknown", value=code, suggestion=suggestion(wanted, known))
    if wanted in SEVERITY:
        return Explanation(
            code=wanted,
            kind="finding",
            severity=SEVERITY[wanted],
            meaning=pattern(wanted, lang),
            fix=pattern(f"{wanted}.hint", lang),
            **_examples(wanted, lang),
        )
    return Explanation(
        code=wanted,
        kind="flag",
        severity=None,
        meaning=text(f"explain.{wanted}", lang),
        fix=text(f"explain.{wanted}.fix", lang),
        **_examples(wanted, lang),
    )


def explain_all(lang: Lang) -> Explanations:
    return Explanations(lang=lang, codes=[explain(code, lang) for code in codes()])


def _examples(code: str, lang: Lang) -> dict[str, str]:
    return {part: text(f"explain.{code}.{part}", lang) for part in ("why", "wrong", "right")}
