// The argument errors of the new optimizers and schedulers, with PyTorch 1.13's messages
// (fixtures/optim_more/errors.json, scripts/fixtures/optim_more.py).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { optim, ones, zeros, type Tensor } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";

const want = loadFixture<{ errors: Record<string, string> }>("optim_more", "errors").errors;
const S = optim.lrScheduler;
const p = (): Tensor[] => [zeros(2).requiresGrad_()];
const sgd = (): optim.SGD => new optim.SGD(p(), { lr: 0.1, momentum: 0.9 });

function lbfgsLineSearch(): void {
  const x = ones(2).requiresGrad_();
  const opt = new optim.LBFGS([x], { lineSearchFn: "backtracking" as "strong_wolfe" });
  opt.step(() => {
    opt.zeroGrad();
    const loss = x.pow(2).sum();
    loss.backward();
    return loss;
  });
}

const tries: Record<string, () => unknown> = {
  adadeltaLr: () => new optim.Adadelta(p(), { lr: -1.0 }),
  adadeltaRho: () => new optim.Adadelta(p(), { rho: 1.5 }),
  adadeltaEps: () => new optim.Adadelta(p(), { eps: -1e-6 }),
  adadeltaWeightDecay: () => new optim.Adadelta(p(), { weightDecay: -0.1 }),
  adamaxLr: () => new optim.Adamax(p(), { lr: -0.002 }),
  adamaxEps: () => new optim.Adamax(p(), { eps: -1.0 }),
  adamaxBeta0: () => new optim.Adamax(p(), { betas: [1.0, 0.999] }),
  adamaxBeta1: () => new optim.Adamax(p(), { betas: [0.9, 1.5] }),
  adamaxWeightDecay: () => new optim.Adamax(p(), { weightDecay: -0.5 }),
  nadamLr: () => new optim.NAdam(p(), { lr: -0.1 }),
  nadamEps: () => new optim.NAdam(p(), { eps: -0.1 }),
  nadamBeta0: () => new optim.NAdam(p(), { betas: [-0.1, 0.999] }),
  nadamBeta1: () => new optim.NAdam(p(), { betas: [0.9, 1.0] }),
  nadamWeightDecay: () => new optim.NAdam(p(), { weightDecay: -1.0 }),
  nadamMomentumDecay: () => new optim.NAdam(p(), { momentumDecay: -0.004 }),
  radamLr: () => new optim.RAdam(p(), { lr: -0.1 }),
  radamEps: () => new optim.RAdam(p(), { eps: -1e-8 }),
  radamBeta0: () => new optim.RAdam(p(), { betas: [1.5, 0.999] }),
  radamBeta1: () => new optim.RAdam(p(), { betas: [0.9, -0.001] }),
  radamWeightDecay: () => new optim.RAdam(p(), { weightDecay: -0.01 }),
  rpropLr: () => new optim.Rprop(p(), { lr: -0.01 }),
  rpropEtas: () => new optim.Rprop(p(), { etas: [1.5, 1.2] }),
  rpropEtas2: () => new optim.Rprop(p(), { etas: [0.5, 0.9] }),
  asgdLr: () => new optim.ASGD(p(), { lr: -0.01 }),
  asgdWeightDecay: () => new optim.ASGD(p(), { weightDecay: -0.1 }),
  lbfgsGroups: () => new optim.LBFGS([{ params: p() }, { params: [zeros(1).requiresGrad_()] }]),
  lbfgsLineSearch,
  multiplicativeCount: () => new S.MultiplicativeLR(sgd(), { lrLambda: [() => 1, () => 1] }),
  constantFactor: () => new S.ConstantLR(sgd(), { factor: 1.5 }),
  warmT0: () => new S.CosineAnnealingWarmRestarts(sgd(), { t0: 0 }),
  warmT0Float: () => new S.CosineAnnealingWarmRestarts(sgd(), { t0: 1.5 }),
  warmTMult: () => new S.CosineAnnealingWarmRestarts(sgd(), { t0: 2, tMult: 0 }),
  warmEpoch: () => new S.CosineAnnealingWarmRestarts(sgd(), { t0: 2 }).step(-1),
  cyclicMode: () =>
    new S.CyclicLR(sgd(), { baseLr: 0.01, maxLr: 0.1, mode: "sine" as "triangular" }),
  cyclicMomentum: () => new S.CyclicLR(new optim.Adam(p()), { baseLr: 0.01, maxLr: 0.1 }),
  cyclicCount: () => new S.CyclicLR(sgd(), { baseLr: [0.01, 0.02], maxLr: 0.1 }),
  sequentialOptimizer: () =>
    new S.SequentialLR(sgd(), { schedulers: [new S.ConstantLR(sgd())], milestones: [] }),
  sequentialMilestones: () => {
    const o = sgd();
    return new S.SequentialLR(o, {
      schedulers: [new S.ConstantLR(o), new S.ConstantLR(o)],
      milestones: [2, 4],
    });
  },
  chainedOptimizer: () =>
    new S.ChainedScheduler([new S.ConstantLR(sgd()), new S.ConstantLR(sgd())]),
};

// PyTorch raises RuntimeError for an unknown line search; torchlet's NotImplementedError.
const NAMES: Record<string, string> = { lbfgsLineSearch: "NotImplementedError" };

describe("errors of the new optimizers and schedulers carry PyTorch's messages", () => {
  it("every PyTorch error in the fixture is tried here", () => {
    assert.deepEqual(Object.keys(tries).sort(), Object.keys(want).sort());
  });
  for (const [key, fn] of Object.entries(tries)) {
    it(`${key}: ${want[key]}`, () => {
      assert.throws(fn, (err: Error) => {
        assert.equal(err.name, NAMES[key] ?? "ValueError");
        assert.equal(err.message, want[key]);
        return true;
      });
    });
  }

  it("an unknown option is refused with a suggestion", () => {
    assert.throws(
      () => new optim.NAdam(p(), { momentumDecy: 0.1 } as Partial<optim.NAdamOptions>),
      (err: Error) => err.name === "ArgumentTypeError" && /momentumDecay/.test(err.message),
    );
  });

  it("LBFGS.step needs a closure", () => {
    assert.throws(() => new optim.LBFGS(p()).step(), /closure/);
  });
});
