import { ValueError } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { checkOptimizer, type BaseOptions, type Optimizer } from "../optimizer.js";
import { loadSchedulerStateDict, schedulerStateDict, type SchedulerStateDict } from "./base.js";

/** Options of ReduceLROnPlateau (PyTorch's keyword arguments, camelCase). */
export interface ReduceLROnPlateauOptions {
  /** "min": the metric should decrease (a loss); "max": increase (an accuracy). */
  mode?: "min" | "max";
  /** The lr is multiplied by this on a plateau (default 0.1, must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** How much better counts as an improvement (default 1e-4). */
  threshold?: number;
  /** "rel": better than best * (1 -/+ threshold); "abs": best -/+ threshold. */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again. */
  cooldown?: number;
  /** Lower bound of the lr, one value or one per group. */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the lr when a metric stops improving (torch.optim.lr_scheduler.ReduceLROnPlateau).
 * `step(metric)` takes the metric of the epoch just finished.
 *
 * @example
 * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 5 });
 * for (...) { const valLoss = validate(); sched.step(valLoss); }
 */
export class ReduceLROnPlateau {
  readonly optimizer: Optimizer<BaseOptions>;
  mode: "min" | "max";
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: "rel" | "abs";
  cooldown: number;
  cooldownCounter = 0;
  minLrs: number[];
  eps: number;
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  numBadEpochs = 0;
  modeWorse: number;
  lastEpoch = 0;
  private _lastLr: number[];

  constructor(optimizer: Optimizer<BaseOptions>, options: ReduceLROnPlateauOptions = {}) {
    checkOptimizer(optimizer);
    const factor = options.factor ?? 0.1;
    if (factor >= 1) throw new ValueError("Factor should be < 1.0.");
    this.optimizer = optimizer;
    this.factor = factor;
    const n = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) throw new ValueError(`expected ${n} min_lrs, got ${minLr.length}`);
      this.minLrs = [...minLr];
    } else {
      this.minLrs = new Array<number>(n).fill(minLr);
    }
    this.patience = options.patience ?? 10;
    this.cooldown = options.cooldown ?? 0;
    this.mode = options.mode ?? "min";
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? "rel";
    this.eps = options.eps ?? 1e-8;
    if (this.mode !== "min" && this.mode !== "max") {
      throw new ValueError(`mode ${String(this.mode)} is unknown!`);
    }
    if (this.thresholdMode !== "rel" && this.thresholdMode !== "abs") {
      throw new ValueError(`threshold mode ${String(this.thresholdMode)} is unknown!`);
    }
    this.modeWorse = this.mode === "min" ? Infinity : -Infinity;
    this.best = this.modeWorse;
    this._lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Records the epoch's metric and reduces the lr after `patience` epochs without improvement. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs during cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const old = g.lr;
      const next = Math.max(old * this.factor, this.minLrs[i]!);
      if (old - next > this.eps) g.lr = next;
    });
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === "min") {
      return this.thresholdMode === "rel"
        ? a < best * (1 - this.threshold)
        : a < best - this.threshold;
    }
    return this.thresholdMode === "rel"
      ? a > best * (this.threshold + 1)
      : a > best + this.threshold;
  }

  /** Whether a reduction happened less than `cooldown` epochs ago. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** The lr of every group after the last step. */
  getLastLr(): number[] {
    return [...this._lastLr];
  }

  /** The scheduler's fields under PyTorch's names (best, num_bad_epochs, cooldown_counter...). */
  stateDict(): SchedulerStateDict {
    return schedulerStateDict(this);
  }

  /** Restores fields saved by `stateDict()`. */
  loadStateDict(sd: SchedulerStateDict): void {
    loadSchedulerStateDict(this, sd);
  }
}
