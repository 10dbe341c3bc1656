import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { avgPool1d, maxPool1d, maxPool2d } from "../../src/ops/max-pool.js";
import { avgPool2d } from "../../src/ops/pool.js";
import { loadFixture } from "../helpers/fixtures.js";
import { runOpCases, type OpCase, type OpFn } from "../helpers/op-cases.js";

const { cases } = loadFixture<{ cases: OpCase[] }>("nn_image", "pool");

/** The torchlet call for each case, by name (PyTorch's call is in scripts/fixtures/nn_image.py). */
const calls: Record<string, OpFn> = {
  "maxPool2d/k2": ([x]) => maxPool2d(x!, 2),
  "maxPool2d/ties": ([x]) => maxPool2d(x!, 2),
  "maxPool2d/ties-overlapping-k3-s1": ([x]) => maxPool2d(x!, 3, { stride: 1 }),
  "maxPool2d/nan": ([x]) => maxPool2d(x!, 2),
  "maxPool2d/nan-overlapping": ([x]) => maxPool2d(x!, 3, { stride: 1, padding: 1 }),
  "maxPool2d/-inf-with-padding": ([x]) => maxPool2d(x!, 2, { stride: 1, padding: 1 }),
  "maxPool2d/k3-s2-p1": ([x]) => maxPool2d(x!, 3, { stride: 2, padding: 1 }),
  "maxPool2d/negative-values-padding": ([x]) => maxPool2d(x!, 2, { padding: 1 }),
  "maxPool2d/rect-dilation": ([x]) =>
    maxPool2d(x!, [2, 3], { stride: [1, 2], padding: [1, 1], dilation: [2, 1] }),
  "maxPool2d/ceil-k2": ([x]) => maxPool2d(x!, 2, { ceilMode: true }),
  "maxPool2d/ceil-k3-s2-p1": ([x]) => maxPool2d(x!, 3, { stride: 2, padding: 1, ceilMode: true }),
  "maxPool2d/ceil-last-window-dropped": ([x]) =>
    maxPool2d(x!, 2, { stride: 2, padding: 1, ceilMode: true }),
  "maxPool2d/unbatched": ([x]) => maxPool2d(x!, 2),
  "maxPool2d/transposed-input": ([x]) => maxPool2d(x!, 2),
  "maxPool2d/indices": ([x]) =>
    maxPool2d(x!, 3, { stride: 2, padding: 1, returnIndices: true }).indices,
  "maxPool2d/indices-ties-nan": ([x]) => maxPool2d(x!, 2, { returnIndices: true })[1],
  "maxPool2d/indices-dilation-ceil": ([x]) =>
    maxPool2d(x!, 2, { stride: 2, dilation: 2, padding: 1, ceilMode: true, returnIndices: true })
      .indices,
  "maxPool2d/indices-unbatched": ([x]) => maxPool2d(x!, 2, { returnIndices: true }).indices,
  "maxPool1d/k2": ([x]) => maxPool1d(x!, 2),
  "maxPool1d/k3-s2-p1-d2-ceil": ([x]) =>
    maxPool1d(x!, 3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }),
  "maxPool1d/indices": ([x]) => maxPool1d(x!, 3, { stride: 2, returnIndices: true }).indices,
  "avgPool2d/ceil-k2": ([x]) => avgPool2d(x!, 2, { ceilMode: true }),
  "avgPool2d/ceil-k3-s2-p1": ([x]) => avgPool2d(x!, 3, { stride: 2, padding: 1, ceilMode: true }),
  "avgPool2d/ceil-exclude-pad": ([x]) =>
    avgPool2d(x!, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  "avgPool1d/k3-s2-p1": ([x]) => avgPool1d(x!, 3, { stride: 2, padding: 1 }),
  "avgPool1d/ceil-exclude-pad": ([x]) =>
    avgPool1d(x!, 2, { padding: 1, ceilMode: true, countIncludePad: false }),
  "maxPool2d/input-smaller-than-kernel": ([x]) => maxPool2d(x!, 3),
  "maxPool2d/pad-over-half-kernel": ([x]) => maxPool2d(x!, 3, { padding: 2 }),
  "maxPool2d/stride-zero": ([x]) => maxPool2d(x!, 2, { stride: 0 }),
  "maxPool2d/kernel-zero": ([x]) => maxPool2d(x!, 0, { stride: 1 }),
  "maxPool2d/dilation-zero": ([x]) => maxPool2d(x!, 2, { dilation: 0 }),
  "maxPool2d/negative-padding": ([x]) => maxPool2d(x!, 2, { padding: -1 }),
  "maxPool2d/input-2d": ([x]) => maxPool2d(x!, 2),
  "maxPool2d/integer-input": ([x]) => maxPool2d(x!, 2),
  "maxPool1d/input-1d": ([x]) => maxPool1d(x!, 2),
  "avgPool2d/input-smaller-than-kernel": ([x]) => avgPool2d(x!, 3),
};

describe("max pooling and ceil-mode pooling vs PyTorch", () => {
  it("has a torchlet call for every fixture case", () => {
    assert.deepEqual(
      cases.map((c) => c.name).filter((n) => !(n in calls)),
      [],
    );
  });
  runOpCases(cases, (inputs, kwargs, c) => calls[c.name]!(inputs, kwargs, c));
});

describe("max pooling gradients (float64 gradcheck)", () => {
  // Distinct values, so no window has a tie for the finite differences to straddle.
  const r = (shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return torch
      .tensor(
        Array.from({ length: n }, (_, i) => Math.sin(i * 2.1 + 0.3) * 3 + i * 1e-3),
        { dtype: "float64" },
      )
      .reshape(shape)
      .requiresGrad_(true);
  };
  it("maxPool2d with padding, stride, dilation and ceil mode: gradcheck and gradgradcheck", () => {
    const x = r([2, 2, 6, 5]);
    const f = (a: torch.Tensor) =>
      maxPool2d(a, [3, 2], { stride: [2, 1], padding: 1, dilation: [1, 2], ceilMode: true });
    assert.ok(torch.autograd.gradcheck(f, [x]));
    assert.ok(torch.autograd.gradgradcheck(f, [x]));
  });
  it("maxPool1d and avgPool1d/avgPool2d in ceil mode: gradcheck", () => {
    assert.ok(
      torch.autograd.gradcheck((a) => maxPool1d(a, 3, { stride: 2, padding: 1 }), [r([1, 2, 9])]),
    );
    assert.ok(
      torch.autograd.gradcheck(
        (a) => avgPool1d(a, 2, { padding: 1, ceilMode: true, countIncludePad: false }),
        [r([2, 7])],
      ),
    );
    assert.ok(
      torch.autograd.gradcheck(
        (a) => avgPool2d(a, 3, { stride: 2, padding: 1, ceilMode: true }),
        [r([1, 1, 6, 5])],
      ),
    );
  });
  it("the gradient of a tied window goes to its first maximum only", () => {
    const x = torch.ones([1, 1, 2, 2], { dtype: "float64" }).requiresGrad_(true);
    maxPool2d(x, 2).sum().backward();
    assert.deepEqual(x.grad!.reshape(-1).tolist(), [1, 0, 0, 0]);
  });
});
