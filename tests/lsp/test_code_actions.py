"""Code actions: each quick fix, applied as an editor applies it, gives the expected text; fixAll
applies every safe fix like `loopsafe check --fix`."""

from __future__ import annotations

import subprocess

from conftest import SLEEPY
from lsp_client import apply_workspace_edit, default_capabilities, edits_for, find_range, loopsafe_binary

ROUTE = """\
import requests
from fastapi import FastAPI

app = FastAPI()


@app.get("/users/{user_id}")
async def get_user(user_id: int) -> dict:
    resp = requests.get(f"http://users/{user_id}", timeout=5)
    return resp.json()
"""

MIXED = """\
import time

import requests


async def handler(url: str) -> None:
    time.sleep(1)
    x = "é😀"; time.sleep(2)
    requests.get(url)
"""


def actions_for(client, uri, diagnostics, only=None):
    context = {"diagnostics": diagnostics}
    if only is not None:
        context["only"] = only
    rng = diagnostics[0]["range"] if diagnostics else {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    return client.result("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng, "context": context})


def open_and_diagnose(client, uri, text):
    client.open(uri, text)
    return client.diagnostics(uri, 1)


def quickfix(actions, title_part):
    [action] = [a for a in actions if a["kind"] == "quickfix" and title_part in a["title"]]
    return action


def test_sleep_becomes_asyncio_sleep(server, doc_uri):
    [d] = open_and_diagnose(server, doc_uri, SLEEPY)
    actions = actions_for(server, doc_uri, [d])
    action = quickfix(actions, "asyncio.sleep")
    assert action["isPreferred"] is True
    assert action["diagnostics"] == [d]
    [change] = action["edit"]["documentChanges"]
    assert change["textDocument"] == {"uri": doc_uri, "version": 1}
    fixed = apply_workspace_edit(SLEEPY, action["edit"], doc_uri, "utf-16")
    assert fixed == "import time\nimport asyncio\n\n\nasync def handler() -> None:\n    await asyncio.sleep(1)\n"


def test_noqa_suppression_is_offered_but_not_preferred(server, doc_uri):
    [d] = open_and_diagnose(server, doc_uri, SLEEPY)
    action = quickfix(actions_for(server, doc_uri, [d]), "noqa")
    assert "isPreferred" not in action
    fixed = apply_workspace_edit(SLEEPY, action["edit"], doc_uri, "utf-16")
    assert fixed == SLEEPY.replace("time.sleep(1)\n", "time.sleep(1)  # noqa: ASYNC251\n")
    # The suppressed text has no findings.
    server.change(doc_uri, 2, [{"text": fixed}])
    assert server.diagnostics(doc_uri, 2) == []


def test_blocking_http_call_moves_to_a_thread(server, doc_uri):
    diagnostics = open_and_diagnose(server, doc_uri, ROUTE)
    [http] = [d for d in diagnostics if d["code"] == "ASYNC210"]
    action = quickfix(actions_for(server, doc_uri, [http]), "to_thread")
    assert action["isPreferred"] is True
    fixed = apply_workspace_edit(ROUTE, action["edit"], doc_uri, "utf-16")
    assert fixed == ROUTE.replace("from fastapi import FastAPI\n", "from fastapi import FastAPI\nimport asyncio\n").replace(
        'resp = requests.get(f"http://users/{user_id}", timeout=5)',
        'resp = await asyncio.to_thread(requests.get, f"http://users/{user_id}", timeout=5)',
    )


def test_async_route_becomes_def(server, doc_uri):
    diagnostics = open_and_diagnose(server, doc_uri, ROUTE)
    [route] = [d for d in diagnostics if d["code"] == "LS304"]
    action = quickfix(actions_for(server, doc_uri, [route]), "sync `def`")
    fixed = apply_workspace_edit(ROUTE, action["edit"], doc_uri, "utf-16")
    assert fixed == ROUTE.replace("async def get_user", "def get_user")


def test_changes_are_used_without_document_changes_support(start_server, doc_uri):
    client = start_server()
    client.initialize(default_capabilities(workspace={"workspaceEdit": {"documentChanges": False}}))
    [d] = open_and_diagnose(client, doc_uri, SLEEPY)
    action = quickfix(actions_for(client, doc_uri, [d]), "asyncio.sleep")
    assert set(action["edit"]) == {"changes"}
    assert "await asyncio.sleep(1)" in apply_workspace_edit(SLEEPY, action["edit"], doc_uri, "utf-16")


def test_fix_all_applies_safe_fixes_like_the_command_line(server, doc_uri):
    diagnostics = open_and_diagnose(server, doc_uri, MIXED)
    assert sorted(d["code"] for d in diagnostics) == ["ASYNC210", "ASYNC251", "ASYNC251"]
    actions = actions_for(server, doc_uri, [], only=["source.fixAll"])
    [action] = actions
    assert action["kind"] == "source.fixAll.loopsafe"
    fixed = apply_workspace_edit(MIXED, action["edit"], doc_uri, "utf-16")
    expected = subprocess.run(
        [str(loopsafe_binary()), "check", "--fix", "--stdin-filename", "app.py"],
        input=MIXED.encode(), capture_output=True, timeout=60,
    ).stdout.decode()
    assert fixed == expected
    assert fixed.count("await asyncio.sleep(") == 2 and "requests.get(url)" in fixed  # to_thread is unsafe


def test_fix_all_in_utf8_encoding(start_server, doc_uri):
    client = start_server()
    client.initialize(default_capabilities(general={"positionEncodings": ["utf-8"]}))
    open_and_diagnose(client, doc_uri, MIXED)
    [action] = actions_for(client, doc_uri, [], only=["source"])
    fixed = apply_workspace_edit(MIXED, action["edit"], doc_uri, "utf-8")
    assert 'x = "é😀"; await asyncio.sleep(2)' in fixed


def test_only_filters_kinds(server, doc_uri):
    [d] = open_and_diagnose(server, doc_uri, SLEEPY)
    assert {a["kind"] for a in actions_for(server, doc_uri, [d])} == {"quickfix", "source.fixAll.loopsafe"}
    assert {a["kind"] for a in actions_for(server, doc_uri, [d], only=["quickfix"])} == {"quickfix"}
    assert {a["kind"] for a in actions_for(server, doc_uri, [d], only=["source.fixAll.loopsafe"])} == {"source.fixAll.loopsafe"}
    assert actions_for(server, doc_uri, [d], only=["refactor"]) == []


def test_foreign_and_unknown_diagnostics_get_no_quick_fixes(server, doc_uri):
    [d] = open_and_diagnose(server, doc_uri, SLEEPY)
    foreign = dict(d, source="pyright", data=None)
    unknown = {"range": d["range"], "code": "ASYNC999", "message": "?", "source": "loopsafe"}
    assert actions_for(server, doc_uri, [foreign, unknown], only=["quickfix"]) == []


def test_diagnostics_without_data_match_by_range_and_code(server, doc_uri):
    [d] = open_and_diagnose(server, doc_uri, SLEEPY)
    bare = {k: v for k, v in d.items() if k != "data"}
    action = quickfix(actions_for(server, doc_uri, [bare]), "asyncio.sleep")
    assert "await asyncio.sleep(1)" in apply_workspace_edit(SLEEPY, action["edit"], doc_uri, "utf-16")


def test_edits_are_computed_from_the_current_version(start_server, doc_uri):
    client = start_server()
    # A long debounce: the analysis of version 2 has not run when the code action arrives.
    client.initialize(initialization_options={"debounceMs": 5000})
    [d] = open_and_diagnose(client, doc_uri, SLEEPY)
    text2 = "# a comment that shifts every line\n" + SLEEPY
    client.change(doc_uri, 2, [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "# a comment that shifts every line\n"}])
    # The client still shows the version 1 diagnostic; the server re-analyses version 2 to answer.
    moved = dict(d, range=find_range(text2, "time.sleep(1)", "utf-16"), data=None)
    moved["range"]["end"] = find_range(text2, "time.sleep", "utf-16")["end"]
    action = quickfix(actions_for(client, doc_uri, [moved]), "asyncio.sleep")
    [change] = action["edit"]["documentChanges"]
    assert change["textDocument"]["version"] == 2
    fixed = apply_workspace_edit(text2, action["edit"], doc_uri, "utf-16")
    assert fixed == "# a comment that shifts every line\nimport time\nimport asyncio\n\n\nasync def handler() -> None:\n    await asyncio.sleep(1)\n"
    # The old version's data no longer matches anything: no stale edits.
    assert actions_for(client, doc_uri, [d], only=["quickfix"]) == []


def test_code_action_for_a_document_that_is_not_open(server):
    assert actions_for(server, "file:///nowhere/x.py", []) == []


def test_clean_file_has_no_fix_all(server, doc_uri):
    open_and_diagnose(server, doc_uri, "import asyncio\n")
    assert actions_for(server, doc_uri, []) == []
