/**
 * Schedulers that scale the lr by a factor: MultiplicativeLR, ConstantLR, PolynomialLR, each
 * PyTorch 1.13's chainable form, with its closed form for `step(epoch)`.
 */
import { checkSchedulerArgs } from "../optimizer.js";
import { ValueError } from "../../errors.js";
import type { BaseOptions, Optimizer } from "../optimizer.js";
import { LRScheduler, type SchedulerStateDict } from "./base.js";
import type { LrLambda } from "./schedulers.js";

type Opt = Optimizer<BaseOptions>;

/**
 * Multiplies the lr by `lrLambda(epoch)` every epoch (torch.optim.lr_scheduler.MultiplicativeLR);
 * one function for all groups or one per group. The state dict has `lr_lambdas: [null, ...]`,
 * as PyTorch's for plain functions.
 *
 * @example
 * new optim.lrScheduler.MultiplicativeLR(opt, { lrLambda: () => 0.95 });
 */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(opt: Opt, options: { lrLambda: LrLambda | LrLambda[]; lastEpoch?: number }) {
    checkSchedulerArgs("MultiplicativeLR", opt, options);
    const n = opt.paramGroups.length;
    if (Array.isArray(options.lrLambda) && options.lrLambda.length !== n) {
      throw new ValueError(`Expected ${n} lr_lambdas, but got ${options.lrLambda.length}`);
    }
    super(opt, options.lastEpoch);
    this.lrLambdas = Array.isArray(options.lrLambda)
      ? [...options.lrLambda]
      : new Array<LrLambda>(n).fill(options.lrLambda);
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch <= 0) return lrs;
    return lrs.map((lr, i) => lr * this.lrLambdas[i]!(this.lastEpoch));
  }

  override stateDict(): SchedulerStateDict {
    const sd = super.stateDict();
    sd.lr_lambdas = this.lrLambdas.map(() => null);
    return sd;
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    const rest = { ...sd };
    delete rest.lr_lambdas;
    super.loadStateDict(rest);
  }
}

/**
 * Multiplies the lr by `factor` until epoch `totalIters`, then restores it
 * (torch.optim.lr_scheduler.ConstantLR), warm-up style.
 *
 * @example
 * new optim.lrScheduler.ConstantLR(opt, { factor: 0.5, totalIters: 4 });
 */
export class ConstantLR extends LRScheduler {
  factor: number;
  totalIters: number;

  constructor(
    opt: Opt,
    options: { factor?: number; totalIters?: number; lastEpoch?: number } = {},
  ) {
    const factor = options.factor ?? 1 / 3;
    if (factor > 1 || factor < 0) {
      throw new ValueError("Constant multiplicative factor expected to be between 0 and 1.");
    }
    super(opt, options.lastEpoch);
    this.factor = factor;
    this.totalIters = options.totalIters ?? 5;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0) return lrs.map((lr) => lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return lrs;
    return lrs.map((lr) => lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    const reached = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + reached * (1 - this.factor)));
  }
}

/**
 * Decays the lr polynomially to 0 over `totalIters` epochs (torch.optim.lr_scheduler.PolynomialLR):
 * lr = initial_lr * (1 - epoch / totalIters) ** power.
 *
 * @example
 * new optim.lrScheduler.PolynomialLR(opt, { totalIters: 10, power: 2 });
 */
export class PolynomialLR extends LRScheduler {
  totalIters: number;
  power: number;

  constructor(opt: Opt, options: { totalIters?: number; power?: number; lastEpoch?: number } = {}) {
    super(opt, options.lastEpoch);
    this.totalIters = options.totalIters ?? 5;
    this.power = options.power ?? 1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: e, totalIters: n } = this;
    const lrs = this.groupLrs();
    if (e === 0 || e > n) return lrs;
    const decay = ((1 - e / n) / (1 - (e - 1) / n)) ** this.power;
    return lrs.map((lr) => lr * decay);
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: e, totalIters: n } = this;
    return this.baseLrs.map((base) => base * (1 - Math.min(n, e) / n) ** this.power);
  }
}
