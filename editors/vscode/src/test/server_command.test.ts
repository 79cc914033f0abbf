import assert from "node:assert/strict";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import { chooseServerCommand } from "../server_command";

const BUNDLED = "/ext/bin/loopsafe";

test("without a setting the bundled binary runs", () => {
  assert.deepEqual(chooseServerCommand(undefined, true, BUNDLED), { command: BUNDLED, origin: "bundled" });
  assert.deepEqual(chooseServerCommand({ globalValue: "  " }, false, BUNDLED), { command: BUNDLED, origin: "bundled" });
});

test("a trusted workspace's setting wins over the user's", () => {
  assert.deepEqual(chooseServerCommand({ globalValue: "/usr/bin/loopsafe", workspaceValue: "./venv/bin/loopsafe" }, true, BUNDLED), {
    command: "./venv/bin/loopsafe",
    origin: "workspace settings",
  });
  assert.equal(chooseServerCommand({ workspaceValue: "/a", workspaceFolderValue: "/b" }, true, BUNDLED).command, "/b");
});

test("an untrusted workspace's setting is ignored and reported", () => {
  assert.deepEqual(chooseServerCommand({ workspaceValue: "/tmp/evil" }, false, BUNDLED), {
    command: BUNDLED,
    origin: "bundled",
    ignoredWorkspacePath: "/tmp/evil",
  });
  assert.deepEqual(chooseServerCommand({ workspaceFolderValue: "/tmp/evil" }, false, BUNDLED).command, BUNDLED);
});

test("an untrusted workspace still uses the user's own setting", () => {
  assert.deepEqual(chooseServerCommand({ globalValue: "/opt/loopsafe", workspaceValue: "/tmp/evil" }, false, BUNDLED), {
    command: "/opt/loopsafe",
    origin: "user settings",
    ignoredWorkspacePath: "/tmp/evil",
  });
});

test("~ is the home directory", () => {
  assert.equal(chooseServerCommand({ globalValue: "~/bin/loopsafe" }, true, BUNDLED).command, path.join(os.homedir(), "bin/loopsafe"));
});

test("without a bundled binary loopsafe is looked up on PATH", () => {
  assert.deepEqual(chooseServerCommand(undefined, true, undefined), { command: "loopsafe", origin: "PATH" });
});
