import { enableGrad, noGrad } from "../autograd/grad-mode.js";
import { ArgumentTypeError, NotImplementedError, ValueError } from "../errors.js";
import { cat } from "../ops/join.js";
import { zerosLike } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import { checkOptions } from "../validation/options.js";
import { Optimizer, type OptionKinds, type Params } from "./optimizer.js";
import { strongWolfe } from "./strong-wolfe.js";

const kinds: OptionKinds<LBFGSOptions> = {
  lr: "number",
  maxIter: "number",
  maxEval: "number",
  toleranceGrad: "number",
  toleranceChange: "number",
  historySize: "number",
  lineSearchFn: "unknown",
};

/** Options of LBFGS (PyTorch names, camelCase). */
export interface LBFGSOptions {
  /** Step length scale (default 1). */
  lr: number;
  /** Iterations per `step()` (default 20). */
  maxIter: number;
  /** Function evaluations per `step()` (default floor(maxIter * 5 / 4)). */
  maxEval: number;
  /** Stops when every gradient element is at most this in size (default 1e-7). */
  toleranceGrad: number;
  /** Stops when the loss or the step changes less than this (default 1e-9). */
  toleranceChange: number;
  /** How many past updates approximate the inverse Hessian (default 100). */
  historySize: number;
  /** `"strong_wolfe"` for PyTorch's strong-Wolfe line search; null (default) for a fixed step. */
  lineSearchFn: "strong_wolfe" | null;
}

type Closure = () => Tensor | number;

/**
 * L-BFGS (torch.optim.LBFGS), PyTorch 1.13's algorithm and line search step for step. One
 * parameter group only; `step(closure)` needs the closure, which it calls several times. The
 * state (of the first parameter, as PyTorch's) has PyTorch's keys: func_evals, n_iter, d, t,
 * old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss, al.
 *
 * @example
 * const opt = new optim.LBFGS(model.parameters(), { lineSearchFn: "strong_wolfe" });
 * opt.step(() => { opt.zeroGrad(); const l = lossFn(); l.backward(); return l; });
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  constructor(params: Params<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    checkOptions("LBFGS", options, kinds);
    const maxIter = options.maxIter ?? 20;
    const d: LBFGSOptions = {
      lr: options.lr ?? 1,
      maxIter,
      maxEval: options.maxEval ?? Math.floor((maxIter * 5) / 4),
      toleranceGrad: options.toleranceGrad ?? 1e-7,
      toleranceChange: options.toleranceChange ?? 1e-9,
      historySize: options.historySize ?? 100,
      lineSearchFn: options.lineSearchFn ?? null,
    };
    super(params, d);
    if (this.paramGroups.length !== 1) {
      throw new ValueError("LBFGS doesn't support per-parameter options (parameter groups)");
    }
  }

  /** LBFGS updates only in `step(closure)`. */
  protected update(): void {}

  private get params(): Tensor[] {
    return this.paramGroups[0]!.params;
  }

  private gatherFlatGrad(): Tensor {
    return cat(this.params.map((p) => (p.grad === null ? zerosLike(p) : p.grad).reshape(-1)));
  }

  private addGrad(stepSize: number, update: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      const n = p.numel();
      p.add_(update.narrow(0, offset, n).view(p.shape), { alpha: stepSize });
      offset += n;
    }
  }

  private directionalEvaluate(closure: Closure, x: Tensor[], t: number, d: Tensor) {
    this.addGrad(t, d);
    const loss = lossValue(enableGrad(closure));
    const flatGrad = this.gatherFlatGrad();
    this.params.forEach((p, i) => p.copy_(x[i]!));
    return { loss, flatGrad };
  }

  /**
   * Runs up to `maxIter` L-BFGS iterations, calling `closure` (zeroGrad, forward, backward,
   * return the loss) as often as they need; returns the closure's first loss.
   */
  override step<L = Tensor>(closure?: () => L): L | undefined {
    if (closure === undefined) {
      throw new ArgumentTypeError("step() missing 1 required positional argument: 'closure'");
    }
    const fn = closure as unknown as Closure;
    const origLoss = enableGrad(closure);
    noGrad(() => this.iterate(fn, lossValue(origLoss as unknown as Tensor | number)));
    return origLoss;
  }

  private iterate(closure: Closure, firstLoss: number): void {
    const group = this.paramGroups[0]!;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize } = group;
    const lineSearchFn = group.lineSearchFn;
    const state = this.stateOf(this.params[0]!);
    state.func_evals = (state.func_evals as number | undefined) ?? 0;
    state.n_iter = (state.n_iter as number | undefined) ?? 0;
    let loss = firstLoss;
    let currentEvals = 1;
    state.func_evals += 1;
    let flatGrad = this.gatherFlatGrad();
    let optCond = absMax(flatGrad) <= toleranceGrad;
    if (optCond) return;

    let d = state.d as Tensor | undefined;
    let t = state.t as number | undefined;
    let oldDirs = (state.old_dirs as Tensor[] | undefined) ?? [];
    let oldStps = (state.old_stps as Tensor[] | undefined) ?? [];
    let ro = (state.ro as number[] | undefined) ?? [];
    let hDiag = (state.H_diag as number | undefined) ?? 1;
    let prevFlatGrad = state.prev_flat_grad as Tensor | undefined;
    let prevLoss = state.prev_loss as number | undefined;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state.n_iter = (state.n_iter as number) + 1;
      if (state.n_iter === 1) {
        d = flatGrad.neg();
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const y = flatGrad.sub(prevFlatGrad!);
        const s = d!.mul(t!);
        const ys = y.dot(s).item();
        if (ys > 1e-10) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(1 / ys);
          hDiag = ys / y.dot(y).item();
        }
        const numOld = oldDirs.length;
        if (state.al === undefined) state.al = new Array<number | null>(historySize).fill(null);
        const al = state.al as (number | null)[];
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = oldStps[i]!.dot(q).item() * ro[i]!;
          q.add_(oldDirs[i]!, { alpha: -al[i]! });
        }
        const r = q.mul(hDiag);
        d = r;
        for (let i = 0; i < numOld; i++) {
          const be = oldDirs[i]!.dot(r).item() * ro[i]!;
          r.add_(oldStps[i]!, { alpha: al[i]! - be });
        }
      }
      if (prevFlatGrad === undefined) prevFlatGrad = flatGrad.clone();
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;

      t = state.n_iter === 1 ? Math.min(1, 1 / flatGrad.abs().sum().item()) * lr : lr;
      const gtd = flatGrad.dot(d).item();
      if (gtd > -toleranceChange) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        if (lineSearchFn !== "strong_wolfe") {
          throw new NotImplementedError("only 'strong_wolfe' is supported");
        }
        const xInit = this.params.map((p) => p.clone());
        const dir = d;
        const res = strongWolfe(
          (x, step, dd) => this.directionalEvaluate(closure, x, step, dd),
          xInit,
          t,
          dir,
          loss,
          flatGrad,
          gtd,
        );
        ({ loss, flatGrad, t, funcEvals: lsFuncEvals } = res);
        this.addGrad(t, d);
        optCond = absMax(flatGrad) <= toleranceGrad;
      } else {
        this.addGrad(t, d);
        if (nIter !== maxIter) {
          loss = lossValue(enableGrad(closure));
          flatGrad = this.gatherFlatGrad();
          optCond = absMax(flatGrad) <= toleranceGrad;
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.func_evals = (state.func_evals as number) + lsFuncEvals;

      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (absMax(d.mul(t)) <= toleranceChange) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }
    if (d !== undefined) state.d = d;
    if (t !== undefined) state.t = t;
    state.old_dirs = oldDirs;
    state.old_stps = oldStps;
    state.ro = ro;
    state.H_diag = hDiag;
    if (prevFlatGrad !== undefined) state.prev_flat_grad = prevFlatGrad;
    if (prevLoss !== undefined) state.prev_loss = prevLoss;
  }
}

function absMax(t: Tensor): number {
  return t.abs().max().item();
}

function lossValue(l: Tensor | number): number {
  return l instanceof Tensor ? l.item() : Number(l);
}
