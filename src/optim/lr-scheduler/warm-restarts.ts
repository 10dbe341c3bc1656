import { checkSchedulerArgs } from "../optimizer.js";
import { ValueError } from "../../errors.js";
import type { BaseOptions, Optimizer } from "../optimizer.js";
import { LRScheduler } from "./base.js";

// PyTorch's field names, which the camelCase rule cannot produce.
const PY_NAMES: Record<string, string> = {
  t0: "T_0",
  tI: "T_i",
  tMult: "T_mult",
  tCur: "T_cur",
};

/**
 * Cosine annealing from the initial lr to `etaMin` over `t0` epochs, restarting each time, with
 * each period `tMult` times the last (torch.optim.lr_scheduler.CosineAnnealingWarmRestarts,
 * SGDR). `step(epoch)` takes fractional epochs, e.g. `epoch + i / iters` after each batch.
 *
 * @example
 * const sched = new optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2 });
 * for (let e = 0; e < 70; e++) { train(); sched.step(); }
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  t0: number;
  tI: number;
  tMult: number;
  etaMin: number;
  tCur: number;

  constructor(
    opt: Optimizer<BaseOptions>,
    options: { t0: number; tMult?: number; etaMin?: number; lastEpoch?: number },
  ) {
    checkSchedulerArgs("CosineAnnealingWarmRestarts", opt, options);
    const { t0 } = options;
    const tMult = options.tMult ?? 1;
    if (!(t0 > 0) || !Number.isInteger(t0)) {
      throw new ValueError(`Expected positive integer T_0, but got ${t0}`);
    }
    if (!(tMult >= 1) || !Number.isInteger(tMult)) {
      throw new ValueError(`Expected integer T_mult >= 1, but got ${tMult}`);
    }
    super(opt, options.lastEpoch);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = options.etaMin ?? 0;
    this.tCur = this.lastEpoch;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { etaMin, tCur, tI } = this;
    return this.baseLrs.map(
      (base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2,
    );
  }

  /** Advances one epoch, or goes to `epoch` (fractional allowed), restarting as due. */
  override step(epoch?: number): void {
    let e = epoch;
    if (e === undefined && this.lastEpoch < 0) e = 0;
    if (e === undefined) {
      e = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
    } else {
      if (e < 0) throw new ValueError(`Expected non-negative epoch, but got ${e}`);
      if (e >= this.t0) {
        if (this.tMult === 1) {
          this.tCur = e % this.t0;
        } else {
          const n = Math.trunc(
            Math.log((e / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult),
          );
          this.tCur = e - (this.t0 * (this.tMult ** n - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = e;
      }
    }
    this.lastEpoch = Math.floor(e);
    const lrs = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]!));
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  protected override get pyNames(): Readonly<Record<string, string>> {
    return PY_NAMES;
  }
}
