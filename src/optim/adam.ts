import { Tensor } from "../tensor/tensor.js";
import { zerosLike } from "../tensor/create.js";
import { checkOptions } from "../validation/options.js";
import {
  check,
  gradOf,
  Optimizer,
  type OptionKinds,
  type ParamGroup,
  type ParamState,
  type Params,
} from "./optimizer.js";

const kinds: OptionKinds<AdamOptions> = {
  lr: "number",
  betas: "numbers",
  eps: "number",
  weightDecay: "number",
  amsgrad: "boolean",
  maximize: "boolean",
};

/** Options of Adam and AdamW (PyTorch names, camelCase). */
export interface AdamOptions {
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 0.01). */
  weightDecay: number;
  /** Use the maximum of past second moments (AMSGrad). */
  amsgrad: boolean;
  maximize: boolean;
}

/** @internal Defaults and PyTorch's validation, shared by Adam and AdamW. */
/** @internal Adam's and AdamW's options checked and completed (`fn` names the optimizer). */
export function adamDefaults(
  fn: string,
  options: Partial<AdamOptions>,
  weightDecay: number,
): AdamOptions {
  checkOptions(fn, options, kinds);
  const d: AdamOptions = {
    lr: options.lr ?? 1e-3,
    betas: options.betas ? [options.betas[0], options.betas[1]] : [0.9, 0.999],
    eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? weightDecay,
    amsgrad: options.amsgrad ?? false,
    maximize: options.maximize ?? false,
  };
  check(d.lr >= 0, "learning rate", d.lr);
  check(d.eps >= 0, "epsilon value", d.eps);
  check(d.betas[0] >= 0 && d.betas[0] < 1, "beta parameter at index 0", d.betas[0]);
  check(d.betas[1] >= 0 && d.betas[1] < 1, "beta parameter at index 1", d.betas[1]);
  check(d.weightDecay >= 0, "weight_decay value", d.weightDecay);
  return d;
}

/**
 * @internal The Adam step after the gradient is prepared, in PyTorch 1.13's exact order:
 * step_size = lr / bias_correction1, denom = sqrt(v) / sqrt(bias_correction2) + eps.
 */
export function adamStep(
  opt: { stateOf(p: Tensor): ParamState },
  p: Tensor,
  grad: Tensor,
  group: AdamOptions,
): void {
  const state = opt.stateOf(p);
  if (state.step === undefined) {
    state.step = 0;
    state.exp_avg = zerosLike(p);
    state.exp_avg_sq = zerosLike(p);
    if (group.amsgrad) state.max_exp_avg_sq = zerosLike(p);
  }
  const [beta1, beta2] = group.betas;
  const step = (state.step as number) + 1;
  state.step = step;
  const expAvg = state.exp_avg as Tensor;
  const expAvgSq = state.exp_avg_sq as Tensor;
  expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
  expAvgSq.mul_(beta2).add_(grad.mul(grad).mul(1 - beta2));
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2 = 1 - beta2 ** step;
  const stepSize = group.lr / biasCorrection1;
  const bc2Sqrt = Math.sqrt(biasCorrection2);
  let second = expAvgSq;
  if (group.amsgrad) {
    const max = state.max_exp_avg_sq as Tensor;
    max.copy_(max.maximum(expAvgSq));
    second = max;
  }
  const denom = second.sqrt().div(bc2Sqrt).add_(group.eps);
  p.add_(expAvg.div(denom).mul(-stepSize));
}

/**
 * Adam (torch.optim.Adam), PyTorch 1.13's single-tensor update; weight decay is an L2 term
 * added to the gradient. State keys: step, exp_avg, exp_avg_sq (max_exp_avg_sq with amsgrad).
 *
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, adamDefaults("Adam", options, 0));
  }

  protected update(group: ParamGroup<AdamOptions>): void {
    for (const p of group.params) {
      let grad = gradOf(p, group.maximize);
      if (grad === null) continue;
      if (group.weightDecay !== 0) grad = grad.add(p, { alpha: group.weightDecay });
      adamStep(this, p, grad, group);
    }
  }
}
