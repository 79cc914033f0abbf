"""Autofix results, `--unsafe-fixes` gating and `--add-noqa`.

A case is ``tests/fixtures/fixes/**/NAME.py`` with ``NAME.expected.py`` (the result of
``--fix --unsafe-fixes``) and optionally ``NAME.safe.expected.py`` (the result of ``--fix`` alone).
A ``pyproject.toml`` next to the input is copied along with it.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from conftest import FIX_FIXTURES_DIR, write_tree

EXPECTED_SUFFIX = ".expected.py"
SAFE_EXPECTED_SUFFIX = ".safe.expected.py"

FIX_INPUTS = sorted(p for p in FIX_FIXTURES_DIR.rglob("*.py") if not p.name.endswith(EXPECTED_SUFFIX))
SAFE_ONLY_INPUTS = [p for p in FIX_INPUTS if p.with_name(p.stem + SAFE_EXPECTED_SUFFIX).exists()]


def case_id(path: Path) -> str:
    return path.relative_to(FIX_FIXTURES_DIR).with_suffix("").as_posix()


def copy_case(source: Path, dest_dir: Path) -> Path:
    """Copy the input (and its project's pyproject.toml) into ``dest_dir``; return the copy."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    config = source.parent / "pyproject.toml"
    if config.exists():
        shutil.copy(config, dest_dir / config.name)
    return Path(shutil.copy(source, dest_dir / source.name))


def assert_parses(data: bytes, name: str) -> None:
    """The fixed file parses, and also compiles (which catches e.g. `await` left in a plain `def`)."""
    source = data.decode("utf-8-sig")
    try:
        ast.parse(source, filename=name)
        compile(source, name, "exec", dont_inherit=True)
    except SyntaxError as exc:  # pragma: no cover - failure path
        pytest.fail(f"fixed {name} is not valid Python: {exc}\n{data.decode('utf-8', 'replace')}")


def run_fix(loopsafe, case: Path, workdir: Path, *flags: str) -> bytes:
    copy = copy_case(case, workdir)
    proc = loopsafe.run("check", "--fix", *flags, "--exit-zero", copy.name, cwd=copy.parent)
    assert proc.returncode == 0, proc.stderr
    result = copy.read_bytes()
    assert_parses(result, case.name)
    return result


def test_fix_cases_exist() -> None:
    assert FIX_INPUTS and SAFE_ONLY_INPUTS, f"no fix fixtures found below {FIX_FIXTURES_DIR}"


@pytest.mark.parametrize("case", FIX_INPUTS, ids=case_id)
def test_unsafe_fixes(loopsafe, tmp_path: Path, case: Path) -> None:
    expected = case.with_name(case.stem + EXPECTED_SUFFIX).read_bytes()
    # Note for route_to_def: LS304's fix (`async def` -> `def`) resolves every blocking call in the
    # route at once, so it wins over wrapping the calls themselves (both together would not parse).
    assert run_fix(loopsafe, case, tmp_path, "--unsafe-fixes") == expected


@pytest.mark.parametrize("case", SAFE_ONLY_INPUTS, ids=case_id)
def test_safe_fixes_only_without_unsafe_flag(loopsafe, tmp_path: Path, case: Path) -> None:
    expected = case.with_name(case.stem + SAFE_EXPECTED_SUFFIX).read_bytes()
    assert run_fix(loopsafe, case, tmp_path) == expected


def test_unsafe_fix_is_not_applied_by_default(loopsafe, tmp_path: Path) -> None:
    case = FIX_FIXTURES_DIR / "wrap_requests.py"
    assert run_fix(loopsafe, case, tmp_path) == case.read_bytes()


def test_fix_reports_remaining_findings(loopsafe, tmp_path: Path) -> None:
    """After a safe-only fix the unsafe finding remains, so a plain `--fix` run exits 1."""
    copy = copy_case(FIX_FIXTURES_DIR / "mixed.py", tmp_path)
    proc = loopsafe.run("check", "--fix", copy.name, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "ASYNC210" in proc.stdout
    assert "ASYNC251" not in proc.stdout


ADD_NOQA_INPUT = """\
import time

import requests


async def handler(url: str) -> None:
    time.sleep(1)
    requests.get(url)  # noqa: ASYNC251
    with open(url) as f: f.read()
    requests.post(
        url,
    )
"""

ADD_NOQA_EXPECTED = """\
import time

import requests


async def handler(url: str) -> None:
    time.sleep(1)  # noqa: ASYNC251
    requests.get(url)  # noqa: ASYNC251, ASYNC210
    with open(url) as f: f.read()  # noqa: ASYNC230, ASYNC232
    requests.post(  # noqa: ASYNC210
        url,
    )
"""


def test_add_noqa(loopsafe, tmp_path: Path) -> None:
    # Existing codes keep their place and new ones are appended; new codes on one line are sorted.
    write_tree(tmp_path, {"handler.py": ADD_NOQA_INPUT})
    proc = loopsafe.run("check", "--add-noqa", "handler.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "handler.py").read_text(encoding="utf-8") == ADD_NOQA_EXPECTED

    recheck = loopsafe.run("check", "handler.py", cwd=tmp_path)
    assert recheck.returncode == 0, recheck.stdout + recheck.stderr


def test_add_noqa_is_idempotent(loopsafe, tmp_path: Path) -> None:
    write_tree(tmp_path, {"handler.py": ADD_NOQA_EXPECTED})
    proc = loopsafe.run("check", "--add-noqa", "handler.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "handler.py").read_text(encoding="utf-8") == ADD_NOQA_EXPECTED
