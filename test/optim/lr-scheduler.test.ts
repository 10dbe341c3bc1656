import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { optim, zeros } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";

type AnyScheduler = optim.lrScheduler.LRScheduler | optim.lrScheduler.ReduceLROnPlateau;

interface SchedCase {
  scheduler: string;
  optimizer: "sgd" | "adam";
  options: Record<string, unknown>;
  lrs: number[][];
  momenta?: number[][];
  metrics?: number[];
  initialLr: (number | null)[];
}
const cases = loadFixture<{ cases: SchedCase[] }>("optim", "schedulers").cases;

/** The fixture's optimizers: SGD with two groups (lr 0.1 and 0.01), or one-group Adam. */
function makeOpt(which: "sgd" | "adam"): optim.Optimizer {
  const a = zeros(2).requiresGrad_();
  const b = zeros(3).requiresGrad_();
  return which === "sgd"
    ? new optim.SGD([{ params: [a] }, { params: [b], lr: 0.01 }], { lr: 0.1, momentum: 0.9 })
    : new optim.Adam([a], { lr: 0.1 });
}

function makeScheduler(c: SchedCase, opt: optim.Optimizer): AnyScheduler {
  const S = optim.lrScheduler;
  const o = c.options;
  switch (c.scheduler) {
    case "StepLR":
      return new S.StepLR(opt, { stepSize: o.stepSize as number, gamma: o.gamma as number });
    case "MultiStepLR":
      return new S.MultiStepLR(opt, {
        milestones: o.milestones as number[],
        gamma: o.gamma as number,
      });
    case "ExponentialLR":
      return new S.ExponentialLR(opt, { gamma: o.gamma as number });
    case "CosineAnnealingLR":
      return new S.CosineAnnealingLR(opt, { tMax: o.TMax as number, etaMin: o.etaMin as number });
    case "LambdaLR":
      assert.equal(o.lrLambda, "0.95 ** epoch / (1 + epoch % 3)");
      return new S.LambdaLR(opt, { lrLambda: (epoch) => 0.95 ** epoch / (1 + (epoch % 3)) });
    case "LinearLR":
      return new S.LinearLR(opt, o);
    case "OneCycleLR":
      return new S.OneCycleLR(opt, o as unknown as optim.lrScheduler.OneCycleLROptions);
    case "ReduceLROnPlateau":
      return new S.ReduceLROnPlateau(opt, o);
  }
  throw new Error(`unknown scheduler ${c.scheduler}`);
}

function momenta(opt: optim.Optimizer): number[] {
  return opt.paramGroups.map((g) =>
    Array.isArray(g.betas) ? (g.betas[0] as number) : (g.momentum as number),
  );
}

function assertNear(got: number[], want: number[], label: string): void {
  assert.equal(got.length, want.length, label);
  got.forEach((g, i) =>
    assert.ok(
      Math.abs(g - want[i]!) <= 1e-12 * Math.abs(want[i]!) + 1e-15,
      `${label}[${i}]: got ${g}, expected ${want[i]}`,
    ),
  );
}

function stepOnce(s: AnyScheduler, c: SchedCase, i: number): void {
  if (s instanceof optim.lrScheduler.ReduceLROnPlateau) s.step(c.metrics![i]!);
  else s.step();
}

describe("lr schedulers match PyTorch 1.13's lr sequences", () => {
  for (const c of cases) {
    it(`${c.scheduler} ${JSON.stringify(c.options)} (${c.optimizer})`, () => {
      const opt = makeOpt(c.optimizer);
      const s = makeScheduler(c, opt);
      if (c.scheduler !== "ReduceLROnPlateau") {
        assert.deepEqual(
          opt.paramGroups.map((g) => g.initialLr),
          c.initialLr,
          "initialLr",
        );
      }
      assertNear(
        opt.paramGroups.map((g) => g.lr),
        c.lrs[0]!,
        "lr after construction",
      );
      if (c.momenta) assertNear(momenta(opt), c.momenta[0]!, "momentum after construction");
      for (let i = 1; i < c.lrs.length; i++) {
        stepOnce(s, c, i - 1);
        assertNear(s.getLastLr(), c.lrs[i]!, `getLastLr after step ${i}`);
        assertNear(
          opt.paramGroups.map((g) => g.lr),
          c.lrs[i]!,
          `lr after step ${i}`,
        );
        if (c.momenta) assertNear(momenta(opt), c.momenta[i]!, `momentum after step ${i}`);
      }
    });
  }
});

describe("scheduler state dict round trip", () => {
  for (const c of cases.filter((x) => x.scheduler !== "LambdaLR")) {
    it(`${c.scheduler} ${JSON.stringify(c.options)}: save after 10 steps, restore, continue`, () => {
      const opt = makeOpt(c.optimizer);
      const s = makeScheduler(c, opt);
      for (let i = 0; i < 10; i++) stepOnce(s, c, i);
      const optSd = opt.stateDict();
      const sd = s.stateDict();
      assert.ok("last_epoch" in sd, "PyTorch's key names");
      const opt2 = makeOpt(c.optimizer);
      const s2 = makeScheduler(c, opt2);
      opt2.loadStateDict(optSd);
      s2.loadStateDict(sd);
      for (let i = 10; i < c.lrs.length - 1; i++) {
        stepOnce(s2, c, i);
        assertNear(s2.getLastLr(), c.lrs[i + 1]!, `lr after step ${i + 1}`);
        if (c.momenta) assertNear(momenta(opt2), c.momenta[i + 1]!, `momentum after step ${i + 1}`);
      }
    });
  }
});
