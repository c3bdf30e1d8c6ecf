"""The period report: golden files in both languages and formats, escaping, determinism, provenance.

The report is built from the small repository in tests/data/report-repo, committed into a
temporary git repository with fixed identities and dates, so commit ids are stable too.
Regenerate the golden files with PLAN57_UPDATE_GOLDEN=1 after an intended change.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gitrepo import commit, git, init
from plan57.errors import Plan57Error
from plan57.escaping import markdown as md
from plan57.output.charts import chart
from plan57.output.report import build_report, generation_time, score_repository
from plan57.periods import parse_period
from plan57.render import asset, environment, render
from plan57.scoring.verdicts import Point

FIXTURE = Path(__file__).parent / "data" / "report-repo"
GOLDEN = Path(__file__).parent / "golden"
AS_OF = date(2025, 10, 20)
GENERATED = datetime(2025, 10, 20, 8, 30, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script>'


def _fixture_files(root: Path) -> dict[str, str | bytes | None]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "data").rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture committed twice: the data, then a revision raising CT05's 2030 target."""
    root = tmp_path_factory.mktemp("report") / "repo"
    shutil.copytree(FIXTURE, root)
    init(root)
    files = _fixture_files(root)
    targets = (root / "data" / "targets.yaml").read_text("utf-8")
    files["data/targets.yaml"] = targets.replace('2030: "≥ 2%"', '2030: "≥ 1,5%"')
    commit(root, files, "Danh mục và số liệu ban đầu", "2025-06-20T09:00:00+07:00")
    commit(
        root,
        {"data/targets.yaml": targets},
        "Nâng mục tiêu CT05 năm 2030",
        "2025-08-01T10:00:00+07:00",
    )
    return root


def report(root: Path, output: str, lang: str = "vi", **options: object) -> str:
    return build_report(
        root,
        period="2025Q3",
        as_of=AS_OF,
        lang=lang,  # type: ignore[arg-type]
        output=output,  # type: ignore[arg-type]
        generated=GENERATED,
        **options,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("output", "lang"), [("html", "vi"), ("html", "en"), ("md", "vi"), ("md", "en")]
)
def test_report_matches_its_golden_file(repo: Path, output: str, lang: str) -> None:
    got = report(repo, output, lang)
    golden = GOLDEN / f"report-2025Q3.{lang}.{output}"
    if os.environ.get("PLAN57_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_same_inputs_same_bytes_and_time_from_source_date_epoch(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1760949000")
    assert generation_time() == datetime(2025, 10, 20, 8, 30, tzinfo=UTC)
    first = build_report(repo, period="2025Q3", as_of=AS_OF, lang="vi", output="html")
    second = build_report(repo, period="2025Q3", as_of=AS_OF, lang="vi", output="html")
    assert first == second
    assert "Lập lúc 20/10/2025 08:30 UTC" in first


def test_html_escapes_hostile_notes(repo: Path) -> None:
    html = report(repo, "html")
    assert HOSTILE not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    # The page's only script is its own sorting script.
    assert html.count("<script>") == 1


def test_markdown_neutralises_hostile_notes(repo: Path) -> None:
    text = report(repo, "md")
    assert HOSTILE not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert r"\*\*đậm\*\*" in text
    assert r"\[liên kết\](javascript:alert(1))" in text
    assert r"\*\*đậm\*\* \| ô" in text  # the pipe cannot end the table cell
    assert "Hai công trình nghiệm thu muộn" in text  # a note's line break stays in its cell


def test_report_contents(repo: Path) -> None:
    html = report(repo, "html")
    assert html.count('<svg class="chart"') == 8
    for status in ("s-on-track", "s-at-risk", "s-no-data"):
        assert status in html
    assert "Xã B" in html and "(xa-b)" in html  # the commune that has not sent 2025Q3
    assert "Nâng mục tiêu CT05 năm 2030" in html
    assert "CT05 targets.2030: ≥ 1,5% → ≥ 2% (nâng lên)" in html
    assert "Dữ liệu: commit " in html
    assert "Danh mục dùng để đánh giá: danh mục có hiệu lực vào cuối kỳ, bản sửa " in html


def test_grouping_by_monitor_and_by_lead(repo: Path) -> None:
    by_monitor = report(repo, "md", by="monitor")
    assert "### Sở Khoa học và Công nghệ" in by_monitor
    assert "### Sở Tài chính" in by_monitor
    assert "### Chưa có đơn vị theo dõi, đánh giá" in by_monitor  # CT23 has no monitor
    assert by_monitor.count("| CT07 |") >= 2  # monitored by two units
    by_lead = report(repo, "md", by="lead")
    # Văn phòng Tỉnh ủy, in who must act and in the indicators; the overdue units, the
    # explanation and the revisions.
    assert by_lead.count("### ") == 5


def test_who_must_act_opens_the_report_by_responsible_unit(repo: Path) -> None:
    plain = report(repo, "md")
    action = plain.split("## Chỉ tiêu cần hành động", 1)[1].split("\n## ", 1)[0]
    assert plain.index("## Tổng hợp") < plain.index("## Chỉ tiêu cần hành động")
    assert plain.index("## Chỉ tiêu cần hành động") < plain.index("## Các chỉ tiêu")
    rows = [line for line in action.splitlines() if line.startswith("| CT")]
    assert [row.split(" | ")[0] for row in rows] == ["| CT04", "| CT05", "| CT07", "| CT31"]
    ct05 = next(row for row in rows if row.startswith("| CT05"))
    assert "| Sở Tài chính | 0,25% | +0,25% mỗi 6 tháng trong 1 kỳ còn lại" in ct05
    assert "| Xã B | CT07 | 15/10/2025 | 5 ngày |" in action
    by_unit = report(repo, "md", by="responsible")
    action = by_unit.split("## Chỉ tiêu cần hành động", 1)[1].split("\n## ", 1)[0]
    assert "### Sở Tài chính" in action and "### Sở Khoa học và Công nghệ" in action
    html = report(repo, "html", by="responsible")
    assert '<section id="action"' in html and "<h3>Sở Tài chính</h3>" in html


def test_targets_at_a_revision_or_a_date(repo: Path) -> None:
    scored = score_repository(repo, period="2025Q3", as_of=AS_OF, targets_at="HEAD~1")
    ct05 = scored.catalogue.indicator("CT05")
    assert ct05 is not None and ct05.target_for(2030) is not None
    assert ct05.target_for(2030).text == "≥ 1,5%"  # type: ignore[union-attr]
    assert scored.report.targets_revision == scored.targets.commit
    by_date = score_repository(repo, period="2025Q3", as_of=AS_OF, targets_at="2025-07-25")
    assert by_date.targets.commit == scored.targets.commit
    html = report(repo, "html", targets_at="HEAD~1")
    assert "Mục tiêu: data/targets.yaml tại HEAD~1 (commit " in html


def test_outside_git_the_report_says_so(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(FIXTURE, root)
    html = report(root, "html", lang="en")
    assert "not in a git repository" in html
    assert "could not be read" in html


def test_a_shallow_clone_still_reports_and_says_the_history_is_missing(
    repo: Path, tmp_path: Path
) -> None:
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", repo.as_uri(), str(shallow))
    html = report(shallow, "html", lang="en")
    assert "The history of target revisions could not be read" in html
    assert "Data: commit " in html


def test_uncommitted_data_is_flagged(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "dirty"
    shutil.copytree(repo, copy)
    (copy / "data" / "submissions" / "so-tc" / "2025S1.csv").write_text(
        "indicator,value,note\nCT05,0.8,\n", encoding="utf-8"
    )
    assert "có thay đổi chưa commit trong data/" in report(copy, "html")


# --- the environment and its pieces -------------------------------------------------------


def test_markdown_filter() -> None:
    assert md("a|b") == r"a\|b"
    assert md("<b>x</b> & *y*") == r"&lt;b&gt;x&lt;/b&gt; &amp; \*y\*"
    assert md("one\ntwo") == "one two"


def test_html_templates_autoescape_and_undefined_is_an_error() -> None:
    env = environment()
    assert env.from_string("{{ x }}").render(x="<i>") == "&lt;i&gt;"
    with pytest.raises(Exception, match="undefined"):
        render("report.md.j2", {})


def test_templates_folder_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "report.html.j2").write_text("x", encoding="utf-8")
    (tmp_path / "site.js").write_text("// ours", encoding="utf-8")
    monkeypatch.setenv("PLAN57_TEMPLATES", str(tmp_path))
    environment.cache_clear()
    try:
        assert render("report.html.j2", {}) == "x"
        assert asset("site.js") == "// ours"
    finally:
        monkeypatch.delenv("PLAN57_TEMPLATES")
        environment.cache_clear()
    assert asset("site.js") != "// ours"


def test_missing_templates_are_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLAN57_TEMPLATES", str(tmp_path / "gone"))
    environment.cache_clear()
    try:
        with pytest.raises(Plan57Error) as caught:
            environment()
    finally:
        monkeypatch.delenv("PLAN57_TEMPLATES")
        environment.cache_clear()
    assert caught.value.code == "templates-missing"


def test_the_package_carries_its_templates_and_assets() -> None:
    """The templates load through the package, and the files it ships from elsewhere in the
    repository (links, so that each has one copy) are the repository's own."""
    root = Path(__file__).resolve().parents[1]
    package = root / "src" / "plan57"
    assert (root / "templates").resolve() == (package / "templates").resolve()
    assert asset("report.css") == (package / "templates" / "report.css").read_text("utf-8")
    shipped = {
        "assets/methodology.md": root / "docs" / "methodology.md",
        "assets/gitattributes": root / ".gitattributes",
        "assets/ci/github/plan57.yml": root / "examples" / "ci" / "github" / "plan57.yml",
        "assets/ci/gitlab/plan57.gitlab-ci.yml": root
        / "examples"
        / "ci"
        / "gitlab"
        / "plan57.gitlab-ci.yml",
    }
    for name, source in shipped.items():
        assert asset(name) == source.read_text("utf-8"), name


def test_chart_geometry(repo: Path) -> None:
    scored = score_repository(repo, period="2025Q3", as_of=AS_OF)
    catalogue = scored.catalogue
    items = {i.id: i for i in scored.report.indicators}
    end = date(2025, 9, 30)
    flow = catalogue.indicator("CT15")
    assert flow is not None
    points = [Point(date(2025, 3, 31), 3.0), Point(date(2025, 6, 30), 7.0), Point(end, 12.0)]
    drawn = chart(catalogue, flow, items["CT15"], points, end, "vi")
    assert len(drawn.dots) == 3 and len(drawn.reported) == 1
    assert len(drawn.expected) == 1  # 2025's path from 0 to 16; 2024 is the baseline year
    assert drawn.x_ticks[0].label == "2024"
    ranged = catalogue.indicator("CT23")
    assert ranged is not None
    bar = chart(catalogue, ranged, items["CT23"], [], end, "vi")
    assert len(bar.ranges) == 1 and bar.ranges[0].label == "2040: 15–20"
    assert bar.empty == "Chưa có số liệu"
    assert bar.baseline is not None  # 3 in 2024
    index = catalogue.indicator("CT39")
    assert index is not None
    ticks = chart(catalogue, index, items["CT39"], [], end, "vi").y_ticks
    assert ticks[-1].label == "0,8"
    for c in (drawn, bar):
        for x in [d.x for d in c.dots] + [t.at for t in c.x_ticks]:
            assert c.left <= x <= c.right
    assert parse_period("2025Q3") == scored.period


def test_a_target_revised_after_the_period_has_its_own_section(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    init(root)
    commit(root, _fixture_files(root), "Danh mục và số liệu", "2025-06-20T09:00:00+07:00")
    targets = (root / "data" / "targets.yaml").read_text("utf-8")
    lowered = targets.replace('2025: "≥ 1,0%"', '2025: "≥ 0,7%"', 1)
    commit(root, {"data/targets.yaml": lowered}, "Hạ mục tiêu CT05", "2026-03-01T09:00:00+07:00")
    # As of a day before the revision, it was not known (docs/methodology.md, "What was
    # known that day").
    before = report(root, "md", lang="en")
    assert "No revision of the catalogue after the period changes an indicator's" in before
    after = {"as_of": date(2026, 3, 2), "lang": "vi", "generated": GENERATED, "period": "2025Q3"}
    markdown = build_report(root, output="md", **{**after, "lang": "en"})  # type: ignore[arg-type]
    section = markdown.split("## Catalogue revised after the period", 1)[1].split("\n## ", 1)[0]
    # The headline is judged as the plan stood; the revision's verdict beside it.
    assert "| CT05 | ≥ 1.0% (2025) | At risk |" in section
    assert "| ≥ 0.7%: On track |" in section
    assert "Target revised after the period" in markdown  # the flag beside the verdict
    html = build_report(root, output="html", **after)  # type: ignore[arg-type]
    assert 'id="revised"' in html and "Mục tiêu đã sửa sau kỳ đánh giá" in html


def test_provisional_banner_and_notes_beside_the_verdict(repo: Path) -> None:
    early = build_report(
        repo,
        period="2025Q3",
        as_of=date(2025, 10, 10),
        lang="vi",
        output="md",
        generated=GENERATED,
    )
    assert "> **Báo cáo tạm tính: hạn nộp số liệu của kỳ là 15/10/2025;" in early
    assert "(Tạm tính: còn số liệu chưa đến hạn nộp" in early
    late = report(repo, "md")
    assert "Báo cáo tạm tính" not in late
    # The indicators' table (after the table of who must act, before the reporters' figures).
    indicators = late.split("## Các chỉ tiêu", 1)[1]
    ct05 = next(line for line in indicators.splitlines() if line.startswith("| CT05 |"))
    assert "Ghi chú của đơn vị: Sở Tài chính (2025S1): Số liệu sơ bộ" in ct05
