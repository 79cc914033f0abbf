"""Settings from initializationOptions, workspace/configuration and didChangeConfiguration, on top of
the [tool.loopsafe] table of the nearest pyproject.toml."""

from __future__ import annotations

from conftest import SLEEPY
from lsp_client import default_capabilities

TWO_RULES = "import time\n\nimport requests\n\n\nasync def handler(url: str) -> None:\n    time.sleep(1)\n    requests.get(url)\n"


def codes(diagnostics):
    return sorted(d["code"] for d in diagnostics)


def test_initialization_options_ignore_a_rule(start_server, doc_uri):
    client = start_server()
    client.initialize(initialization_options={"ignore": ["ASYNC251"]})
    client.open(doc_uri, TWO_RULES)
    assert codes(client.diagnostics(doc_uri, 1)) == ["ASYNC210"]


def test_initialization_options_nested_under_loopsafe(start_server, doc_uri):
    client = start_server()
    client.initialize(initialization_options={"loopsafe": {"select": ["ASYNC251"]}})
    client.open(doc_uri, TWO_RULES)
    assert codes(client.diagnostics(doc_uri, 1)) == ["ASYNC251"]


def test_did_change_configuration_ignores_a_rule(server, doc_uri):
    server.open(doc_uri, TWO_RULES)
    assert codes(server.diagnostics(doc_uri, 1)) == ["ASYNC210", "ASYNC251"]
    mark = server.mark()
    server.notify("workspace/didChangeConfiguration", {"settings": {"loopsafe": {"ignore": ["ASYNC251"]}}})
    assert codes(server.diagnostics(doc_uri, 1, start=mark)) == ["ASYNC210"]


def test_enable_false_publishes_nothing(server, doc_uri):
    server.open(doc_uri, SLEEPY)
    assert server.diagnostics(doc_uri, 1)
    mark = server.mark()
    server.notify("workspace/didChangeConfiguration", {"settings": {"loopsafe": {"enable": False}}})
    assert server.diagnostics(doc_uri, 1, start=mark) == []
    mark = server.mark()
    server.notify("workspace/didChangeConfiguration", {"settings": {"loopsafe": {"enable": True}}})
    assert codes(server.diagnostics(doc_uri, 1, start=mark)) == ["ASYNC251"]


def test_workspace_configuration_is_requested_and_applied(start_server, doc_uri):
    client = start_server()
    client.configuration = {"ignore": ["ASYNC210"]}
    client.initialize(default_capabilities(workspace={"configuration": True, "workspaceEdit": {"documentChanges": True}}))
    request = client.wait_for(lambda m: m.get("method") == "workspace/configuration", what="workspace/configuration")
    assert request["params"] == {"items": [{"section": "loopsafe"}]}
    client.open(doc_uri, TWO_RULES)
    assert codes(client.diagnostics(doc_uri, 1)) == ["ASYNC251"]
    # didChangeConfiguration makes the server ask again.
    client.configuration = {"ignore": ["ASYNC251"]}
    mark = client.mark()
    client.notify("workspace/didChangeConfiguration", {"settings": None})
    client.wait_for(lambda m: m.get("method") == "workspace/configuration", start=mark)
    assert codes(client.diagnostics(doc_uri, 1, start=mark)) == ["ASYNC210"]


def test_bad_settings_are_reported_and_skipped(start_server, doc_uri):
    client = start_server()
    client.initialize(initialization_options={"ignore": ["NOPE1"], "debounceMs": "soon", "enable": True})
    messages = " ".join(p["message"] for p in client.notifications("window/logMessage"))
    assert "NOPE1" in messages and "debounceMs" in messages
    client.open(doc_uri, SLEEPY)
    assert codes(client.diagnostics(doc_uri, 1)) == ["ASYNC251"]


def test_pyproject_settings_apply_and_editor_settings_override_them(start_server, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.loopsafe]\nignore = ["ASYNC210"]\n')
    (tmp_path / "pkg").mkdir()
    uri = (tmp_path / "pkg" / "app.py").as_uri()
    client = start_server()
    client.initialize()
    client.open(uri, TWO_RULES)
    assert codes(client.diagnostics(uri, 1)) == ["ASYNC251"]
    mark = client.mark()
    client.notify("workspace/didChangeConfiguration", {"settings": {"loopsafe": {"select": ["ASYNC210"]}}})
    # select from the editor replaces the project's; the project's ignore still applies.
    assert codes(client.diagnostics(uri, 1, start=mark)) == []


def test_per_file_ignores_are_relative_to_the_pyproject(start_server, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.loopsafe]\nper-file-ignores = { "tests/*" = ["ASYNC251"] }\n')
    (tmp_path / "tests").mkdir()
    client = start_server()
    client.initialize()
    test_uri = (tmp_path / "tests" / "test_app.py").as_uri()
    app_uri = (tmp_path / "app.py").as_uri()
    client.open(test_uri, SLEEPY)
    client.open(app_uri, SLEEPY)
    assert client.diagnostics(test_uri, 1) == []
    assert codes(client.diagnostics(app_uri, 1)) == ["ASYNC251"]


def test_broken_pyproject_is_reported_and_defaults_apply(start_server, tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.loopsafe]\nselect = ["ASYNC"]\nignore = 7\n')
    uri = (tmp_path / "app.py").as_uri()
    client = start_server()
    client.initialize()
    client.open(uri, SLEEPY)
    assert codes(client.diagnostics(uri, 1)) == ["ASYNC251"]
    shown = client.wait_for(lambda m: m.get("method") == "window/showMessage", what="showMessage")["params"]
    assert shown["type"] == 1
    assert str(pyproject) + ":3" in shown["message"]
    logged = [p for p in client.notifications("window/logMessage") if str(pyproject) in p["message"]]
    assert logged and logged[0]["type"] == 1


def test_invalid_toml_is_reported_with_its_line(start_server, tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n\n[tool.loopsafe\nignore = []\n')
    uri = (tmp_path / "app.py").as_uri()
    client = start_server()
    client.initialize()
    client.open(uri, SLEEPY)
    client.diagnostics(uri, 1)
    shown = client.wait_for(lambda m: m.get("method") == "window/showMessage", what="showMessage")["params"]
    assert str(pyproject) + ":4" in shown["message"]


def test_watched_pyproject_changes_recheck_open_documents(start_server, tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.loopsafe]\n")
    uri = (tmp_path / "app.py").as_uri()
    client = start_server()
    client.initialize(
        default_capabilities(workspace={"didChangeWatchedFiles": {"dynamicRegistration": True}, "workspaceEdit": {"documentChanges": True}})
    )
    registration = client.wait_for(lambda m: m.get("method") == "client/registerCapability", what="registerCapability")
    [reg] = registration["params"]["registrations"]
    assert reg["method"] == "workspace/didChangeWatchedFiles"
    assert reg["registerOptions"]["watchers"] == [{"globPattern": "**/pyproject.toml"}, {"globPattern": "**/*.py"}]
    client.open(uri, SLEEPY)
    assert codes(client.diagnostics(uri, 1)) == ["ASYNC251"]
    pyproject.write_text('[tool.loopsafe]\nignore = ["ASYNC251"]\n')
    mark = client.mark()
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": pyproject.as_uri(), "type": 2}]})
    assert client.diagnostics(uri, 1, start=mark) == []


def test_no_registration_without_dynamic_registration_support(server):
    assert server.request("shutdown")["result"] is None
    assert all(m.get("method") != "client/registerCapability" for m in server.messages)


def test_each_workspace_folder_has_its_own_settings(start_server, tmp_path):
    strict, relaxed, added = (tmp_path / name for name in ("strict", "relaxed", "added"))
    for folder in (strict, relaxed, added):
        folder.mkdir()
    client = start_server()
    # Like VS Code: per-folder answers for items scoped to a folder, the user's settings otherwise.
    by_folder = {relaxed.as_uri() + "/": {"ignore": ["ASYNC251"]}, added.as_uri() + "/": {"ignore": ["ASYNC210"]}}
    client.configuration = lambda item: by_folder.get(item.get("scopeUri", ""), {})
    result = client.initialize(default_capabilities(workspace={"configuration": True}), folders=[strict, relaxed])
    assert result["capabilities"]["workspace"]["workspaceFolders"]["supported"] is True
    request = client.wait_for(lambda m: m.get("method") == "workspace/configuration", what="workspace/configuration")
    assert [item.get("scopeUri") for item in request["params"]["items"]] == [
        None, strict.as_uri() + "/", relaxed.as_uri() + "/"]
    documents = {folder: (folder / "app.py").as_uri() for folder in (strict, relaxed, added)}
    for uri in documents.values():
        client.open(uri, TWO_RULES)
    assert codes(client.diagnostics(documents[strict], 1)) == ["ASYNC210", "ASYNC251"]
    # The answer to workspace/configuration may come after the open: settings then re-check the document.
    published_for = lambda uri, expected: client.wait_for(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        and codes(m["params"]["diagnostics"]) == expected, what=f"{expected} for {uri}")
    published_for(documents[relaxed], ["ASYNC210"])
    # A folder added later is asked for its settings too; its open document is re-checked with them.
    assert codes(client.diagnostics(documents[added], 1)) == ["ASYNC210", "ASYNC251"]
    client.notify("workspace/didChangeWorkspaceFolders",
                  {"event": {"added": [{"uri": added.as_uri(), "name": "added"}], "removed": []}})
    published_for(documents[added], ["ASYNC251"])
