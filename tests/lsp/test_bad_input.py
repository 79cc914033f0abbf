"""Bad input: broken framing, broken JSON, huge and hostile messages, impossible positions, edits
the server cannot place. The server logs, answers what it can, and keeps serving."""

from __future__ import annotations

import json
import time

from conftest import CLEAN, SLEEPY
from lsp_client import encode, frame


def still_serving(client) -> None:
    response = client.request("textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}})
    assert response.get("result", "missing") is None, response


def test_malformed_json_is_a_parse_error_with_id_null(server):
    server.send_raw(frame(b'{"jsonrpc": "2.0", "id": 5, "method": '))
    error = server.wait_for(lambda m: "error" in m and m.get("id") is None)
    assert error["error"]["code"] == -32700
    still_serving(server)


def test_not_an_object_is_an_invalid_request(server):
    server.send_raw(frame(b"[1, 2, 3]"))
    assert server.wait_for(lambda m: "error" in m)["error"]["code"] == -32600
    server.send_raw(frame(b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}'))
    assert server.wait_for(lambda m: "error" in m and m["error"]["code"] == -32600, start=1)
    still_serving(server)


def test_missing_content_length_is_skipped(server):
    body = encode({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
    server.send_raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body + b"\r\n\r\n")
    still_serving(server)
    server.wait_for_log("Content-Length")
    assert all(m.get("id") != 99 for m in server.messages)


def test_content_type_header_is_tolerated(server):
    body = encode({"jsonrpc": "2.0", "id": 41, "method": "textDocument/hover",
                   "params": {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}}})
    server.send_raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    assert server.response(41)["result"] is None


def test_lf_only_headers_are_tolerated(server):
    body = encode({"jsonrpc": "2.0", "id": 42, "method": "textDocument/hover",
                   "params": {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}}})
    server.send_raw(b"content-length: %d\n\n" % len(body) + body)
    assert server.response(42)["result"] is None


def test_invalid_content_length_values_are_skipped(server):
    server.send_raw(b"Content-Length: abc\r\n\r\n")
    server.send_raw(b"Content-Length: -5\r\n\r\n")
    still_serving(server)
    server.wait_for_log("invalid Content-Length")


def test_garbage_between_messages_is_skipped(server):
    server.send_raw(b"\x00\xffhello, this is not a header\r\nnor this\n")
    still_serving(server)


def test_content_length_too_short_answers_parse_error_and_resyncs(server):
    body = encode({"jsonrpc": "2.0", "id": 7, "method": "shutdown"})
    server.send_raw(b"Content-Length: %d\r\n\r\n" % (len(body) - 5) + body)
    assert server.wait_for(lambda m: m.get("id") is None and "error" in m)["error"]["code"] == -32700
    still_serving(server)


def test_content_length_too_long_resyncs_on_the_next_header(server):
    body = encode({"jsonrpc": "2.0", "id": 8, "method": "textDocument/hover",
                   "params": {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}}})
    follow = frame(encode({"jsonrpc": "2.0", "id": 9, "method": "textDocument/hover",
                           "params": {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}}}))
    server.send_raw(b"Content-Length: %d\r\n\r\n" % (len(body) + 20) + body + follow)
    # Both are answered: the first body ends where the next header starts.
    assert server.response(8)["result"] is None
    assert server.response(9)["result"] is None


def test_header_without_body_then_a_message(server):
    server.send_raw(b"Content-Length: 120\r\n\r\n")
    still_serving(server)
    server.wait_for_log("no body")


def test_header_without_body_at_end_of_input(server):
    server.send_raw(b"Content-Length: 120\r\n\r\n")
    server.close_stdin()
    assert server.proc.wait(10) == 1


def test_truncated_body_at_end_of_input(server):
    server.send_raw(b'Content-Length: 500\r\n\r\n{"jsonrpc": "2.0"')
    server.close_stdin()
    assert server.proc.wait(10) == 1


def test_fifty_megabyte_message(server, doc_uri):
    text = SLEEPY + ("# " + "x" * 98 + "\n") * (50 * 1024 * 1024 // 100)
    server.open(doc_uri, text)
    [d] = server.diagnostics(doc_uri, 1, timeout=60)
    assert d["code"] == "loopsafe" and "not analysed" in d["message"]
    still_serving(server)
    # Shrinking it below the limit analyses it again.
    server.change(doc_uri, 2, [{"text": SLEEPY}])
    assert [d["code"] for d in server.diagnostics(doc_uri, 2)] == ["ASYNC251"]


def test_deeply_nested_json_is_rejected(server):
    nested = b"[" * 10000 + b"]" * 10000
    server.send_raw(frame(b'{"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": ' + nested + b"}"))
    error = server.wait_for(lambda m: "error" in m)
    assert error["error"]["code"] in (-32600, -32700)
    server.send_raw(frame(b"{" * 10000))
    still_serving(server)


def test_invalid_utf8_in_text_becomes_replacement_characters(server, doc_uri):
    text = 'import time\n\n\nasync def handler() -> None:\n    x = "@@BAD@@"; time.sleep(1)\n'
    message = {"jsonrpc": "2.0", "method": "textDocument/didOpen",
               "params": {"textDocument": {"uri": doc_uri, "languageId": "python", "version": 1, "text": text}}}
    raw = json.dumps(message).encode().replace(b"@@BAD@@", b"\xff\xfe")
    server.send_raw(frame(raw))
    [d] = server.diagnostics(doc_uri, 1)
    # Each invalid byte became one U+FFFD (one UTF-16 unit): `    x = "` + 2 + `"; `.
    assert d["range"]["start"] == {"line": 4, "character": 14}
    # A change with invalid bytes is not dropped either.
    change = {"jsonrpc": "2.0", "method": "textDocument/didChange",
              "params": {"textDocument": {"uri": doc_uri, "version": 2},
                         "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "@@X@@"}]}}
    server.send_raw(frame(json.dumps(change).encode().replace(b"@@X@@", b"# \xc3\\n")))
    [d] = server.diagnostics(doc_uri, 2)
    assert d["range"]["start"]["line"] == 5


def test_positions_outside_the_text_are_clamped(server, doc_uri):
    server.open(doc_uri, CLEAN)
    server.diagnostics(doc_uri, 1)
    # Past the end of a line, past the end of the file, negative: clamped, never a crash.
    server.change(doc_uri, 2, [{"range": {"start": {"line": 3, "character": 999}, "end": {"line": 3, "character": 5000}}, "text": "\n    import time; time.sleep(1)"}])
    [d] = server.diagnostics(doc_uri, 2)
    assert d["range"]["start"]["line"] == 4
    server.change(doc_uri, 3, [{"range": {"start": {"line": 10**9, "character": 0}, "end": {"line": 10**12, "character": 10**15}}, "text": "\n# end\n"}])
    assert len(server.diagnostics(doc_uri, 3)) == 1
    server.change(doc_uri, 4, [{"range": {"start": {"line": -3, "character": -1}, "end": {"line": 0, "character": -7}}, "text": "# start\n"}])
    [d] = server.diagnostics(doc_uri, 4)
    assert d["range"]["start"]["line"] == 5
    # An end before its start, fractional numbers.
    server.change(doc_uri, 5, [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 1, "character": 0}}, "text": ""},
                               {"range": {"start": {"line": 0.5, "character": 1.7}, "end": {"line": 0, "character": 1}}, "text": ""}])
    server.diagnostics(doc_uri, 5)
    for position in ({"line": -1, "character": -1}, {"line": 10**10, "character": 10**10}, {"line": 4, "character": 10**6}):
        assert "result" in server.request("textDocument/hover", {"textDocument": {"uri": doc_uri}, "position": position})
    big = {"start": {"line": -5, "character": 0}, "end": {"line": 10**9, "character": 0}}
    assert "result" in server.request("textDocument/codeAction", {"textDocument": {"uri": doc_uri}, "range": big, "context": {"diagnostics": []}})


def test_malformed_changes_are_ignored_whole(server, doc_uri):
    server.open(doc_uri, SLEEPY)
    server.diagnostics(doc_uri, 1)
    # The second change is malformed: neither is applied, the version is not taken.
    server.change(doc_uri, 2, [{"text": CLEAN}, {"range": {"start": {"line": "x"}}, "text": 5}])
    server.change(doc_uri, 3, [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "#\n"}])
    [d] = server.diagnostics(doc_uri, 3)
    assert d["range"]["start"]["line"] == 5


def test_change_to_a_document_that_was_never_opened(server, doc_uri):
    server.change(doc_uri, 2, [{"text": SLEEPY}])
    still_serving(server)
    assert server.notifications("textDocument/publishDiagnostics") == []
    server.wait_for_log("not open")


def test_out_of_order_versions_are_ignored(server, doc_uri):
    server.open(doc_uri, SLEEPY, version=5)
    server.diagnostics(doc_uri, 5)
    server.change(doc_uri, 4, [{"text": CLEAN}])  # older: ignored
    server.change(doc_uri, 5, [{"text": CLEAN}])  # same: ignored
    server.change(doc_uri, 6, [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "\n"}])
    [d] = server.diagnostics(doc_uri, 6)
    assert d["code"] == "ASYNC251" and d["range"]["start"]["line"] == 5


def test_flood_of_changes_is_coalesced(server, doc_uri):
    server.open(doc_uri, CLEAN)
    server.diagnostics(doc_uri, 1)
    line = len(CLEAN.splitlines())
    messages = []
    for version in range(2, 10002):
        messages.append(frame(encode({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": doc_uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "#"}]}})))
    messages.append(frame(encode({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": doc_uri, "version": 10002},
        "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "\nasync def g():\n    time.sleep(1)\n"}]}})))
    started = time.monotonic()
    server.send_raw(b"".join(messages))
    still_serving(server)
    assert time.monotonic() - started < 10
    diagnostics = server.diagnostics(doc_uri, 10002, timeout=30)
    assert [d["code"] for d in diagnostics] == ["ASYNC251"]
    assert diagnostics[0]["range"]["start"]["line"] == line + 2
    published = [p["version"] for p in server.notifications("textDocument/publishDiagnostics")]
    assert len(published) < 1000  # coalesced, not one analysis per change


def test_ten_thousand_nested_brackets_in_the_text(server, doc_uri):
    deep = "x = " + "[" * 10000 + "]" * 10000 + "\n"
    server.open(doc_uri, deep + SLEEPY)
    [d] = server.diagnostics(doc_uri, 1, timeout=30)
    # Past the brackets, the blocking call is still found on its own line.
    assert d["code"] == "ASYNC251" and d["range"]["start"]["line"] == 1 + SLEEPY.splitlines().index("    time.sleep(1)")
    # Never closed: everything after is inside the brackets, and the server survives it.
    server.change(doc_uri, 2, [{"text": "y = " + "(" * 10000 + "\n" + deep + SLEEPY}])
    assert isinstance(server.diagnostics(doc_uri, 2, timeout=30), list)
    still_serving(server)
