import { ValueError } from "../../errors.js";
import {
  checkOptimizer,
  toCamelCase,
  toSnakeCase,
  type BaseOptions,
  type Optimizer,
} from "../optimizer.js";

/** A scheduler's state dict: its fields under PyTorch's snake_case names (base_lrs, last_epoch...). */
export type SchedulerStateDict = Record<string, unknown>;

/** @internal Deep-copies plain data (arrays, objects) so a state dict is a snapshot. */
export function copyData(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyData);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyData(x)]));
  return v;
}

/**
 * @internal State dict of any scheduler: every data field except the optimizer and functions,
 * under its snake_case name or the PyTorch name `rename` gives (`tMax` -> `T_max`).
 */
export function schedulerStateDict(
  s: object,
  rename: Readonly<Record<string, string>> = {},
): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [k, v] of Object.entries(s)) {
    // Undefined fields are options not in use (CyclicLR's momenta without cycleMomentum).
    if (k === "optimizer" || typeof v === "function" || v === undefined) continue;
    out[rename[k] ?? toSnakeCase(k)] = copyData(v);
  }
  return out;
}

/** @internal Loads `sd` into the scheduler's fields of the same (camelCased or renamed) name. */
export function loadSchedulerStateDict(
  s: object,
  sd: SchedulerStateDict,
  rename: Readonly<Record<string, string>> = {},
): void {
  const target = s as Record<string, unknown>;
  const back = Object.fromEntries(Object.entries(rename).map(([a, b]) => [b, a]));
  for (const [k, v] of Object.entries(sd)) {
    const key = back[k] ?? toCamelCase(k);
    if (key === "optimizer" || typeof target[key] === "function") continue;
    target[key] = copyData(v);
  }
}

/**
 * Base class of the epoch-based schedulers (torch.optim.lr_scheduler._LRScheduler). Construction
 * records each group's `initialLr` (PyTorch's initial_lr) and takes the first step, which sets
 * the lr for epoch 0; call `step()` after each `optimizer.step()`.
 *
 * Subclasses set their fields, then call `this.initialStep()` at the end of their constructor
 * (PyTorch calls it from the base constructor, after the subclass has set its fields).
 *
 * @example
 * const sched: torch.optim.lrScheduler.LRScheduler = new torch.optim.lrScheduler.StepLR(opt, {
 *   stepSize: 10,
 * });
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer<BaseOptions>;
  /** The lr of each group at epoch 0 (its initialLr). */
  baseLrs: number[];
  /** The index of the last epoch (-1 before the first step). */
  lastEpoch: number;
  protected _stepCount = 0;
  protected _lastLr: number[] = [];

  constructor(optimizer: Optimizer<BaseOptions>, lastEpoch = -1) {
    checkOptimizer(optimizer);
    this.optimizer = optimizer;
    if (lastEpoch === -1) {
      for (const g of optimizer.paramGroups) if (g.initialLr === undefined) g.initialLr = g.lr;
    } else {
      optimizer.paramGroups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new ValueError(
            `param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`,
          );
        }
      });
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** @internal Runs the first step from the subclass constructor, as PyTorch's _initial_step. */
  protected initialStep(): void {
    this._stepCount = 0;
    this.step();
  }

  /** @internal Restarts the scheduler from its current epoch (SequentialLR's _initial_step). */
  _initialStep(): void {
    this.initialStep();
  }

  /** The lr of every group for `lastEpoch` (PyTorch's chainable get_lr). */
  protected abstract getLr(): number[];

  /**
   * The lr of every group at `lastEpoch` computed from the base lrs, for `step(epoch)`
   * (PyTorch's _get_closed_form_lr); schedulers without one use `getLr()` there too.
   */
  protected closedFormLr?(): number[];

  /**
   * Advances one epoch and writes the new lr into every parameter group. `step(epoch)` jumps to
   * that epoch (deprecated in PyTorch, used by SequentialLR) using the closed form where the
   * scheduler has one.
   */
  step(epoch?: number): void {
    this._stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr ? this.closedFormLr() : this.getLr();
    }
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = values[i]!));
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lr of every group as last set by this scheduler. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** @internal Fields whose PyTorch name is not their snake_case name (`tMax` -> `T_max`). */
  protected get pyNames(): Readonly<Record<string, string>> {
    return {};
  }

  /** The scheduler's fields under PyTorch's names (base_lrs, last_epoch, _step_count, ...). */
  stateDict(): SchedulerStateDict {
    return schedulerStateDict(this, this.pyNames);
  }

  /** Restores fields saved by `stateDict()`. */
  loadStateDict(sd: SchedulerStateDict): void {
    loadSchedulerStateDict(this, sd, this.pyNames);
  }

  /** The current lr of each group. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
