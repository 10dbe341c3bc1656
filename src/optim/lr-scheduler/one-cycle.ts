import { ValueError } from "../../errors.js";
import { checkOptimizer, type BaseOptions, type Optimizer, type ParamGroup } from "../optimizer.js";
import { LRScheduler } from "./base.js";

/** Options of OneCycleLR (PyTorch's keyword arguments, camelCase). */
export interface OneCycleLROptions {
  /** Peak lr, one value or one per group. */
  maxLr: number | number[];
  /** Length of the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  annealStrategy?: "cos" | "linear";
  /** Cycle SGD's momentum or Adam's beta1 inversely to the lr (default true). */
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  /** initialLr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Use a third phase that anneals to minLr after returning to initialLr. */
  threePhase?: boolean;
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy (torch.optim.lr_scheduler.OneCycleLR): the lr rises from maxLr / divFactor
 * to maxLr, then anneals to a minimum, while momentum (SGD) or beta1 (Adam) moves the other
 * way. Step it after every batch.
 *
 * @example
 * const sched = new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.01, totalSteps: 1000 });
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: "cos" | "linear";
  cycleMomentum: boolean;
  useBeta1: boolean;
  private phases: Phase[];

  constructor(optimizer: Optimizer<BaseOptions>, options: OneCycleLROptions) {
    checkOptimizer(optimizer);
    const groups = optimizer.paramGroups;
    let totalSteps: number;
    if (options.totalSteps !== undefined) {
      if (!(options.totalSteps > 0) || !Number.isInteger(options.totalSteps)) {
        throw new ValueError(
          `Expected positive integer total_steps, but got ${options.totalSteps}`,
        );
      }
      totalSteps = options.totalSteps;
    } else if (options.epochs !== undefined || options.stepsPerEpoch !== undefined) {
      const { epochs = 0, stepsPerEpoch = 0 } = options;
      if (!(epochs > 0) || !Number.isInteger(epochs)) {
        throw new ValueError(`Expected positive integer epochs, but got ${epochs}`);
      }
      if (!(stepsPerEpoch > 0) || !Number.isInteger(stepsPerEpoch)) {
        throw new ValueError(`Expected positive integer steps_per_epoch, but got ${stepsPerEpoch}`);
      }
      totalSteps = epochs * stepsPerEpoch;
    } else {
      throw new ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)");
    }
    const pct = options.pctStart ?? 0.3;
    if (pct < 0 || pct > 1) {
      throw new ValueError(`Expected float between 0 and 1 pct_start, but got ${pct}`);
    }
    const anneal = options.annealStrategy ?? "cos";
    if (anneal !== "cos" && anneal !== "linear") {
      throw new ValueError(
        `anneal_strategy must by one of 'cos' or 'linear', instead got ${String(anneal)}`,
      );
    }
    const lastEpoch = options.lastEpoch ?? -1;
    const perGroup = (name: string, v: number | number[]): number[] => {
      if (!Array.isArray(v)) return groups.map(() => v);
      if (v.length !== groups.length) {
        throw new ValueError(`expected ${groups.length} values for ${name}, got ${v.length}`);
      }
      return v;
    };
    const maxLrs = perGroup("max_lr", options.maxLr);
    const divFactor = options.divFactor ?? 25;
    const finalDivFactor = options.finalDivFactor ?? 1e4;
    const cycleMomentum = options.cycleMomentum ?? true;
    const defaults = optimizer.defaults as unknown as Record<string, unknown>;
    let useBeta1 = false;
    let maxMomentums: number[] = [];
    let baseMomentums: number[] = [];
    if (cycleMomentum) {
      if (!("momentum" in defaults) && !("betas" in defaults)) {
        throw new ValueError(
          "optimizer must support momentum with `cycle_momentum` option enabled",
        );
      }
      useBeta1 = "betas" in defaults;
      maxMomentums = perGroup("max_momentum", options.maxMomentum ?? 0.95);
      baseMomentums = perGroup("base_momentum", options.baseMomentum ?? 0.85);
    }
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i]! / divFactor;
        g.maxLr = maxLrs[i]!;
        g.minLr = (g.initialLr as number) / finalDivFactor;
        if (cycleMomentum) {
          setMomentum(g, useBeta1, maxMomentums[i]!);
          g.maxMomentum = maxMomentums[i]!;
          g.baseMomentum = baseMomentums[i]!;
        }
      });
    }
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    const phase = (endStep: number, lr: [string, string], m: [string, string]): Phase => ({
      endStep,
      startLr: lr[0],
      endLr: lr[1],
      startMomentum: m[0],
      endMomentum: m[1],
    });
    this.phases = options.threePhase
      ? [
          phase(pct * totalSteps - 1, ["initialLr", "maxLr"], ["maxMomentum", "baseMomentum"]),
          phase(2 * pct * totalSteps - 2, ["maxLr", "initialLr"], ["baseMomentum", "maxMomentum"]),
          phase(totalSteps - 1, ["initialLr", "minLr"], ["maxMomentum", "maxMomentum"]),
        ]
      : [
          phase(pct * totalSteps - 1, ["initialLr", "maxLr"], ["maxMomentum", "baseMomentum"]),
          phase(totalSteps - 1, ["maxLr", "minLr"], ["baseMomentum", "maxMomentum"]),
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "linear") return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2) * cosOut;
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError(
        `Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`,
      );
    }
    return this.optimizer.paramGroups.map((group) => {
      let startStep = 0;
      let lr = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i]!;
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.endStep - startStep);
          lr = this.anneal(group[phase.startLr] as number, group[phase.endLr] as number, pct);
          if (this.cycleMomentum) {
            const m = this.anneal(
              group[phase.startMomentum] as number,
              group[phase.endMomentum] as number,
              pct,
            );
            setMomentum(group, this.useBeta1, m);
          }
          break;
        }
        startStep = phase.endStep;
      }
      return lr;
    });
  }
}

function setMomentum(group: ParamGroup, useBeta1: boolean, value: number): void {
  if (useBeta1) {
    const betas = group.betas as number[];
    group.betas = [value, ...betas.slice(1)];
  } else {
    group.momentum = value;
  }
}
