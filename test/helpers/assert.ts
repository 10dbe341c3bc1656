import assert from "node:assert/strict";
import type { Tensor } from "../../src/index.js";
import { decodeNumber, type EncodedTensor } from "./fixtures.js";

/** Default tolerances by dtype: float32 ~1e-5 relative, float64 ~1e-10. */
export function tolerance(dtype: string): { rtol: number; atol: number } {
  return dtype === "float64"
    ? { rtol: 1e-10, atol: 1e-12 }
    : dtype === "float32"
      ? { rtol: 1e-5, atol: 1e-6 }
      : { rtol: 0, atol: 0 };
}

/**
 * Asserts `actual` has `expected`'s shape, dtype and values within tolerance (NaN equals NaN,
 * infinities must match exactly).
 */
export function assertClose(
  actual: Tensor,
  expected: EncodedTensor | { shape: readonly number[]; dtype?: string; data: ArrayLike<number> },
  options: { rtol?: number; atol?: number; message?: string } = {},
): void {
  const label = options.message ? `${options.message}: ` : "";
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}shape`);
  if (expected.dtype !== undefined) assert.equal(actual.dtype, expected.dtype, `${label}dtype`);
  const tol = tolerance(actual.dtype);
  const rtol = options.rtol ?? tol.rtol;
  const atol = options.atol ?? tol.atol;
  const got = actual.toArray();
  const want = Array.from(expected.data as ArrayLike<number | boolean | string>, (v) =>
    decodeNumber(v as number),
  );
  assert.equal(got.length, want.length, `${label}element count`);
  for (let i = 0; i < want.length; i++) {
    const a = got[i]!;
    const b = want[i]!;
    if (Number.isNaN(b) && Number.isNaN(a)) continue;
    if (!Number.isFinite(b) || !Number.isFinite(a)) {
      assert.equal(a, b, `${label}element ${i}: got ${a}, expected ${b}`);
      continue;
    }
    const ok = Math.abs(a - b) <= atol + rtol * Math.abs(b);
    assert.ok(ok, `${label}element ${i}: got ${a}, expected ${b} (rtol ${rtol}, atol ${atol})`);
  }
}
