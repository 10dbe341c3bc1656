import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { runLayerCases, type LayerCase } from "../helpers/layer-cases.js";

const { nn } = torch;

type Kind = LayerCase["kind"];

/** Builds the torchlet module a fixture kind describes (float64 unless marked float32). */
function build(kind: Kind): torch.nn.Module {
  const dtype = kind.float32 ? "float32" : "float64";
  const options = (kind.options ?? {}) as never;
  const withDType = { ...(kind.options ?? {}), dtype } as never;
  const [a, b, k] = kind.args as [number, number, number | [number, number]];
  switch (kind.type) {
    case "Conv2d":
      return new nn.Conv2d(a, b, k, withDType);
    case "Conv1d":
      return new nn.Conv1d(a, b, k as number, withDType);
    case "BatchNorm2d":
      return new nn.BatchNorm2d(a, withDType);
    case "MaxPool2d":
      return new nn.MaxPool2d(a, options);
    case "AvgPool2d":
      return new nn.AvgPool2d(a, options);
    case "AdaptiveAvgPool2d":
      return new nn.AdaptiveAvgPool2d(kind.args[0] as [number, number]);
  }
  throw new Error(`unknown layer ${kind.type}`);
}

const modules = loadFixture<{
  cases: LayerCase[];
  reprs: [string, string][];
  errors: { name: string; type: string; error: string }[];
}>("nn_image", "modules");

describe("image layers vs PyTorch (weights loaded from PyTorch)", () => {
  runLayerCases(modules.cases, build);
});

describe("image layers print as PyTorch", () => {
  const made: Record<string, () => torch.nn.Module> = {
    "Conv2d(1, 32, 3)": () => new nn.Conv2d(1, 32, 3),
    "Conv2d all options": () =>
      new nn.Conv2d(2, 4, [3, 5], {
        stride: 2,
        padding: [1, 2],
        dilation: 2,
        groups: 2,
        bias: false,
      }),
    "Conv2d same": () => new nn.Conv2d(1, 2, 3, { padding: "same" }),
    "Conv2d valid": () => new nn.Conv2d(1, 2, 3, { padding: "valid" }),
    "Conv1d padding": () => new nn.Conv1d(2, 4, 3, { padding: 1 }),
    "Conv1d same dilation": () => new nn.Conv1d(2, 4, 3, { padding: "same", dilation: 3 }),
    "MaxPool2d(2)": () => new nn.MaxPool2d(2),
    "MaxPool2d tuple options": () =>
      new nn.MaxPool2d([2, 3], { stride: 1, padding: 1, dilation: 2, ceilMode: true }),
    "MaxPool2d tuple kernel": () => new nn.MaxPool2d([2, 2]),
    MaxPool1d: () => new nn.MaxPool1d(3, { stride: 2 }),
    "AvgPool2d(2)": () => new nn.AvgPool2d(2),
    "AvgPool2d options": () =>
      new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
    AvgPool1d: () => new nn.AvgPool1d(3),
    "AdaptiveAvgPool2d((5, 7))": () => new nn.AdaptiveAvgPool2d([5, 7]),
    "AdaptiveAvgPool2d(1)": () => new nn.AdaptiveAvgPool2d(1),
    "AdaptiveAvgPool2d((None, 7))": () => new nn.AdaptiveAvgPool2d([null, 7]),
    "BatchNorm2d(32)": () => new nn.BatchNorm2d(32),
    "BatchNorm2d options": () =>
      new nn.BatchNorm2d(4, {
        eps: 1e-3,
        momentum: null,
        affine: false,
        trackRunningStats: false,
      }),
    "Dropout2d(0.25)": () => new nn.Dropout2d(0.25),
    "Dropout2d()": () => new nn.Dropout2d(),
  };
  it("covers every fixture repr", () => {
    assert.deepEqual(
      modules.reprs.map(([n]) => n).filter((n) => !(n in made)),
      [],
    );
  });
  for (const [name, text] of modules.reprs) {
    it(name, () => assert.equal(made[name]!().toString(), text));
  }
});

describe("image layer errors (PyTorch's messages)", () => {
  const z = (shape: number[]) => torch.zeros(shape);
  const calls: Record<string, () => unknown> = {
    "Conv2d wrong channels": () => new nn.Conv2d(3, 4, 3).forward(z([1, 2, 5, 5])),
    "Conv2d input smaller than kernel": () => new nn.Conv2d(1, 1, 3).forward(z([1, 1, 2, 2])),
    "Conv2d 2-D input": () => new nn.Conv2d(1, 1, 3).forward(z([5, 5])),
    "Conv2d in_channels not divisible by groups": () => new nn.Conv2d(3, 4, 3, { groups: 2 }),
    "Conv2d out_channels not divisible by groups": () => new nn.Conv2d(4, 3, 3, { groups: 2 }),
    "Conv2d same with stride": () => new nn.Conv2d(3, 4, 3, { stride: 2, padding: "same" }),
    "Conv2d bad padding string": () => new nn.Conv2d(3, 4, 3, { padding: "full" as "same" }),
    "Conv1d 4-D input": () => new nn.Conv1d(1, 1, 3).forward(z([1, 1, 5, 5])),
    "BatchNorm2d wrong channels": () => new nn.BatchNorm2d(4).forward(z([2, 3, 2, 2])),
    "BatchNorm2d 3-D input": () => new nn.BatchNorm2d(3).forward(z([3, 2, 2])),
    "BatchNorm2d one value per channel": () => new nn.BatchNorm2d(3).forward(z([1, 3, 1, 1])),
    "MaxPool2d input smaller than kernel": () => new nn.MaxPool2d(3).forward(z([1, 1, 2, 2])),
    "Dropout2d p out of range": () => new nn.Dropout2d(1.5),
    "Dropout2d 1-D input": () => new nn.Dropout2d().forward(z([3])),
  };
  it("covers every fixture error", () => {
    assert.deepEqual(
      modules.errors.map((e) => e.name).filter((n) => !(n in calls)),
      [],
    );
  });
  for (const e of modules.errors) {
    it(e.name, () => {
      assert.throws(calls[e.name]!, (err: Error) => {
        // PyTorch's ValueError stays a ValueError; its RuntimeErrors become typed errors.
        if (e.type === "ValueError") assert.equal(err.name, "ValueError", err.message);
        else assert.ok(err instanceof torch.TorchletError, `${err.name}: ${err.message}`);
        assert.ok(err.message.includes(e.error), `"${err.message}" lacks "${e.error}"`);
        return true;
      });
    });
  }
});

const seeded = loadFixture<{
  inits: { name: string; seed: number; kind: Kind; state: Record<string, EncodedTensor> }[];
  masks: {
    name: string;
    seed: number;
    p: number;
    x: EncodedTensor;
    out: EncodedTensor;
    w: EncodedTensor;
    xGrad: EncodedTensor;
  }[];
  module: { seed: number; p: number; shape: number[]; outs: EncodedTensor[] };
}>("nn_image", "seeded");

describe("seeded: PyTorch's initial weights and Dropout2d masks", () => {
  for (const c of seeded.inits) {
    it(`${c.name}: weights equal PyTorch's after manualSeed`, () => {
      torch.manualSeed(c.seed);
      const options = (c.kind.options ?? {}) as never;
      const [a, b, k] = c.kind.args as [number, number, number | [number, number]];
      const m =
        c.kind.type === "Conv1d"
          ? new nn.Conv1d(a, b, k as number, options)
          : new nn.Conv2d(a, b, k, options);
      const sd = m.stateDict();
      assert.deepEqual(Object.keys(sd), Object.keys(c.state));
      // Same generator, same draws, same float rounding: equal, not just close.
      for (const [key, v] of Object.entries(c.state))
        assertClose(sd[key]!, v, { rtol: 0, atol: 0, message: key });
    });
  }
  for (const c of seeded.masks) {
    it(`F.dropout2d ${c.name}: the mask and gradient equal PyTorch's for the seed`, () => {
      torch.manualSeed(c.seed);
      const x = decode(c.x, { requiresGrad: true });
      const out = nn.F.dropout2d(x, { p: c.p, training: true });
      assertClose(out, c.out, { rtol: 0, atol: 0, message: "output" });
      out.mul(decode(c.w)).sum().backward();
      assertClose(x.grad!, c.xGrad, { message: "input grad" });
    });
  }
  it("nn.Dropout2d draws a new mask per call, and is the identity in eval mode", () => {
    const { seed, p, shape, outs } = seeded.module;
    torch.manualSeed(seed);
    const drop = new nn.Dropout2d(p);
    for (const want of outs) assertClose(drop.forward(torch.ones(shape)), want, { atol: 0 });
    drop.eval();
    const x = torch.ones(shape);
    assert.equal(drop.forward(x), x);
  });
});

const cnn = loadFixture<{
  repr: string;
  state: Record<string, EncodedTensor>;
  stateDict: [string, number[]][];
  x: EncodedTensor;
  out: EncodedTensor;
  w: EncodedTensor;
  xGrad: EncodedTensor;
  paramGrads: Record<string, EncodedTensor>;
  models: { name: string; repr: string; stateDict: [string, number[], string][] }[];
}>("nn_image", "cnn");

describe("a small CNN vs PyTorch", () => {
  const makeCnn = () =>
    new nn.Sequential(
      new nn.Conv2d(1, 4, 3),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(4, 8, 3, { padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d(2),
      new nn.Flatten(),
      new nn.Linear(8 * 2 * 2, 10),
    ).double();
  it("state dict keys, shapes and printed form", () => {
    const model = makeCnn();
    const sd = model.stateDict();
    assert.deepEqual(
      Object.entries(sd).map(([k, v]) => [k, [...v.shape]]),
      cnn.stateDict,
    );
    assert.equal(model.toString(), cnn.repr);
  });
  it("forward, input and parameter gradients with PyTorch's weights", () => {
    const model = makeCnn();
    model.loadStateDict(
      Object.fromEntries(Object.entries(cnn.state).map(([k, v]) => [k, decode(v)])),
    );
    const x = decode(cnn.x, { requiresGrad: true });
    const out = model.forward(x) as Tensor;
    assertClose(out, cnn.out, { message: "forward" });
    out.mul(decode(cnn.w)).sum().backward();
    assertClose(x.grad!, cnn.xGrad, { message: "input grad" });
    for (const [k, p] of model.namedParameters())
      assertClose(p.grad!, cnn.paramGrads[k]!, { message: `${k} grad` });
  });
  const models: Record<string, () => torch.nn.Module> = {
    mnist: () =>
      new nn.Sequential(
        new nn.Conv2d(1, 32, 3, { stride: 1 }),
        new nn.ReLU(),
        new nn.Conv2d(32, 64, 3, { stride: 1 }),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
        new nn.Dropout2d(0.25),
        new nn.Flatten(),
        new nn.Linear(9216, 128),
        new nn.ReLU(),
        new nn.BatchNorm1d(128),
        new nn.Linear(128, 10),
      ),
    bn: () =>
      new nn.Sequential(
        new nn.Conv2d(3, 8, 3, { padding: "same", bias: false }),
        new nn.BatchNorm2d(8),
        new nn.AdaptiveAvgPool2d(1),
      ),
  };
  for (const m of cnn.models) {
    it(`${m.name}: state dict keys, shapes, dtypes and printed form`, () => {
      const model = models[m.name]!();
      assert.deepEqual(
        Object.entries(model.stateDict()).map(([k, v]) => [k, [...v.shape], v.dtype]),
        m.stateDict,
      );
      assert.equal(model.toString(), m.repr);
    });
  }
});

describe("image layer functional forms: float64 gradcheck", () => {
  const r = (shape: number[], seed: number) =>
    torch
      .tensor(
        Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) =>
          Math.sin(seed * 3.7 + i * 1.3),
        ),
        { dtype: "float64" },
      )
      .reshape(shape)
      .requiresGrad_(true);
  it("F.batchNorm on [N, C, H, W] (batch statistics)", () => {
    assert.ok(
      torch.autograd.gradcheck(
        (x, w, b) => nn.F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
        [r([2, 3, 2, 2], 1), r([3], 2), r([3], 3)],
      ),
    );
  });
  it("F.conv1d and F.conv2d with options", () => {
    assert.ok(
      torch.autograd.gradcheck(
        (x, w, b) => nn.F.conv1d(x, w, b, { stride: 2, padding: 1, groups: 2 }),
        [r([1, 4, 7], 4), r([2, 2, 3], 5), r([2], 6)],
      ),
    );
    assert.ok(
      torch.autograd.gradcheck(
        (x, w) => nn.F.conv2d(x, w, null, { padding: "same", dilation: 2 }),
        [r([1, 2, 5, 4], 7), r([3, 2, 2, 3], 8)],
      ),
    );
  });
  it("F.maxPool2d, F.avgPool2d, F.adaptiveAvgPool2d", () => {
    const x = r([1, 2, 5, 6], 9);
    assert.ok(torch.autograd.gradcheck((a) => nn.F.maxPool2d(a, 2, { padding: 1 }), [x]));
    assert.ok(torch.autograd.gradcheck((a) => nn.F.avgPool2d(a, 2, { ceilMode: true }), [x]));
    assert.ok(torch.autograd.gradcheck((a) => nn.F.adaptiveAvgPool2d(a, [2, 4]), [x]));
  });
  it("F.dropout2d: the gradient is the mask (a fixed seed per evaluation)", () => {
    const f = (a: Tensor) => {
      torch.manualSeed(5);
      return nn.F.dropout2d(a, { p: 0.4 });
    };
    assert.ok(torch.autograd.gradcheck(f, [r([3, 4, 2, 2], 10)]));
  });
});
