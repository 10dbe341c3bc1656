import { tensor, type Tensor } from "../../src/index.js";
import type { DType } from "../../src/tensor/dtype.js";

/**
 * Deterministic pseudo-random values in [-1, 1) from an LCG seeded by `seed` (there is no
 * torch.randn yet, and tests must be reproducible).
 */
export function seeded(shape: readonly number[], seed = 1, dtype: DType = "float32"): Tensor {
  let n = 1;
  for (const s of shape) n *= s;
  let state = (seed * 2654435761) >>> 0;
  const values = Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  });
  return tensor(values, { dtype }).reshape([...shape]);
}

let counter = 0;

/** A float64 leaf that requires grad, for gradcheck: distinct values on every call. */
export function f64(...shape: number[]): Tensor {
  return seeded(shape, ++counter, "float64").requiresGrad_(true);
}
