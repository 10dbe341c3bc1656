import { checkFillValue } from "../validation/arguments.js";
/**
 * Index-driven ops: gather, scatter, scatterAdd (backend kernels) and the composites built on
 * them (indexSelect, maskedSelect). Index tensors are int32, torchlet's stand-in for int64;
 * they are validated here, once, so kernels can trust them.
 */
import { getBackend } from "../backend/registry.js";
import { DTypeError, IndexError, ShapeError } from "../errors.js";
import { broadcastShapes, formatShape, normalizeDim, type Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { where } from "./binary.js";
import { inPlace } from "./inplace.js";
import { cat } from "./join.js";
import {
  asTensor,
  broadcastView,
  defineMethods,
  emptyTensor,
  record,
  scalarTensor,
} from "./support.js";
import { checkTensor } from "../validation/tensors.js";

/** @internal Rejects non-integer index tensors with PyTorch's message (int32 stands for int64). */
export function checkIndexDType(op: string, index: Tensor): void {
  if (index.dtype !== "int32") {
    throw new DTypeError(
      `${op}(): Expected dtype int64 for index (torchlet's int32), but got ${index.dtype}`,
    );
  }
}

/** Throws PyTorch's out-of-bounds error for the first index outside `[0, size)`. */
function checkBounds(index: Tensor, dim: number, size: number): void {
  // An indexed loop over the storage: max-pool's backward checks every window's index each step,
  // and a copy plus the typed array's iterator cost more than the scatter itself.
  const dense = index.isContiguous();
  const data = dense ? index.storage.data : index.toArray();
  const start = dense ? index.offset : 0;
  const end = start + index.numel();
  for (let i = start; i < end; i++) {
    const v = data[i]!;
    if (v < 0 || v >= size) {
      throw new IndexError(`index ${v} is out of bounds for dimension ${dim} with size ${size}`);
    }
  }
}

/** 0-d operands take part as 1-element 1-d ones, as in PyTorch's kernels. */
const atLeast1d = (t: Tensor): Tensor => (t.ndim === 0 ? t.reshape(1) : t);

function checkGather(x: Tensor, d: number, index: Tensor): void {
  checkIndexDType("gather", index);
  if (Math.max(index.ndim, 1) !== Math.max(x.ndim, 1)) {
    throw new ShapeError("Index tensor must have the same number of dimensions as input tensor");
  }
  for (let k = 0; k < index.ndim; k++) {
    if (k !== d && index.shape[k]! > x.shape[k]!) {
      throw new ShapeError(
        `Size does not match at dimension ${k} expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(x.shape)} apart from dimension ${d}`,
      );
    }
  }
  checkBounds(index, d, x.ndim === 0 ? 1 : x.shape[d]!);
}

/**
 * Picks values along `dim` at `index` (torch.gather): for dim 1,
 * `out[i][j] = x[i][index[i][j]]`. The output has `index`'s shape.
 *
 * @example
 * torch.gather(x, 1, torch.tensor([[0, 0], [1, 0]]));
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor("gather", "input", x);
  checkTensor("gather", "index", index);
  const d = normalizeDim(dim, x.ndim);
  checkGather(x, d, index);
  const out = emptyTensor(index.shape, x.dtype);
  getBackend().gather(atLeast1d(x).view_(), d, atLeast1d(index).view_(), out.storage.data);
  const shape = x.shape;
  return record("GatherBackward0", out, [x], (g) => [
    scatterAdd(emptyTensor(shape, g.dtype), d, index, g),
  ]);
}

function checkScatter(op: string, x: Tensor, d: number, index: Tensor, src: Tensor | null): void {
  checkIndexDType(op, index);
  if (Math.max(index.ndim, 1) !== Math.max(x.ndim, 1)) {
    throw new ShapeError("Index tensor must have the same number of dimensions as self tensor");
  }
  if (src !== null && src.dtype !== x.dtype) {
    throw new DTypeError(`${op}(): Expected self.dtype to be equal to src.dtype`);
  }
  for (let k = 0; k < index.ndim; k++) {
    const bad =
      (k !== d && index.shape[k]! > x.shape[k]!) ||
      (src !== null && index.shape[k]! > (src.ndim === 0 ? 1 : src.shape[k]!));
    if (bad) {
      throw new ShapeError(
        `Expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(x.shape)} apart from dimension ${d}` +
          (src !== null ? ` and to be smaller size than src ${formatShape(src.shape)}` : ""),
      );
    }
  }
  if (src !== null && Math.max(src.ndim, 1) !== Math.max(index.ndim, 1)) {
    throw new ShapeError("Index tensor must have the same number of dimensions as src tensor");
  }
  checkBounds(index, d, x.ndim === 0 ? 1 : x.shape[d]!);
}

/** `g` (of `index`'s shape) zero-padded up to `shape`: the gradient of a src larger than index. */
function padTo(g: Tensor, shape: Shape): Tensor {
  let out = g;
  for (let k = 0; k < shape.length; k++) {
    const missing = shape[k]! - out.shape[k]!;
    if (missing > 0) {
      const zshape = [...out.shape];
      zshape[k] = missing;
      out = cat([out, emptyTensor(zshape, g.dtype)], k);
    }
  }
  return out;
}

/** A fresh contiguous copy of `x`'s values, outside the graph (the scatter kernels write into it). */
function copyOf(x: Tensor): Tensor {
  const out = emptyTensor(x.shape, x.dtype);
  getBackend().copy(x.view_(), out.view_());
  return out;
}

/** A kernel view of `src` that the scatter kernels walk with `index`'s shape. */
function srcView(src: Tensor, index: Tensor): Tensor {
  return src.ndim === 0 ? src.reshape(1).expand(Math.max(index.numel(), 1)) : src;
}

/**
 * A copy of `x` with `src` (or a scalar) written at `index` along `dim` (torch.scatter): for
 * dim 1, `out[i][index[i][j]] = src[i][j]`.
 *
 * @example
 * torch.scatter(torch.zeros(2, 3), 1, torch.tensor([[2], [0]]), 1);
 */
export function scatter(
  x: Tensor,
  dim: number,
  index: Tensor,
  srcOrValue: Tensor | number | boolean,
): Tensor {
  checkTensor("scatter", "input", x);
  checkTensor("scatter", "index", index);
  const d = normalizeDim(dim, x.ndim);
  const isValue = !(srcOrValue instanceof Tensor);
  if (isValue) checkFillValue("scatter", "src", srcOrValue);
  checkScatter("scatter", x, d, index, isValue ? null : srcOrValue);
  const src = isValue
    ? scalarTensor(srcOrValue, x.dtype).expand(index.shape)
    : (srcOrValue as Tensor);
  const out = copyOf(x);
  getBackend().scatter(
    atLeast1d(out).view_(),
    d,
    atLeast1d(index).view_(),
    atLeast1d(srcView(src, index)).view_(),
  );
  const srcShape = src.shape;
  return record("ScatterBackward0", out, isValue ? [x] : [x, src], (g) => [
    x.requiresGrad ? scatter(g, d, index, 0) : null,
    !isValue && src.requiresGrad ? padTo(gather(g, d, index), srcShape) : null,
  ]);
}

/**
 * A copy of `x` with `src` added at `index` along `dim` (torch.scatter_add): for dim 1,
 * `out[i][index[i][j]] += src[i][j]`; repeated indices accumulate.
 *
 * @example
 * torch.scatterAdd(torch.zeros(3), 0, torch.tensor([0, 0, 2]), torch.ones(3)); // [2, 0, 1]
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkTensor("scatterAdd", "input", x);
  checkTensor("scatterAdd", "index", index);
  checkTensor("scatterAdd", "src", src);
  const d = normalizeDim(dim, x.ndim);
  // PyTorch names scatter_add's checks "scatter()" too.
  checkScatter("scatter", x, d, index, src);
  const out = copyOf(x);
  getBackend().scatterAdd(
    atLeast1d(out).view_(),
    d,
    atLeast1d(index).view_(),
    atLeast1d(srcView(src, index)).view_(),
  );
  const srcShape = src.shape;
  return record("ScatterAddBackward0", out, [x, src], (g) => [
    x.requiresGrad ? g : null,
    src.requiresGrad ? padTo(gather(g, d, index), srcShape) : null,
  ]);
}

/**
 * The entries of `x` at positions `index` (1-d) along `dim` (torch.index_select); negative
 * indices are refused, as in PyTorch.
 *
 * @example
 * torch.indexSelect(x, 0, torch.tensor([2, 0]));
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor("indexSelect", "input", x);
  checkTensor("indexSelect", "index", index);
  const d = normalizeDim(dim, x.ndim);
  if (index.dtype !== "int32") {
    throw new DTypeError(
      `index_select(): Expected dtype int32 or int64 for index, but got ${index.dtype}`,
    );
  }
  if (index.ndim > 1) throw new IndexError("index_select(): Index is supposed to be a vector");
  if (x.ndim === 0) {
    checkBounds(index, 0, 1);
    return gather(x.reshape(1), 0, index.reshape(-1)).reshape(index.shape);
  }
  checkBounds(index, d, x.shape[d]!);
  // A gather with the index laid along `dim` and broadcast over the other dims.
  const lay = x.shape.map((_, k) => (k === d ? index.numel() : 1));
  const shape = x.shape.map((s, k) => (k === d ? index.numel() : s));
  return gather(x, d, index.reshape(lay).expand(shape).contiguous());
}

function checkMask(op: "masked_fill" | "masked_select", mask: Tensor): void {
  if (mask.dtype === "bool") return;
  throw new DTypeError(
    op === "masked_fill"
      ? `masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype}`
      : `masked_select: expected BoolTensor for mask, but got ${mask.dtype}`,
  );
}

/**
 * `x` with `value` where `mask` is true (torch.masked_fill); mask and x broadcast together and
 * the result keeps x's dtype. `value` may be a number or a 0-d tensor (its gradient flows).
 *
 * @example
 * x.maskedFill(x.lt(0), 0);
 */
export function maskedFill(x: Tensor, mask: Tensor, value: Tensor | number | boolean): Tensor {
  checkTensor("maskedFill", "input", x);
  checkTensor("maskedFill", "mask", mask);
  checkMask("masked_fill", mask);
  if (!(value instanceof Tensor)) checkFillValue("masked_fill", "value", value);
  if (value instanceof Tensor && value.ndim !== 0) {
    throw new ShapeError(
      `masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`,
    );
  }
  return where(mask, asTensor(value, x.dtype), x);
}

/**
 * The elements of `x` where `mask` (broadcast with x) is true, as a 1-d tensor in row-major
 * order (torch.masked_select).
 *
 * @example
 * x.maskedSelect(x.gt(0));
 */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  checkTensor("maskedSelect", "input", x);
  checkTensor("maskedSelect", "mask", mask);
  checkMask("masked_select", mask);
  const shape = broadcastShapes(x.shape, mask.shape);
  const flatMask = emptyTensor(shape, "bool");
  getBackend().copy(broadcastView(mask, shape), flatMask.view_());
  const picked: number[] = [];
  flatMask.storage.data.forEach((v, i) => {
    if (v !== 0) picked.push(i);
  });
  const index = Tensor.fromData(Int32Array.from(picked), [picked.length]);
  return indexSelect(x.expand(shape).reshape(-1), 0, index);
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** torch.Tensor.gather. @example x.gather(1, idx) */
    gather(dim: number, index: Tensor): Tensor;
    /**
     * torch.Tensor.scatter (out of place).
     *
     * @example
     * torch.zeros([3]).scatter(0, torch.tensor([0, 2]), 1)
     */
    scatter(dim: number, index: Tensor, srcOrValue: Tensor | number | boolean): Tensor;
    /** torch.Tensor.scatter_ (in place). @example oneHot.scatter_(1, labels.unsqueeze(1), 1) */
    scatter_(dim: number, index: Tensor, srcOrValue: Tensor | number | boolean): this;
    /**
     * torch.Tensor.scatter_add (out of place).
     *
     * @example
     * torch.zeros([3]).scatterAdd(0, idx, src)
     */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /** torch.Tensor.scatter_add_ (in place). @example counts.scatterAdd_(0, idx, ones) */
    scatterAdd_(dim: number, index: Tensor, src: Tensor): this;
    /** torch.Tensor.index_select. @example x.indexSelect(0, torch.tensor([0, 2])) */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** torch.Tensor.masked_fill (out of place). @example scores.maskedFill(mask, -Infinity) */
    maskedFill(mask: Tensor, value: Tensor | number | boolean): Tensor;
    /**
     * torch.Tensor.masked_fill_ (in place; mask must broadcast to this tensor's shape).
     *
     * @example
     * scores.maskedFill_(mask, -Infinity)
     */
    maskedFill_(mask: Tensor, value: Tensor | number | boolean): this;
    /** torch.Tensor.masked_select. @example x.maskedSelect(x.gt(0)) */
    maskedSelect(mask: Tensor): Tensor;
  }
}

defineMethods({
  gather(this: Tensor, dim: number, index: Tensor) {
    return gather(this, dim, index);
  },
  scatter(this: Tensor, dim: number, index: Tensor, src: Tensor | number | boolean) {
    return scatter(this, dim, index, src);
  },
  scatter_(this: Tensor, dim: number, index: Tensor, src: Tensor | number | boolean) {
    return inPlace("scatter_", this, () => scatter(this, dim, index, src));
  },
  scatterAdd(this: Tensor, dim: number, index: Tensor, src: Tensor) {
    return scatterAdd(this, dim, index, src);
  },
  scatterAdd_(this: Tensor, dim: number, index: Tensor, src: Tensor) {
    return inPlace("scatter_add_", this, () => scatterAdd(this, dim, index, src));
  },
  indexSelect(this: Tensor, dim: number, index: Tensor) {
    return indexSelect(this, dim, index);
  },
  maskedFill(this: Tensor, mask: Tensor, value: Tensor | number | boolean) {
    return maskedFill(this, mask, value);
  },
  maskedFill_(this: Tensor, mask: Tensor, value: Tensor | number | boolean) {
    return inPlace("masked_fill_", this, () => maskedFill(this, mask, value));
  },
  maskedSelect(this: Tensor, mask: Tensor) {
    return maskedSelect(this, mask);
  },
});
