import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { linalg, type Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

interface Case {
  name: string;
  inputs: EncodedTensor[];
  outs: EncodedTensor[];
  ws?: EncodedTensor[];
  grads?: EncodedTensor[];
}
interface ErrorCase {
  name: string;
  inputs: EncodedTensor[];
  error: string;
}
const fixture = loadFixture<{
  cases: Case[];
  errors: ErrorCase[];
  singular: {
    det: EncodedTensor;
    slogdet: EncodedTensor[];
    det_grad: EncodedTensor;
    det_batch_input: EncodedTensor;
    det_batch_grad: EncodedTensor;
  };
}>("linalg", "linalg");

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];
const qrMode = (name: string) => name.split("_")[1] as linalg.QRMode;
const ord = (s: string): number | "fro" | "nuc" =>
  s === "fro" || s === "nuc" ? s : s === "inf" ? Infinity : s === "-inf" ? -Infinity : Number(s);

/** The torchlet call for a case, by the name the generator gave it. */
function callFor(name: string): Fn {
  const p = name.split("_");
  if (name.startsWith("inv")) return (a) => linalg.inv(a!);
  if (name.startsWith("det")) return (a) => linalg.det(a!);
  if (name.startsWith("slogdet")) return (a) => linalg.slogdet(a!);
  if (name.startsWith("solve_right")) return (a, b) => linalg.solve(a!, b!, { left: false });
  if (name.startsWith("solve")) return (a, b) => linalg.solve(a!, b!);
  if (name.startsWith("cholesky_upper")) return (a) => linalg.cholesky(a!, { upper: true });
  if (name.startsWith("cholesky")) return (a) => linalg.cholesky(a!);
  if (name.startsWith("qr")) return (a) => linalg.qr(a!, qrMode(name));
  if (name.startsWith("svdvals")) return (a) => linalg.svdvals(a!);
  if (name.startsWith("svd")) return (a) => linalg.svd(a!, { fullMatrices: p[1] === "full1" });
  if (name.startsWith("eigvalsh")) return (a) => linalg.eigvalsh(a!);
  if (name.startsWith("eigh")) return (a) => linalg.eigh(a!, p[1] as "L" | "U");
  if (name.startsWith("vector_norm_all")) return (a) => linalg.vectorNorm(a!, 2, { keepdim: true });
  if (name.startsWith("vector_norm"))
    return (a) => linalg.vectorNorm(a!, ord(p[2]!) as number, { dim: 1 });
  if (name.startsWith("matrix_norm") && name.includes("dims_keep"))
    return (a) => linalg.matrixNorm(a!, ord(p[2]!), { dim: [2, 0], keepdim: true });
  if (name.startsWith("matrix_norm")) return (a) => linalg.matrixNorm(a!, ord(p[2]!));
  if (name.startsWith("norm_default")) return (a) => linalg.norm(a!);
  if (name.startsWith("norm_2d_ord1")) return (a) => linalg.norm(a!, 1);
  if (name.startsWith("norm_1d_ord3")) return (a) => linalg.norm(a!, 3);
  if (name.startsWith("norm_dim")) return (a) => linalg.norm(a!, undefined, { dim: [0, 1] });
  throw new Error(`no call for ${name}`);
}

/** Outputs unique only up to sign per column (U, V of svd / eigh), or not at all (full U's extra columns). */
function signFree(name: string, i: number): boolean {
  return (name.startsWith("svd_") && i !== 1) || (name.startsWith("eigh") && i === 1);
}

const looser = (dtype: string) =>
  dtype === "float32" ? { rtol: 1e-4, atol: 1e-5 } : { rtol: 1e-9, atol: 1e-10 };

describe("torch.linalg vs PyTorch (LAPACK)", () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const inputs = c.inputs.map((e) => decode(e, { requiresGrad: c.grads !== undefined }));
      const result = callFor(c.name)(...inputs);
      const outs = result instanceof torch.Tensor ? [result] : result;
      assert.equal(outs.length, c.outs.length);
      const full = c.name.startsWith("svd_full1");
      outs.forEach((o, i) => {
        const want = c.outs[i]!;
        if (!signFree(c.name, i)) {
          assertClose(o, want, { message: `out ${i}` });
          return;
        }
        // |columns| of U / V (rows of Vh) are unique when the values are distinct; a full U's
        // or Vh's completion is not, so only the first k are compared.
        const expected = decode(want);
        const k = Math.min(...c.inputs[0]!.shape.slice(-2));
        const cut = (t: Tensor) => (full ? (i === 0 ? t.narrow(-1, 0, k) : t.narrow(-2, 0, k)) : t);
        const e = cut(expected).abs().contiguous();
        assertClose(
          cut(o.detach()).abs(),
          { shape: e.shape, dtype: e.dtype, data: e.toArray() },
          {
            ...looser(o.dtype),
            message: `|out ${i}|`,
          },
        );
      });
      if (c.name.startsWith("svd_")) checkSvdInvariants(inputs[0]!, outs);
      if (c.name.startsWith("eigh")) checkEighInvariants(inputs[0]!, outs, c.name.split("_")[1]!);
      if (c.grads === undefined) return;
      let loss = torch.tensor(0, { dtype: inputs[0]!.dtype });
      outs.forEach((o, i) => {
        if (!o.requiresGrad) return;
        const w = decode(c.ws![i]!);
        loss = loss.add((signFree(c.name, i) ? o.abs() : o).mul(w).sum());
      });
      loss.backward();
      inputs.forEach((x, j) => {
        const want = c.grads![j];
        // PyTorch leaves no gradient where it is identically zero (the 0-"norm").
        if (want === null || want === undefined) {
          assert.ok(x.grad === null || x.grad.abs().sum().item() === 0, `grad ${j} is zero`);
          return;
        }
        // The singular-vector gradient divides by s_i² - s_j²: in float32 PyTorch's own
        // (float32 LAPACK) vectors carry ~1e-4 relative error into it on the 10×7 case.
        const tol =
          c.name.startsWith("svd") && x.dtype === "float32" && c.name.includes("large")
            ? { rtol: 1e-3, atol: 1e-4 }
            : looser(x.dtype);
        assertClose(x.grad!, want, { ...tol, message: `grad ${j}` });
      });
    });
  }
});

function eyeLike(n: number, dtype: torch.DType): EncodedTensor {
  const data: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data.push(i === j ? 1 : 0);
  return { shape: [n, n], dtype, data };
}

function checkOrthonormalColumns(q: Tensor, label: string): void {
  const n = q.shape[q.ndim - 1]!;
  const g = q.mT.matmul(q);
  const flat = g.reshape([-1, n, n]);
  for (let b = 0; b < flat.shape[0]!; b++) {
    assertClose(flat.select(0, b), eyeLike(n, q.dtype), { ...looser(q.dtype), message: label });
  }
}

function checkSvdInvariants(a: Tensor, [u, s, vh]: Tensor[]): void {
  const k = s!.shape[s!.ndim - 1]!;
  checkOrthonormalColumns(u!.detach(), "UᵀU = I");
  checkOrthonormalColumns(vh!.detach().mT, "VhVhᵀ = I");
  const rebuilt = u!
    .detach()
    .narrow(-1, 0, k)
    .mul(s!.detach().unsqueeze(-2))
    .matmul(vh!.detach().narrow(-2, 0, k));
  const want = a.detach().contiguous();
  assertClose(
    rebuilt,
    { shape: want.shape, dtype: want.dtype, data: want.toArray() },
    {
      ...looser(a.dtype),
      message: "U S Vh = A",
    },
  );
}

function checkEighInvariants(a: Tensor, [l, v]: Tensor[], uplo: string): void {
  checkOrthonormalColumns(v!.detach(), "VᵀV = I");
  const triangle = uplo === "L" ? a.detach().tril() : a.detach().triu();
  const sym = triangle
    .add(triangle.mT)
    .sub(triangle.mul(torch.eye(a.shape[a.ndim - 1]!, { dtype: a.dtype })));
  const rebuilt = v!.detach().mul(l!.detach().unsqueeze(-2)).matmul(v!.detach().mT);
  const want = sym.contiguous();
  assertClose(
    rebuilt,
    { shape: want.shape, dtype: want.dtype, data: want.toArray() },
    {
      ...looser(a.dtype),
      message: "V diag(L) Vᵀ = A",
    },
  );
}

describe("torch.linalg errors as PyTorch's", () => {
  const calls: Record<string, Fn> = {
    inv_singular: (a) => linalg.inv(a!),
    inv_singular_batched: (a) => linalg.inv(a!),
    inv_nonsquare: (a) => linalg.inv(a!),
    inv_1d: (a) => linalg.inv(a!),
    inv_int: (a) => linalg.inv(a!),
    det_nonsquare: (a) => linalg.det(a!),
    cholesky_not_pd: (a) => linalg.cholesky(a!),
    cholesky_not_pd_batched: (a) => linalg.cholesky(a!),
    solve_singular: (a, b) => linalg.solve(a!, b!),
    solve_shapes: (a, b) => linalg.solve(a!, b!),
    solve_dtypes: (a, b) => linalg.solve(a!, b!),
    eigh_nonsquare: (a) => linalg.eigh(a!),
    matrix_norm_1d: (a) => linalg.matrixNorm(a!),
    matrix_norm_order: (a) => linalg.matrixNorm(a!, 3),
    matrix_norm_same_dims: (a) => linalg.matrixNorm(a!, "fro", { dim: [0, 0] }),
    vector_norm_int: (a) => linalg.vectorNorm(a!),
    vector_norm_empty: (a) => linalg.vectorNorm(a!, -1),
    norm_fro_one_dim: (a) => linalg.norm(a!, "fro", { dim: [0] }),
    norm_3d_ord: (a) => linalg.norm(a!, 2),
    norm_fro_1d: (a) => linalg.norm(a!, "fro"),
    qr_mode: (a) => linalg.qr(a!, "x" as linalg.QRMode),
    eigh_uplo: (a) => linalg.eigh(a!, "X" as "L"),
    svd_1d: (a) => linalg.svd(a!),
    cholesky_nonsquare: (a) => linalg.cholesky(a!),
    solve_singular_batched: (a, b) => linalg.solve(a!, b!),
  };
  for (const c of fixture.errors) {
    it(c.name, () => {
      const call = calls[c.name];
      assert.ok(call, `no call for ${c.name}`);
      const inputs = c.inputs.map((e) => decode(e));
      assert.throws(
        () => call(...inputs),
        (e: Error) => e instanceof torch.TorchletError && e.message === c.error,
      );
    });
  }
  it("a singular matrix has det 0 and slogdet (0, -inf) as PyTorch", () => {
    const a = torch.tensor(
      [
        [1, 2],
        [2, 4],
      ],
      { dtype: "float64" },
    );
    assertClose(linalg.det(a), fixture.singular.det);
    const [sign, logabs] = linalg.slogdet(a);
    assertClose(sign, fixture.singular.slogdet[0]!);
    assertClose(logabs, fixture.singular.slogdet[1]!);
  });
  it("det's gradient at singular matrices is PyTorch 1.13's (zero)", () => {
    const a = torch.tensor(
      [
        [1, 2],
        [2, 4],
      ],
      { dtype: "float64", requiresGrad: true },
    );
    linalg.det(a).backward();
    assertClose(a.grad!, fixture.singular.det_grad, { atol: 1e-12 });
    // In a batch, only the singular matrix gets the zero gradient.
    const c = torch.stack([
      torch.tensor(
        [
          [2, 1],
          [1, 3],
        ],
        { dtype: "float64" },
      ),
      a.detach(),
    ]);
    const leafC = c.detach().requiresGrad_(true);
    linalg.det(leafC).sum().backward();
    assertClose(leafC.grad!, { shape: [2, 2, 2], data: [3, -1, -1, 2, 0, 0, 0, 0] });
  });
  it("factorization failures are LinAlgError", () => {
    assert.throws(() => linalg.inv(torch.zeros([2, 2])), linalg.LinAlgError);
  });
});
