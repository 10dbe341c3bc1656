import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { gradcheck, gradgradcheck } from "../../src/autograd/gradcheck.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import type { OpCase } from "../helpers/op-cases.js";
import { runNamedOpCases } from "../helpers/named-cases.js";

type Kw = Record<string, unknown>;
const cases = (name: string): OpCase[] =>
  loadFixture<{ cases: OpCase[] }>("ops_breadth", name).cases;
const F = torch.nn.functional;

/** The torchlet call of each fixture op (the part of a case name before "/"). */
const calls: Record<string, (x: Tensor, kw: Kw) => Tensor> = {
  "sort.values": (x, kw) => x.sort(kw.dim as number | undefined, kw.descending as boolean)[0],
  "sort.indices": (x, kw) =>
    torch.sort(x, { dim: kw.dim as number | undefined, descending: kw.descending as boolean })
      .indices,
  argsort: (x, kw) =>
    torch.argsort(x, {
      dim: kw.dim as number | undefined,
      descending: kw.descending as boolean | undefined,
      stable: kw.stable as boolean | undefined,
    }),
  msort: (x) => x.msort(),
  "topk.values": (x, kw) =>
    x.topk(kw.k as number, kw.dim as number | undefined, kw.largest as boolean | undefined).values,
  "topk.indices": (x, kw) => {
    const [, indices] = torch.topk(x, kw.k as number, {
      dim: kw.dim as number | undefined,
      largest: kw.largest as boolean | undefined,
    });
    return indices;
  },
  cumsum: (x, kw) =>
    kw.dtype ? x.cumsum({ dim: kw.dim as number, dtype: "float64" }) : x.cumsum(kw.dim as number),
  cumprod: (x, kw) =>
    kw.dtype ? torch.cumprod(x, kw.dim as number, "float64") : torch.cumprod(x, kw.dim as number),
  cumsum_: (x, kw) => x.clone().cumsum_(kw.dim as number),
  cumprod_: (x, kw) => x.clone().cumprod_(kw.dim as number),
  logcumsumexp: (x, kw) => x.logcumsumexp(kw.dim as number),
  square: (x) => torch.square(x),
  square_: (x) => x.clone().square_(),
  oneHot: (x, kw) => F.oneHot(x, kw.numClasses as number | undefined),
};

const run = (name: string, [x]: Tensor[], kw: Kw): Tensor => {
  const op = name.split("/")[0]!;
  const fn = calls[op];
  if (!fn) throw new Error(`unknown case ${name}`);
  return fn(x!, kw);
};

describe("sort/argsort/msort/topk vs PyTorch", () => {
  runNamedOpCases(cases("sort"), run);
});

describe("cumsum/cumprod/logcumsumexp/square/oneHot vs PyTorch", () => {
  runNamedOpCases(cases("scan"), run);
});

interface MultinomialCase {
  name: string;
  probs: EncodedTensor;
  layout: "contiguous" | "transposed";
  numSamples: number;
  replacement: boolean;
  seed: number;
  out: EncodedTensor;
  after: EncodedTensor;
}

describe("multinomial draws PyTorch's indices for a seed", () => {
  const fixture = loadFixture<{ cases: MultinomialCase[] }>("ops_breadth", "multinomial").cases;
  for (const c of fixture) {
    it(c.name, () => {
      let probs = decode(c.probs);
      if (c.layout === "transposed") probs = probs.t().contiguous().t();
      torch.manualSeed(c.seed);
      const out = torch.multinomial(probs, c.numSamples, c.replacement);
      assertClose(out, c.out);
      assertClose(torch.rand(3), c.after, { rtol: 0, atol: 0 });
    });
  }

  it("takes a generator and the method form", () => {
    const p = torch.tensor([0.1, 0.2, 0.7]);
    const a = p.multinomial(5, {
      replacement: true,
      generator: new torch.Generator().manualSeed(3),
    });
    const b = torch.multinomial(p, 5, true, { generator: new torch.Generator().manualSeed(3) });
    assert.deepEqual(a.tolist(), b.tolist());
  });
});

/** The generator's error cases, by name. */
const errorCalls: Record<string, (x: Tensor) => unknown> = {
  "topk k too large": (x) => x.topk(4),
  "topk negative k": (x) => x.topk(-1),
  "topk dim out of range": (x) => x.topk(1, 2),
  "sort dim out of range": (x) => x.sort(2),
  "argsort dim out of range": (x) => x.argsort(-3),
  "cumsum dim out of range": (x) => x.cumsum(2),
  "cumprod dim out of range": (x) => x.cumprod(-3),
  "logcumsumexp of int64": (x) => x.logcumsumexp(0),
  "oneHot of float": (x) => F.oneHot(x),
  "oneHot negative class": (x) => F.oneHot(x),
  "oneHot class too large": (x) => F.oneHot(x, 3),
  "oneHot empty without numClasses": (x) => F.oneHot(x),
  "multinomial 0-d": (x) => x.multinomial(1),
  "multinomial 3-D": (x) => x.multinomial(1),
  "multinomial int64": (x) => x.multinomial(1),
  "multinomial zero samples": (x) => x.multinomial(0),
  "multinomial too many without replacement": (x) => x.multinomial(4),
  "multinomial negative without replacement": (x) => x.multinomial(1),
  "multinomial inf without replacement": (x) => x.multinomial(1),
  "multinomial zero row without replacement": (x) => x.multinomial(1),
  "multinomial negative with replacement": (x) => x.multinomial(2, true),
  "multinomial nan with replacement": (x) => x.multinomial(2, true),
  "multinomial inf with replacement": (x) => x.multinomial(2, true),
  "multinomial zero sum with replacement": (x) => x.multinomial(2, true),
};

describe("sort/scan/oneHot/multinomial errors vs PyTorch", () => {
  const errors = cases("errors").filter((c) => c.name in errorCalls);
  it("covers every error case of this group", () => {
    assert.equal(errors.length, Object.keys(errorCalls).length);
  });
  runNamedOpCases(errors, (name, [x]) => errorCalls[name]!(x!) as Tensor);
});

/** A float64 leaf with distinct values (no ties), optionally with exact zeros. */
function leaf(shape: number[], values?: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = values ?? Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3) * 2 + 0.05);
  return torch.tensor(v, { dtype: "float64" }).reshape(shape).requiresGrad_(true);
}

describe("sort/scan gradients (float64 gradcheck and gradgradcheck)", () => {
  const checks: [string, (x: Tensor) => Tensor, () => Tensor][] = [
    ["sort values", (x) => x.sort(1).values, () => leaf([3, 4])],
    ["topk values", (x) => x.topk(2, 0).values, () => leaf([4, 3])],
    ["cumsum", (x) => x.cumsum(1), () => leaf([3, 4])],
    ["cumprod", (x) => x.cumprod(0), () => leaf([4, 3])],
    ["cumprod with zeros", (x) => x.cumprod(1), () => leaf([2, 4], [0, 1.5, 2, -1, 1, 0, 0, 3])],
    ["logcumsumexp", (x) => x.logcumsumexp(1), () => leaf([3, 4])],
    ["square", (x) => x.square(), () => leaf([5])],
  ];
  for (const [name, fn, input] of checks) {
    it(name, () => {
      assert.ok(gradcheck(fn, [input()]));
      assert.ok(gradgradcheck(fn, [input()]));
    });
  }
});
