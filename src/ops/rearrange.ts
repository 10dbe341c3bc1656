import { checkIntList } from "../validation/arguments.js";
/**
 * Ops that rearrange or mask elements by position: repeat, tile, flip, roll, tril, triu. Each
 * is a composition of differentiable ops except flip, which is one strided copy.
 */
import { getBackend } from "../backend/registry.js";
import { ShapeError } from "../errors.js";
import { formatShape, normalizeDim, normalizeDims } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { where } from "./binary.js";
import { cat } from "./join.js";
import { defineMethods, emptyTensor, record, scalarTensor } from "./support.js";
import { narrow } from "./view.js";
import { checkTensor } from "../validation/tensors.js";

type Sizes = (number | readonly number[])[];
const sizeList = (args: Sizes): number[] =>
  Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);

/**
 * `x` repeated `sizes[i]` times along each dim (torch.Tensor.repeat); extra leading sizes add
 * dims.
 *
 * @example
 * torch.tensor([1, 2]).repeat(2, 2); // [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export function repeat(x: Tensor, ...sizes: Sizes): Tensor {
  checkTensor("repeat", "input", x);
  const reps = sizeList(sizes);
  if (reps.length < x.ndim) {
    throw new ShapeError(
      "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
    );
  }
  const padded = [...new Array<number>(reps.length - x.ndim).fill(1), ...x.shape];
  const target = reps.map((r, i) => r * padded[i]!);
  if (reps.some((r) => !Number.isInteger(r) || r < 0)) {
    const bad = target.find((s) => s < 0) ?? reps.find((r) => !Number.isInteger(r) || r < 0);
    throw new ShapeError(
      `Trying to create tensor with negative dimension ${bad}: ${formatShape(target)}`,
    );
  }
  // [1, s0, 1, s1, ...] expanded to [r0, s0, r1, s1, ...] is the repeat, laid out row-major.
  const interleaved = padded.flatMap((s) => [1, s]);
  const expanded = padded.flatMap((s, i) => [reps[i]!, s]);
  return x.reshape(interleaved).expand(expanded).reshape(target);
}

/**
 * `x` repeated along each dim, with missing leading reps taken as 1 (torch.tile).
 *
 * @example
 * torch.tile(torch.eye(2), [2]); // shape [2, 4]
 */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor("tile", "input", x);
  checkIntList("tile", "dims", dims);
  const reps = [...new Array<number>(Math.max(x.ndim - dims.length, 0)).fill(1), ...dims];
  return repeat(x, reps);
}

/**
 * `x` with the order of elements reversed along `dims` (a copy, as torch.flip).
 *
 * @example
 * torch.flip(torch.arange(3), [0]); // [2, 1, 0]
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  checkTensor("flip", "input", x);
  const ds = normalizeDims(typeof dims === "number" ? [dims] : dims, x.ndim);
  const strides = [...x.strides];
  let offset = x.offset;
  for (const d of ds) {
    // A negative stride walks the dim backwards from its last element.
    if (x.shape[d]! > 0) offset += (x.shape[d]! - 1) * strides[d]!;
    strides[d] = -strides[d]!;
  }
  const out = emptyTensor(x.shape, x.dtype);
  getBackend().copy({ data: x.storage.data, shape: x.shape, strides, offset }, out.view_());
  return record("FlipBackward0", out, [x], (g) => [flip(g, ds)]);
}

/**
 * `x` rotated by `shifts` along `dims` (torch.roll); with no dims, rolls the flattened tensor.
 *
 * @example
 * torch.roll(torch.arange(4), 1); // [3, 0, 1, 2]
 */
export function roll(
  x: Tensor,
  shifts: number | readonly number[],
  dims?: number | readonly number[],
): Tensor {
  checkTensor("roll", "input", x);
  const sh = typeof shifts === "number" ? [shifts] : [...shifts];
  if (dims === undefined || (Array.isArray(dims) && dims.length === 0)) {
    if (sh.length !== 1) {
      throw new ShapeError(`shifts and dimensions must align. shifts: ${sh.length}, dims:0`);
    }
    return roll(x.flatten(), sh, 0).view(x.shape);
  }
  const ds = typeof dims === "number" ? [dims] : [...dims];
  if (sh.length !== ds.length) {
    throw new ShapeError(
      `shifts and dimensions must align. shifts: ${sh.length}, dims:${ds.length}`,
    );
  }
  let out = x;
  ds.forEach((dim, i) => {
    const d = normalizeDim(dim, x.ndim);
    const n = x.shape[d]!;
    if (n === 0) return;
    const s = ((sh[i]! % n) + n) % n;
    if (s === 0) return;
    out = cat([narrow(out, d, n - s, s), narrow(out, d, 0, n - s)], d);
  });
  return out;
}

/** Keeps `x`'s elements where `keep(row, col)` holds over the last two dims, zero elsewhere. */
function triangle(x: Tensor, keep: (i: number, j: number) => boolean): Tensor {
  const rowDim = normalizeDim(-2, x.ndim);
  const rows = x.shape[rowDim]!;
  const cols = x.shape[rowDim + 1]!;
  const mask = emptyTensor([rows, cols], "bool");
  const m = mask.storage.data;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m[i * cols + j] = +keep(i, j);
  return where(mask, x, scalarTensor(0, x.dtype));
}

/**
 * The lower triangle of the last two dims: elements with `col - row <= diagonal` (torch.tril).
 *
 * @example
 * torch.tril(torch.ones(3, 3));
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  checkTensor("tril", "input", x);
  return triangle(x, (i, j) => j - i <= diagonal);
}

/**
 * The upper triangle of the last two dims: elements with `col - row >= diagonal` (torch.triu).
 *
 * @example
 * torch.triu(torch.ones(3, 3), 1);
 */
export function triu(x: Tensor, diagonal = 0): Tensor {
  checkTensor("triu", "input", x);
  return triangle(x, (i, j) => j - i >= diagonal);
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** torch.Tensor.repeat. @example x.repeat(2, 1) */
    repeat(...sizes: (number | readonly number[])[]): Tensor;
    /** torch.Tensor.tile. @example x.tile([2, 1]) */
    tile(dims: readonly number[]): Tensor;
    /** torch.Tensor.flip. @example x.flip(0) */
    flip(dims: number | readonly number[]): Tensor;
    /** torch.Tensor.roll. @example x.roll(1, 0) */
    roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
    /** torch.Tensor.tril. @example torch.ones([3, 3]).tril() */
    tril(diagonal?: number): Tensor;
    /** torch.Tensor.triu. @example torch.ones([3, 3]).triu(1) */
    triu(diagonal?: number): Tensor;
  }
}

defineMethods({
  repeat(this: Tensor, ...sizes: Sizes) {
    return repeat(this, ...sizes);
  },
  tile(this: Tensor, dims: readonly number[]) {
    return tile(this, dims);
  },
  flip(this: Tensor, dims: number | readonly number[]) {
    return flip(this, dims);
  },
  roll(this: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]) {
    return roll(this, shifts, dims);
  },
  tril(this: Tensor, diagonal?: number) {
    return tril(this, diagonal);
  },
  triu(this: Tensor, diagonal?: number) {
    return triu(this, diagonal);
  },
});
