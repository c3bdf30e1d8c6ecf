"""What a pull request can forge, hide or exhaust (the third adversarial pass, issue 21).

Each test is named after the promise of SECURITY.md it holds; SECURITY.md's table of
promises names them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from clirun import check_json, file_problems, invoke
from conftest import DataRepo
from gitrepo import IDENTITY, git

FORGED = "::error file=README.md,line=1::forged"


def _committed(root: Path) -> str:
    """The repository made a git repository, everything committed; the commit's id."""
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "base", date="2026-01-01T09:00:00+07:00")
    return git(root, "rev-parse", "HEAD")


def _no_forged_line(*outputs: str) -> None:
    """No line of any output starts with a workflow command the data wrote."""
    for output in outputs:
        for line in output.splitlines():
            assert not line.lstrip().startswith("::error file=README.md"), output


# --- data never ends a line of any output ---------------------------------------------------


def test_data_never_ends_a_line_file_names(repo: DataRepo) -> None:
    base = _committed(repo.root)
    folder = repo.root / "data" / "submissions" / "so-tc"
    folder.mkdir()
    (folder / f"x\n{FORGED}.csv").write_bytes(b"indicator;value\r\nCT30;2\r\n")
    (folder / f"y\n{FORGED}.csv").symlink_to("/etc/passwd")
    for args in (
        ("fix", "--check", "--changed-since", base),
        ("check", "--changed-since", base, "--format", "github"),
        ("check", "--format", "human"),
        ("check", "--format", "gitlab"),
    ):
        result = invoke(repo.root, *args)
        assert result.exit_code == 1
        _no_forged_line(result.stdout, result.stderr)


def test_data_never_ends_a_line_catalogue_values(repo: DataRepo) -> None:
    text = repo.catalogue.read_text("utf-8")
    start = text.index("name_en: ", text.index("id: CT01"))
    end = text.index("\n", start)
    repo.catalogue.write_text(f'{text[:start]}name_en: "Share\\n{FORGED}"{text[end:]}', "utf-8")
    for args in (("catalogue", "CT01"), ("catalogue",), ("score", "--period", "2025Q4")):
        result = invoke(repo.root, *args, "--lang", "en")
        assert result.exit_code in (0, 1)
        _no_forged_line(result.stdout, result.stderr)


def test_data_never_ends_a_line_catalogue_errors(repo: DataRepo) -> None:
    text = repo.catalogue.read_text("utf-8")
    start = text.index("lead: ")
    end = text.index("\n", start)
    repo.catalogue.write_text(f'{text[:start]}lead: "so-khcn\\n{FORGED}"{text[end:]}', "utf-8")
    for args in (("check",), ("score", "--period", "2025Q4"), ("catalogue",)):
        result = invoke(repo.root, *args)
        assert result.exit_code == 2
        assert "so-khcn\\u000a::error" in result.stderr
        _no_forged_line(result.stdout, result.stderr)


def test_a_link_at_a_submission_path_is_link_refused(repo: DataRepo, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("indicator,value\nCT30,2\n", "utf-8")
    link = repo.root / "data" / "submissions" / "so-tc" / "2025Q1.csv"
    link.parent.mkdir()
    link.symlink_to(secret)
    for command in ("check", "fix"):
        result = invoke(repo.root, command, "--lang", "en", str(link))
        assert result.exit_code == 1
        assert "link-refused" in result.stdout or "link" in result.stdout
        assert "outside the data repository" not in result.stderr
    assert secret.read_text("utf-8") == "indicator,value\nCT30,2\n"
    code, report = check_json(repo.root, str(link))
    assert code == 1
    assert [p["code"] for p in file_problems(report)] == ["link-refused"]


def test_gate_output_on_names_that_are_not_utf8(repo: DataRepo) -> None:
    base = _committed(repo.root)
    submissions = os.fsencode(repo.root / "data" / "submissions")
    try:
        os.makedirs(submissions + b"/so-tc\xff")
    except OSError as error:
        pytest.skip(f"this file system refuses such names: {error}")
    with open(submissions + b"/so-tc\xff/2025Q4.csv", "wb") as handle:
        handle.write(b"indicator,value\nCT30,2\n")
    repo.submit("so-nv", "2025Q4", "indicator,value\nCT38,2\n")
    code, report = check_json(repo.root, "--changed-since", base)
    assert code == 1
    mixed = [p for p in report["problems"] if p["code"] == "mixed-reporters"]
    assert mixed and all("\\xff" in p["file"] for p in mixed if "so-tc" in p["file"])
    result = invoke(repo.root, "check", "--changed-since", base, "--format", "gitlab")
    issues = json.loads(result.stdout)
    assert {"mixed-reporters", "bad-file-name"} <= {issue["check_name"] for issue in issues}


# --- terminal escapes in --verbose once the progress bar shows ------------------------------


def test_verbose_lines_under_the_progress_bar_are_escaped(repo: DataRepo) -> None:
    pty = pytest.importorskip("pty")
    clipboard = "\x1b]52;c;aGVsbG8=\x07"
    for period in ("2025Q1", "2025Q2"):
        repo.submit("so-khcn", period, "indicator,value\nCT15,3\n")
    repo.write(f"data/submissions/so-khcn/z{clipboard}.csv", "indicator,value\nCT15,3\n")
    leader, follower = pty.openpty()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PLAN57_") and k not in ("FORCE_COLOR", "GITHUB_ACTIONS")
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "plan57", "--root", str(repo.root), "check", "-v"],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env={**env, **IDENTITY, "PLAN57_PROGRESS_AFTER": "0", "TERM": "xterm", "COLUMNS": "80"},
        close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    process.wait(timeout=120)
    shown = b"".join(chunks).decode("utf-8", errors="replace")
    assert "\\u001b]52" in shown
    assert "\x1b]52" not in shown


# --- live links and mentions are inert in every Markdown output -----------------------------

LIVE = "xem https://evil.example/x, www.evil.example, @org/team, #12"


def _live(markdown: str) -> None:
    for live in ("https://", "www.evil", "@org", "#12"):
        assert live not in markdown, markdown


def test_markdown_outputs_hold_no_live_link_or_mention(tmp_path: Path) -> None:
    import shutil

    from conftest import PROJECT

    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "data", root / "data")
    notes = root / "data" / "submissions" / "so-tc" / "2025Q4.csv"
    lines = notes.read_text("utf-8").splitlines()
    lines[1] += f'"{LIVE}"'
    notes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ("--period", "2025Q4", "--as-of", "2026-03-01", "--format", "md", "--lang", "en")
    report = invoke(root, "report", *args).stdout
    assert "evil.example/x" in report  # the note is there, as text
    _live(report)
    (root / "data" / "submissions" / "so-tc" / "2025Q3.csv").write_text(
        f'indicator,value\n"{LIVE}",1\n', "utf-8"
    )
    found = invoke(root, "check", "--format", "md", "--lang", "en").stdout
    assert "evil.example/x" in found
    _live(found)


# --- CODEOWNERS: no owner that is a comment, no crash on a file that is not UTF-8 ----------


@pytest.mark.parametrize("owner", ["#so-tc@stc.daklak.gov.vn", "so#tc@stc.daklak.gov.vn"])
def test_codeowners_owners_are_never_comments(owner: str) -> None:
    from conftest import CATALOGUE
    from plan57.catalogue.loading import parse_catalogue
    from plan57.errors import CatalogueError

    text = CATALOGUE.read_text("utf-8")
    for handle in ('"@daklak-plan57/so-tc"', '"@daklak-plan57/secretariat"'):
        assert handle in text
        with pytest.raises(CatalogueError):
            parse_catalogue(text.replace(handle, f'"{owner}"'), "t")


def test_codeowners_that_is_not_utf8_is_a_clear_error(repo: DataRepo) -> None:
    (repo.root / "CODEOWNERS").write_bytes(b"# r\xe9gles\n* @someone\n")
    for args in (("codeowners", "--check"), ("codeowners",)):
        result = invoke(repo.root, *args, "--lang", "en")
        assert result.exit_code == 2
        assert "CODEOWNERS is not UTF-8" in result.stderr
    assert (repo.root / "CODEOWNERS").read_bytes() == b"# r\xe9gles\n* @someone\n"


# --- the catalogue: keys compared as resolved, no merge key or anchor, nesting bounded -----

CT01_2025 = '      2025: "≥ 60%"\n'


def _catalogue_error(text: str) -> tuple[str, int]:
    from plan57.catalogue.loading import parse_catalogue
    from plan57.errors import CatalogueError

    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text, "data/targets.yaml")
    return caught.value.code, caught.value.params["line"]


def _real() -> str:
    from conftest import CATALOGUE

    return CATALOGUE.read_text("utf-8")


@pytest.mark.parametrize("spelling", ["2_025", "+2025", "0x7E9", "03751", "2025.0", '"2025"'])
def test_duplicate_keys_by_another_spelling_are_refused(spelling: str) -> None:
    text = _real()
    assert CT01_2025 in text
    line = text[: text.index(CT01_2025)].count("\n") + 1
    hostile = text.replace(CT01_2025, f'{CT01_2025}      {spelling}: "≥ 1%"\n', 1)
    assert _catalogue_error(hostile) == ("catalogue-duplicate-key", line + 1)


@pytest.mark.parametrize(
    "hostile",
    [
        '      <<: {2030: "≥ 1%"}\n',  # a merge key without any alias
        '      2026: &kept "≥ 1%"\n',  # a lone anchor
    ],
)
def test_merge_keys_and_anchors_are_refused(hostile: str) -> None:
    text = _real()
    line = text[: text.index(CT01_2025)].count("\n") + 2
    code, where = _catalogue_error(text.replace(CT01_2025, CT01_2025 + hostile, 1))
    assert (code, where) == ("catalogue-yaml", line)


def test_catalogue_nesting_is_bounded_naming_the_line(repo: DataRepo) -> None:
    text = _real()
    lines = text.count("\n")
    deep = text + "x: " + "[" * 700 + "]" * 700 + "\n"
    assert _catalogue_error(deep) == ("catalogue-too-deep", lines + 1)
    repo.catalogue.write_text(deep, "utf-8")
    for args in (("check",), ("score", "--period", "2025Q4"), ("catalogue",)):
        result = invoke(repo.root, *args, "--lang", "en")
        assert result.exit_code == 2
        assert f"line {lines + 1}: a value nested more than" in result.stderr


def test_a_bad_date_is_found_in_one_walk_of_the_composed_catalogue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yaml

    # The line of a bad value comes from the document already composed by the C loader: no
    # second parse by the pure-Python loader (20 s on a 0.86 MB catalogue), no pop(0) walk.
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a second, pure-Python parse")

    monkeypatch.setattr(yaml, "compose", refuse)
    monkeypatch.setattr(yaml.SafeLoader, "__init__", refuse)
    text = _real()
    padded = text + "".join(f"pad{i}: [{i}, {i}, {i}]\n" for i in range(2000))
    bad = padded + "when: 2025-02-31\n"
    assert _catalogue_error(bad) == ("catalogue-yaml", padded.count("\n") + 1)
    invalid = text.replace(CT01_2025, '      2025: "sixty"\n', 1)
    code, _ = _catalogue_error(invalid)
    assert code == "catalogue-invalid"


# --- one hidden catalogue commit never breaks the history, the site or the reports ---------


@pytest.fixture(scope="module")
def hidden_commits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history with a catalogue 700 levels deep, reverted at once (net diff: nothing), and
    a revision where data/targets.yaml is a gitlink (a submodule's commit)."""
    import shutil

    from gitrepo import commit

    root = tmp_path_factory.mktemp("hidden") / "repo"
    shutil.copytree(Path(__file__).parent / "data" / "report-repo", root)
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base", date="2025-06-02T09:00:00+07:00")
    catalogue = root / "data" / "targets.yaml"
    good = catalogue.read_text("utf-8")
    deep = good + "x: " + "[" * 700 + "]" * 700 + "\n"
    commit(root, {"data/targets.yaml": deep}, "deep", "2025-07-01T09:00:00+07:00")
    commit(root, {"data/targets.yaml": good}, "revert", "2025-07-01T09:05:00+07:00")
    git(root, "rm", "-q", "--cached", "data/targets.yaml")
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},data/targets.yaml")
    git(root, "commit", "-q", "-m", "gitlink", date="2025-08-01T09:00:00+07:00")
    git(root, "rm", "-q", "--cached", "data/targets.yaml")
    commit(root, {"data/targets.yaml": good}, "back", "2025-08-01T09:05:00+07:00")
    return root


def test_a_revision_that_cannot_be_read_is_skipped_with_a_note(hidden_commits: Path) -> None:
    result = invoke(hidden_commits, "history", "--lang", "en")
    assert result.exit_code == 0
    assert "a value nested more than 32 levels deep" in result.stdout
    assert "not a file in this repository" in result.stdout
    args = ("--as-of", "2025-10-20", "--lang", "en")
    notes = ("Skipped revision", "a value nested more than 32", "not a file in this repository")
    report = invoke(hidden_commits, "report", "--period", "2025Q3", *args)
    assert report.exit_code in (0, 1)
    site = hidden_commits.parent / "site"
    built = invoke(hidden_commits, "site", "--out", str(site), *args)
    assert built.exit_code in (0, 1)
    assert (site / "index.html").is_file()
    out = hidden_commits.parent / "open"
    exported = invoke(hidden_commits, "export", "--out", str(out), *args)
    assert exported.exit_code in (0, 1)
    assert (out / "datapackage.json").is_file()
    # Each says what it skipped, as history does (the report: those within its period).
    for result in (report, built, exported):
        assert all(note in result.stderr for note in notes), result.stderr
    quiet = invoke(hidden_commits, "export", "--out", str(out), *args, "--quiet")
    assert "Skipped revision" not in quiet.stderr


# --- a submodule under data/submissions is refused ------------------------------------------


def _gitlink(root: Path, path: str) -> None:
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{'2' * 40},{path}")
    (root / path).mkdir(parents=True, exist_ok=True)  # as a clone leaves it: an empty folder


def test_a_submodule_under_submissions_is_refused(repo: DataRepo) -> None:
    repo.submit("so-nv", "2025Q4", "indicator,value\nCT38,2\n")
    base = _committed(repo.root)
    _gitlink(repo.root, "data/submissions/so-tc")
    git(repo.root, "commit", "-q", "-m", "hand so-tc elsewhere", date="2026-01-02T09:00:00+07:00")
    data, whole = str(repo.root / "data"), str(repo.root)
    for args in ((), ("--changed-since", base), (data,), (whole,)):
        code, report = check_json(repo.root, *args)
        assert code == 1, args
        assert ("submodule-refused", "data/submissions/so-tc") in {
            (p["code"], p["file"]) for p in report["problems"]
        }, args
    # It counts as touching its reporter's folder.
    repo.submit("so-nv", "2025Q4", "indicator,value\nCT38,3\n")
    _, report = check_json(repo.root, "--changed-since", base)
    assert "mixed-reporters" in {p["code"] for p in report["problems"]}


def test_a_checked_out_submodule_is_never_read(repo: DataRepo) -> None:
    folder = repo.root / "data" / "submissions" / "so-tc"
    folder.mkdir()
    (folder / ".git").write_text("gitdir: ../../../.git/modules/so-tc\n", "utf-8")
    (folder / "2025Q4.csv").write_text("indicator,value\nCT99,1\n", "utf-8")
    code, report = check_json(repo.root)
    assert code == 1
    assert [(p["code"], p["file"]) for p in file_problems(report)] == [
        ("submodule-refused", "data/submissions/so-tc")
    ]


# --- check --changed-since never rewrites .git/index ----------------------------------------


def test_changed_since_never_rewrites_the_index(repo: DataRepo) -> None:
    repo.submit("so-tc", "2025Q4", "indicator,value\nCT30,2\n")
    repo.submit("so-nv", "2025Q4", "indicator,value\nCT38,2\n")
    base = _committed(repo.root)
    # Tracked since the base, unchanged, with stale timestamps: porcelain `git diff` would
    # refresh (rewrite) the index to find that out.
    for reporter in ("so-tc", "so-nv"):
        os.utime(repo.root / "data" / "submissions" / reporter / "2025Q4.csv", (1, 1))
    index = repo.root / ".git" / "index"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    for args in (("check", "--changed-since", base), ("fix", "--check", "--changed-since", base)):
        result = invoke(repo.root, *args)
        assert result.exit_code == 0, result.stdout  # nothing changed: no mixed-reporters
        assert (index.read_bytes(), index.stat().st_mtime_ns) == before, args
    # A real change is still seen, content compared, not timestamps.
    repo.submit("so-tc", "2025Q4", "indicator,value\nCT30,3\n")
    os.utime(repo.root / "data" / "submissions" / "so-tc" / "2025Q4.csv", (1, 1))
    _, report = check_json(repo.root, "--changed-since", base)
    assert "mixed-reporters" not in {p["code"] for p in report["problems"]}
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    from plan57.submissions.gate import changed_files

    assert changed_files(repo.root, base)[1] == ["data/submissions/so-tc/2025Q4.csv"]
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before


# --- check, check data and check . agree ----------------------------------------------------


def test_check_check_data_and_check_dot_agree(
    repo: DataRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.submit("so-tc", "2025Q4", "indicator,value\nCT30,2\n")
    repo.write("data/registry/units.csv", "id,name\nso-tc,Sở Tài chính\n")
    stray = repo.write("notes/table.csv", "a;b\r\n1;2\r\n")
    monkeypatch.chdir(repo.root)
    whole = check_json(repo.root)
    for given in ("data", ".", "data/", str(repo.root), str(repo.root / "data")):
        assert check_json(repo.root, given) == whole, given
    fixed = invoke(repo.root, "fix", "--check", "--lang", "en").stdout
    for given in ("data", "."):
        assert invoke(repo.root, "fix", "--check", "--lang", "en", given).stdout == fixed
    invoke(repo.root, "fix", ".")
    assert stray.read_bytes() == b"a;b\r\n1;2\r\n"  # not a submission: never rewritten


# --- exit codes keep their meaning when standard error is closed or full --------------------


@pytest.mark.parametrize("stderr", ["closed", "full"])
def test_exit_codes_keep_their_meaning_whatever_happens_to_stderr(
    stderr: str, tmp_path: Path
) -> None:
    from conftest import PROJECT

    if stderr == "full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")

    def run(*arguments: str) -> int:
        sink = open("/dev/full", "w") if stderr == "full" else None  # noqa: SIM115
        try:
            completed = subprocess.run(
                [sys.executable, "-m", "plan57", "--root", str(PROJECT), *arguments],
                stdout=subprocess.DEVNULL,
                stderr=sink,
                preexec_fn=(lambda: os.close(2)) if sink is None else None,
                timeout=120,
                check=False,
            )
        finally:
            if sink is not None:
                sink.close()
        return completed.returncode

    out = tmp_path / "report.html"
    assert run("report", "--period", "2025Q4", "--as-of", "2026-03-01", "--out", str(out)) == 0
    assert out.stat().st_size > 0
    assert run("check", "--as-of", "not-a-date") == 2
    assert run("check", "--as-of", "2026-06-30") == 0


# --- what exhausts the machine: bounds held by the kernel, not by timings ------------------


def _cpu_bound() -> None:
    import resource

    # A bound, not a timing: the kernel stops a run that goes quadratic (the old code took
    # minutes of CPU on these inputs; each run here needs about a second).
    resource.setrlimit(resource.RLIMIT_CPU, (15, 15))


def _bounded(root: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "plan57", "--root", str(root), *arguments],
        capture_output=True,
        env={**os.environ, "PLAN57_LANG": "en"},
        preexec_fn=_cpu_bound,
        timeout=300,
        check=False,
    )


def test_blank_lines_in_the_catalogue_cost_linear_time(repo: DataRepo) -> None:
    text = _real()
    at = text.index("indicators:")
    repo.catalogue.write_text(text[:at] + "\n" * 200_000 + text[at:], "utf-8")
    for command in (("check",), ("score", "--period", "2025Q4")):
        completed = _bounded(repo.root, *command, "--as-of", "2026-06-30")
        assert completed.returncode in (0, 1), completed.stderr[-2000:]


def test_help_reads_a_plan_number_of_spaces_in_linear_time(repo: DataRepo) -> None:
    text = _real()
    start = text.index("  number: ")
    end = text.index("\n", start)
    for value in ("x" + " " * 40_000 + "y", "x" + " " * 40_000 + "\r", " " * 40_000):
        repo.catalogue.write_text(f"{text[:start]}  number: {value}{text[end:]}", "utf-8")
        completed = _bounded(repo.root, "--help")
        assert completed.returncode == 0, completed.stderr[-2000:]


def test_fix_check_refuses_too_many_rows_as_check_does(repo: DataRepo) -> None:
    rows = "".join(f"CT15,{i}\r\n" for i in range(5_000))
    repo.submit("so-khcn", "2025Q1", "indicator;value\r\n" + rows.replace(",", ";"))
    fixed = invoke(repo.root, "fix", "--check", "--lang", "en")
    assert fixed.exit_code == 1
    assert "too-many-rows" in fixed.stdout
    _, report = check_json(repo.root)
    assert [p["code"] for p in file_problems(report)] == ["too-many-rows"]


def test_a_million_decimals_make_a_bounded_message(repo: DataRepo) -> None:
    from conftest import FINDINGS

    cell = "0." + "3" * 1_000_000
    original = (FINDINGS / "ratio-mismatch" / "data/submissions/so-khcn/2025.csv").read_text()
    header, row, *rest = original.splitlines()
    indicator, _value, numerator, denominator, *more = row.split(",")
    repo.submit(
        "so-khcn",
        "2025",
        "\n".join([header, ",".join([indicator, cell, numerator, denominator, *more]), *rest])
        + "\n",
    )
    for output_format in ("json", "github"):
        result = invoke(repo.root, "check", "--as-of", "2026-06-30", "--format", output_format)
        assert result.exit_code == 1
        assert "ratio-mismatch" in result.stdout
        assert len(result.stdout) < 20_000, len(result.stdout)


# --- workbooks: read within the sheet's real extent and the zip entries' declared sizes ----


def _own_workbook(path: Path, far: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["indicator", "value", "numerator", "denominator", "note"])
    sheet.append(["CT07", 75, 3, 4, ""])
    if far is not None:
        sheet[far] = "x"
    book.save(path)
    return path


def _import(repo: DataRepo, path: Path) -> Any:
    args = ("--reporter", "xa-hoa-phu", "--period", "2025Q3", "--lang", "en")
    return invoke(repo.root, "import", str(path), *args)


def _memory_bound() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # a bound, not a measure


def test_a_workbook_is_read_within_its_sheets_real_extent(repo: DataRepo) -> None:
    far = _own_workbook(repo.root / "far.xlsx", far="XFD1048576")
    completed = subprocess.run(
        [sys.executable, "-m", "plan57", "--root", str(repo.root), "import", str(far),
         "--reporter", "xa-hoa-phu", "--period", "2025Q3", "--lang", "en"],
        capture_output=True, preexec_fn=_memory_bound, timeout=300, check=False,
    )  # fmt: skip
    # Read within its real extent: rows are never padded to column XFD, nor made to row 1048576.
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert b"1 workbook imported" in completed.stdout
    # Content past the rows a sheet is read to is refused, never silently left out.
    long = _import(repo, _own_workbook(repo.root / "long.xlsx", far="B5000"))
    assert long.exit_code == 1
    assert "has content past row 1100" in long.output


def test_a_workbook_is_bounded_by_its_declared_unpacked_size(repo: DataRepo) -> None:
    import zipfile

    source = _own_workbook(repo.root / "own.xlsx")
    bomb = repo.root / "bomb.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w") as out:
        for entry in original.infolist():
            data = original.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * 40_000_000)
            out.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 1_000_000
    result = _import(repo, bomb)
    assert result.exit_code == 1
    assert "the workbook unpacks to" in result.output


def test_init_reads_an_appendix_workbook_within_bounds(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from plan57.catalogue.appendix import read_appendix
    from plan57.errors import AppendixError

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["STT", "Chỉ tiêu"])
    sheet["A5000"] = "x"
    path = tmp_path / "appendix.xlsx"
    book.save(path)
    with pytest.raises(AppendixError) as caught:
        read_appendix(path)
    assert "has content past row" in str(caught.value)


# --- import: canonical data, one target per batch, no write through a link, bounded numbers -


def _workbook(path: Path, *rows: list[Any]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["indicator", "value", "numerator", "denominator", "note"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_stores_no_formula_apostrophe_in_canonical_data(repo: DataRepo) -> None:
    note = "+3 xã so với kỳ trước"
    path = _workbook(repo.root / "own.xlsx", ["CT07", 75, 3, 4, note])
    assert _import(repo, path).exit_code == 0
    stored = (repo.root / "data/submissions/xa-hoa-phu/2025Q3.csv").read_text("utf-8")
    assert f",{note}," in stored and "'+3" not in stored


def test_import_force_refuses_two_workbooks_for_one_target(repo: DataRepo) -> None:
    first = _workbook(repo.root / "a.xlsx", ["CT07", 75, 3, 4, "first"])
    second = _workbook(repo.root / "b.xlsx", ["CT07", 50, 2, 4, "second"])
    args = ("--reporter", "xa-hoa-phu", "--period", "2025Q3", "--force", "--lang", "en")
    result = invoke(repo.root, "import", str(first), str(second), *args)
    assert result.exit_code == 1
    assert (
        "import-same-target" in result.output and "1 workbook imported, 1 failed" in result.output
    )
    stored = (repo.root / "data/submissions/xa-hoa-phu/2025Q3.csv").read_text("utf-8")
    assert "first" in stored and "second" not in stored


def test_import_never_writes_through_a_linked_submissions_folder(
    repo: DataRepo, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    submissions = repo.root / "data" / "submissions"
    submissions.rmdir()
    submissions.symlink_to(outside, target_is_directory=True)
    result = _import(repo, _workbook(repo.root / "own.xlsx", ["CT07", 75, 3, 4, ""]))
    assert result.exit_code == 1
    assert "link-refused" in result.output
    assert list(outside.iterdir()) == []


def test_import_of_a_huge_number_is_a_finding_and_the_batch_goes_on(repo: DataRepo) -> None:
    huge = _workbook(repo.root / "huge.xlsx", ["CT07", 1e30, 3, 4, ""])
    fine = _workbook(repo.root / "fine.xlsx", ["CT07", 75, 3, 4, ""])
    args = ("--reporter", "xa-hoa-phu", "--lang", "en")
    result = invoke(repo.root, "import", str(huge), "--period", "2025Q3", *args)
    assert result.exit_code == 1 and "value-too-large" in result.output
    both = invoke(repo.root, "import", str(huge), str(fine), "--period", "2025Q2", *args)
    assert "value-too-large" in both.output and "1 workbook imported, 1 failed" in both.output


# --- export: never into the repository's data, never through a link; the set replaced as one


@pytest.fixture(scope="module")
def export_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("export") / "repo"
    shutil.copytree(Path(__file__).parent / "data" / "report-repo", root)
    return root


EXPORT = ("--as-of", "2025-10-20", "--format", "csv", "--lang", "en")


def test_export_never_writes_into_the_repositorys_data(
    export_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p: p.read_bytes() for p in (export_repo / "data").rglob("*") if p.is_file()}
    monkeypatch.chdir(export_repo)
    for out in (".", str(export_repo), "data", "data/new"):
        result = invoke(export_repo, "export", "--out", out, *EXPORT)
        assert result.exit_code == 2, out
    # A link planted in an earlier export is replaced with the folder, never written through.
    pub = export_repo.parent / "pub"
    assert invoke(export_repo, "export", "--out", str(pub), *EXPORT).exit_code == 0
    (pub / "targets.csv").unlink()
    (pub / "targets.csv").symlink_to(export_repo / "data" / "targets.yaml")
    assert invoke(export_repo, "export", "--out", str(pub), *EXPORT).exit_code == 0
    assert not (pub / "targets.csv").is_symlink()
    after = {p: p.read_bytes() for p in (export_repo / "data").rglob("*") if p.is_file()}
    assert after == before


def test_export_replaces_its_set_as_one(export_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plan57.output import opendata

    out = export_repo.parent / "set"
    assert invoke(export_repo, "export", "--out", str(out), *EXPORT).exit_code == 0
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    real = opendata.to_csv

    def fail_on_targets(table: opendata.Table) -> bytes:
        if table.name == "targets":
            raise OSError(28, "No space left on device")
        return b"new " + real(table)

    monkeypatch.setattr(opendata, "to_csv", fail_on_targets)
    result = invoke(export_repo, "export", "--out", str(out), *EXPORT)
    assert result.exit_code == 2
    # The old set is whole: no new scores.csv beside the old tables and data package.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".set")] == []
    other = export_repo.parent / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", "utf-8")
    assert invoke(export_repo, "export", "--out", str(other), *EXPORT).exit_code == 2


# --- init escapes the YAML it writes; an impossible date in the heading is a clear error --


def _other_appendix(tmp_path: Path, change: tuple[str, str] | None = None) -> Path:
    from conftest import TEST_DATA

    text = (TEST_DATA / "init" / "appendix-other.csv").read_text("utf-8")
    if change is not None:
        assert change[0] in text
        text = text.replace(change[0], change[1], 1)
    path = tmp_path / "appendix.csv"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("hostile", ["\x07", "\x7f", "\x85", "\u2028", "\ufeff", "\x9b"])
def test_init_escapes_the_yaml_it_writes(tmp_path: Path, hostile: str) -> None:
    from plan57.catalogue.appendix import read_appendix
    from plan57.catalogue.loading import parse_catalogue
    from plan57.catalogue.provinces import find_province
    from plan57.catalogue.scaffold import PlanInfo, build_catalogue

    appendix = read_appendix(_other_appendix(tmp_path))
    first = appendix.rows[0]
    named = type(appendix)(
        **{**appendix.__dict__, "rows": [replace(first, name=f"a{hostile}b"), *appendix.rows[1:]]}
    )
    number = f"9-KH/TU\nscoring: {{tolerance: 0.01}}{hostile}"
    built = build_catalogue(named, find_province("Gia Lai"), PlanInfo(number=number))
    catalogue = parse_catalogue(built.text, "data/targets.yaml")
    assert catalogue.plan.number == number  # the text as given, escaped in the YAML
    assert not [line for line in built.text.splitlines() if line.startswith("scoring:")]
    assert catalogue.indicators[0].name_vi == f"a{hostile}b"


def test_init_with_an_impossible_date_in_the_heading_is_a_clear_error(tmp_path: Path) -> None:
    from conftest import TEST_DATA

    text = (TEST_DATA / "init" / "appendix-other.csv").read_text("utf-8")
    date = re.search(r"ngày \d+/\d+/\d{4}", text)
    assert date is not None
    appendix = _other_appendix(tmp_path, (date.group(), "ngày 31/2/2025"))
    args = ("init", str(tmp_path / "r"), "--province", "52", "--appendix", str(appendix))
    result = invoke(None, *args, "--lang", "en")
    assert result.exit_code == 2
    assert "the date 31/2/2025 in the plan's heading does not exist" in result.stderr


# --- fix: a file in two encodings is left as it was ------------------------------------------


def test_a_file_in_two_encodings_is_fix_unknown_encoding_and_left_as_it_was(
    repo: DataRepo,
) -> None:
    from conftest import FINDINGS

    legacy = (FINDINGS / "encoding/data/submissions/so-khcn/2025.csv").read_bytes()
    assert b"\xd0\xe3\xeck L\xe3\xeck" in legacy  # "Đắk Lắk" in windows-1258
    raw = "indicator,value,note\nCT15,1,Sở Tài chính\n".encode() + b"CT16,2,\xd0\xe3\xeck\n"
    path = repo.submit("so-khcn", "2025", raw)
    for args in (("fix", "--check"), ("fix",)):
        result = invoke(repo.root, *args, "--lang", "en")
        assert result.exit_code == 1
        assert "fix-unknown-encoding" in result.stdout
    assert path.read_bytes() == raw
    _, report = check_json(repo.root)
    assert "encoding" in {p["code"] for p in file_problems(report)}
    # A whole file in windows-1258 is still read as such.
    whole = repo.submit("so-khcn", "2025", legacy)
    assert invoke(repo.root, "fix").exit_code == 0
    assert "Đắk Lắk" in whole.read_text("utf-8")


def test_content_under_a_column_with_no_name_is_refused(repo: DataRepo) -> None:
    path = repo.submit("so-tc", "2025Q4", "indicator,value,\nCT30,1,500\n")
    _, report = check_json(repo.root)
    assert [(p["code"], p["line"], p["column"]) for p in file_problems(report)] == [
        ("unnamed-column", 2, "3")
    ]
    fixed = invoke(repo.root, "fix", "--lang", "en")
    assert fixed.exit_code == 1 and "unnamed-column" in fixed.stdout
    assert path.read_bytes() == b"indicator,value,\nCT30,1,500\n"
    args = ("--period", "2025Q4", "--as-of", "2026-06-30", "--format", "json")
    scored = json.loads(invoke(repo.root, "score", *args).stdout)
    ct30 = next(i for i in scored["indicators"] if i["id"] == "CT30")
    assert ct30["value"] is None  # never scored as CT30 = 1
    # Excel's empty trailing columns stay fine.
    repo.submit("so-tc", "2025Q4", "indicator,value,\nCT30,1500,\n")
    _, report = check_json(repo.root)
    assert file_problems(report) == []


# --- SECURITY.md: every promise names a test, and every test it names exists -------------


def test_every_security_promise_names_a_test_that_exists() -> None:
    from conftest import PROJECT

    text = (PROJECT / "SECURITY.md").read_text("utf-8")
    table = text.split("## Each promise and the test that holds it", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) >= 40
    for row in rows:
        named = re.findall(r"`((?:tests/[\w/]+\.py)?::\w+)`", row.rsplit("|", 2)[1])
        assert named, row
        module = ""
        for name in named:
            path, _, test = name.partition("::")
            module = path or module
            source = (PROJECT / module).read_text("utf-8")
            assert re.search(rf"^def {test}\(", source, re.MULTILINE), (module, test)
