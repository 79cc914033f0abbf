"""Project-wide analysis from the command line: LS200 through sync helpers in other modules, LS302 for
coroutine functions of other modules, with the chain in the message and in `related`."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURES_DIR, describe_mismatch, expected_line_codes

PROJECTS_DIR = FIXTURES_DIR / "projects"
PROJECTS = sorted(p for p in PROJECTS_DIR.iterdir() if p.is_dir())


def expected_in(project: Path) -> Counter:
    expected: Counter = Counter()
    for path in sorted(project.rglob("*.py")):
        rel = path.relative_to(project).as_posix()
        for (line, code), count in expected_line_codes(path).items():
            expected[(rel, line, code)] += count
    return expected


def actual_in(diagnostics: list[dict]) -> Counter:
    return Counter((d["path"], d["line"], d["code"]) for d in diagnostics)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_project_fixture(loopsafe, project: Path) -> None:
    expected = expected_in(project)
    assert any(code == "LS200" for _, _, code in expected), f"{project.name} declares no LS200"
    diagnostics = loopsafe.diagnostics(".", cwd=project)
    mismatch = describe_mismatch(expected, actual_in(diagnostics))
    assert not mismatch, f"{project.name}:\n{mismatch}"


def find(diagnostics: list[dict], path: str, line: int, code: str = "LS200") -> dict:
    found = [d for d in diagnostics if d["path"] == path and d["line"] == line and d["code"] == code]
    assert len(found) == 1, diagnostics
    return found[0]


def test_chain_in_message_and_related_locations(loopsafe) -> None:
    project = PROJECTS_DIR / "service"
    diagnostics = loopsafe.diagnostics(".", cwd=project)
    d = find(diagnostics, "app/handlers.py", 12)
    assert d["message"].startswith(
        "`load_config()` blocks the event loop in async function `get_settings`: "
        "it calls `open()` (config.py:8) via `read_file()` (config.py:13)"
    ), d["message"]
    assert d["column"] == 16
    hops = [(r["path"], r["line"], r["column"]) for r in d["related"]]
    assert hops == [("app/config.py", 13, 23), ("app/config.py", 8, 10)], d["related"]
    assert "`read_file()` calls `open()`" in d["related"][1]["message"]
    assert any("asyncio.to_thread" in fix["title"] for fix in d["fixes"]), d["fixes"]


def test_checking_one_file_still_sees_the_helpers_of_its_project(loopsafe) -> None:
    project = PROJECTS_DIR / "service"
    diagnostics = loopsafe.diagnostics("app/handlers.py", cwd=project)
    assert {d["path"] for d in diagnostics} == {"app/handlers.py"}
    assert Counter(d["code"] for d in diagnostics)["LS200"] == 5


def test_stdin_text_replaces_the_file_on_disk(loopsafe) -> None:
    project = PROJECTS_DIR / "service"
    source = "from app.config import load_config, config_path\n\n\nasync def h():\n    config_path()\n    load_config()\n"
    diagnostics = loopsafe.diagnostics("--stdin-filename", "app/new_handler.py", cwd=project, stdin=source)
    assert [(d["line"], d["code"]) for d in diagnostics] == [(6, "LS200")]


def copy_project(tmp_path: Path, name: str = "service") -> Path:
    target = tmp_path / name
    shutil.copytree(PROJECTS_DIR / name, target)
    return target


def test_transitive_false_turns_ls200_off(loopsafe, tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    with open(project / "pyproject.toml", "a") as f:
        f.write("\n[tool.loopsafe]\ntransitive = false\n")
    codes = Counter(d["code"] for d in loopsafe.diagnostics(".", cwd=project))
    assert codes == Counter({"LS302": 2}), codes  # handlers.py and instances.py


def test_ignore_and_select(loopsafe) -> None:
    project = PROJECTS_DIR / "service"
    assert not [d for d in loopsafe.diagnostics("--ignore", "LS2", ".", cwd=project) if d["code"] == "LS200"]
    only = loopsafe.diagnostics("--select", "LS200", ".", cwd=project)
    assert only and {d["code"] for d in only} == {"LS200"}


def test_a_helper_that_stops_blocking_clears_its_callers(loopsafe, tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = project / "app" / "config.py"
    config.write_text(config.read_text().replace("    with open(path) as f:\n        return f.read()", "    return '{}'"))
    lines = {(d["path"], d["line"]) for d in loopsafe.diagnostics(".", cwd=project) if d["code"] == "LS200"}
    assert ("app/handlers.py", 12) not in lines and ("app/jobs/worker.py", 9) not in lines
    assert ("app/handlers.py", 27) in lines  # run_git still blocks


def test_deleted_module_is_no_longer_followed(loopsafe, tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "app" / "utils.py").unlink()
    lines = {(d["path"], d["line"]) for d in loopsafe.diagnostics(".", cwd=project) if d["code"] == "LS200"}
    assert ("app/handlers.py", 27) not in lines
    assert ("app/handlers.py", 12) in lines


def test_fix_offloads_the_helper_call(loopsafe, tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    proc = loopsafe.run("check", "--fix", "--unsafe-fixes", ".", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    handlers = (project / "app" / "handlers.py").read_text()
    assert "settings = await asyncio.to_thread(load_config)" in handlers
    assert 'await asyncio.to_thread(utils.run_git, "pull")' in handlers
    assert not [d for d in loopsafe.diagnostics(".", cwd=project) if d["code"] in ("LS200", "LS302")]
