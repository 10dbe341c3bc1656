/**
 * The LU-based ops: inv, det, slogdet and solve, with PyTorch's gradients (derivatives.yaml)
 * composed from differentiable ops.
 */
import { broadcastShapes, formatShape } from "../tensor/shape.js";
import { DTypeError, ShapeError } from "../errors.js";
import { where } from "../ops/binary.js";
import { record } from "../ops/support.js";
import { eye } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkSquare, failed, fromDoubles, matrices, torchName } from "./batch.js";
import { luDet, luFactor, luSolve } from "./kernels/lu.js";
import { checkTensor } from "../validation/tensors.js";

function identity(n: number): Float64Array {
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  return eye;
}

/**
 * The inverse of each square matrix of `A` [..., n, n] (torch.linalg.inv); a singular matrix
 * throws PyTorch's LinAlgError.
 *
 * @example
 * const a = torch.tensor([[4, 7], [2, 6]], { dtype: "float64" });
 * torch.linalg.inv(a); // [[0.6, -0.7], [-0.2, 0.4]]
 */
export function inv(A: Tensor): Tensor {
  const op = "linalg.inv";
  const a = checkSquare(op, A);
  const mats = matrices(a);
  const n = mats.n;
  const out = new Float64Array(mats.count * n * n);
  const eye = identity(n);
  for (let i = 0; i < mats.count; i++) {
    const f = luFactor(mats.at(i), n);
    if (f.info !== 0) {
      failed(
        op,
        a.ndim > 2,
        i,
        `The diagonal element ${f.info} is zero, the inversion could not be completed because the input matrix is singular.`,
      );
    }
    out.set(luSolve(f, n, eye, n), i * n * n);
  }
  const result = fromDoubles(out, a.shape, a.dtype);
  // d(A⁻¹) = -A⁻¹ dA A⁻¹, so gA = -A⁻ᵀ g A⁻ᵀ.
  return record(
    "LinalgInvExBackward0",
    result,
    [a],
    (g, [r]) => [r!.mT.matmul(g).matmul(r!.mT).neg()],
    [result],
  );
}

function determinants(a: Tensor): ReturnType<typeof luDet>[] {
  const mats = matrices(a);
  const out: ReturnType<typeof luDet>[] = [];
  for (let i = 0; i < mats.count; i++) out.push(luDet(luFactor(mats.at(i), mats.n), mats.n));
  return out;
}

/**
 * The determinant of each square matrix of `A` [..., n, n] (torch.linalg.det), by LU with
 * partial pivoting. Its gradient is det(A)·A⁻ᵀ, and zero where det(A) is exactly 0, as
 * PyTorch 1.13's.
 *
 * @example
 * torch.linalg.det(torch.tensor([[1, 2], [3, 4]], { dtype: "float64" })); // -2
 */
export function det(A: Tensor): Tensor {
  const a = checkSquare("linalg.det", A);
  const dets = determinants(a);
  const result = fromDoubles(
    Float64Array.from(dets, (d) => d.det),
    a.shape.slice(0, -2),
    a.dtype,
  );
  return record(
    "LinalgDetBackward0",
    result,
    [a],
    (g, [sa, d]) => [
      d!.toArray().some((v) => v === 0)
        ? singularDetGrad(g, sa!, d!)
        : g.mul(d!).unsqueeze(-1).unsqueeze(-1).mul(inv(sa!).mT),
    ],
    [a, result],
  );
}

/**
 * det's gradient det(A)·A⁻ᵀ where det(A) is exactly 0 (an exact zero pivot): zero, as
 * PyTorch 1.13 gives it (not the cofactor matrix of later versions). The singular matrices are
 * swapped for the identity before inverting.
 */
function singularDetGrad(g: Tensor, a: Tensor, d: Tensor): Tensor {
  const n = a.shape[a.ndim - 1]!;
  const mask = d.eq(0).unsqueeze(-1).unsqueeze(-1);
  const safe = where(mask, eye(n, { dtype: a.dtype }), a);
  return where(mask, 0, g.mul(d).unsqueeze(-1).unsqueeze(-1).mul(inv(safe).mT));
}

/**
 * The sign and the log of the absolute value of the determinant (torch.linalg.slogdet):
 * `[sign, logabsdet]`; a singular matrix gives sign 0 and logabsdet -Infinity. Only logabsdet
 * has a gradient, A⁻ᵀ.
 *
 * @example
 * const [sign, logabsdet] = torch.linalg.slogdet(a);
 */
export function slogdet(A: Tensor): [sign: Tensor, logabsdet: Tensor] {
  const a = checkSquare("linalg.slogdet", A);
  const dets = determinants(a);
  const batch = a.shape.slice(0, -2);
  const sign = fromDoubles(
    Float64Array.from(dets, (d) => d.sign),
    batch,
    a.dtype,
  );
  const logabs = fromDoubles(
    Float64Array.from(dets, (d) => d.logabs),
    batch,
    a.dtype,
  );
  const recorded = record(
    "LinalgSlogdetBackward0",
    logabs,
    [a],
    (g, [sa]) => [g.unsqueeze(-1).unsqueeze(-1).mul(inv(sa!).mT)],
    [a],
  );
  return [sign, recorded];
}

/** X with A X = B for A [..., n, n] and B [..., n, k] of the same batch shape. */
function solveMatrices(a: Tensor, b: Tensor): Tensor {
  const op = "linalg.solve";
  const am = matrices(a);
  const bm = matrices(b);
  const n = am.n;
  const k = bm.n;
  const out = new Float64Array(am.count * n * k);
  for (let i = 0; i < am.count; i++) {
    const f = luFactor(am.at(i), n);
    // PyTorch's solve names itself torch.linalg.solve here.
    if (f.info !== 0) {
      failed(
        `torch.${op}`,
        a.ndim > 2,
        i,
        "The solver failed because the input matrix is singular.",
      );
    }
    out.set(luSolve(f, n, bm.at(i), k), i * n * k);
  }
  const x = fromDoubles(out, b.shape, b.dtype);
  // gB = A⁻ᵀ g, gA = -gB Xᵀ.
  return record(
    "LinalgSolveExBackward0",
    x,
    [a, b],
    (g, [sa, sx]) => {
      const gb = solveMatrices(sa!.mT, g);
      return [a.requiresGrad ? gb.matmul(sx!.mT).neg() : null, b.requiresGrad ? gb : null];
    },
    [a, x],
  );
}

/**
 * The solution X of A X = B (torch.linalg.solve), or of X A = B with `left: false`. B is a
 * batch of vectors when it is 1-d or has A's shape without its last dim; batch dims broadcast.
 *
 * @example
 * const x = torch.linalg.solve(a, b); // a.matmul(x) equals b
 */
export function solve(A: Tensor, B: Tensor, options: { left?: boolean } = {}): Tensor {
  const op = "linalg.solve";
  const a = checkSquare(op, A);
  const b = checkTensor(op, "B", B);
  if (b.dtype !== a.dtype) {
    throw new DTypeError(
      `${op}: Expected A and B to have the same dtype, but found A of type ${torchName(a.dtype)} and B of type ${torchName(b.dtype)} instead`,
    );
  }
  const left = options.left ?? true;
  if (!left) return solve(a.mT, b.mT).mT;
  const n = a.shape[a.ndim - 1]!;
  const vector =
    b.ndim === 1 ||
    (b.ndim === a.ndim - 1 && formatShape(b.shape) === formatShape(a.shape.slice(0, -1)));
  const bm = vector ? b.unsqueeze(-1) : b;
  if (bm.ndim < 2)
    throw new ShapeError(`${op}: The input tensor B must have at least 2 dimensions.`);
  if (bm.shape[bm.ndim - 2] !== n) {
    throw new ShapeError(
      `${op}: Incompatible shapes of A and B for the equation AX = B (${n}x${n} and ${bm.shape[bm.ndim - 2]}x${bm.shape[bm.ndim - 1]})`,
    );
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), bm.shape.slice(0, -2));
  const x = solveMatrices(
    a.expand([...batch, n, n]),
    bm.expand([...batch, n, bm.shape[bm.ndim - 1]!]),
  );
  return vector ? x.squeeze(-1) : x;
}
