// Bundles the extension (and its dependencies) into dist/extension.js; with --tests, also the unit
// tests into dist/test/, for `node --test`.
import { readdirSync } from "node:fs";
import { build } from "esbuild";

const common = { bundle: true, platform: "node", format: "cjs", target: "node18", logLevel: "warning" };

await build({
  ...common,
  entryPoints: ["src/extension.ts"],
  outfile: "dist/extension.js",
  external: ["vscode"],
  minify: true,
  sourcemap: false,
});

if (process.argv.includes("--tests")) {
  const tests = readdirSync("src/test").filter((name) => name.endsWith(".test.ts"));
  await build({ ...common, entryPoints: tests.map((name) => `src/test/${name}`), outdir: "dist/test" });
}
