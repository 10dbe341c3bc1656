import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { linalg, type Tensor } from "../../src/index.js";
import { gradcheck, gradgradcheck } from "../../src/autograd/gradcheck.js";

/** Deterministic float64 leaves, full rank (sin of a quadratic: no linear recurrence). */
function leaf(shape: number[], shift = 0): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = Array.from({ length: n }, (_, i) => Math.sin(0.9 * i * i + 0.3 + shift) * 1.5);
  return torch.tensor(data, { dtype: "float64" }).reshape(shape).requiresGrad_(true);
}
const sym = (x: Tensor) =>
  x.add(x.mT).add(torch.eye(x.shape[x.ndim - 1]!, { dtype: "float64" }).mul(4));

describe("torch.linalg gradients (float64 gradcheck)", () => {
  const cases: [string, (...x: Tensor[]) => Tensor | Tensor[], Tensor[]][] = [
    ["inv", (a) => linalg.inv(a!), [leaf([2, 3, 3])]],
    ["det", (a) => linalg.det(a!), [leaf([2, 3, 3])]],
    ["slogdet", (a) => linalg.slogdet(a!)[1], [leaf([3, 3])]],
    ["solve", (a, b) => linalg.solve(a!, b!), [leaf([3, 3]), leaf([2, 3, 2], 1)]],
    ["cholesky", (a) => linalg.cholesky(sym(a!)), [leaf([2, 3, 3])]],
    ["cholesky upper", (a) => linalg.cholesky(sym(a!), { upper: true }), [leaf([3, 3])]],
    ["qr tall", (a) => linalg.qr(a!), [leaf([4, 3])]],
    ["qr wide", (a) => linalg.qr(a!), [leaf([3, 5])]],
    [
      "eigh",
      (a) => {
        const [l, v] = linalg.eigh(sym(a!));
        return [l, v.abs()];
      },
      [leaf([3, 3])],
    ],
    ["eigvalsh", (a) => linalg.eigvalsh(sym(a!)), [leaf([2, 3, 3])]],
    [
      "svd tall",
      (a) => {
        const [u, s, vh] = linalg.svd(a!, { fullMatrices: false });
        return [u.abs(), s, vh.abs()];
      },
      [leaf([4, 3])],
    ],
    [
      "svd wide",
      (a) => {
        const [u, s, vh] = linalg.svd(a!, { fullMatrices: false });
        return [u.abs(), s, vh.abs()];
      },
      [leaf([2, 4])],
    ],
    ["svdvals", (a) => linalg.svdvals(a!), [leaf([3, 4])]],
    ["matrixNorm nuc", (a) => linalg.matrixNorm(a!, "nuc"), [leaf([3, 4])]],
    ["matrixNorm 2", (a) => linalg.matrixNorm(a!, 2), [leaf([3, 4])]],
  ];
  for (const [name, fn, inputs] of cases) {
    it(name, () => assert.ok(gradcheck(fn, inputs)));
  }
  // The backward formulas are built from differentiable ops, so second derivatives exist too.
  const second: [string, (...x: Tensor[]) => Tensor, Tensor[]][] = [
    ["inv", (a) => linalg.inv(a!), [leaf([3, 3])]],
    ["det", (a) => linalg.det(a!), [leaf([3, 3])]],
    ["solve", (a, b) => linalg.solve(a!, b!), [leaf([3, 3]), leaf([3, 2], 1)]],
    ["cholesky", (a) => linalg.cholesky(sym(a!)), [leaf([3, 3])]],
    ["eigvalsh", (a) => linalg.eigvalsh(sym(a!)), [leaf([3, 3])]],
    ["svdvals", (a) => linalg.svdvals(a!), [leaf([3, 4])]],
  ];
  for (const [name, fn, inputs] of second) {
    it(`second derivatives: ${name}`, () => assert.ok(gradgradcheck(fn, inputs)));
  }
  it("qr with mode 'r' has no gradient, as PyTorch", () => {
    const [, r] = linalg.qr(leaf([3, 3]), "r");
    assert.throws(() => r.sum().backward(), /mode='r'/);
  });
});
