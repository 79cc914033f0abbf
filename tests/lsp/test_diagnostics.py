"""Diagnostics: pushed with the document's version, in the negotiated position encoding, following
incremental edits; pulled with result ids; cleared on close."""

from __future__ import annotations

from conftest import CLEAN, SLEEPY
from lsp_client import default_capabilities, find_range, to_position

NON_ASCII = 'import time\n\n\nasync def handler() -> None:\n    x = "é😀"; time.sleep(1)\n'


def test_open_publishes_a_diagnostic_with_version(server, doc_uri):
    server.open(doc_uri, SLEEPY, version=7)
    [d] = server.diagnostics(doc_uri, 7)
    assert d["range"] == {"start": {"line": 4, "character": 4}, "end": {"line": 4, "character": 14}}
    assert d["severity"] == 2
    assert d["code"] == "ASYNC251"
    assert d["source"] == "loopsafe"
    assert "time.sleep()" in d["message"]
    assert d["data"] == {"uri": doc_uri, "version": 7, "code": "ASYNC251", "start": SLEEPY.index("time.sleep")}
    assert "codeDescription" not in d  # no docsUrl setting


def test_clean_file_publishes_no_diagnostics(server, doc_uri):
    server.open(doc_uri, CLEAN)
    assert server.diagnostics(doc_uri, 1) == []


def test_utf16_columns_count_surrogate_pairs(server, doc_uri):
    assert server.encoding == "utf-16"
    server.open(doc_uri, NON_ASCII)
    [d] = server.diagnostics(doc_uri, 1)
    # `    x = "` is 9 units, é is 1, 😀 is 2, then `"; ` is 3.
    assert d["range"]["start"] == {"line": 4, "character": 15}
    assert d["range"]["end"] == {"line": 4, "character": 25}


def test_utf8_columns_count_bytes_when_the_client_offers_them(start_server, doc_uri):
    client = start_server()
    result = client.initialize(default_capabilities(general={"positionEncodings": ["utf-32", "utf-8", "utf-16"]}))
    assert result["capabilities"]["positionEncoding"] == "utf-8"
    client.open(doc_uri, NON_ASCII)
    [d] = client.diagnostics(doc_uri, 1)
    # é is 2 bytes and 😀 4.
    assert d["range"]["start"] == {"line": 4, "character": 18}
    assert d["range"]["end"] == {"line": 4, "character": 28}


def test_utf16_is_used_when_utf8_is_not_offered(start_server, doc_uri):
    client = start_server()
    result = client.initialize(default_capabilities(general={"positionEncodings": ["utf-32"]}))
    assert result["capabilities"]["positionEncoding"] == "utf-16"


def test_incremental_edits_add_then_remove_a_finding(server, doc_uri):
    server.open(doc_uri, CLEAN, version=1)
    assert server.diagnostics(doc_uri, 1) == []
    # Insert a blocking call after the await (UTF-16 positions of the current text).
    text = CLEAN
    end = to_position(text, len(text), "utf-16")
    server.change(doc_uri, 2, [{"range": {"start": end, "end": end}, "text": "    import time; time.sleep(2)\n"}])
    [d] = server.diagnostics(doc_uri, 2)
    assert d["code"] == "ASYNC251"
    assert d["range"]["start"] == {"line": 5, "character": 17}
    # Remove it again, with a range that spans the inserted line.
    server.change(
        doc_uri, 3, [{"range": {"start": {"line": 5, "character": 0}, "end": {"line": 6, "character": 0}}, "text": ""}]
    )
    assert server.diagnostics(doc_uri, 3) == []


def test_several_changes_in_one_notification_apply_in_order(server, doc_uri):
    server.open(doc_uri, CLEAN, version=1)
    server.diagnostics(doc_uri, 1)
    changes = [
        # await asyncio.sleep(1) -> asyncio.sleep(1) (drops the await: LS302-like finding or clean)
        {"range": find_range(CLEAN, "await asyncio.sleep(1)", "utf-16"), "text": "pass"},
        {"range": {"start": {"line": 4, "character": 4}, "end": {"line": 4, "character": 8}}, "text": "import time; time.sleep(1)"},
    ]
    server.change(doc_uri, 2, changes)
    [d] = server.diagnostics(doc_uri, 2)
    assert d["code"] == "ASYNC251"
    assert d["range"]["start"] == {"line": 4, "character": 17}


def test_full_text_change_replaces_the_document(server, doc_uri):
    server.open(doc_uri, CLEAN)
    server.diagnostics(doc_uri, 1)
    server.change(doc_uri, 2, [{"text": SLEEPY}])
    assert [d["code"] for d in server.diagnostics(doc_uri, 2)] == ["ASYNC251"]


def test_close_clears_diagnostics(server, doc_uri):
    server.open(doc_uri, SLEEPY)
    assert server.diagnostics(doc_uri, 1)
    mark = server.mark()
    server.notify("textDocument/didClose", {"textDocument": {"uri": doc_uri}})
    assert server.diagnostics(doc_uri, start=mark) == []


def test_related_information_and_severity_follow_settings(start_server, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.loopsafe]\nseverity = { ASYNC251 = "error" }\n')
    uri = (tmp_path / "app.py").as_uri()
    client = start_server()
    client.initialize(initialization_options={"docsUrl": "https://docs.example/rules/{code}.html"})
    client.open(uri, SLEEPY)
    [d] = client.diagnostics(uri, 1)
    assert d["severity"] == 1
    assert d["codeDescription"] == {"href": "https://docs.example/rules/ASYNC251.html"}


def test_untitled_documents_are_analysed(server):
    server.open("untitled:Untitled-1", SLEEPY)
    assert [d["code"] for d in server.diagnostics("untitled:Untitled-1", 1)] == ["ASYNC251"]


def test_names_and_uris_come_back_exactly_as_sent(server):
    # Diagnostics are written as JSON text directly: quotes, backslashes, control and non-ASCII
    # characters must round-trip.
    uri = 'untitled:Un"titled\\1\té'
    text = "import time\n\n\nasync def обработчик() -> None:\n    time.sleep(1)\n"
    server.open(uri, text)
    [d] = server.diagnostics(uri, 1)
    assert "`обработчик`" in d["message"]
    assert d["data"]["uri"] == uri
    assert d["range"]["start"] == {"line": 4, "character": 4}


def test_skip_file_comment_gives_no_diagnostics(server, doc_uri):
    server.open(doc_uri, "# loopsafe: skip-file\n" + SLEEPY)
    assert server.diagnostics(doc_uri, 1) == []


def padded(size: int) -> str:
    """SLEEPY followed by a comment line, `size` bytes in all."""
    return SLEEPY + "#" * (size - len(SLEEPY) - 1) + "\n"


def test_size_limit_at_its_boundary(start_server, doc_uri):
    client = start_server()
    client.initialize(initialization_options={"maxFileSizeMb": 1})
    limit = 1024 * 1024
    client.open(doc_uri, padded(limit))  # exactly at the limit: analysed
    assert [d["code"] for d in client.diagnostics(doc_uri, 1)] == ["ASYNC251"]
    end = {"line": 5, "character": 0}
    client.change(doc_uri, 2, [{"range": {"start": end, "end": end}, "text": "#"}])  # one byte over
    [d] = client.diagnostics(doc_uri, 2)
    assert d["code"] == "loopsafe"
    assert d["range"]["start"] == {"line": 0, "character": 0}
    assert f"{limit + 1} bytes" in d["message"] and "maxFileSizeMb" in d["message"]
    assert "not analysed" in d["message"]
    client.change(doc_uri, 3, [{"range": {"start": end, "end": {"line": 5, "character": 1}}, "text": ""}])
    assert [d["code"] for d in client.diagnostics(doc_uri, 3)] == ["ASYNC251"]  # and back under it


def test_a_parse_over_the_time_limit_is_given_up(start_server, doc_uri):
    client = start_server()
    client.initialize(initialization_options={"parseTimeoutMs": 1})
    # Some 3 MB of nested calls: far more than a millisecond of parsing.
    text = SLEEPY + "x = " + "f(" * 20000 + ")" * 20000 + "\n" + "y = [1, 2, 3]\n" * 200000
    client.open(doc_uri, text)
    [d] = client.diagnostics(doc_uri, 1, timeout=30)
    assert d["code"] == "loopsafe"
    assert "parseTimeoutMs" in d["message"] and "not analysed" in d["message"]
    # The server still answers, and analyses the file once the limit allows it.
    assert client.result("textDocument/hover", {"textDocument": {"uri": doc_uri}, "position": {"line": 4, "character": 4}}) is None
    mark = client.mark()
    client.notify("workspace/didChangeConfiguration", {"settings": {"loopsafe": {"parseTimeoutMs": 600000}}})
    assert [d["code"] for d in client.diagnostics(doc_uri, 1, timeout=60, start=mark)] == ["ASYNC251"]


# --- pull diagnostics ----------------------------------------------------------------------------

PULL = default_capabilities(textDocument__diagnostic={"dynamicRegistration": False, "relatedDocumentSupport": False})


def test_pull_diagnostics_with_result_ids(start_server, doc_uri):
    client = start_server()
    client.initialize(PULL)
    client.open(doc_uri, SLEEPY)
    report = client.result("textDocument/diagnostic", {"textDocument": {"uri": doc_uri}})
    assert report["kind"] == "full"
    assert [d["code"] for d in report["items"]] == ["ASYNC251"]
    first_id = report["resultId"]
    again = client.result("textDocument/diagnostic", {"textDocument": {"uri": doc_uri}, "previousResultId": first_id})
    assert again == {"kind": "unchanged", "resultId": first_id}
    client.change(doc_uri, 2, [{"text": CLEAN}])
    changed = client.result("textDocument/diagnostic", {"textDocument": {"uri": doc_uri}, "previousResultId": first_id})
    assert changed["kind"] == "full" and changed["items"] == [] and changed["resultId"] != first_id
    # Pull clients get no pushed diagnostics.
    assert client.notifications("textDocument/publishDiagnostics") == []


def test_pull_for_a_document_that_is_not_open(start_server):
    client = start_server()
    client.initialize(PULL)
    report = client.result("textDocument/diagnostic", {"textDocument": {"uri": "file:///nowhere/x.py"}})
    assert report == {"kind": "full", "items": []}


def test_cancelled_pull_answers_request_cancelled(start_server, doc_uri):
    client = start_server()
    # A long debounce keeps the pull waiting for the analysis of version 2.
    client.initialize(PULL, initialization_options={"debounceMs": 5000})
    client.open(doc_uri, SLEEPY)
    client.result("textDocument/diagnostic", {"textDocument": {"uri": doc_uri}})
    client.change(doc_uri, 2, [{"text": CLEAN}])
    request_id = client.send_request("textDocument/diagnostic", {"textDocument": {"uri": doc_uri}})
    client.notify("$/cancelRequest", {"id": request_id})
    response = client.response(request_id, timeout=3)
    assert response["error"]["code"] == -32800
    # Cancelling something already answered is harmless.
    client.notify("$/cancelRequest", {"id": request_id})
    client.notify("$/cancelRequest", {"id": "no-such-request"})
    assert client.request("shutdown")["result"] is None


def test_debounce_delays_analysis(start_server, doc_uri):
    client = start_server()
    client.initialize(initialization_options={"debounceMs": 300})
    client.open(doc_uri, CLEAN)
    client.diagnostics(doc_uri, 1)
    for version in range(2, 12):
        client.change(doc_uri, version, [{"text": SLEEPY if version % 2 else CLEAN}])
    assert [d["code"] for d in client.diagnostics(doc_uri, 11)] == ["ASYNC251"]
    # Changes inside the debounce window were coalesced: intermediate versions were never published.
    published = [p["version"] for p in client.notifications("textDocument/publishDiagnostics")]
    assert published == [1, 11]
