import { zerosLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkOptions } from "../validation/options.js";
import {
  check,
  Optimizer,
  type OptionKinds,
  type ParamGroup,
  type Params,
  scalarState,
} from "./optimizer.js";

const kinds: OptionKinds<NAdamOptions> = {
  lr: "number",
  betas: "numbers",
  eps: "number",
  weightDecay: "number",
  momentumDecay: "number",
};

/** Options of NAdam (PyTorch 1.13's: no maximize, no decoupled weight decay). */
export interface NAdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** psi, the decay of the momentum schedule mu_t (default 4e-3). */
  momentumDecay: number;
}

/**
 * NAdam (torch.optim.NAdam), Adam with Nesterov momentum, PyTorch 1.13's single-tensor update.
 * State keys: step, mu_product, exp_avg, exp_avg_sq. PyTorch keeps mu_product in a float32
 * 0-d tensor whatever the parameters' dtype; torchlet rounds it to float32 the same way.
 *
 * @example
 * const opt = new optim.NAdam(model.parameters(), { lr: 2e-3 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class NAdam extends Optimizer<NAdamOptions> {
  constructor(params: Params<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    checkOptions("NAdam", options, kinds);
    const d: NAdamOptions = {
      lr: options.lr ?? 2e-3,
      betas: options.betas ? [options.betas[0], options.betas[1]] : [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentumDecay: options.momentumDecay ?? 4e-3,
    };
    check(d.lr >= 0, "learning rate", d.lr);
    check(d.eps >= 0, "epsilon value", d.eps);
    check(d.betas[0] >= 0 && d.betas[0] < 1, "beta parameter at index 0", d.betas[0]);
    check(d.betas[1] >= 0 && d.betas[1] < 1, "beta parameter at index 1", d.betas[1]);
    check(d.weightDecay >= 0, "weight_decay value", d.weightDecay);
    check(d.momentumDecay >= 0, "momentum_decay value", d.momentumDecay);
    super(params, d);
  }

  protected update(group: ParamGroup<NAdamOptions>): void {
    const { lr, eps, weightDecay, momentumDecay } = group;
    const [beta1, beta2] = group.betas;
    const f = Math.fround;
    for (const p of group.params) {
      if (p.grad === null) continue;
      let grad = p.grad;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.mu_product = 1;
        state.exp_avg = zerosLike(p);
        state.exp_avg_sq = zerosLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      const biasCorrection2 = 1 - beta2 ** step;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
      // float32 arithmetic, as PyTorch's `mu_product *= mu` on its float32 0-d tensor.
      const muProduct = f(f(scalarState(state.mu_product, 1)) * f(mu));
      state.mu_product = muProduct;
      const muProductNext = f(f(muProduct * f(mu)) * f(muNext));
      const expAvg = state.exp_avg as Tensor;
      const expAvgSq = state.exp_avg_sq as Tensor;
      expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      expAvgSq.mul_(beta2).add_(grad.mul(grad).mul(1 - beta2));
      const denom = expAvgSq.div(biasCorrection2).sqrt().add_(eps);
      p.add_(grad.mul((-lr * (1 - mu)) / (1 - muProduct)).div(denom));
      p.add_(expAvg.mul((-lr * muNext) / (1 - muProductNext)).div(denom));
    }
  }
}
