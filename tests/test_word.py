"""`plan57 report --format docx`: the Word report read back by python-docx (its layout, its
appendix equal to `score --format json`, its escaping), and printed by LibreOffice."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn

import plan57
from clirun import invoke
from plan57 import formatting as fmt
from plan57.catalogue.models import Target
from plan57.messages import text

PROJECT = Path(__file__).resolve().parents[1]
PERIOD, AS_OF = "2025Q4", "2026-02-01"
EPOCH = {"SOURCE_DATE_EPOCH": "1769904000"}  # 2026-02-01 00:00 UTC


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    """A copy of the bundled data repository (its catalogue has a `report:` section)."""
    copy = tmp_path / "repo"
    shutil.copytree(PROJECT / "data", copy / "data")
    return copy


def word(root: Path, out: Path, *args: str, lang: str = "vi") -> Any:
    result = invoke(
        root,
        "report",
        "--period",
        PERIOD,
        "--as-of",
        AS_OF,
        "--lang",
        lang,
        "--out",
        str(out),
        *args,
        env=EPOCH,
    )
    assert result.exit_code == 0, result.output
    return Document(str(out))


def paragraphs(document: Any) -> list[str]:
    """Every paragraph's text, the heading's and signature's table cells included."""
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def appendix_rows(document: Any) -> list[list[str]]:
    """The appendix's indicator rows (its header and group rows left out)."""
    table = document.tables[-1]
    rows = []
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        if len(set(cells)) > 1:  # a group's title is one cell merged across the row
            rows.append(cells)
    return rows


def test_the_appendix_holds_the_facts_of_score(root: Path, tmp_path: Path) -> None:
    document = word(root, tmp_path / "report.docx")
    scored = invoke(root, "score", "--period", PERIOD, "--as-of", AS_OF, "--format", "json")
    report = json.loads(scored.stdout)
    rows = appendix_rows(document)
    assert len(rows) == len(report["indicators"]) == 55
    for number, (row, item) in enumerate(zip(rows, report["indicators"], strict=True), 1):
        unit = item["unit"]
        value = (
            fmt.answer(item["answer"], "vi")
            if unit == "yes_no"
            else fmt.quantity(item["value"], unit, "vi")
        )
        target = Target.model_validate(item["target"]) if item["target"] else None
        milestone = str(item["milestone"]) if item["milestone"] is not None else "–"
        expected = [
            str(number),
            item["id"],
            item["name"],
            value,
            fmt.target(target, unit, "vi"),
            milestone,
            text(f"status.{item['status']}", "vi"),
            item["reason"],
        ]
        assert row == expected


def test_the_layout_is_the_party_format(root: Path, tmp_path: Path) -> None:
    document = word(root, tmp_path / "report.docx")
    first, appendix = document.sections
    # Word keeps twentieths of a point: A4 is 11906 × 16838 of them.
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert (round(appendix.page_width.mm), round(appendix.page_height.mm)) == (297, 210)
    for section in document.sections:
        assert 20 <= round(section.top_margin.mm, 1) <= 25
        assert 20 <= round(section.bottom_margin.mm, 1) <= 25
        assert 30 <= round(section.left_margin.mm, 1) <= 35
        assert 15 <= round(section.right_margin.mm, 1) <= 20
    assert document.styles["Normal"].font.name == "Times New Roman"
    heading = document.tables[0].rows[0].cells
    left = [p.text for p in heading[0].paragraphs]
    assert left[:2] == ["ĐẢNG BỘ TỈNH ĐẮK LẮK", "BAN CHỈ ĐẠO VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, "
                        "ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ TỈNH"]  # fmt: skip
    assert left[-1] == "Số      -BC/BCĐ"
    party, place = heading[1].paragraphs
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and party.runs[0].underline
    assert party.runs[0].bold
    assert place.text == "Đắk Lắk, ngày 01 tháng 02 năm 2026" and place.runs[0].italic
    texts = paragraphs(document)
    for line in ("BÁO CÁO", "I. KẾT QUẢ THỰC HIỆN", "II. KHÓ KHĂN, VƯỚNG MẮC",
                 "III. KIẾN NGHỊ, ĐỀ XUẤT", "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", "Nơi nhận:",
                 "T/M BAN CHỈ ĐẠO", "TRƯỞNG BAN", "PHỤ LỤC", "- Lưu Văn phòng Tỉnh ủy."):  # fmt: skip
        assert line in texts
    assert "kết quả thực hiện các chỉ tiêu của Kế hoạch số 283-KH/TU, quý IV năm 2025" in texts
    # The appendix's header row repeats on every page, and no row splits across two.
    header = document.tables[-1].rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None


def test_part_one_says_who_must_act(root: Path, tmp_path: Path) -> None:
    document = word(root, tmp_path / "report.docx")
    summary = plan57.score(root, period=PERIOD, as_of=AS_OF).summary  # the facts of `score`
    on, risk, missed = summary["on-track"], summary["at-risk"], summary["missed"]
    counts = f"Trong 55 chỉ tiêu của Kế hoạch: {on} chỉ tiêu đúng tiến độ; {risk} chỉ tiêu có nguy cơ chậm"
    assert any(p.startswith(counts) for p in paragraphs(document))
    actions = document.tables[1]
    rows = [[c.text for c in row.cells] for row in actions.rows[1:]]
    assert len(rows) == missed + risk
    # Missed first, then at risk, numbered through.
    assert [r[0] for r in rows] == [str(n) for n in range(1, missed + risk + 1)]
    statuses = ["Không đạt" in r[2] for r in rows]
    assert statuses == sorted(statuses, reverse=True) and sum(statuses) == missed
    ct11 = next(r for r in rows if r[1] == "CT11")
    assert ct11[3].startswith("Các sở, ban, ngành của tỉnh")  # the responsible units
    assert ct11[4] == "0,5"  # 6,0 against 6,5
    assert "mốc 2030" in ct11[5]  # the 2025 milestone has passed: towards the next one
    overdue = [p for p in paragraphs(document) if "quá hạn" in p and p.startswith("- Chỉ tiêu")]
    assert overdue


def test_english_has_the_same_structure(root: Path, tmp_path: Path) -> None:
    vi = word(root, tmp_path / "vi.docx")
    en = word(root, tmp_path / "en.docx", lang="en")
    texts = paragraphs(en)
    for line in ("COMMUNIST PARTY OF VIETNAM", "REPORT", "I. RESULTS FOR THE PERIOD",
                 "IV. TASKS FOR THE NEXT PERIOD", "Recipients:", "APPENDIX"):  # fmt: skip
        assert line in texts
    assert len(en.tables) == len(vi.tables)
    assert [len(t.rows) for t in en.tables] == [len(t.rows) for t in vi.tables]


def test_without_a_report_section_it_says_what_to_add(root: Path, tmp_path: Path) -> None:
    path = root / "data" / "targets.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    del data["report"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp_path / "report.docx"
    result = invoke(root, "report", "--period", PERIOD, "--as-of", AS_OF, "--out", str(out))
    assert result.exit_code == 2
    assert "data/targets.yaml chưa có mục report:" in result.stderr
    assert "docs/catalogue.md" in result.stderr
    assert not out.exists()


def test_a_hostile_catalogue_text_stays_text(root: Path, tmp_path: Path) -> None:
    path = root / "data" / "targets.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["report"]["issuer_vi"] = 'Ban <w:p>"&" {{ 7*7 }} \x1b[31m'
    data["report"]["recipients_vi"].append("</w:t></w:r><w:r><w:t>injected")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    document = word(root, tmp_path / "report.docx")
    texts = paragraphs(document)
    assert 'BAN <W:P>"&" {{ 7*7 }} \\u001b[31M' in texts
    assert "- </w:t></w:r><w:r><w:t>injected." in texts


def test_the_format_follows_the_extension(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    result = invoke(root, "report", "--period", PERIOD, "--as-of", AS_OF, "--out", str(out))
    assert result.exit_code == 0
    assert zipfile.is_zipfile(out)
    wrong = tmp_path / "report.html"
    result = invoke(root, "report", "--period", PERIOD, "--format", "docx", "--out", str(wrong))
    assert result.exit_code == 2 and not wrong.exists()
    assert "format-mismatch" not in result.stderr  # words, not the code
    result = invoke(root, "report", "--period", PERIOD, "--format", "docx")
    assert result.exit_code == 2  # a Word file is not printed on the terminal


def test_a_templates_folder_without_the_word_template(root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(PROJECT / "templates", folder)
    (folder / "report.docx").unlink()
    out = tmp_path / "report.docx"
    result = invoke(
        root, "report", "--period", PERIOD, "--out", str(out), env={"PLAN57_TEMPLATES": str(folder)}
    )
    assert result.exit_code == 2
    assert "report.docx" in result.stderr and not out.exists()


def test_the_bundled_template_is_what_the_script_builds(tmp_path: Path) -> None:
    bundled = PROJECT / "src" / "plan57" / "templates" / "report.docx"
    before = bundled.read_bytes()
    subprocess.run(
        [sys.executable, str(PROJECT / "scripts" / "make_docx_template.py")],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    assert bundled.read_bytes() == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_it_on_a4(root: Path, tmp_path: Path) -> None:
    word(root, tmp_path / "report.docx")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(tmp_path / "report.docx")],
        check=True, capture_output=True, timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(tmp_path / "report.pdf")],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    sizes = [line.split(":", 1)[1].split("pts")[0].strip() for line in info.splitlines()
             if line.startswith("Page") and "size" in line]  # fmt: skip
    portrait, landscape = "595.304 x 841.89", "841.89 x 595.304"
    assert sizes[0] == portrait and sizes[-1] == landscape
    assert set(sizes) == {portrait, landscape}
    # The body on portrait pages, then the appendix on landscape ones, never mixed.
    assert sizes == sorted(sizes, key=lambda s: s == landscape)
    assert len(sizes) <= 16


def test_parts_two_and_three_compile_the_units_narratives(root: Path, tmp_path: Path) -> None:
    document = word(root, tmp_path / "report.docx")
    texts = paragraphs(document)
    two, three = texts.index("II. KHÓ KHĂN, VƯỚNG MẮC"), texts.index("III. KIẾN NGHỊ, ĐỀ XUẤT")
    four = texts.index("IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI")
    difficulties, proposals = texts[two:three], texts[three:four]
    # By kind of unit, departments first; each unit named before its first paragraph.
    assert difficulties.index("Các sở, ban, ngành") < difficulties.index("Các xã, phường")
    assert any(p.startswith("- Sở Khoa học và Công nghệ: Số doanh nghiệp") for p in difficulties)
    assert any(p.startswith("- Phường Buôn Ma Thuột: Đề nghị tỉnh hỗ trợ") for p in proposals)
    assert "4. Kết quả nổi bật của các đơn vị" in texts


def test_a_hostile_narrative_is_text_in_every_report(root: Path, tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script> **đậm** </w:t><w:t>x & "y"'
    (root / "data" / "submissions" / "so-tc" / "2025Q4.md").write_text(
        f"## Kết quả nổi bật\nKhông có.\n\n## Khó khăn, vướng mắc\n{hostile}\n\n"
        "## Kiến nghị, đề xuất\nKhông có.\n",
        "utf-8",
    )
    document = word(root, tmp_path / "report.docx")
    assert f"- Sở Tài chính: {hostile}" in paragraphs(document)
    args = ("report", "--period", PERIOD, "--as-of", AS_OF)
    html = invoke(root, *args, "--format", "html").stdout
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **đậm** &lt;/w:t&gt;" in html
    markdown = invoke(root, *args).stdout
    assert "<script>" not in markdown and "\\*\\*đậm\\*\\*" in markdown


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_out_pdf_writes_the_word_report_printed_by_libreoffice(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.pdf"
    result = invoke(root, "report", "--period", PERIOD, "--as-of", AS_OF, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert "LibreOffice" in info and "A4" in info


def test_out_pdf_without_libreoffice_refuses(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.pdf"
    result = invoke(
        root,
        "report", "--period", PERIOD, "--as-of", AS_OF, "--out", str(out),
        env={"PLAN57_SOFFICE": str(tmp_path / "none"), "PATH": str(tmp_path)},
    )  # fmt: skip
    assert result.exit_code == 2 and not out.exists()
    assert "LibreOffice" in result.stderr and ".docx, .html, .md" in result.stderr


def test_template_and_import_formats_follow_the_extension(root: Path, tmp_path: Path) -> None:
    workbook = tmp_path / "so-tc-2025Q4.xlsx"
    args = ("template", "--reporter", "so-tc", "--period", "2025Q4", "--out")
    assert invoke(root, *args, str(workbook)).exit_code == 0
    assert zipfile.is_zipfile(workbook)  # a workbook, not CSV in a file named .xlsx
    csv = tmp_path / "so-tc-2025Q4.csv"
    assert invoke(root, *args, str(csv)).exit_code == 0
    assert csv.read_bytes().lstrip(b"\xef\xbb\xbf").startswith(b"indicator")
    wrong = tmp_path / "wrong.xlsx"
    result = invoke(root, *args, str(wrong), "--format", "csv")
    assert result.exit_code == 2 and not wrong.exists()
    result = invoke(root, "import", str(workbook), "--out", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 2 and not (tmp_path / "out.xlsx").exists()


def test_by_responsible_groups_who_must_act_by_unit(root: Path, tmp_path: Path) -> None:
    document = word(root, tmp_path / "report.docx", "--by", "responsible")
    rows = [[c.text for c in row.cells] for row in document.tables[1].rows[1:]]
    titles = [r[0] for r in rows if len(set(r)) == 1]  # a unit's title spans the row
    assert titles[:2] == ["Sở Khoa học và Công nghệ", "Sở Tài chính"]
    under = rows[rows.index([titles[1]] * 6) + 1 :]
    first = next(r for r in under if len(set(r)) > 1)
    assert first[1] == "CT13"  # missed first within the unit, as in the whole list
