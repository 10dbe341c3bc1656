import { it } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";

it("torch.onnx's core bundles for browsers with no Node built-in", async () => {
  const result = await build({
    entryPoints: ["src/onnx/index.ts"],
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    logLevel: "silent",
    metafile: true,
  });
  assert.equal(result.errors.length, 0);
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.includes("src/onnx/export.ts"));
  assert.deepEqual(
    inputs.filter((f) => f.startsWith("node:") || f.startsWith("src/node")),
    [],
  );
});
