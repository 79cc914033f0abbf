// Which `loopsafe` executable the extension runs. Kept free of the `vscode` module so that it is unit
// tested with node alone (src/test/server_command.test.ts).
import * as os from "node:os";
import * as path from "node:path";

// What `workspace.getConfiguration("loopsafe").inspect<string>("path")` reports.
export interface PathSetting {
  globalValue?: string;
  workspaceValue?: string;
  workspaceFolderValue?: string;
}

export interface ServerCommand {
  // The executable to run.
  command: string;
  // Where it came from, for the log.
  origin: "user settings" | "workspace settings" | "bundled" | "PATH";
  // A `loopsafe.path` from the workspace's settings that was not used because the workspace is not trusted.
  ignoredWorkspacePath?: string;
}

function expandHome(value: string): string {
  if (value === "~") return os.homedir();
  if (value.startsWith("~/")) return path.join(os.homedir(), value.slice(2));
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

// `loopsafe.path` from the user's settings always counts; from the workspace's (or a folder's) settings
// only in a trusted workspace, since a cloned repository could otherwise make VS Code run any program.
// Without a setting: the binary bundled with the extension, or `loopsafe` on PATH when the extension
// was built without one (a platform the .vsix does not target).
export function chooseServerCommand(
  setting: PathSetting | undefined,
  workspaceTrusted: boolean,
  bundled: string | undefined,
): ServerCommand {
  const fromWorkspace = nonEmpty(setting?.workspaceFolderValue) ?? nonEmpty(setting?.workspaceValue);
  const fromUser = nonEmpty(setting?.globalValue);
  let chosen: ServerCommand;
  if (workspaceTrusted && fromWorkspace) chosen = { command: expandHome(fromWorkspace), origin: "workspace settings" };
  else if (fromUser) chosen = { command: expandHome(fromUser), origin: "user settings" };
  else if (bundled) chosen = { command: bundled, origin: "bundled" };
  else chosen = { command: "loopsafe", origin: "PATH" };
  if (!workspaceTrusted && fromWorkspace) chosen.ignoredWorkspacePath = fromWorkspace;
  return chosen;
}
