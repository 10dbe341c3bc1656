#!/usr/bin/env node
// The `torchlet` command. The published package runs the compiled dist/; in the repository,
// before a build, it runs the TypeScript sources through tsx (a devDependency).
import { existsSync } from "node:fs";
import { URL } from "node:url";

const compiled = new URL("../dist/src/cli/main.js", import.meta.url);
let main;
if (existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(new URL("../src/cli/main.ts", import.meta.url).href));
}
process.exitCode = main(process.argv.slice(2), process.stdout, process.stderr);
