"""The pre-commit hook in .pre-commit-hooks.yaml, run by Debian's pre-commit the way a user's project
runs it: a local git repository holds the hook definition (so nothing is fetched), a second one uses it
from its .pre-commit-config.yaml, and `loopsafe` is found on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO_ROOT, SLEEPY_SOURCE, loopsafe_binary

CLEAN = "import asyncio\n\n\nasync def handler() -> None:\n    await asyncio.sleep(1)\n"


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout.strip()


@pytest.fixture
def env(tmp_path: Path, monkeypatch) -> dict:
    """git and pre-commit kept inside tmp_path, with the loopsafe under test on PATH as `loopsafe`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "loopsafe").symlink_to(loopsafe_binary())
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-cache"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "t")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "t@example.invalid")
    return dict(os.environ)


@pytest.fixture
def repo(tmp_path: Path, env: dict) -> Path:
    """A git repository whose .pre-commit-config.yaml uses the loopsafe hook."""
    assert shutil.which("pre-commit"), "pre-commit is not installed: scripts/setup installs Debian's pre-commit"
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    git(hooks, "init", "-q")
    shutil.copy(REPO_ROOT / ".pre-commit-hooks.yaml", hooks / ".pre-commit-hooks.yaml")
    git(hooks, "add", ".pre-commit-hooks.yaml")
    git(hooks, "commit", "-q", "-m", "hooks")
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q")
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {git(hooks, 'rev-parse', 'HEAD')}\n    hooks:\n      - id: loopsafe\n"
    )
    git(root, "add", ".pre-commit-config.yaml")
    return root


def use_args(root: Path, args: str) -> None:
    config = root / ".pre-commit-config.yaml"
    config.write_text(config.read_text() + f"        args: {args}\n")
    git(root, "add", ".pre-commit-config.yaml")


def pre_commit(root: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["pre-commit", "run"], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def stage(root: Path, files: dict) -> None:
    for name, text in files.items():
        (root / name).write_text(text)
    git(root, "add", *files)


def test_a_staged_blocking_call_fails_the_commit_with_loopsafes_report(repo, env):
    stage(repo, {"app.py": SLEEPY_SOURCE})
    run = pre_commit(repo, env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "loopsafe" in run.stdout and "Failed" in run.stdout, run.stdout
    assert "app.py:" in run.stdout and "ASYNC251" in run.stdout, run.stdout


def test_only_what_is_staged_is_checked(repo, env):
    stage(repo, {"app.py": CLEAN})
    # Unstaged edits and untracked files are not part of the commit: pre-commit hides them.
    (repo / "app.py").write_text(SLEEPY_SOURCE)
    (repo / "scratch.py").write_text(SLEEPY_SOURCE)
    run = pre_commit(repo, env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout, run.stdout
    assert (repo / "app.py").read_text() == SLEEPY_SOURCE, "the unstaged edit is restored"


def test_python_scripts_without_py_suffix_are_checked_and_other_files_are_not(repo, env):
    script = repo / "manage"
    stage(repo, {"manage": "#!/usr/bin/env python3\n" + SLEEPY_SOURCE, "notes.md": SLEEPY_SOURCE})
    script.chmod(0o755)
    git(repo, "add", "manage")
    run = pre_commit(repo, env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "manage:" in run.stdout and "ASYNC251" in run.stdout, run.stdout
    assert "notes.md" not in run.stdout, run.stdout


def test_no_staged_python_files_skips_the_hook(repo, env):
    stage(repo, {"notes.md": SLEEPY_SOURCE})
    run = pre_commit(repo, env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "(no files to check)Skipped" in run.stdout, run.stdout


def test_args_fix_rewrites_the_staged_file_and_fails_so_it_can_be_reviewed(repo, env):
    use_args(repo, "[--fix]")
    stage(repo, {"app.py": SLEEPY_SOURCE})
    run = pre_commit(repo, env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "files were modified by this hook" in run.stdout, run.stdout
    assert "await asyncio.sleep(1)" in (repo / "app.py").read_text()
    git(repo, "add", "app.py")
    again = pre_commit(repo, env)
    assert again.returncode == 0, again.stdout + again.stderr
