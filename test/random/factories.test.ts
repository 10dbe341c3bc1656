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
 * Which draws match PyTorch bit for bit: all float32 ones, including randn of 16+ elements
 * through the replayed AVX2 kernel. float64 randn goes through libm's log/sin/cos, where V8 and
 * glibc differ in the last ulp now and then: 1e-14.
 */
function tolerance(c: FactoryCase): { rtol: number; atol: number } | "exact" {
  return c.op === "randn" && c.dtype === "float64" ? { rtol: 0, atol: 1e-14 } : "exact";
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
