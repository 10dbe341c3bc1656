// CyclicLR, SequentialLR, ChainedScheduler, MultiplicativeLR, ConstantLR, PolynomialLR and
// CosineAnnealingWarmRestarts against PyTorch 1.13 (fixtures/optim_more/schedulers.json,
// scripts/fixtures/optim_more.py): the lr (and CyclicLR's momentum) over 30 steps, getLastLr,
// the state dict at step 12 (PyTorch's keys and values), and resuming from it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { optim, zeros } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";

const S = optim.lrScheduler;
type Sched =
  | optim.lrScheduler.LRScheduler
  | optim.lrScheduler.SequentialLR
  | optim.lrScheduler.ChainedScheduler;
interface Spec {
  scheduler: string;
  options: Record<string, unknown>;
}
interface Case extends Spec {
  lrs: number[][];
  lastLrs: number[][];
  momenta?: number[][];
  midStateDict: Record<string, unknown>;
  mid: number;
}
interface Fractional {
  options: { t0: number; tMult?: number; etaMin?: number };
  epochs: number[];
  lrs: number[][];
  stateDict: Record<string, unknown>;
}
interface ClosedForm extends Spec {
  epochs: number[];
  lrs: number[][];
}
const fx = loadFixture<{ cases: Case[]; fractional: Fractional[]; closedForm: ClosedForm[] }>(
  "optim_more",
  "schedulers",
);

function makeOpt(): optim.SGD {
  const a = zeros(2).requiresGrad_();
  const b = zeros(3).requiresGrad_();
  return new optim.SGD([{ params: [a] }, { params: [b], lr: 0.01 }], { lr: 0.1, momentum: 0.9 });
}

// The fixture's Python lambdas, written out.
const LAMBDAS: Record<string, optim.lrScheduler.LrLambda> = {
  "0.95": () => 0.95,
  "0.99": () => 0.99,
  "0.9 if epoch % 3 else 1.1": (epoch) => (epoch % 3 !== 0 ? 0.9 : 1.1),
  "1 / (epoch + 1)": (epoch) => 1 / (epoch + 1),
};

function lambda(o: Record<string, unknown>): optim.lrScheduler.LrLambda {
  const fn = LAMBDAS[o.lrLambda as string];
  assert.ok(fn, `lambda ${String(o.lrLambda)}`);
  return fn;
}

function makeSub(opt: optim.Optimizer, spec: Spec): optim.lrScheduler.LRScheduler {
  const o = spec.options;
  switch (spec.scheduler) {
    case "MultiplicativeLR":
      return new S.MultiplicativeLR(opt, { lrLambda: lambda(o) });
    case "LambdaLR":
      return new S.LambdaLR(opt, { lrLambda: lambda(o) });
    case "ConstantLR":
      return new S.ConstantLR(opt, o);
    case "PolynomialLR":
      return new S.PolynomialLR(opt, o);
    case "CosineAnnealingWarmRestarts":
      return new S.CosineAnnealingWarmRestarts(opt, o as { t0: number });
    case "CyclicLR":
      return new S.CyclicLR(opt, o as unknown as optim.lrScheduler.CyclicLROptions);
    case "LinearLR":
      return new S.LinearLR(opt, o);
    case "ExponentialLR":
      return new S.ExponentialLR(opt, o as { gamma: number });
    case "StepLR":
      return new S.StepLR(opt, o as { stepSize: number });
    case "MultiStepLR":
      return new S.MultiStepLR(opt, o as { milestones: number[] });
    case "CosineAnnealingLR":
      return new S.CosineAnnealingLR(opt, o as { tMax: number });
  }
  throw new Error(`unknown scheduler ${spec.scheduler}`);
}

function make(opt: optim.Optimizer, spec: Spec): Sched {
  const o = spec.options;
  if (spec.scheduler === "ChainedScheduler" || spec.scheduler === "SequentialLR") {
    const subs = (o.schedulers as Spec[]).map((s) => makeSub(opt, s));
    return spec.scheduler === "ChainedScheduler"
      ? new S.ChainedScheduler(subs)
      : new S.SequentialLR(opt, { schedulers: subs, milestones: o.milestones as number[] });
  }
  return makeSub(opt, spec);
}

function closeList(got: number[], want: number[], message: string): void {
  assert.equal(got.length, want.length, message);
  got.forEach((g, i) =>
    assert.ok(
      Math.abs(g - want[i]!) <= 1e-12 * Math.abs(want[i]!) + 1e-15,
      `${message}[${i}]: ${g} vs ${want[i]}`,
    ),
  );
}

/** Compares a state dict with PyTorch's: same keys, numbers to 1e-12, everything else equal. */
function closeData(got: unknown, want: unknown, path: string): void {
  if (typeof want === "number") {
    assert.equal(typeof got, "number", path);
    const g = got as number;
    assert.ok(Math.abs(g - want) <= 1e-12 * Math.abs(want) + 1e-15, `${path}: ${g} vs ${want}`);
  } else if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), path);
    assert.equal((got as unknown[]).length, want.length, path);
    want.forEach((w, i) => closeData((got as unknown[])[i], w, `${path}[${i}]`));
  } else if (want !== null && typeof want === "object") {
    const g = got as Record<string, unknown>;
    assert.deepEqual(Object.keys(g).sort(), Object.keys(want).sort(), `${path}: keys`);
    for (const [k, v] of Object.entries(want)) closeData(g[k], v, `${path}.${k}`);
  } else assert.equal(got, want, path);
}

function label(c: Spec): string {
  return `${c.scheduler} ${JSON.stringify(c.options)}`;
}

describe("more lr schedulers match PyTorch 1.13", () => {
  for (const c of fx.cases) {
    it(label(c), () => {
      const opt = makeOpt();
      const sched = make(opt, c);
      const lrs = () => opt.paramGroups.map((g) => g.lr);
      const moms = () => opt.paramGroups.map((g) => g.momentum as number);
      closeList(lrs(), c.lrs[0]!, "lr at construction");
      closeList(sched.getLastLr(), c.lastLrs[0]!, "getLastLr at construction");
      for (let i = 1; i < c.lrs.length; i++) {
        sched.step();
        closeList(lrs(), c.lrs[i]!, `lr after step ${i}`);
        closeList(sched.getLastLr(), c.lastLrs[i]!, `getLastLr after step ${i}`);
        if (c.momenta) closeList(moms(), c.momenta[i]!, `momentum after step ${i}`);
        if (i === c.mid) closeData(sched.stateDict(), c.midStateDict, "stateDict");
      }
    });

    it(`${label(c)}: resumes from its state dict at step ${c.mid}`, () => {
      const opt = makeOpt();
      const sched = make(opt, c);
      for (let i = 0; i < c.mid; i++) sched.step();
      const saved = opt.stateDict();
      const sd = sched.stateDict();
      const opt2 = makeOpt();
      const sched2 = make(opt2, c);
      opt2.loadStateDict(saved);
      sched2.loadStateDict(sd);
      for (let i = c.mid + 1; i < c.lrs.length; i++) {
        sched2.step();
        closeList(
          opt2.paramGroups.map((g) => g.lr),
          c.lrs[i]!,
          `lr after step ${i}`,
        );
        if (c.momenta) {
          closeList(
            opt2.paramGroups.map((g) => g.momentum as number),
            c.momenta[i]!,
            `momentum after step ${i}`,
          );
        }
      }
    });
  }
});

describe("CosineAnnealingWarmRestarts with fractional epochs", () => {
  for (const f of fx.fractional) {
    it(JSON.stringify(f.options), () => {
      const opt = makeOpt();
      const sched = new S.CosineAnnealingWarmRestarts(opt, f.options);
      f.epochs.forEach((e, i) => {
        sched.step(e);
        closeList(
          opt.paramGroups.map((g) => g.lr),
          f.lrs[i]!,
          `lr at epoch ${e}`,
        );
      });
      closeData(sched.stateDict(), f.stateDict, "stateDict");
    });
  }
});

describe("step(epoch) uses PyTorch's closed forms", () => {
  for (const c of fx.closedForm) {
    it(label(c), () => {
      const opt = makeOpt();
      const sched = make(opt, c) as optim.lrScheduler.LRScheduler;
      c.epochs.forEach((e, i) => {
        sched.step(e);
        closeList(
          opt.paramGroups.map((g) => g.lr),
          c.lrs[i]!,
          `lr at epoch ${e}`,
        );
      });
    });
  }
});
