import { describe, it } from "node:test";
import v8 from "node:v8";
import type { StridedView } from "../../src/backend/backend.js";
import { ReferenceBackend } from "../../src/backend/reference/index.js";
import { WasmBackend, supportsVariant, type WasmVariant } from "../../src/backend/wasm/index.js";
import { assertAllClose, randomF32, rng, rowMajor, view } from "./wasm-helpers.js";

// Node 20 validates relaxed SIMD only behind this flag; set before the relaxed module compiles.
v8.setFlagsFromString("--experimental-wasm-relaxed-simd");

const reference = new ReferenceBackend();
const variants: WasmVariant[] = ["simd", "relaxed"];

/** A [...batch, rows, cols] matrix stored transposed or not, inside a larger buffer at an offset. */
function matrix(
  batch: number[],
  rows: number,
  cols: number,
  transposed: boolean,
  next: () => number,
): StridedView {
  const stored = transposed ? [...batch, cols, rows] : [...batch, rows, cols];
  const offset = 3;
  const data = randomF32(offset + stored.reduce((p, s) => p * s, 1), next);
  const strides = rowMajor(stored);
  const nd = strides.length;
  if (transposed) [strides[nd - 2], strides[nd - 1]] = [strides[nd - 1]!, strides[nd - 2]!];
  return view(data, [...batch, rows, cols], strides, offset);
}

/** Σ|a||b| per output element: float32 rounding is bounded relative to it, not to the result. */
function magnitude(a: StridedView, b: StridedView, length: number): Float32Array {
  const abs = (v: StridedView): StridedView => ({ ...v, data: v.data.map(Math.abs) });
  const out = new Float32Array(length);
  reference.matmul(abs(a), abs(b), out);
  return out;
}

function check(backend: WasmBackend, a: StridedView, b: StridedView, label: string): void {
  const nd = a.shape.length;
  const length = a.shape.slice(0, nd - 1).reduce((p, s) => p * s, 1) * b.shape[nd - 1]!;
  const got = new Float32Array(length + 2).fill(7); // the kernel must not write past `out`
  const out = got.subarray(0, length);
  const want = new Float32Array(length);
  backend.matmul(a, b, out);
  reference.matmul(a, b, want);
  assertAllClose(out, want, 1e-5, 1e-6, label, magnitude(a, b, length));
  assertAllClose(got.subarray(length), [7, 7], 0, 0, `${label}: past the end`);
}

for (const variant of variants) {
  describe(
    `wasm GEMM (${variant} SIMD)`,
    { skip: !supportsVariant(variant) && "engine rejects this variant" },
    () => {
      const backend = new WasmBackend({ variant, thresholds: { gemm: 0 } });
      const next = rng(variant === "simd" ? 1 : 2);

      it("matches the reference in all four layouts at odd sizes", () => {
        const sizes = [1, 3, 5, 17, 63, 65, 129];
        for (const [ta, tb] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as const) {
          for (let i = 0; i < sizes.length; i++) {
            const m = sizes[i]!;
            const k = sizes[(i + 2) % sizes.length]!;
            const n = sizes[(i + 4) % sizes.length]!;
            check(
              backend,
              matrix([], m, k, ta, next),
              matrix([], k, n, tb, next),
              `${m}x${k}x${n} ${ta} ${tb}`,
            );
          }
        }
      });

      it("crosses the k, m and n blocking boundaries (k > 256, m > 128, n > 1024)", () => {
        check(
          backend,
          matrix([], 131, 260, false, next),
          matrix([], 260, 1030, true, next),
          "blocks",
        );
      });

      it("runs batches, including broadcast batch strides", () => {
        const a = matrix([3], 5, 17, false, next);
        const b = matrix([3], 17, 9, true, next);
        check(backend, a, b, "batched");
        // b broadcast over the batch (stride 0), as matmul of [3, m, k] by [k, n] does.
        const b2 = matrix([], 17, 9, false, next);
        check(backend, a, { ...b2, shape: [3, 17, 9], strides: [0, ...b2.strides] }, "broadcast b");
        const a2 = matrix([2, 1], 4, 6, true, next);
        check(
          backend,
          { ...a2, shape: [2, 3, 4, 6], strides: [a2.strides[0]!, 0, ...a2.strides.slice(2)] },
          matrix([2, 3], 6, 5, false, next),
          "broadcast a",
        );
      });

      it("reads sliced, strided and sparse views", () => {
        // Every other row and column of a 40x40 buffer: not contiguous in either dim.
        const big = randomF32(1600, next);
        const a = view(big, [20, 20], [80, 2], 1);
        const b = view(big, [20, 7], [2, 40], 41);
        check(backend, a, b, "strided");
        // A view touching few elements of a big buffer is gathered rather than copied whole.
        const huge = randomF32(200_000, next);
        check(
          backend,
          view(huge, [4, 3], [50_000, 7], 5),
          view(huge, [3, 2], [60_000, 1], 9),
          "sparse",
        );
      });

      it("switches to WASM at the threshold with the same results", () => {
        const t = new WasmBackend({ variant, thresholds: { gemm: 64 } });
        for (const [m, k, n] of [
          [4, 4, 3],
          [4, 4, 4],
          [4, 4, 5],
        ]) {
          check(
            t,
            matrix([], m!, k!, false, next),
            matrix([], k!, n!, false, next),
            `${m}x${k}x${n}`,
          );
        }
      });

      it("gives zeros for k = 0 and nothing for empty outputs", () => {
        const out = new Float32Array(6).fill(5);
        backend.matmul(
          view(new Float32Array(0), [2, 0], [0, 1]),
          view(new Float32Array(0), [0, 3], [3, 1]),
          out,
        );
        assertAllClose(out, new Float32Array(6), 0, 0, "k = 0");
        backend.matmul(
          view(new Float32Array(0), [0, 4], [4, 1]),
          view(new Float32Array(12), [4, 3], [3, 1]),
          new Float32Array(0),
        );
      });

      it("leaves float64 and int32 products to the reference kernels", () => {
        const a = {
          data: new Float64Array([1, 2, 3, 4]),
          shape: [2, 2],
          strides: [2, 1],
          offset: 0,
        };
        const out = new Float64Array(4);
        backend.matmul(a, a, out);
        assertAllClose(out, [7, 10, 15, 22], 0, 0, "float64");
      });
    },
  );
}
