import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { distributions as D, type Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

interface Case {
  name: string;
  params: EncodedTensor[];
  value: EncodedTensor;
  batch_shape: number[];
  event_shape: number[];
  mean: EncodedTensor;
  variance: EncodedTensor;
  stddev: EncodedTensor;
  entropy: EncodedTensor;
  log_prob: EncodedTensor;
  samples: { shape: number[]; seed: number; sample: EncodedTensor; rsample?: EncodedTensor }[];
  grads: EncodedTensor[];
}
const fixture = loadFixture<{ cases: Case[]; errors: { name: string; error: string }[] }>(
  "distributions",
  "distributions",
);

function make(name: string, ps: Tensor[]): D.Distribution {
  const [a, b] = ps;
  if (name.startsWith("normal")) return new D.Normal(a!, b!);
  if (name.startsWith("uniform")) return new D.Uniform(a!, b!);
  if (name.startsWith("bernoulli_probs")) return new D.Bernoulli({ probs: a! });
  if (name.startsWith("bernoulli_logits")) return new D.Bernoulli({ logits: a! });
  if (name.startsWith("categorical_probs")) return new D.Categorical({ probs: a! });
  if (name.startsWith("categorical_logits")) return new D.Categorical({ logits: a! });
  throw new Error(`no distribution for ${name}`);
}

describe("torch.distributions vs PyTorch", () => {
  for (const c of fixture.cases) {
    const hasRsample = c.samples.some((s) => s.rsample !== undefined);
    it(`${c.name}: shapes, moments, entropy, logProb`, () => {
      const d = make(
        c.name,
        c.params.map((p) => decode(p)),
      );
      assert.deepEqual(d.batchShape, c.batch_shape);
      assert.deepEqual(d.eventShape, c.event_shape);
      assertClose(d.mean, c.mean, { message: "mean" });
      assertClose(d.variance, c.variance, { message: "variance" });
      assertClose(d.stddev, c.stddev, { message: "stddev" });
      assertClose(d.entropy(), c.entropy, { message: "entropy" });
      assertClose(d.logProb(decode(c.value)), c.log_prob, { message: "logProb" });
    });
    it(`${c.name}: seeded samples equal PyTorch's`, () => {
      const d = make(
        c.name,
        c.params.map((p) => decode(p)),
      );
      for (const s of c.samples) {
        torch.manualSeed(s.seed);
        assertClose(d.sample(s.shape), s.sample, { message: `sample ${String(s.shape)}` });
        if (s.rsample) {
          torch.manualSeed(s.seed + 1);
          assertClose(d.rsample(s.shape), s.rsample, { message: `rsample ${String(s.shape)}` });
        }
      }
    });
    it(`${c.name}: gradients of logProb, entropy${hasRsample ? " and rsample" : ""}`, () => {
      const ps = c.params.map((p) => decode(p, { requiresGrad: p.dtype !== "int32" }));
      const d = make(c.name, ps);
      let loss = d.logProb(decode(c.value)).sum().add(d.entropy().sum().mul(0.5));
      if (hasRsample) {
        torch.manualSeed(13);
        loss = loss.add(d.rsample([2]).mul(0.25).sum());
      }
      loss.backward();
      ps.forEach((p, i) => assertClose(p.grad!, c.grads[i]!, { message: `grad ${i}` }));
    });
  }
  it("sample has no gradient; rsample has one", () => {
    const loc = torch.zeros([2]).requiresGrad_(true);
    const d = new D.Normal(loc, 1);
    assert.equal(d.sample().requiresGrad, false);
    assert.equal(d.rsample().requiresGrad, true);
  });
});

describe("torch.distributions errors as PyTorch's", () => {
  const calls: Record<string, () => unknown> = {
    normal_scale: () =>
      new D.Normal(
        torch.tensor([0, 0], { dtype: "float32" }),
        torch.tensor([1, -1], { dtype: "float32" }),
      ),
    normal_scale_scalar: () => new D.Normal(0, -1),
    normal_loc_nan: () =>
      new D.Normal(torch.tensor([NaN, 0]), torch.tensor([1, 1], { dtype: "float32" })),
    uniform_order: () =>
      new D.Uniform(
        torch.tensor([1], { dtype: "float32" }),
        torch.tensor([0], { dtype: "float32" }),
      ),
    bernoulli_both: () =>
      new D.Bernoulli({ probs: torch.tensor([0.5]), logits: torch.tensor([0.5]) }),
    bernoulli_neither: () => new D.Bernoulli({}),
    bernoulli_probs: () => new D.Bernoulli({ probs: torch.tensor([0.5, 1.5]) }),
    categorical_0d: () => new D.Categorical({ probs: torch.tensor(1, { dtype: "float32" }) }),
    categorical_probs: () => new D.Categorical({ probs: torch.tensor([0.5, -0.5, 1]) }),
    normal_log_prob_shape: () =>
      new D.Normal(torch.zeros([3]), torch.ones([3])).logProb(torch.zeros([4])),
    bernoulli_log_prob_support: () =>
      new D.Bernoulli({ probs: torch.tensor([0.5, 0.5]) }).logProb(torch.tensor([0.5, 1])),
    categorical_log_prob_support: () =>
      new D.Categorical({ probs: torch.tensor([0.5, 0.5]) }).logProb(torch.tensor([2])),
  };
  for (const e of fixture.errors) {
    it(e.name, () => {
      const call = calls[e.name];
      assert.ok(call, `no call for ${e.name}`);
      assert.throws(
        call,
        (err: Error) => err instanceof torch.ValueError && err.message.split("\n")[0] === e.error,
      );
    });
  }
  it("validateArgs: false skips the checks", () => {
    assert.doesNotThrow(() => new D.Normal(0, -1, { validateArgs: false }));
  });
});
