// Float64 gradcheck and gradgradcheck of every differentiable core op: the first and second
// derivatives torchlet's backward formulas give agree with central finite differences.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

const { gradcheck, gradgradcheck } = torch.autograd;

/**
 * A float64 leaf of `shape` with deterministic values in [low, high], away from the kinks
 * (0 for abs/relu, integers for floor/round) where finite differences are meaningless.
 */
function input(shape: number[], seed: number, low = -2, high = 2): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => {
    const u = (Math.sin(seed * 12.9898 + i * 78.233) * 43758.5453) % 1; // in (-1, 1)
    let v = low + ((u + 1) / 2) * (high - low);
    if (Math.abs(v - Math.round(v)) < 0.05) v += 0.1; // keep off integers
    return v;
  });
  return torch.tensor(values, { dtype: "float64" }).reshape(shape).requiresGrad_(true);
}

type Case = [name: string, fn: (...xs: Tensor[]) => Tensor, inputs: () => Tensor[]];

const unary = (
  name: string,
  fn: (x: Tensor) => Tensor,
  low = -2,
  high = 2,
  shape = [2, 3],
): Case => [name, fn, () => [input(shape, name.length, low, high)]];

const cases: Case[] = [
  // binary, with broadcasting and a non-contiguous operand
  ["add alpha", (a, b) => torch.add(a, b, { alpha: 2.5 }), () => [input([2, 3], 1), input([3], 2)]],
  ["sub", (a, b) => a.sub(b), () => [input([2, 1], 3), input([3], 4)]],
  ["mul", (a, b) => a.mul(b), () => [input([3, 2], 5).T, input([2, 3], 6)]],
  ["div", (a, b) => a.div(b), () => [input([2, 3], 7), input([3], 8, 0.5, 2)]],
  ["pow scalar", (a) => a.pow(3), () => [input([2, 3], 9)]],
  ["pow fractional", (a) => a.pow(1.5), () => [input([4], 10, 0.3, 2)]],
  ["pow scalar base", (a) => torch.pow(2.5, a), () => [input([4], 11)]],
  ["pow tensor", (a, b) => a.pow(b), () => [input([2, 3], 12, 0.3, 2), input([3], 13)]],
  ["maximum", (a, b) => a.maximum(b), () => [input([2, 3], 14), input([3], 15)]],
  ["minimum", (a, b) => a.minimum(b), () => [input([2, 3], 16), input([2, 1], 17)]],
  ["remainder", (a, b) => a.remainder(b), () => [input([2, 3], 18), input([3], 19, 0.7, 1.9)]],
  ["atan2", (a, b) => a.atan2(b), () => [input([2, 3], 20), input([3], 21)]],
  ["where", (a, b) => torch.where(a.gt(0), a, b), () => [input([2, 3], 22), input([3], 23)]],
  ["clamp both", (a) => a.clamp(-1, 1), () => [input([2, 3], 24)]],
  ["clamp min", (a) => a.clamp(-0.5), () => [input([2, 3], 25)]],
  ["clamp max", (a) => a.clamp(null, 0.5), () => [input([2, 3], 26)]],
  // unary
  unary("neg", (x) => x.neg()),
  unary("abs", (x) => x.abs()),
  unary("sign", (x) => x.sign()),
  unary("exp", (x) => x.exp()),
  unary("log", (x) => x.log(), 0.2, 3),
  unary("log1p", (x) => x.log1p(), -0.8, 3),
  unary("expm1", (x) => x.expm1()),
  unary("sqrt", (x) => x.sqrt(), 0.2, 3),
  unary("rsqrt", (x) => x.rsqrt(), 0.2, 3),
  unary("reciprocal", (x) => x.reciprocal(), 0.5, 3),
  unary("sin", (x) => x.sin()),
  unary("cos", (x) => x.cos()),
  unary("tanh", (x) => x.tanh()),
  unary("sigmoid", (x) => x.sigmoid()),
  unary("relu", (x) => x.relu()),
  unary("erf", (x) => x.erf()),
  unary("floor", (x) => x.floor()),
  unary("ceil", (x) => x.ceil()),
  unary("round", (x) => x.round()),
  unary("trunc", (x) => x.trunc()),
  // casts and copies
  // (A float32 round trip is not gradchecked: finite differences of 1e-6 vanish in float32;
  // cast gradients are checked against PyTorch in test/ops/core.test.ts.)
  unary("clone", (x) => x.clone()),
  // views
  unary("view", (x) => x.view(3, 2)),
  unary("reshape of transposed", (x) => x.T.reshape(6)),
  unary("transpose", (x) => x.transpose(0, 1)),
  unary("permute", (x) => x.permute(2, 0, 1), -2, 2, [2, 3, 2]),
  unary("expand", (x) => x.expand(4, 2, 3)),
  unary("squeeze", (x) => x.squeeze(1), -2, 2, [2, 1, 3]),
  unary("unsqueeze", (x) => x.unsqueeze(1)),
  unary("flatten", (x) => x.flatten(), -2, 2, [2, 2, 2]),
  unary("unflatten", (x) => x.unflatten(1, [3, 1])),
  unary("narrow", (x) => x.narrow(1, 1, 2)),
  unary("slice step", (x) => x.slice(1, 0, 3, 2)),
  unary("select", (x) => x.select(1, -1)),
  unary("T", (x) => x.T),
  unary("mT", (x) => x.mT, -2, 2, [2, 2, 3]),
  // linear algebra
  ["matmul 1d 1d", (a, b) => a.matmul(b), () => [input([3], 30), input([3], 31)]],
  ["matmul 2d 2d", (a, b) => a.matmul(b), () => [input([2, 3], 32), input([3, 2], 33)]],
  ["matmul 1d 3d", (a, b) => a.matmul(b), () => [input([3], 34), input([2, 3, 2], 35)]],
  ["matmul 3d 1d", (a, b) => a.matmul(b), () => [input([2, 2, 3], 36), input([3], 37)]],
  [
    "matmul broadcast",
    (a, b) => a.matmul(b),
    () => [input([2, 1, 2, 3], 38), input([2, 3, 2], 39)],
  ],
  ["matmul transposed", (a, b) => a.matmul(b), () => [input([3, 2], 40).T, input([2, 3], 41).T]],
  ["mm", (a, b) => torch.mm(a, b), () => [input([2, 3], 42), input([3, 2], 43)]],
  ["bmm", (a, b) => torch.bmm(a, b), () => [input([2, 2, 3], 44), input([2, 3, 2], 45)]],
  ["dot", (a, b) => torch.dot(a, b), () => [input([4], 46), input([4], 47)]],
  ["outer", (a, b) => torch.outer(a, b), () => [input([2], 48), input([3], 49)]],
  // reductions
  unary("sum", (x) => x.sum()),
  unary("sum dim keepdim", (x) => x.sum(-1, true)),
  unary("mean", (x) => x.mean()),
  unary("mean dims", (x) => x.mean([0, 2]), -2, 2, [2, 3, 2]),
];

describe("gradcheck / gradgradcheck (float64) of the core ops", () => {
  for (const [name, fn, make] of cases) {
    it(name, () => {
      assert.equal(gradcheck(fn, make()), true);
      assert.equal(gradgradcheck(fn, make()), true);
    });
  }

  it("gradcheck catches a wrong gradient (the check can fail)", () => {
    // exp's value with sin's gradient: a deliberate mismatch.
    const wrong = (x: Tensor): Tensor => x.sin().detach().add(x.exp().sub(x.exp().detach()));
    const fn = (x: Tensor): Tensor => wrong(x).mul(2);
    assert.equal(gradcheck(fn, [input([3], 99)], { raiseException: false }), false);
  });
});
