import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { optim, zeros, type Tensor } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";

const want = loadFixture<{ errors: Record<string, string> }>("optim", "errors").errors;
const S = optim.lrScheduler;
const p = (): Tensor[] => [zeros(2).requiresGrad_()];
const sgd = (): optim.SGD => new optim.SGD(p(), { lr: 0.1 });

const tries: Record<string, () => unknown> = {
  emptyParams: () => new optim.SGD([], { lr: 0.1 }),
  sgdNegativeLr: () => new optim.SGD(p(), { lr: -0.1 }),
  sgdMomentum: () => new optim.SGD(p(), { lr: 0.1, momentum: -0.5 }),
  sgdWeightDecay: () => new optim.SGD(p(), { lr: 0.1, weightDecay: -0.01 }),
  sgdNesterov: () => new optim.SGD(p(), { lr: 0.1, nesterov: true }),
  sgdNesterovDampening: () =>
    new optim.SGD(p(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
  adamLr: () => new optim.Adam(p(), { lr: -0.001 }),
  adamEps: () => new optim.Adam(p(), { eps: -1e-8 }),
  adamBeta0: () => new optim.Adam(p(), { betas: [1.0, 0.999] }),
  adamBeta1: () => new optim.Adam(p(), { betas: [0.9, -0.5] }),
  adamWeightDecay: () => new optim.Adam(p(), { weightDecay: -0.1 }),
  adamwBeta1: () => new optim.AdamW(p(), { betas: [0.9, 1.0] }),
  rmspropAlpha: () => new optim.RMSprop(p(), { alpha: -0.5 }),
  rmspropMomentum: () => new optim.RMSprop(p(), { momentum: -0.1 }),
  rmspropEps: () => new optim.RMSprop(p(), { eps: -0.001 }),
  adagradLrDecay: () => new optim.Adagrad(p(), { lrDecay: -0.1 }),
  adagradInitAcc: () => new optim.Adagrad(p(), { initialAccumulatorValue: -1.5 }),
  adagradEps: () => new optim.Adagrad(p(), { eps: -1e-10 }),
  duplicateGroups: () => {
    const ps = p();
    return new optim.SGD([{ params: ps }, { params: ps }], { lr: 0.1 });
  },
  nonLeaf: () => new optim.SGD([p()[0]!.mul(2)], { lr: 0.1 }),
  loadGroupCount: () =>
    sgd().loadStateDict({
      state: {},
      param_groups: [
        { lr: 0.1, params: [0] },
        { lr: 0.1, params: [1] },
      ],
    }),
  loadGroupSize: () =>
    sgd().loadStateDict({ state: {}, param_groups: [{ lr: 0.1, params: [0, 1] }] }),
  linearStart: () => new S.LinearLR(sgd(), { startFactor: 1.5 }),
  linearEnd: () => new S.LinearLR(sgd(), { endFactor: -0.5 }),
  lambdaCount: () => new S.LambdaLR(sgd(), { lrLambda: [() => 1, () => 1] }),
  oneCycleNoSteps: () => new S.OneCycleLR(sgd(), { maxLr: 0.1 }),
  oneCycleTotal: () => new S.OneCycleLR(sgd(), { maxLr: 0.1, totalSteps: 0 }),
  oneCycleAnneal: () =>
    new S.OneCycleLR(sgd(), {
      maxLr: 0.1,
      totalSteps: 5,
      annealStrategy: "exp" as "cos",
    }),
  oneCycleNoMomentum: () => new S.OneCycleLR(new optim.Adagrad(p()), { maxLr: 0.1, totalSteps: 5 }),
  oneCycleTooMany: () => {
    const s = new S.OneCycleLR(new optim.SGD(p(), { lr: 0.1, momentum: 0.9 }), {
      maxLr: 0.1,
      totalSteps: 3,
    });
    for (let i = 0; i < 4; i++) s.step();
  },
  plateauFactor: () => new S.ReduceLROnPlateau(sgd(), { factor: 1.0 }),
  plateauMode: () => new S.ReduceLROnPlateau(sgd(), { mode: "avg" as "min" }),
  plateauThresholdMode: () => new S.ReduceLROnPlateau(sgd(), { thresholdMode: "pct" as "rel" }),
  resumeWithoutInitialLr: () => new S.StepLR(sgd(), { stepSize: 2, lastEpoch: 3 }),
};

describe("optimizer and scheduler errors carry PyTorch's messages", () => {
  it("every PyTorch error in the fixture is tried here", () => {
    assert.deepEqual(Object.keys(tries).sort(), Object.keys(want).sort());
  });
  for (const [key, fn] of Object.entries(tries)) {
    it(`${key}: ${want[key]}`, () => {
      assert.throws(fn, (err: Error) => {
        assert.equal(err.name, "ValueError");
        assert.equal(err.message, want[key]);
        return true;
      });
    });
  }
});
