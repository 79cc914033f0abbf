import assert from "node:assert/strict";
import { test } from "node:test";

import { serverSettings } from "../settings";

test("only the settings the server knows are sent", () => {
  const configured: Record<string, unknown> = {
    enable: false,
    path: "/opt/loopsafe",
    select: ["ASYNC"],
    ignore: ["LS303"],
    transitive: false,
    logLevel: "debug",
    "trace.server": "verbose",
  };
  assert.deepEqual(serverSettings((key) => configured[key]), {
    enable: false,
    select: ["ASYNC"],
    ignore: ["LS303"],
    transitive: false,
    logLevel: "debug",
  });
});

test("defaults stand in for missing or mistyped values", () => {
  const configured: Record<string, unknown> = { enable: "yes", select: "ASYNC", ignore: ["LS303", 7] };
  assert.deepEqual(serverSettings((key) => configured[key]), {
    enable: true,
    select: [],
    ignore: ["LS303"],
    transitive: true,
    logLevel: "info",
  });
});
