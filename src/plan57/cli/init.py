"""`plan57 init`: a new data repository for a province, from its plan's appendix."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path

import typer

from plan57.cli._app import HUMAN, app, chosen, format_option, lang_option
from plan57.cli._output import emit
from plan57.messages import Lang, text


class InitFormat(enum.StrEnum):
    human = "human"
    json = "json"


@app.command()
def init(
    directory: Path = typer.Argument(
        ..., help="Thư mục kho dữ liệu mới (chưa có hoặc trống) / the new repository's folder."
    ),
    province: str = typer.Option(
        ..., "--province", help="Tên hoặc mã tỉnh, thành phố / province name or code (Gia Lai, 52)."
    ),
    appendix: Path = typer.Option(
        ...,
        "--appendix",
        help="Bảng phụ lục chỉ tiêu (.tsv, .csv, .txt hoặc .xlsx) / the plan's appendix table.",
        dir_okay=False,
    ),
    plan_number: str | None = typer.Option(
        None, "--plan-number", help="Số kế hoạch / plan number (default: read from the appendix)."
    ),
    plan_date: str | None = typer.Option(
        None,
        "--plan-date",
        help="Ngày kế hoạch / plan date, YYYY-MM-DD (default: from the appendix).",
    ),
    issuer: str | None = typer.Option(
        None, "--issuer", help="Cơ quan ban hành / issuer (default: Ban Thường vụ Tỉnh ủy …)."
    ),
    output_format: str = format_option(InitFormat, HUMAN),
    lang: str | None = lang_option(),
) -> None:
    """Tạo kho dữ liệu cho một tỉnh từ phụ lục kế hoạch / start a province's data repository."""
    from plan57.catalogue.scaffold import PlanInfo, init_repository
    from plan57.errors import AppendixError

    language: Lang = lang  # type: ignore[assignment]
    date = None
    if plan_date is not None:
        try:
            date = dt.date.fromisoformat(plan_date.strip())
        except ValueError:
            raise AppendixError("init-plan-date", value=plan_date) from None
    info = PlanInfo(number=plan_number, date=date, issuer=issuer)
    result = init_repository(directory, province, appendix, info)
    if chosen(InitFormat, output_format) is InitFormat.json:
        emit(result.model_dump_json(indent=2))
        return
    emit(text("label.init-done", language, **result.model_dump()))
    emit(text("label.init-decisions", language, decisions=result.decisions))
    emit(text("label.init-next", language, path=result.path))
