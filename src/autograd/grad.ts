import { AutogradError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkRoots, gradientEdge, runBackward } from "./engine.js";

/** Options of autograd.grad, as torch.autograd.grad's keyword arguments. */
export interface GradOptions {
  /** Gradients of some scalar with respect to each output (needed for non-scalar outputs). */
  gradOutputs?: readonly (Tensor | null)[] | Tensor | null;
  /** Keep the graph's saved tensors (default: createGraph). */
  retainGraph?: boolean;
  /** Record the gradient computation, for higher-order derivatives. */
  createGraph?: boolean;
  /** Return null for inputs the outputs do not depend on instead of throwing. */
  allowUnused?: boolean;
}

/**
 * The gradients of `outputs` with respect to `inputs`, returned rather than added to `.grad`
 * (torch.autograd.grad). With `createGraph`, the result is differentiable again.
 *
 * @example
 * const [dydx] = autograd.grad(y, x, { createGraph: true });
 * const [d2ydx2] = autograd.grad(dydx!.sum(), x);
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? (inputs as readonly Tensor[]) : [inputs as Tensor];
  const gradOutputs =
    options.gradOutputs === undefined || options.gradOutputs === null
      ? []
      : Array.isArray(options.gradOutputs)
        ? (options.gradOutputs as readonly (Tensor | null)[])
        : [options.gradOutputs as Tensor];
  const grads = checkRoots(
    outs,
    outs.map((_, i) => gradOutputs[i]),
  );
  const targets = ins.map((t, i) => {
    const edge = gradientEdge(t);
    if (edge === null)
      throw new AutogradError(
        `One of the differentiated Tensors (input ${i}) does not require grad`,
      );
    return edge;
  });
  const createGraph = options.createGraph ?? false;
  const result = runBackward(outs, grads, {
    retainGraph: options.retainGraph ?? createGraph,
    createGraph,
    captureAt: targets,
  });
  return result.map((g, i) => {
    if (g === null && !options.allowUnused) {
      throw new AutogradError(
        `One of the differentiated Tensors (input ${i}) appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.`,
      );
    }
    return g === null ? null : g.dtype === ins[i]!.dtype ? g : g.to(ins[i]!.dtype);
  });
}
