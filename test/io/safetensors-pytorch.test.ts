import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as torch from "../../src/index.js";
import { load, save } from "../../src/node/safetensors-files.js";
import { pytorchUnavailable, runPython } from "../helpers/python.js";

const skip = pytorchUnavailable();

describe("safetensors interop with real PyTorch", { skip: skip ?? false }, () => {
  it("PyTorch reads torchlet's file and torchlet reads PyTorch's, value for value", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-interop-"));
    const tensors = {
      "fc1.weight": torch.tensor([
        [0.1, -0.2, 3.5],
        [1e-7, 2, -4],
      ]),
      "fc1.bias": torch.tensor([0.25, NaN], { dtype: "float64" }),
      num_batches_tracked: torch.tensor(7),
      mask: torch.tensor([true, false, true]),
    };
    const torchNames: Record<string, string> = {
      float32: "torch.float32",
      float64: "torch.float64",
      int32: "torch.int32",
      bool: "torch.bool",
    };
    const expected = Object.fromEntries(
      Object.entries(tensors).map(([k, t]) => [
        k,
        {
          shape: t.shape,
          torch_dtype: torchNames[t.dtype],
          data: Array.from(t.toArray(), (v) =>
            Number.isNaN(v) ? "nan" : t.dtype === "bool" ? v === 1 : v,
          ),
        },
      ]),
    );
    save(tensors, join(dir, "torchlet.safetensors"));
    writeFileSync(join(dir, "expected.json"), JSON.stringify(expected));
    const script = new URL("../../scripts/interop/tensors_roundtrip.py", import.meta.url).pathname;
    runPython(script, [
      join(dir, "torchlet.safetensors"),
      join(dir, "expected.json"),
      join(dir, "pytorch.safetensors"),
      join(dir, "pytorch.json"),
    ]);

    const fromPytorch = load(join(dir, "pytorch.safetensors"));
    const want = JSON.parse(readFileSync(join(dir, "pytorch.json"), "utf8")) as Record<
      string,
      { shape: number[]; data: (number | boolean)[] }
    >;
    assert.deepEqual(Object.keys(fromPytorch).sort(), Object.keys(want).sort());
    assert.equal(fromPytorch.w!.dtype, "float32");
    assert.equal(fromPytorch.d!.dtype, "float64");
    assert.equal(fromPytorch.i64!.dtype, "int32");
    assert.equal(fromPytorch.flags!.dtype, "bool");
    for (const [name, spec] of Object.entries(want)) {
      assert.deepEqual(fromPytorch[name]!.shape, spec.shape, name);
      assert.deepEqual(
        Array.from(fromPytorch[name]!.toArray(), (v) =>
          typeof spec.data[0] === "boolean" ? v === 1 : v,
        ),
        spec.data,
        name,
      );
    }
  });
});
