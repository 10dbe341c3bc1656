/**
 * The random draws nn needs (initialisation, dropout masks), behind one small interface.
 * When src/random lands, Tensor gets `uniform_`, `normal_` and `bernoulli_` methods drawing
 * from PyTorch's exact generator and these functions use them, so that `manualSeed(0)` gives
 * PyTorch's initial weights. Until then they fall back to Math.random (not seedable).
 */
import { noGrad } from "../autograd/grad-mode.js";
import { tensor } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";

interface RandomMethods {
  uniform_?: (from: number, to: number) => Tensor;
  normal_?: (mean: number, std: number) => Tensor;
  bernoulli_?: (p: number) => Tensor;
}

function methods(t: Tensor): RandomMethods {
  return t as unknown as RandomMethods;
}

/** Writes `values(n)` into `t` (no autograd recording). */
function fillWith(t: Tensor, values: Float64Array): void {
  noGrad(() => t.copy_(tensor(values, { dtype: "float64" }).reshape(t.shape)));
}

/** Fills `t` in place from U(low, high). */
export function uniformFill(t: Tensor, low: number, high: number): Tensor {
  const m = methods(t);
  if (typeof m.uniform_ === "function") return noGrad(() => m.uniform_!.call(t, low, high));
  const n = t.numel();
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = low + (high - low) * Math.random();
  fillWith(t, v);
  return t;
}

/** Fills `t` in place from N(mean, std^2). */
export function normalFill(t: Tensor, mean: number, std: number): Tensor {
  const m = methods(t);
  if (typeof m.normal_ === "function") return noGrad(() => m.normal_!.call(t, mean, std));
  const n = t.numel();
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Box-Muller; 1 - random() avoids log(0).
    const r = Math.sqrt(-2 * Math.log(1 - Math.random()));
    v[i] = mean + std * r * Math.cos(2 * Math.PI * Math.random());
  }
  fillWith(t, v);
  return t;
}

/** Fills `t` in place with 1 with probability `p`, else 0. */
export function bernoulliFill(t: Tensor, p: number): Tensor {
  const m = methods(t);
  if (typeof m.bernoulli_ === "function") return noGrad(() => m.bernoulli_!.call(t, p));
  const n = t.numel();
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.random() < p ? 1 : 0;
  fillWith(t, v);
  return t;
}
