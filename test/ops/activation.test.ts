import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { gradcheck, gradgradcheck } from "../../src/autograd/gradcheck.js";
import { loadFixture } from "../helpers/fixtures.js";
import type { OpCase } from "../helpers/op-cases.js";
import { runNamedOpCases } from "../helpers/named-cases.js";

type Kw = Record<string, unknown>;
const cases = (name: string): OpCase[] =>
  loadFixture<{ cases: OpCase[] }>("ops_reduce", name).cases;
const num = (v: unknown) => v as number | undefined;

/** Each case's name starts with the op; kwargs use PyTorch's keyword names. */
const ops: Record<string, (x: Tensor, kw: Kw) => Tensor> = {
  leakyRelu: (x, kw) => x.leakyRelu(num(kw.negative_slope)),
  elu: (x, kw) => torch.elu(x, num(kw.alpha)),
  gelu: (x, kw) => x.gelu({ approximate: kw.approximate as "none" | "tanh" | undefined }),
  silu: (x) => torch.silu(x),
  softplus: (x, kw) => x.softplus({ beta: num(kw.beta), threshold: num(kw.threshold) }),
  hardtanh: (x, kw) => torch.hardtanh(x, num(kw.min_val), num(kw.max_val)),
  relu6: (x) => x.relu6(),
  mish: (x) => torch.mish(x),
  softmax: (x, kw) => x.softmax(kw.dim as number),
  logSoftmax: (x, kw) => torch.logSoftmax(x, kw.dim as number),
};

describe("activations vs PyTorch", () => {
  runNamedOpCases(cases("activation"), (name, [x], kw) => {
    const op = ops[name.split(" ")[0]!];
    if (!op) throw new Error(`unknown case ${name}`);
    return op(x!, kw);
  });
});

const errorCalls: Record<string, (x: Tensor) => Tensor> = {
  "softmax dim out of range": (x) => x.softmax(2),
  "logSoftmax dim out of range": (x) => x.logSoftmax(-3),
  "softmax of int32": (x) => x.softmax(0),
  "logSoftmax of int32": (x) => x.logSoftmax(0),
  "gelu of int32": (x) => x.gelu(),
};

describe("activation errors vs PyTorch", () => {
  const errorCases = cases("errors").filter((c) => c.name in errorCalls);
  it("covers every activation error case of the generator", () => {
    assert.equal(errorCases.length, Object.keys(errorCalls).length);
  });
  runNamedOpCases(errorCases, (name, [x]) => errorCalls[name]!(x!), {
    // PyTorch names its internal kernel ("softmax_kernel_impl" not implemented for 'Int');
    // torchlet names the op and the dtype.
    errorMatches: (c) =>
      c.name.includes("int32")
        ? new RegExp(
            `^${c.name.split(" ")[0] === "logSoftmax" ? "log_softmax" : c.name.split(" ")[0]}\\(\\): expected a floating point tensor, got int32`,
          )
        : c.error!,
  });

  it("softmax and logSoftmax require a dim", () => {
    const x = torch.ones([2, 3]);
    assert.throws(() => torch.softmax(x, undefined as unknown as number), {
      name: "ValueError",
      message: /softmax\(\): dim is required/,
    });
    assert.throws(() => x.logSoftmax(undefined as unknown as number), {
      name: "ValueError",
      message: /log_softmax\(\): dim is required/,
    });
  });

  it("gelu rejects an unknown approximation", () => {
    const approximate = "erf" as unknown as "tanh";
    assert.throws(() => torch.gelu(torch.ones([2]), { approximate }), { name: "ValueError" });
  });
});

describe("activation stability", () => {
  it("logSoftmax and softmax stay finite for inputs like 1000 and -1000", () => {
    const x = torch.tensor([[1000, -1000, 0]], { dtype: "float32", requiresGrad: true });
    const ls = x.logSoftmax(1);
    assert.deepEqual(ls.tolist(), [[0, -2000, -1000]]);
    ls.sum().backward();
    assert.ok(x.grad!.toArray().every(Number.isFinite));
    assert.deepEqual(x.softmax(1).tolist(), [[1, 0, 0]]);
  });
});

/** A float64 leaf with distinct values away from the kinks (0, +-1, 6) of the activations. */
function leaf(shape: number[], scale = 3): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + 0.7) * scale + 0.11);
  return torch.tensor(values, { dtype: "float64" }).reshape(shape).requiresGrad_(true);
}

describe("activation gradients (float64 gradcheck and gradgradcheck)", () => {
  const checks: [string, (x: Tensor) => Tensor][] = [
    ["leakyRelu", (x) => x.leakyRelu(0.2)],
    ["elu", (x) => x.elu(0.7)],
    ["gelu", (x) => x.gelu()],
    ["gelu tanh", (x) => x.gelu({ approximate: "tanh" })],
    ["silu", (x) => x.silu()],
    ["softplus", (x) => x.softplus({ beta: 1.5, threshold: 3 })],
    ["hardtanh", (x) => x.hardtanh(-2, 2)],
    ["relu6", (x) => x.mul(3).relu6()],
    ["mish", (x) => x.mish()],
    ["softmax", (x) => x.softmax(1)],
    ["logSoftmax", (x) => x.logSoftmax(0)],
  ];
  for (const [name, fn] of checks) {
    it(name, () => {
      assert.ok(gradcheck(fn, [leaf([3, 4])]));
      assert.ok(gradgradcheck(fn, [leaf([3, 4])]));
    });
  }
});
