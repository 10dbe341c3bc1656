// Tensor printing vs PyTorch's repr under default and custom print options
// (scripts/fixtures/repr.py -> fixtures/repr/repr.json): toString, template strings,
// console.log's util.inspect, torch.setPrintoptions, and module printing.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { nn } from "../../src/index.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

type Options = Omit<NonNullable<Parameters<typeof torch.setPrintoptions>[0]>, "threshold"> & {
  threshold?: number | "inf";
};

interface ReprFixture {
  cases: {
    name: string;
    tensor: EncodedTensor;
    requiresGrad: boolean;
    options: Options;
    repr: string;
  }[];
  gradCases: { name: string; repr: string; reprLineWidth60: string }[];
  parameter: { tensor: EncodedTensor; repr: string; str: string };
}

const fx = loadFixture<ReprFixture>("repr", "repr");

const printOptions = (o: Options): Parameters<typeof torch.setPrintoptions>[0] => ({
  ...o,
  threshold: o.threshold === "inf" ? Infinity : o.threshold,
});

afterEach(() => torch.setPrintoptions({ profile: "default" }));

describe("tensor repr vs PyTorch", () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      let t = decode(c.tensor);
      if (c.requiresGrad) t = t.detach().requiresGrad_(true);
      torch.setPrintoptions(printOptions(c.options));
      assert.equal(t.toString(), c.repr);
      assert.equal(`${t}`, c.repr);
      assert.equal(inspect(t), c.repr);
    });
  }
});

const x = (): Tensor =>
  torch.tensor(
    [
      [0.5, -1.5, 2.0],
      [0.25, 3.0, -0.75],
    ],
    { requiresGrad: true },
  );
const w = (): Tensor =>
  torch.tensor(
    [
      [1.0, 2.0],
      [-1.0, 0.5],
      [0.0, 1.5],
    ],
    { requiresGrad: true },
  );
const made: Record<string, () => Tensor> = {
  grad_sigmoid: () => torch.sigmoid(x()),
  grad_mm: () => x().mm(w()),
  grad_sum: () => x().sum(),
  grad_mean: () => x().mean(),
  grad_add: () => x().add(1),
  grad_mul: () => {
    const a = x();
    return a.mul(a);
  },
  grad_relu: () => x().relu(),
  grad_view: () => x().view(6),
  grad_t: () => x().t(),
  grad_f64_exp: () => x().detach().double().requiresGrad_(true).exp(),
  grad_to_f64: () => x().double(),
  grad_softmax: () => x().softmax(1),
  grad_long_line: () => torch.sigmoid(torch.linspace(-3, 3, 11, { requiresGrad: true })),
  grad_long_f64: () => torch.linspace(-3, 3, 7, { dtype: "float64", requiresGrad: true }).exp(),
};

describe("repr of op outputs (grad_fn=<...>) vs PyTorch", () => {
  for (const c of fx.gradCases) {
    it(c.name, () => {
      const t = made[c.name]!();
      assert.equal(String(t), c.repr);
      torch.setPrintoptions({ lineWidth: 60 });
      assert.equal(inspect(t), c.reprLineWidth60);
    });
  }

  it("Parameter prints as PyTorch's", () => {
    const p = new nn.Parameter(decode(fx.parameter.tensor));
    assert.equal(String(p), fx.parameter.str);
    assert.equal(inspect(p), fx.parameter.repr);
  });
});

describe("setPrintoptions", () => {
  it("a call without sciMode resets it to automatic, as torch.set_printoptions", () => {
    const t = torch.tensor([0.5, 1.25]);
    torch.setPrintoptions({ sciMode: true });
    assert.equal(String(t), "tensor([5.0000e-01, 1.2500e+00])");
    torch.setPrintoptions({ precision: 2 });
    assert.equal(String(t), "tensor([0.50, 1.25])");
  });

  it("withPrintoptions restores the previous options, even when fn throws", () => {
    const t = torch.tensor([1 / 3]);
    torch.setPrintoptions({ precision: 2 });
    assert.equal(
      torch.withPrintoptions({ precision: 6 }, () => String(t)),
      "tensor([0.333333])",
    );
    assert.throws(() =>
      torch.withPrintoptions({ precision: 1 }, () => {
        throw new Error("boom");
      }),
    );
    assert.equal(String(t), "tensor([0.33])");
  });
});

describe("console.log of modules and devices", () => {
  it("util.inspect of a module is its printed tree", () => {
    const model = new nn.Sequential(new nn.Linear(2, 3), new nn.Sigmoid());
    const tree =
      "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): Sigmoid()\n)";
    assert.equal(String(model), tree);
    assert.equal(inspect(model), tree);
    assert.equal(`${model}`, tree);
  });

  it("a tensor inside an object prints as its repr", () => {
    assert.equal(inspect({ t: torch.tensor([1, 2]) }), "{ t: tensor([1, 2]) }");
  });
});
