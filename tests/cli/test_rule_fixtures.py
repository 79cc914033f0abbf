"""Every rule fixture produces exactly the diagnostics its `# error:` comments declare."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RULE_FIXTURES_DIR, describe_mismatch, expected_line_codes, line_codes

RULE_FIXTURES = sorted(RULE_FIXTURES_DIR.rglob("*.py"))


def fixture_id(path: Path) -> str:
    return path.relative_to(RULE_FIXTURES_DIR).as_posix()


def test_fixture_directory_is_populated() -> None:
    assert RULE_FIXTURES, f"no rule fixtures found below {RULE_FIXTURES_DIR}"


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=fixture_id)
def test_rule_fixture(loopsafe, fixture: Path) -> None:
    expected = expected_line_codes(fixture)
    assert expected, f"{fixture_id(fixture)} declares no `# error:` expectations"

    # Run from the fixture's directory so that a sibling pyproject.toml applies.
    diagnostics = loopsafe.diagnostics(fixture.name, cwd=fixture.parent)

    for diag in diagnostics:
        assert (fixture.parent / diag["path"]).resolve() == fixture.resolve(), diag
        assert diag["message"].strip(), f"empty message: {diag}"

    mismatch = describe_mismatch(expected, line_codes(diagnostics))
    assert not mismatch, f"{fixture_id(fixture)}:\n{mismatch}"
