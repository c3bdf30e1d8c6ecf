"""`plan57 catalogue`: the indicators at a glance, one indicator whole, or the registry."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import typer

from plan57.cli._app import HUMAN, app, chosen, format_option, lang_option, root_of
from plan57.cli._output import console, emit
from plan57.messages import Lang, text

if TYPE_CHECKING:
    from plan57.catalogue.models import Catalogue, Indicator


class CatalogueFormat(enum.StrEnum):
    human = "human"
    json = "json"


@app.command("catalogue")
def show_catalogue(
    ctx: typer.Context,
    indicator: str | None = typer.Argument(
        None, help="Mã chỉ tiêu / one indicator in full, e.g. CT05 (default: all, in brief)."
    ),
    registry: bool = typer.Option(
        False, "--registry", help="Các đơn vị báo cáo / list the reporters' ids and names."
    ),
    output_format: str = format_option(CatalogueFormat, HUMAN),
    lang: str | None = lang_option(),
) -> None:
    """Danh mục chỉ tiêu và đơn vị / show the indicator catalogue and the reporters."""
    from plan57 import api
    from plan57.repository import CATALOGUE

    language: Lang = lang  # type: ignore[assignment]
    shape = chosen(CatalogueFormat, output_format)
    catalogue = api.load_catalogue(root_of(ctx) / CATALOGUE)
    if registry:
        _registry(catalogue, shape, language)
    elif indicator is not None:
        _one(catalogue, _find(catalogue, indicator, language), shape, language)
    elif shape is CatalogueFormat.json:
        emit(catalogue.model_dump_json(indent=2, by_alias=True))
    else:
        _table(catalogue, language)


def _find(catalogue: Catalogue, wanted: str, lang: Lang) -> Indicator:
    from plan57.errors import UsageError

    found = catalogue.indicator(wanted.strip().upper())
    if found is None:
        from plan57.messages import suggestion

        close = suggestion(wanted, [i.id for i in catalogue.indicators])
        raise UsageError("catalogue-unknown-indicator", value=wanted, suggestion=close)
    return found


def _table(catalogue: Catalogue, lang: Lang) -> None:
    """One line per indicator where it fits: names are cut short here, whole in
    `catalogue CT05` and in --format json."""
    from rich.markup import escape
    from rich.table import Table

    out = console()
    table = Table(
        title=text("label.catalogue-title", lang, number=catalogue.plan.number),
        caption=text("label.catalogue-more", lang),
        caption_justify="left",
    )
    reporters_width = 24
    # The id, the reporters, and the rules and padding between columns take the rest.
    name_width = max(20, out.width - reporters_width - 16)
    table.add_column(text("label.id", lang), no_wrap=True)
    table.add_column(text("label.name", lang), no_wrap=True, max_width=name_width)
    table.add_column(text("label.reporters", lang), overflow="fold", max_width=reporters_width)
    for ind in catalogue.indicators:
        # Names are the secretariat's text: a "[" in them is not rich markup.
        name = _cut(ind.name(lang), name_width)
        table.add_row(ind.id, escape(name), escape(", ".join(ind.reporters)))
    out.print(table, soft_wrap=False)


def _cut(name: str, width: int) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


def _one(catalogue: Catalogue, ind: Indicator, shape: CatalogueFormat, lang: Lang) -> None:
    if shape is CatalogueFormat.json:
        emit(ind.model_dump_json(indent=2))
        return
    from rich.markup import escape

    from plan57 import formatting as fmt
    from plan57.escaping import inline

    def names(ids: list[str]) -> str:
        return "; ".join(f"{i} ({catalogue.entry_name(i, lang)})" for i in ids) or "–"

    group = next((g for g in catalogue.groups if g.id == ind.group), None)
    group_name = (group.name_vi if lang == "vi" else group.name_en) if group else ""
    kind = text("label.flow" if ind.flow else "label.stock", lang)
    if ind.path == "compound":
        kind += f" ({text('label.path-compound', lang)})"
    baseline = "–" if ind.baseline is None else fmt.quantity(ind.baseline, ind.unit, lang)
    rows = [
        (text("label.group", lang), f"{ind.group} — {group_name}"),
        (text("label.unit", lang), text(f"unit.{ind.unit}", lang)),
        (text("label.kind", lang), kind),
        (text("label.frequency", lang), text(f"label.template-per-{ind.frequency}", lang)),
        (text("label.reporters", lang), names(ind.reporters)),
        (text("label.combine", lang), text(f"combine.{ind.combine}", lang)),
        (text("label.lead", lang), names([ind.lead])),
        (text("label.responsible", lang), names(ind.responsible)),
        (text("label.monitors", lang), names(ind.monitors)),
        (text("label.baseline", lang), baseline),
    ]
    out = console()
    # Each value is catalogue data inside a line: it never ends one (escaping.inline).
    out.print(f"[bold]{ind.id}[/bold]  {escape(inline(ind.name(lang)))}")
    width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        out.print(f"  {escape(label + ':'):<{width}}{escape(inline(value))}")
    out.print(f"  {escape(text('label.targets', lang) + ':')}")
    for target in ind.targets:
        out.print(f"    {target.year}: {escape(inline(fmt.target(target, ind.unit, lang)))}")


def _registry(catalogue: Catalogue, shape: CatalogueFormat, lang: Lang) -> None:
    if shape is CatalogueFormat.json:
        import json

        entries = [entry.model_dump(mode="json") for entry in catalogue.registry]
        emit(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        title=text("label.registry-title", lang, number=catalogue.plan.number), pad_edge=False
    )
    table.add_column(text("label.id", lang), no_wrap=True)
    table.add_column(text("label.registry-kind", lang), no_wrap=True)
    table.add_column(text("label.registry-name", lang), overflow="fold")
    for entry in catalogue.registry:
        name = entry.name_vi if lang == "vi" else entry.name_en
        if entry.members:
            name = f"{name} ({text('label.members', lang)}: {', '.join(entry.members)})"
        table.add_row(escape(entry.id), text(f"kind.{entry.kind}", lang), escape(name))
    console().print(table, soft_wrap=False)
