import { noGrad } from "../autograd/grad-mode.js";
import { getBackend } from "../backend/registry.js";
import { DTypeError, ShapeError } from "../errors.js";
import { promoteTypes } from "../tensor/dtype.js";
import { broadcastShapes, formatShape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { broadcastView, defineMethods, outputTensor, record, reduceToShape } from "./support.js";
import { traced } from "./trace.js";
import { checkTensor } from "../validation/tensors.js";

function checkDTypes(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(
      `${op}: expected both inputs to have the same dtype, but got ${a.dtype} and ${b.dtype}`,
    );
  }
  if (a.dtype === "bool") throw new DTypeError(`${op}: not implemented for bool tensors`);
}

/**
 * The batched product of a [..., m, k] and b [..., k, n] with broadcast batch dims: the one
 * primitive every matrix op here is built from.
 */
function batchedProduct(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 2]!;
  const n = b.shape[b.ndim - 1]!;
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const aShape = [...batch, m, a.shape[a.ndim - 1]!];
  const bShape = [...batch, b.shape[b.ndim - 2]!, n];
  const out = outputTensor([...batch, m, n], promoteTypes(a.dtype, b.dtype));
  getBackend().matmul(broadcastView(a, aShape), broadcastView(b, bShape), out.storage.data);
  return record(
    a.ndim === 2 && b.ndim === 2 ? "MmBackward0" : "BmmBackward0",
    out,
    [a, b],
    (g, [sa, sb]) => [
      a.requiresGrad ? reduceToShape(batchedProduct(g, sb!.mT), a.shape) : null,
      b.requiresGrad ? reduceToShape(batchedProduct(sa!.mT, g), b.shape) : null,
    ],
    [a, b],
  );
}

/**
 * @internal x [N, in] times weight [out, in] transposed, plus bias [out]: nn.functional.linear on
 * a matrix as one op (PyTorch's addmm), so that a layer records one node instead of three
 * (transpose, mm, add). The numbers are the composite's: the product is rounded first, then the
 * bias is added; the weight gradient has the numbers of mm's backward, (xᵀ g)ᵀ, and the
 * bias gradient sums g over the batch as the broadcast add's backward does. The caller
 * has checked shapes and dtypes.
 */
export function addmmLinear(x: Tensor, weight: Tensor, bias: Tensor): Tensor {
  const outShape = [x.shape[0]!, weight.shape[0]!];
  const out = outputTensor(outShape, x.dtype);
  const backend = getBackend();
  const wT = weight.mT;
  backend.matmul(x.view_(), wT.view_(), out.storage.data);
  // The bias add writes into the product's own buffer: element i is read before it is written.
  backend.binary("add", out.view_(), broadcastView(bias, outShape), out.storage.data);
  return traced(
    "linear",
    [x, weight, bias],
    record(
      "AddmmBackward0",
      out,
      [x, weight, bias],
      (g, [sx, sw]) => [
        x.requiresGrad ? batchedProduct(g, sw!) : null,
        // gᵀ x directly: the same sums in the same order as mm's (xᵀ g)ᵀ, bit for bit on every
        // backend (each element accumulates over the batch in order), but a contiguous tensor that
        // `.grad` owns without copying a transposed view.
        weight.requiresGrad ? batchedProduct(g.mT, sx!) : null,
        // Summed over the batch without keepdim: a fresh tensor that `.grad` can own without a copy.
        bias.requiresGrad ? g.sum(0) : null,
      ],
      [x, weight],
    ),
    {},
  );
}

/**
 * Matrix product of two 2-D tensors.
 *
 * @example
 * torch.mm(torch.ones([4, 3]), torch.ones([3, 5])); // shape [4, 5]
 */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkTensor("mm", "input", a);
  checkTensor("mm", "other", b);
  if (a.ndim !== 2) throw new ShapeError(`self must be a matrix (got a ${a.ndim}-D tensor)`);
  if (b.ndim !== 2) throw new ShapeError(`mat2 must be a matrix (got a ${b.ndim}-D tensor)`);
  checkDTypes("mm", a, b);
  if (a.shape[1] !== b.shape[0]) {
    throw new ShapeError(
      `mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`,
    );
  }
  return traced("matmul", [a, b], batchedProduct(a, b), {});
}

/**
 * Batched product of two 3-D tensors with the same batch size.
 *
 * @example
 * torch.bmm(torch.randn([8, 2, 3]), torch.randn([8, 3, 4])); // [8, 2, 4]
 */
export function bmm(a: Tensor, b: Tensor): Tensor {
  checkTensor("bmm", "input", a);
  checkTensor("bmm", "other", b);
  if (a.ndim !== 3) throw new ShapeError(`batch1 must be a 3D tensor (got a ${a.ndim}-D tensor)`);
  if (b.ndim !== 3) throw new ShapeError(`batch2 must be a 3D tensor (got a ${b.ndim}-D tensor)`);
  checkDTypes("bmm", a, b);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new ShapeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
    );
  }
  return traced("matmul", [a, b], batchedProduct(a, b), {});
}

/**
 * Inner product of two 1-D tensors (0-d result).
 *
 * @example
 * torch.dot(torch.tensor([1, 2]), torch.tensor([3, 4])); // 11
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  checkTensor("dot", "input", a);
  checkTensor("dot", "other", b);
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new ShapeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  }
  checkDTypes("dot", a, b);
  if (a.shape[0] !== b.shape[0]) {
    throw new ShapeError(
      `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
    );
  }
  // One node, as PyTorch's DotBackward0: d/da = g * b, d/db = g * a.
  const out = noGrad(() => batchedProduct(a.unsqueeze(0), b.unsqueeze(1)).reshape([]));
  return traced(
    "matmul",
    [a, b],
    record(
      "DotBackward0",
      out,
      [a, b],
      (g, [sa, sb]) => [a.requiresGrad ? g.mul(sb!) : null, b.requiresGrad ? g.mul(sa!) : null],
      [a, b],
    ),
    {},
  );
}

/**
 * Outer product of two 1-D tensors.
 *
 * @example
 * torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4, 5])); // [2, 3]
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkTensor("outer", "input", a);
  checkTensor("outer", "other", b);
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new ShapeError(`outer: expected 1-D tensors, but got ${a.ndim}-D and ${b.ndim}-D`);
  }
  return a.unsqueeze(1).mul(b.unsqueeze(0));
}

/**
 * PyTorch's matmul: 1-D·1-D is a dot product, 2-D·2-D a matrix product, a 1-D operand is
 * promoted to a matrix and the added dim removed, and batch dims broadcast.
 *
 * @example
 * torch.matmul(torch.ones([10, 3, 4]), torch.ones([4, 5])); // shape [10, 3, 5]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor("matmul", "input", a);
  checkTensor("matmul", "other", b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      `both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`,
    );
  }
  checkDTypes("matmul", a, b);
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  const k = a2.shape[a2.ndim - 1]!;
  const kb = b2.shape[b2.ndim - 2]!;
  if (k !== kb) {
    const rows = a2.shape.slice(0, -1).reduce((x, y) => x * y, 1);
    throw new ShapeError(
      b2.ndim === 2
        ? `mat1 and mat2 shapes cannot be multiplied (${rows}x${k} and ${kb}x${b2.shape[1]})`
        : `Expected size for first two dimensions of batch2 tensor to be: ${formatShape([...b2.shape.slice(0, -2), k])} but got: ${formatShape([...b2.shape.slice(0, -2), kb])}.`,
    );
  }
  let out = batchedProduct(a2, b2);
  if (a.ndim === 1) out = out.squeeze(-2);
  if (b.ndim === 1) out = out.squeeze(-1);
  return traced("matmul", [a, b], out, {});
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * Matrix product with PyTorch's broadcasting rules (torch.matmul).
     *
     * @example
     * x.matmul(w) // [B, n, k] x [k, m] -> [B, n, m]
     */
    matmul(other: Tensor): Tensor;
    /** Matrix product of two 2-D tensors (torch.mm). @example a.mm(b) */
    mm(other: Tensor): Tensor;
    /**
     * Batched matrix product of two 3-D tensors (torch.bmm).
     *
     * @example
     * a.bmm(b) // [B, n, m] x [B, m, p] -> [B, n, p]
     */
    bmm(other: Tensor): Tensor;
    /** Inner product of two 1-D tensors (torch.dot). @example a.dot(b) */
    dot(other: Tensor): Tensor;
    /** Outer product of two 1-D tensors (torch.outer). @example a.outer(b) */
    outer(other: Tensor): Tensor;
  }
}

defineMethods({
  matmul(this: Tensor, o: Tensor) {
    return matmul(this, o);
  },
  mm(this: Tensor, o: Tensor) {
    return mm(this, o);
  },
  bmm(this: Tensor, o: Tensor) {
    return bmm(this, o);
  },
  dot(this: Tensor, o: Tensor) {
    return dot(this, o);
  },
  outer(this: Tensor, o: Tensor) {
    return outer(this, o);
  },
});
