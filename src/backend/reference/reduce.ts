import type { ReduceOp, StridedView } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { forEachOffset, forEachRow } from "./iterate.js";

/**
 * Reduces over `axes`: the kept dims are walked in row-major order (one output element each), and
 * for each, the reduced dims in row-major order. NaN propagates through max/min (and is the
 * answer of argmax/argmin), as in PyTorch.
 */
export function reduce(
  op: ReduceOp,
  x: StridedView,
  axes: readonly number[],
  out: TypedArray,
): void {
  const keptShape: number[] = [];
  const keptStrides: number[] = [];
  const reducedShape: number[] = [];
  const reducedStrides: number[] = [];
  let count = 1;
  for (let d = 0; d < x.shape.length; d++) {
    if (axes.includes(d)) {
      reducedShape.push(x.shape[d]!);
      reducedStrides.push(x.strides[d]!);
      count *= x.shape[d]!;
    } else {
      keptShape.push(x.shape[d]!);
      keptStrides.push(x.strides[d]!);
    }
  }
  const kept: StridedView = { data: x.data, shape: keptShape, strides: keptStrides, offset: 0 };
  const inner = { data: x.data, shape: reducedShape, strides: reducedStrides, offset: 0 };
  const reduceOne = reducer(op, x.data, out instanceof Int32Array);
  forEachOffset([kept], (i, off) => {
    inner.offset = x.offset + off[0]!;
    out[i] = count === 0 && (op === "max" || op === "min") ? NaN : reduceOne(inner);
  });
}

/** The reduction of one output element: a loop over the rows of the reduced dims. */
function reducer(op: ReduceOp, data: TypedArray, isInt: boolean): (inner: StridedView) => number {
  switch (op) {
    case "sum":
      return (inner) => {
        let acc = 0;
        forEachRow([inner], (_i, start, n, steps) => {
          const step = steps[0]!;
          for (let j = 0, o = start[0]!; j < n; j++, o += step) acc += data[o]!;
        });
        return acc;
      };
    case "prod":
      return (inner) => {
        let acc = 1;
        forEachRow([inner], (_i, start, n, steps) => {
          const step = steps[0]!;
          for (let j = 0, o = start[0]!; j < n; j++, o += step)
            acc = isInt ? Math.imul(acc, data[o]!) : acc * data[o]!;
        });
        return acc;
      };
    default: {
      const wantMax = op === "max" || op === "argmax";
      const wantIndex = op === "argmax" || op === "argmin";
      return (inner) => {
        let acc = wantMax ? -Infinity : Infinity;
        let best = -1;
        forEachRow([inner], (i, start, n, steps) => {
          const step = steps[0]!;
          for (let j = 0, o = start[0]!; j < n; j++, o += step) {
            const v = data[o]!;
            if (Number.isNaN(acc)) return;
            if (best === -1 || Number.isNaN(v) || (wantMax ? v > acc : v < acc)) {
              acc = v;
              best = i + j;
            }
          }
        });
        if (wantIndex) return best === -1 ? 0 : best;
        return acc;
      };
    }
  }
}
