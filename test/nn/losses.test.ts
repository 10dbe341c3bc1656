import { describe, it, mock } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";
import { runOpCases, type OpCase } from "../helpers/op-cases.js";

const { nn } = torch;
const F = nn.F;

type LossFn = (input: Tensor, target: Tensor, options: Record<string, unknown>) => Tensor;
const fns: Record<string, LossFn> = {
  mseLoss: F.mseLoss,
  l1Loss: F.l1Loss,
  smoothL1Loss: F.smoothL1Loss,
  huberLoss: F.huberLoss,
  binaryCrossEntropy: F.binaryCrossEntropy,
  binaryCrossEntropyWithLogits: F.binaryCrossEntropyWithLogits,
  crossEntropy: F.crossEntropy,
  nllLoss: F.nllLoss,
  klDiv: F.klDiv as LossFn,
};

/** Calls the functional loss named in the case with its options and tensor options. */
function callLoss(inputs: Tensor[], kwargs: Record<string, unknown>): Tensor {
  const opts = { ...(kwargs.options as Record<string, unknown>) };
  (kwargs.tensorOpts as string[]).forEach((name, i) => (opts[name] = inputs[2 + i]));
  return fns[kwargs.fn as string]!(inputs[0]!, inputs[1]!, opts);
}

const fixture = loadFixture<{ cases: OpCase[]; errors: OpCase[] }>("nn", "losses");

describe("nn.functional losses vs PyTorch (forward and gradients)", () => {
  // Broadcasting cases warn by design; keep the test output clean.
  mock.method(console, "warn", () => {});
  runOpCases(fixture.cases, callLoss);
});

describe("nn.functional loss errors", () => {
  runOpCases(fixture.errors, callLoss);

  it("names the bad class index and the number of classes", () => {
    const x = torch.zeros([2, 3]);
    assert.throws(
      () => F.crossEntropy(x, torch.tensor([0, 7])),
      (e: Error) =>
        e instanceof torch.IndexError &&
        /Target 7 is out of bounds/.test(e.message) &&
        /3 classes/.test(e.message),
    );
  });
});

describe("loss modules", () => {
  it("pass their options to the functional loss", () => {
    const x = torch.tensor([[0.5, -1.0, 2.0]], { dtype: "float64" });
    const t = torch.tensor([2]);
    const a = new nn.CrossEntropyLoss({ labelSmoothing: 0.1, reduction: "sum" }).forward(x, t);
    const b = F.crossEntropy(x, t, { labelSmoothing: 0.1, reduction: "sum" });
    assert.equal(a.item(), b.item());
    const y = torch.tensor([[1.0, 0.0, 3.0]], { dtype: "float64" });
    assert.equal(
      new nn.HuberLoss({ delta: 0.5 }).forward(x, y).item(),
      F.huberLoss(x, y, { delta: 0.5 }).item(),
    );
    assert.equal(
      new nn.MSELoss({ reduction: "sum" }).forward(x, y).item(),
      F.mseLoss(x, y, { reduction: "sum" }).item(),
    );
    assert.equal(new nn.L1Loss().forward(x, y).item(), F.l1Loss(x, y).item());
    assert.equal(
      new nn.SmoothL1Loss({ beta: 2 }).forward(x, y).item(),
      F.smoothL1Loss(x, y, { beta: 2 }).item(),
    );
    const p = torch.tensor([[0.2, 0.5, 0.9]], { dtype: "float64" });
    assert.equal(new nn.BCELoss().forward(p, p).item(), F.binaryCrossEntropy(p, p).item());
    assert.equal(
      new nn.BCEWithLogitsLoss().forward(x, p).item(),
      F.binaryCrossEntropyWithLogits(x, p).item(),
    );
    const lp = F.logSoftmax(x, 1);
    assert.equal(new nn.NLLLoss().forward(lp, t).item(), F.nllLoss(lp, t).item());
    assert.equal(
      new nn.KLDivLoss({ reduction: "batchmean" }).forward(lp, p).item(),
      F.klDiv(lp, p, { reduction: "batchmean" }).item(),
    );
    assert.equal(new nn.MSELoss().toString(), "MSELoss()");
  });

  it("records mse_loss as one MseLossBackward0 node with PyTorch's float32 gradients", () => {
    // Expected from PyTorch 1.13: 3 elements (2/3 is inexact, so the rounding order shows).
    const a = torch.tensor([0.3, -1.7, 2.9], { requiresGrad: true });
    const b = torch.tensor([1.1, 0.2, -0.4], { requiresGrad: true });
    const loss = F.mseLoss(a, b);
    assert.equal(loss.gradFn?.name, "MseLossBackward0");
    assert.equal(loss.item(), 5.046667098999023);
    loss.mul(3).backward();
    assert.deepEqual(
      a.grad!.tolist(),
      [-1.6000001430511475, -3.8000001907348633, 6.600000858306885],
    );
    assert.deepEqual(
      b.grad!.tolist(),
      [1.6000001430511475, 3.8000001907348633, -6.600000858306885],
    );
  });

  it("rejects a bad reduction at construction", () => {
    assert.throws(
      () => new nn.MSELoss({ reduction: "avg" as "mean" }),
      /avg is not a valid value for reduction/,
    );
  });

  it("warns once (console.warn) with PyTorch's message when shapes broadcast", () => {
    const warn = mock.method(console, "warn", () => {});
    try {
      const input = torch.zeros([3, 1]);
      const target = torch.zeros([3]).add(0.5);
      // A shape pair no other test uses, so the once-per-message memory has not seen it.
      const a = torch.zeros([5, 1]);
      const b = torch.zeros([5]);
      F.mseLoss(a, b);
      F.mseLoss(a, b);
      assert.equal(warn.mock.callCount(), 1);
      assert.equal(
        warn.mock.calls[0]!.arguments[0],
        "UserWarning: Using a target size (torch.Size([5])) that is different to the input size " +
          "(torch.Size([5, 1])). This will likely lead to incorrect results due to broadcasting. " +
          "Please ensure they have the same size.",
      );
      // Broadcast as PyTorch does: [3, 1] against [3] is [3, 3].
      assert.deepEqual([...F.l1Loss(input, target, { reduction: "none" }).shape], [3, 3]);
    } finally {
      warn.mock.restore();
    }
  });
});

describe("loss gradcheck (float64)", () => {
  const opts = { dtype: "float64" as const, requiresGrad: true };
  const x = () =>
    torch.tensor(
      [
        [0.3, -1.2, 2.0],
        [1.5, 0.1, -0.7],
      ],
      opts,
    );
  const y = () =>
    torch.tensor(
      [
        [0.1, 0.4, 0.9],
        [0.6, 0.2, 0.35],
      ],
      opts,
    );
  const cases: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ["mseLoss", (a, b) => F.mseLoss(a, b)],
    ["smoothL1Loss", (a, b) => F.smoothL1Loss(a, b, { beta: 0.7 })],
    ["huberLoss", (a, b) => F.huberLoss(a, b, { delta: 0.9 })],
    [
      "binaryCrossEntropyWithLogits",
      (a, b) =>
        F.binaryCrossEntropyWithLogits(a, b, {
          posWeight: torch.tensor([1, 2, 3], { dtype: "float64" }),
        }),
    ],
    ["binaryCrossEntropy", (a, b) => F.binaryCrossEntropy(a.sigmoid(), b)],
    ["crossEntropy probabilities", (a, b) => F.crossEntropy(a, b, { labelSmoothing: 0.2 })],
    [
      "crossEntropy indices",
      (a) =>
        F.crossEntropy(a, torch.tensor([2, 0]), {
          labelSmoothing: 0.2,
          weight: torch.tensor([1, 2, 0.5], { dtype: "float64" }),
        }),
    ],
    ["klDiv", (a, b) => F.klDiv(F.logSoftmax(a, 1), b, { reduction: "batchmean" })],
  ];
  for (const [name, fn] of cases) {
    it(name, () => assert.ok(torch.autograd.gradcheck(fn, [x(), y()])));
  }
});
