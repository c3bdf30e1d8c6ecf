"""The one Jinja2 environment that lays out reports from views prepared in Python.

The templates and their stylesheets and scripts ship inside the package (`plan57/templates`,
which the repository's top-level `templates/` links to) and load through the package loader;
`PLAN57_TEMPLATES` names a folder of templates to use instead. HTML (and SVG) templates are
autoescaped: anything that came from a submission or the catalogue is text, never markup.
Markdown has no autoescape, so its templates pass every text through the `md` filter, which
neutralises HTML and Markdown syntax alike.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from plan57.errors import Plan57Error
from plan57.escaping import markdown, terminal


def _loader() -> jinja2.BaseLoader:
    override = os.environ.get("PLAN57_TEMPLATES")
    if not override:
        return jinja2.PackageLoader("plan57", "templates")
    if not (Path(override) / "report.html.j2").is_file():
        raise Plan57Error("templates-missing", path=override)
    return jinja2.FileSystemLoader(override)


def asset(name: str) -> str:
    """A text file plan57 ships for its outputs: a stylesheet or script beside the templates
    (`site.css`), or a file under `plan57/assets` (`assets/methodology.md`)."""
    if name.startswith("assets/"):
        return resources.files("plan57").joinpath(name).read_text("utf-8")
    env = environment()
    assert env.loader is not None
    return env.loader.get_source(env, name)[0]


# A reporting period with its part (2025Q4, 2025S1, 2025M01): one word on the page.
_PERIOD = re.compile(r"\b\d{4}(?:Q[1-4]|S[12]|M(?:0[1-9]|1[0-2]))\b")


def nowrap_periods(value: Any) -> Markup:
    """Text escaped for HTML with every period in a `span.period` that never wraps ("2025 /
    Q4" split at the end of a narrow column reads as two things)."""
    escaped = str(escape(terminal(str(value))))
    return Markup(_PERIOD.sub(lambda m: f'<span class="period">{m.group()}</span>', escaped))


def _visible(value: Any) -> Any:
    """Every text a template prints, with control and bidirectional characters made visible."""
    if isinstance(value, str):
        return type(value)(terminal(value))  # keeps Markup as Markup
    return value


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The report environment; cached, since compiling the templates costs more than using them."""
    env = jinja2.Environment(
        loader=_loader(),
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
    env.filters["periods"] = nowrap_periods
    return env


def render(template: str, view: dict[str, Any]) -> str:
    """Lay out `view` with `template` (e.g. `report.html.j2`)."""
    return environment().get_template(template).render(**view)


def docx_template() -> bytes:
    """The Word report's template: report.docx in PLAN57_TEMPLATES when it is set, else the
    package's (built by scripts/make_docx_template.py)."""
    override = os.environ.get("PLAN57_TEMPLATES")
    if not override:
        return resources.files("plan57").joinpath("templates", "report.docx").read_bytes()
    path = Path(override) / "report.docx"
    try:
        return path.read_bytes()
    except OSError:
        raise Plan57Error("docx-template-missing", path=str(path)) from None


def render_docx(view: dict[str, Any]) -> bytes:
    """Lay out `view` with the Word template: docxtpl runs the report environment's Jinja inside
    the document, so every text is escaped for XML and made visible as in the other outputs."""
    import io
    import zipfile

    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    source = docx_template()
    name = os.environ.get("PLAN57_TEMPLATES") or "report.docx"
    try:
        document = DocxTemplate(io.BytesIO(source))
        document.render(view, environment())
    except (zipfile.BadZipFile, KeyError, ValueError, TemplateError) as exc:
        raise Plan57Error("docx-template-bad", path=name, reason=str(exc)[:200]) from None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
