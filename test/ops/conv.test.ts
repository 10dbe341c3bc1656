import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { conv1d, conv2d, type ConvOptions } from "../../src/ops/conv.js";
import { pad } from "../../src/ops/pad.js";
import { adaptiveAvgPool2d, avgPool2d } from "../../src/ops/pool.js";
import { loadFixture } from "../helpers/fixtures.js";
import { runOpCases, type OpCase, type OpFn } from "../helpers/op-cases.js";

const { cases } = loadFixture<{ cases: OpCase[] }>("conv", "conv");

/** The torchlet call for each fixture case, by name (PyTorch's call is in scripts/fixtures/conv.py). */
const calls: Record<string, OpFn> = {
  "conv2d/basic": ([x, w, b]) => conv2d(x!, w!, b!),
  "conv2d/no-bias-stride2-pad1": ([x, w]) => conv2d(x!, w!, null, { stride: 2, padding: 1 }),
  "conv2d/dilation2": ([x, w]) => conv2d(x!, w!, null, { dilation: 2, padding: 2 }),
  "conv2d/groups2": ([x, w, b]) => conv2d(x!, w!, b!, { groups: 2 }),
  "conv2d/same-even-kernel": ([x, w]) => conv2d(x!, w!, null, { padding: "same" }),
  "conv2d/valid": ([x, w]) => conv2d(x!, w!, null, { padding: "valid" }),
  "conv2d/unbatched-asym-stride": ([x, w]) =>
    conv2d(x!, w!, null, { stride: [2, 1], padding: [0, 1] }),
  "conv2d/transposed-input": ([x, w]) => conv2d(x!, w!),
  "conv1d/basic": ([x, w, b]) => conv1d(x!, w!, b!, { padding: 1 }),
  "conv1d/stride-dilation-groups": ([x, w]) =>
    conv1d(x!, w!, null, { stride: 2, dilation: 2, groups: 3 }),
  "conv1d/same": ([x, w]) => conv1d(x!, w!, null, { padding: "same" }),
  "pad/last-dim": ([x]) => pad(x!, [1, 2]),
  "pad/two-dims-value": ([x]) => pad(x!, [1, 0, 2, 1], -1.5),
  "pad/negative-crops": ([x]) => pad(x!, [-1, 1, 0, -1]),
  "avgPool2d/k2": ([x]) => avgPool2d(x!, 2),
  "avgPool2d/k3-s2-p1": ([x]) => avgPool2d(x!, 3, { stride: 2, padding: 1 }),
  "avgPool2d/exclude-pad": ([x]) =>
    avgPool2d(x!, 3, { stride: 2, padding: 1, countIncludePad: false }),
  "avgPool2d/divisor": ([x]) => avgPool2d(x!, 2, { divisorOverride: 3 }),
  "adaptiveAvgPool2d/uneven": ([x]) => adaptiveAvgPool2d(x!, [3, 2]),
  "adaptiveAvgPool2d/global": ([x]) => adaptiveAvgPool2d(x!, 1),
  "adaptiveAvgPool2d/unbatched-upsample": ([x]) => adaptiveAvgPool2d(x!, [5, 3]),
  "conv2d/channel-mismatch": ([x, w]) => conv2d(x!, w!),
  "conv2d/kernel-too-large": ([x, w]) => conv2d(x!, w!),
  "conv2d/same-strided": ([x, w]) => conv2d(x!, w!, null, { stride: 2, padding: "same" }),
  "conv2d/input-2d": ([x, w]) => conv2d(x!, w!),
};

describe("convolution, padding and pooling vs PyTorch", () => {
  it("has a torchlet call for every fixture case", () => {
    assert.deepEqual(
      cases.map((c) => c.name).filter((n) => !(n in calls)),
      [],
    );
  });
  runOpCases(cases, (inputs, kwargs, c) => calls[c.name]!(inputs, kwargs, c));
});

describe("convolution gradients (float64 gradcheck)", () => {
  const r = (shape: number[], seed: number) =>
    torch
      .tensor(
        Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) =>
          Math.sin(seed * 7.3 + i * 1.7),
        ),
        { dtype: "float64" },
      )
      .reshape(shape)
      .requiresGrad_(true);
  const convCases: [string, number[], number[], ConvOptions][] = [
    ["stride 2, padding 1", [1, 2, 5, 4], [2, 2, 3, 2], { stride: 2, padding: 1 }],
    ["dilation and groups", [1, 4, 5, 5], [2, 2, 2, 2], { dilation: 2, groups: 2 }],
    ["same padding", [2, 1, 4, 3], [1, 1, 2, 3], { padding: "same" }],
  ];
  for (const [name, xs, ws, opts] of convCases) {
    it(`conv2d ${name}: gradcheck and gradgradcheck`, () => {
      const x = r(xs, 1);
      const w = r(ws, 2);
      const b = r([ws[0]!], 3);
      assert.ok(torch.autograd.gradcheck((a, c, d) => conv2d(a, c, d, opts), [x, w, b]));
      assert.ok(torch.autograd.gradgradcheck((a, c) => conv2d(a, c, null, opts), [x, w]));
    });
  }
  it("avgPool2d and adaptiveAvgPool2d: gradcheck", () => {
    const x = r([1, 2, 5, 5], 4);
    assert.ok(
      torch.autograd.gradcheck(
        (a) => avgPool2d(a, 3, { stride: 2, padding: 1, countIncludePad: false }),
        [x],
      ),
    );
    assert.ok(torch.autograd.gradcheck((a) => adaptiveAvgPool2d(a, [2, 3]), [x]));
  });
});
