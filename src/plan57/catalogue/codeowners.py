"""CODEOWNERS from the registry: each reporter's folder owned by its team, the rest by the secretariat.

With "require review from code owners" turned on, the forge itself keeps every department to
its own folder. plan57 writes its rules between two marker lines and keeps every other line of
the file, so a repository can add rules of its own above the block. Rules are matched last
first, so the block lists the broad rules (the secretariat's) before each reporter's folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plan57.catalogue.models import Catalogue
from plan57.files import write_atomic
from plan57.findings import Finding, make_finding
from plan57.repository import CATALOGUE, SUBMISSIONS

# Where GitHub and GitLab look for the file, in GitHub's order of precedence.
LOCATIONS: tuple[str, ...] = (
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
)
BEGIN = "# BEGIN plan57: written by `plan57 codeowners` from data/targets.yaml; edit the registry, not these lines."
END = "# END plan57"


@dataclass(frozen=True)
class Rule:
    pattern: str
    owners: tuple[str, ...]

    def line(self) -> str:
        return f"{self.pattern} {' '.join(self.owners)}"


def find(root: Path) -> Path | None:
    """The CODEOWNERS file the forge would use, if the repository has one."""
    for location in LOCATIONS:
        path = root / location
        if path.is_file() and not path.is_symlink():
            return path
    return None


def rules(catalogue: Catalogue, location: str = "CODEOWNERS") -> tuple[list[Rule], list[str]]:
    """The rules the registry implies, and the reporters left to the secretariat (no team)."""
    secretariat = catalogue.plan.secretariat_team
    folder = "/" + SUBMISSIONS.as_posix() + "/"
    out: list[Rule] = []
    if secretariat:
        out += [
            # A folder nobody owns yet (a reporter the registry does not know) needs the secretariat.
            Rule(folder, (secretariat,)),
            Rule("/" + CATALOGUE.as_posix(), (secretariat,)),
            # Whoever may edit this file may give themselves any folder.
            Rule("/" + location, (secretariat,)),
        ]
    unowned = []
    for reporter in catalogue.reporter_ids():
        entry = catalogue.entry(reporter)
        if entry is not None and entry.team:
            out.append(Rule(f"{folder}{reporter}/", (entry.team,)))
        else:
            unowned.append(reporter)
    return out, unowned


def block(catalogue: Catalogue, location: str = "CODEOWNERS") -> str:
    """plan57's section of the file, marker lines included, ending in a newline."""
    found, unowned = rules(catalogue, location)
    lines = [BEGIN]
    lines += [rule.line() for rule in found]
    if unowned:
        lines.append("# No team in the registry (the secretariat reviews): " + ", ".join(unowned))
    lines.append(END)
    return "\n".join(lines) + "\n"


def render(catalogue: Catalogue, existing: str | None, location: str = "CODEOWNERS") -> str:
    """The whole file: `existing` with plan57's block replaced (or appended when absent)."""
    section = block(catalogue, location)
    if not existing:
        return section
    lines = existing.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip("\r\n") == BEGIN), None)
    if start is None:
        separator = "" if existing.endswith("\n") else "\n"
        return existing + separator + ("\n" if existing.strip() else "") + section
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].rstrip("\r\n") == END), len(lines) - 1
    )
    return "".join(lines[:start]) + section + "".join(lines[end + 1 :])


def write_codeowners(
    root: Path, catalogue: Catalogue, path: Path | None = None, *, write: bool = True
) -> tuple[Path, bool]:
    """Bring the CODEOWNERS file up to date; returns its path and whether it (would) change."""
    target = path or find(root) or root / "CODEOWNERS"
    location = _location(root, target)
    existing = _read(root, target) if target.is_file() else None
    wanted = render(catalogue, existing, location)
    changed = wanted != existing
    if changed and write:
        write_atomic(target, wanted.encode("utf-8"))
    return target, changed


def _read(root: Path, path: Path) -> str:
    """The file's text; one that is not UTF-8 is a clear error, never rewritten."""
    from plan57.errors import UsageError
    from plan57.repository import relative

    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("codeowners-not-utf8", path=relative(root, path)) from None


def _location(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return "CODEOWNERS"


def drift(root: Path, catalogue: Catalogue) -> list[Finding]:
    """Warnings when the repository's CODEOWNERS no longer says what the registry says.

    A repository without a CODEOWNERS file gets none: it has chosen not to use one.
    """
    path = find(root)
    if path is None:
        return []
    location = _location(root, path)
    content = path.read_text("utf-8", errors="replace")
    lines = content.splitlines()
    if BEGIN not in lines:
        return [make_finding("codeowners-unmanaged", file=location)]
    start = lines.index(BEGIN)
    found: dict[str, tuple[int, tuple[str, ...]]] = {}
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if line == END:
            break
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            found[parts[0]] = (number, tuple(parts[1:]))
    expected, _ = rules(catalogue, location)
    findings = []
    for rule in expected:
        line_number, owners = found.pop(rule.pattern, (None, ()))
        if owners != rule.owners:
            findings.append(
                make_finding(
                    "codeowners-stale",
                    file=location,
                    line=line_number,
                    pattern=rule.pattern,
                    expected=" ".join(rule.owners),
                    found=" ".join(owners) or "—",
                )
            )
    for pattern, (line_number, owners) in found.items():
        findings.append(
            make_finding(
                "codeowners-stale",
                file=location,
                line=line_number,
                pattern=pattern,
                expected="—",
                found=" ".join(owners) or "—",
            )
        )
    return findings
