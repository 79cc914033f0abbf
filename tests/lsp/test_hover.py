"""Hover on a flagged call: the finding's message, then the rule's page."""

from __future__ import annotations

from conftest import SLEEPY
from lsp_client import default_capabilities


def hover(client, uri, line, character):
    return client.result("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})


def test_hover_on_a_flagged_call_shows_message_and_rule_page(server, doc_uri):
    server.open(doc_uri, SLEEPY)
    [d] = server.diagnostics(doc_uri, 1)
    result = hover(server, doc_uri, 4, 8)
    assert result["range"] == d["range"]
    contents = result["contents"]
    assert contents["kind"] == "markdown"
    assert contents["value"].startswith("**ASYNC251** " + d["message"])
    assert "# ASYNC251" in contents["value"]  # the rule page's title
    assert "asyncio.sleep" in contents["value"]


def test_hover_elsewhere_is_null(server, doc_uri):
    server.open(doc_uri, SLEEPY)
    server.diagnostics(doc_uri, 1)
    assert hover(server, doc_uri, 0, 2) is None
    assert hover(server, doc_uri, 4, 1) is None


def test_hover_on_a_document_that_is_not_open_is_null(server):
    assert hover(server, "file:///nowhere/x.py", 0, 0) is None


def test_plaintext_hover_for_clients_without_markdown(start_server, doc_uri):
    client = start_server()
    client.initialize(default_capabilities(textDocument__hover={"contentFormat": ["plaintext"]}))
    client.open(doc_uri, SLEEPY)
    client.diagnostics(doc_uri, 1)
    contents = hover(client, doc_uri, 4, 4)["contents"]
    assert contents["kind"] == "plaintext"
    assert contents["value"].startswith("ASYNC251 ")


def test_hover_reflects_the_current_version(start_server, doc_uri):
    client = start_server()
    client.initialize(initialization_options={"debounceMs": 5000})
    client.open(doc_uri, SLEEPY)
    client.diagnostics(doc_uri, 1)
    client.change(doc_uri, 2, [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "\n"}])
    assert hover(client, doc_uri, 4, 8) is None
    assert hover(client, doc_uri, 5, 8)["range"]["start"] == {"line": 5, "character": 4}
