/** Schedulers made of schedulers: SequentialLR (one after another) and ChainedScheduler (all). */
import { pyTypeName } from "../../validation/arguments.js";
import { ArgumentTypeError } from "../../errors.js";
import { checkSchedulerArgs } from "../optimizer.js";
import { ValueError } from "../../errors.js";
import type { BaseOptions, Optimizer } from "../optimizer.js";
import { copyData, LRScheduler, type SchedulerStateDict } from "./base.js";

/** A non-empty list of schedulers, or PyTorch-like words for what it got instead. */
function checkSchedulerList(fn: string, schedulers: unknown): void {
  if (
    !Array.isArray(schedulers) ||
    schedulers.length === 0 ||
    !schedulers.every((s) => s instanceof LRScheduler)
  ) {
    throw new ArgumentTypeError(
      `${fn}(): argument 'schedulers' must be a non-empty list of LR schedulers, not ${pyTypeName(schedulers)}`,
    );
  }
}

/**
 * Runs `schedulers` one after another, switching at each milestone epoch
 * (torch.optim.lr_scheduler.SequentialLR); at a milestone the next scheduler starts from its
 * epoch 0 (`step(0)`).
 *
 * @example
 * const warm = new optim.lrScheduler.LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const decay = new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 });
 * const sched = new optim.lrScheduler.SequentialLR(opt, { schedulers: [warm, decay], milestones: [5] });
 */
export class SequentialLR {
  readonly optimizer: Optimizer<BaseOptions>;
  _schedulers: LRScheduler[];
  _milestones: number[];
  lastEpoch: number;
  protected _lastLr: number[];

  constructor(
    optimizer: Optimizer<BaseOptions>,
    options: { schedulers: LRScheduler[]; milestones: number[]; lastEpoch?: number },
  ) {
    checkSchedulerArgs("SequentialLR", optimizer, options);
    checkSchedulerList("SequentialLR", options.schedulers);
    const { schedulers, milestones } = options;
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new ValueError(
          "Sequential Schedulers expects all schedulers to belong to the same optimizer, but " +
            `got schedulers at index ${i} to be different than the optimizer passed in.`,
        );
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new ValueError(
        "Sequential Schedulers expects number of schedulers provided to be one more than the " +
          `number of milestone points, but got number of schedulers ${schedulers.length} and ` +
          `the number of milestones to be equal to ${milestones.length}`,
      );
    }
    this._schedulers = [...schedulers];
    this._milestones = [...milestones];
    this.lastEpoch = (options.lastEpoch ?? -1) + 1;
    this.optimizer = optimizer;
    // Undo what the schedulers' constructors did, then start the first one again.
    for (const g of optimizer.paramGroups) g.lr = g.initialLr as number;
    for (const s of this._schedulers) s.lastEpoch -= 1;
    this._schedulers[0]!._initialStep();
    this._lastLr = this._schedulers[0]!.getLastLr();
  }

  /** Advances one epoch with the scheduler whose turn it is. */
  step(): void {
    this.lastEpoch += 1;
    // bisect_right: how many milestones are at or before this epoch.
    const idx = this._milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this._schedulers[idx]!;
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this._lastLr = scheduler.getLastLr();
  }

  /** The lr of every group as last set. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** PyTorch's keys: _milestones, last_epoch, _last_lr, and each scheduler's state dict. */
  stateDict(): SchedulerStateDict {
    return {
      _milestones: [...this._milestones],
      last_epoch: this.lastEpoch,
      _last_lr: [...this._lastLr],
      _schedulers: this._schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(sd: SchedulerStateDict): void {
    if (sd._milestones !== undefined) this._milestones = copyData(sd._milestones) as number[];
    if (sd.last_epoch !== undefined) this.lastEpoch = sd.last_epoch as number;
    if (sd._last_lr !== undefined) this._lastLr = copyData(sd._last_lr) as number[];
    const subs = (sd._schedulers ?? []) as SchedulerStateDict[];
    subs.forEach((s, i) => this._schedulers[i]?.loadStateDict(s));
  }
}

/**
 * Steps every scheduler at once, their effects compounding
 * (torch.optim.lr_scheduler.ChainedScheduler); the schedulers must be chainable ones.
 *
 * @example
 * const sched = new optim.lrScheduler.ChainedScheduler([
 *   new optim.lrScheduler.ConstantLR(opt, { factor: 0.1, totalIters: 2 }),
 *   new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 }),
 * ]);
 */
export class ChainedScheduler {
  readonly optimizer: Optimizer<BaseOptions>;
  _schedulers: LRScheduler[];
  protected _lastLr: number[];

  constructor(schedulers: LRScheduler[]) {
    checkSchedulerList("ChainedScheduler", schedulers);
    for (let i = 1; i < schedulers.length; i++) {
      if (schedulers[i]!.optimizer !== schedulers[0]!.optimizer) {
        throw new ValueError(
          "ChainedScheduler expects all schedulers to belong to the same optimizer, but " +
            `got schedulers at index 0 and ${i} to be different`,
        );
      }
    }
    this._schedulers = [...schedulers];
    this.optimizer = schedulers[0]!.optimizer;
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every scheduler, in order. */
  step(): void {
    for (const s of this._schedulers) s.step();
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** PyTorch's keys: _last_lr and each scheduler's state dict. */
  stateDict(): SchedulerStateDict {
    return {
      _last_lr: [...this._lastLr],
      _schedulers: this._schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(sd: SchedulerStateDict): void {
    if (sd._last_lr !== undefined) this._lastLr = copyData(sd._last_lr) as number[];
    const subs = (sd._schedulers ?? []) as SchedulerStateDict[];
    subs.forEach((s, i) => this._schedulers[i]?.loadStateDict(s));
  }
}
