// The packaged extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) on 127.0.0.1 with the
// .vsix installed, driven like a person would with Debian's headless Chromium through puppeteer-core.
// Run by ./run, which packages the .vsix and installs code-server and puppeteer-core first.
//
// The steps run in order in one browser tab, each starting where the one before left off. A failing
// step leaves a screenshot and prints the extension's output channel.
//
// LOOPSAFE_SCREENSHOTS=DIR also writes the README's two pictures into DIR (docs/images).
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";

const cache = process.env.LOOPSAFE_VSCODE_TEST_DIR;
const vsix = process.env.LOOPSAFE_VSIX;
assert.ok(cache && vsix, "run through tests/editors/vscode/run (LOOPSAFE_VSCODE_TEST_DIR, LOOPSAFE_VSIX)");
const puppeteer = createRequire(path.join(cache, "package.json"))("puppeteer-core");
const codeServer = path.join(cache, "node_modules", ".bin", "code-server");
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";

// Everything of one run lives in run/ (kept after the run for a look); its pictures in artifacts/.
const runDir = path.join(cache, "run");
const artifacts = path.join(cache, "artifacts");
const userData = path.join(runDir, "user-data");
const extensionsDir = path.join(runDir, "extensions");
const home = path.join(runDir, "home");

const SERVICE = `import time

import httpx


async def sync_invoices(client: httpx.AsyncClient) -> None:
    for attempt in range(5):
        response = await client.post("/invoices/sync")
        if response.status_code != 429:
            return
        time.sleep(2**attempt)
`;
const SERVICE_FIXED = `import time

import httpx
import asyncio


async def sync_invoices(client: httpx.AsyncClient) -> None:
    for attempt in range(5):
        response = await client.post("/invoices/sync")
        if response.status_code != 429:
            return
        await asyncio.sleep(2**attempt)
`;
const WORKER = `import time


async def poll() -> None:
    time.sleep(1)
    time.sleep(2)
`;
const SLEEPY = `import time


async def handler() -> None:
    time.sleep(1)
`;
const SLEEPY_FIXED = `import time
import asyncio


async def handler() -> None:
    await asyncio.sleep(1)
`;

let server; // the code-server process
let browser;
let page;
let port;
let bundledBinary;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `probe` until it returns something truthy; fails with `what` and the last value seen.
async function waitFor(what, probe, { timeout = 30_000, interval = 250 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}; last: ${String(last?.stack ?? JSON.stringify(last))}`);
    await sleep(interval);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port: chosen } = probe.address();
      probe.close(() => resolve(chosen));
    });
  });
}

function writeFile(file, text, mode) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, mode ? { mode } : undefined);
}

function writeUserSettings(extra) {
  writeFile(
    path.join(userData, "User", "settings.json"),
    JSON.stringify(
      {
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "workbench.enableExperiments": false,
        "workbench.editor.enablePreview": false,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoCheckUpdates": false,
        "extensions.autoUpdate": false,
        "extensions.ignoreRecommendations": true,
        "editor.minimap.enabled": false,
        "files.autoSave": "off",
        "git.enabled": false,
        "files.exclude": { ".vscode": true, tools: true },
        "git.openRepositoryInParentFolders": "never",
        ...extra,
      },
      null,
      2,
    ),
  );
}

// A workspace whose settings run tools/loopsafe, a wrapper that leaves a mark and runs the bundled
// server: the mark shows whether the workspace's `loopsafe.path` was used.
function makeWorkspace(name, files) {
  const dir = path.join(runDir, name);
  for (const [file, text] of Object.entries(files)) writeFile(path.join(dir, file), text);
  writeFile(path.join(dir, "tools", "loopsafe"), `#!/bin/sh\ntouch "$(dirname "$0")/used"\nexec '${bundledBinary}' "$@"\n`, 0o755);
  writeWorkspaceSettings(dir, {});
  return dir;
}

function writeWorkspaceSettings(dir, extra) {
  const settings = {
    "loopsafe.path": "tools/loopsafe",
    "[python]": { "editor.codeActionsOnSave": { "source.fixAll.loopsafe": "explicit" } },
    ...extra,
  };
  writeFile(path.join(dir, ".vscode", "settings.json"), JSON.stringify(settings, null, 2));
}

async function shoot(name) {
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

// A test body that leaves a screenshot and the extension's log behind when it fails.
function step(name, body) {
  test(name, { timeout: 180_000 }, async () => {
    try {
      await body();
    } catch (error) {
      const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
      await shoot(`failed-${slug}`).catch(() => undefined);
      console.error(`--- loopsafe output channel ---\n${outputChannelLog()}`);
      throw error;
    }
  });
}

// What the extension wrote to its output channel (code-server keeps it in the user data's logs).
function outputChannelLog() {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/loopsafe\.log$/.test(entry.name)) found.push(full);
    }
  };
  try {
    walk(path.join(userData, "logs"));
  } catch {
    return "(no logs)";
  }
  return found.map((file) => `${file}:\n${fs.readFileSync(file, "utf8")}`).join("\n") || "(no loopsafe log)";
}

async function chord(...keys) {
  const modifiers = keys.slice(0, -1);
  for (const key of modifiers) await page.keyboard.down(key);
  await page.keyboard.press(keys.at(-1));
  for (const key of modifiers.reverse()) await page.keyboard.up(key);
}

async function openWorkspace(folder) {
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, { waitUntil: "domcontentloaded" });
  await page.waitForSelector(".monaco-workbench .explorer-folders-view .monaco-list-row", { timeout: 90_000 });
}

// Opens a file of the workspace from the Explorer, and waits for its editor to show its text. A menu
// left open swallows the first click: Escape, and click again.
async function openFile(name) {
  const row = `.explorer-folders-view .monaco-list-row[aria-label="${name}"]`;
  const tab = `.editor-group-container.active .tab.active[data-resource-name="${name}"]`;
  await waitFor(`the editor of ${name}`, async () => {
    if (!(await page.$(tab))) {
      await page.keyboard.press("Escape");
      await page.click(row);
      await page.waitForSelector(tab, { timeout: 2_000 });
    }
    return (await editorText()).length > 0;
  });
}

// The text of the active editor, line by line as shown (the whole file for the short files here).
async function editorText() {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll(".editor-group-container.active .monaco-editor .view-lines .view-line")];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((line) => line.textContent.replace(/\u00a0/g, " ")).join("\n");
  });
}

// Runs a command from the Command Palette by its title.
async function runCommand(title) {
  await waitFor(`"${title}" in the Command Palette`, async () => {
    if (!(await page.$(".quick-input-widget:not([style*='display: none']) .quick-input-box input"))) {
      await page.keyboard.press("F1");
      await page.waitForSelector(".quick-input-widget:not([style*='display: none']) .quick-input-box input", { timeout: 5_000 });
    }
    const input = ".quick-input-widget .quick-input-box input";
    await page.$eval(input, (el) => {
      el.value = "";
    });
    await page.type(input, `>${title}`);
    const row = await waitFor(`the row of "${title}"`, () => page.$(`.quick-input-list .monaco-list-row[aria-label^="${title}"]`), { timeout: 5_000 });
    await row.click();
    return true;
  });
}

// The Problems panel, opened if it is not, as {file: [row text, ...]}.
async function problems() {
  if (!(await page.$(".markers-panel"))) await chord("Control", "Shift", "KeyM");
  await page.waitForSelector(".markers-panel", { visible: true, timeout: 10_000 });
  return page.evaluate(() => {
    const byFile = {};
    let file;
    for (const row of document.querySelectorAll(".markers-panel .monaco-list-row")) {
      const label = row.getAttribute("aria-label") ?? "";
      const fileRow = /problems? in file (\S+)/.exec(label);
      if (fileRow) byFile[(file = fileRow[1])] = [];
      else if (file) byFile[file].push(row.textContent);
    }
    return byFile;
  });
}

async function problemsOf(file, predicate, what) {
  return waitFor(what, async () => {
    const rows = (await problems())[file] ?? [];
    return predicate(rows) && rows;
  });
}

const hasSleepFinding = (rows) => rows.some((row) => row.includes("ASYNC251") && row.includes("`time.sleep()` blocks the event loop"));

before(async () => {
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), XDG_DATA_HOME: path.join(home, ".local", "share") };

  execFileSync(codeServer, ["--user-data-dir", userData, "--extensions-dir", extensionsDir, "--install-extension", vsix], { env, stdio: "pipe" });
  const [installed] = fs.readdirSync(extensionsDir).filter((name) => name.startsWith("loopsafe.loopsafe-"));
  assert.ok(installed, `the .vsix is installed in ${extensionsDir}`);
  bundledBinary = path.join(extensionsDir, installed, "bin", "loopsafe");
  assert.ok(fs.statSync(bundledBinary).mode & 0o100, "the bundled server is executable");

  port = await freePort();
  const log = fs.openSync(path.join(artifacts, "code-server.log"), "w");
  server = spawn(
    codeServer,
    [
      "--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--disable-telemetry", "--disable-update-check",
      "--disable-getting-started-override", "--ignore-last-opened", "--user-data-dir", userData, "--extensions-dir", extensionsDir,
    ],
    { env, stdio: ["ignore", log, log], detached: true },
  );
  await waitFor("code-server to answer", async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, { timeout: 60_000 });

  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--no-first-run", `--user-data-dir=${path.join(runDir, "chromium")}`,
    ],
    defaultViewport: { width: 1400, height: 800 },
    env,
  });
  page = await browser.newPage();
});

after(async () => {
  await browser?.close().catch(() => undefined);
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // gone already
    }
  }
});

let trusted;

step("a blocking call shows in the Problems panel with its code", async () => {
  writeUserSettings({ "security.workspace.trust.enabled": false });
  trusted = makeWorkspace("trusted", { "service.py": SERVICE, "worker.py": WORKER, "handler.py": SLEEPY });
  await openWorkspace(trusted);
  await openFile("service.py");
  const rows = await problemsOf("service.py", hasSleepFinding, "ASYNC251 for service.py in the Problems panel");
  assert.equal(rows.length, 1, `one problem in service.py: ${rows}`);
  assert.match(rows[0], /`time\.sleep\(\)` blocks the event loop in async function `sync_invoices`; use `await asyncio\.sleep\(\)`/);
  assert.match(rows[0], /loopsafe.*ASYNC251.*\[Ln 11, Col 9\]/);
  // The call is underlined in the editor; the mouse over it shows the message and the rule's page.
  // The editor redraws its decorations (a later publish, a layout change), which detaches the element
  // found before: each try looks the underline up again.
  const squiggleSelector = ".editor-group-container.active .monaco-editor .squiggly-warning";
  await page.waitForSelector(squiggleSelector);
  await shoot("vscode-diagnostic");
  const hover = await waitFor("the hover of the underlined call", async () => {
    const squiggle = await page.waitForSelector(squiggleSelector, { timeout: 3_000 });
    const box = await squiggle.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    const contents = await page.waitForSelector(".monaco-hover:not(.hidden) .hover-contents", { visible: true, timeout: 3_000 });
    const text = await contents.evaluate((el) => el.closest(".monaco-hover").textContent);
    return text.includes("ASYNC251: blocking-sleep") && text;
  });
  assert.match(hover, /blocks the event loop in async function `sync_invoices`/);
  await page.mouse.move(5, 400);
});

step("the workspace's loopsafe.path runs when the workspace is trusted", async () => {
  assert.ok(fs.existsSync(path.join(trusted, "tools", "used")), "tools/loopsafe of the trusted workspace was run");
});

step("the quick fix turns time.sleep into await asyncio.sleep", async () => {
  // A click on the underlined call puts the cursor there; Ctrl+. lists its fixes, the preferred one first.
  const title = "Replace with `await asyncio.sleep(...)`";
  const item = await waitFor("the quick fix menu", async () => {
    if (!(await page.$(".action-widget"))) {
      const squiggle = await page.$(".editor-group-container.active .monaco-editor .squiggly-warning");
      const box = await squiggle.boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await chord("Control", "Period");
    }
    await page.waitForSelector(".action-widget .monaco-list-row", { visible: true, timeout: 5_000 });
    return page.$(`.action-widget .monaco-list-row[aria-label="${title}"]`);
  });
  const labels = await page.$$eval(".action-widget .monaco-list-row.action", (rows) => rows.map((row) => row.getAttribute("aria-label")));
  assert.equal(labels[0], title, `the preferred fix comes first: ${labels}`);
  assert.ok(labels.some((label) => label.includes("noqa")), `a noqa suppression is offered: ${labels}`);
  await shoot("vscode-quickfix");
  await item.click();
  await waitFor("the fixed text in the editor", async () => (await editorText()) === SERVICE_FIXED, { timeout: 15_000 }).catch(async (error) => {
    throw new Error(`${error.message}\neditor:\n${await editorText()}`);
  });
  await problemsOf("service.py", (rows) => rows.length === 0, "the problem of service.py to go away");
  await chord("Control", "KeyS");
  await waitFor("service.py saved with the fix", () => fs.readFileSync(path.join(trusted, "service.py"), "utf8") === SERVICE_FIXED);
});

step("saving applies source.fixAll.loopsafe from editor.codeActionsOnSave", async () => {
  await openFile("worker.py");
  await problemsOf("worker.py", (rows) => rows.filter((row) => row.includes("ASYNC251")).length === 2, "two ASYNC251 for worker.py");
  // A change, so that the save is a real one.
  await page.click(".editor-group-container.active .monaco-editor .view-lines");
  await chord("Control", "End");
  await page.keyboard.type("# saved\n");
  await chord("Control", "KeyS");
  const saved = await waitFor("worker.py saved with both calls fixed", () => {
    const text = fs.readFileSync(path.join(trusted, "worker.py"), "utf8");
    return text.includes("# saved") && text;
  });
  assert.match(saved, /^import time\nimport asyncio\n/);
  assert.match(saved, /    await asyncio\.sleep\(1\)\n    await asyncio\.sleep\(2\)\n/);
  assert.doesNotMatch(saved, /^\s*time\.sleep/m);
});

step("loopsafe: Restart Server brings the server back", async () => {
  await runCommand("loopsafe: Restart Server");
  await waitFor("a second start in the log", () => (outputChannelLog().match(/Starting .* server/g) ?? []).length >= 2, { timeout: 20_000 });
  await openFile("handler.py");
  await problemsOf("handler.py", hasSleepFinding, "ASYNC251 for handler.py after the restart");
});

step("loopsafe.ignore and loopsafe.enable reach the server", async () => {
  writeWorkspaceSettings(trusted, { "loopsafe.ignore": ["ASYNC251"] });
  await problemsOf("handler.py", (rows) => rows.length === 0, "no problem for handler.py with ASYNC251 ignored");
  writeWorkspaceSettings(trusted, {});
  await problemsOf("handler.py", hasSleepFinding, "ASYNC251 for handler.py again");
  writeWorkspaceSettings(trusted, { "loopsafe.enable": false });
  await problemsOf("handler.py", (rows) => rows.length === 0, "no problem for handler.py with loopsafe disabled");
  writeWorkspaceSettings(trusted, {});
  await problemsOf("handler.py", hasSleepFinding, "ASYNC251 for handler.py once enabled");
});

step("loopsafe: Fix all fixes the file", async () => {
  await runCommand("loopsafe: Fix all");
  await waitFor("the fixed text in the editor", async () => (await editorText()) === SLEEPY_FIXED, { timeout: 15_000 }).catch(async (error) => {
    throw new Error(`${error.message}\neditor:\n${await editorText()}`);
  });
});

step("loopsafe: Show Logs shows the server's output", async () => {
  await runCommand("loopsafe: Show Logs");
  const shown = await waitFor("the loopsafe output channel", async () =>
    page.evaluate(() => {
      const text = document.querySelector(".output-view, .panel .output")?.textContent.replace(/\u00a0/g, " ") ?? "";
      return /Starting .*tools\/loopsafe server \(workspace settings\)/.test(text) && text;
    }),
  );
  // The extension sent the server only the settings it knows (after the changes of the step before):
  // the server warns about any other.
  assert.doesNotMatch(shown, /unknown setting|must be/);
});

step("an untrusted workspace runs the bundled server, not the workspace's loopsafe.path", async () => {
  writeUserSettings({ "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never", "security.workspace.trust.banner": "always" });
  const untrusted = makeWorkspace("untrusted", { "handler.py": SLEEPY });
  // A new tab: leaving the old one could ask whether to discard changes.
  const old = page;
  page = await browser.newPage();
  await old.close();
  await openWorkspace(untrusted);
  await waitFor("Restricted Mode in the status bar", () => page.evaluate(() => document.querySelector(".part.statusbar")?.innerText.includes("Restricted Mode")));
  await openFile("handler.py");
  await problemsOf("handler.py", hasSleepFinding, "ASYNC251 for handler.py in the untrusted workspace");
  assert.ok(!fs.existsSync(path.join(untrusted, "tools", "used")), "tools/loopsafe of the untrusted workspace was not run");
  // The output channel reaches its log file a little later.
  await waitFor("the bundled server's start in the log", () => {
    const log = outputChannelLog();
    return (
      /Restricted Mode: loopsafe\.path from the workspace settings is not used/.test(log) &&
      /Starting \S+\/extensions\/loopsafe\.loopsafe-[^/]+\/bin\/loopsafe server \(bundled\)/.test(log)
    );
  });
});

after(() => {
  const target = process.env.LOOPSAFE_SCREENSHOTS;
  if (!target) return;
  for (const name of ["vscode-diagnostic", "vscode-quickfix"]) fs.copyFileSync(path.join(artifacts, `${name}.png`), path.join(target, `${name}.png`));
});
