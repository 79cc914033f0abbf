// The loopsafe extension: runs `loopsafe server` as a language server for Python files. Diagnostics,
// quick fixes, fix-all (also on save, through `source.fixAll.loopsafe`) and hovers all come from the
// server; the extension picks the executable, hands over the settings and offers three commands.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

import { chooseServerCommand, type ServerCommand } from "./server_command";
import { serverSettings } from "./settings";

const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append("loopsafe");

let extensionContext: vscode.ExtensionContext;
let output: vscode.OutputChannel;
let client: LanguageClient | undefined;
let running: ServerCommand | undefined;
// Starts and stops run one after another, never interleaved.
let lifecycle: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionContext = context;
  output = vscode.window.createOutputChannel("loopsafe");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("loopsafe.restart", () => restart()),
    vscode.commands.registerCommand("loopsafe.showLogs", () => output.show()),
    vscode.commands.registerCommand("loopsafe.fixAll", () => fixAll()),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      // A workspace's own `loopsafe.path` counts from now on.
      if (serverCommand().command !== running?.command) void restart();
    }),
  );
  return restart();
}

export function deactivate(): Promise<void> {
  return serialized(stop);
}

function serialized(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

function restart(): Promise<void> {
  return serialized(async () => {
    await stop();
    await start();
  });
}

function bundledBinary(): string | undefined {
  const binary = extensionContext.asAbsolutePath(path.join("bin", "loopsafe"));
  if (!fs.existsSync(binary)) return undefined;
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    // An archive tool dropped the executable bit.
    fs.chmodSync(binary, 0o755);
  }
  return binary;
}

function serverCommand(): ServerCommand {
  const setting = vscode.workspace.getConfiguration("loopsafe").inspect<string>("path");
  const chosen = chooseServerCommand(setting, vscode.workspace.isTrusted, bundledBinary());
  // A relative path in the settings is relative to the (first) workspace folder; a bare name is looked up on PATH.
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (chosen.origin !== "bundled" && chosen.command.includes("/") && !path.isAbsolute(chosen.command) && folder?.scheme === "file")
    chosen.command = path.join(folder.fsPath, chosen.command);
  return chosen;
}

function settingsFor(scopeUri?: string) {
  const scope = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
  const configuration = vscode.workspace.getConfiguration("loopsafe", scope);
  return serverSettings((key) => configuration.get(key));
}

async function start(): Promise<void> {
  const chosen = serverCommand();
  // VS Code itself hides a restricted setting's workspace value in an untrusted workspace; were it
  // shown, chooseServerCommand would not use it either.
  if (!vscode.workspace.isTrusted)
    output.appendLine(
      `Restricted Mode: loopsafe.path from the workspace settings is not used${chosen.ignoredWorkspacePath ? ` (${chosen.ignoredWorkspacePath})` : ""}`,
    );
  output.appendLine(`Starting ${chosen.command} server (${chosen.origin})`);
  if (path.isAbsolute(chosen.command) && !fs.existsSync(chosen.command)) {
    void showStartError(`loopsafe: the server executable ${chosen.command} (${chosen.origin}) does not exist.`);
    return;
  }

  // TransportKind.stdio appends `--stdio`, which `loopsafe server` accepts.
  const serverOptions: ServerOptions = {
    command: chosen.command,
    args: ["server"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
    ],
    outputChannel: output,
    initializationOptions: settingsFor(),
    middleware: {
      workspace: {
        // The server asks for section "loopsafe" (once globally, once per workspace folder): answer with
        // the settings it knows only.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, i) => (item.section === "loopsafe" ? settingsFor(item.scopeUri) : answers[i]));
        },
      },
    },
  };
  const fresh = new LanguageClient("loopsafe", "loopsafe", serverOptions, clientOptions);
  try {
    await fresh.start();
  } catch (error) {
    await fresh.dispose().catch(() => undefined);
    void showStartError(`loopsafe: the server ${chosen.command} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  client = fresh;
  running = chosen;
}

async function stop(): Promise<void> {
  const stopping = client;
  client = undefined;
  running = undefined;
  if (!stopping) return;
  try {
    await stopping.stop(5000);
  } catch (error) {
    output.appendLine(`Stopping the server: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function showStartError(message: string): Promise<void> {
  output.appendLine(message);
  const choice = await vscode.window.showErrorMessage(message, "Show Logs", "Open Settings");
  if (choice === "Show Logs") output.show();
  if (choice === "Open Settings") await vscode.commands.executeCommand("workbench.action.openSettings", "loopsafe.path");
}

function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
  if (!event.affectsConfiguration("loopsafe")) return;
  if (event.affectsConfiguration("loopsafe.path")) {
    void restart();
    return;
  }
  // The server answers an empty notification by asking for its settings again.
  void client?.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
}

// Applies every safe fix of the active Python file, as `loopsafe check --fix` would.
async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "python") {
    void vscode.window.showInformationMessage("loopsafe: open a Python file to fix it.");
    return;
  }
  const start = new vscode.Position(0, 0);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    "vscode.executeCodeActionProvider",
    editor.document.uri,
    new vscode.Range(start, start),
    FIX_ALL.value,
  );
  const fix = actions?.find((action) => action.kind && FIX_ALL.contains(action.kind) && action.edit);
  if (!fix?.edit) {
    void vscode.window.showInformationMessage("loopsafe: nothing to fix automatically in this file.");
    return;
  }
  await vscode.workspace.applyEdit(fix.edit);
}
