import { it } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";

it("the core (src/index.ts) bundles for browsers with no Node built-in", async () => {
  const result = await build({
    entryPoints: ["src/index.ts"],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
    metafile: true,
  });
  assert.equal(result.errors.length, 0);
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.includes("src/tensor/tensor.ts"));
  assert.deepEqual(
    inputs.filter((f) => f.startsWith("node:") || f.startsWith("src/node")),
    [],
    "Node-only modules reached the browser bundle",
  );
  const size = result.outputFiles[0]!.contents.length;
  assert.ok(size < 2_000_000, `bundle is ${size} bytes`);
});
