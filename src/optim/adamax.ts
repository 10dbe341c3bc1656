import { zerosLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkOptions } from "../validation/options.js";
import {
  check,
  gradOf,
  Optimizer,
  type OptionKinds,
  type ParamGroup,
  type Params,
} from "./optimizer.js";

const kinds: OptionKinds<AdamaxOptions> = {
  lr: "number",
  betas: "numbers",
  eps: "number",
  weightDecay: "number",
  maximize: "boolean",
};

/** Options of Adamax (PyTorch names, camelCase). */
export interface AdamaxOptions {
  lr: number;
  /** Decay of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * Adamax (torch.optim.Adamax), Adam with the infinity norm, PyTorch 1.13's single-tensor update
 * (eps is added to |grad| before the maximum). State keys: step, exp_avg, exp_inf.
 *
 * @example
 * const opt = new optim.Adamax(model.parameters(), { lr: 2e-3 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: Params<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    checkOptions("Adamax", options, kinds);
    const d: AdamaxOptions = {
      lr: options.lr ?? 2e-3,
      betas: options.betas ? [options.betas[0], options.betas[1]] : [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      maximize: options.maximize ?? false,
    };
    check(d.lr >= 0, "learning rate", d.lr);
    check(d.eps >= 0, "epsilon value", d.eps);
    check(d.betas[0] >= 0 && d.betas[0] < 1, "beta parameter at index 0", d.betas[0]);
    check(d.betas[1] >= 0 && d.betas[1] < 1, "beta parameter at index 1", d.betas[1]);
    check(d.weightDecay >= 0, "weight_decay value", d.weightDecay);
    super(params, d);
  }

  protected update(group: ParamGroup<AdamaxOptions>): void {
    const { lr, eps, weightDecay, maximize } = group;
    const [beta1, beta2] = group.betas;
    for (const p of group.params) {
      let grad = gradOf(p, maximize);
      if (grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.exp_avg = zerosLike(p);
        state.exp_inf = zerosLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const expAvg = state.exp_avg as Tensor;
      const expInf = state.exp_inf as Tensor;
      expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      expInf.mul_(beta2);
      expInf.copy_(expInf.maximum(grad.abs().add_(eps)));
      const clr = lr / (1 - beta1 ** step);
      p.add_(expAvg.mul(-clr).div(expInf));
    }
  }
}
