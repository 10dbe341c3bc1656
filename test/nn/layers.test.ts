import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { loadFixture } from "../helpers/fixtures.js";
import { runLayerCases, type LayerCase } from "../helpers/layer-cases.js";

const { nn } = torch;

/** Builds the torchlet module the case describes (float64 unless the case is float32). */
function build(kind: LayerCase["kind"]): torch.nn.Module {
  const options = { ...(kind.options ?? {}), dtype: kind.float32 ? "float32" : "float64" } as never;
  const [a, b] = kind.args as [number, number];
  switch (kind.type) {
    case "Linear":
      return new nn.Linear(a, b, options);
    case "LayerNorm":
      return new nn.LayerNorm(kind.args[0] as number | number[], options);
    case "BatchNorm1d":
      return new nn.BatchNorm1d(a, options);
    case "Embedding":
      return new nn.Embedding(a, b, options);
  }
  throw new Error(`unknown layer ${kind.type}`);
}

const { cases } = loadFixture<{ cases: LayerCase[] }>("nn", "layers");

describe("layers vs PyTorch (weights loaded from PyTorch)", () => {
  runLayerCases(cases, build);
});

describe("layer gradcheck (float64)", () => {
  const x = () =>
    torch.tensor(
      [
        [0.3, -1.2, 2.0],
        [1.5, 0.1, -0.7],
        [0.2, 0.4, -0.3],
      ],
      { dtype: "float64", requiresGrad: true },
    );
  const w = () => torch.tensor([0.5, 1.5, -1.0], { dtype: "float64", requiresGrad: true });
  const b = () => torch.tensor([0.1, 0.2, 0.3], { dtype: "float64", requiresGrad: true });
  it("layerNorm", () => {
    assert.ok(
      torch.autograd.gradcheck(
        (a, g, h) => nn.F.layerNorm(a, [3], { weight: g, bias: h }),
        [x(), w(), b()],
      ),
    );
  });
  it("batchNorm (training statistics)", () => {
    assert.ok(
      torch.autograd.gradcheck(
        (a, g, h) => nn.F.batchNorm(a, null, null, { weight: g, bias: h, training: true }),
        [x(), w(), b()],
      ),
    );
  });
  it("linear", () => {
    const weight = torch.tensor(
      [
        [0.1, 0.2, 0.3],
        [-0.4, 0.5, 0.6],
      ],
      { dtype: "float64", requiresGrad: true },
    );
    assert.ok(
      torch.autograd.gradcheck(
        (a, m, h) => nn.F.linear(a, m, h),
        [x(), weight, b().narrow(0, 0, 2).detach().requiresGrad_()],
      ),
    );
  });
  it("embedding (weight)", () => {
    const weight = torch.tensor(
      [
        [0.1, 0.2],
        [-0.4, 0.5],
        [0.7, 0.8],
      ],
      { dtype: "float64", requiresGrad: true },
    );
    assert.ok(
      torch.autograd.gradcheck(
        (m) =>
          nn.F.embedding(
            torch.tensor([
              [0, 2],
              [2, 1],
            ]),
            m,
          ),
        [weight],
      ),
    );
  });
});

describe("layer errors", () => {
  it("Linear fed the wrong feature size gives the matmul error", () => {
    const fc = new nn.Linear(2, 5);
    assert.throws(() => fc.forward(torch.zeros([4, 3])), {
      name: "ShapeError",
      message: "mat1 and mat2 shapes cannot be multiplied (4x3 and 2x5)",
    });
    assert.throws(
      () => fc.forward(torch.zeros([2, 4, 3])),
      /mat1 and mat2 shapes cannot be multiplied \(8x3 and 2x5\)/,
    );
  });
  it("LayerNorm checks the trailing shape", () => {
    assert.throws(() => new nn.LayerNorm(4).forward(torch.zeros([2, 3])), {
      name: "ShapeError",
      message:
        "Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]",
    });
  });
  it("BatchNorm1d checks rank, channels and batch size", () => {
    const bn = new nn.BatchNorm1d(3);
    assert.throws(() => bn.forward(torch.zeros([2, 3, 4, 5])), {
      name: "ValueError",
      message: "expected 2D or 3D input (got 4D input)",
    });
    assert.throws(() => bn.forward(torch.zeros([2, 4])), {
      name: "ShapeError",
      message: "running_mean should contain 4 elements not 3",
    });
    assert.throws(() => bn.forward(torch.zeros([1, 3])), {
      name: "ValueError",
      message:
        "Expected more than 1 value per channel when training, got input size torch.Size([1, 3])",
    });
  });
  it("Embedding rejects out-of-range and non-integer indices", () => {
    const emb = new nn.Embedding(5, 2);
    assert.throws(
      () => emb.forward(torch.tensor([7])),
      (e: Error) =>
        e instanceof torch.IndexError &&
        /index out of range in self/.test(e.message) &&
        /7/.test(e.message),
    );
    assert.throws(() => emb.forward(torch.tensor([1.0, 2.5])), torch.DTypeError);
    assert.throws(
      () => new nn.Embedding(5, 2, { paddingIdx: 5 }),
      /Padding_idx must be within num_embeddings/,
    );
  });
  it("Dropout validates p with PyTorch's message", () => {
    assert.throws(() => new nn.Dropout(1.5), {
      name: "ValueError",
      message: "dropout probability has to be between 0 and 1, but got 1.5",
    });
    assert.throws(
      () => nn.F.dropout(torch.ones([2]), { p: -0.1 }),
      /between 0 and 1, but got -0.1/,
    );
  });
});

describe("Dropout", () => {
  it("zeroes about p of the elements in training and scales the rest by 1/(1-p)", () => {
    const drop = new nn.Dropout(0.3);
    const x = torch.ones([20000], { requiresGrad: true });
    const y = drop.forward(x);
    const values = y.toArray();
    let zeros = 0;
    for (const v of values) {
      if (v === 0) zeros++;
      else assert.ok(Math.abs(v - 1 / 0.7) < 1e-6, `kept value ${v}`);
    }
    // 20000 draws: the fraction's standard deviation is ~0.003; 0.02 is over 6 sigma.
    assert.ok(
      Math.abs(zeros / values.length - 0.3) < 0.02,
      `zeroed fraction ${zeros / values.length}`,
    );
    y.sum().backward();
    assert.deepEqual(x.grad!.toArray(), values, "gradient is the mask times 1/(1-p)");
  });
  it("is the identity in eval mode, and p = 1 gives zeros", () => {
    const x = torch.tensor([1, 2, 3], { dtype: "float32" });
    const drop = new nn.Dropout(0.5).eval();
    assert.equal(drop.forward(x), x);
    assert.deepEqual([...new nn.Dropout(1).forward(x).toArray()], [0, 0, 0]);
    assert.deepEqual([...new nn.Dropout(0).forward(x).toArray()], [1, 2, 3]);
  });
});

describe("activation modules", () => {
  it("apply their function", () => {
    const x = torch.tensor([-2, -0.5, 0.5, 3], { dtype: "float64" });
    const close = (m: torch.nn.Module, expected: number[]) =>
      assertClose(
        (m.forward as (x: Tensor) => Tensor)(x),
        { shape: [4], data: expected },
        { rtol: 1e-12, atol: 1e-12 },
      );
    close(new nn.ReLU(), [0, 0, 0.5, 3]);
    close(new nn.LeakyReLU(0.1), [-0.2, -0.05, 0.5, 3]);
    close(new nn.Hardtanh(), [-1, -0.5, 0.5, 1]);
    close(new nn.ELU(), [Math.expm1(-2), Math.expm1(-0.5), 0.5, 3]);
    close(
      new nn.SiLU(),
      [-2, -0.5, 0.5, 3].map((v) => v / (1 + Math.exp(-v))),
    );
    close(
      new nn.Softplus(),
      [-2, -0.5, 0.5, 3].map((v) => Math.log1p(Math.exp(v))),
    );
    close(new nn.Identity(), [-2, -0.5, 0.5, 3]);
    const s = new nn.Softmax(0).forward(x).toArray();
    assert.ok(Math.abs([...s].reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });
});
