/**
 * The random draws nn needs (initialisation, dropout masks), through torchlet's PyTorch-exact
 * generator (src/random), so that `manualSeed(0)` gives PyTorch's initial weights and dropout
 * masks. Each fill runs without graph recording.
 */
import { noGrad } from "../autograd/grad-mode.js";
import type { Tensor } from "../tensor/tensor.js";
import "../random/index.js";

/** Fills `t` in place from U(low, high), as PyTorch's uniform_. */
export function uniformFill(t: Tensor, low: number, high: number): Tensor {
  return noGrad(() => t.uniform_(low, high));
}

/** Fills `t` in place from N(mean, std^2), as PyTorch's normal_. */
export function normalFill(t: Tensor, mean: number, std: number): Tensor {
  return noGrad(() => t.normal_(mean, std));
}

/** Fills `t` in place with 1 with probability `p`, else 0, as PyTorch's bernoulli_(p). */
export function bernoulliFill(t: Tensor, p: number): Tensor {
  return noGrad(() => t.bernoulli_(p));
}
