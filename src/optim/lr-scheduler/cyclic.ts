import { checkSchedulerArgs } from "../optimizer.js";
import { ValueError } from "../../errors.js";
import type { BaseOptions, Optimizer } from "../optimizer.js";
import { LRScheduler } from "./base.js";

/** A scale of the cycle's amplitude, of the cycle number or of the iteration. */
export type CyclicScaleFn = (x: number) => number;

/** Options of CyclicLR (PyTorch names, camelCase). */
export interface CyclicLROptions {
  /** Lower lr of the cycle, one for all groups or one per group. */
  baseLr: number | number[];
  /** Upper lr of the cycle (reached only by "triangular" scaling). */
  maxLr: number | number[];
  /** Iterations of the rising half (default 2000). */
  stepSizeUp?: number;
  /** Iterations of the falling half (default stepSizeUp). */
  stepSizeDown?: number;
  /** The amplitude policy (default "triangular"); ignored when `scaleFn` is given. */
  mode?: "triangular" | "triangular2" | "exp_range";
  /** Base of "exp_range"'s amplitude gamma ** iteration (default 1). */
  gamma?: number;
  scaleFn?: CyclicScaleFn;
  /** What `scaleFn` takes: the cycle number or the iteration (default "cycle"). */
  scaleMode?: "cycle" | "iterations";
  /** Cycle the momentum inversely to the lr (default true; needs a `momentum` option). */
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  lastEpoch?: number;
}

function perGroup(name: string, n: number, v: number | number[]): number[] {
  if (!Array.isArray(v)) return new Array<number>(n).fill(v);
  if (v.length !== n) throw new ValueError(`expected ${n} values for ${name}, got ${v.length}`);
  return [...v];
}

/**
 * Cycles the lr between `baseLr` and `maxLr` (torch.optim.lr_scheduler.CyclicLR), stepped
 * after every batch; with `cycleMomentum` the momentum goes the other way between
 * `maxMomentum` and `baseMomentum`.
 *
 * @example
 * const sched = new optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 10 });
 * for (const batch of loader) { train(batch); sched.step(); }
 */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  scaleMode: "cycle" | "iterations";
  cycleMomentum: boolean;
  baseMomentums?: number[];
  maxMomentums?: number[];
  _scaleFnCustom: CyclicScaleFn | null;

  constructor(opt: Optimizer<BaseOptions>, options: CyclicLROptions) {
    checkSchedulerArgs("CyclicLR", opt, options);
    const n = opt.paramGroups.length;
    const lastEpoch = options.lastEpoch ?? -1;
    const baseLrs = perGroup("base_lr", n, options.baseLr);
    if (lastEpoch === -1) opt.paramGroups.forEach((g, i) => (g.lr = baseLrs[i]!));
    const maxLrs = perGroup("max_lr", n, options.maxLr);
    const up = options.stepSizeUp ?? 2000;
    const down = options.stepSizeDown ?? up;
    const mode = options.mode ?? "triangular";
    const scaleFn = options.scaleFn ?? null;
    if (!["triangular", "triangular2", "exp_range"].includes(mode) && scaleFn === null) {
      throw new ValueError("mode is invalid and scale_fn is None");
    }
    const cycleMomentum = options.cycleMomentum ?? true;
    let baseMomentums: number[] | undefined;
    let maxMomentums: number[] | undefined;
    if (cycleMomentum) {
      if (!("momentum" in opt.defaults)) {
        throw new ValueError(
          "optimizer must support momentum with `cycle_momentum` option enabled",
        );
      }
      const base = perGroup("base_momentum", n, options.baseMomentum ?? 0.8);
      if (lastEpoch === -1) opt.paramGroups.forEach((g, i) => (g.momentum = base[i]!));
      baseMomentums = opt.paramGroups.map((g) => g.momentum as number);
      maxMomentums = perGroup("max_momentum", n, options.maxMomentum ?? 0.9);
    }
    super(opt, lastEpoch);
    this.maxLrs = maxLrs;
    this.totalSize = up + down;
    this.stepRatio = up / this.totalSize;
    this.mode = mode;
    this.gamma = options.gamma ?? 1;
    this._scaleFnCustom = scaleFn;
    this.scaleMode =
      scaleFn !== null
        ? (options.scaleMode ?? "cycle")
        : mode === "exp_range"
          ? "iterations"
          : "cycle";
    this.cycleMomentum = cycleMomentum;
    if (cycleMomentum) {
      this.baseMomentums = baseMomentums;
      this.maxMomentums = maxMomentums;
    }
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  /** The amplitude's scale at `x` (the cycle number or the iteration, by scaleMode). */
  scaleFn(x: number): number {
    if (this._scaleFnCustom !== null) return this._scaleFnCustom(x);
    if (this.mode === "triangular2") return 1 / 2 ** (x - 1);
    if (this.mode === "exp_range") return this.gamma ** x;
    return 1;
  }

  protected getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === "cycle" ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map(
      (base, i) => base + (this.maxLrs[i]! - base) * scaleFactor * scale,
    );
    if (this.cycleMomentum) {
      this.optimizer.paramGroups.forEach((g, i) => {
        const max = this.maxMomentums![i]!;
        g.momentum = max - (max - this.baseMomentums![i]!) * scaleFactor * scale;
      });
    }
    return lrs;
  }
}
