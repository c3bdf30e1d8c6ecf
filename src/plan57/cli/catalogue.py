"""`plan57 catalogue`: show the indicator catalogue."""

from __future__ import annotations

import enum

import typer

from plan57.cli._app import app, lang_option, root_of
from plan57.cli._output import console, emit
from plan57.messages import Lang, text


class CatalogueFormat(enum.StrEnum):
    table = "table"
    json = "json"


@app.command("catalogue")
def show_catalogue(
    ctx: typer.Context,
    output_format: CatalogueFormat = typer.Option(
        CatalogueFormat.table, "--format", help="table | json"
    ),
    lang: str | None = lang_option(),
) -> None:
    """Danh mục chỉ tiêu / show the indicator catalogue."""
    from plan57.catalogue import load_catalogue
    from plan57.repository import CATALOGUE

    language: Lang = lang  # type: ignore[assignment]
    catalogue = load_catalogue(root_of(ctx) / CATALOGUE)
    if output_format is CatalogueFormat.json:
        emit(catalogue.model_dump_json(indent=2, by_alias=True))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=text("label.catalogue-title", language, number=catalogue.plan.number))
    for key in (
        "label.id",
        "label.group",
        "label.name",
        "label.unit",
        "label.kind",
        "label.reporters",
    ):
        table.add_column(text(key, language), overflow="fold")
    for ind in catalogue.indicators:
        targets = "; ".join(f"{t.year}: {t.text}" for t in ind.targets)
        # Names and targets are the secretariat's text: a "[" in them is not rich markup.
        table.add_row(
            ind.id,
            ind.group,
            f"{escape(ind.name(language))}\n[dim]{escape(targets)}[/dim]",
            text(f"unit.{ind.unit}", language),
            text("label.flow" if ind.flow else "label.stock", language),
            ", ".join(ind.reporters),
        )
    console().print(table)
