import { ValueError } from "../errors.js";
import { checkOptions } from "../validation/options.js";
import { Tensor } from "../tensor/tensor.js";
import {
  check,
  gradOf,
  Optimizer,
  type OptionKinds,
  type ParamGroup,
  type Params,
} from "./optimizer.js";

const kinds: OptionKinds<SGDOptions> = {
  lr: "number",
  momentum: "number",
  dampening: "number",
  weightDecay: "number",
  nesterov: "boolean",
  maximize: "boolean",
};

/** Options of SGD (PyTorch 1.13 names, camelCase). `lr` is required, as in PyTorch 1.13. */
export interface SGDOptions {
  lr: number;
  /** Momentum factor (default 0: plain SGD). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize: boolean;
}

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and weight decay
 * (torch.optim.SGD), following PyTorch 1.13's update step for step: the first momentum buffer is
 * the gradient itself, later ones `buf * momentum + (1 - dampening) * grad`.
 *
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    checkOptions("SGD", options, kinds);
    if (options?.lr === undefined) {
      throw new ValueError(
        "parameter group didn't specify a value of required optimization parameter lr",
      );
    }
    const defaults: SGDOptions = {
      lr: options.lr,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
    };
    check(defaults.lr >= 0, "learning rate", defaults.lr);
    check(defaults.momentum >= 0, "momentum value", defaults.momentum);
    check(defaults.weightDecay >= 0, "weight_decay value", defaults.weightDecay);
    if (defaults.nesterov && (defaults.momentum <= 0 || defaults.dampening !== 0)) {
      throw new ValueError("Nesterov momentum requires a momentum and zero dampening");
    }
    super(params, defaults);
  }

  protected update(group: ParamGroup<SGDOptions>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    for (const p of group.params) {
      let d = gradOf(p, maximize);
      if (d === null) continue;
      if (weightDecay !== 0) d = d.add(p, { alpha: weightDecay });
      if (momentum !== 0) {
        const state = this.stateOf(p);
        let buf = state.momentum_buffer;
        if (!(buf instanceof Tensor)) {
          buf = d.clone();
          state.momentum_buffer = buf;
        } else {
          buf.mul_(momentum).add_(d, { alpha: 1 - dampening });
        }
        d = nesterov ? d.add(buf, { alpha: momentum }) : buf;
      }
      p.add_(d, { alpha: -lr });
    }
  }
}
