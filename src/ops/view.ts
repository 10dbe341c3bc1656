import { checkIntList, isKeywords } from "../validation/arguments.js";
/**
 * View ops: results share storage with their input (as in PyTorch), so writes through a view
 * are seen by its base. Each op is a change of geometry (shape, strides, offset).
 */
import { getBackend } from "../backend/registry.js";
import { IndexError, ShapeError } from "../errors.js";
import {
  contiguousStrides,
  formatShape,
  normalizeDim,
  numel,
  type Shape,
} from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { defineMethods, emptyTensor, record, reduceToShape } from "./support.js";
import { traced } from "./trace.js";
import { checkTensor } from "../validation/tensors.js";

/** Where a tensor's elements lie in its storage. */
export interface Geometry {
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

/** @internal A tensor over `x`'s storage with another geometry (no autograd). */
export function asView(x: Tensor, g: Geometry): Tensor {
  return new Tensor(x.storage, g.shape, g.strides, g.offset, x.base ?? x);
}

/**
 * A view op whose gradient scatters back into zeros of the input's shape through the same
 * geometry change (select, narrow, slice, diagonal).
 */
function subView(name: string, x: Tensor, change: (g: Geometry) => Geometry): Tensor {
  const out = asView(x, change(x));
  return record(name, out, [x], (g) => [scatterIntoZeros(g, x.shape, change)]);
}

/** The gradient of a sub-view: zeros of `shape` with `g` written through `change`. */
function scatterIntoZeros(g: Tensor, shape: Shape, change: (geom: Geometry) => Geometry): Tensor {
  const out = emptyTensor(shape, g.dtype);
  const region = change({ shape, strides: contiguousStrides(shape), offset: 0 });
  getBackend().copy(g.view_(), { data: out.storage.data, ...region });
  return record("AsStridedScatterBackward0", out, [g], (gg) => [
    subView("SliceBackward0", gg, change),
  ]);
}

/** Fills in one -1 in `shape` from `n` elements, with PyTorch's errors. */
export function inferShape(shape: readonly number[], n: number): number[] {
  let inferred = -1;
  let known = 1;
  shape.forEach((s, i) => {
    if (s === -1) {
      if (inferred !== -1) throw new ShapeError("only one dimension can be inferred");
      inferred = i;
    } else if (!Number.isInteger(s) || s < 0) {
      throw new ShapeError(`invalid shape dimension ${s}`);
    } else known *= s;
  });
  const out = [...shape];
  if (inferred !== -1 && known !== 0 && n % known === 0) out[inferred] = n / known;
  else if (inferred !== -1 || known !== n) {
    throw new ShapeError(`shape '${formatShape(shape)}' is invalid for input of size ${n}`);
  }
  return out;
}

/** Strides that view `oldShape`/`oldStrides` as `newShape` without copying, or null (PyTorch's computeStride). */
function viewStrides(
  oldShape: Shape,
  oldStrides: readonly number[],
  newShape: Shape,
): number[] | null {
  if (oldShape.length === 0) return newShape.map(() => 1);
  if (numel(oldShape) === 0) return contiguousStrides(newShape);
  const newStrides = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d]!;
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

function shapeArgs(args: readonly (number | readonly number[])[]): number[] {
  return Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);
}

/**
 * The same elements with another shape, sharing storage; fails when strides do not allow it.
 *
 * @example
 * torch.arange(6).view(2, 3);
 */
export function view(x: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  checkTensor("view", "input", x);
  const target = inferShape(shapeArgs(shape), x.numel());
  const strides = viewStrides(x.shape, x.strides, target);
  if (strides === null) {
    throw new ShapeError(
      "view size is not compatible with input tensor's size and stride (at least one dimension " +
        "spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  const out = asView(x, { shape: target, strides, offset: x.offset });
  const inShape = x.shape;
  const y = record("ViewBackward0", out, [x], (g) => [g.reshape(inShape)]);
  return traced("reshape", [x], y, { shape: shapeArgs(shape) });
}

/**
 * The same elements with another shape: a view when the strides allow it, else a copy.
 *
 * @example
 * x.reshape(-1, 4);
 */
export function reshape(x: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  checkTensor("reshape", "input", x);
  const target = inferShape(shapeArgs(shape), x.numel());
  const y =
    viewStrides(x.shape, x.strides, target) !== null
      ? view(x, target)
      : view(x.contiguous(), target);
  return traced("reshape", [x], y, { shape: shapeArgs(shape) });
}

/** Swaps two dims (a view). @example x.transpose(0, 1) */
export function transpose(
  x: Tensor,
  dim0: number,
  dim1: number,
  node = "TransposeBackward0",
): Tensor {
  checkTensor("transpose", "input", x);
  const a = normalizeDim(dim0, x.ndim);
  const b = normalizeDim(dim1, x.ndim);
  if (x.ndim < 2 || a === b)
    return x.ndim === 0
      ? x
      : traced(
          "permute",
          [x],
          asViewRecorded(x, { shape: x.shape, strides: x.strides, offset: x.offset }),
          { dims: x.shape.map((_, d) => d) },
        );
  const shape = [...x.shape];
  const strides = [...x.strides];
  [shape[a], shape[b]] = [shape[b]!, shape[a]!];
  [strides[a], strides[b]] = [strides[b]!, strides[a]!];
  const out = asView(x, { shape, strides, offset: x.offset });
  const dims = x.shape.map((_, d) => (d === a ? b : d === b ? a : d));
  return traced(
    "permute",
    [x],
    record(node, out, [x], (g) => [g.transpose(a, b)]),
    { dims },
  );
}

function asViewRecorded(x: Tensor, g: Geometry): Tensor {
  return record("AliasBackward0", asView(x, g), [x], (grad) => [grad]);
}

/** Reorders dims (a view). @example x.permute(2, 0, 1) */
export function permute(x: Tensor, ...dims: (number | readonly number[])[]): Tensor {
  checkTensor("permute", "input", x);
  const order = shapeArgs(dims).map((d) => normalizeDim(d, x.ndim));
  if (order.length !== x.ndim || new Set(order).size !== order.length) {
    throw new ShapeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${order.length}`.replace(
        "(sparse_coo)",
        "",
      ),
    );
  }
  const out = asView(x, {
    shape: order.map((d) => x.shape[d]!),
    strides: order.map((d) => x.strides[d]!),
    offset: x.offset,
  });
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => (inverse[d] = i));
  const y = record("PermuteBackward0", out, [x], (g) => [g.permute(inverse)]);
  return traced("permute", [x], y, { dims: order });
}

/**
 * Broadcasts size-1 dims to larger sizes without copying (-1 keeps a size).
 *
 * @example
 * torch.tensor([1, 2, 3]).expand(2, 3);
 */
export function expand(x: Tensor, ...sizes: (number | readonly number[])[]): Tensor {
  checkTensor("expand", "input", x);
  const target = shapeArgs(sizes);
  if (target.length < x.ndim) {
    throw new ShapeError(
      `expand(${x.dtype}{${formatShape(x.shape)}}, size=${formatShape(target)}): the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`,
    );
  }
  const lead = target.length - x.ndim;
  const shape: number[] = [];
  const strides: number[] = [];
  target.forEach((size, i) => {
    const d = i - lead;
    const cur = d >= 0 ? x.shape[d]! : 1;
    const want = size === -1 ? cur : size;
    if (d < 0 && size === -1) {
      throw new ShapeError(
        `The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`,
      );
    }
    if (cur !== want && cur !== 1) {
      throw new ShapeError(
        `The expanded size of the tensor (${want}) must match the existing size (${cur}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(target)}.  Tensor sizes: ${formatShape(x.shape)}`,
      );
    }
    shape.push(want);
    strides.push(d < 0 || (cur === 1 && want !== 1) ? 0 : x.strides[d]!);
  });
  const out = asView(x, { shape, strides, offset: x.offset });
  const inShape = x.shape;
  const y = record("ExpandBackward0", out, [x], (g) => [reduceToShape(g, inShape)]);
  return traced("expand", [x], y, { shape });
}

/** A `dim` passed by keyword, PyTorch's `x.unsqueeze(dim=0)`. */
export interface DimOption<D = number> {
  dim: D;
}

/** The dim of `dim` or `{ dim }`. */
function dimOf<D>(arg: D | DimOption<D>): D {
  return typeof arg === "object" && arg !== null && "dim" in arg ? arg.dim : arg;
}

/**
 * Removes size-1 dims (all, or the given ones; other dims are left alone, as in PyTorch).
 *
 * @example
 * x.squeeze(); x.squeeze(0); x.squeeze({ dim: 0 });
 */
export function squeeze(
  x: Tensor,
  dimArg?: number | readonly number[] | DimOption<number | readonly number[]>,
): Tensor {
  checkTensor("squeeze", "input", x);
  const dim = dimArg === undefined ? undefined : dimOf(dimArg);
  const dims =
    dim === undefined
      ? x.shape.map((_, d) => d)
      : (typeof dim === "number" ? [dim] : dim).map((d) => normalizeDim(d, x.ndim));
  const drop = new Set(dims.filter((d) => x.shape[d] === 1));
  const keep = x.shape.map((_, d) => d).filter((d) => !drop.has(d));
  const out = asView(x, {
    shape: keep.map((d) => x.shape[d]!),
    strides: keep.map((d) => x.strides[d]!),
    offset: x.offset,
  });
  const inShape = x.shape;
  // PyTorch names squeeze() SqueezeBackward0 and squeeze(dim) SqueezeBackward1.
  const name = dim === undefined ? "SqueezeBackward0" : "SqueezeBackward1";
  const y = record(name, out, [x], (g) => [g.reshape(inShape)]);
  return traced("squeeze", [x], y, { dims: [...drop] });
}

/** Inserts a size-1 dim at `dim` (a view). @example x.unsqueeze(0); x.unsqueeze({ dim: 0 }) */
export function unsqueeze(x: Tensor, dim: number | DimOption): Tensor {
  checkTensor("unsqueeze", "input", x);
  const d = normalizeDim(dimOf(dim), x.ndim + 1);
  const shape = [...x.shape];
  const strides = [...x.strides];
  const stride = d < x.ndim ? x.strides[d]! * x.shape[d]! : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  const out = asView(x, { shape, strides, offset: x.offset });
  const y = record("UnsqueezeBackward0", out, [x], (g) => [g.squeeze(d)]);
  return traced("unsqueeze", [x], y, { dim: d });
}

/** flatten's keywords, PyTorch's `start_dim` and `end_dim`. */
export interface FlattenOptions {
  startDim?: number;
  endDim?: number;
}

/** Flattens dims `startDim..endDim` into one. @example x.flatten(1); x.flatten({ startDim: 1 }) */
export function flatten(x: Tensor, start?: number | FlattenOptions, end?: number): Tensor {
  checkTensor("flatten", "input", x);
  const startDim = (isKeywords(start) ? start.startDim : start) ?? 0;
  const endDim = (isKeywords(start) ? start.endDim : end) ?? -1;
  if (x.ndim === 0) return x.reshape(1);
  const s = normalizeDim(startDim, x.ndim);
  const e = normalizeDim(endDim, x.ndim);
  if (s > e)
    throw new ShapeError("flatten() has invalid args: start_dim cannot come after end_dim");
  const shape = [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return traced("flatten", [x], x.reshape(shape), { startDim: s, endDim: e });
}

/** Splits dim `dim` into `sizes` (one may be -1). @example x.unflatten(1, [2, 3]) */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  checkTensor("unflatten", "input", x);
  checkIntList("unflatten", "sizes", sizes);
  const d = normalizeDim(dim, x.ndim);
  const inner = inferShape(sizes, x.shape[d]!);
  return x.reshape([...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

/** `length` elements of dim `dim` from `start` (a view). @example x.narrow(0, 1, 2) */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  checkTensor("narrow", "input", x);
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d]!;
  const s = start < 0 ? start + size : start;
  if (s < 0 || length < 0 || s + length > size) {
    throw new IndexError(`start (${start}) + length (${length}) exceeds dimension size (${size}).`);
  }
  return slice(x, d, s, s + length);
}

/**
 * Elements `start, start+step, ...` below `end` of dim `dim` (a view): Python's `x[..., a:b:c]`.
 *
 * @example
 * torch.slice(torch.arange(10), 0, 2, 8, 2); // x[2:8:2]
 */
export function slice(x: Tensor, dim: number, start = 0, end = Infinity, step = 1): Tensor {
  checkTensor("slice", "input", x);
  const d = normalizeDim(dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new ShapeError("slice step must be positive");
  const size = x.shape[d]!;
  const clampIndex = (i: number): number => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const s = clampIndex(start);
  const e = Math.max(clampIndex(end), s);
  const length = Math.ceil((e - s) / step);
  const y = subView("SliceBackward0", x, (g) => {
    const shape = [...g.shape];
    const strides = [...g.strides];
    shape[d] = length;
    strides[d] = g.strides[d]! * step;
    return { shape, strides, offset: g.offset + s * g.strides[d]! };
  });
  return traced("slice", [x], y, { dim: d, start: s, end: e, step });
}

/**
 * The slice at `index` of dim `dim`, without that dim (a view): Python's `x[:, i]`.
 *
 * @example
 * torch.select(torch.zeros([3, 4]), 1, 0); // x[:, 0], shape [3]
 */
export function select(x: Tensor, dim: number, index: number): Tensor {
  checkTensor("select", "input", x);
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d]!;
  if (index < -size || index >= size) {
    throw new IndexError(
      `select(): index ${index} out of range for tensor of size ${formatShape(x.shape)} at dimension ${d}`,
    );
  }
  const i = index < 0 ? index + size : index;
  const y = subView("SelectBackward0", x, (g) => ({
    shape: g.shape.filter((_, k) => k !== d),
    strides: g.strides.filter((_, k) => k !== d),
    offset: g.offset + i * g.strides[d]!,
  }));
  return traced("select", [x], y, { dim: d, index: i });
}

/** Reverses the dims (2-D: the transpose), as torch.Tensor.T; `mT` swaps the last two. */
function reverseDims(x: Tensor): Tensor {
  return permute(
    x,
    x.shape.map((_, d) => x.ndim - 1 - d),
  );
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /**
     * The same elements in another shape, sharing storage; fails when the strides do not allow it (torch.Tensor.view).
     *
     * @example
     * x.view(-1, 4)
     */
    view(...shape: (number | readonly number[])[]): Tensor;
    /**
     * The same elements in another shape: a view when the strides allow, else a copy (torch.reshape).
     *
     * @example
     * x.reshape(-1, 4)
     */
    reshape(...shape: (number | readonly number[])[]): Tensor;
    /** A view with `other`'s shape. @example y.viewAs(x) */
    viewAs(other: Tensor): Tensor;
    /** reshape to `other`'s shape (torch.Tensor.reshape_as). @example y.reshapeAs(x) */
    reshapeAs(other: Tensor): Tensor;
    /** Swaps two dims, as a view (torch.transpose). @example x.transpose(0, 1) */
    transpose(dim0: number, dim1: number): Tensor;
    /** 2-D transpose (PyTorch's t()). @example w.t() */
    t(): Tensor;
    /**
     * Reorders dims, as a view (torch.permute).
     *
     * @example
     * images.permute(0, 2, 3, 1) // NCHW -> NHWC
     */
    permute(...dims: (number | readonly number[])[]): Tensor;
    /**
     * Broadcasts size-1 dims to larger sizes without copying; -1 keeps a size (torch.Tensor.expand).
     *
     * @example
     * torch.zeros([3, 1]).expand(3, 4)
     */
    expand(...sizes: (number | readonly number[])[]): Tensor;
    /** expand to `other`'s shape (torch.Tensor.expand_as). @example bias.expandAs(x) */
    expandAs(other: Tensor): Tensor;
    /**
     * Removes size-1 dims, all or the given ones (torch.squeeze).
     *
     * @example
     * torch.zeros([2, 1, 3]).squeeze(1) // [2, 3]
     */
    squeeze(dim?: number | readonly number[] | DimOption<number | readonly number[]>): Tensor;
    /** Inserts a size-1 dim at `dim`, as a view (torch.unsqueeze). @example x.unsqueeze(0) */
    unsqueeze(dim: number | DimOption): Tensor;
    /**
     * Flattens dims `startDim..endDim` into one (torch.flatten).
     *
     * @example
     * images.flatten(1) // [N, C, H, W] -> [N, C*H*W]
     */
    flatten(startDim?: number | FlattenOptions, endDim?: number): Tensor;
    /**
     * Splits dim `dim` into `sizes`, one of which may be -1 (torch.unflatten).
     *
     * @example
     * x.unflatten(1, [2, -1])
     */
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    /**
     * `length` elements of dim `dim` from `start`, as a view (torch.narrow).
     *
     * @example
     * x.narrow(1, 0, 2)
     */
    narrow(dim: number, start: number, length: number): Tensor;
    /**
     * Elements `start, start+step, ...` below `end` of dim `dim`, as a view: Python's `x[a:b:c]`.
     *
     * @example
     * x.slice(0, 2, 8, 2)
     */
    slice(dim: number, start?: number, end?: number, step?: number): Tensor;
    /**
     * The slice at `index` of dim `dim`, without that dim: Python's `x[:, i]` (torch.select).
     *
     * @example
     * x.select(1, 0)
     */
    select(dim: number, index: number): Tensor;
    /** All dims reversed (torch.Tensor.T). @example torch.zeros([2, 3]).T.shape // [3, 2] */
    readonly T: Tensor;
    /**
     * The last two dims swapped (torch.Tensor.mT).
     *
     * @example
     * torch.zeros([4, 2, 3]).mT.shape // [4, 3, 2]
     */
    readonly mT: Tensor;
  }
}

defineMethods({
  view(this: Tensor, ...shape: (number | readonly number[])[]) {
    return view(this, ...shape);
  },
  reshape(this: Tensor, ...shape: (number | readonly number[])[]) {
    return reshape(this, ...shape);
  },
  viewAs(this: Tensor, other: Tensor) {
    checkTensor("viewAs", "other", other);
    return view(this, other.shape);
  },
  reshapeAs(this: Tensor, other: Tensor) {
    checkTensor("reshapeAs", "other", other);
    return reshape(this, other.shape);
  },
  transpose(this: Tensor, a: number, b: number) {
    return transpose(this, a, b);
  },
  t(this: Tensor) {
    if (this.ndim > 2)
      throw new ShapeError(`t() expects a tensor with <= 2 dimensions, but self is ${this.ndim}D`);
    return this.ndim < 2 ? this : transpose(this, 0, 1, "TBackward0");
  },
  permute(this: Tensor, ...dims: (number | readonly number[])[]) {
    return permute(this, ...dims);
  },
  expand(this: Tensor, ...sizes: (number | readonly number[])[]) {
    return expand(this, ...sizes);
  },
  expandAs(this: Tensor, other: Tensor) {
    checkTensor("expandAs", "other", other);
    return expand(this, other.shape);
  },
  squeeze(this: Tensor, dim?: number | readonly number[] | DimOption<number | readonly number[]>) {
    return squeeze(this, dim);
  },
  unsqueeze(this: Tensor, dim: number | DimOption) {
    return unsqueeze(this, dim);
  },
  flatten(this: Tensor, s?: number | FlattenOptions, e?: number) {
    return flatten(this, s, e);
  },
  unflatten(this: Tensor, dim: number, sizes: readonly number[]) {
    return unflatten(this, dim, sizes);
  },
  narrow(this: Tensor, dim: number, start: number, length: number) {
    return narrow(this, dim, start, length);
  },
  slice(this: Tensor, dim: number, start?: number, end?: number, step?: number) {
    return slice(this, dim, start, end, step);
  },
  select(this: Tensor, dim: number, index: number) {
    return select(this, dim, index);
  },
});
Object.defineProperty(Tensor.prototype, "T", {
  get(this: Tensor) {
    return reverseDims(this);
  },
  configurable: true,
});
Object.defineProperty(Tensor.prototype, "mT", {
  get(this: Tensor) {
    if (this.ndim < 2)
      throw new ShapeError(
        `tensor.mT is only supported on matrices or batches of matrices. Got ${this.ndim}-D tensor.`,
      );
    return transpose(this, -2, -1);
  },
  configurable: true,
});
