#!/usr/bin/env node
// The `torchlet` command. The published package runs the compiled dist/ (it ships no src/); in
// the repository it runs the TypeScript sources through tsx (a devDependency), so that a dist/
// left by an earlier build never runs stale code.
import { existsSync } from "node:fs";
import { URL } from "node:url";

const source = new URL("../src/cli/main.ts", import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import(new URL("../dist/src/cli/main.js", import.meta.url).href));
}
process.exitCode = main(process.argv.slice(2), process.stdout, process.stderr);
