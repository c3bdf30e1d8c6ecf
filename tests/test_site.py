"""The published site: every page in both languages, links that resolve, hostile text as text,
reporter pages equal to `plan57 status`, the default period, and writing that never harms.

The site is built from tests/data/report-repo committed into a temporary git repository, with
hostile markup in a reporter's name and an indicator's name (the fixture's notes have some too).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from clirun import invoke
from gitrepo import commit, init
from plan57.catalogue.loading import load_catalogue
from plan57.errors import UsageError
from plan57.output.opendata import export_repository
from plan57.output.site import MARKER, build_site, markdown, search_key
from plan57.periods import parse_period
from plan57.submissions.obligations import default_period
from plan57.submissions.status import build_status

FIXTURE = Path(__file__).parent / "data" / "report-repo"
AS_OF = date(2025, 10, 20)
GENERATED = datetime(2025, 10, 20, 8, 30, tzinfo=UTC)
HOSTILE_NAME = "Xã <b>A</b> <script>alert(3)</script>"
HOSTILE_INDICATOR = "Budget <img src=x onerror=alert(4)> & {{ 7*7 }}"
HOSTILE_NARRATIVE = (
    "## Kết quả nổi bật\n<script>alert(5)</script> **đậm**\n\n## Khó khăn, vướng mắc\n"
    "- Thiếu kinh phí.\n- Thiếu người.\n\n## Kiến nghị, đề xuất\nKhông có.\n"
)


def hostile_repo(root: Path) -> Path:
    shutil.copytree(FIXTURE, root)
    catalogue = root / "data" / "targets.yaml"
    text = catalogue.read_text("utf-8")
    text = text.replace(
        'name_vi: "Xã A", name_en: "Commune A"',
        f'name_vi: "{HOSTILE_NAME}", name_en: "{HOSTILE_NAME}"',
    )
    text = text.replace(
        'name_en: "Share of the local budget spent on science, technology and innovation"',
        f'name_en: "{HOSTILE_INDICATOR}"',
    )
    assert HOSTILE_NAME in text and HOSTILE_INDICATOR in text
    catalogue.write_text(text, encoding="utf-8")
    (root / "data" / "submissions" / "so-khcn" / "2025Q3.md").write_text(HOSTILE_NARRATIVE, "utf-8")
    init(root)
    files: dict[str, str | bytes | None] = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "data").rglob("*"))
        if p.is_file()
    }
    commit(root, files, "Danh mục và số liệu", "2025-10-10T09:00:00+07:00")
    return root


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_repo(tmp_path_factory.mktemp("site") / "repo")


@pytest.fixture(scope="module")
def site(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "site"
    build_site(repo, out, as_of=AS_OF, period="2025Q3", generated=GENERATED)
    return out


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # tag, attribute, value
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.links.append((tag, name, value))


def parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text("utf-8"))
    return parser


def test_every_page_exists_in_both_languages(repo: Path, site: Path) -> None:
    catalogue = load_catalogue(repo / "data" / "targets.yaml")
    vi = {p.relative_to(site).as_posix() for p in pages(site) if not p.is_relative_to(site / "en")}
    en = {p.relative_to(site / "en").as_posix() for p in pages(site / "en")}
    assert vi == en
    expected = {"index.html", "methodology.html", "about.html", "reporters/index.html"}
    expected |= {f"indicators/{i.id}.html" for i in catalogue.indicators}
    expected |= {f"reporters/{r}.html" for r in catalogue.reporter_ids()}
    assert vi == expected
    assert (site / MARKER).is_file()
    assert '<html lang="vi">' in (site / "index.html").read_text("utf-8")
    assert '<html lang="en">' in (site / "en" / "index.html").read_text("utf-8")


def test_every_relative_link_resolves_and_nothing_is_fetched_from_elsewhere(site: Path) -> None:
    checked = 0
    for page in pages(site):
        found = parse(page)
        for tag, _attribute, value in found.links:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//"):
                # A link a reader may follow is fine; nothing may be loaded from elsewhere.
                assert tag == "a" and parts.scheme in ("http", "https", "mailto"), (page, value)
                continue
            if not parts.path:
                if parts.fragment:
                    assert parts.fragment in found.ids, (page, value)
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), (page.relative_to(site), value)
            assert target.is_relative_to(site.resolve()), (page, value)
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in parse(target).ids, (page, value)
            checked += 1
    assert checked > 400
    for asset in (site / "assets").iterdir():
        body = asset.read_text("utf-8")
        assert "http://" not in body and "https://" not in body and "@import" not in body


def test_the_language_switch_leads_to_the_same_page(site: Path) -> None:
    for page in pages(site):
        html = page.read_text("utf-8")
        match = re.search(r'<a class="lang" href="([^"]+)"', html)
        assert match, page
        other = (page.parent / match.group(1)).resolve()
        relative = page.relative_to(site).as_posix()
        if relative.startswith("en/"):
            assert other == (site / relative[3:]).resolve()
        else:
            assert other == (site / "en" / relative).resolve()


def test_hostile_text_reaches_every_page_as_text(site: Path) -> None:
    seen_name = seen_indicator = seen_note = 0
    for page in pages(site):
        html = page.read_text("utf-8")
        assert "<script>alert" not in html and "<b>A</b>" not in html, page
        assert "<img src=x" not in html and "{{" not in html.replace("{{ 7*7 }}", ""), page
        assert len(re.findall(r"<script\b", html)) <= 1, page
        seen_name += "Xã &lt;b&gt;A&lt;/b&gt; &lt;script&gt;alert(3)&lt;/script&gt;" in html
        seen_indicator += "Budget &lt;img src=x onerror=alert(4)&gt; &amp; {{ 7*7 }}" in html
        seen_note += "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert seen_name >= 4  # the reporter's page and the tables it appears in, both languages
    assert seen_indicator >= 2  # English home and indicator page
    assert seen_note >= 2  # CT07's page in both languages


def test_a_units_page_shows_its_narrative_as_text(site: Path) -> None:
    for lang, heading in (("vi", "Khó khăn, vướng mắc"), ("en", "Difficulties and obstacles")):
        page = site / ("" if lang == "vi" else "en") / "reporters" / "so-khcn.html"
        html = page.read_text("utf-8")
        section = html.split('<section class="narrative"', 1)[1].split("</section>", 1)[0]
        assert "&lt;script&gt;alert(5)&lt;/script&gt; **đậm**" in section
        assert f"<h3>{heading}</h3>\n<p>Thiếu kinh phí.</p>\n<p>Thiếu người.</p>" in section
        assert '<span class="period">2025Q3</span>' in section
    assert '<section class="narrative"' not in (site / "reporters" / "so-tc.html").read_text()


def test_reporter_pages_show_the_numbers_of_plan57_status(repo: Path, site: Path) -> None:
    catalogue = load_catalogue(repo / "data" / "targets.yaml")
    period = parse_period("2025Q3")
    assert period is not None
    status = build_status(repo, catalogue, period, as_of=AS_OF)
    owing = {s.id: s for s in status.reporters}
    assert owing
    for reporter in catalogue.reporter_ids():
        for folder in (site, site / "en"):
            html = (folder / "reporters" / f"{reporter}.html").read_text("utf-8")
            counts = dict(re.findall(r'<dd data-count="(\w+)">([^<]*)</dd>', html))
            entry = owing.get(reporter)
            if entry is None:
                assert counts == {} and 'data-value="0"' in html
                continue
            assert counts["expected"] == str(len(entry.expected))
            assert counts["submitted"] == str(len(entry.submitted))
            assert counts["missing"] == str(len(entry.missing))
            assert counts["late"] == str(len(entry.late or []))
            for ident in entry.missing:
                assert f'href="../indicators/{ident}.html">{ident}</a>' in html
    index = (site / "reporters" / "index.html").read_text("utf-8")
    foot = index[index.index("<tfoot>") :]
    assert f">{status.overall.expected}</td>" in foot
    assert f">{status.overall.submitted}</td>" in foot


def test_indicator_page_has_everything_the_issue_lists(site: Path) -> None:
    html = (site / "en" / "indicators" / "CT07.html").read_text("utf-8")
    assert "<title>CT07 — " in html and "<h1>CT07 — " in html
    for part in (
        'class="chart"',  # the history chart …
        "<details",  # … with its data table
        "Targets by milestone",
        "Revision history",
        "Figures by reporter",
        "Reporters&#39; notes",
        "../../data/indicators/CT07.csv",
        "Lead agency",
        "Monitoring units",
        "Reporting frequency",
    ):
        assert part in html, part
    rows = (site / "data" / "indicators" / "CT07.csv").read_text("utf-8").splitlines()
    assert rows[0].startswith("reporter,indicator,period")
    assert len(rows) > 1 and all(",CT07," in row for row in rows[1:])


def test_pages_speak_their_language_in_words(site: Path) -> None:
    """Catalogue history in words with its date (no hashes, no commit subjects), dates as the
    page's language writes them, flags by their names, periods that never wrap."""
    vi = (site / "indicators" / "CT05.html").read_text("utf-8")
    history = vi.split("<h3>Lịch sử sửa đổi</h3>", 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li[^>]*>(.*?)</li>", history, re.S)
    assert items and all(re.match(r"\d{2}/\d{2}/\d{4}: ", item) for item in items)
    assert "<code>" not in history and "targets." not in history
    assert any(item.startswith("10/10/2025: Chỉ tiêu được đưa vào danh mục") for item in items)
    targets = vi.split('<table class="targets">', 1)[1].split("</table>", 1)[0]
    assert "<code>" not in targets and re.search(r"<td>\d{2}/\d{2}/\d{4}</td>", targets)
    reporter = (site / "reporters" / "so-khcn.html").read_text("utf-8")
    assert "Hạn nộp: 15/10/2025" in reporter and "2025-10-15" not in reporter
    english = (site / "en" / "reporters" / "so-khcn.html").read_text("utf-8")
    assert "Deadline: 15 Oct 2025" in english
    for page in (site / "indicators").glob("*.html"):
        html = page.read_text("utf-8")
        assert "(<code>" not in html, page  # a flag's words, not its code
    ct05 = (site / "indicators" / "CT05.html").read_text("utf-8")
    assert '<span class="period">2025S1</span>' in ct05


def test_home_lists_every_indicator_without_script_and_filters_with_it(site: Path) -> None:
    html = (site / "index.html").read_text("utf-8")
    assert html.count("<tr data-status=") == 8
    assert '<form class="filters" id="filters" role="search" hidden' in html
    assert '<script src="assets/site.js"></script>' in html
    assert "Đang hiện {shown}/{total} chỉ tiêu." in html


def test_search_key_folds_vietnamese() -> None:
    assert search_key("CT01", "Đắk Lắk phủ sóng") == "ct01 dak lak phu song"


def test_methodology_markdown_shows_raw_html_as_text() -> None:
    html = str(
        markdown("# Title\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    )
    assert '<h3 id="title">Title</h3>' in html and "<table>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_default_period_is_the_latest_quarter_past_its_deadline(repo: Path) -> None:
    catalogue = load_catalogue(repo / "data" / "targets.yaml")
    assert str(default_period(catalogue, date(2026, 1, 10))) == "2025Q3"
    assert str(default_period(catalogue, date(2026, 3, 31))) == "2025Q4"
    assert str(default_period(catalogue, date(2026, 4, 30))) == "2026Q1"


def _digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        sha.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            sha.update(path.read_bytes())
    return sha.hexdigest()


def test_writing_never_touches_data_nor_a_folder_of_other_files(repo: Path, tmp_path: Path) -> None:
    before = _digest(repo / "data")
    with pytest.raises(UsageError):
        build_site(repo, repo / "data" / "site", as_of=AS_OF, period="2025Q3")
    with pytest.raises(UsageError):
        build_site(repo, repo / "data", as_of=AS_OF, period="2025Q3")
    other = tmp_path / "mine"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError):
        build_site(repo, other, as_of=AS_OF, period="2025Q3")
    assert (other / "keep.txt").read_text("utf-8") == "mine"
    out = tmp_path / "site"
    build_site(repo, out, as_of=AS_OF, period="2025Q3")
    (out / "stale.html").write_text("old", encoding="utf-8")
    build_site(repo, out, as_of=AS_OF, period="2025Q3")  # its own site: replaced whole
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    export_repository(repo, tmp_path / "export", as_of=AS_OF, period="2025Q3")
    with pytest.raises(UsageError):
        export_repository(repo, repo / "data" / "export", as_of=AS_OF, period="2025Q3")
    assert _digest(repo / "data") == before


def test_cli_builds_the_site_and_refuses_with_exit_2(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli-site"
    result = invoke(repo, "site", "--out", str(out), "--period", "2025Q3", "--as-of", "2025-10-20")
    assert result.exit_code == 0, result.output
    assert (out / "en" / "indicators" / "CT01.html").is_file()
    assert str(out) in result.stderr
    refused = invoke(repo, "site", "--out", str(repo / "data"), "--as-of", "2025-10-20")
    assert refused.exit_code == 2


@pytest.mark.parametrize(
    "recipe", ["examples/ci/github/plan57-site.yml", "examples/ci/gitlab/plan57-site.gitlab-ci.yml"]
)
def test_the_ci_recipes_build_the_site(repo: Path, tmp_path: Path, recipe: str) -> None:
    import shlex

    import yaml

    text = (Path(__file__).resolve().parents[1] / recipe).read_text("utf-8")
    yaml.safe_load(text)
    lines = re.findall(r"(?:run:|-) (plan57 site[^\n]*)", text)
    assert len(lines) == 1
    args = shlex.split(lines[0])[1:]
    folder = args[args.index("--out") + 1]
    args[args.index("--out") + 1] = str(tmp_path / folder)
    result = invoke(repo, *args, "--as-of", "2025-10-20")
    assert result.exit_code == 0, result.output
    assert (tmp_path / folder / "index.html").is_file()


def test_the_breakdown_chart_copes_with_102_communes(repo: Path) -> None:
    from plan57.output.charts import BARS_FROM, reporter_bars
    from plan57.output.report import score_repository

    scored = score_repository(repo, period="2025Q3", as_of=AS_OF)
    item = next(i for i in scored.report.indicators if i.id == "CT07")
    ind = scored.catalogue.indicator("CT07")
    assert ind is not None and len(item.reporters) < BARS_FROM
    assert reporter_bars(ind, item, {}, "vi") is None  # a few reporters: the table says it all
    one = item.reporters[0]
    many = [one.model_copy(update={"id": f"xa-{n}", "value": float(n % 97)}) for n in range(102)]
    names = {f"xa-{n}": f"Xã thứ {n} có một cái tên rất dài <b>{n}</b>" for n in range(102)}
    bars = reporter_bars(ind, item.model_copy(update={"reporters": many}), names, "vi")
    assert bars is not None and len(bars.rows) == 102
    widths = [row.width for row in bars.rows]
    assert widths == sorted(widths, reverse=True) and 0 < widths[0] <= bars.right - bars.left
    assert all(len(row.label) <= 34 for row in bars.rows)
    assert bars.rows[0].title.startswith("Xã thứ 96 ")  # the full name in the tooltip
    assert bars.rows[-1].y + bars.row < bars.height


def test_the_methodology_page_renders_plan57s_own_method(site: Path) -> None:
    for page in (site / "methodology.html", site / "en" / "methodology.html"):
        html = page.read_text("utf-8")
        assert (
            '<h3 id="how-plan57-scores-the-indicators">How plan57 scores the indicators</h3>'
            in html
        )
        assert '<div class="prose" lang="en">' in html


def test_a_folder_outside_git_without_submissions_still_gets_a_site(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(FIXTURE, root)
    shutil.rmtree(root / "data" / "submissions")
    (root / "data" / "submissions").mkdir()
    out = tmp_path / "site"
    result = build_site(root, out, as_of=AS_OF, period="2025Q3", generated=GENERATED)
    assert result.pages == len(pages(out)) > 20
    about = (out / "en" / "about.html").read_text("utf-8")
    assert "not in a git repository" in about
    home = (out / "en" / "index.html").read_text("utf-8")
    assert home.count('data-status="no-data"') == 8
    export_repository(root, tmp_path / "export", as_of=AS_OF, period="2025Q3")
    assert (tmp_path / "export" / "observations.csv").read_text("utf-8").count("\n") == 1


def test_both_languages_show_a_target_revised_after_the_period(tmp_path: Path) -> None:
    """One language-neutral scoring serves both languages' pages: the English page says what
    the Vietnamese one says about a target lowered after the period."""
    text = (Path(__file__).parent / "data" / "scoring" / "targets.yaml").read_text("utf-8")
    root = tmp_path / "repo"
    init(root)
    commit(root, {"data/targets.yaml": text}, "catalogue", "2025-06-01T09:00:00+07:00")
    submission = {"data/submissions/so-a/2025.csv": "indicator,value\nCT03,0.9\n"}
    commit(root, submission, "so-a: 2025", "2026-01-10T09:00:00+07:00")
    lowered = text.replace('2025: "≥ 1,0%"', '2025: "≥ 0,8%"', 1)
    commit(root, {"data/targets.yaml": lowered}, "CT03 lowered", "2026-03-01T09:00:00+07:00")
    out = tmp_path / "site"
    build_site(root, out, as_of=date(2026, 4, 1), period="2025Q4", generated=GENERATED)
    vi = (out / "indicators" / "CT03.html").read_text("utf-8")
    en = (out / "en" / "indicators" / "CT03.html").read_text("utf-8")
    assert "Mục tiêu đã sửa sau kỳ đánh giá" in vi and "mục tiêu đã được sửa sau kỳ này" in vi
    assert "Target revised after the period" in en and "the target was revised" in en
