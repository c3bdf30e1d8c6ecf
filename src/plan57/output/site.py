"""The published progress site: static pages in Vietnamese and English, with the open data.

`build_site` scores the repository once, prepares every page's view in both languages from the
same figures the report and `plan57 status` use (`report_view`, `build_status`), lays them out
with the site templates and writes the whole site into a temporary folder beside the target,
which then replaces the target in one rename: a failed build leaves the previous site whole.

Layout (the same under `en/` for English): `index.html` (home), `indicators/CT01.html`,
`reporters/index.html` and `reporters/<id>.html`, `methodology.html`, `about.html`; shared
`assets/` and the open data under `data/`. Every link is relative, so the site works from any
static host and opened from disk; nothing is fetched from elsewhere.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from plan57 import formatting as fmt
from plan57.catalogue.models import Catalogue
from plan57.catalogue.revisions import Revision, SkippedNotes, no_notes
from plan57.errors import Plan57Error
from plan57.messages import LANGS, Lang, render_error, text
from plan57.output.charts import point_beside, reporter_bars
from plan57.output.report import (
    Provenance,
    Scored,
    generation_time,
    provenance,
    report_view,
    revision_view,
    score_repository,
    worded_revisions,
)
from plan57.periods import PROVINCE_TIME
from plan57.progress import Phases, no_phases
from plan57.scoring.verdicts import STATUSES, IndicatorScore, Point
from plan57.submissions import obligations
from plan57.submissions.status import StatusReport, build_status

# A file in every site plan57 builds: only such a folder (or an empty one) is ever replaced.
MARKER = ".plan57-site"
_OTHER: dict[Lang, Lang] = {"vi": "en", "en": "vi"}


@dataclass(frozen=True)
class SiteResult:
    out: Path
    period: str
    pages: int
    files: int


def build_site(
    root: Path,
    out: Path,
    *,
    as_of: date,
    period: str | None = None,
    generated: datetime | None = None,
    progress: Phases = no_phases,
    notes: SkippedNotes = no_notes,
) -> SiteResult:
    """Build the site of `period` (default: `default_period`) for the repository at `root`.

    `progress` is told of four phases: the check of the submissions, the preparation (scores,
    status, views), the quarters scored for the open data, the pages written."""
    from plan57.catalogue.loading import load_catalogue
    from plan57.output.opendata import require_parquet
    from plan57.repository import CATALOGUE

    target = _checked_out(root, out)
    require_parquet()
    if period is None:
        period = str(obligations.default_period(load_catalogue(root / CATALOGUE), as_of))
    scored = score_repository(root, period=period, as_of=as_of, progress=progress("progress.check"))
    site = _Site(root, scored, as_of, generated or generation_time(), progress, notes)
    return _write_atomically(target, site)


def _checked_out(root: Path, out: Path) -> Path:
    """The output folder, refused when it is the data or would replace a folder of other files."""
    from plan57.files import checked_folder

    return checked_folder(out, root / "data", marker=MARKER)


def _write_atomically(target: Path, site: _Site) -> SiteResult:
    from plan57.files import replace_folder

    pages, files = replace_folder(target, site.write, marker=MARKER)
    return SiteResult(target, str(site.scored.period), pages, files)


def search_key(*parts: str) -> str:
    """Lower case without diacritics ("Đắk Lắk" → "dak lak"), as site.js folds the query."""
    folded = unicodedata.normalize("NFD", " ".join(parts).replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in folded if not unicodedata.combining(c)).lower()


class _Site:
    """Everything the pages need, computed once; `write` lays the pages out into a folder."""

    def __init__(
        self,
        root: Path,
        scored: Scored,
        as_of: date,
        generated: datetime,
        phases: Phases = no_phases,
        notes: SkippedNotes = no_notes,
    ) -> None:
        self.phases = phases
        self.tell_skipped = notes
        step = phases("progress.prepare")
        steps = 6
        step(0, steps, "")
        self.root = root
        self.scored = scored
        self.as_of = as_of
        self.generated = generated
        self.catalogue = scored.catalogue
        period = scored.period
        step(1, steps, "")
        self.points = scored.scoring.history(period)
        step(2, steps, "")
        self.revisions, self.revisions_error = self._all_revisions()
        # The period's provenance read once; only the words of a failure differ by language
        # (the same failure as reading the whole history, just above).
        origin = provenance(root, period, "vi", scored.evidence)
        self.origin: dict[Lang, Provenance] = {
            lang: replace(
                origin, revisions_error=self.revisions_error.get(lang, origin.revisions_error)
            )
            if origin.revisions_error is not None
            else origin
            for lang in LANGS
        }
        step(3, steps, "")
        self.status = build_status(
            root, self.catalogue, period, as_of=as_of, evidence=scored.evidence
        )
        self.notes = self._all_notes()
        step(4, steps, "")
        self.views: dict[Lang, dict[str, Any]] = {}
        for done, lang in enumerate(LANGS, start=5):
            # Scores are language-neutral: one scoring serves both languages' pages.
            self.views[lang] = report_view(
                scored, self.origin[lang], lang=lang, by="group", generated=generated
            )
            step(done, steps, "")

    def _all_revisions(self) -> tuple[list[Revision] | None, dict[Lang, str]]:
        from plan57 import git
        from plan57.catalogue.revisions import history as catalogue_history

        if not git.is_repository(self.root):
            return None, {lang: text("report.not-git", lang) for lang in LANGS}
        try:
            found = catalogue_history(self.root, until=self.as_of)
        except Plan57Error as exc:
            return None, {lang: render_error(exc, lang) for lang in LANGS}
        for skipped in found.skipped:
            self.tell_skipped(skipped)
        return found.revisions, {}

    # --- writing ----------------------------------------------------------------------------

    def write(self, folder: Path) -> tuple[int, int]:
        from plan57.output import opendata
        from plan57.render import asset, environment

        tables = opendata.build_tables(
            self.root,
            self.catalogue,
            self.scored.observations,
            period=self.scored.period,
            as_of=self.as_of,
            revisions=self.revisions,
            reports={str(self.scored.period): self.scored.report},
            scoring=self.scored.scoring,
            evidence=self.scored.evidence,
            judge=self.scored.judging.score,
            progress=self.phases("progress.quarters"),
        )
        # The open data files are the first step of writing, the pages the others.
        step = self.phases("progress.pages")
        step(0, 1, "")
        data = folder / "data"
        (data / "indicators").mkdir(parents=True)
        written = opendata.write_tables(
            tables, data, opendata.FORMATS, plan_number=self.catalogue.plan.number
        )
        self.downloads = [str(p) for p in written]
        # An indicator's download is for a spreadsheet: its text is formula-safe, unlike the
        # data package's files beside it, which hold the data as the Parquet and JSON do.
        per_indicator = opendata.csv_by(tables[0], "indicator", spreadsheet=True)
        for ind in self.catalogue.indicators:
            empty = opendata.to_csv(tables[0].where("indicator", ind.id), spreadsheet=True)
            (data / "indicators" / f"{ind.id}.csv").write_bytes(per_indicator.get(ind.id, empty))
        assets = folder / "assets"
        assets.mkdir()
        css = asset("report.css") + asset("site.css")
        (assets / "site.css").write_text(css, encoding="utf-8")
        (assets / "site.js").write_text(asset("site.js"), encoding="utf-8")
        env = environment()
        laid_out = [(lang, *page) for lang in LANGS for page in self._pages(lang)]
        for done, (lang, path, template, view) in enumerate(laid_out, start=1):
            step(done, len(laid_out) + 1, "")
            page = folder / path if lang == "vi" else folder / "en" / path
            page.parent.mkdir(parents=True, exist_ok=True)
            html = env.get_template(template).render(**view)
            page.write_text(html, encoding="utf-8")
        step(len(laid_out) + 1, len(laid_out) + 1, "")
        files = sum(1 for p in folder.rglob("*") if p.is_file())
        return len(laid_out), files

    def _pages(self, lang: Lang) -> list[tuple[str, str, dict[str, Any]]]:
        pages = [("index.html", "site-home.html.j2", self._home(lang))]
        details = {d["id"]: d for d in self.views[lang]["details"]}
        scores = {item.id: item for item in self.scored.report.indicators}
        ids = [ind.id for ind in self.catalogue.indicators]
        for index, ident in enumerate(ids):
            path = f"indicators/{ident}.html"
            view = self._indicator(lang, path, details[ident], scores[ident])
            view["previous"] = ids[index - 1] if index > 0 else None
            view["next"] = ids[index + 1] if index + 1 < len(ids) else None
            pages.append((path, "site-indicator.html.j2", view))
        pages.append(("reporters/index.html", "site-reporters.html.j2", self._reporters(lang)))
        for reporter in self.catalogue.reporter_ids():
            path = f"reporters/{reporter}.html"
            pages.append((path, "site-reporter.html.j2", self._reporter(lang, path, reporter)))
        pages.append(("methodology.html", "site-methodology.html.j2", self._methodology(lang)))
        pages.append(("about.html", "site-about.html.j2", self._about(lang)))
        return pages

    # --- views ------------------------------------------------------------------------------

    def _common(self, lang: Lang, path: str, title: str) -> dict[str, Any]:
        depth = path.count("/") + (1 if lang == "en" else 0)
        base = "../" * depth
        other = _OTHER[lang]
        other_href = base + (f"en/{path}" if other == "en" else path)
        report = self.scored.report
        period = self.scored.period
        deadline = obligations.deadline(self.catalogue, period.end)
        view = self.views[lang]
        return {
            "lang": lang,
            "base": base,
            "home": base + ("en/" if lang == "en" else ""),
            "title": title,
            "site_title": text("site.title", lang, number=self.catalogue.plan.number),
            "plan_title": view["plan_title"],
            "other_href": other_href,
            "other_lang": other,
            "other_label": text("site.other-language", lang),
            "period": view["period"],
            "as_of": view["as_of"],
            "generated": view["generated"],
            "provisional": (
                text("site.provisional", lang, deadline=fmt.day(deadline, lang))
                if self.as_of <= deadline
                else ""
            ),
            "final": text("site.final", lang, deadline=fmt.day(deadline, lang)),
            "commit": view["provenance"][0],
            "statuses": {s: text(f"status.{s}", lang) for s in STATUSES},
            "labels": {**view["labels"], **_site_labels(lang)},
            "period_id": report.period,
        }

    def _home(self, lang: Lang) -> dict[str, Any]:
        view = self.views[lang]
        catalogue = self.catalogue
        rows = []
        for section in view["sections"]:
            for r in section["rows"]:
                rows.append(
                    {
                        **r,
                        "href": f"indicators/{r['id']}.html",
                        "key": search_key(r["id"], r["name"]),
                        "monitor_ids": " ".join(r["monitors"]),
                    }
                )
        groups = []
        for group in catalogue.groups:
            mine = [r for r in rows if r["group"] == group.id]
            if not mine:
                continue
            groups.append(
                {
                    "id": group.id,
                    "title": f"{group.id}. {group.name_vi if lang == 'vi' else group.name_en}",
                    "counts": [sum(1 for r in mine if r["status"] == s) for s in STATUSES],
                    "total": len(mine),
                }
            )
        monitors = sorted(
            {m for ind in catalogue.indicators for m in ind.monitors},
            key=lambda m: catalogue.entry_name(m, lang),
        )
        common = self._common(lang, "index.html", view["title"])
        return {
            **common,
            "summary": view["summary"],
            "total": view["total"],
            "groups": groups,
            "totals": [s["count"] for s in view["summary"]],
            "rows": rows,
            "group_options": [{"id": g["id"], "label": g["title"]} for g in groups],
            "monitor_options": [
                {"id": m, "label": catalogue.entry_name(m, lang)} for m in monitors
            ],
        }

    def _indicator(
        self, lang: Lang, path: str, d: dict[str, Any], item: IndicatorScore
    ) -> dict[str, Any]:
        catalogue = self.catalogue
        ind = catalogue.indicator(d["id"])
        assert ind is not None
        common = self._common(lang, path, f"{d['id']} — {d['name']}")
        base = common["base"]

        def unit_link(entry: str) -> dict[str, str | None]:
            href = f"{base}{'en/' if lang == 'en' else ''}reporters/{entry}.html"
            return {
                "name": catalogue.entry_name(entry, lang),
                "href": href if catalogue.is_reporter(entry) else None,
            }

        names = {rid: catalogue.entry_name(rid, lang) for rid in catalogue.reporter_ids()}
        reporters = [{**r, "href": unit_link(r["id"])["href"]} for r in d["reporters"]]
        return {
            **common,
            "d": {**d, "reporters": reporters},
            "frequency": text(f"site.frequency.{ind.frequency}", lang),
            "lead": [unit_link(ind.lead)],
            "responsible": [unit_link(e) for e in ind.responsible],
            "monitors": [unit_link(e) for e in ind.monitors],
            "flags": [{"code": f, "words": text(f"flag.{f}", lang)} for f in item.flags],
            "targets": self._targets(lang, ind.id),
            "changes": self._changes(lang, ind.id),
            "changes_note": self.revisions_error.get(lang, ""),
            "points": self._points(lang, item, self.points.get(ind.id, [])),
            "bars": reporter_bars(ind, item, names, lang),
            "notes": self._notes(lang, ind.id),
            "csv": f"{base}data/indicators/{ind.id}.csv",
        }

    def _targets(self, lang: Lang, ident: str) -> list[dict[str, str]]:
        from plan57.output.opendata import target_revisions

        ind = self.catalogue.indicator(ident)
        assert ind is not None
        known = target_revisions(self.revisions)
        # The day each target was set or last revised, in the page's language (not a hash).
        days = {
            revision.commit: fmt.day(datetime.fromisoformat(revision.date).date(), lang)
            for revision in self.revisions or []
        }
        out = []
        for target in ind.targets:
            commit = known.get((ident, target.year)) or known.get((ident, -1)) or ""
            out.append(
                {
                    "year": str(target.year),
                    "text": fmt.target(target, ind.unit, lang),
                    "commit": commit[:12],
                    "since": days.get(commit, ""),
                }
            )
        return out

    def _changes(self, lang: Lang, ident: str) -> list[dict[str, str]]:
        out = []
        for revision in self.revisions or []:
            for change in revision.changes:
                if change.indicator == ident:
                    out.append(
                        {
                            **revision_view(revision, lang),
                            "change": fmt.change_words(
                                change,
                                lang,
                                lambda unit: self.catalogue.entry_name(unit, lang),
                            ),
                        }
                    )
        return out

    def _points(
        self, lang: Lang, item: IndicatorScore, points: list[Point]
    ) -> list[dict[str, str]]:
        unit = item.unit
        return [
            {
                "end": fmt.day(p.end, lang),
                "value": (
                    fmt.answer(p.value >= 0.5, lang)
                    if unit == "yes_no"
                    else point_beside(item, p.value, unit, lang)
                ),
            }
            for p in points
        ]

    def _notes(self, lang: Lang, ident: str) -> list[dict[str, str]]:
        return [
            {"reporter": self.catalogue.entry_name(reporter, lang), "period": period, "note": note}
            for reporter, period, note in self.notes.get(ident, [])
        ]

    def _all_notes(self) -> dict[str, list[tuple[str, str, str]]]:
        """Every indicator's notes up to the period's end, newest first: one pass over the rows."""
        frame = self.scored.observations
        if frame.empty:
            return {}
        import pandas as pd

        rows = frame[frame["end"] <= pd.Timestamp(self.scored.period.end)]
        rows = rows[rows["note"].fillna("").astype(str).str.strip() != ""]
        rows = rows.sort_values(["end", "reporter"], ascending=[False, True])
        found: dict[str, list[tuple[str, str, str]]] = {}
        for ind, reporter, period, note in zip(
            rows["indicator"], rows["reporter"], rows["period"], rows["note"], strict=True
        ):
            found.setdefault(str(ind), []).append(
                (str(reporter), str(period), " ".join(str(note).split()))
            )
        return found

    def _reporters(self, lang: Lang) -> dict[str, Any]:
        common = self._common(lang, "reporters/index.html", text("site.reporters", lang))
        owing = {s.id: s for s in self.status.reporters}
        rows = []
        for rid in self.catalogue.reporter_ids():
            entry = owing.get(rid)
            rows.append(
                {
                    "id": rid,
                    "name": self.catalogue.entry_name(rid, lang),
                    "href": f"{rid}.html",
                    "expected": len(entry.expected) if entry else 0,
                    "submitted": len(entry.submitted) if entry else 0,
                    "missing": len(entry.missing) if entry else 0,
                    "late": _late_count(entry.late) if entry else "0",
                    "rate": _percent(entry.rate) if entry else "—",
                }
            )
        overall = self.status.overall
        return {
            **common,
            "rows": rows,
            "overall": {
                "expected": overall.expected,
                "submitted": overall.submitted,
                "missing": overall.missing,
                "late": "?" if overall.late is None else str(overall.late),
                "rate": _percent(overall.rate),
            },
            "notes": _status_notes(self.status, self.catalogue, lang),
        }

    def _reporter(self, lang: Lang, path: str, rid: str) -> dict[str, Any]:
        catalogue = self.catalogue
        name = catalogue.entry_name(rid, lang)
        common = self._common(lang, path, name)
        entry = next((s for s in self.status.reporters if s.id == rid), None)
        indicators = {i.id: i for i in catalogue.indicators}

        def item(ident: str) -> dict[str, str]:
            ind = indicators.get(ident)
            stamp = entry.submitted_at.get(ident) if entry else None
            return {
                "id": ident,
                "name": ind.name(lang) if ind else ident,
                "href": f"../indicators/{ident}.html",
                "when": fmt.moment(stamp.astimezone(PROVINCE_TIME), lang) if stamp else "",
                # An explained gap's note, beside the missing figure (no figure itself).
                "gap": entry.explained.get(ident, "") if entry else "",
            }

        return {
            **common,
            "id": rid,
            "name": name,
            "owes": entry is not None,
            "expected": [item(i) for i in entry.expected] if entry else [],
            "submitted": [item(i) for i in entry.submitted] if entry else [],
            "missing": [item(i) for i in entry.missing] if entry else [],
            "late": None if entry is None or entry.late is None else [item(i) for i in entry.late],
            "rate": _percent(entry.rate) if entry else "—",
            "notes": _status_notes(self.status, catalogue, lang),
            "assigned": [item(i.id) for i in catalogue.indicators_for(rid)],
            "narratives": self._narratives(lang, rid),
        }

    def _narratives(self, lang: Lang, rid: str) -> list[dict[str, Any]]:
        """The unit's own words for the site's period (and the shorter periods within it)."""
        from plan57.output.narratives import of_period
        from plan57.submissions.narratives import PARTS

        mine = [n for n in self.scored.narratives if n.reporter == rid]
        return [
            {
                "period": str(narrative.period),
                "parts": [
                    {
                        "title": text(f"narrative.{part}", lang),
                        "paragraphs": narrative.parts.get(part, []),
                    }
                    for part in PARTS
                ],
            }
            for narrative in of_period(mine, self.scored.period)
        ]

    def _methodology(self, lang: Lang) -> dict[str, Any]:
        common = self._common(lang, "methodology.html", text("site.methodology", lang))
        from plan57.render import asset

        # plan57's own method (docs/methodology.md, shipped in the package), never a file of
        # the data repository.
        document = markdown(asset("assets/methodology.md"))
        return {
            **common,
            "summary": self.views[lang]["method"][:-1],
            "document": document,
            "document_note": text("site.methodology-english", lang) if lang == "vi" else "",
        }

    def _about(self, lang: Lang) -> dict[str, Any]:
        plan = self.catalogue.plan
        view = self.views[lang]
        common = self._common(lang, "about.html", text("site.about", lang))
        kinds: dict[str, int] = {}
        for entry in self.catalogue.registry:
            kinds[entry.kind] = kinds.get(entry.kind, 0) + 1
        return {
            **common,
            "plan": [
                (text("site.plan-number", lang), f"{plan.number} ({fmt.day(plan.date, lang)})"),
                (
                    text("site.plan-issuer", lang),
                    plan.issuer_vi if lang == "vi" else plan.issuer_en,
                ),
                (text("site.plan-title", lang), view["plan_title"]),
                (text("site.plan-resolution", lang), plan.resolution),
                (text("site.plan-baseline", lang), str(plan.baseline_year)),
                (text("site.plan-milestones", lang), ", ".join(map(str, plan.milestones))),
                (
                    text("site.plan-registry", lang),
                    ", ".join(
                        f"{text(f'site.kind.{kind}', lang)} ({count})"
                        for kind, count in kinds.items()
                    ),
                ),
            ],
            "provenance": view["provenance"],
            # Each change in words, its units named: the site's readers are not reading a diff.
            "revisions": worded_revisions(self.origin[lang], self.catalogue, lang),
            "revisions_title": view["revisions_title"],
            "revisions_note": view["revisions_note"],
            "downloads": [
                {"href": f"{common['base']}data/{name}", "name": name} for name in self.downloads
            ],
        }


def _late_count(late: list[str] | None) -> str:
    return "?" if late is None else str(len(late))


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


def _status_notes(report: StatusReport, catalogue: Catalogue, lang: Lang) -> list[str]:
    from plan57.submissions.status import notes

    return notes(report, catalogue, lang)


def _site_labels(lang: Lang) -> dict[str, str]:
    keys = (
        "nav-home", "nav-reporters", "nav-methodology", "nav-about", "language",
        "by-group", "group", "total", "filter", "filter-status", "filter-group",
        "filter-monitor", "filter-all", "search", "facts", "kind", "frequency",
        "lead", "responsible", "monitors", "targets", "target-revision", "changes",
        "changes-none", "history", "data-table", "period-end", "breakdown", "notes",
        "notes-none", "download", "flags", "verdict", "previous", "next", "owed",
        "submitted", "not-submitted", "late", "rate", "submitted-at", "owes-nothing", "assigned",
        "downloads", "plan", "summary-method", "full-method", "overall", "late-unknown",
        "used", "not-used", "none", "gap",
    )  # fmt: skip
    labels = {key.replace("-", "_"): text(f"site.{key}", lang) for key in keys}
    labels["narrative"] = text("narrative.unit", lang)
    # Filled in by site.js as the filter changes.
    labels["shown"] = text("site.shown", lang, shown="{shown}", total="{total}")
    return labels


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    import re

    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def markdown(source: str) -> Markup:
    """Markdown from the project's docs as HTML: raw HTML in it is shown as text, never run."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    tokens = parser.parse(source)
    # The document sits under the page's own h1 and h2: its headings move two levels down.
    # Each keeps the anchor GitHub gives it, so the document's own "#…" links still land.
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"
        if token.type == "heading_open":
            slug = _slug(tokens[index + 1].content)
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            token.attrSet("id", f"{slug}-{count}" if count else slug)
    # html=False: markdown-it escapes any HTML in the source, so its output is safe markup.
    return Markup(parser.renderer.render(tokens, parser.options, {}))
