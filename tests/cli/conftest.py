"""Shared fixtures and helpers for the loopsafe CLI test suites.

The binary comes from the ``LOOPSAFE_BIN`` environment variable, or ``build/loopsafe`` in the
repository root. Nothing is skipped: a missing binary fails every test with a clear message.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import textwrap
import tokenize
from collections import Counter
from pathlib import Path
from typing import Iterator, Mapping, Sequence, Union

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures"
RULE_FIXTURES_DIR = FIXTURES_DIR / "rules"
FIX_FIXTURES_DIR = FIXTURES_DIR / "fixes"

DEFAULT_TIMEOUT = 60
DIAGNOSTIC_KEYS = {
    "path",
    "line",
    "column",
    "endLine",
    "endColumn",
    "code",
    "severity",
    "message",
    "fixes",
    "related",
}
CRASH_MARKERS = ("terminate", "Segmentation", "Aborted", "core dumped")
NOBODY_UID = 65534

# `# error: ASYNC230, ASYNC232` anywhere inside a comment (it may share the comment with a noqa).
ERROR_MARKER = re.compile(r"#\s*error:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)")

# A minimal file with one ASYNC251 finding on line 5, used by many tests.
SLEEPY_SOURCE = "import time\n\n\nasync def handler() -> None:\n    time.sleep(1)\n"
SLEEPY_LINE = 5

FileContent = Union[str, bytes]


def loopsafe_binary() -> Path:
    """Where the binary under test lives (``LOOPSAFE_BIN`` or ``build/loopsafe``)."""
    configured = os.environ.get("LOOPSAFE_BIN")
    if configured:
        return Path(configured).resolve()
    return REPO_ROOT / "build" / "loopsafe"


class Loopsafe:
    """Runs the loopsafe binary and checks that it never dies from a signal."""

    def __init__(self, binary: Path) -> None:
        self.binary = binary

    def run(
        self,
        *args: object,
        cwd: Path | None = None,
        stdin: str | bytes | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        as_user: int | None = None,
    ) -> subprocess.CompletedProcess:
        """Run ``loopsafe ARGS``; stdout/stderr are decoded leniently as UTF-8."""
        extra = {} if as_user is None else {"user": as_user, "group": as_user, "extra_groups": []}
        proc = subprocess.run(
            [str(self.binary), *map(str, args)],
            cwd=cwd,
            input=stdin.encode() if isinstance(stdin, str) else stdin,
            capture_output=True,
            timeout=timeout,
            check=False,
            **extra,
        )
        result = subprocess.CompletedProcess(
            proc.args,
            proc.returncode,
            proc.stdout.decode("utf-8", errors="replace"),
            proc.stderr.decode("utf-8", errors="replace"),
        )
        assert result.returncode >= 0, (
            f"loopsafe was killed by signal {-result.returncode}: {result.args}\n{result.stderr}"
        )
        return result

    def check_report(
        self, *args: object, cwd: Path | None = None, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> dict:
        """``loopsafe check --format json --exit-zero ARGS`` -> the parsed, validated JSON report."""
        proc = self.run("check", "--format", "json", "--exit-zero", *args, cwd=cwd, stdin=stdin, timeout=timeout)
        assert proc.returncode == 0, f"--exit-zero run exited {proc.returncode}:\n{proc.stderr}"
        return parse_json_report(proc.stdout)

    def diagnostics(self, *args: object, **kwargs) -> list[dict]:
        return self.check_report(*args, **kwargs)["diagnostics"]


@pytest.fixture(scope="session")
def loopsafe() -> Loopsafe:
    binary = loopsafe_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(
            f"loopsafe binary not found or not executable at {binary}. Build it first "
            "(cmake -B build && cmake --build build) or point LOOPSAFE_BIN at it.",
            pytrace=False,
        )
    return Loopsafe(binary)


# --- reports -------------------------------------------------------------------------


def parse_json_report(stdout: str) -> dict:
    """Parse ``--format json`` output and check the envelope and every diagnostic's shape."""
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError as exc:  # pragma: no cover - failure path
        raise AssertionError(f"output is not JSON ({exc}):\n{stdout[:2000]}") from None
    assert report.get("version") == 1, f"unexpected report version: {report.get('version')!r}"
    assert isinstance(report.get("diagnostics"), list), "report has no diagnostics list"
    for diag in report["diagnostics"]:
        missing = DIAGNOSTIC_KEYS - diag.keys()
        assert not missing, f"diagnostic lacks {sorted(missing)}: {diag}"
        assert diag["line"] >= 1 and diag["column"] >= 1, f"positions are 1-based: {diag}"
        assert (diag["endLine"], diag["endColumn"]) >= (diag["line"], diag["column"]), diag
        assert isinstance(diag["fixes"], list) and isinstance(diag["related"], list), diag
    return report


def line_codes(diagnostics: Sequence[Mapping]) -> Counter:
    """Multiset of (line, code) pairs."""
    return Counter((d["line"], d["code"]) for d in diagnostics)


def codes_of(diagnostics: Sequence[Mapping]) -> Counter:
    return Counter(d["code"] for d in diagnostics)


def expected_line_codes(path: Path) -> Counter:
    """(line, code) pairs declared by ``# error: CODE[, CODE]`` comments, found with ``tokenize``."""
    expected: Counter = Counter()
    with path.open("rb") as fh:
        for tok in tokenize.tokenize(fh.readline):
            if tok.type != tokenize.COMMENT:
                continue
            match = ERROR_MARKER.search(tok.string)
            if match:
                for code in match["codes"].split(","):
                    expected[(tok.start[0], code.strip())] += 1
    return expected


def describe_mismatch(expected: Counter, actual: Counter) -> str:
    """Human readable list of missing and unexpected (line, code) pairs; empty if they agree."""
    missing = sorted((expected - actual).elements())
    extra = sorted((actual - expected).elements())
    parts = []
    if missing:
        parts.append("missing: " + ", ".join(f"line {line} {code}" for line, code in missing))
    if extra:
        parts.append("unexpected: " + ", ".join(f"line {line} {code}" for line, code in extra))
    return "\n".join(parts)


# --- files ----------------------------------------------------------------------------


def write_tree(root: Path, files: Mapping[str, FileContent]) -> Path:
    """Create ``files`` (relative path -> text or bytes) below ``root``; text is dedented."""
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content if isinstance(content, bytes) else textwrap.dedent(content).encode("utf-8")
        target.write_bytes(data)
    return root


@pytest.fixture
def project(tmp_path: Path):
    """Factory: ``project({"app.py": "...", "pyproject.toml": "..."})`` -> project root."""

    def make(files: Mapping[str, FileContent]) -> Path:
        return write_tree(tmp_path / "project", files)

    return make


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A world-traversable temporary directory, usable by the unprivileged user of ``unprivileged``."""
    root = Path(tempfile.mkdtemp(prefix="loopsafe-test-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        for path in [root, *root.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(stat.S_IRWXU)
        shutil.rmtree(root)


@pytest.fixture
def unprivileged() -> int | None:
    """uid to run loopsafe as so that file permissions apply (root ignores them), or None."""
    return NOBODY_UID if os.geteuid() == 0 else None


def assert_no_crash(proc: subprocess.CompletedProcess) -> None:
    """The run ended normally with exit code 0 or 1 and no crash report on stderr."""
    assert proc.returncode in (0, 1), f"exit code {proc.returncode}:\n{proc.stderr[-2000:]}"
    for marker in CRASH_MARKERS:
        assert marker not in proc.stderr, f"stderr mentions {marker!r}:\n{proc.stderr[-2000:]}"
