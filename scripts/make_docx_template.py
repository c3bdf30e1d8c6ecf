"""Build the Word template of `plan57 report --format docx` (src/plan57/templates/report.docx).

The layout is Hướng dẫn 36-HD/VPTW's for a Party body's báo cáo: the issuing body top left with
the number, "ĐẢNG CỘNG SẢN VIỆT NAM" underlined top right over the place and date in italics,
"BÁO CÁO" and the subject, the body (parts I–IV), the signature and "Nơi nhận"; A4 in Times New
Roman, margins 20 mm top and bottom, 30 mm left, 15 mm right; the appendix on landscape pages,
its header row repeated on each. The texts are docxtpl's Jinja tags, filled from the view
`plan57.output.word` prepares: the template only lays out.

The secretariat may restyle the result in Word and keep it in its repository
(PLAN57_TEMPLATES); this script is how the bundled one is made, so that a change to it is a
reviewed change of code. The output is byte for byte the same on every run:

    .venv/bin/python scripts/make_docx_template.py
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

OUT = Path(__file__).resolve().parent.parent / "src" / "plan57" / "templates" / "report.docx"
FONT = "Times New Roman"
BODY_PT = 14
# Inside the text width (210 − 30 − 15 = 165 mm portrait, 297 − 30 − 15 = 252 mm landscape).
ACTION_WIDTHS = (12, 16, 40, 31, 17, 49)
APPENDIX_WIDTHS = (12, 16, 62, 24, 24, 14, 24, 76)
FIXED = datetime(2025, 5, 22)


def main() -> None:
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    _page(section, landscape=False)
    section.different_first_page_header_footer = True
    _page_number(section.header.paragraphs[0])

    _heading(doc)
    _body(doc)
    _signature(doc)

    appendix = doc.add_section(WD_SECTION.NEW_PAGE)
    _tiny(doc.paragraphs[-1])
    _page(appendix, landscape=True)
    appendix.different_first_page_header_footer = False  # the appendix's pages are numbered
    _appendix(doc)

    props = doc.core_properties
    props.author = "plan57"
    props.title = "{{ title }}"
    props.created = props.modified = FIXED
    props.last_modified_by = "plan57"
    props.revision = 1
    buffer = io.BytesIO()
    doc.save(buffer)
    OUT.write_bytes(_reproducible(buffer.getvalue()))
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")


def _styles(doc: Document) -> None:  # type: ignore[valid-type]
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    layout = normal.paragraph_format
    layout.space_before = Pt(0)
    layout.space_after = Pt(6)
    layout.line_spacing = 1.15


def _page(section, *, landscape: bool) -> None:  # type: ignore[no-untyped-def]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (
        (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    )
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)


def _page_number(paragraph: Paragraph) -> None:
    """The page number centred at the top from the second page on, as 36-HD/VPTW places it."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, value in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = value
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _line(
    container,  # type: ignore[no-untyped-def]
    content: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float = BODY_PT,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    after: float = 6,
    keep: bool = False,
) -> Paragraph:
    paragraph: Paragraph = container.add_paragraph()
    paragraph.alignment = align
    layout = paragraph.paragraph_format
    layout.space_after = Pt(after)
    if indent:
        layout.first_line_indent = Mm(12.7)
    if keep:
        layout.keep_with_next = True
    if content:
        run = paragraph.add_run(content)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
    return paragraph


def _tag(container, tag: str) -> None:  # type: ignore[no-untyped-def]
    """A docxtpl paragraph tag ({%p … %}): the paragraph goes when the document is rendered."""
    _line(container, tag, after=0)


def _first(cell: _Cell) -> _Cell:
    """A cell with its empty first paragraph gone, so that content starts at its top."""
    element = cell.paragraphs[0]._p
    element.getparent().remove(element)
    return cell


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    table._tbl.tblPr.append(borders)


def _grid(table: Table, widths: tuple[float, ...]) -> None:
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)


def _header_row(table: Table) -> None:
    """The first row repeats on every page the table runs onto, and never splits."""
    properties = table.rows[0]._tr.get_or_add_trPr()
    for name in ("w:tblHeader", "w:cantSplit"):
        flag = OxmlElement(name)
        flag.set(qn("w:val"), "true")
        properties.append(flag)


def _cant_split(row) -> None:  # type: ignore[no-untyped-def]
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _heading(doc: Document) -> None:  # type: ignore[valid-type]
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _grid(table, (78, 87))
    left, right = (_first(cell) for cell in table.rows[0].cells)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _tag(left, "{%p if superior %}")
    _line(left, "{{ superior }}", size=14, align=center, after=0)
    _tag(left, "{%p endif %}")
    _line(left, "{{ issuer }}", bold=True, size=14, align=center, after=0)
    _line(left, "*", size=14, align=center, after=0)
    _line(left, "{{ number }}", size=14, align=center, after=0)
    _line(right, "{{ party }}", bold=True, underline=True, size=15, align=center, after=12)
    _line(right, "{{ dateline }}", italic=True, size=14, align=center, after=0)

    _line(doc, "", after=6)
    _line(doc, "{{ kind }}", bold=True, size=16, align=center, after=0)
    _line(doc, "{{ subject }}", bold=True, size=14, align=center, after=0)
    _line(doc, "-----", size=14, align=center, after=12)


def _body(doc: Document) -> None:  # type: ignore[valid-type]
    _line(doc, "{{ intro }}", indent=True)

    _line(doc, "{{ labels.part1 }}", bold=True, keep=True)
    _line(doc, "{{ labels.counts }}", bold=True, keep=True, indent=True)
    _line(doc, "{{ counts }}", indent=True)
    _tag(doc, "{%p if provisional %}")
    _line(doc, "{{ provisional }}", italic=True, indent=True)
    _tag(doc, "{%p endif %}")

    _line(doc, "{{ labels.action }}", bold=True, keep=True, indent=True)
    _tag(doc, "{%p if actions %}")
    _line(doc, "{{ labels.action_intro }}", indent=True, keep=True)
    _action_table(doc)
    _tag(doc, "{%p else %}")
    _line(doc, "{{ labels.action_none }}", indent=True)
    _tag(doc, "{%p endif %}")

    _line(doc, "{{ labels.overdue }}", bold=True, keep=True, indent=True)
    _tag(doc, "{%p for o in overdue %}")
    _line(doc, "- {{ o.line }}", indent=True, after=3)
    _tag(doc, "{%p else %}")
    _line(doc, "{{ labels.overdue_none }}", indent=True)
    _tag(doc, "{%p endfor %}")

    _line(doc, "{{ labels.highlights }}", bold=True, keep=True, indent=True)
    _narratives(doc, "highlights")
    for part, items in (("part2", "difficulties"), ("part3", "proposals")):
        _line(doc, f"{{{{ labels.{part} }}}}", bold=True, keep=True)
        _narratives(doc, items)

    _line(doc, "{{ labels.part4 }}", bold=True, keep=True)
    _tag(doc, "{%p for task in tasks %}")
    # The last part stays on the page of the signature.
    _line(doc, "{{ loop.index }}. {{ task }}", indent=True, keep=True)
    _tag(doc, "{%p else %}")
    _line(doc, "{{ labels.tasks_none }}", italic=True, indent=True)
    _tag(doc, "{%p endfor %}")


def _narratives(doc: Document, items: str) -> None:  # type: ignore[valid-type]
    """One part of the units' narratives: by kind of unit, each unit's paragraphs."""
    _tag(doc, f"{{%p for g in {items} %}}")
    _line(doc, "{{ g.title }}", bold=True, italic=True, keep=True, indent=True)
    _tag(doc, "{%p for e in g.entries %}")
    _tag(doc, "{%p for text in e.paragraphs %}")
    _line(doc, "{% if loop.first %}- {{ e.unit }}: {% endif %}{{ text }}", indent=True)
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p else %}")
    _line(doc, "{{ labels.narratives_none }}", indent=True)
    _tag(doc, "{%p endfor %}")


def _action_table(doc: Document) -> None:  # type: ignore[valid-type]
    """Who must act: one table, its rows in sections by unit when `--by` asks for them."""
    heads = ("number", "id", "name", "responsible", "gap", "needed")
    table = doc.add_table(rows=7, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _grid(table, ACTION_WIDTHS)
    _header_row(table)
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        _cell(cell, f"{{{{ labels.col_{head} }}}}", bold=True, center=True)
    _cell(table.rows[1].cells[0], "{%tr for s in actions %}")
    _cell(table.rows[2].cells[0], "{%tr if s.title %}")
    title = table.rows[3]
    _cant_split(title)
    merged = title.cells[0].merge(title.cells[-1])
    _cell(merged, "{{ s.title }}", bold=True)
    _keep_with_next(merged)
    _cell(table.rows[4].cells[0], "{%tr endif %}")
    _cell(table.rows[5].cells[0], "{%tr for a in s.rows %}")
    body = table.rows[6]
    _cant_split(body)
    # A missed indicator and an at-risk one read apart at a glance: the status after the name.
    texts = (
        "{{ a.number }}",
        "{{ a.id }}",
        "{{ a.name }} ({{ a.status_label }}: {{ a.value }}; {{ labels.col_target }} {{ a.target }}, {{ a.milestone }})",
        "{{ a.responsible_names }}",
        "{{ a.gap }}",
        "{{ a.needed }}",
    )
    for n, (cell, content) in enumerate(zip(body.cells, texts, strict=True)):
        _cell(cell, content, center=n in (0, 1, 4))
    _cell(table.add_row().cells[0], "{%tr endfor %}")
    _cell(table.add_row().cells[0], "{%tr endfor %}")
    _line(doc, "", after=6)


def _cell(cell: _Cell, content: str, *, bold: bool = False, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(content)
    run.bold = bold
    run.font.size = Pt(11)


def _signature(doc: Document) -> None:  # type: ignore[valid-type]
    _line(doc, "", after=6, keep=True)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _grid(table, (85, 80))
    _cant_split(table.rows[0])  # the signature never leaves its recipients
    left, right = (_first(cell) for cell in table.rows[0].cells)
    _line(
        left,
        "{{ labels.recipients }}",
        underline=True,
        size=14,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        after=0,
    )
    _tag(left, "{%p for r in recipients %}")
    _line(
        left,
        "- {{ r }}{{ '.' if loop.last else ',' }}",
        size=12,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        after=0,
    )
    _tag(left, "{%p endfor %}")
    center = WD_ALIGN_PARAGRAPH.CENTER
    _tag(right, "{%p for s in signature %}")
    _line(right, "{{ s }}", bold=True, size=14, align=center, after=0)
    _tag(right, "{%p endfor %}")
    for _ in range(4):
        _line(right, "", after=0)
    _line(right, "{{ signer }}", bold=True, size=14, align=center, after=0)


def _appendix(doc: Document) -> None:  # type: ignore[valid-type]
    center = WD_ALIGN_PARAGRAPH.CENTER
    _line(doc, "{{ labels.appendix }}", bold=True, size=14, align=center, after=0)
    _line(doc, "{{ labels.appendix_title }}", bold=True, size=14, align=center, after=0)
    _line(doc, "{{ labels.appendix_note }}", italic=True, size=13, align=center, after=12)
    heads = ("number", "id", "name", "value", "target", "milestone", "status", "reason")
    table = doc.add_table(rows=4, cols=len(heads))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _grid(table, APPENDIX_WIDTHS)
    _header_row(table)
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        _cell(cell, f"{{{{ labels.col_{head} }}}}", bold=True, center=True)
    _cell(table.rows[1].cells[0], "{%tr for s in appendix %}")
    group = table.rows[2]
    _cant_split(group)
    merged = group.cells[0].merge(group.cells[-1])
    _cell(merged, "{{ s.title }}", bold=True)
    _keep_with_next(merged)
    _cell(table.rows[3].cells[0], "{%tr for r in s.rows %}")
    row = table.add_row()
    _cant_split(row)
    texts = (
        "{{ r.number }}",
        "{{ r.id }}",
        "{{ r.name }}",
        "{{ r.value }}",
        "{{ r.target }}",
        "{{ r.milestone }}",
        "{{ r.status_label }}",
        "{{ r.reason }}",
    )
    for n, (cell, content) in enumerate(zip(row.cells, texts, strict=True)):
        _cell(cell, content, center=n in (0, 1, 3, 4, 5))
    _cell(table.add_row().cells[0], "{%tr endfor %}")
    _cell(table.add_row().cells[0], "{%tr endfor %}")


def _tiny(paragraph: Paragraph) -> None:
    """The paragraph that carries the section break: too small to spill onto a page of its own
    when the signature ends a page."""
    layout = paragraph.paragraph_format
    layout.space_before = layout.space_after = Pt(0)
    layout.line_spacing = Pt(1)
    mark = paragraph._p.get_or_add_pPr()
    size = OxmlElement("w:rPr")
    value = OxmlElement("w:sz")
    value.set(qn("w:val"), "2")
    size.append(value)
    mark.find(qn("w:sectPr")).addprevious(size)


def _keep_with_next(cell: _Cell) -> None:
    """A group's title row stays on the page of its first indicator."""
    for paragraph in cell.paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def _reproducible(data: bytes) -> bytes:
    """The package with every member dated FIXED, in the order written: the same bytes each run."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
