"""The check's report in the forms CI forges read: GitLab code quality, Markdown job summaries.

GitHub shows only the first few annotations of a step, so the workflow also writes the whole
list to the job summary as Markdown.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from plan57 import escaping
from plan57.findings import CheckReport, Finding
from plan57.messages import Lang, text
from plan57.repository import CATALOGUE

# GitLab's severities are info, minor, major, critical and blocker.
_GITLAB_SEVERITY = {"error": "major", "warning": "minor"}


def fingerprint(finding: Finding) -> str:
    """A stable id for one problem, the same in every language and on every run."""
    key = "\x1f".join(
        [
            finding.code,
            finding.file or "",
            str(finding.line or ""),
            finding.column or "",
            finding.indicator or "",
        ]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def code_quality(report: CheckReport, lang: Lang) -> list[dict[str, Any]]:
    """The report as a GitLab code-quality report (a JSON array of issues).

    The description is what the merge request shows: the problem, its fix, and where to read
    more (`plan57 explain <code>`), in `lang`, the report's language.
    """
    issues: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for finding in report.problems:
        base = fingerprint(finding)
        # Two problems of one kind on one cell (rare) still need distinct fingerprints.
        count = seen.get(base, 0)
        seen[base] = count + 1
        issues.append(
            {
                "type": "issue",
                "check_name": finding.code,
                "description": f"{finding.message(lang)} → {finding.hint(lang)} {_more(finding, lang)}",
                "categories": ["Bug Risk" if finding.severity == "error" else "Style"],
                "severity": _GITLAB_SEVERITY[finding.severity],
                "fingerprint": base if count == 0 else f"{base}-{count}",
                "location": {
                    "path": finding.file or CATALOGUE.as_posix(),
                    "lines": {"begin": finding.line or 1},
                },
            }
        )
    return issues


def code_quality_json(report: CheckReport, lang: Lang) -> str:
    return json.dumps(code_quality(report, lang), ensure_ascii=False, indent=2)


def _more(finding: Finding, lang: Lang) -> str:
    return text("label.explain-more", lang, code=finding.code)


def markdown(report: CheckReport, lang: Lang) -> str:
    """Every problem as a Markdown table, for a job summary (no annotation limit there)."""
    out = [f"### {text('label.problems-title', lang)}", ""]
    if not report.problems:
        out.append(text("label.check-ok", lang))
        return "\n".join(out) + "\n"
    out.append(text("label.check-summary", lang, errors=report.errors, warnings=report.warnings))
    out.append("")
    keys = ("severity", "code", "file", "line", "column", "message", "hint")
    out.append("| " + " | ".join(text(f"label.problems-{key}", lang) for key in keys) + " |")
    out.append("| --- | --- | --- | ---: | --- | --- | --- |")
    for finding in report.problems:
        mark = "❌" if finding.severity == "error" else "⚠️"
        cells = [
            f"{mark} {escaping.markdown(text(f'label.{finding.severity}', lang))}",
            f"`{finding.code}`",  # a code is ours: kebab-case, nothing to escape
            escaping.markdown(finding.file or ""),
            "" if finding.line is None else str(finding.line),
            escaping.markdown(finding.column or ""),
            escaping.markdown(finding.message(lang)),
            escaping.markdown(f"{finding.hint(lang)} {_more(finding, lang)}"),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
