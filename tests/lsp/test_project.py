"""Project-wide analysis in the server: the workspace is indexed in the background (with progress), open
files use the editor's text, and a change in one module re-publishes the findings of another."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from lsp_client import default_capabilities

PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "projects" / "service"


def copy_service(tmp_path: Path) -> Path:
    root = tmp_path / "service"
    shutil.copytree(PROJECT, root)
    return root


def ls200_lines(diagnostics: list) -> list:
    return sorted(d["range"]["start"]["line"] + 1 for d in diagnostics if d["code"] == "LS200")


def wait_for_ls200(client, uri: str, want, timeout: float = 30):
    """The newest published diagnostics of `uri` until their LS200 lines satisfy `want`."""

    def latest():
        published = [p for p in client.notifications("textDocument/publishDiagnostics") if p["uri"] == uri]
        return published[-1]["diagnostics"] if published else None

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        diagnostics = latest()
        if diagnostics is not None and want(ls200_lines(diagnostics)):
            return diagnostics
        time.sleep(0.05)
    raise AssertionError(f"LS200 of {uri} never matched; last: {latest()}\n{client.stderr_text()[-2000:]}")


def start(start_server, root: Path, **capabilities):
    client = start_server()
    client.initialize(capabilities=default_capabilities(**capabilities), folders=[root])
    return client


def test_open_file_gets_ls200_with_the_chain_in_other_files(start_server, tmp_path: Path) -> None:
    root = copy_service(tmp_path)
    client = start(start_server, root)
    handlers = root / "app" / "handlers.py"
    client.open(handlers.as_uri(), handlers.read_text())
    diagnostics = wait_for_ls200(client, handlers.as_uri(), lambda lines: lines == [12, 13, 27, 28, 29])
    first = next(d for d in diagnostics if d["code"] == "LS200" and d["range"]["start"]["line"] == 11)
    assert "it calls `open()` (config.py:8) via `read_file()` (config.py:13)" in first["message"]
    config_uri = (root / "app" / "config.py").as_uri()
    assert [(r["location"]["uri"], r["location"]["range"]["start"]["line"]) for r in first["relatedInformation"]] == [
        (config_uri, 12),
        (config_uri, 7),
    ]
    assert [d for d in diagnostics if d["code"] == "LS302"], diagnostics


def test_quick_fix_offloads_the_helper(start_server, tmp_path: Path) -> None:
    root = copy_service(tmp_path)
    client = start(start_server, root)
    handlers = root / "app" / "handlers.py"
    client.open(handlers.as_uri(), handlers.read_text())
    diagnostics = wait_for_ls200(client, handlers.as_uri(), lambda lines: 12 in lines)
    target = next(d for d in diagnostics if d["code"] == "LS200" and d["range"]["start"]["line"] == 11)
    actions = client.result(
        "textDocument/codeAction",
        {"textDocument": {"uri": handlers.as_uri()}, "range": target["range"], "context": {"diagnostics": [target]}},
    )
    titles = [a["title"] for a in actions]
    assert any("asyncio.to_thread" in t for t in titles), titles
    assert any("noqa: LS200" in t for t in titles), titles


def test_editing_a_helper_in_the_editor_updates_the_caller(start_server, tmp_path: Path) -> None:
    root = copy_service(tmp_path)
    client = start(start_server, root)
    handlers, config = root / "app" / "handlers.py", root / "app" / "config.py"
    client.open(handlers.as_uri(), handlers.read_text())
    wait_for_ls200(client, handlers.as_uri(), lambda lines: 12 in lines)
    # The helper stops blocking in the editor (unsaved): the caller's LS200 goes away...
    text = config.read_text()
    client.open(config.as_uri(), text)
    blocking = "    with open(path) as f:\n        return f.read()\n"
    start_offset = text.index(blocking)
    line = text[:start_offset].count("\n")
    client.change(
        config.as_uri(),
        2,
        [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line + 2, "character": 0}}, "text": "    return '{}'\n"}],
    )
    wait_for_ls200(client, handlers.as_uri(), lambda lines: 12 not in lines and 27 in lines)
    # ...and comes back when it blocks again.
    client.change(
        config.as_uri(),
        3,
        [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}}, "text": blocking}],
    )
    wait_for_ls200(client, handlers.as_uri(), lambda lines: 12 in lines)


def test_files_changed_and_deleted_on_disk(start_server, tmp_path: Path) -> None:
    root = copy_service(tmp_path)
    client = start(start_server, root)
    handlers, utils = root / "app" / "handlers.py", root / "app" / "utils.py"
    client.open(handlers.as_uri(), handlers.read_text())
    wait_for_ls200(client, handlers.as_uri(), lambda lines: 27 in lines)
    utils.unlink()
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": utils.as_uri(), "type": 3}]})
    wait_for_ls200(client, handlers.as_uri(), lambda lines: 27 not in lines and 12 in lines)
    shutil.copy(PROJECT / "app" / "utils.py", utils)
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": utils.as_uri(), "type": 1}]})
    wait_for_ls200(client, handlers.as_uri(), lambda lines: 27 in lines)


def test_indexing_reports_progress(start_server, tmp_path: Path) -> None:
    root = copy_service(tmp_path)
    client = start(start_server, root, window__workDoneProgress=True)
    create = client.wait_for(lambda m: m.get("method") == "window/workDoneProgress/create", 30, "progress create")
    token = create["params"]["token"]
    end = client.wait_for(
        lambda m: m.get("method") == "$/progress" and m["params"]["value"]["kind"] == "end", 30, "progress end"
    )
    kinds = [p["value"]["kind"] for p in client.notifications("$/progress") if p["token"] == token]
    assert kinds[0] == "begin" and kinds[-1] == "end" and "report" in kinds, kinds
    assert end["params"]["token"] == token
    begin = client.notifications("$/progress")[0]["value"]
    assert begin["cancellable"] is True and "index" in begin["title"]


def test_pull_clients_see_project_findings_change(start_server, tmp_path: Path) -> None:
    """A pull with the last result id is answered `unchanged` only while nothing changed, project
    findings included: they arrive after the file's own analysis, when indexing or a helper's edit ends."""
    root = copy_service(tmp_path)
    client = start(
        start_server,
        root,
        textDocument__diagnostic={"dynamicRegistration": False},
        workspace__diagnostics={"refreshSupport": True},
    )
    handlers, config = root / "app" / "handlers.py", root / "app" / "config.py"
    client.open(handlers.as_uri(), handlers.read_text())
    result_id = None

    def pull_until(want, timeout: float = 30) -> list:
        nonlocal result_id
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            params = {"textDocument": {"uri": handlers.as_uri()}}
            if result_id is not None:
                params["previousResultId"] = result_id
            report = client.result("textDocument/diagnostic", params)
            result_id = report["resultId"]
            if report["kind"] == "full":
                items = report["items"]
                if want(ls200_lines(items)):
                    return items
            time.sleep(0.05)
        fresh = client.result("textDocument/diagnostic", {"textDocument": {"uri": handlers.as_uri()}})
        raise AssertionError(f"pulls with the result id never matched; a fresh pull gives {ls200_lines(fresh['items'])}")

    pull_until(lambda lines: 12 in lines)
    # The helper stops blocking (unsaved, in the editor): the caller's next pull must say so.
    text = config.read_text()
    client.open(config.as_uri(), text)
    blocking = "    with open(path) as f:\n        return f.read()\n"
    line = text[: text.index(blocking)].count("\n")
    client.change(
        config.as_uri(),
        2,
        [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line + 2, "character": 0}}, "text": "    return '{}'\n"}],
    )
    pull_until(lambda lines: 12 not in lines and 27 in lines)
    assert any(r["method"] == "workspace/diagnostic/refresh" for r in client.server_requests), "never asked to refresh"


def test_a_second_server_starts_from_the_cache(start_server, tmp_path: Path) -> None:
    """The index's summaries are kept in the project's result cache: the next server (or `loopsafe
    check`) reuses those of unchanged files, and re-reads a file changed in between."""
    root = copy_service(tmp_path)
    count = len(list(root.rglob("*.py")))
    handlers = root / "app" / "handlers.py"

    def index_once(expect_cached: int) -> None:
        client = start(start_server, root)
        client.wait_for_log(f"indexed {count} Python file(s)", timeout=30)
        assert f"{expect_cached} from the cache" in client.stderr_text(), client.stderr_text()[-2000:]
        client.open(handlers.as_uri(), handlers.read_text())
        wait_for_ls200(client, handlers.as_uri(), lambda lines: lines == [12, 13, 27, 28, 29])
        assert client.shutdown_and_exit() == 0

    index_once(0)
    assert (root / ".loopsafe_cache").is_dir()
    index_once(count)
    config = root / "app" / "config.py"
    config.write_text(config.read_text() + "\n# changed\n")
    index_once(count - 1)
