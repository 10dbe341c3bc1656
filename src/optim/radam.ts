import { div } from "../ops/binary.js";
import { zerosLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkOptions } from "../validation/options.js";
import { check, Optimizer, type OptionKinds, type ParamGroup, type Params } from "./optimizer.js";

const kinds: OptionKinds<RAdamOptions> = {
  lr: "number",
  betas: "numbers",
  eps: "number",
  weightDecay: "number",
};

/** Options of RAdam (PyTorch 1.13's: no maximize, no decoupled weight decay). */
export interface RAdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
}

/**
 * RAdam (torch.optim.RAdam), Adam with the variance rectification term, PyTorch 1.13's
 * single-tensor update: while the SMA length rho_t is at most 5 the step is plain momentum
 * SGD. State keys: step, exp_avg, exp_avg_sq.
 *
 * @example
 * const opt = new optim.RAdam(model.parameters(), { lr: 1e-3 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class RAdam extends Optimizer<RAdamOptions> {
  constructor(params: Params<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    checkOptions("RAdam", options, kinds);
    const d: RAdamOptions = {
      lr: options.lr ?? 1e-3,
      betas: options.betas ? [options.betas[0], options.betas[1]] : [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
    };
    check(d.lr >= 0, "learning rate", d.lr);
    check(d.eps >= 0, "epsilon value", d.eps);
    check(d.betas[0] >= 0 && d.betas[0] < 1, "beta parameter at index 0", d.betas[0]);
    check(d.betas[1] >= 0 && d.betas[1] < 1, "beta parameter at index 1", d.betas[1]);
    check(d.weightDecay >= 0, "weight_decay value", d.weightDecay);
    super(params, d);
  }

  protected update(group: ParamGroup<RAdamOptions>): void {
    const { lr, eps, weightDecay } = group;
    const [beta1, beta2] = group.betas;
    for (const p of group.params) {
      if (p.grad === null) continue;
      let grad = p.grad;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.exp_avg = zerosLike(p);
        state.exp_avg_sq = zerosLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const expAvg = state.exp_avg as Tensor;
      const expAvgSq = state.exp_avg_sq as Tensor;
      expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      expAvgSq.mul_(beta2).add_(grad.mul(grad).mul(1 - beta2));
      const corrected = expAvg.div(biasCorrection1);
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
      if (rhoT > 5) {
        const rect = Math.sqrt(
          ((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT),
        );
        const adaptiveLr = div(Math.sqrt(biasCorrection2), expAvgSq.sqrt().add_(eps));
        p.add_(corrected.mul(lr).mul(adaptiveLr).mul(rect), { alpha: -1 });
      } else {
        p.add_(corrected.mul(lr), { alpha: -1 });
      }
    }
  }
}
