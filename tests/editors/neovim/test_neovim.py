"""Runs each Lua test file in a headless Neovim with the plugin on the runtimepath.

The server is ``LOOPSAFE_BIN`` (ctest sets it), else ``build/loopsafe``. A file passes when Neovim
exits 0 after printing "N passed, 0 failed" for every case the file registers; a failure prints the
file's whole output (one line per case, the failed assertion, the tail of the LSP log).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]
TEST_FILES = sorted(HERE.glob("test_*.lua"))
TIMEOUT = 180


def loopsafe_binary() -> Path:
    configured = os.environ.get("LOOPSAFE_BIN")
    return Path(configured).resolve() if configured else REPO_ROOT / "build" / "loopsafe"


def nvim_command(lua_file: Path) -> list:
    return [
        "nvim", "--headless", "-u", "NONE", "-i", "NONE", "-n",
        "--cmd", "set rtp+=editors/neovim",
        "--cmd", "filetype on",
        "-c", f"luafile {lua_file.relative_to(REPO_ROOT)}",
    ]


def test_the_lua_test_files_are_found():
    assert len(TEST_FILES) >= 5, TEST_FILES


@pytest.mark.parametrize("lua_file", TEST_FILES, ids=lambda p: p.stem)
def test_headless_neovim(lua_file: Path, tmp_path: Path):
    assert shutil.which("nvim"), "nvim is not installed: scripts/setup installs Debian's neovim"
    binary = loopsafe_binary()
    assert binary.exists(), f"loopsafe binary not found at {binary}: build it or set LOOPSAFE_BIN"
    cases = len(re.findall(r"^T\.test\(", lua_file.read_text(), flags=re.M))
    scratch = tmp_path / "projects"
    scratch.mkdir()
    env = dict(os.environ, LOOPSAFE_BIN=str(binary), LOOPSAFE_TEST_DIR=str(scratch))
    # Neovim's log, shada and swap files stay inside the test's directory.
    for xdg in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{xdg}_HOME"] = str(tmp_path / xdg.lower())
    try:
        run = subprocess.run(
            nvim_command(lua_file), cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
            capture_output=True, timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired as timeout:
        output = (timeout.stdout or b"").decode(errors="replace")
        pytest.fail(f"{lua_file.name} did not finish within {TIMEOUT} s; output so far:\n{output}")
    output = run.stdout.decode(errors="replace") + run.stderr.decode(errors="replace")
    print(output)
    assert run.returncode == 0, f"{lua_file.name} failed (exit {run.returncode}):\n{output}"
    assert re.search(rf"^{cases} passed, 0 failed$", output, flags=re.M), (
        f"{lua_file.name} registers {cases} cases but did not report them all passing:\n{output}"
    )
