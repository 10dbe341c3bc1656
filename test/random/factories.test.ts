import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import type { DType } from "../../src/tensor/dtype.js";
import { assertExact } from "./exact.js";

interface FactoryCase {
  name: string;
  seed: number;
  op: "rand" | "randn";
  shape: number[];
  dtype: DType;
  out: EncodedTensor;
}

const { cases } = loadFixture<{ cases: FactoryCase[] }>("rng", "factories");

/**
 * Which draws match PyTorch bit for bit. rand does, always. randn uses log/sin/cos: in float64,
 * glibc's and V8's differ in the last ulp now and then (so 1e-14); in float32, fewer than 16
 * elements go through float64 Box-Muller and a rounding that hides those ulps (bit-exact), while
 * 16+ contiguous elements go through PyTorch's AVX2 normal_fill, whose float32 polynomial
 * log/sincos and FMA we do not reproduce (we compute in float64 and round: ~1e-7 absolute).
 */
function tolerance(c: FactoryCase): { rtol: number; atol: number } | "exact" {
  if (c.op === "rand") return "exact";
  if (c.dtype === "float64") return { rtol: 0, atol: 1e-14 };
  return c.shape[0]! < 16 ? "exact" : { rtol: 0, atol: 1e-6 };
}

describe("random factories vs PyTorch", () => {
  for (const c of cases) {
    const tol = tolerance(c);
    it(`${c.name}, seed ${c.seed} (${tol === "exact" ? "bit-exact" : `atol ${tol.atol}`})`, () => {
      torch.manualSeed(c.seed);
      const out = torch[c.op](c.shape, { dtype: c.dtype });
      if (tol === "exact") assertExact(out, c.out);
      else assertClose(out, c.out, tol);
      // The stream stays aligned: the next draw is what PyTorch's next draw would be.
      assert.equal(out.numel(), c.out.data.length);
    });
  }

  it("leaves the stream where PyTorch leaves it after a vectorised randn", () => {
    torch.manualSeed(0);
    torch.randn(17);
    const next = torch.rand(2).toArray();
    torch.manualSeed(0);
    torch.rand(17 + 16); // normal_fill draws n uniforms, plus 16 for the tail
    assert.deepEqual(torch.rand(2).toArray(), next);
  });

  it("accepts sizes as a list, spread numbers, and options", () => {
    const g = new torch.Generator().manualSeed(3);
    const a = torch.rand(2, 3, { generator: g, dtype: "float64", requiresGrad: true });
    assert.deepEqual(a.shape, [2, 3]);
    assert.equal(a.dtype, "float64");
    assert.equal(a.requiresGrad, true);
    g.manualSeed(3);
    assert.deepEqual(torch.rand([2, 3], { generator: g, dtype: "float64" }).toArray(), a.toArray());
    assert.deepEqual(torch.randn(4).shape, [4]);
    assert.deepEqual(torch.rand([]).shape, []);
  });

  it("randLike / randnLike follow the tensor's shape and dtype", () => {
    const like = torch.zeros([2, 2], { dtype: "float64" });
    torch.manualSeed(1);
    const a = torch.randLike(like);
    torch.manualSeed(1);
    assert.deepEqual(a.toArray(), torch.rand([2, 2], { dtype: "float64" }).toArray());
    assert.equal(torch.randnLike(like).dtype, "float64");
  });

  it("refuses integer dtypes and negative sizes with PyTorch's messages", () => {
    assert.throws(() => torch.rand(3, { dtype: "int64" }), {
      name: "DTypeError",
      message: `"check_uniform_bounds" not implemented for 'Long'`,
    });
    assert.throws(() => torch.randn(3, { dtype: "int64" }), {
      name: "DTypeError",
      message: `"normal_kernel_cpu" not implemented for 'Long'`,
    });
    assert.throws(() => torch.rand(-1), { name: "ShapeError", message: /negative dimension -1/ });
  });
});
