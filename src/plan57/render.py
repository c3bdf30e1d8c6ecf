"""The one Jinja2 environment that lays out reports from views prepared in Python.

Templates live in the repository's `templates/` folder. An installed wheel carries them as
data files (`<prefix>/share/plan57/templates`, see pyproject.toml); `PLAN57_TEMPLATES` can point
elsewhere. HTML (and SVG) templates are autoescaped: anything that came from a submission or
the catalogue is text, never markup. Markdown has no autoescape, so its templates pass every
text through the `md` filter, which neutralises HTML and Markdown syntax alike.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from plan57.errors import Plan57Error
from plan57.escaping import markdown, terminal

_SOURCE_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def templates_dir() -> Path:
    """The folder holding the report templates: env override, source checkout, installed data."""
    candidates: list[Path] = []
    override = os.environ.get("PLAN57_TEMPLATES")
    if override:
        candidates.append(Path(override))
    candidates.append(_SOURCE_TEMPLATES)
    for scheme_path in (
        sysconfig.get_path("data"),
        sysconfig.get_path("data", f"{os.name}_user"),
        sys.prefix,
    ):
        if scheme_path:
            candidates.append(Path(scheme_path) / "share" / "plan57" / "templates")
    for folder in candidates:
        if (folder / "report.html.j2").is_file():
            return folder
    raise Plan57Error("templates-missing", path=str(_SOURCE_TEMPLATES))


def _visible(value: Any) -> Any:
    """Every text a template prints, with control and bidirectional characters made visible."""
    if isinstance(value, str):
        return type(value)(terminal(value))  # keeps Markup as Markup
    return value


@lru_cache(maxsize=4)
def environment(folder: Path | None = None) -> jinja2.Environment:
    """The report environment; cached, since compiling the templates costs more than using them."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder or templates_dir())),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html.j2", "svg.j2"), default_for_string=True, default=False
        ),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible,
    )
    env.filters["md"] = markdown
    return env


def render(template: str, view: dict[str, Any]) -> str:
    """Lay out `view` with `template` (e.g. `report.html.j2`)."""
    return environment().get_template(template).render(**view)
