/**
 * The host side of torchlet.linalg: matrices in and out of double-precision typed arrays, one
 * matrix at a time over PyTorch's leading batch dims, and the checks every op shares.
 */
import { DTypeError, LinAlgError, ShapeError } from "../errors.js";
import { narrow } from "../ops/view.js";
import { tensor } from "../tensor/create.js";
import { isFloatingPoint, type DType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { checkTensor } from "../validation/tensors.js";

const TORCH_NAMES: Record<DType, string> = {
  float32: "Float",
  float64: "Double",
  int32: "Int",
  bool: "Bool",
};

/** A dtype as PyTorch names it in messages ("Float", "Double", ...). */
export function torchName(dtype: DType): string {
  return TORCH_NAMES[dtype] ?? dtype;
}

/** A float tensor of at least two dims (PyTorch's checkFloatingOrComplex + checkIsMatrix). */
export function checkMatrix(op: string, name: string, a: unknown): Tensor {
  const t = checkTensor(op, name, a);
  if (t.ndim < 2) {
    throw new ShapeError(`${op}: The input tensor ${name} must have at least 2 dimensions.`);
  }
  if (!isFloatingPoint(t.dtype)) {
    throw new DTypeError(
      `${op}: Expected a floating point or complex tensor as input. Got ${torchName(t.dtype)}`,
    );
  }
  return t;
}

/** checkMatrix, and square (PyTorch's squareCheckInputs). */
export function checkSquare(op: string, a: unknown, name = "A"): Tensor {
  const t = checkMatrix(op, name, a);
  const m = t.shape[t.ndim - 2]!;
  const n = t.shape[t.ndim - 1]!;
  if (m !== n) {
    throw new ShapeError(
      `${op}: ${name} must be batches of square matrices, but they are ${m} by ${n} matrices`,
    );
  }
  return t;
}

/** The matrices of a [..., m, n] tensor as one row-major Float64Array each. */
export interface Matrices {
  batch: number[];
  m: number;
  n: number;
  count: number;
  at(i: number): Float64Array;
}

export function matrices(a: Tensor): Matrices {
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const batch = a.shape.slice(0, -2);
  const flat = Float64Array.from(a.contiguous().toArray() as ArrayLike<number>);
  const size = m * n;
  return {
    batch: [...batch],
    m,
    n,
    count: batch.reduce((p, d) => p * d, 1),
    at: (i) => flat.subarray(i * size, (i + 1) * size),
  };
}

/** A tensor of `dtype` from double-precision data. */
export function fromDoubles(data: Float64Array, shape: readonly number[], dtype: DType): Tensor {
  return tensor(data, { dtype: "float64" })
    .to(dtype)
    .reshape([...shape]);
}

/** Throws PyTorch's error for a failed factorization, naming the batch element when batched. */
export function failed(op: string, batched: boolean, index: number, message: string): never {
  const where = batched ? `(Batch element ${index}): ` : "";
  throw new LinAlgError(`${op}: ${where}${message}`);
}

/**
 * Several outputs of one factorization travel packed in one tensor [..., total] so that one
 * autograd node sees the gradients of all of them; `unpack` cuts them out with differentiable
 * views, and the backward cuts the incoming gradient the same way.
 */
export function unpack(
  packed: Tensor,
  batch: readonly number[],
  shapes: readonly number[][],
): Tensor[] {
  const out: Tensor[] = [];
  let offset = 0;
  for (const s of shapes) {
    const size = s.reduce((p, d) => p * d, 1);
    out.push(narrow(packed, -1, offset, size).reshape([...batch, ...s]));
    offset += size;
  }
  return out;
}

/** Concatenates per-matrix parts into the packed layout `unpack` reads. */
export function packParts(parts: readonly Float64Array[][], count: number): Float64Array {
  const per = parts[0]?.reduce((p, a) => p + a.length, 0) ?? 0;
  const out = new Float64Array(count * per);
  for (let i = 0; i < count; i++) {
    let o = i * per;
    for (const a of parts[i]!) {
      out.set(a, o);
      o += a.length;
    }
  }
  return out;
}
