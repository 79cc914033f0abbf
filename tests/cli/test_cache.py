"""The cache of per-file results: a second run reuses it, an edit invalidates exactly what it changes, a
damaged cache file is ignored and rewritten, and every run gives what `--no-cache` gives."""

from __future__ import annotations

import json
import os
import random
import shutil
import struct
from pathlib import Path

import pytest

from conftest import FIXTURES_DIR, assert_no_crash, write_tree

SERVICE = FIXTURES_DIR / "projects" / "service"
MAGIC = b"LSCACHE\n"


def copy_service(root: Path) -> Path:
    target = root / "service"
    shutil.copytree(SERVICE, target, ignore=shutil.ignore_patterns(".loopsafe_cache"))
    return target


def check(loopsafe, project: Path, *args: object, as_user: int | None = None) -> str:
    """The JSON report of the whole project, as printed."""
    proc = loopsafe.run("check", "--format", "json", "--exit-zero", *args, ".", cwd=project, as_user=as_user)
    assert_no_crash(proc)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    return proc.stdout


def found(report: str) -> set[tuple[str, int, str]]:
    return {(d["path"], d["line"], d["code"]) for d in json.loads(report)["diagnostics"]}


def cache_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("results-*.bin"))


def only_cache_file(directory: Path) -> Path:
    files = cache_files(directory)
    assert len(files) == 1, list(directory.iterdir()) if directory.exists() else directory
    return files[0]


def identity(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


@pytest.fixture
def service(tmp_path: Path) -> Path:
    return copy_service(tmp_path)


def test_second_run_reads_the_cache_and_agrees_with_no_cache(loopsafe, service: Path) -> None:
    first = check(loopsafe, service)
    directory = service / ".loopsafe_cache"
    assert (directory / ".gitignore").read_text().splitlines()[-1] == "*"
    cached = only_cache_file(directory)
    assert cached.read_bytes().startswith(MAGIC)
    before = identity(cached)
    second = check(loopsafe, service)
    assert second == first
    # Every entry was found: nothing new to store, so the file was not replaced.
    assert identity(cached) == before
    assert check(loopsafe, service, "--no-cache") == first
    text = loopsafe.run("check", ".", cwd=service)
    assert text.stdout == loopsafe.run("check", "--no-cache", ".", cwd=service).stdout
    assert text.returncode == 1


def test_editing_a_helper_updates_its_callers_in_other_modules(loopsafe, service: Path) -> None:
    before = check(loopsafe, service)
    assert ("app/handlers.py", 12, "LS200") in found(before)
    config = service / "app" / "config.py"
    blocking = "    with open(path) as f:\n        return f.read()"
    config.write_text(config.read_text().replace(blocking, "    return '{}'"))
    after = check(loopsafe, service)
    assert after == check(loopsafe, service, "--no-cache")
    assert ("app/handlers.py", 12, "LS200") not in found(after)
    # And back: the old content is a new key again, with its old findings.
    config.write_text((SERVICE / "app" / "config.py").read_text())
    assert check(loopsafe, service) == before


def test_editing_a_file_updates_its_own_findings(loopsafe, service: Path) -> None:
    check(loopsafe, service)
    utils = service / "app" / "utils.py"
    utils.write_text(utils.read_text() + "\n\nasync def nap():\n    import time\n    time.sleep(1)\n")
    after = check(loopsafe, service)
    assert "ASYNC251" in after
    assert after == check(loopsafe, service, "--no-cache")


def test_settings_are_part_of_the_key(loopsafe, service: Path) -> None:
    check(loopsafe, service)
    ignoring = check(loopsafe, service, "--ignore", "LS2")
    assert ignoring == check(loopsafe, service, "--no-cache", "--ignore", "LS2")
    with open(service / "pyproject.toml", "a") as f:
        f.write('\n[tool.loopsafe]\nper-file-ignores = { "app/handlers.py" = ["LS200"] }\n')
    after = check(loopsafe, service)
    assert after == check(loopsafe, service, "--no-cache")
    assert not [f for f in found(after) if f[0] == "app/handlers.py" and f[2] == "LS200"]
    assert [f for f in found(after) if f[2] == "LS200"]


def test_deleted_file_leaves_the_cache(loopsafe, service: Path) -> None:
    check(loopsafe, service)
    (service / "app" / "utils.py").unlink()
    after = check(loopsafe, service)
    assert after == check(loopsafe, service, "--no-cache")
    assert b"app/utils.py" not in only_cache_file(service / ".loopsafe_cache").read_bytes()


def truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def flip_payload_byte(data: bytes) -> bytes:
    data = bytearray(data)
    data[-10] ^= 0x40
    return bytes(data)


def other_format(data: bytes) -> bytes:
    (version,) = struct.unpack_from("<I", data, len(MAGIC))
    return data[: len(MAGIC)] + struct.pack("<I", version + 1) + data[len(MAGIC) + 4 :]


def other_build(data: bytes) -> bytes:
    # The build stamp is a length-prefixed string after the format number; its first byte is the version's.
    at = len(MAGIC) + 8
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


DAMAGE = {
    "random-bytes": lambda data: random.Random(7).randbytes(len(data)),
    "truncated": truncate,
    "header-only": lambda data: data[:20],
    "empty": lambda data: b"",
    "flipped-byte": flip_payload_byte,
    "other-format": other_format,
    "other-build": other_build,
    "magic-and-garbage": lambda data: MAGIC + b"\xff" * 64,
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_cache_file_is_ignored_and_rewritten(loopsafe, service: Path, damage) -> None:
    expected = check(loopsafe, service)
    cached = only_cache_file(service / ".loopsafe_cache")
    good = cached.read_bytes()
    cached.write_bytes(damage(good))
    assert check(loopsafe, service) == expected
    rewritten = cached.read_bytes()
    assert rewritten.startswith(MAGIC) and len(rewritten) == len(good)
    # The rewritten file is whole again: the next run finds everything in it.
    before = identity(cached)
    assert check(loopsafe, service) == expected
    assert identity(cached) == before


def test_directory_in_place_of_the_cache_file(loopsafe, service: Path) -> None:
    expected = check(loopsafe, service)
    cached = only_cache_file(service / ".loopsafe_cache")
    cached.unlink()
    (cached / "inside").mkdir(parents=True)
    assert check(loopsafe, service) == expected
    assert cached.is_file() and cached.read_bytes().startswith(MAGIC)


def test_file_in_place_of_the_cache_directory(loopsafe, service: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (service / ".loopsafe_cache").write_text("not a directory")
    assert check(loopsafe, service) == check(loopsafe, service, "--no-cache")
    assert (service / ".loopsafe_cache").read_text() == "not a directory"
    assert cache_files(next((tmp_path / "xdg" / "loopsafe").iterdir()))


def test_cache_dir_setting_and_option(loopsafe, service: Path, tmp_path: Path) -> None:
    with open(service / "pyproject.toml", "a") as f:
        f.write('\n[tool.loopsafe]\ncache-dir = "build/lint-cache"\n')
    expected = check(loopsafe, service, "--no-cache")
    assert check(loopsafe, service) == expected
    directory = service / "build" / "lint-cache"
    only_cache_file(directory)
    assert (directory / ".gitignore").is_file()
    assert not (service / ".loopsafe_cache").exists()
    elsewhere = tmp_path / "elsewhere"
    assert check(loopsafe, service, "--cache-dir", elsewhere) == expected
    only_cache_file(elsewhere)
    assert check(loopsafe, service, "--cache-dir", elsewhere) == expected


def test_unwritable_project_falls_back_to_the_user_cache(
    loopsafe, shared_tmp: Path, unprivileged, monkeypatch
) -> None:
    project = copy_service(shared_tmp)
    xdg = shared_tmp / "xdg"
    xdg.mkdir(mode=0o777)
    xdg.chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    for path in [project, *project.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    first = check(loopsafe, project, as_user=unprivileged)
    assert not (project / ".loopsafe_cache").exists()
    [directory] = list((xdg / "loopsafe").iterdir())
    assert len(directory.name) == 16
    cached = only_cache_file(directory)
    assert (directory / ".gitignore").is_file()
    before = identity(cached)
    assert check(loopsafe, project, as_user=unprivileged) == first
    assert identity(cached) == before
    assert check(loopsafe, project, "--no-cache", as_user=unprivileged) == first


def test_no_cache_writes_nothing(loopsafe, service: Path, tmp_path: Path, monkeypatch) -> None:
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    check(loopsafe, service, "--no-cache")
    assert not (service / ".loopsafe_cache").exists()
    assert not xdg.exists()


def test_fix_and_diff_do_not_store_rewritten_text(loopsafe, service: Path) -> None:
    check(loopsafe, service)
    cached = only_cache_file(service / ".loopsafe_cache")
    before = identity(cached)
    proc = loopsafe.run("check", "--diff", "--unsafe-fixes", ".", cwd=service)
    assert_no_crash(proc)
    assert "+++" in proc.stdout
    assert identity(cached) == before  # nothing on disk changed, so neither did the cache
    proc = loopsafe.run("check", "--fix", "--unsafe-fixes", ".", cwd=service)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = check(loopsafe, service)
    assert after == check(loopsafe, service, "--no-cache")
    assert "LS200" not in after


def test_stdin_reads_the_cache_for_other_files_and_stores_nothing(loopsafe, service: Path) -> None:
    expected = check(loopsafe, service)
    cached = only_cache_file(service / ".loopsafe_cache")
    before = identity(cached)
    source = "from app.config import load_config\n\n\nasync def h():\n    load_config()\n"
    proc = loopsafe.run(
        "check", "--format", "json", "--exit-zero", "--stdin-filename", "app/handlers.py",
        cwd=service,
        stdin=source,
    )
    assert_no_crash(proc)
    assert '"LS200"' in proc.stdout
    assert identity(cached) == before
    assert check(loopsafe, service) == expected


def test_projects_are_cached_separately(loopsafe, tmp_path: Path) -> None:
    one = write_tree(tmp_path / "one", {"app.py": "import time\n\nasync def f():\n    time.sleep(1)\n"})
    two = write_tree(tmp_path / "two", {"app.py": "async def f():\n    pass\n"})
    shared = tmp_path / "shared"
    for root in (one, two):
        with open(root / "pyproject.toml", "w") as f:
            f.write(f'[tool.loopsafe]\ncache-dir = "{shared}"\n')
    assert "ASYNC251" in check(loopsafe, one)
    assert "ASYNC251" not in check(loopsafe, two)
    assert len(cache_files(shared)) == 2
    assert "ASYNC251" in check(loopsafe, one)
    assert "ASYNC251" not in check(loopsafe, two)
    assert os.listdir(shared).count(".gitignore") == 1
