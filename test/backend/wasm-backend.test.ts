import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { randomF32, rng } from "./wasm-helpers.js";

/** A 64-sample batch through 48-96-10 (ReLU, sigmoid), MSE loss: every WASM kernel above its threshold. */
function mlpStep(): { loss: number; grads: Float32Array[] } {
  const next = rng(11);
  const leaf = (shape: number[], scale: number): torch.Tensor =>
    torch
      .tensor(
        randomF32(
          shape.reduce((p, s) => p * s, 1),
          next,
        ).map((v) => v * scale),
      )
      .reshape(shape)
      .detach()
      .requiresGrad_();
  const x = torch.tensor(randomF32(64 * 48, next)).reshape([64, 48]);
  const y = torch.tensor(randomF32(64 * 10, next)).reshape([64, 10]);
  const w1 = leaf([48, 96], 0.2);
  const b1 = leaf([96], 0.1);
  const w2 = leaf([96, 10], 0.2);
  const b2 = leaf([10], 0.1);
  const h = x.matmul(w1).add(b1).relu();
  const out = h.matmul(w2).add(b2).sigmoid();
  const loss = out.sub(y).mul(out.sub(y)).mean();
  loss.backward();
  return {
    loss: loss.item() as number,
    grads: [w1, b1, w2, b2].map((p) => Float32Array.from(p.grad!.toArray())),
  };
}

describe("wasm backend", () => {
  it("is registered and is the default backend in Node", () => {
    assert.ok(torch.listBackends().includes("wasm"));
    assert.equal(torch.getBackend().name, "wasm");
  });

  it("trains an MLP step (forward and backward) like the reference backend, within 1e-5", () => {
    const before = torch.getBackend().name;
    try {
      torch.setBackend("reference");
      const ref = mlpStep();
      torch.setBackend("wasm");
      const got = mlpStep();
      assert.ok(Math.abs(got.loss - ref.loss) <= 1e-5 * Math.abs(ref.loss), "loss");
      got.grads.forEach((g, i) => {
        const r = ref.grads[i]!;
        const scale = Math.max(...r.map(Math.abs));
        g.forEach((v, j) =>
          assert.ok(Math.abs(v - r[j]!) <= 1e-5 * scale, `grad ${i}[${j}]: ${v} vs ${r[j]}`),
        );
      });
    } finally {
      torch.setBackend(before);
    }
  });

  it("keeps a thread count and rejects invalid ones", () => {
    const before = torch.getNumThreads();
    torch.setNumThreads(2);
    assert.equal(torch.getNumThreads(), 2);
    assert.throws(() => torch.setNumThreads(0), torch.ValueError);
    assert.throws(() => torch.setNumThreads(1.5), torch.ValueError);
    torch.setNumThreads(before);
  });
});
