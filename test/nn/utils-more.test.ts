import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

const { nn } = torch;

interface ErrorCase {
  name: string;
  type: string;
  error: string;
}

const fx = loadFixture<{
  truncNormal: {
    seed: number;
    shape: number[];
    dtype: "float32" | "float64";
    args: { mean?: number; std?: number; a?: number; b?: number };
    out: EncodedTensor;
  }[];
  weightNorm: {
    cases: {
      name: string;
      dim: number | null;
      state: Record<string, EncodedTensor>;
      x: EncodedTensor;
      out: EncodedTensor;
      w: EncodedTensor;
      xGrad: EncodedTensor;
      paramGrads: Record<string, EncodedTensor>;
      weight: EncodedTensor;
      keysAfterRemove: string[];
    }[];
    seeded: Record<string, EncodedTensor>;
    errors: ErrorCase[];
  };
  vectors: {
    params: EncodedTensor[];
    vec: EncodedTensor;
    w: EncodedTensor;
    grads: EncodedTensor[];
    new: EncodedTensor;
    after: EncodedTensor[];
    errors: ErrorCase[];
  };
  inference: {
    isInference: boolean;
    requiresGrad: boolean;
    viewOfNormalIsInference: boolean;
    cloneIsInference: boolean;
    errors: ErrorCase[];
  };
}>("layers_more", "utils");

function throwsAs(fn: () => unknown, e: ErrorCase): void {
  assert.throws(fn, (err: Error) => {
    assert.equal(err.message, e.error, e.name);
    return true;
  });
}

describe("nn.init.truncNormal_", () => {
  for (const c of fx.truncNormal) {
    it(`draws PyTorch's values after manualSeed(${c.seed}) (${c.dtype})`, () => {
      torch.manualSeed(c.seed);
      const t = torch.empty(c.shape, { dtype: c.dtype });
      const { mean, std, a, b } = c.args;
      nn.init.truncNormal_(t, mean, std, a, b);
      assertClose(t, c.out, c.dtype === "float64" ? { rtol: 1e-12, atol: 1e-14 } : {});
      const lo = a ?? -2;
      const hi = b ?? 2;
      assert.ok(t.toArray().every((v) => v >= lo && v <= hi));
    });
  }
});

describe("nn.utils.weightNorm / removeWeightNorm", () => {
  const build = (name: string): torch.nn.Module =>
    name.startsWith("Conv2d")
      ? new nn.Conv2d(2, 3, 2, { dtype: "float64" })
      : new nn.Linear(3, 2, { dtype: "float64" });
  for (const c of fx.weightNorm.cases) {
    it(`${c.name}: keys, forward through the pre-hook and gradients vs PyTorch`, () => {
      const m = nn.utils.weightNorm(build(c.name), "weight", c.dim);
      assert.deepEqual(Object.keys(m.stateDict()), Object.keys(c.state));
      m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)])));
      const x = decode(c.x, { requiresGrad: true });
      const out = (m as unknown as (x: Tensor) => Tensor)(x);
      assertClose(out, c.out, { message: "forward" });
      out.mul(decode(c.w)).sum().backward();
      assertClose(x.grad!, c.xGrad, { message: "input grad" });
      const params = Object.fromEntries(m.namedParameters());
      assert.deepEqual(Object.keys(params), Object.keys(c.paramGrads));
      for (const [k, g] of Object.entries(c.paramGrads)) {
        assertClose(params[k]!.grad!, g, { message: `${k} grad` });
      }
      nn.utils.removeWeightNorm(m);
      const sd = m.stateDict();
      assert.deepEqual(Object.keys(sd), c.keysAfterRemove);
      assertClose(sd.weight!, c.weight, { message: "weight after remove" });
    });
  }

  it("splits PyTorch's seeded Linear weight into the same g and v", () => {
    torch.manualSeed(0);
    const sd = nn.utils.weightNorm(new nn.Linear(3, 2)).stateDict();
    assert.deepEqual(Object.keys(sd), Object.keys(fx.weightNorm.seeded));
    for (const [k, v] of Object.entries(fx.weightNorm.seeded)) assertClose(sd[k]!, v);
  });

  it("refuses with PyTorch's messages", () => {
    const lin = nn.utils.weightNorm(new nn.Linear(3, 2));
    const [twice, missing] = fx.weightNorm.errors as [ErrorCase, ErrorCase];
    throwsAs(() => nn.utils.weightNorm(lin), twice);
    throwsAs(() => nn.utils.removeWeightNorm(new nn.Linear(3, 2)), missing);
  });
});

describe("nn.utils.parametersToVector / vectorToParameters", () => {
  const v = fx.vectors;
  it("joins the parameters (with gradients) and splits a vector back, as PyTorch", () => {
    const ps = v.params.map((p) => decode(p, { requiresGrad: true }));
    const vec = nn.utils.parametersToVector(ps);
    assertClose(vec, v.vec);
    vec.mul(decode(v.w)).sum().backward();
    ps.forEach((p, i) => assertClose(p.grad!, v.grads[i]!));
    const targets = [
      torch.zeros([2, 3], { dtype: "float64" }),
      torch.zeros(4, { dtype: "float64" }),
    ];
    nn.utils.vectorToParameters(decode(v.new), targets);
    targets.forEach((t, i) => assertClose(t, v.after[i]!));
  });

  it("refuses with PyTorch's messages", () => {
    const targets = [
      torch.zeros([2, 3], { dtype: "float64" }),
      torch.zeros(4, { dtype: "float64" }),
    ];
    const [notTensor, short] = v.errors as [ErrorCase, ErrorCase];
    throwsAs(() => nn.utils.vectorToParameters([1] as unknown as Tensor, targets), notTensor);
    throwsAs(
      () => nn.utils.vectorToParameters(torch.zeros(5, { dtype: "float64" }), targets),
      short,
    );
  });
});

describe("torch.inferenceMode", () => {
  const e = fx.inference;
  it("marks tensors made inside as inference tensors, not views of normal ones", () => {
    const t = torch.inferenceMode(() => torch.ones(2).mul(3));
    assert.equal(t.isInference(), e.isInference);
    assert.equal(t.requiresGrad, e.requiresGrad);
    const normal = torch.ones(2);
    assert.equal(
      torch.inferenceMode(() => normal.index("0:1")).isInference(),
      e.viewOfNormalIsInference,
    );
    assert.equal(t.clone().isInference(), e.cloneIsInference);
    assert.equal(torch.isInferenceModeEnabled(), false);
    assert.equal(
      torch.inferenceMode(() => torch.isInferenceModeEnabled()),
      true,
    );
  });

  it("refuses to record, update in place or require grad outside, with PyTorch's messages", () => {
    const w = torch.ones(2).requiresGrad_(true);
    const t = torch.inferenceMode(() => torch.ones(2).mul(3));
    const base = torch.inferenceMode(() => torch.ones(2));
    const [saved, inplace, rg] = e.errors as [ErrorCase, ErrorCase, ErrorCase];
    throwsAs(() => t.mul(w), saved);
    throwsAs(() => base.add_(1), inplace);
    throwsAs(() => t.requiresGrad_(), rg);
    assert.deepEqual(t.clone().mul(w).tolist(), [3, 3]);
  });
});
