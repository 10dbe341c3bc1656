import type {
  Backend,
  BinaryOp,
  ReduceOp,
  SoftmaxOp,
  StridedView,
  UnaryOp,
  Windows2d,
} from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { numel } from "../../tensor/shape.js";
import { forEachRow, isDense } from "./iterate.js";
import { binaryFns, integerBinaryFns, unaryFns } from "./scalar-math.js";
import { matmul } from "./matmul.js";
import { reduce } from "./reduce.js";
import { softmax } from "./softmax.js";
import { gather, scatter, scatterAdd } from "./indexing.js";
import { col2im, im2col, maxPool2d } from "./windows.js";

/** A store into a bool buffer keeps only truth (PyTorch: bool(x) is x != 0). */
function storeFor(dst: TypedArray): (v: number) => number {
  return dst instanceof Uint8Array ? (v) => (v !== 0 ? 1 : 0) : (v) => v;
}

/** True when every element of the view is the same one (all strides 0). */
function isBroadcastScalar(view: StridedView): boolean {
  for (const s of view.strides) if (s !== 0) return false;
  return true;
}

/**
 * The reference backend: plain loops over strided views, every kernel, never clever. It is the
 * specification the fast backends are tested against.
 */
export class ReferenceBackend implements Backend {
  readonly name: string = "reference";

  unary(op: UnaryOp, x: StridedView, out: TypedArray): void {
    const f = unaryFns[op];
    const src = x.data;
    if (isDense(x)) {
      const o = x.offset;
      const n = out.length;
      for (let i = 0; i < n; i++) out[i] = f(src[o + i]!);
      return;
    }
    forEachRow([x], (i, start, n, steps) => {
      const step = steps[0]!;
      for (let j = 0, o = start[0]!; j < n; j++, o += step) out[i + j] = f(src[o]!);
    });
  }

  binary(op: BinaryOp, a: StridedView, b: StridedView, out: TypedArray): void {
    const f = (out instanceof Int32Array && integerBinaryFns[op]) || binaryFns[op];
    const A = a.data;
    const B = b.data;
    if (isDense(a) && isDense(b)) {
      const n = out.length;
      const oa = a.offset;
      const ob = b.offset;
      switch (op) {
        case "add":
          for (let i = 0; i < n; i++) out[i] = A[oa + i]! + B[ob + i]!;
          return;
        case "sub":
          for (let i = 0; i < n; i++) out[i] = A[oa + i]! - B[ob + i]!;
          return;
        case "mul":
          if (out instanceof Int32Array) break;
          for (let i = 0; i < n; i++) out[i] = A[oa + i]! * B[ob + i]!;
          return;
        default:
          break;
      }
      for (let i = 0; i < n; i++) out[i] = f(A[oa + i]!, B[ob + i]!);
      return;
    }
    // A tensor and a broadcast scalar (x * 2, x + bias of one element): one value, one loop.
    if (isDense(a) && isBroadcastScalar(b)) {
      const n = out.length;
      const oa = a.offset;
      const c = B[b.offset]!;
      for (let i = 0; i < n; i++) out[i] = f(A[oa + i]!, c);
      return;
    }
    if (isBroadcastScalar(a) && isDense(b)) {
      const n = out.length;
      const ob = b.offset;
      const c = A[a.offset]!;
      for (let i = 0; i < n; i++) out[i] = f(c, B[ob + i]!);
      return;
    }
    zipInto(a, b, out, f);
  }

  addScaled(a: StridedView, b: StridedView, alpha: number, out: TypedArray): void {
    // alpha in the output dtype; for float32 the product of two float32 values is exact in a
    // double, so the double sum rounded once to float32 is the fused result (but in the rare
    // case of double rounding).
    const s = out instanceof Float32Array ? Math.fround(alpha) : alpha;
    zipInto(a, b, out, (x, y) => x + s * y);
  }

  where(cond: StridedView, a: StridedView, b: StridedView, out: TypedArray): void {
    const C = cond.data;
    const A = a.data;
    const B = b.data;
    forEachRow([cond, a, b], (i, start, n, steps) => {
      const sc = steps[0]!;
      const sa = steps[1]!;
      const sb = steps[2]!;
      let oc = start[0]!;
      let oa = start[1]!;
      let ob = start[2]!;
      for (let j = 0; j < n; j++, oc += sc, oa += sa, ob += sb)
        out[i + j] = C[oc] ? A[oa]! : B[ob]!;
    });
  }

  reduce(op: ReduceOp, x: StridedView, axes: readonly number[], out: TypedArray): void {
    reduce(op, x, axes, out);
  }

  softmax(op: SoftmaxOp, x: StridedView, dim: number, out: TypedArray): void {
    softmax(op, x, dim, out);
  }

  matmul(a: StridedView, b: StridedView, out: TypedArray): void {
    matmul(a, b, out);
  }

  copy(src: StridedView, dst: StridedView): void {
    const S = src.data;
    const D = dst.data;
    if (isDense(src) && isDense(dst) && !(D instanceof Uint8Array && !(S instanceof Uint8Array))) {
      // TypedArray.set converts between element types exactly as element assignment does
      // (float64 -> float32 rounds, float -> int32 truncates, 0/1 bytes -> float), in one native
      // call instead of a loop whose element access is megamorphic across dtypes.
      const n = numel(src.shape);
      D.set(S.subarray(src.offset, src.offset + n) as never, dst.offset);
      return;
    }
    const toBool = D instanceof Uint8Array;
    forEachRow([src, dst], (_i, start, n, steps) => {
      const ss = steps[0]!;
      const ds = steps[1]!;
      let s = start[0]!;
      let d = start[1]!;
      if (toBool) for (let j = 0; j < n; j++, s += ss, d += ds) D[d] = S[s] !== 0 ? 1 : 0;
      else for (let j = 0; j < n; j++, s += ss, d += ds) D[d] = S[s]!;
    });
  }

  fill(dst: StridedView, value: number): void {
    const D = dst.data;
    const v = storeFor(D)(value);
    if (isDense(dst)) {
      D.fill(v, dst.offset, dst.offset + numel(dst.shape));
      return;
    }
    forEachRow([dst], (_i, start, n, steps) => {
      const step = steps[0]!;
      for (let j = 0, d = start[0]!; j < n; j++, d += step) D[d] = v;
    });
  }

  gather(x: StridedView, dim: number, index: StridedView, out: TypedArray): void {
    gather(x, dim, index, out);
  }

  scatterAdd(dst: StridedView, dim: number, index: StridedView, src: StridedView): void {
    scatterAdd(dst, dim, index, src);
  }

  scatter(dst: StridedView, dim: number, index: StridedView, src: StridedView): void {
    scatter(dst, dim, index, src);
  }

  im2col(x: StridedView, windows: Windows2d, out: TypedArray): void {
    im2col(x, windows, out);
  }

  col2im(cols: StridedView, windows: Windows2d, out: TypedArray): void {
    col2im(cols, windows, out);
  }

  maxPool2d(x: StridedView, windows: Windows2d, values: TypedArray, indices: Int32Array): void {
    maxPool2d(x, windows, values, indices);
  }
}

/** out[i] = f(a[i], b[i]) over two strided views of the output's shape. */
function zipInto(
  a: StridedView,
  b: StridedView,
  out: TypedArray,
  f: (x: number, y: number) => number,
): void {
  const A = a.data;
  const B = b.data;
  if (isDense(a) && isDense(b)) {
    const oa = a.offset;
    const ob = b.offset;
    for (let i = 0; i < out.length; i++) out[i] = f(A[oa + i]!, B[ob + i]!);
    return;
  }
  forEachRow([a, b], (i, start, n, steps) => {
    const sa = steps[0]!;
    const sb = steps[1]!;
    let oa = start[0]!;
    let ob = start[1]!;
    for (let j = 0; j < n; j++, oa += sa, ob += sb) out[i + j] = f(A[oa]!, B[ob]!);
  });
}
