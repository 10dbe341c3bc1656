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

const kinds: OptionKinds<AdadeltaOptions> = {
  lr: "number",
  rho: "number",
  eps: "number",
  weightDecay: "number",
  maximize: "boolean",
};

/** Options of Adadelta (PyTorch names, camelCase). */
export interface AdadeltaOptions {
  /** Scales the delta before it is applied (default 1.0). */
  lr: number;
  /** Decay of the running averages of squared gradients and deltas (default 0.9). */
  rho: number;
  /** Added inside both square roots (default 1e-6). */
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * Adadelta (torch.optim.Adadelta), PyTorch 1.13's single-tensor update. State keys: step,
 * square_avg, acc_delta.
 *
 * @example
 * const opt = new optim.Adadelta(model.parameters(), { lr: 1.0, rho: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Params<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    checkOptions("Adadelta", options, kinds);
    const d: AdadeltaOptions = {
      lr: options.lr ?? 1.0,
      rho: options.rho ?? 0.9,
      eps: options.eps ?? 1e-6,
      weightDecay: options.weightDecay ?? 0,
      maximize: options.maximize ?? false,
    };
    check(d.lr >= 0, "learning rate", d.lr);
    check(d.rho >= 0 && d.rho <= 1, "rho value", d.rho);
    check(d.eps >= 0, "epsilon value", d.eps);
    check(d.weightDecay >= 0, "weight_decay value", d.weightDecay);
    super(params, d);
  }

  protected update(group: ParamGroup<AdadeltaOptions>): void {
    const { lr, rho, eps, weightDecay, maximize } = group;
    for (const p of group.params) {
      let grad = gradOf(p, maximize);
      if (grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.square_avg = zerosLike(p);
        state.acc_delta = zerosLike(p);
      }
      state.step = (state.step as number) + 1;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const squareAvg = state.square_avg as Tensor;
      const accDelta = state.acc_delta as Tensor;
      squareAvg.mul_(rho).add_(grad.mul(grad).mul(1 - rho));
      const std = squareAvg.add(eps).sqrt_();
      const delta = accDelta.add(eps).sqrt_().div_(std).mul_(grad);
      accDelta.mul_(rho).add_(delta.mul(delta).mul(1 - rho));
      p.add_(delta, { alpha: -lr });
    }
  }
}
