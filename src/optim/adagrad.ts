import { fullLike } from "../tensor/create.js";
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

const kinds: OptionKinds<AdagradOptions> = {
  lr: "number",
  lrDecay: "number",
  weightDecay: "number",
  initialAccumulatorValue: "number",
  eps: "number",
  maximize: "boolean",
};

/** Options of Adagrad (PyTorch names, camelCase). */
export interface AdagradOptions {
  lr: number;
  /** The learning rate at step t is lr / (1 + (t - 1) * lrDecay). */
  lrDecay: number;
  weightDecay: number;
  /** Starting value of the squared-gradient sum. */
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

/**
 * Adagrad (torch.optim.Adagrad), PyTorch 1.13's dense update. As in PyTorch, the state (step,
 * sum) is created in the constructor, so it appears in the state dict before the first step.
 *
 * @example
 * const opt = new optim.Adagrad(model.parameters(), { lr: 0.01 });
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    checkOptions("Adagrad", options, kinds);
    const d: AdagradOptions = {
      lr: options.lr ?? 1e-2,
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
      maximize: options.maximize ?? false,
    };
    check(d.lr >= 0, "learning rate", d.lr);
    check(d.lrDecay >= 0, "lr_decay value", d.lrDecay);
    check(d.weightDecay >= 0, "weight_decay value", d.weightDecay);
    check(
      d.initialAccumulatorValue >= 0,
      "initial_accumulator_value value",
      d.initialAccumulatorValue,
    );
    check(d.eps >= 0, "epsilon value", d.eps);
    super(params, d);
    for (const group of this.paramGroups) for (const p of group.params) this.init(p, group);
  }

  private init(p: Tensor, group: AdagradOptions): void {
    const state = this.stateOf(p);
    if (state.step !== undefined) return;
    state.step = 0;
    state.sum = fullLike(p, group.initialAccumulatorValue);
  }

  protected update(group: ParamGroup<AdagradOptions>): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    for (const p of group.params) {
      let grad = gradOf(p, maximize);
      if (grad === null) continue;
      this.init(p, group); // groups added later (PyTorch would fail on them)
      const state = this.stateOf(p);
      const step = (state.step as number) + 1;
      state.step = step;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const clr = lr / (1 + (step - 1) * lrDecay);
      const sum = state.sum as Tensor;
      sum.add_(grad.mul(grad));
      const std = sum.sqrt().add_(eps);
      p.add_(grad.div(std).mul(-clr));
    }
  }
}
