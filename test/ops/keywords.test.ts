// PyTorch's keyword arguments as options objects, and factories asked for requiresGrad, vs
// PyTorch (scripts/fixtures/keywords.py -> fixtures/keywords/keywords.json).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { assertClose } from "../helpers/assert.js";

const F = torch.nn.functional;

interface KeywordFixture {
  cases: {
    name: string;
    input: EncodedTensor;
    out: EncodedTensor;
    grad: EncodedTensor;
    gradFn: string | null;
  }[];
  factories: { name: string; tensor: EncodedTensor; requiresGrad: boolean }[];
  factoryErrors: Record<string, string | null>;
}

const fixture = loadFixture<KeywordFixture>("keywords", "keywords");

/** Each case in torchlet's spelling of the PyTorch call the generator made. */
const calls: Record<string, (x: Tensor) => Tensor> = {
  clamp_min_max: (x) => x.clamp({ min: -0.75, max: 1 }),
  clamp_min: (x) => x.clamp({ min: 0 }),
  clamp_max: (x) => x.clamp({ max: 0.3 }),
  torch_clamp: (x) => torch.clamp(x, { min: -1, max: 0.5 }),
  clamp_min_fn: (x) => torch.clampMin(x, 0.25),
  clamp_max_fn: (x) => x.clampMax(0.25),
  leaky_relu: (x) => F.leakyRelu(x, { negativeSlope: 0.2 }),
  elu: (x) => F.elu(x, { alpha: 0.5 }),
  hardtanh: (x) => F.hardtanh(x, { minVal: -0.5, maxVal: 2 }),
  softmax: (x) => F.softmax(x, { dim: 1 }),
  log_softmax: (x) => F.logSoftmax(x, { dim: 0 }),
  dropout_eval: (x) => F.dropout(x, { p: 0.5, training: false }),
  dropout_positional_eval: (x) => F.dropout(x, 0.5, false),
  flatten: (x) => x.reshape(2, 2, 2).flatten({ startDim: 1 }),
  flatten_end: (x) => x.reshape(2, 2, 2).flatten({ startDim: 0, endDim: 1 }),
  unsqueeze: (x) => x.unsqueeze({ dim: 1 }),
  squeeze: (x) => x.reshape(2, 1, 4).squeeze({ dim: 1 }),
  cat: (x) => torch.cat([x, x.mul(2)], { dim: 1 }),
  stack: (x) => torch.stack([x, x.mul(2)], { dim: 1 }),
  sum: (x) => x.sum({ dim: 1, keepdim: true }),
  mean: (x) => x.mean({ dim: 0 }),
  sum_dtype: (x) => x.float().sum({ dim: 1, dtype: "float64" }),
  mean_dtype_keepdim: (x) => x.float().mean({ dim: 0, keepdim: true, dtype: "float64" }),
  split: (x) => torch.cat(torch.split(x, 2, { dim: 1 }), 0),
  chunk: (x) => torch.cat(x.chunk(2, { dim: 1 }), 0),
  unbind: (x) => torch.cat(x.unbind({ dim: 1 }), 0),
  pad_value: (x) => F.pad(x, [1, 2], { value: -3.5 }),
  pad_mode_value: (x) => F.pad(x, [0, 1, 1, 0], { mode: "constant", value: 2 }),
};

/** Cases whose grad_fn name torchlet does not match, with why (composites record their parts). */
const knownNodeNames: Record<string, string> = {
  leaky_relu: "a composite of where/mul",
  elu: "a composite of where/expm1",
  hardtanh: "a composite of where",
  flatten: "PyTorch 1.13's ReshapeAliasBackward0 is an internal alias node (2.x: ViewBackward0)",
  flatten_end: "as flatten",
  stack: "torchlet's stack is a cat of unsqueezed views (CatBackward0; PyTorch: StackBackward0)",
};

describe("keyword arguments as options objects vs PyTorch", () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const call = calls[c.name];
      assert.ok(call !== undefined, `no torchlet call for ${c.name}`);
      const x = decode(c.input, { requiresGrad: true });
      const out = call(x);
      assertClose(out, c.out);
      if (knownNodeNames[c.name] === undefined) assert.equal(out.gradFn?.name ?? null, c.gradFn);
      const w = torch.arange(1, out.numel() + 1, { dtype: out.dtype }).reshape(out.shape);
      out.mul(w).sum().backward();
      assertClose(x.grad!, c.grad);
    });
  }

  it("clamp with neither bound by keyword is PyTorch's error", () => {
    assert.throws(() => torch.tensor([1.5]).clamp({}), {
      name: "ValueError",
      message: "torch.clamp: At least one of 'min' or 'max' must not be None",
    });
  });

  it("F.pad refuses modes other than constant, not silently", () => {
    assert.throws(() => F.pad(torch.zeros([2, 2]), [1, 1], { mode: "reflect" as "constant" }), {
      name: "NotImplementedError",
    });
  });

  it("clamp_ takes the keyword form too", () => {
    const t = torch.tensor([-2.5, 0.5, 3.5]);
    t.clamp_({ min: -1, max: 1 });
    assert.deepEqual([...t.toArray()], [-1, 0.5, 1]);
  });

  it("F.dropout(x, p, training) positionally drops in training, as PyTorch's", () => {
    torch.manualSeed(0);
    const y = F.dropout(torch.ones([1000]), 0.5, true);
    const kept = [...y.toArray()].filter((v) => v !== 0);
    assert.ok(kept.length > 350 && kept.length < 650);
    assert.ok(kept.every((v) => v === 2));
  });
});

describe("factories asked for requiresGrad without a dtype", () => {
  const made: Record<string, () => Tensor> = {
    tensor_list: () => torch.tensor([1.0], { requiresGrad: true }),
    tensor_scalar: () => torch.tensor(2.0, { requiresGrad: true }),
    tensor_nested: () =>
      torch.tensor(
        [
          [1.0, 2.0],
          [3.0, 4.0],
        ],
        { requiresGrad: true },
      ),
    full: () => torch.full([], 0.0, { requiresGrad: true }),
    full_shape: () => torch.full([2], 3.0, { requiresGrad: true }),
    arange: () => torch.arange(0.0, 3.0, { requiresGrad: true }),
  };
  for (const c of fixture.factories) {
    it(`${c.name} gives PyTorch's dtype and requires grad`, () => {
      const t = made[c.name]!();
      assertClose(t, c.tensor);
      assert.equal(t.requiresGrad, c.requiresGrad);
    });
  }

  it("integral data without requiresGrad stays an integer tensor", () => {
    assert.equal(torch.tensor([1.0]).dtype, "int32");
    assert.equal(torch.full([2], 3).dtype, "int32");
  });

  it("an explicit integer dtype with requiresGrad still fails, as in PyTorch", () => {
    assert.match(fixture.factoryErrors.tensor_int_dtype!, /floating point/);
    assert.throws(() => torch.tensor([1], { dtype: "int64", requiresGrad: true }), {
      name: "AutogradError",
      message: /floating point dtype can require gradients/,
    });
    assert.throws(() => torch.full([2], 1, { dtype: "int64", requiresGrad: true }), {
      name: "AutogradError",
    });
  });
});
