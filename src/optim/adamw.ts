import { adamDefaults, adamStep, type AdamOptions } from "./adam.js";
import { gradOf, Optimizer, type ParamGroup, type Params } from "./optimizer.js";

/**
 * AdamW (torch.optim.AdamW): Adam with decoupled weight decay, `p *= 1 - lr * weightDecay`
 * before the Adam step; weightDecay defaults to 0.01.
 *
 * @example
 * const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, adamDefaults("AdamW", options, 1e-2));
  }

  protected update(group: ParamGroup<AdamOptions>): void {
    for (const p of group.params) {
      const grad = gradOf(p, group.maximize);
      if (grad === null) continue;
      p.mul_(1 - group.lr * group.weightDecay);
      adamStep(this, p, grad, group);
    }
  }
}
