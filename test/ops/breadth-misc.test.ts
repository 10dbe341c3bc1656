import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { gradcheck } from "../../src/autograd/gradcheck.js";
import { loadFixture } from "../helpers/fixtures.js";
import type { OpCase } from "../helpers/op-cases.js";
import { runNamedOpCases } from "../helpers/named-cases.js";

type Kw = Record<string, unknown>;
const cases = (name: string): OpCase[] =>
  loadFixture<{ cases: OpCase[] }>("ops_breadth", name).cases;
const F = torch.nn.functional;
const num = (kw: Kw, k: string) => kw[k] as number | undefined;

/** The torchlet call of each fixture op (the part of a case name before "/"). */
const calls: Record<string, (xs: Tensor[], kw: Kw) => Tensor> = {
  any: ([x], kw) =>
    kw.dim === undefined ? x!.any() : torch.any(x!, num(kw, "dim")!, kw.keepdim as boolean),
  all: ([x], kw) =>
    kw.dim === undefined
      ? torch.all(x!)
      : x!.all({ dim: num(kw, "dim")!, keepdim: kw.keepdim as boolean }),
  nonzero: ([x]) => x!.nonzero(),
  "nonzero.astuple1": ([x]) => torch.nonzero(x!, { asTuple: true })[1]!,
  argwhere: ([x]) => torch.argwhere(x!),
  addmm: ([c, a, b], kw) =>
    torch.addmm(c!, a!, b!, { beta: num(kw, "beta"), alpha: num(kw, "alpha") }),
  addmm_: ([c, a, b]) => c!.clone().addmm_(a!, b!),
  baddbmm: ([c, a, b], kw) =>
    c!.baddbmm(a!, b!, { beta: num(kw, "beta"), alpha: num(kw, "alpha") }),
  diag: ([x], kw) => torch.diag(x!, num(kw, "diagonal")),
  trace: ([x]) => x!.trace(),
  "meshgrid.ij0": (xs) => torch.meshgrid(xs, { indexing: "ij" })[0]!,
  "meshgrid.ij1": (xs) => torch.meshgrid(xs, { indexing: "ij" })[1]!,
  "meshgrid.xy0": (xs) => torch.meshgrid(xs, { indexing: "xy" })[0]!,
  "meshgrid.xy1": (xs) => torch.meshgrid(xs, { indexing: "xy" })[1]!,
  "meshgrid.xy2": (xs) => torch.meshgrid(xs, { indexing: "xy" })[2]!,
  einsum: (xs, kw) => torch.einsum(kw.equation as string, ...xs),
  nanToNum: ([x], kw) =>
    torch.nanToNum(x!, {
      nan: num(kw, "nan"),
      posinf: num(kw, "posinf"),
      neginf: num(kw, "neginf"),
    }),
  nanToNum_: ([x], kw) => x!.clone().nanToNum_({ nan: num(kw, "nan") }),
  isclose: ([a, b], kw) =>
    torch.isclose(a!, b!, {
      rtol: num(kw, "rtol"),
      atol: num(kw, "atol"),
      equalNan: kw.equalNan as boolean | undefined,
    }),
  unique: ([x], kw) => torch.unique(x!, { dim: num(kw, "dim") }),
  "unique.inverse": ([x], kw) =>
    (x!.unique({ dim: num(kw, "dim"), returnInverse: true }) as torch.UniqueResult).inverse!,
  "unique.counts": ([x], kw) => {
    const [, counts] = torch.unique(x!, { dim: num(kw, "dim"), returnCounts: true }) as Tensor[];
    return counts!;
  },
  "unique.counts_both": ([x]) =>
    (torch.unique(x!, { returnInverse: true, returnCounts: true }) as torch.UniqueResult).counts!,
  repeatInterleave: ([x, r], kw) =>
    x!.repeatInterleave(r ?? (num(kw, "repeats") as number | undefined), num(kw, "dim")),
  bucketize: ([x, b], kw) => torch.bucketize(x!, b!, { right: kw.right as boolean | undefined }),
  searchsorted: ([s, v, sorter], kw) =>
    torch.searchsorted(s!, v!, {
      right: kw.right as boolean | undefined,
      side: kw.side as "left" | "right" | undefined,
      sorter,
    }),
  normalize: ([x], kw) =>
    F.normalize(x!, { p: num(kw, "p"), dim: num(kw, "dim"), eps: num(kw, "eps") }),
  cosineSimilarity: ([a, b], kw) =>
    F.cosineSimilarity(a!, b!, { dim: num(kw, "dim"), eps: num(kw, "eps") }),
};

const run = (name: string, xs: Tensor[], kw: Kw): Tensor => {
  const fn = calls[name.split("/")[0]!];
  if (!fn) throw new Error(`unknown case ${name}`);
  return fn(xs, kw);
};

describe("any/all/nonzero/argwhere vs PyTorch", () => runNamedOpCases(cases("logical"), run));
describe("addmm/baddbmm/diag/trace/meshgrid/einsum vs PyTorch", () =>
  runNamedOpCases(cases("matrix"), run));
describe("nanToNum/isclose/unique/repeatInterleave/bucketize/searchsorted vs PyTorch", () =>
  runNamedOpCases(cases("numeric"), run));
describe("F.normalize/F.cosineSimilarity vs PyTorch", () =>
  runNamedOpCases(cases("functional"), run));

const errorCalls: Record<string, (xs: Tensor[]) => unknown> = {
  "any dim out of range": ([x]) => x!.any(2),
  "addmm mat1 not a matrix": ([c, a, b]) => torch.addmm(c!, a!, b!),
  "addmm shapes": ([c, a, b]) => torch.addmm(c!, a!, b!),
  "addmm input shape": ([c, a, b]) => torch.addmm(c!, a!, b!),
  "baddbmm input shape": ([c, a, b]) => torch.baddbmm(c!, a!, b!),
  "diag of 3-D": ([x]) => x!.diag(),
  "trace of 3-D": ([x]) => torch.trace(x!),
  "meshgrid of 2-D": (xs) => torch.meshgrid(xs, { indexing: "ij" }),
  "meshgrid bad indexing": (xs) => torch.meshgrid(xs, { indexing: "xx" as "ij" }),
  "einsum too few operands": (xs) => torch.einsum("ij,jk", ...xs),
  "einsum too many operands": (xs) => torch.einsum("ij", ...xs),
  "einsum subscripts vs dims": (xs) => torch.einsum("ijk", ...xs),
  "einsum unknown output": (xs) => torch.einsum("ij->k", ...xs),
  "einsum size mismatch": (xs) => torch.einsum("ij,jk", ...xs),
  "isclose dtypes": ([a, b]) => torch.isclose(a!, b!),
  "repeatInterleave size": ([x, r]) => torch.repeatInterleave(x!, r),
  "repeatInterleave negative": ([x, r]) => torch.repeatInterleave(x!, r),
  "repeatInterleave 2-D repeats": ([r]) => torch.repeatInterleave(r!),
  "bucketize 2-D boundaries": ([x, b]) => torch.bucketize(x!, b!),
  "searchsorted shapes": ([s, v]) => torch.searchsorted(s!, v!),
  "searchsorted side and right": ([s, v]) =>
    torch.searchsorted(s!, v!, { side: "left", right: true }),
  "searchsorted bad side": ([s, v]) => torch.searchsorted(s!, v!, { side: "lft" as "left" }),
  "unique dim out of range": ([x]) => torch.unique(x!, { dim: 2 }),
  "normalize dim out of range": ([x]) => F.normalize(x!, { dim: 2 }),
  "cosineSimilarity shapes": ([a, b]) => F.cosineSimilarity(a!, b!),
};

describe("breadth op errors vs PyTorch", () => {
  const errors = cases("errors").filter((c) => c.name in errorCalls);
  it("covers every error case of this group", () => {
    assert.equal(errors.length, Object.keys(errorCalls).length);
  });
  runNamedOpCases(errors, (name, xs) => errorCalls[name]!(xs) as Tensor, {
    // PyTorch prints the offending tensor's values there; torchlet prints its shape.
    errorMatches: (c) =>
      c.name === "meshgrid of 2-D" ? "Expected 0D or 1D tensor in the tensor list" : c.error!,
  });
});

function leaf(shape: number[], seed = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3 + seed) * 2 + 0.05);
  return torch.tensor(v, { dtype: "float64" }).reshape(shape).requiresGrad_(true);
}

describe("breadth op gradients (float64 gradcheck)", () => {
  const checks: [string, (...xs: Tensor[]) => Tensor, () => Tensor[]][] = [
    [
      "einsum bij,bjk",
      (a, b) => torch.einsum("bij,bjk->bik", a!, b!),
      () => [leaf([2, 2, 3]), leaf([2, 3, 2], 1)],
    ],
    ["einsum ii->i", (a) => torch.einsum("ii->i", a!), () => [leaf([3, 3])]],
    [
      "addmm",
      (c, a, b) => torch.addmm(c!, a!, b!, { beta: 0.5, alpha: 2 }),
      () => [leaf([3]), leaf([2, 4], 1), leaf([4, 3], 2)],
    ],
    ["diag above", (a) => torch.diag(a!, 1), () => [leaf([3])]],
    ["diag of matrix", (a) => torch.diag(a!, -1), () => [leaf([3, 4])]],
    ["trace", (a) => torch.trace(a!), () => [leaf([3, 3])]],
    ["normalize", (a) => F.normalize(a!), () => [leaf([2, 3])]],
    [
      "cosineSimilarity",
      (a, b) => F.cosineSimilarity(a!, b!),
      () => [leaf([2, 3]), leaf([2, 3], 1)],
    ],
    ["repeatInterleave", (a) => a!.repeatInterleave(torch.tensor([2, 1]), 0), () => [leaf([2, 3])]],
    ["nanToNum", (a) => a!.nanToNum(), () => [leaf([4])]],
  ];
  for (const [name, fn, inputs] of checks) {
    it(name, () => assert.ok(gradcheck(fn, inputs())));
  }
});

describe("breadth API shapes", () => {
  it("allclose is a JavaScript boolean", () => {
    const a = torch.tensor([1, 2, 3], { dtype: "float32" });
    assert.equal(torch.allclose(a, a.add(1e-7)), true);
    assert.equal(a.allclose(a.add(1)), false);
  });

  it("unique returns values, inverse and counts as a tuple and as fields", () => {
    const r = torch.unique(torch.tensor([2, 0, 2]), { returnInverse: true, returnCounts: true });
    assert.ok(Array.isArray(r));
    const [values, inverse, counts] = r as Tensor[];
    assert.deepEqual(values!.tolist(), [0, 2]);
    assert.deepEqual(inverse!.tolist(), [1, 0, 1]);
    assert.deepEqual(counts!.tolist(), [1, 2]);
    assert.equal((r as torch.UniqueResult).counts, counts);
  });

  it("new* factories and typeAs take this tensor's dtype", () => {
    const x = torch.zeros([2], { dtype: "float64" });
    assert.equal(x.newZeros([2, 3]).dtype, "float64");
    assert.deepEqual(x.newOnes(2, 2).shape, [2, 2]);
    assert.equal(x.newEmpty([1]).dtype, "float64");
    assert.deepEqual(x.newFull([2], 3).tolist(), [3, 3]);
    assert.equal(x.newFull([2], 3).dtype, "float64");
    assert.equal(x.newTensor([1, 2]).dtype, "float64");
    assert.equal(x.newZeros([1], { dtype: "int32" }).dtype, "int32");
    assert.equal(torch.tensor([1, 2]).typeAs(x).dtype, "float64");
    assert.equal(x.newOnes([2], { requiresGrad: true }).requiresGrad, true);
  });
});
