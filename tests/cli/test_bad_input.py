"""Robustness: odd encodings, line endings, garbage, deep nesting, huge files, syntax errors.

loopsafe must never crash (exit code 0 or 1, no signal, no crash report) and must keep reporting
findings at the right positions around the damage.
"""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from conftest import assert_no_crash, parse_json_report, write_tree

SLEEP_FUNCTION = "async def handler() -> None:\n    time.sleep(1)\n"


def lint(loopsafe, directory: Path, name: str, timeout: float = 60) -> list:
    """Run a JSON check of ``directory/name``; assert a clean exit; return its diagnostics."""
    proc = loopsafe.run("check", "--format", "json", "--exit-zero", name, cwd=directory, timeout=timeout)
    assert_no_crash(proc)
    return parse_json_report(proc.stdout)["diagnostics"]


def sleep_positions(diagnostics: list) -> list:
    return sorted((d["line"], d["column"]) for d in diagnostics if d["code"] == "ASYNC251")


def python_call_lines(source: str) -> list:
    """Lines of `time.sleep(...)` calls as CPython numbers them (lone CR counts as a newline)."""
    tree = ast.parse(source)
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "time.sleep"
    )


# --- garbage in, no crash out ----------------------------------------------------------------


GARBAGE = {
    "empty": b"",
    "only-bom": b"\xef\xbb\xbf",
    "random-bytes": random.Random(20240601).randbytes(256 * 1024),
    "nul-bytes": b"import time\n\x00\x00\x00\nasync def f():\n    time.sleep(1)\x00\n",
    "unterminated-string": b'import time\n\nasync def f():\n    x = """never closed\n    time.sleep(1)\n',
    "lone-surrogate-escape": b"async def f():\n    s = '\\ud800'\n    return s\n",
    "one-megabyte-line": b"x = [" + b", ".join([b"1"] * 350_000) + b"]\n",
    "only-indentation": b"    \n\t\n        \n",
}


@pytest.mark.parametrize("content", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_does_not_crash(loopsafe, tmp_path: Path, content: bytes) -> None:
    write_tree(tmp_path, {"input.py": content})
    lint(loopsafe, tmp_path, "input.py")


def test_empty_file_has_no_findings(loopsafe, tmp_path: Path) -> None:
    write_tree(tmp_path, {"empty.py": b""})
    assert lint(loopsafe, tmp_path, "empty.py") == []


@pytest.mark.parametrize(
    "opener, closer",
    [("(", ")"), ("[", "]"), ("{", "}"), ("f(", ")")],
    ids=["parens", "lists", "sets", "calls"],
)
def test_deeply_nested_brackets(loopsafe, tmp_path: Path, opener: str, closer: str) -> None:
    depth = 10_000
    nested = "x = " + opener * depth + "1" + closer * depth + "\n"
    write_tree(tmp_path, {"deep.py": "import time\n\n\n" + SLEEP_FUNCTION + "\n\n" + nested})
    lint(loopsafe, tmp_path, "deep.py")


# --- encodings and line endings ----------------------------------------------------------------


def test_invalid_utf8_before_finding(loopsafe, tmp_path: Path) -> None:
    content = b"import time\n# caf\xe9 \xff\xfe not utf-8\n\n\n" + SLEEP_FUNCTION.encode()
    write_tree(tmp_path, {"latin.py": content})
    assert sleep_positions(lint(loopsafe, tmp_path, "latin.py")) == [(6, 5)]


@pytest.mark.parametrize(
    "newline",
    ["\r\n", "\r", "mixed"],
    ids=["crlf", "lone-cr", "mixed"],
)
def test_line_endings(loopsafe, tmp_path: Path, newline: str) -> None:
    lines = ["import time", "", "", "async def a() -> None:", "    time.sleep(1)", "", "", "async def b() -> None:"]
    lines += ["    x = 1", "    time.sleep(2)", ""]
    if newline == "mixed":
        endings = ["\n", "\r\n", "\r"]
        source = "".join(line + endings[i % 3] for i, line in enumerate(lines))
    else:
        source = newline.join(lines) + newline
    write_tree(tmp_path, {"endings.py": source.encode()})
    expected_lines = python_call_lines(source)
    assert len(expected_lines) == 2
    assert sleep_positions(lint(loopsafe, tmp_path, "endings.py")) == [(line, 5) for line in expected_lines]


def test_bom_does_not_shift_columns(loopsafe, tmp_path: Path) -> None:
    first = "async def f(): import time; time.sleep(1)"
    source = "\ufeff" + first + "\n\n" + "import time\n\n\n" + SLEEP_FUNCTION
    write_tree(tmp_path, {"bom.py": source.encode()})
    assert sleep_positions(lint(loopsafe, tmp_path, "bom.py")) == [(1, first.index("time.sleep") + 1), (7, 5)]


# --- damaged and huge files ----------------------------------------------------------------------


def test_syntax_error_in_the_middle(loopsafe, tmp_path: Path) -> None:
    source = (
        "import time\n"
        "\n\n"
        "async def before() -> None:\n"
        "    time.sleep(1)\n"
        "\n\n"
        "def broken(:\n"
        "    pass\n"
        "\n\n"
        "async def after() -> None:\n"
        "    time.sleep(2)\n"
    )
    write_tree(tmp_path, {"broken.py": source})
    assert sleep_positions(lint(loopsafe, tmp_path, "broken.py")) == [(5, 5), (13, 5)]


def test_fifty_megabyte_file(loopsafe, tmp_path: Path) -> None:
    target_size = 50 * 1024 * 1024
    template = (
        "async def handler_{i}(request):\n"
        "    # handler {i}: looks the item up and pretends to wait for a slow backend\n"
        '    payload = {{"id": {i}, "name": "item-{i}", "tags": ["a", "b", "c"]}}\n'
        "    time.sleep(0.001)\n"
        "    return payload\n"
        "\n\n"
    )
    path = tmp_path / "huge.py"
    count = 0
    size = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("import time\n\n\n")
        while size < target_size:
            chunk = "".join(template.format(i=i) for i in range(count, count + 1000))
            out.write(chunk)
            size += len(chunk)
            count += 1000
    assert path.stat().st_size >= target_size

    diagnostics = lint(loopsafe, tmp_path, "huge.py", timeout=300)
    sleeps = [d for d in diagnostics if d["code"] == "ASYNC251"]
    assert len(sleeps) == count
    assert len(diagnostics) == count
    lines = sorted(d["line"] for d in sleeps)
    # three header lines, then seven lines per function with the sleep on its fourth line
    assert lines == list(range(7, 7 + 7 * count, 7))
