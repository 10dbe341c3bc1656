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
  scalarState,
} from "./optimizer.js";

const kinds: OptionKinds<ASGDOptions> = {
  lr: "number",
  lambd: "number",
  alpha: "number",
  t0: "number",
  weightDecay: "number",
  maximize: "boolean",
};

/** Options of ASGD (PyTorch names, camelCase). */
export interface ASGDOptions {
  lr: number;
  /** Decay term (default 1e-4). */
  lambd: number;
  /** Power of the eta update (default 0.75). */
  alpha: number;
  /** The step at which averaging starts (default 1e6). */
  t0: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * ASGD (torch.optim.ASGD), averaged SGD, PyTorch 1.13's single-tensor update. State keys:
 * step, eta, mu, ax (the average). PyTorch keeps eta and mu in float32 0-d tensors whatever
 * the parameters' dtype; torchlet rounds them to float32 the same way.
 *
 * @example
 * const opt = new optim.ASGD(model.parameters(), { lr: 0.01, t0: 100 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class ASGD extends Optimizer<ASGDOptions> {
  constructor(params: Params<ASGDOptions>, options: Partial<ASGDOptions> = {}) {
    checkOptions("ASGD", options, kinds);
    const d: ASGDOptions = {
      lr: options.lr ?? 1e-2,
      lambd: options.lambd ?? 1e-4,
      alpha: options.alpha ?? 0.75,
      t0: options.t0 ?? 1e6,
      weightDecay: options.weightDecay ?? 0,
      maximize: options.maximize ?? false,
    };
    check(d.lr >= 0, "learning rate", d.lr);
    check(d.weightDecay >= 0, "weight_decay value", d.weightDecay);
    super(params, d);
  }

  protected update(group: ParamGroup<ASGDOptions>): void {
    const { lr, lambd, alpha, t0, weightDecay, maximize } = group;
    for (const p of group.params) {
      let grad = gradOf(p, maximize);
      if (grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.eta = Math.fround(lr);
        state.mu = 1;
        state.ax = zerosLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const eta = scalarState(state.eta, lr);
      const mu = scalarState(state.mu, 1);
      p.mul_(1 - lambd * eta);
      p.add_(grad, { alpha: -eta });
      const ax = state.ax as Tensor;
      if (mu !== 1) ax.add_(p.sub(ax).mul(mu));
      else ax.copy_(p);
      state.eta = Math.fround(lr / (1 + lambd * lr * step) ** alpha);
      state.mu = Math.fround(1 / Math.max(1, step - t0));
    }
  }
}
