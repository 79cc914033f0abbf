"""A small JSON-RPC client that drives ``loopsafe server`` over its stdin and stdout.

A reader thread collects every message the server sends; tests send requests and notifications and
wait for the messages they expect. Requests from the server (``workspace/configuration``,
``client/registerCapability``, ...) are answered automatically.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TIMEOUT = 15.0
CRASH_MARKERS = ("terminate called", "Segmentation", "Aborted", "core dumped", "[critical]")

Message = Dict[str, Any]


def loopsafe_binary() -> Path:
    configured = os.environ.get("LOOPSAFE_BIN")
    return Path(configured).resolve() if configured else REPO_ROOT / "build" / "loopsafe"


def frame(body: bytes) -> bytes:
    return b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


def encode(message: Message) -> bytes:
    return json.dumps(message, ensure_ascii=False).encode("utf-8")


class LspError(AssertionError):
    pass


class LspClient:
    def __init__(self, env: Optional[Dict[str, str]] = None, cwd: Optional[Path] = None):
        binary = loopsafe_binary()
        if not binary.exists():
            raise LspError(f"loopsafe binary not found at {binary}: build it or set LOOPSAFE_BIN")
        full_env = dict(os.environ)
        full_env.setdefault("LOOPSAFE_VERIFY_INCREMENTAL", "1")
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [str(binary), "server", "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=full_env,
            cwd=cwd,
        )
        self.messages: List[Message] = []
        self.stderr = bytearray()
        self.closed = False
        self.killed = False
        self.encoding = "utf-16"
        # What the client answers to workspace/configuration (section "loopsafe"): a value, or a
        # function of the requested item.
        self.configuration: Any = None
        self.server_requests: List[Message] = []
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    # --- transport ----------------------------------------------------------------------------

    def _read_stdout(self) -> None:
        stream = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = stream.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length is None:
                    raise LspError("server sent a message without Content-Length")
                message = json.loads(stream.read(length).decode("utf-8"))
                if "method" in message and "id" in message:
                    self._answer_server_request(message)
                with self._cond:
                    self.messages.append(message)
                    self._cond.notify_all()
        finally:
            with self._cond:
                self.closed = True
                self._cond.notify_all()

    def _read_stderr(self) -> None:
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            with self._cond:
                self.stderr.extend(chunk)
                self._cond.notify_all()

    def _answer_server_request(self, message: Message) -> None:
        self.server_requests.append(message)
        result: Any = None
        if message["method"] == "workspace/configuration":
            # A callable answers per item (each may carry a workspace folder's `scopeUri`).
            answer = self.configuration if callable(self.configuration) else (lambda item: self.configuration)
            result = [answer(item) for item in message["params"]["items"]]
        self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def send_raw(self, data: bytes) -> None:
        with self._write_lock:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def send(self, message: Message) -> None:
        self.send_raw(frame(encode(message)))

    def close_stdin(self) -> None:
        self.proc.stdin.close()

    # --- JSON-RPC -----------------------------------------------------------------------------

    def notify(self, method: str, params: Any = None) -> None:
        message: Message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def send_request(self, method: str, params: Any = None) -> int:
        request_id = next(self._ids)
        message: Message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return request_id

    def response(self, request_id: Any, timeout: float = DEFAULT_TIMEOUT) -> Message:
        return self.wait_for(
            lambda m: m.get("id") == request_id and "method" not in m, timeout, f"response to request {request_id!r}"
        )

    def request(self, method: str, params: Any = None, timeout: float = DEFAULT_TIMEOUT) -> Message:
        """Sends a request and returns the whole response message (with `result` or `error`)."""
        return self.response(self.send_request(method, params), timeout)

    def result(self, method: str, params: Any = None, timeout: float = DEFAULT_TIMEOUT) -> Any:
        response = self.request(method, params, timeout)
        if "error" in response:
            raise LspError(f"{method} failed: {response['error']}")
        return response["result"]

    def _wait_until(self, found: Callable[[], Any], timeout: float, what: str, until_closed: bool) -> Any:
        """Waits for `found()` (called under the lock) to return something other than None."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = found()
                if result is not None:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (until_closed and self.closed):
                    raise LspError(f"no {what} within {timeout}s; stderr:\n{self.stderr_text()[-3000:]}")
                self._cond.wait(remaining)

    def wait_for(
        self, predicate: Callable[[Message], bool], timeout: float = DEFAULT_TIMEOUT, what: str = "message", start: int = 0
    ) -> Message:
        seen = start

        def first_match() -> Optional[Message]:
            nonlocal seen
            for message in self.messages[seen:]:
                if predicate(message):
                    return message
            seen = len(self.messages)
            return None

        return self._wait_until(first_match, timeout, what, until_closed=True)

    def forget(self) -> None:
        """Drops the messages received so far (a long benchmark would otherwise keep every one of them)."""
        with self._cond:
            self.messages.clear()

    def mark(self) -> int:
        """Index of the next message to arrive: wait_for(..., start=mark) only looks at newer ones."""
        with self._cond:
            return len(self.messages)

    def notifications(self, method: str) -> List[Message]:
        with self._cond:
            return [m["params"] for m in self.messages if m.get("method") == method and "id" not in m]

    def stderr_text(self) -> str:
        with self._cond:
            return self.stderr.decode("utf-8", "replace")

    def wait_for_log(self, needle: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        """The server's stderr once it holds `needle`: logs arrive on their own pipe, after or before replies."""

        def log_with_needle() -> Optional[str]:
            text = self.stderr.decode("utf-8", "replace")
            return text if needle in text else None

        return self._wait_until(log_with_needle, timeout, f"log line with {needle!r}", until_closed=False)

    # --- LSP ----------------------------------------------------------------------------------

    def initialize(
        self,
        capabilities: Optional[Message] = None,
        initialization_options: Any = None,
        root: Optional[Path] = None,
        folders: Optional[List[Path]] = None,
    ) -> Message:
        params: Message = {"processId": os.getpid(), "capabilities": capabilities if capabilities is not None else default_capabilities()}
        if initialization_options is not None:
            params["initializationOptions"] = initialization_options
        if root is not None:
            params["rootUri"] = root.as_uri()
        if folders is not None:
            params["workspaceFolders"] = [{"uri": f.as_uri(), "name": f.name} for f in folders]
        result = self.result("initialize", params)
        self.encoding = result["capabilities"].get("positionEncoding", "utf-16")
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1) -> None:
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": version, "text": text}}
        )

    def change(self, uri: str, version: int, changes: List[Message]) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes})

    def diagnostics(self, uri: str, version: Optional[int] = None, timeout: float = DEFAULT_TIMEOUT, start: int = 0) -> List[Message]:
        """The diagnostics of the next publishDiagnostics for `uri` (and `version`, when given)."""

        def matches(m: Message) -> bool:
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m["params"]
            return p["uri"] == uri and (version is None or p.get("version") == version)

        return self.wait_for(matches, timeout, f"diagnostics for {uri} v{version}", start)["params"]["diagnostics"]

    def shutdown_and_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        response = self.request("shutdown")
        assert response.get("result", "missing") is None, response
        self.notify("exit")
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.killed = True
            self.proc.kill()
            self.proc.wait(10)

    def assert_no_crash(self) -> None:
        text = self.stderr_text()
        for marker in CRASH_MARKERS:
            assert marker not in text, f"server crashed ({marker}):\n{text[-3000:]}"
        code = self.proc.poll()
        assert self.killed or code is None or code in (0, 1), f"server exited with {code}:\n{text[-3000:]}"


def default_capabilities(**overrides: Any) -> Message:
    """What a typical editor declares: push diagnostics with related information, documentChanges,
    Markdown hover, code action literals. Pull diagnostics and configuration are off by default."""
    capabilities: Message = {
        "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {
            "synchronization": {"didSave": True, "dynamicRegistration": False},
            "publishDiagnostics": {"relatedInformation": True, "versionSupport": True, "dataSupport": True},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "codeAction": {
                "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source", "source.fixAll"]}},
                "isPreferredSupport": True,
                "dataSupport": True,
            },
        },
        "workspace": {"workspaceEdit": {"documentChanges": True}},
    }
    for path, value in overrides.items():
        keys = path.split("__")
        target = capabilities
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
    return capabilities


# --- positions and edits, as an editor computes them --------------------------------------------


def split_lines(text: str) -> List[str]:
    """Lines with their terminators; a line ends at \\n, \\r\\n or a lone \\r (as LSP counts them)."""
    lines, start, i = [], 0, 0
    while i < len(text):
        if text[i] == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            lines.append(text[start : i + 2])
            i += 2
            start = i
        elif text[i] in "\r\n":
            lines.append(text[start : i + 1])
            i += 1
            start = i
        else:
            i += 1
    lines.append(text[start:])
    return lines


def units(ch: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(ch.encode("utf-8"))
    return 2 if ord(ch) > 0xFFFF else 1


def to_index(text: str, position: Message, encoding: str) -> int:
    """A string index for an LSP position in `encoding` (past the line end: the line end)."""
    lines = split_lines(text)
    line = position["line"]
    if line >= len(lines):
        return len(text)
    index = sum(len(l) for l in lines[:line])
    content = lines[line].rstrip("\r\n")
    column = 0
    for ch in content:
        if column >= position["character"]:
            break
        column += units(ch, encoding)
        index += 1
    return index


def to_position(text: str, index: int, encoding: str) -> Message:
    before = text[:index]
    lines = split_lines(before)
    return {"line": len(lines) - 1, "character": sum(units(ch, encoding) for ch in lines[-1])}


def find_range(text: str, needle: str, encoding: str, occurrence: int = 0) -> Message:
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return {"start": to_position(text, index, encoding), "end": to_position(text, index + len(needle), encoding)}


def apply_text_edits(text: str, edits: List[Message], encoding: str) -> str:
    """Applies LSP TextEdits (all relative to `text`), the way an editor does."""
    spans = [
        (to_index(text, e["range"]["start"], encoding), to_index(text, e["range"]["end"], encoding), n, e["newText"])
        for n, e in enumerate(edits)
    ]
    spans.sort(key=lambda s: (s[0], s[2]))
    for a, b in zip(spans, spans[1:]):
        assert a[1] <= b[0], f"overlapping edits: {a} and {b}"
    for start, end, _, new_text in reversed(spans):
        text = text[:start] + new_text + text[end:]
    return text


def edits_for(workspace_edit: Message, uri: str) -> List[Message]:
    if "documentChanges" in workspace_edit:
        return [e for change in workspace_edit["documentChanges"] if change["textDocument"]["uri"] == uri for e in change["edits"]]
    return workspace_edit.get("changes", {}).get(uri, [])


def apply_workspace_edit(text: str, workspace_edit: Message, uri: str, encoding: str) -> str:
    return apply_text_edits(text, edits_for(workspace_edit, uri), encoding)
