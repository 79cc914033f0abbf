"""Command-line behaviour: exit codes, output formats, selection, fixing, configuration, file discovery."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

from conftest import SLEEPY_LINE, SLEEPY_SOURCE, codes_of, line_codes, write_tree

MULTI_SOURCE = """\
import time

import requests


async def handler(url: str) -> None:
    time.sleep(1)
    time.sleep(2)
    requests.get(url)
"""
MULTI_FINDINGS = {(7, "ASYNC251"), (8, "ASYNC251"), (9, "ASYNC210")}
CLEAN_SOURCE = """\
import asyncio


async def handler() -> None:
    await asyncio.sleep(1)
"""
CODE_TOKEN = re.compile(r"\b(?:ASYNC|LS)\d{3}\b")


def header_regex(path: str, line: int, column: int, code: str) -> re.Pattern:
    """`path:line:col: CODE message`, as printed by the text and concise formats."""
    return re.compile(rf"^{re.escape(path)}:{line}:{column}: {code} \S", re.MULTILINE)


def leftover_files(directory: Path) -> list:
    """Entries other than app.py and loopsafe's cache, e.g. temporary files of an atomic write."""
    return sorted(p.name for p in directory.iterdir() if p.name != "app.py" and not p.name.startswith(".loopsafe_cache"))


def relative_paths(diagnostics: list, cwd: Path) -> set:
    return {(cwd / d["path"]).resolve().relative_to(cwd.resolve()).as_posix() for d in diagnostics}


# --- exit codes ---------------------------------------------------------------------------


def test_exit_code_clean(loopsafe, project) -> None:
    root = project({"app.py": CLEAN_SOURCE})
    proc = loopsafe.run("check", "app.py", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_exit_code_with_findings(loopsafe, project) -> None:
    root = project({"app.py": SLEEPY_SOURCE})
    assert loopsafe.run("check", "app.py", cwd=root).returncode == 1


def test_exit_zero(loopsafe, project) -> None:
    root = project({"app.py": SLEEPY_SOURCE})
    proc = loopsafe.run("check", "--exit-zero", "app.py", cwd=root)
    assert proc.returncode == 0
    assert "ASYNC251" in proc.stdout


def test_missing_path_is_an_error(loopsafe, project) -> None:
    root = project({"app.py": CLEAN_SOURCE})
    proc = loopsafe.run("check", "does_not_exist.py", cwd=root)
    assert proc.returncode == 2
    assert "does_not_exist.py" in proc.stderr


def test_unknown_format_is_an_error(loopsafe, project) -> None:
    root = project({"app.py": SLEEPY_SOURCE})
    assert loopsafe.run("check", "--format", "xml", "app.py", cwd=root).returncode == 2


def test_broken_pyproject_names_file_and_line(loopsafe, project) -> None:
    root = project(
        {
            "pyproject.toml": '[tool.loopsafe]\nselect = ["ASYNC251"]\nexclude = = ["generated/*"]\n',
            "app.py": SLEEPY_SOURCE,
        }
    )
    proc = loopsafe.run("check", "app.py", cwd=root)
    assert proc.returncode == 2
    output = proc.stderr + proc.stdout
    assert "pyproject.toml" in output
    assert re.search(r"pyproject\.toml:3\b|line 3\b", output), output


# --- output formats -------------------------------------------------------------------------


def test_text_format(loopsafe, project) -> None:
    root = project({"app.py": SLEEPY_SOURCE})
    proc = loopsafe.run("check", "--format", "text", "app.py", cwd=root)
    assert proc.returncode == 1
    header = header_regex("app.py", SLEEPY_LINE, 5, "ASYNC251").search(proc.stdout)
    assert header, proc.stdout
    after = proc.stdout[header.end() :].splitlines()[1:]
    assert any("time.sleep(1)" in line for line in after), "source line not shown:\n" + proc.stdout
    assert any("^" in line for line in after), "no caret line:\n" + proc.stdout


def test_concise_format(loopsafe, project) -> None:
    root = project({"app.py": MULTI_SOURCE})
    proc = loopsafe.run("check", "--format", "concise", "app.py", cwd=root)
    assert proc.returncode == 1
    for line, code in MULTI_FINDINGS:
        assert header_regex("app.py", line, 5, code).search(proc.stdout), proc.stdout
    finding_lines = [line for line in proc.stdout.splitlines() if line.startswith("app.py:")]
    assert len(finding_lines) == len(MULTI_FINDINGS), proc.stdout
    assert "^" not in proc.stdout


def test_json_format(loopsafe, project) -> None:
    root = project({"app.py": MULTI_SOURCE})
    proc = loopsafe.run("check", "--format", "json", "app.py", cwd=root)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["version"] == 1
    diagnostics = report["diagnostics"]
    assert set(line_codes(diagnostics)) == MULTI_FINDINGS
    for diag in diagnostics:
        assert diag["column"] == 5 and diag["endLine"] == diag["line"], diag
        assert diag["severity"] in ("warning", "error")
        assert diag["message"].strip()
        for fix in diag["fixes"]:
            assert isinstance(fix, dict), diag


def test_json_columns_count_code_points(loopsafe, project) -> None:
    line = '    label = "h\u00e9llo w\u00f6rld \U0001f30d \u4e16\u754c"; time.sleep(1)'
    source = "import time\n\n\nasync def handler() -> None:\n" + line + "\n"
    root = project({"app.py": source})
    [diag] = loopsafe.diagnostics("app.py", cwd=root)
    assert diag["line"] == 5
    assert diag["column"] == line.index("time.sleep") + 1


def test_sarif_format(loopsafe, project) -> None:
    root = project({"app.py": MULTI_SOURCE})
    proc = loopsafe.run("check", "--format", "sarif", "app.py", cwd=root)
    assert proc.returncode == 1
    sarif = json.loads(proc.stdout)
    assert sarif["version"] == "2.1.0"
    assert "sarif" in sarif["$schema"]
    run = sarif["runs"][0]
    assert run["tool"]["driver"]["name"] == "loopsafe"
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {"ASYNC251", "ASYNC210"} <= rule_ids
    found = set()
    for result in run["results"]:
        assert result["ruleId"] in rule_ids
        assert result["message"]["text"].strip()
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].endswith("app.py")
        region = location["region"]
        assert region["startColumn"] == 5
        found.add((region["startLine"], result["ruleId"]))
    assert found == MULTI_FINDINGS


def test_github_format(loopsafe, project) -> None:
    root = project({"app.py": MULTI_SOURCE})
    proc = loopsafe.run("check", "--format", "github", "app.py", cwd=root)
    assert proc.returncode == 1
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == len(MULTI_FINDINGS), proc.stdout
    found = set()
    for annotation in annotations:
        match = re.fullmatch(r"::warning (?P<props>[^:]*)::(?P<message>.+)", annotation)
        assert match, annotation
        props = dict(item.split("=", 1) for item in match["props"].split(","))
        assert props["file"].endswith("app.py") and props["col"] == "5", annotation
        [code] = CODE_TOKEN.findall(props["title"])
        found.add((int(props["line"]), code))
    assert found == MULTI_FINDINGS


# --- selection and statistics -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (("--select", "ASYNC210"), {"ASYNC210": 1}),
        (("--select", "ASYNC210,ASYNC251"), {"ASYNC210": 1, "ASYNC251": 2}),
        (("--ignore", "ASYNC251"), {"ASYNC210": 1}),
        (("--select", "ASYNC251", "--ignore", "ASYNC251"), {}),
    ],
    ids=["select", "select-list", "ignore", "select-then-ignore"],
)
def test_select_and_ignore(loopsafe, project, flags, expected) -> None:
    root = project({"app.py": MULTI_SOURCE})
    assert codes_of(loopsafe.diagnostics(*flags, "app.py", cwd=root)) == expected


def test_statistics(loopsafe, project) -> None:
    root = project({"app.py": MULTI_SOURCE})
    proc = loopsafe.run("check", "--statistics", "app.py", cwd=root)
    assert proc.returncode == 1
    counts = {}
    for line in proc.stdout.splitlines():
        codes = CODE_TOKEN.findall(line)
        numbers = re.findall(r"(?<![\w.])\d+(?![\w.])", line)
        if codes and numbers:
            counts[codes[0]] = int(numbers[0])
    assert counts == {"ASYNC251": 2, "ASYNC210": 1}, proc.stdout


# --- stdin ---------------------------------------------------------------------------------------


def test_stdin_filename(loopsafe, project) -> None:
    root = project({"pyproject.toml": "[tool.loopsafe]\n"})
    diagnostics = loopsafe.diagnostics("--stdin-filename", "svc/app.py", cwd=root, stdin=SLEEPY_SOURCE)
    assert set(line_codes(diagnostics)) == {(SLEEPY_LINE, "ASYNC251")}
    assert diagnostics[0]["path"].endswith("app.py")
    assert not (root / "svc").exists()


def test_stdin_filename_drives_per_file_config(loopsafe, project) -> None:
    root = project({"pyproject.toml": '[tool.loopsafe]\nper-file-ignores = { "tests/*" = ["ASYNC251"] }\n'})
    assert loopsafe.diagnostics("--stdin-filename", "tests/test_app.py", cwd=root, stdin=SLEEPY_SOURCE) == []


# --- fixing ----------------------------------------------------------------------------------------


def test_diff_prints_fix_without_writing(loopsafe, project) -> None:
    root = project({"app.py": SLEEPY_SOURCE})
    proc = loopsafe.run("check", "--diff", "app.py", cwd=root)
    assert proc.returncode == 1
    out = proc.stdout
    assert re.search(r"^--- .*app\.py", out, re.MULTILINE) and re.search(r"^\+\+\+ .*app\.py", out, re.MULTILINE)
    assert re.search(r"^@@ ", out, re.MULTILINE), out
    assert "\n-    time.sleep(1)\n" in out and "\n+    await asyncio.sleep(1)\n" in out, out
    assert (root / "app.py").read_text() == SLEEPY_SOURCE


def test_diff_without_fixes_exits_zero(loopsafe, project) -> None:
    root = project({"app.py": CLEAN_SOURCE})
    proc = loopsafe.run("check", "--diff", "app.py", cwd=root)
    assert proc.returncode == 0
    assert "+++" not in proc.stdout


def test_fix_rewrites_file_and_keeps_mode(loopsafe, project) -> None:
    root = project({"app.py": SLEEPY_SOURCE})
    target = root / "app.py"
    target.chmod(0o640)
    proc = loopsafe.run("check", "--fix", "app.py", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "    await asyncio.sleep(1)\n" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftover_files(root) == [], "temporary files left behind"


@pytest.mark.parametrize("blocked", ["directory", "file"])
def test_fix_on_unwritable_target_fails_cleanly(loopsafe, shared_tmp, unprivileged, blocked) -> None:
    root = write_tree(shared_tmp / "svc", {"app.py": SLEEPY_SOURCE})
    target = root / "app.py"
    if blocked == "directory":
        target.chmod(0o644)
        root.chmod(0o555)
    else:
        target.chmod(0o444)
        root.chmod(0o777)
    proc = loopsafe.run("check", "--fix", "app.py", cwd=root, as_user=unprivileged)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "app.py" in proc.stderr
    assert target.read_text() == SLEEPY_SOURCE
    assert leftover_files(root) == [], "temporary files left behind"


# --- other commands ------------------------------------------------------------------------------


def test_rule_page(loopsafe) -> None:
    proc = loopsafe.run("rule", "ASYNC251")
    assert proc.returncode == 0
    assert "ASYNC251" in proc.stdout and "asyncio.sleep" in proc.stdout


def test_unknown_rule(loopsafe) -> None:
    proc = loopsafe.run("rule", "NOPE")
    assert proc.returncode == 2
    assert "NOPE" in proc.stderr


def test_version(loopsafe) -> None:
    proc = loopsafe.run("--version")
    assert proc.returncode == 0
    assert re.search(r"loopsafe\D*\d+\.\d+\.\d+", proc.stdout), proc.stdout


# --- discovery and configuration -----------------------------------------------------------------


def test_directory_walk_skips_ignored_locations(loopsafe, project) -> None:
    root = project(
        {
            "pyproject.toml": '[tool.loopsafe]\nexclude = ["generated/*"]\n',
            ".gitignore": "build_out/\nscratch_*.py\n",
            "app.py": SLEEPY_SOURCE,
            "pkg/service.py": SLEEPY_SOURCE,
            "pkg/deep/worker.py": SLEEPY_SOURCE,
            ".venv/lib/site.py": SLEEPY_SOURCE,
            "venv/lib/site.py": SLEEPY_SOURCE,
            "node_modules/tool/hook.py": SLEEPY_SOURCE,
            "__pycache__/app.py": SLEEPY_SOURCE,
            ".git/hooks/pre_commit.py": SLEEPY_SOURCE,
            "build_out/gen.py": SLEEPY_SOURCE,
            "scratch_notes.py": SLEEPY_SOURCE,
            "generated/models.py": SLEEPY_SOURCE,
            "README.md": "time.sleep(1)\n",
        }
    )
    diagnostics = loopsafe.diagnostics(".", cwd=root)
    assert relative_paths(diagnostics, root) == {"app.py", "pkg/service.py", "pkg/deep/worker.py"}


def test_skip_file_comment(loopsafe, project) -> None:
    source = "#!/usr/bin/env python3\n# loopsafe: skip-file\n" + SLEEPY_SOURCE
    root = project({"app.py": source, "other.py": SLEEPY_SOURCE})
    diagnostics = loopsafe.diagnostics("app.py", "other.py", cwd=root)
    assert relative_paths(diagnostics, root) == {"other.py"}


def test_per_file_ignores(loopsafe, project) -> None:
    root = project(
        {
            "pyproject.toml": '[tool.loopsafe]\nper-file-ignores = { "tests/*" = ["ASYNC251"] }\n',
            "tests/test_app.py": MULTI_SOURCE,
            "app.py": SLEEPY_SOURCE,
        }
    )
    diagnostics = loopsafe.diagnostics(".", cwd=root)
    by_file = {(Path(d["path"]).name, d["code"]) for d in diagnostics}
    assert by_file == {("app.py", "ASYNC251"), ("test_app.py", "ASYNC210")}


def test_nearest_pyproject_applies_per_file(loopsafe, project) -> None:
    root = project(
        {
            "pyproject.toml": '[tool.loopsafe]\nignore = ["ASYNC210"]\n',
            "app.py": MULTI_SOURCE,
            "legacy/pyproject.toml": '[tool.loopsafe]\nignore = ["ASYNC251"]\n',
            "legacy/old.py": MULTI_SOURCE,
        }
    )
    diagnostics = loopsafe.diagnostics("app.py", "legacy/old.py", cwd=root)
    by_file = {(Path(d["path"]).name, d["code"]) for d in diagnostics}
    assert by_file == {("app.py", "ASYNC251"), ("old.py", "ASYNC210")}


def test_severity_override(loopsafe, project) -> None:
    root = project(
        {
            "pyproject.toml": '[tool.loopsafe]\nseverity = { ASYNC251 = "error" }\n',
            "app.py": MULTI_SOURCE,
        }
    )
    severities = {(d["code"], d["severity"]) for d in loopsafe.diagnostics("app.py", cwd=root)}
    assert severities == {("ASYNC251", "error"), ("ASYNC210", "warning")}
