"""Lifecycle: initialize, initialized, shutdown, exit, and the errors around them."""

from __future__ import annotations

from conftest import SLEEPY
from lsp_client import default_capabilities


def test_initialize_announces_capabilities_and_server_info(start_server):
    client = start_server()
    result = client.initialize()
    caps = result["capabilities"]
    assert caps["textDocumentSync"] == {"openClose": True, "change": 2, "save": {"includeText": False}}
    assert caps["codeActionProvider"]["codeActionKinds"] == ["quickfix", "source.fixAll.loopsafe"]
    assert caps["hoverProvider"] is True
    assert caps["positionEncoding"] == "utf-16"
    assert "diagnosticProvider" not in caps  # the client did not declare pull diagnostics
    assert result["serverInfo"]["name"] == "loopsafe"
    assert result["serverInfo"]["version"]


def test_pull_clients_get_a_diagnostic_provider(start_server):
    client = start_server()
    caps = client.initialize(default_capabilities(textDocument__diagnostic={"dynamicRegistration": False}))["capabilities"]
    assert caps["diagnosticProvider"] == {
        "identifier": "loopsafe",
        "interFileDependencies": False,
        "workspaceDiagnostics": False,
    }


def test_shutdown_then_exit_ends_with_code_0(server):
    assert server.shutdown_and_exit() == 0


def test_exit_without_shutdown_ends_with_code_1(server):
    server.notify("exit")
    assert server.proc.wait(10) == 1


def test_end_of_input_ends_the_server(server):
    server.close_stdin()
    assert server.proc.wait(10) == 1


def test_requests_before_initialize_are_refused(start_server):
    client = start_server()
    response = client.request("textDocument/hover", {"textDocument": {"uri": "file:///a.py"}, "position": {"line": 0, "character": 0}})
    assert response["error"]["code"] == -32002
    client.open("file:///a.py", SLEEPY)  # notifications before initialize are dropped
    client.initialize()
    assert client.request("shutdown")["result"] is None


def test_exit_before_initialize_ends_with_code_1(start_server):
    client = start_server()
    client.notify("exit")
    assert client.proc.wait(10) == 1


def test_second_initialize_is_invalid(server):
    response = server.request("initialize", {"capabilities": {}})
    assert response["error"]["code"] == -32600


def test_unknown_request_is_method_not_found(server):
    response = server.request("textDocument/definition", {"textDocument": {"uri": "file:///a.py"}, "position": {"line": 0, "character": 0}})
    assert response["error"]["code"] == -32601
    assert server.request("$/unknownRequest", {})["error"]["code"] == -32601


def test_unknown_notifications_are_ignored(server):
    server.notify("textDocument/unknownNotification", {"x": 1})
    server.notify("$/progress", {"token": 1, "value": {}})
    assert server.request("shutdown")["result"] is None


def test_requests_after_shutdown_are_invalid(server):
    assert server.request("shutdown")["result"] is None
    response = server.request("textDocument/hover", {"textDocument": {"uri": "file:///a.py"}, "position": {"line": 0, "character": 0}})
    assert response["error"]["code"] == -32600
    server.notify("exit")
    assert server.proc.wait(10) == 0


def test_set_trace_is_accepted(server):
    server.notify("$/setTrace", {"value": "verbose"})
    server.notify("$/setTrace", {"value": "off"})
    assert server.request("shutdown")["result"] is None


def test_invalid_params_are_reported(server):
    assert server.request("textDocument/hover", {"textDocument": {"uri": "file:///a.py"}})["error"]["code"] == -32602
    assert server.request("textDocument/hover", {"position": {"line": 0, "character": 0}})["error"]["code"] == -32602
    assert server.request("textDocument/codeAction", [1, 2])["error"]["code"] == -32602
    assert server.request("textDocument/diagnostic", {"textDocument": 3})["error"]["code"] == -32602


def test_logs_go_to_stderr_only(server, doc_uri):
    server.notify("$/setTrace", {"value": "verbose"})
    server.open(doc_uri, SLEEPY)
    server.diagnostics(doc_uri, 1)
    assert server.shutdown_and_exit() == 0
    # Every stdout byte was a framed message (the reader would have failed otherwise); debug logs went to stderr.
    server.wait_for_log("analysed")
