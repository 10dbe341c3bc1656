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

const kinds: OptionKinds<RMSpropOptions> = {
  lr: "number",
  alpha: "number",
  eps: "number",
  weightDecay: "number",
  momentum: "number",
  centered: "boolean",
  maximize: "boolean",
};

/** Options of RMSprop (PyTorch names, camelCase). */
export interface RMSpropOptions {
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  /** Normalize by the estimated variance (subtracting the squared mean gradient). */
  centered: boolean;
  maximize: boolean;
}

/**
 * RMSprop (torch.optim.RMSprop), PyTorch 1.13's update: eps is added after the square root.
 * State keys: step, square_avg, momentum_buffer (momentum > 0), grad_avg (centered).
 *
 * @example
 * const opt = new optim.RMSprop(model.parameters(), { lr: 0.01, momentum: 0.9 });
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    checkOptions("RMSprop", options, kinds);
    const d: RMSpropOptions = {
      lr: options.lr ?? 1e-2,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      maximize: options.maximize ?? false,
    };
    check(d.lr >= 0, "learning rate", d.lr);
    check(d.eps >= 0, "epsilon value", d.eps);
    check(d.momentum >= 0, "momentum value", d.momentum);
    check(d.weightDecay >= 0, "weight_decay value", d.weightDecay);
    check(d.alpha >= 0, "alpha value", d.alpha);
    super(params, d);
  }

  protected update(group: ParamGroup<RMSpropOptions>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    for (const p of group.params) {
      let grad = gradOf(p, maximize);
      if (grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.square_avg = zerosLike(p);
        if (momentum > 0) state.momentum_buffer = zerosLike(p);
        if (centered) state.grad_avg = zerosLike(p);
      }
      state.step = (state.step as number) + 1;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const squareAvg = state.square_avg as Tensor;
      squareAvg.mul_(alpha).add_(grad.mul(grad).mul(1 - alpha));
      let avg: Tensor;
      if (centered) {
        const gradAvg = state.grad_avg as Tensor;
        gradAvg.mul_(alpha).add_(grad, { alpha: 1 - alpha });
        avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt_();
      } else {
        avg = squareAvg.sqrt();
      }
      avg.add_(eps);
      if (momentum > 0) {
        const buf = state.momentum_buffer as Tensor;
        buf.mul_(momentum).add_(grad.div(avg));
        p.add_(buf, { alpha: -lr });
      } else {
        p.add_(grad.div(avg).mul(-lr));
      }
    }
  }
}
