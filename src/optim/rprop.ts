import { ValueError } from "../errors.js";
import { fullLike, zerosLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkOptions } from "../validation/options.js";
import {
  check,
  formatPyNumber,
  gradOf,
  Optimizer,
  type OptionKinds,
  type ParamGroup,
  type Params,
} from "./optimizer.js";

const kinds: OptionKinds<RpropOptions> = {
  lr: "number",
  etas: "numbers",
  stepSizes: "numbers",
  maximize: "boolean",
};

/** Options of Rprop (PyTorch names, camelCase). */
export interface RpropOptions {
  /** The initial step size of every element (default 0.01). */
  lr: number;
  /** The step size factors (etaminus, etaplus) on a sign change / no change (default [0.5, 1.2]). */
  etas: [number, number];
  /** [min, max] step size (default [1e-6, 50]). */
  stepSizes: [number, number];
  maximize: boolean;
}

/**
 * Rprop (torch.optim.Rprop), resilient backpropagation, PyTorch 1.13's single-tensor update:
 * only the gradient's sign is used; where it flips, the step shrinks and that element waits a
 * step. State keys: step, prev, step_size.
 *
 * @example
 * const opt = new optim.Rprop(model.parameters(), { lr: 0.01, etas: [0.5, 1.2] });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class Rprop extends Optimizer<RpropOptions> {
  constructor(params: Params<RpropOptions>, options: Partial<RpropOptions> = {}) {
    checkOptions("Rprop", options, kinds);
    const d: RpropOptions = {
      lr: options.lr ?? 1e-2,
      etas: options.etas ? [options.etas[0], options.etas[1]] : [0.5, 1.2],
      stepSizes: options.stepSizes ? [options.stepSizes[0], options.stepSizes[1]] : [1e-6, 50],
      maximize: options.maximize ?? false,
    };
    check(d.lr >= 0, "learning rate", d.lr);
    const [minus, plus] = d.etas;
    if (!(minus > 0 && minus < 1 && plus > 1)) {
      throw new ValueError(`Invalid eta values: ${formatPyNumber(minus)}, ${formatPyNumber(plus)}`);
    }
    super(params, d);
  }

  protected update(group: ParamGroup<RpropOptions>): void {
    const [etaminus, etaplus] = group.etas;
    const [stepSizeMin, stepSizeMax] = group.stepSizes;
    for (const p of group.params) {
      let grad = gradOf(p, group.maximize);
      if (grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.prev = zerosLike(p);
        state.step_size = fullLike(grad, group.lr);
      }
      state.step = (state.step as number) + 1;
      const prev = state.prev as Tensor;
      const stepSize = state.step_size as Tensor;
      const sign = grad.mul(prev).sign();
      const flipped = sign.lt(0);
      // Built in the gradient's dtype (a scalar `where` would round etas through float32).
      const factor = fullLike(sign, 1)
        .maskedFill_(sign.gt(0), etaplus)
        .maskedFill_(flipped, etaminus);
      stepSize.mul_(factor).clamp_(stepSizeMin, stepSizeMax);
      // Where the sign flipped, the gradient counts as 0: no move now, no flip next step.
      grad = grad.maskedFill(flipped, 0);
      p.add_(grad.sign().mul(stepSize), { alpha: -1 });
      prev.copy_(grad);
    }
  }
}
