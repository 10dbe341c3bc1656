/**
 * The simple epoch schedulers, each PyTorch 1.13's chainable (recursive) form, so that their
 * numbers match PyTorch's exactly, including when something else also changes the lr.
 */
import { ValueError } from "../../errors.js";
import type { BaseOptions, Optimizer } from "../optimizer.js";
import { LRScheduler, type SchedulerStateDict } from "./base.js";

type Opt = Optimizer<BaseOptions>;

/**
 * Multiplies the lr by `gamma` every `stepSize` epochs (torch.optim.lr_scheduler.StepLR).
 *
 * @example
 * const sched = new optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(); }
 */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(opt: Opt, options: { stepSize: number; gamma?: number; lastEpoch?: number }) {
    super(opt, options.lastEpoch);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    const k = Math.floor(this.lastEpoch / this.stepSize);
    return this.baseLrs.map((base) => base * this.gamma ** k);
  }
}

/**
 * Multiplies the lr by `gamma` at each milestone epoch (torch.optim.lr_scheduler.MultiStepLR);
 * a milestone listed twice applies gamma twice.
 *
 * @example
 * new optim.lrScheduler.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  /** Milestone epoch -> how many times it was listed (PyTorch's Counter). */
  milestones: Record<number, number>;
  gamma: number;

  constructor(opt: Opt, options: { milestones: number[]; gamma?: number; lastEpoch?: number }) {
    super(opt, options.lastEpoch);
    this.milestones = {};
    for (const m of options.milestones) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const count = this.milestones[this.lastEpoch];
    const lrs = this.groupLrs();
    if (count === undefined) return lrs;
    return lrs.map((lr) => lr * this.gamma ** count);
  }
  protected override closedFormLr(): number[] {
    // bisect_right over the sorted milestones, each repeated as often as it was listed.
    let passed = 0;
    for (const [m, count] of Object.entries(this.milestones)) {
      if (Number(m) <= this.lastEpoch) passed += count;
    }
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }
}

/**
 * Multiplies the lr by `gamma` every epoch (torch.optim.lr_scheduler.ExponentialLR).
 *
 * @example
 * new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(opt: Opt, options: { gamma: number; lastEpoch?: number }) {
    super(opt, options.lastEpoch);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }
}

/**
 * Cosine annealing from the initial lr to `etaMin` over `tMax` epochs, then back up
 * (torch.optim.lr_scheduler.CosineAnnealingLR). Uses PyTorch's recursive form, whose numbers
 * differ slightly from the closed form; they are matched on purpose.
 *
 * @example
 * new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(opt: Opt, options: { tMax: number; etaMin?: number; lastEpoch?: number }) {
    super(opt, options.lastEpoch);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  protected override get pyNames(): Readonly<Record<string, string>> {
    return { tMax: "T_max" };
  }

  protected getLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    const groups = this.optimizer.paramGroups;
    if (e === 0) return this.groupLrs();
    if (this._stepCount === 1 && e > 0) {
      return this.baseLrs.map(
        (base) => etaMin + ((base - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2,
      );
    }
    // Python's % is a floor modulo: the JS remainder differs for negative operands.
    const m = 2 * T;
    if ((((e - 1 - T) % m) + m) % m === 0) {
      return groups.map(
        (g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2,
      );
    }
    return groups.map(
      (g) =>
        ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) *
          (g.lr - etaMin) +
        etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    return this.baseLrs.map(
      (base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * e) / T))) / 2,
    );
  }
}

/** A multiplicative lr factor as a function of the epoch. */
export type LrLambda = (epoch: number) => number;

/**
 * Sets the lr to the initial lr times `lrLambda(epoch)` (torch.optim.lr_scheduler.LambdaLR);
 * one function for all groups or one per group. The functions are not part of the state dict.
 *
 * @example
 * new optim.lrScheduler.LambdaLR(opt, { lrLambda: (epoch) => 0.95 ** epoch });
 */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(opt: Opt, options: { lrLambda: LrLambda | LrLambda[]; lastEpoch?: number }) {
    super(opt, options.lastEpoch);
    const n = opt.paramGroups.length;
    if (Array.isArray(options.lrLambda)) {
      if (options.lrLambda.length !== n) {
        throw new ValueError(`Expected ${n} lr_lambdas, but got ${options.lrLambda.length}`);
      }
      this.lrLambdas = [...options.lrLambda];
    } else {
      this.lrLambdas = new Array<LrLambda>(n).fill(options.lrLambda);
    }
    this.initialStep();
  }

  /** As PyTorch's for plain functions: `lr_lambdas: [null, ...]` (functions are not saved). */
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lr_lambdas: this.lrLambdas.map(() => null) };
  }

  override loadStateDict(sd: SchedulerStateDict): void {
    const rest = { ...sd };
    delete rest.lr_lambdas;
    super.loadStateDict(rest);
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i]!(this.lastEpoch));
  }
}

/**
 * Scales the lr by a factor going linearly from `startFactor` to `endFactor` over `totalIters`
 * epochs (torch.optim.lr_scheduler.LinearLR), warm-up style.
 *
 * @example
 * new optim.lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(
    opt: Opt,
    options: {
      startFactor?: number;
      endFactor?: number;
      totalIters?: number;
      lastEpoch?: number;
    } = {},
  ) {
    const startFactor = options.startFactor ?? 1 / 3;
    const endFactor = options.endFactor ?? 1;
    if (startFactor > 1 || startFactor < 0) {
      throw new ValueError("Starting multiplicative factor expected to be between 0 and 1.");
    }
    if (endFactor > 1 || endFactor < 0) {
      throw new ValueError("Ending multiplicative factor expected to be between 0 and 1.");
    }
    super(opt, options.lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = options.totalIters ?? 5;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groupLrs();
    const { startFactor: s, endFactor: f, totalIters: n, lastEpoch: e } = this;
    if (e === 0) return lrs.map((lr) => lr * s);
    if (e > n) return lrs;
    return lrs.map((lr) => lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n, lastEpoch: e } = this;
    return this.baseLrs.map((base) => base * (s + ((f - s) * Math.min(n, e)) / n));
  }
}
