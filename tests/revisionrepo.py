"""A data repository with a story of target revisions, shared by the revision tests.

r0 2025-05-20  README only (no catalogue yet)
r1 2025-05-22  the catalogue, at its first name data/catalogue.yaml
r2 2025-06-10  renamed to data/targets.yaml
r3 2025-07-01  CT05 2030 raised, CT01 reworded                      (tag v1.0)
r4 2025-08-01  README only
r5 2025-09-15  00:30 +07:00 (still 14 September in UTC): CT07 2025 range lowered and
               its 2030 milestone removed, CT01 gets a monitor, the plan a secretariat team
r6 2025-12-20  CT10 added
r7 2026-01-05  a broken catalogue (bad YAML)
r8 2026-01-06  repaired, and CT05 2025 lowered                        (tag v2.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitrepo import commit, git, init

BASE = (Path(__file__).parent / "data" / "revisions" / "targets.yaml").read_text(encoding="utf-8")

CT10 = """  - id: CT10
    group: II
    name_vi: "Số doanh nghiệp khoa học và công nghệ"
    name_en: "Science and technology enterprises"
    unit: count
    flow: false
    frequency: year
    lead: dang-uy-ubnd
    responsible: [so-khcn]
    monitors: [so-khcn]
    reporters: [so-khcn]
    combine: single
    targets:
      2025: "≥ 10"
      2030: "≥ 20"
"""


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


V3 = _edit(
    _edit(BASE, '2030: "≥ 1,5%"', '2030: "≥ 2%"'),
    'name_vi: "Tỷ lệ phủ sóng 5G trên địa bàn"',
    'name_vi: "Tỷ lệ phủ sóng mạng 5G trên địa bàn tỉnh"',
)
V5 = V3
V5 = _edit(V5, '2025: "0,5 - 1%"\n      2030: "2%"', '2025: "0,4 - 0,8%"\n      2030: null')
V5 = _edit(
    V5,
    "monitors: [so-khcn]\n    reporters: [doanh-nghiep-bcvt-cntt]",
    "monitors: [so-khcn, vp-tu]\n    reporters: [doanh-nghiep-bcvt-cntt]",
)
V5 = _edit(
    V5,
    "  secretariat: vp-tu\n",
    '  secretariat: vp-tu\n  secretariat_team: "@daklak-plan57/secretariat"\n',
)
V6 = V5 + CT10
V7 = _edit(V6, "  - id: CT10\n    group: II", "  - id: CT10\n   group: [II")
V8 = _edit(V6, '2025: "≥ 1,0%"', '2025: "≥ 0,8%"')


@dataclass
class Story:
    root: Path
    r: list[str]  # the commit ids r0 … r8


def build(root: Path, prefix: str = "") -> Story:
    """Build the story in `root`; with `prefix` the data repository is a subfolder of it."""
    init(root)
    catalogue = f"{prefix}data/targets.yaml"
    ids = [
        commit(
            root,
            {"README.md": "# Dữ liệu\n"},
            "Start the data repository",
            "2025-05-20T08:00:00+07:00",
        ),
        commit(
            root,
            {f"{prefix}data/catalogue.yaml": BASE},
            "Catalogue of Kế hoạch 283-KH/TU\n\nFrom the appendix of the plan.",
            "2025-05-22T09:00:00+07:00",
        ),
    ]
    git(root, "mv", f"{prefix}data/catalogue.yaml", catalogue)
    ids.append(commit(root, {}, "Rename the catalogue file", "2025-06-10T09:00:00+07:00"))
    ids.append(
        commit(root, {catalogue: V3}, "CT05: raise the 2030 target", "2025-07-01T10:00:00+07:00")
    )
    git(root, "tag", "v1.0")
    ids.append(
        commit(root, {"README.md": "# Dữ liệu\n\nMore.\n"}, "README", "2025-08-01T10:00:00+07:00")
    )
    ids.append(commit(root, {catalogue: V5}, "Review of September", "2025-09-15T00:30:00+07:00"))
    ids.append(commit(root, {catalogue: V6}, "Add CT10", "2025-12-20T10:00:00+07:00"))
    ids.append(commit(root, {catalogue: V7}, "Broken edit", "2026-01-05T10:00:00+07:00"))
    ids.append(
        commit(root, {catalogue: V8}, "Repair; lower CT05 2025", "2026-01-06T10:00:00+07:00")
    )
    git(root, "tag", "v2.0")
    return Story(root=root / prefix if prefix else root, r=ids)
