/**
 * Advanced (tensor) indexing with PyTorch's / numpy's rules, the part of `x[...]` that copies:
 * every index tensor (int32, or a bool mask turned into one int tensor per masked dim) is
 * broadcast with the others; the indexed dims are replaced by the broadcast shape, in place of
 * the first indexed dim when the indexed dims are adjacent, at the front otherwise
 * (https://numpy.org/doc/stable/user/basics.indexing.html#combining-advanced-and-basic-indexing).
 *
 * Implemented as a composite: the indexed dims are permuted to the front and flattened into one,
 * the index tensors become one linear index into it, and indexSelect picks the rows; so the
 * gradient (a scatter-add of the output gradient) comes from indexSelect's.
 */
import { IndexError } from "../errors.js";
import { broadcastShapes, formatShape, type Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { indexSelect } from "./indexing.js";

/** One index tensor applied to dim `dim` of the (basic-indexed) tensor. */
export interface AdvancedIndex {
  readonly dim: number;
  readonly index: Tensor;
}

/**
 * The k int index tensors (each 1-d, one entry per true element, in row-major order) that a
 * k-dim bool `mask` over dims `d..d+k-1` of `t` stands for, as PyTorch's nonzero() expansion.
 */
export function maskToIndices(t: Tensor, d: number, mask: Tensor): AdvancedIndex[] {
  mask.shape.forEach((s, j) => {
    if (t.shape[d + j] !== s) {
      throw new IndexError(
        `The shape of the mask ${formatShape(mask.shape)} at index ${j} does not match the shape of the indexed tensor ${formatShape(t.shape)} at index ${d + j}`,
      );
    }
  });
  const k = mask.ndim;
  const coords: number[][] = Array.from({ length: k }, () => []);
  mask.toArray().forEach((v, flat) => {
    if (v === 0) return;
    let rest = flat;
    for (let j = k - 1; j >= 0; j--) {
      const size = mask.shape[j]!;
      coords[j]!.push(rest % size);
      rest = Math.floor(rest / size);
    }
  });
  return coords.map((c, j) => ({
    dim: d + j,
    index: Tensor.fromData(Int32Array.from(c), [c.length]),
  }));
}

function broadcastIndices(indices: readonly AdvancedIndex[]): number[] {
  try {
    return broadcastShapes(...indices.map((a) => a.index.shape));
  } catch {
    throw new IndexError(
      `shape mismatch: indexing tensors could not be broadcast together with shapes ${indices
        .map((a) => formatShape(a.index.shape))
        .join(", ")}`,
    );
  }
}

/** `t` indexed at `indices` (dims in increasing order), as described in this file's header. */
export function advancedTake(t: Tensor, indices: readonly AdvancedIndex[]): Tensor {
  const shape = broadcastIndices(indices);
  const dims = indices.map((a) => a.dim);
  const sizes = dims.map((d) => t.shape[d]!);
  const restDims = t.shape.map((_, k) => k).filter((k) => !dims.includes(k));
  const restShape = restDims.map((k) => t.shape[k]!);
  // One linear index into the indexed dims flattened row-major.
  const count = shape.reduce((a, b) => a * b, 1);
  const linear = new Int32Array(count);
  let stride = 1;
  for (let k = indices.length - 1; k >= 0; k--) {
    const size = sizes[k]!;
    const values = indices[k]!.index.expand(shape).contiguous().toArray();
    for (let i = 0; i < count; i++) {
      const v = values[i]!;
      if (v < -size || v >= size) {
        throw new IndexError(
          `index ${v} is out of bounds for dimension ${dims[k]} with size ${size}`,
        );
      }
      linear[i]! += (v < 0 ? v + size : v) * stride;
    }
    stride *= size;
  }
  const merged = t.permute([...dims, ...restDims]).reshape([stride, ...restShape]);
  const picked = indexSelect(merged, 0, Tensor.fromData(linear, [count])).reshape([
    ...shape,
    ...restShape,
  ]);
  const adjacent = dims.every((d, k) => d === dims[0]! + k);
  const at = dims[0]!;
  if (!adjacent || at === 0) return picked;
  // Adjacent indexed dims keep their place: move the broadcast dims behind the dims before them.
  const b = shape.length;
  const order: number[] = [];
  for (let k = 0; k < at; k++) order.push(b + k);
  for (let k = 0; k < b; k++) order.push(k);
  for (let k = b + at; k < b + restShape.length; k++) order.push(k);
  return picked.permute(order);
}

/**
 * Strips leading size-1 dims of a value beyond the indexing result's rank and checks that it
 * broadcasts to `target`, with PyTorch's index_put_ message.
 */
export function valueFor(value: Tensor, target: Shape): Tensor {
  let v = value;
  while (v.ndim > target.length && v.shape[0] === 1) v = v.reshape(v.shape.slice(1));
  const fits =
    v.ndim <= target.length &&
    v.shape.every((s, i) => s === 1 || s === target[target.length - v.ndim + i]);
  if (!fits) {
    throw new IndexError(
      `shape mismatch: value tensor of shape ${formatShape(value.shape)} cannot be broadcast to indexing result of shape ${formatShape(target)}`,
    );
  }
  return v;
}
