// torch.version (PyTorch's torch.__version__) and `torchlet --version` say package.json's version.
import { it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../../src/index.js";
import { main } from "../../src/cli/main.js";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

it("torch.version is package.json's version", () => {
  assert.match(torch.version, /^\d+\.\d+\.\d+/);
  assert.equal(torch.version, pkg.version);
});

it("torchlet --version prints it and exits 0", () => {
  const out: string[] = [];
  const err: string[] = [];
  const status = main(
    ["--version"],
    { isTTY: false, write: (s: string) => out.push(s) },
    { isTTY: false, write: (s: string) => err.push(s) },
  );
  assert.equal(status, 0);
  assert.equal(out.join(""), `${pkg.version}\n`);
  assert.equal(err.join(""), "");
});
