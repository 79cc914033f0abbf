"""Incremental sync under stress: statements typed and erased a character at a time, random spans
replaced by junk and restored, over text with CRLF, lone CR and non-ASCII. The server runs with
LOOPSAFE_VERIFY_INCREMENTAL=1, so every incremental reparse of valid code is compared with a fresh
parse (a difference aborts the server); at the end its diagnostics must equal those of a fresh open."""

from __future__ import annotations

import random

import pytest

from lsp_client import default_capabilities, to_position

BASE = (
    "import os\r\n"
    "import time\r\n"
    "import requests\n"
    "\n"
    "async def handler(url):\r"
    '    x = "é😀"; time.sleep(1)\n'
    "    return requests.get(url)\n"
    "\n"
    "def helper():\n"
    "    time.sleep(2)\n"
)
STATEMENTS = ["    time.sleep(3)", '    y = "ü𝄞"; os.listdir(".")', "    await handler(url)", "    pass", "    if x:\n        requests.get(x)"]
ENDINGS = ["\n", "\r\n", "\r"]
JUNK = ["\n", "\r\n", "\r", " ", "é", "😀", "(", ")", ":", "#", '"', "'''", "async def f(", "\\", "lambda"]


class Session:
    def __init__(self, client, uri, encoding):
        self.client, self.uri, self.encoding = client, uri, encoding
        self.text, self.version = BASE, 1
        client.open(uri, BASE)

    def replace(self, start: int, end: int, new: str) -> None:
        rng = {"start": to_position(self.text, start, self.encoding), "end": to_position(self.text, end, self.encoding)}
        self.version += 1
        self.client.change(self.uri, self.version, [{"range": rng, "text": new}])
        self.text = self.text[:start] + new + self.text[end:]

    def check(self) -> None:
        """A hover needs the current tree: it forces the verified incremental reparse now."""
        response = self.client.request("textDocument/hover", {"textDocument": {"uri": self.uri}, "position": {"line": 5, "character": 4}})
        assert "result" in response, response


def body_line_starts(text: str):
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n" or (c == "\r" and text[i + 1 : i + 2] != "\n")]
    return [s for s in starts if text.startswith("    ", s)]


def safe_index(rng: random.Random, text: str) -> int:
    """Any index that does not split a CRLF (a position inside one does not exist in LSP)."""
    while True:
        i = rng.randint(0, len(text))
        if not (0 < i < len(text) and text[i - 1] == "\r" and text[i] == "\n"):
            return i


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_match_a_fresh_parse(start_server, tmp_path, encoding, seed):
    rng = random.Random(seed)
    client = start_server()
    client.initialize(default_capabilities(general={"positionEncodings": [encoding]}))
    session = Session(client, (tmp_path / "edited.py").as_uri(), encoding)
    for _ in range(40):
        if rng.random() < 0.6:
            # Type a statement at the start of a body line, one character per change.
            at = rng.choice(body_line_starts(session.text))
            statement = rng.choice(STATEMENTS) + rng.choice(ENDINGS)
            for ch in statement:
                session.replace(at, at, ch)
                at += 1
                if rng.random() < 0.1:
                    session.check()
            session.check()
            if rng.random() < 0.5:  # and erase it again with backspace
                for _ in statement:
                    session.replace(at - 1, at, "")
                    at -= 1
                session.check()
        else:
            # Replace a span with junk, then restore it (undo).
            a = safe_index(rng, session.text)
            b = min(len(session.text), a + rng.randint(0, 12))
            if 0 < b < len(session.text) and session.text[b - 1] == "\r" and session.text[b] == "\n":
                b += 1
            old = session.text[a:b]
            junk = "".join(rng.choice(JUNK) for _ in range(rng.randint(0, 4)))
            session.replace(a, b, junk)
            session.check()
            session.replace(a, a + len(junk), old)
            session.check()
    final = client.diagnostics(session.uri, session.version, timeout=30)
    fresh_uri = (tmp_path / "fresh.py").as_uri()
    client.open(fresh_uri, session.text)
    fresh = client.diagnostics(fresh_uri, 1)
    strip = lambda ds: [(d["code"], d["range"], d["message"]) for d in ds]  # noqa: E731
    assert strip(final) == strip(fresh)
    assert len(final) >= 3
    assert client.shutdown_and_exit() == 0
