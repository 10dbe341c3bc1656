import type { StridedView } from "../backend.js";
import type { Shape } from "../../tensor/shape.js";

/** An elementwise operation seen as [rows, cols] with per-operand row and column strides. */
export interface Plan2D {
  readonly rows: number;
  readonly cols: number;
  readonly rowStrides: readonly number[];
  readonly colStrides: readonly number[];
}

/**
 * Collapses views of one shape to two dims by dropping size-1 dims and merging neighbours that
 * are contiguous in every view; undefined when more than two dims remain.
 */
export function collapse2D(shape: Shape, views: readonly StridedView[]): Plan2D | undefined {
  const dims: number[] = [];
  const strides: number[][] = views.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && views.every((v, i) => strides[i]![last] === v.strides[d]! * shape[d]!)) {
      dims[last] = dims[last]! * shape[d]!;
      views.forEach((v, i) => (strides[i]![last] = v.strides[d]!));
      continue;
    }
    dims.push(shape[d]!);
    views.forEach((v, i) => strides[i]!.push(v.strides[d]!));
  }
  if (dims.length > 2) return undefined;
  while (dims.length < 2) {
    dims.unshift(1);
    strides.forEach((s) => s.unshift(0));
  }
  return {
    rows: dims[0]!,
    cols: dims[1]!,
    rowStrides: strides.map((s) => s[0]!),
    colStrides: strides.map((s) => s[1]!),
  };
}
