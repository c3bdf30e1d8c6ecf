"""Principle 5 across the outputs: a value just under its target reads so in the `score` table,
both reports, the site's pages and chart tables, the JSON and the export, through the one
display decision (`formatting.decimals_beside`)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import yaml

from clirun import invoke
from conftest import make_repo

HERE = Path(__file__).parent / "data" / "scoring"
RATIO = "indicator,value,numerator,denominator\n"
XA_B = "100,0% (10.000/10.000)"


def repo(root: Path) -> Path:
    made = make_repo(root)
    raw = yaml.safe_load((HERE / "targets.yaml").read_text("utf-8"))
    for entry in raw["indicators"]:
        if entry["id"] == "CT01":
            entry["targets"] = {2025: "100%"}
    made.catalogue.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")
    made.submit("xa-a", "2025Q4", RATIO + "CT01,99.92,9992,10000\n")
    made.submit("xa-b", "2025Q4", RATIO + "CT01,100,10000,10000\n")
    return made.root


def test_a_value_just_under_its_target_reads_so_in_every_output(tmp_path: Path) -> None:
    root = repo(tmp_path / "repo")
    when = ("--period", "2025Q4", "--as-of", "2026-03-01")
    table = invoke(root, "score", *when, "--lang", "vi").stdout
    line = next(row for row in table.splitlines() if row.startswith("CT01"))
    assert "99,96%" in line and "Không đạt" in line and "100,0%" not in table
    scored = json.loads(invoke(root, "score", *when, "--format", "json").stdout)
    item = next(i for i in scored["indicators"] if i["id"] == "CT01")
    assert item["value"] == 99.96 and item["decimals"] == 2 and item["status"] == "missed"
    for fmt_ in ("md", "html"):
        out = tmp_path / f"report.{fmt_}"
        invoke(root, "report", *when, "--lang", "vi", "--out", str(out))
        shown = out.read_text("utf-8")
        # Xã B's own figure is 100% and reads so; nothing else does.
        assert "99,96%" in shown and shown.count("100,0%") == shown.count(XA_B), fmt_
    site = tmp_path / "site"
    invoke(root, "site", *when, "--lang", "vi", "--out", str(site))
    pages = "".join(p.read_text("utf-8") for p in site.rglob("*.html"))
    assert "99,96%" in pages and pages.count("100,0%") == pages.count(XA_B)
    export = tmp_path / "export"
    invoke(root, "export", *when, "--out", str(export))
    rows = [
        row
        for path in export.rglob("*.csv")
        for row in csv.DictReader(path.read_text("utf-8").splitlines())
        if row.get("indicator") == "CT01" and row.get("period") == "2025Q4" and row.get("status")
    ]
    assert rows and all(float(r["value"]) == 99.96 and r["status"] == "missed" for r in rows)
