import type { ReduceOp, StridedView } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { numel } from "../../tensor/shape.js";
import { forEachOffset } from "./iterate.js";

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
  const isReduced = x.shape.map((_, d) => axes.includes(d));
  const kept: StridedView = {
    data: x.data,
    shape: x.shape.filter((_, d) => !isReduced[d]),
    strides: x.strides.filter((_, d) => !isReduced[d]),
    offset: x.offset,
  };
  const reducedShape = x.shape.filter((_, d) => isReduced[d]);
  const reducedStrides = x.strides.filter((_, d) => isReduced[d]);
  const count = numel(reducedShape);
  const data = x.data;
  const isInt = out instanceof Int32Array && op !== "argmax" && op !== "argmin";
  forEachOffset([kept], (i, off) => {
    const inner: StridedView = {
      data,
      shape: reducedShape,
      strides: reducedStrides,
      offset: off[0]!,
    };
    let acc: number;
    let best = -1;
    switch (op) {
      case "sum":
        acc = 0;
        forEachOffset([inner], (_j, o) => {
          acc += data[o[0]!]!;
        });
        break;
      case "prod":
        acc = 1;
        forEachOffset([inner], (_j, o) => {
          acc = isInt ? Math.imul(acc, data[o[0]!]!) : acc * data[o[0]!]!;
        });
        break;
      case "max":
      case "argmax":
      case "min":
      case "argmin": {
        const wantMax = op === "max" || op === "argmax";
        acc = wantMax ? -Infinity : Infinity;
        forEachOffset([inner], (j, o) => {
          const v = data[o[0]!]!;
          if (Number.isNaN(acc)) return;
          if (best === -1 || Number.isNaN(v) || (wantMax ? v > acc : v < acc)) {
            acc = v;
            best = j;
          }
        });
        if (op === "argmax" || op === "argmin") acc = best === -1 ? 0 : best;
        break;
      }
    }
    out[i] = count === 0 && (op === "max" || op === "min") ? NaN : acc;
  });
}
