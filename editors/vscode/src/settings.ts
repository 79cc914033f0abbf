// The settings object the server understands (server/settings.h): the `loopsafe.*` settings minus the
// ones only the extension reads (`path`, `trace.server`). The server warns about keys it does not know,
// so nothing else is sent. Free of the `vscode` module so that node alone tests it.

export interface ServerSettings {
  enable: boolean;
  select: string[];
  ignore: string[];
  transitive: boolean;
  logLevel: string;
}

// `get(key)` reads `loopsafe.<key>` (a WorkspaceConfiguration's `get`).
export function serverSettings(get: (key: string) => unknown): ServerSettings {
  const bool = (key: string, fallback: boolean) => {
    const value = get(key);
    return typeof value === "boolean" ? value : fallback;
  };
  const codes = (key: string) => {
    const value = get(key);
    return Array.isArray(value) ? value.filter((code): code is string => typeof code === "string") : [];
  };
  const logLevel = get("logLevel");
  return {
    enable: bool("enable", true),
    select: codes("select"),
    ignore: codes("ignore"),
    transitive: bool("transitive", true),
    logLevel: typeof logLevel === "string" ? logLevel : "info",
  };
}
