// Native elementwise ops and sums vs the reference backend, below and above the size thresholds,
// on one thread and on several.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { BinaryOp, StridedView, UnaryOp } from "../../src/backend/backend.js";
import { ReferenceBackend } from "../../src/backend/reference/index.js";
import {
  NATIVE_THRESHOLDS,
  NativeBackend,
  nativeAddon,
  nativeBackend,
  nativeBackendStatus,
} from "../../src/backend/native/index.js";
import { assertAllClose, denseView, rng } from "./native-helpers.js";

const status = nativeBackendStatus();
const skip = status.available ? false : `native backend not available: ${status.reason}`;
const reference = new ReferenceBackend();
const BINARY: BinaryOp[] = ["add", "sub", "mul", "div"];
const COMPARE: BinaryOp[] = ["eq", "ne", "lt", "le", "gt", "ge"];
const UNARY: UnaryOp[] = ["exp", "sigmoid", "tanh", "relu"];
const LENGTHS = [1, 255, 256, 1023, 1024, 4099, 200_003];

describe("native backend: elementwise and sums", { skip }, () => {
  const addon = nativeAddon()!;
  const native = nativeBackend!;
  const threadsBefore = addon.getNumThreads();
  after(() => {
    addon.setEager(false);
    addon.setNumThreads(threadsBefore);
  });

  for (const threads of [1, 3]) {
    it(`add/sub/mul/div match the reference exactly (${threads} threads)`, () => {
      addon.setNumThreads(threads);
      addon.setEager(threads > 1);
      const rand = rng(11);
      for (const n of LENGTHS) {
        const a = denseView(n, rand, 3, 10);
        const b = denseView(n, rand, 5);
        for (const op of BINARY) {
          const got = new Float32Array(n);
          const want = new Float32Array(n);
          native.binary(op, a, b, got);
          reference.binary(op, a, b, want);
          assert.deepEqual(got, want, `${op} n=${n}`);
        }
      }
    });

    it(`per-channel and trailing broadcasts ([1, C, 1, 1], [B, T, 1]) match the reference exactly (${threads} threads)`, () => {
      addon.setNumThreads(threads);
      addon.setEager(threads > 1);
      const rand = rng(17);
      const fill = (len: number): Float32Array => new Float32Array(len).map(() => rand() * 4 + 0.5);
      for (const [N, C, H, W] of [
        [2, 3, 4, 5],
        [64, 16, 28, 28],
        [1, 7, 1, 33],
      ] as [number, number, number, number][]) {
        const n = N * C * H * W;
        const shape = [N, C, H, W];
        const dense: StridedView = {
          data: fill(n),
          shape,
          strides: [C * H * W, H * W, W, 1],
          offset: 0,
        };
        const channel: StridedView = { data: fill(C + 2), shape, strides: [0, 1, 0, 0], offset: 2 };
        // The mean over the last dim, kept: one value per (n, c, h), repeated W times.
        const stats: StridedView = {
          data: fill(N * C * H),
          shape,
          strides: [C * H, H, 1, 0],
          offset: 0,
        };
        // Repeated along W and broadcast over N: a [1, C, H, 1] operand.
        const mixed: StridedView = { data: fill(C * H), shape, strides: [0, H, 1, 0], offset: 0 };
        for (const op of [...BINARY, ...COMPARE]) {
          for (const [a, b] of [
            [dense, channel],
            [channel, dense],
            [dense, stats],
            [stats, dense],
            [mixed, dense],
            [channel, stats],
          ] as [StridedView, StridedView][]) {
            const bool = COMPARE.includes(op);
            const got = bool ? new Uint8Array(n) : new Float32Array(n);
            const want = bool ? new Uint8Array(n) : new Float32Array(n);
            native.binary(op, a, b, got);
            reference.binary(op, a, b, want);
            assert.deepEqual(got, want, `${op} [${shape}] ${a.strides} ${b.strides}`);
          }
        }
      }
    });

    it(`broadcast scalars and rows, arithmetic and comparisons, match the reference exactly (${threads} threads)`, () => {
      addon.setNumThreads(threads);
      addon.setEager(threads > 1);
      const rand = rng(13);
      for (const [rows, cols] of [
        [1, 300],
        [7, 256],
        [33, 129],
        [257, 784],
      ] as [number, number][]) {
        const n = rows * cols;
        const fill = (len: number, off: number): Float32Array =>
          new Float32Array(off + len).map(() => rand() * 4 + 0.5);
        const dense: StridedView = {
          data: fill(n, 2),
          shape: [rows, cols],
          strides: [cols, 1],
          offset: 2,
        };
        const scalar: StridedView = {
          data: fill(1, 3),
          shape: [rows, cols],
          strides: [0, 0],
          offset: 3,
        };
        const row: StridedView = {
          data: fill(cols, 1),
          shape: [rows, cols],
          strides: [0, 1],
          offset: 1,
        };
        // A column broadcast (each element repeated along the row: LayerNorm's statistics).
        const col: StridedView = {
          data: fill(rows, 0),
          shape: [rows, cols],
          strides: [1, 0],
          offset: 0,
        };
        const pairs: [StridedView, StridedView][] = [
          [dense, scalar],
          [scalar, dense],
          [dense, row],
          [row, dense],
          [row, scalar],
          [scalar, scalar],
          [dense, col],
        ];
        dense.data[5] = Number.NaN; // comparisons with NaN are false (ne true), as in PyTorch
        row.data[3] = scalar.data[3]!; // equal elements, for eq/le/ge
        for (const op of [...BINARY, ...COMPARE]) {
          for (const [a, b] of pairs) {
            const bool = COMPARE.includes(op);
            const got = bool ? new Uint8Array(n) : new Float32Array(n);
            const want = bool ? new Uint8Array(n) : new Float32Array(n);
            native.binary(op, a, b, got);
            reference.binary(op, a, b, want);
            assert.deepEqual(got, want, `${op} [${rows}, ${cols}] ${a.strides} ${b.strides}`);
          }
          if (!BINARY.includes(op)) continue;
          // In place, as the bias add does: out is the dense operand's own buffer.
          const own = new Float32Array(dense.data.subarray(2));
          const self: StridedView = {
            data: own,
            shape: [rows, cols],
            strides: [cols, 1],
            offset: 0,
          };
          const want = new Float32Array(n);
          reference.binary(op, self, row, want);
          native.binary(op, self, row, own);
          assert.deepEqual(own, want, `${op} in place [${rows}, ${cols}]`);
        }
      }
    });

    it(`erf (every branch), neg, rsqrt and reciprocal equal the reference bit for bit (${threads} threads)`, () => {
      addon.setNumThreads(threads);
      addon.setEager(threads > 1);
      const rand = rng(19);
      let calls = 0;
      const counting = {
        ...addon,
        unary: (...args: Parameters<typeof addon.unary>) => {
          calls++;
          addon.unary(...args);
        },
      };
      const backend = new NativeBackend(counting, { unary: 0 });
      // |x| < 0.5, [0.5, 4), [4, 6) and >= 6 take different approximations; signed zeros,
      // infinities and NaN too.
      const special = [0, -0, 0.5, -0.5, 4, -4, 6, -6, Infinity, -Infinity, NaN, 1e-30, 5.9999];
      for (const n of [special.length, 4099, 200_003]) {
        const data = new Float32Array(n + 1);
        for (let i = 0; i <= n; i++) data[i] = special[i - 1] ?? (rand() - 0.5) * 16;
        const x: StridedView = { data, shape: [n], strides: [1], offset: 1 };
        const got = new Float32Array(n);
        const want = new Float32Array(n);
        const before = calls;
        backend.unary("erf", x, got);
        assert.equal(calls, before + 1, "erf went native");
        reference.unary("erf", x, want);
        assert.deepEqual(got, want, `erf n=${n}`);
        for (const op of ["neg", "rsqrt", "reciprocal"] as const) {
          const at = calls;
          backend.unary(op, x, got);
          assert.equal(calls, at + 1, `${op} went native`);
          reference.unary(op, x, want);
          assert.deepEqual(got, want, `${op} n=${n}`);
        }
      }
    });

    it(`strided float32 and int32 copies equal the reference (${threads} threads)`, () => {
      addon.setNumThreads(threads);
      let calls = 0;
      const counting = {
        ...addon,
        copyStrided: (...args: Parameters<typeof addon.copyStrided>) => {
          calls++;
          addon.copyStrided(...args);
        },
      };
      const backend = new NativeBackend(counting, { binary: 0 });
      const rand = rng(23);
      const [A, B, C] = [6, 5, 7];
      for (const Ctor of [Float32Array, Int32Array]) {
        const data = new Ctor(A * B * C + 3).map(() => Math.floor(rand() * 1e6) - 5e5);
        // Transposed, sliced with a step, expanded (stride 0) and reversed (negative stride).
        const views: StridedView[] = [
          { data, shape: [C, B, A], strides: [1, C, B * C], offset: 3 },
          { data, shape: [A, 2, C], strides: [B * C, 2 * C, 1], offset: 3 + C },
          { data, shape: [A, 4, C], strides: [B * C, 0, 1], offset: 3 },
          { data, shape: [A, B * C], strides: [B * C, -1], offset: 3 + B * C - 1 },
        ];
        for (const src of views) {
          const n = src.shape.reduce((p, q) => p * q, 1);
          const strides = src.shape.map((_, d) =>
            src.shape.slice(d + 1).reduce((p, q) => p * q, 1),
          );
          const got = new Ctor(n + 1).fill(7);
          const want = new Ctor(n + 1).fill(7);
          const before = calls;
          backend.copy(src, { data: got, shape: src.shape, strides, offset: 1 });
          assert.equal(calls, before + 1, `copy ${JSON.stringify(src.strides)} went native`);
          reference.copy(src, { data: want, shape: src.shape, strides, offset: 1 });
          assert.deepEqual(got, want, `${Ctor.name} copy strides ${JSON.stringify(src.strides)}`);
          // Into a transposed destination too.
          const tShape = [...src.shape].reverse();
          const tStrides = tShape.map((_, d) => tShape.slice(d + 1).reduce((p, q) => p * q, 1));
          const dstView = { shape: src.shape, strides: [...tStrides].reverse(), offset: 0 };
          const got2 = new Ctor(n);
          const want2 = new Ctor(n);
          backend.copy(src, { data: got2, ...dstView });
          reference.copy(src, { data: want2, ...dstView });
          assert.deepEqual(got2, want2, `${Ctor.name} copy into a transposed view`);
        }
      }
      // A view that reaches outside its buffer is refused by the addon itself.
      assert.throws(() =>
        addon.copyStrided(
          new Float32Array(10),
          new Float32Array(10),
          Float64Array.of(1, 0, 0, 10, 2, 1),
        ),
      );
    });

    it(`exp/sigmoid/tanh/relu match the reference (${threads} threads)`, () => {
      addon.setNumThreads(threads);
      addon.setEager(threads > 1);
      const rand = rng(12);
      for (const n of LENGTHS) {
        const x = denseView(n, rand, 1, 30);
        if (n > 3) x.data[1] = Number.NaN; // NaN passes through every op, relu included
        for (const op of UNARY) {
          const got = new Float32Array(n);
          const want = new Float32Array(n);
          native.unary(op, x, got);
          reference.unary(op, x, want);
          assertAllClose(got, want, 1e-6, 0, `${op} n=${n}`);
        }
      }
    });

    it(`sums over any dims equal the reference bit for bit (${threads} threads)`, () => {
      addon.setNumThreads(threads);
      addon.setEager(threads > 1);
      const rand = rng(13);
      let calls = 0;
      const counting = {
        ...addon,
        sumDims: (...args: Parameters<typeof addon.sumDims>) => {
          calls++;
          addon.sumDims(...args);
        },
      };
      const backend = new NativeBackend(counting, { sum: 0 });
      for (const shape of [
        [3, 700],
        [700, 3],
        [4, 5, 300],
        [2, 1, 3000],
        [129, 257],
        [6, 5, 7, 9],
        [5, 3, 1, 4, 6],
        [3, 0, 4],
        [1, 1, 1],
      ]) {
        const n = shape.reduce((p, s) => p * s, 1);
        const flat = denseView(n, rand, 2);
        const strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, s) => p * s, 1));
        const x: StridedView = { data: flat.data, shape, strides, offset: 2 };
        const nd = shape.length;
        const all = shape.map((_, d) => d);
        // Every non-empty set of axes: leading, trailing, middle ([0, 2, 3]: a conv bias), mixed.
        for (let mask = 1; mask < 1 << nd; mask++) {
          const axes = all.filter((d) => mask & (1 << d));
          const outLen = shape.filter((_, d) => !axes.includes(d)).reduce((p, s) => p * s, 1);
          const got = new Float32Array(outLen).fill(NaN);
          const want = new Float32Array(outLen);
          const before = calls;
          backend.reduce("sum", x, axes, got);
          assert.equal(calls, before + 1, `sum ${JSON.stringify(shape)} over ${axes} went native`);
          reference.reduce("sum", x, axes, want);
          assert.deepEqual(got, want, `sum ${JSON.stringify(shape)} over ${axes}`);
        }
      }
    });
  }

  it("max/min/argmax/argmin over leading and trailing dims equal the reference, ties and NaN included", () => {
    const rand = rng(17);
    let calls = 0;
    const counting = {
      ...addon,
      extreme: (...args: Parameters<typeof addon.extreme>) => {
        calls++;
        addon.extreme(...args);
      },
    };
    const backend = new NativeBackend(counting, { sum: 0 });
    for (const shape of [
      [3, 700],
      [700, 3],
      [4, 5, 30],
      [5, 1],
      [0, 4],
    ]) {
      const n = shape.reduce((p, s) => p * s, 1);
      // Few distinct values (ties), some NaN.
      const data = Float32Array.from({ length: n + 1 }, () => {
        const r = rand();
        return r < 0.02 ? Number.NaN : Math.floor(r * 7) - 3;
      });
      const strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, s) => p * s, 1));
      const x: StridedView = { data, shape, strides, offset: 1 };
      const nd = shape.length;
      for (const axes of [[nd - 1], [0], shape.map((_, d) => d)]) {
        const outLen = shape.filter((_, d) => !axes.includes(d)).reduce((p, s) => p * s, 1);
        for (const op of ["max", "min", "argmax", "argmin"] as const) {
          const Out = op.startsWith("arg") ? Int32Array : Float32Array;
          const got = new Out(outLen).fill(-7);
          const want = new Out(outLen).fill(-7);
          backend.reduce(op, x, axes, got);
          reference.reduce(op, x, axes, want);
          assert.deepEqual(
            got,
            want,
            `${op} ${JSON.stringify(shape)} over ${JSON.stringify(axes)}`,
          );
        }
      }
    }
    assert.ok(calls >= 40, `the addon ran ${calls} of the reductions`);
  });

  it("leaves strided, broadcast, int32 and small inputs to the reference kernels", () => {
    const rand = rng(14);
    const n = 4096;
    const a = denseView(n, rand);
    const strided: StridedView = {
      data: denseView(2 * n, rand).data,
      shape: [n],
      strides: [2],
      offset: 1,
    };
    const scalar: StridedView = {
      data: new Float32Array([2]),
      shape: [n],
      strides: [0],
      offset: 0,
    };
    for (const b of [strided, scalar]) {
      const got = new Float32Array(n);
      const want = new Float32Array(n);
      native.binary("mul", a, b, got);
      reference.binary("mul", a, b, want);
      assert.deepEqual(got, want);
    }
    assert.ok(NATIVE_THRESHOLDS.unary > 1);
    const small = denseView(1, rand);
    const got = new Float32Array(1);
    native.unary("exp", small, got);
    assert.equal(got[0], Math.fround(Math.exp(small.data[0]!)));
  });
});
