import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { assertExact } from "./exact.js";

type SamplingCase = { name: string; seed: number; out: EncodedTensor } & (
  | { op: "randint"; args: [number, number, number[]] | [number, number[]]; dtype?: "float64" }
  | { op: "randperm"; n: number }
  | { op: "bernoulli"; p: EncodedTensor }
  | { op: "normal"; mean: number | EncodedTensor; std: number | EncodedTensor; shape?: number[] }
);

interface StateFixture {
  dropout: { x: EncodedTensor; p: number; out: EncodedTensor; seed: number }[];
  linear: { in: number; out: number; bound: number; weight: EncodedTensor; bias: EncodedTensor }[];
}

const { cases } = loadFixture<{ cases: SamplingCase[] }>("rng", "sampling");
const state = loadFixture<StateFixture>("rng", "state");

function run(c: SamplingCase): torch.Tensor {
  switch (c.op) {
    case "randint": {
      const opts = c.dtype ? { dtype: c.dtype } : {};
      return c.args.length === 3
        ? torch.randint(c.args[0], c.args[1], c.args[2], opts)
        : torch.randint(c.args[0], c.args[1], opts);
    }
    case "randperm":
      return torch.randperm(c.n);
    case "bernoulli":
      return torch.bernoulli(decode(c.p));
    case "normal": {
      const mean = typeof c.mean === "number" ? c.mean : decode(c.mean);
      const std = typeof c.std === "number" ? c.std : decode(c.std);
      return torch.normal(mean, std, c.shape);
    }
  }
}

describe("randint, randperm, bernoulli, normal vs PyTorch", () => {
  for (const c of cases) {
    // normal goes through log/sin/cos and float32 mul/add (see factories.test.ts): close, not exact.
    const exact = c.op !== "normal";
    it(`${c.name}, seed ${c.seed} (${exact ? "bit-exact" : "float32 tolerance"})`, () => {
      torch.manualSeed(c.seed);
      const out = run(c);
      if (exact) assertExact(out, c.out);
      else assertClose(out, c.out);
    });
  }

  it("randint(high, size) draws from [0, high); randintLike keeps the dtype", () => {
    torch.manualSeed(0);
    const a = torch.randint(3, [50]).toArray();
    assert.ok(a.every((v) => v >= 0 && v < 3));
    const like = torch.randintLike(torch.zeros([2, 2], { dtype: "float64" }), 5, 9);
    assert.equal(like.dtype, "float64");
    assert.ok(like.toArray().every((v) => Number.isInteger(v) && v >= 5 && v < 9));
  });

  it("refuses bad arguments with PyTorch's messages", () => {
    assert.throws(() => torch.randint(5, 5, [3]), {
      name: "ValueError",
      message: "random_ expects 'from' to be less than 'to', but got from=5 >= to=5",
    });
    assert.throws(() => torch.randperm(-1), {
      name: "ShapeError",
      message: "Trying to create tensor with negative dimension -1: [-1]",
    });
    assert.throws(() => torch.bernoulli(torch.tensor([0.5, 1.5])), {
      name: "ValueError",
      message: "Expected p_in >= 0 && p_in <= 1 to be true, but got false.",
    });
    assert.throws(() => torch.bernoulli(torch.tensor([1, 0])), {
      name: "DTypeError",
      message: `"bernoulli_tensor_cpu_p_" not implemented for 'Long'`,
    });
    assert.throws(() => torch.normal(0, -1, [3]), {
      name: "ValueError",
      message: "normal expects std >= 0.0, but found std -1",
    });
  });
});

describe("what other modules rebuild from these draws", () => {
  for (const d of state.dropout) {
    it(`dropout's CPU mask (p = ${d.p}, ${d.x.dtype}): bernoulli_(1 - p), div_(1 - p), mul`, () => {
      // at::dropout on CPU in 1.13: noise = empty_like(x).bernoulli_(1 - p); noise.div_(1 - p);
      // out = x * noise. Same seed, same mask as F.dropout(x, p, training=True).
      torch.manualSeed(d.seed);
      const x = decode(d.x);
      const noise = torch
        .emptyLike(x)
        .bernoulli_(1 - d.p)
        .div_(1 - d.p);
      assertExact(x.mul(noise), d.out);
    });
  }

  for (const l of state.linear) {
    it(`nn.Linear(${l.in}, ${l.out}) after manualSeed(0): weight then bias, uniform_(-b, b)`, () => {
      torch.manualSeed(0);
      const weight = torch.empty(l.out, l.in).uniform_(-l.bound, l.bound);
      const bias = torch.empty(l.out).uniform_(-l.bound, l.bound);
      assert.equal(l.bound, 1 / Math.sqrt(l.in));
      assertExact(weight, l.weight);
      assertExact(bias, l.bias);
    });
  }
});

describe("distribution shape (sanity beyond the fixtures)", () => {
  function moments(t: torch.Tensor): { mean: number; variance: number } {
    const a = t.toArray();
    let s = 0;
    for (const v of a) s += v;
    const mean = s / a.length;
    let q = 0;
    for (const v of a) q += (v - mean) ** 2;
    return { mean, variance: q / a.length };
  }
  const n = 40000; // standard error of the mean ~0.005 for unit variance

  it("randn (the path that is not bit-exact in float32) has mean 0 and variance 1", () => {
    const g = new torch.Generator().manualSeed(11);
    for (const dtype of ["float32", "float64"] as const) {
      const m = moments(torch.randn(n, { dtype, generator: g }));
      assert.ok(Math.abs(m.mean) < 0.03, `${dtype} mean ${m.mean}`);
      assert.ok(Math.abs(m.variance - 1) < 0.03, `${dtype} variance ${m.variance}`);
    }
    const m = moments(torch.normal(2, 3, [n], { generator: g }));
    assert.ok(Math.abs(m.mean - 2) < 0.1 && Math.abs(m.variance - 9) < 0.3, JSON.stringify(m));
  });

  it("uniform_, exponential_ and bernoulli_ have their moments", () => {
    const g = new torch.Generator().manualSeed(12);
    const u = moments(torch.empty(n).uniform_(-1, 3, { generator: g }));
    assert.ok(Math.abs(u.mean - 1) < 0.05 && Math.abs(u.variance - 16 / 12) < 0.05);
    const e = moments(torch.empty(n).exponential_(2, { generator: g }));
    assert.ok(Math.abs(e.mean - 0.5) < 0.02 && Math.abs(e.variance - 0.25) < 0.02);
    const b = moments(torch.empty(n).bernoulli_(0.2, { generator: g }));
    assert.ok(Math.abs(b.mean - 0.2) < 0.01);
  });

  it("randperm is a permutation", () => {
    const p = Array.from(torch.randperm(1000).toArray()).sort((a, b) => a - b);
    assert.deepEqual(
      p,
      Array.from({ length: 1000 }, (_, i) => i),
    );
  });
});
