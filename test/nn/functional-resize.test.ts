import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import type { InterpolateMode, PadMode } from "../../src/nn/functional/index.js";
import { gradcheck } from "../../src/autograd/gradcheck.js";
import { loadFixture } from "../helpers/fixtures.js";
import type { OpCase } from "../helpers/op-cases.js";
import { runNamedOpCases } from "../helpers/named-cases.js";

type Kw = Record<string, unknown>;
const cases = (name: string): OpCase[] =>
  loadFixture<{ cases: OpCase[] }>("ops_breadth", name).cases;
const F = torch.nn.functional;

function call(name: string, [x]: Tensor[], kw: Kw): Tensor {
  const op = name.split("/")[0]!;
  if (op === "pad") {
    return F.pad(x!, kw.pad as number[], kw.mode as PadMode, kw.value as number | undefined);
  }
  if (op === "interpolate") {
    return F.interpolate(x!, {
      mode: kw.mode as InterpolateMode,
      size: kw.size as number | number[] | undefined,
      scaleFactor: kw.scale_factor as number | number[] | undefined,
      alignCorners: kw.align_corners as boolean | undefined,
      recomputeScaleFactor: kw.recompute_scale_factor as boolean | undefined,
    });
  }
  throw new Error(`unknown case ${name}`);
}

describe("F.pad modes and F.interpolate vs PyTorch", () => {
  runNamedOpCases(cases("resize"), call);
});

const errorCalls: Record<string, (x: Tensor) => unknown> = {
  "pad reflect of 1-D": (x) => F.pad(x, [1, 1], "reflect"),
  "pad reflect too wide": (x) => F.pad(x, [3, 1], "reflect"),
  "pad circular without batch": (x) => F.pad(x, [1, 1], "circular"),
  "pad circular wraps twice": (x) => F.pad(x, [4, 1], "circular"),
  "pad odd length": (x) => F.pad(x, [1], "reflect"),
  "pad bad mode": (x) => F.pad(x, [1, 1], "foo" as PadMode),
  "pad reflect with value": (x) => F.pad(x, [1, 1], "reflect", 2),
  "interpolate nearest alignCorners": (x) =>
    F.interpolate(x, { size: 4, mode: "nearest", alignCorners: true }),
  "interpolate size and scale": (x) => F.interpolate(x, { size: 4, scaleFactor: 2 }),
  "interpolate neither": (x) => F.interpolate(x),
  "interpolate linear of 4-D": (x) => F.interpolate(x, { size: 4, mode: "linear" }),
  "interpolate bilinear of 3-D": (x) => F.interpolate(x, { size: 4, mode: "bilinear" }),
  "interpolate size length": (x) => F.interpolate(x, { size: [4, 4] }),
  "interpolate of 1-D": (x) => F.interpolate(x, { size: 4 }),
};

describe("F.pad / F.interpolate errors vs PyTorch", () => {
  const errors = cases("errors").filter((c) => c.name in errorCalls);
  it("covers every error case of this group", () => {
    assert.equal(errors.length, Object.keys(errorCalls).length);
  });
  runNamedOpCases(errors, (name, [x]) => errorCalls[name]!(x!) as Tensor);
});

function leaf(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3) * 2 + 0.05);
  return torch.tensor(v, { dtype: "float64" }).reshape(shape).requiresGrad_(true);
}

describe("F.pad / F.interpolate gradients (float64 gradcheck)", () => {
  const checks: [string, (x: Tensor) => Tensor, number[]][] = [
    ["reflect", (x) => F.pad(x, [2, 1, 1, 1], "reflect"), [1, 1, 3, 4]],
    ["replicate", (x) => F.pad(x, [2, 1], "replicate"), [1, 2, 3]],
    ["circular", (x) => F.pad(x, [1, 2], "circular"), [1, 2, 3]],
    ["bilinear", (x) => F.interpolate(x, { size: [5, 3], mode: "bilinear" }), [1, 1, 3, 4]],
    ["nearest", (x) => F.interpolate(x, { scaleFactor: 1.5 }), [1, 1, 3, 4]],
  ];
  for (const [name, fn, shape] of checks) it(name, () => assert.ok(gradcheck(fn, [leaf(shape)])));
});
