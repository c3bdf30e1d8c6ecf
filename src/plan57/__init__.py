"""plan57: compliance checker for Kế hoạch 283-KH/TU (Đắk Lắk, Resolution 57-NQ/TW).

The library is the product; the CLI is a thin layer over it. The public calls and their
result models (docs/api.md) are loaded when first used, so that `import plan57` imports
neither pandas nor the command line's libraries::

    import plan57

    report = plan57.check("path/to/data-repository")
    print(report.errors, report.warnings)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# The one place the version is written (pyproject.toml reads it from here): a constant, because
# reading the installed metadata (importlib.metadata) cost `plan57 --version` a third of its time.
__version__ = "0.1.0"

# Type checkers see the names here; at run time __getattr__ loads them when asked for.
if TYPE_CHECKING:
    from plan57.api import check, diff, explain, history, load_catalogue, report, score, status  # noqa: F401
    from plan57.catalogue.models import Catalogue, Indicator, RegistryEntry, Target  # noqa: F401
    from plan57.catalogue.revisions import Change, DiffReport, HistoryReport, Revision  # noqa: F401
    from plan57.errors import CatalogueError, GitError, OutputError, Plan57Error, UsageError  # noqa: F401
    from plan57.explanations import Explanation, Explanations  # noqa: F401
    from plan57.findings import CheckReport, Finding  # noqa: F401
    from plan57.scoring.verdicts import IndicatorScore, ScoreReport  # noqa: F401
    from plan57.submissions.status import ReporterStatus, StatusReport  # noqa: F401

# Each public name, and the module that defines it.
_HOMES: dict[str, str] = {
    **dict.fromkeys(
        ("check", "diff", "explain", "history", "load_catalogue", "report", "score", "status"),
        "plan57.api",
    ),
    **dict.fromkeys(
        ("Plan57Error", "CatalogueError", "GitError", "OutputError", "UsageError"),
        "plan57.errors",
    ),
    **dict.fromkeys(("CheckReport", "Finding"), "plan57.findings"),
    **dict.fromkeys(
        ("Catalogue", "Indicator", "RegistryEntry", "Target"), "plan57.catalogue.models"
    ),
    **dict.fromkeys(("ScoreReport", "IndicatorScore"), "plan57.scoring.verdicts"),
    **dict.fromkeys(("StatusReport", "ReporterStatus"), "plan57.submissions.status"),
    **dict.fromkeys(
        ("DiffReport", "HistoryReport", "Change", "Revision"), "plan57.catalogue.revisions"
    ),
    **dict.fromkeys(("Explanations", "Explanation"), "plan57.explanations"),
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'plan57' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # asked once, then an ordinary attribute
    return value


def __dir__() -> list[str]:
    return [*globals(), *__all__]
