/** What every loss shares: the `reduction` argument and PyTorch's size-mismatch warning. */
import { ValueError } from "../../errors.js";
import { shapesEqual } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { torchSize } from "../state-dict.js";

/** How a loss reduces its elementwise values: their mean, their sum, or not at all. */
export type Reduction = "mean" | "sum" | "none";

/** The options bag every loss takes. */
export interface ReductionOptions {
  reduction?: Reduction;
}

/** Validates `reduction` with PyTorch's message. */
export function checkReduction(reduction: string): Reduction {
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") {
    throw new ValueError(`${reduction} is not a valid value for reduction`);
  }
  return reduction;
}

/** Applies an unweighted reduction (PyTorch's apply_loss_reduction). */
export function reduce(loss: Tensor, reduction: string = "mean"): Tensor {
  const r = checkReduction(reduction);
  return r === "mean" ? loss.mean() : r === "sum" ? loss.sum() : loss;
}

const warned = new Set<string>();

/**
 * Warns once per distinct message through console.warn, as Python shows a UserWarning once per
 * call site by default; a training loop does not flood the console.
 */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`UserWarning: ${message}`);
}

/** PyTorch's warning when a regression loss's input and target differ in shape but broadcast. */
export function warnIfBroadcasting(input: Tensor, target: Tensor): void {
  if (shapesEqual(input.shape, target.shape)) return;
  warnOnce(
    `Using a target size (${torchSize(target.shape)}) that is different to the input size ` +
      `(${torchSize(input.shape)}). This will likely lead to incorrect results due to ` +
      "broadcasting. Please ensure they have the same size.",
  );
}
