"""Fixtures for the language server tests: a client per test, killed (and checked for crashes) after."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Iterator, List

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lsp_client import LspClient  # noqa: E402

# Documents here are small: pieces of 64 bytes (instead of 2 KiB) give them several, so that every edit
# of every test goes through seams, joins and splits, and the server's self-check
# (LOOPSAFE_VERIFY_INCREMENTAL) compares the pieces with a fresh parse of the whole text.
os.environ.setdefault("LOOPSAFE_PIECE_BYTES", "64")

SLEEPY = "import time\n\n\nasync def handler() -> None:\n    time.sleep(1)\n"
CLEAN = "import asyncio\n\n\nasync def handler() -> None:\n    await asyncio.sleep(1)\n"


@pytest.fixture
def start_server() -> Iterator[Callable[..., LspClient]]:
    """Starts servers (several per test when needed); each is killed and checked for crashes at the end."""
    clients: List[LspClient] = []

    def start(**kwargs) -> LspClient:
        client = LspClient(**kwargs)
        clients.append(client)
        return client

    yield start
    for client in clients:
        client.kill()
        client.assert_no_crash()


@pytest.fixture
def server(start_server) -> LspClient:
    """A server initialized with the default capabilities (push diagnostics, UTF-16)."""
    client = start_server()
    client.initialize()
    return client


@pytest.fixture
def doc_uri(tmp_path: Path) -> str:
    """A file:// URI in an empty directory (no pyproject.toml above it matters: tmp has none)."""
    return (tmp_path / "app.py").as_uri()
