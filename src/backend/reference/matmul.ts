import type { StridedView } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { numel } from "../../tensor/shape.js";

/** Batched matrix product by the textbook triple loop, accumulating in float64. */
export function matmul(a: StridedView, b: StridedView, out: TypedArray): void {
  const nd = a.shape.length;
  const m = a.shape[nd - 2]!;
  const k = a.shape[nd - 1]!;
  const n = b.shape[nd - 1]!;
  const batchShape = a.shape.slice(0, nd - 2);
  const batches = numel(batchShape);
  const [sam, sak] = [a.strides[nd - 2]!, a.strides[nd - 1]!];
  const [sbk, sbn] = [b.strides[nd - 2]!, b.strides[nd - 1]!];
  const A = a.data;
  const B = b.data;
  const isInt = out instanceof Int32Array;
  for (let batch = 0; batch < batches; batch++) {
    // Offsets of this batch in a and b, decoding the batch index row-major.
    let oa = a.offset;
    let ob = b.offset;
    for (let d = batchShape.length - 1, rest = batch; d >= 0; d--) {
      const i = rest % batchShape[d]!;
      rest = Math.floor(rest / batchShape[d]!);
      oa += i * a.strides[d]!;
      ob += i * b.strides[d]!;
    }
    const oc = batch * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          acc += isInt
            ? Math.imul(A[oa + i * sam + p * sak]!, B[ob + p * sbk + j * sbn]!)
            : A[oa + i * sam + p * sak]! * B[ob + p * sbk + j * sbn]!;
          if (isInt) acc |= 0;
        }
        out[oc + i * n + j] = acc;
      }
    }
  }
}
