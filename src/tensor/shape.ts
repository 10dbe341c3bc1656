import { checkIntList, pyTypeName } from "../validation/arguments.js";
import { ArgumentTypeError, IndexError, ShapeError } from "../errors.js";

/** A tensor's sizes, outermost first. */
export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major strides for `shape` (PyTorch gives size-1 dims the stride they would have anyway). */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= Math.max(shape[d]!, 1);
  }
  return strides;
}

/** True when elements are laid out row-major with no gaps (size-1 dims may have any stride). */
export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    if (size === 0) return true;
    if (size !== 1) {
      if (strides[d] !== expected) return false;
      expected *= size;
    }
  }
  return true;
}

/** `[2, 3]` -> `"[2, 3]"`, the way PyTorch prints sizes in messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** Wraps a possibly negative dim into `[0, ndim)`, with PyTorch's error when it is out of range. */
export function normalizeDim(dim: number, ndim: number): number {
  const rank = Math.max(ndim, 1); // a 0-d tensor accepts dim 0 and -1, as in PyTorch
  if (typeof dim !== "number" || !Number.isInteger(dim)) {
    throw new ArgumentTypeError(`argument 'dim' must be int, not ${pyTypeName(dim)}`);
  }
  if (dim < -rank || dim >= rank) {
    throw new IndexError(
      `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${dim})`,
    );
  }
  return dim < 0 ? dim + rank : dim;
}

/** Normalises a dim or list of dims; `undefined` means all dims. Rejects repeated dims. */
export function normalizeDims(dim: number | readonly number[] | undefined, ndim: number): number[] {
  const out: number[] = [];
  if (dim === undefined) {
    for (let i = 0; i < ndim; i++) out.push(i);
    return out;
  }
  const dims = typeof dim === "number" ? [dim] : dim;
  if (!Array.isArray(dims)) {
    throw new ArgumentTypeError(
      `argument 'dim' must be int or tuple of ints, not ${pyTypeName(dim)}`,
    );
  }
  for (const d of dims) {
    const nd = normalizeDim(d, ndim);
    if (nd >= ndim && ndim === 0) continue; // a 0-d tensor's dim 0 names no dim
    // Dim lists are short: a scan finds repeats without building a Set (this runs every op).
    if (out.includes(nd))
      throw new IndexError(`dim ${nd} appears multiple times in the list of dims`);
    out.push(nd);
  }
  return ndim === 0 ? [] : out;
}

/**
 * PyTorch's broadcasting: align trailing dims; each pair must match or one must be 1.
 *
 * @example
 * torch.broadcastShapes([2, 1], [3]); // [2, 3]
 */
export function broadcastShapes(...shapes: Shape[]): number[] {
  for (const s of shapes) if (!Array.isArray(s)) checkIntList("broadcast_shapes", "shape", s);
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const d = ndim - shape.length + i;
      const size = shape[i]!;
      const cur = out[d]!;
      if (cur === size || size === 1) continue;
      if (cur === 1) out[d] = size;
      else
        throw new ShapeError(
          // PyTorch numbers the dim in the broadcast result, not in the shorter operand.
          `The size of tensor a (${cur}) must match the size of tensor b (${size}) at non-singleton dimension ${d}`,
        );
    }
  }
  return out;
}

/** Strides that view a tensor of `shape`/`strides` as `target` by broadcasting (stride 0). */
export function broadcastStrides(
  shape: Shape,
  strides: readonly number[],
  target: Shape,
): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[lead + i] = shape[i] === 1 && target[lead + i] !== 1 ? 0 : strides[i]!;
  }
  return out;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A user-given size (`3` or `[2, 3]`) as a checked list of non-negative integers. */
export function sizeList(size: unknown, op: string): number[] {
  if (typeof size !== "number" && !Array.isArray(size)) {
    throw new ArgumentTypeError(
      `${op}(): argument 'size' must be tuple of ints, not ${pyTypeName(size)}`,
    );
  }
  const shape = typeof size === "number" ? [size] : [...(size as number[])];
  checkShape(shape, op);
  return shape;
}

/** Checks a user-given size list: non-negative integers. */
export function checkShape(shape: Shape, op: string): void {
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i]!;
    if (typeof s !== "number" || !Number.isInteger(s)) {
      throw new ArgumentTypeError(
        `${op}(): argument 'size' must be tuple of ints, but found element of type ` +
          `${pyTypeName(s)} at pos ${i}`,
      );
    }
    if (s < 0) {
      throw new ShapeError(
        `${op}(): Trying to create tensor with negative dimension ${s}: ${formatShape(shape)}`,
      );
    }
  }
}
