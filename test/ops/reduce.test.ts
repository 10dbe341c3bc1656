import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { gradcheck, gradgradcheck } from "../../src/autograd/gradcheck.js";
import { loadFixture } from "../helpers/fixtures.js";
import type { OpCase } from "../helpers/op-cases.js";
import { runNamedOpCases } from "../helpers/named-cases.js";

type Kw = Record<string, unknown>;
const cases = (name: string): OpCase[] =>
  loadFixture<{ cases: OpCase[] }>("ops_reduce", name).cases;
const dimOf = (kw: Kw) => kw.dim as number | number[] | undefined;
const keepOf = (kw: Kw) => kw.keepdim as boolean | undefined;

/** norm's p as the generator stores it: "inf"/"-inf" strings (JSON has no Infinity) or "fro". */
function orderOf(kw: Kw): number | "fro" | undefined {
  const p = kw.p as number | string | undefined;
  if (p === "inf") return Infinity;
  if (p === "-inf") return -Infinity;
  return p as number | "fro" | undefined;
}

/** A float64 leaf with distinct, deterministic values away from 0 (no ties, no kinks). */
function leaf(shape: number[], scale = 2): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3) * scale + 0.05);
  return torch.tensor(values, { dtype: "float64" }).reshape(shape).requiresGrad_(true);
}

function leafOf(values: number[], shape: number[]): Tensor {
  return torch.tensor(values, { dtype: "float64" }).reshape(shape).requiresGrad_(true);
}

describe("prod vs PyTorch", () => {
  runNamedOpCases(cases("prod"), (_name, [x], kw) =>
    x!.prod(dimOf(kw) as number | undefined, keepOf(kw)),
  );
});

describe("max/min/amax/amin/argmax/argmin vs PyTorch", () => {
  runNamedOpCases(cases("extrema"), (name, [x], kw) => {
    const op = name.split(" ")[0]!;
    const dim = dimOf(kw);
    const keep = keepOf(kw);
    if (op === "max" || op === "min") {
      if (name.includes(" all")) return x![op]();
      const result = x![op](dim as number, keep);
      if (name.includes("indices")) return result.indices;
      const [values] = result; // destructured, as `values, indices = x.max(1)` in Python
      return values;
    }
    if (op === "amax" || op === "amin") return x![op](dim, keep);
    if (op === "argmax" || op === "argmin") return x![op](dim as number | undefined, keep);
    throw new Error(`unknown case ${name}`);
  });
});

describe("var/std/logsumexp/norm vs PyTorch", () => {
  runNamedOpCases(cases("stats"), (name, [x], kw) => {
    const op = name.split(" ")[0]!;
    const dim = dimOf(kw);
    const keepdim = keepOf(kw);
    if (op === "var" || op === "std") {
      const opts = {
        dim,
        keepdim,
        correction: kw.correction as number | undefined,
        unbiased: kw.unbiased as boolean | undefined,
      };
      return op === "var" ? x!.var(opts) : torch.std(x!, opts);
    }
    if (op === "logsumexp") return torch.logsumexp(x!, dim, keepdim);
    if (op === "norm") return x!.norm(orderOf(kw), dim, keepdim);
    throw new Error(`unknown case ${name}`);
  });
});

/** The dims the generator's error lambdas use, by case name. */
const errorCalls: Record<string, (x: Tensor) => unknown> = {
  "max over an empty dim": (x) => x.max(0),
  "min over an empty dim": (x) => x.min(0),
  "amax over an empty dim": (x) => x.amax(0),
  "amin over an empty dim": (x) => x.amin([0, 1]),
  "argmax over an empty dim": (x) => x.argmax(0),
  "argmin over an empty dim": (x) => x.argmin(0),
  "max of an empty tensor": (x) => x.max(),
  "amin of an empty tensor": (x) => x.amin(),
  "argmax of an empty tensor": (x) => x.argmax(),
  "max dim out of range": (x) => x.max(2),
  "amax dim out of range": (x) => x.amax(-3),
  "argmin dim out of range": (x) => x.argmin(2),
  "prod dim out of range": (x) => x.prod(2),
  "var dim out of range": (x) => x.var(2),
  "std dim out of range": (x) => x.std(-3),
  "logsumexp dim out of range": (x) => torch.logsumexp(x, 2),
  "norm dim out of range": (x) => x.norm(2, 2),
  "amax repeated dim": (x) => x.amax([0, 0]),
  "mean of int32": (x) => x.mean(),
  "var of int32": (x) => x.var(),
  "std of int32": (x) => x.std(),
  "norm of int32": (x) => x.norm(),
  "norm fro over three dims": (x) => x.norm("fro", [0, 1, 2]),
};

describe("reduction errors vs PyTorch", () => {
  const reduceErrors = cases("errors").filter((c) => c.name in errorCalls);
  it("covers every reduction error case of the generator", () => {
    assert.equal(reduceErrors.length, Object.keys(errorCalls).length);
  });
  runNamedOpCases(reduceErrors, (name, [x]) => errorCalls[name]!(x!) as Tensor, {
    // PyTorch names int32 "Int" in messages; torchlet names its dtypes as torchlet spells them.
    errorMatches: (c) => c.error!.replace(/\bInt\b/, "int32"),
  });
});

describe("max/min API", () => {
  it("returns values and indices both as a pair and as fields", () => {
    const x = torch.tensor([
      [1, 5, 2],
      [7, 0, 7],
    ]);
    const result = x.max(1);
    const [values, indices] = result;
    assert.equal(values, result.values);
    assert.equal(indices, result.indices);
    assert.deepEqual(values.tolist(), [5, 7]);
    assert.deepEqual(indices.tolist(), [1, 0]);
    assert.equal(indices.dtype, "int32");
    assert.deepEqual(torch.min(x, { dim: 0, keepdim: true }).indices.tolist(), [[0, 1, 0]]);
  });

  it("with a tensor argument is the elementwise maximum/minimum (PyTorch's overload)", () => {
    const a = torch.tensor([[1, 4]], { dtype: "float64", requiresGrad: true });
    const b = torch.tensor([3, 0], { dtype: "float64" });
    const m = a.max(b);
    assert.deepEqual(m.tolist(), [[3, 4]]);
    assert.deepEqual(torch.min(a, b).tolist(), [[1, 0]]);
    m.sum().backward();
    assert.deepEqual(a.grad!.tolist(), [[0, 1]]);
  });

  it("prod rejects a list of dims as PyTorch's prod does", () => {
    assert.throws(() => torch.prod(leaf([2, 3]), [0] as unknown as number), {
      name: "ValueError",
    });
  });

  it("var rejects correction together with unbiased", () => {
    assert.throws(() => leaf([3]).var({ correction: 0, unbiased: false }), { name: "ValueError" });
  });

  it("logsumexp requires a dim", () => {
    assert.throws(() => torch.logsumexp(leaf([3]), undefined), {
      name: "ValueError",
      message: /dim is required/,
    });
  });
});

describe("reduction gradients (float64 gradcheck and gradgradcheck)", () => {
  const checks: [string, (x: Tensor) => Tensor, () => Tensor, boolean][] = [
    ["prod all", (x) => x.prod(), () => leaf([2, 3], 1), true],
    ["prod dim", (x) => x.prod(1, true), () => leaf([2, 3, 2], 1), true],
    ["prod one zero", (x) => x.prod(), () => leafOf([1.5, 0, 2, -0.5, 1.25, 3], [2, 3]), true],
    [
      "prod dim with zeros",
      (x) => x.prod(1),
      () => leafOf([0, 0, 2, 0, 1.25, 3, 1, 2, 3], [3, 3]),
      true,
    ],
    // PyTorch's double backward of a full prod with several zeros is zeros_like: not checked.
    ["prod two zeros", (x) => x.prod(), () => leafOf([0, 1.5, 0, 2], [4]), false],
    ["max all", (x) => x.max(), () => leaf([3, 4]), true],
    ["min dim", (x) => x.min(0).values, () => leaf([3, 4]), true],
    ["max dim keepdim", (x) => x.max(-1, true).values, () => leaf([2, 3, 4]), true],
    ["amax dims", (x) => x.amax([0, 2]), () => leaf([2, 3, 4]), true],
    ["amin", (x) => x.amin(1, true), () => leaf([3, 4]), true],
    ["var", (x) => x.var(1), () => leaf([3, 4]), true],
    ["var all correction 0", (x) => x.var({ correction: 0 }), () => leaf([3, 4]), true],
    ["std dims", (x) => x.std([0, 2], true), () => leaf([2, 3, 4]), true],
    ["std all", (x) => x.std(), () => leaf([5]), true],
    ["logsumexp", (x) => x.logsumexp(1), () => leaf([3, 4], 5), true],
    ["logsumexp dims", (x) => x.logsumexp([0, 2], true), () => leaf([2, 3, 2]), true],
    ["norm 2", (x) => x.norm(), () => leaf([3, 4]), true],
    ["norm 1 dim", (x) => x.norm(1, 1), () => leaf([3, 4]), true],
    ["norm 3 dim", (x) => x.norm(3, 0, true), () => leaf([3, 4]), true],
    ["norm 1.5", (x) => x.norm(1.5), () => leaf([3, 4]), true],
    ["norm 0.5", (x) => x.norm(0.5, 1), () => leaf([3, 4]), true],
    ["norm inf", (x) => x.norm(Infinity, 1), () => leaf([3, 4]), true],
    ["norm -inf", (x) => x.norm(-Infinity), () => leaf([3, 4]), true],
    ["norm fro", (x) => x.norm("fro", [0, 1]), () => leaf([2, 3, 2]), true],
  ];
  for (const [name, fn, input, secondOrder] of checks) {
    it(name, () => {
      assert.ok(gradcheck(fn, [input()]));
      if (secondOrder) assert.ok(gradgradcheck(fn, [input()]));
    });
  }

  it("prod's gradient with zeros is the product of the others", () => {
    const x = leafOf([2, 0, 3, 0, 5, 4], [2, 3]);
    x.prod(1).sum().backward();
    assert.deepEqual(x.grad!.tolist(), [
      [0, 6, 0],
      [20, 0, 0],
    ]);
  });

  it("norm and std have gradient 0, not NaN, at zero", () => {
    const x = torch.zeros([3], { dtype: "float64", requiresGrad: true });
    x.norm().backward();
    assert.deepEqual(x.grad!.tolist(), [0, 0, 0]);
    const y = torch.ones([3], { dtype: "float64", requiresGrad: true });
    y.std().backward();
    assert.deepEqual(y.grad!.tolist(), [0, 0, 0]);
  });
});
