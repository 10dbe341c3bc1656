import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import type { DType } from "../../src/tensor/dtype.js";
import { assertExact } from "./exact.js";

interface InplaceCase {
  name: string;
  seed: number;
  op: "uniform_" | "normal_" | "exponential_" | "bernoulli_" | "random_";
  shape: number[];
  dtype: DType;
  args: number[];
  transposed?: boolean;
  out: EncodedTensor;
}

const { cases } = loadFixture<{ cases: InplaceCase[] }>("rng", "inplace");

function target(c: InplaceCase): torch.Tensor {
  if (c.transposed) return torch.zeros([c.shape[1]!, c.shape[0]!], { dtype: c.dtype }).t();
  return torch.zeros(c.shape, { dtype: c.dtype });
}

/**
 * Everything is bit-exact except normal_, which goes through log/sin/cos: see factories.test.ts
 * (float64 ~1 ulp of libm; float32 with 16+ contiguous elements, PyTorch's AVX2 polynomials).
 */
function tolerance(c: InplaceCase): { rtol: number; atol: number } | "exact" {
  if (c.op !== "normal_") return "exact";
  if (c.dtype === "float64") return { rtol: 0, atol: 1e-14 };
  return c.shape[0]! * (c.shape[1] ?? 1) < 16 || c.transposed ? "exact" : { rtol: 0, atol: 4e-6 };
}

describe("in-place random initialisers vs PyTorch", () => {
  for (const c of cases) {
    const tol = tolerance(c);
    it(`${c.name}, seed ${c.seed} (${tol === "exact" ? "bit-exact" : `atol ${tol.atol}`})`, () => {
      torch.manualSeed(c.seed);
      const t = target(c);
      const [a, b] = c.args;
      const out =
        c.op === "uniform_"
          ? t.uniform_(a, b)
          : c.op === "normal_"
            ? t.normal_(a, b)
            : c.op === "exponential_"
              ? t.exponential_(a)
              : c.op === "bernoulli_"
                ? t.bernoulli_(a)
                : t.random_(a!, b);
      assert.equal(out, t);
      if (tol === "exact") assertExact(t, c.out);
      else assertClose(t, c.out, tol);
    });
  }

  it("bumps the version and obeys the leaf rule", () => {
    const w = torch.zeros([3, 3]);
    const v = w.version;
    w.uniform_(-1, 1);
    assert.equal(w.version, v + 1);
    const leaf = torch.zeros([2], { requiresGrad: true });
    assert.throws(() => leaf.normal_(), {
      name: "AutogradError",
      message: "a leaf Variable that requires grad is being used in an in-place operation.",
    });
    torch.noGrad(() => leaf.uniform_(-1, 1)); // how nn.init initialises parameters
    assert.equal(leaf.requiresGrad, true);
    assert.ok(leaf.toArray().some((x) => x !== 0));
  });

  it("draws from a given generator", () => {
    const g = new torch.Generator().manualSeed(0);
    const a = torch.zeros([5]).uniform_(0, 1, { generator: g });
    torch.manualSeed(0);
    assert.deepEqual(a.toArray(), torch.rand(5).toArray());
  });

  it("fills a slice of a bigger tensor in place, leaving the rest alone", () => {
    const base = torch.zeros([4, 4]);
    base.narrow(1, 1, 2).fill_(0).uniform_(1, 2);
    const rows = base.tolist() as number[][];
    for (const row of rows) {
      assert.equal(row[0], 0);
      assert.equal(row[3], 0);
      assert.ok(row[1]! >= 1 && row[2]! >= 1);
    }
  });

  it("refuses bad arguments with PyTorch's messages", () => {
    const t = torch.zeros([3]);
    assert.throws(() => t.uniform_(1, 0), {
      name: "ValueError",
      message: "uniform_ expects to return a [from, to) range, but found from=1 > to=0",
    });
    assert.throws(() => t.normal_(0, -1), {
      name: "ValueError",
      message: "normal expects std >= 0.0, but found std -1",
    });
    assert.throws(() => t.bernoulli_(1.5), {
      name: "ValueError",
      message: "bernoulli_ expects p to be in [0, 1], but got p=1.5",
    });
    assert.throws(() => t.exponential_(-1), {
      name: "ValueError",
      message: "exponential_ expects lambda >= 0.0, but found lambda=-1",
    });
    assert.throws(() => t.random_(5, 2), {
      name: "ValueError",
      message: "random_ expects 'from' to be less than 'to', but got from=5 >= to=2",
    });
    assert.throws(() => torch.zeros([3], { dtype: "int64" }).uniform_(), {
      name: "DTypeError",
      message: `"check_uniform_bounds" not implemented for 'Long'`,
    });
    assert.throws(() => torch.zeros([3], { dtype: "int64" }).exponential_(), {
      name: "DTypeError",
      message: `"exponential_cpu" not implemented for 'Long'`,
    });
  });
});
