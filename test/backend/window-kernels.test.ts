// The window kernels (im2col, col2im, maxPool2d) of every backend vs the reference loops, on
// random inputs with odd sizes, strides, padding, dilation, strided (transposed) inputs, and for
// max pooling ties, NaN and -Infinity. The reference loops are checked against PyTorch through
// the conv and pooling op tests (test/ops/conv.test.ts, test/ops/max-pool.test.ts).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { StridedView, Windows2d } from "../../src/backend/backend.js";
import { ReferenceBackend } from "../../src/backend/reference/index.js";
import { windows2d } from "../../src/ops/unfold.js";
import { conformanceBackends } from "../helpers/backends.js";
import { rng } from "./native-helpers.js";

const reference = new ReferenceBackend();

interface Case {
  readonly name: string;
  readonly windows: Windows2d;
  readonly planes: number;
}

/** Geometries: [name, P, [H, W], kernel, stride, dilation, padding, output or undefined]. */
const CASES: Case[] = (
  [
    ["3x3 valid", 3, [7, 9], [3, 3], [1, 1], [1, 1], [0, 0], undefined],
    ["5x5 pad 2 (conv same)", 5, [11, 13], [5, 5], [1, 1], [1, 1], [2, 2], undefined],
    ["2x2 stride 2 (pool)", 4, [9, 8], [2, 2], [2, 2], [1, 1], [0, 0], undefined],
    ["3x2 stride 2x3 pad 1", 2, [10, 11], [3, 2], [2, 3], [1, 1], [1, 1], undefined],
    ["dilation 2x3 pad 1", 3, [12, 13], [2, 3], [1, 2], [2, 3], [1, 1], undefined],
    ["asymmetric: same with even kernel", 2, [6, 7], [4, 2], [1, 1], [1, 1], [1, 0], [6, 7]],
    ["ceil mode: last window past the input", 2, [7, 7], [3, 3], [2, 2], [1, 1], [1, 1], [4, 4]],
    ["1xk (1-d)", 3, [1, 17], [1, 3], [1, 2], [1, 2], [0, 1], undefined],
    ["window larger than stride, big", 7, [31, 29], [5, 5], [2, 1], [1, 1], [2, 2], undefined],
  ] as const
).map(([name, planes, input, kernel, stride, dilation, padding, output]) => ({
  name,
  planes,
  windows: windows2d(input, { kernel, stride, dilation }, padding, output),
}));

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** [P, H, W] random float32 planes, dense at an offset or transposed (H and W swapped in memory). */
function planes(c: Case, rand: () => number, layout: "dense" | "transposed"): StridedView {
  const [H, W] = c.windows.input;
  const offset = 3;
  const data = new Float32Array(offset + c.planes * H * W + 2);
  for (let i = 0; i < data.length; i++) data[i] = rand() * 4;
  const strides = layout === "dense" ? [H * W, W, 1] : [H * W, 1, H];
  return { data, shape: [c.planes, H, W], strides, offset };
}

/** Max-pooling input with ties, NaN and -Infinity among small integers. */
function specialPlanes(c: Case, rand: () => number, layout: "dense" | "transposed"): StridedView {
  const view = planes(c, rand, layout);
  const data = view.data as Float32Array;
  for (let i = 0; i < data.length; i++) {
    const r = rand();
    data[i] = r < -0.8 ? Number.NaN : r < -0.5 ? -Infinity : Math.round(r * 2);
  }
  return view;
}

describe("window kernels: every backend vs the reference", () => {
  for (const { label, backend } of conformanceBackends()) {
    for (const c of CASES) {
      const [kH, kW] = c.windows.kernel;
      const [oH, oW] = c.windows.output;
      const colsShape = [c.planes, kH, kW, oH, oW];
      for (const layout of ["dense", "transposed"] as const) {
        it(`im2col ${c.name}, ${layout} [${label}]`, () => {
          const x = planes(c, rng(1), layout);
          const got = new Float32Array(numel(colsShape));
          const want = new Float32Array(numel(colsShape));
          backend.im2col(x, c.windows, got);
          reference.im2col(x, c.windows, want);
          assert.deepEqual(got, want);
        });

        it(`maxPool2d ${c.name}, ${layout}, ties/NaN/-inf [${label}]`, () => {
          for (const x of [planes(c, rng(2), layout), specialPlanes(c, rng(3), layout)]) {
            const n = c.planes * oH * oW;
            const [gotV, wantV] = [new Float32Array(n), new Float32Array(n)];
            const [gotI, wantI] = [new Int32Array(n), new Int32Array(n)];
            backend.maxPool2d(x, c.windows, gotV, gotI);
            reference.maxPool2d(x, c.windows, wantV, wantI);
            assert.deepEqual(gotV, wantV);
            assert.deepEqual(gotI, wantI);
          }
        });
      }

      it(`col2im ${c.name} [${label}]`, () => {
        const rand = rng(4);
        const offset = 5;
        const data = new Float32Array(offset + numel(colsShape));
        for (let i = 0; i < data.length; i++) data[i] = rand();
        const strides = colsShape.map((_, d) => numel(colsShape.slice(d + 1)));
        const cols: StridedView = { data, shape: colsShape, strides, offset };
        const [H, W] = c.windows.input;
        const got = new Float32Array(c.planes * H * W).fill(7); // overwritten, not added to
        const want = new Float32Array(c.planes * H * W);
        backend.col2im(cols, c.windows, got);
        reference.col2im(cols, c.windows, want);
        assert.deepEqual(got, want);
      });

      it(`float64 falls back to the same numbers: im2col/col2im/maxPool2d ${c.name} [${label}]`, () => {
        const x32 = planes(c, rng(5), "dense");
        const x: StridedView = { ...x32, data: Float64Array.from(x32.data) };
        const cols = new Float64Array(numel(colsShape));
        const want = new Float64Array(numel(colsShape));
        backend.im2col(x, c.windows, cols);
        reference.im2col(x, c.windows, want);
        assert.deepEqual(cols, want);
        const strides = colsShape.map((_, d) => numel(colsShape.slice(d + 1)));
        const colsView: StridedView = { data: cols, shape: colsShape, strides, offset: 0 };
        const [H, W] = c.windows.input;
        const [gotF, wantF] = [
          new Float64Array(c.planes * H * W),
          new Float64Array(c.planes * H * W),
        ];
        backend.col2im(colsView, c.windows, gotF);
        reference.col2im(colsView, c.windows, wantF);
        assert.deepEqual(gotF, wantF);
      });
    }
  }
});

describe("reference window kernels: hand-checked cases", () => {
  it("im2col pads with zeros and col2im counts each position's windows", () => {
    // One 3x3 plane, 3x3 kernel, padding 1: 9 windows; col2im of ones gives the cover counts.
    const w = windows2d([3, 3], { kernel: [3, 3], stride: [1, 1], dilation: [1, 1] }, [1, 1]);
    const x: StridedView = {
      data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]),
      shape: [1, 3, 3],
      strides: [9, 3, 1],
      offset: 0,
    };
    const cols = new Float32Array(81);
    reference.im2col(x, w, cols);
    // Kernel position (0, 0) sees x shifted down-right by one: the top row and left column are 0.
    assert.deepEqual([...cols.subarray(0, 9)], [0, 0, 0, 0, 1, 2, 0, 4, 5]);
    const ones: StridedView = {
      data: new Float32Array(81).fill(1),
      shape: [1, 3, 3, 3, 3],
      strides: [81, 27, 9, 3, 1],
      offset: 0,
    };
    const counts = new Float32Array(9);
    reference.col2im(ones, w, counts);
    assert.deepEqual([...counts], [4, 6, 4, 6, 9, 6, 4, 6, 4]);
  });

  it("maxPool2d: ties give the first, NaN the last NaN, all -inf the first in-input position", () => {
    const w = windows2d([2, 4], { kernel: [2, 2], stride: [2, 2], dilation: [1, 1] });
    // Window 0: columns 0-1 (ties of 5); window 1: columns 2-3 (two NaN).
    const x: StridedView = {
      data: Float32Array.from([5, 1, Number.NaN, 9, 2, 5, 3, Number.NaN]),
      shape: [1, 2, 4],
      strides: [8, 4, 1],
      offset: 0,
    };
    const v = new Float32Array(2);
    const i = new Int32Array(2);
    reference.maxPool2d(x, w, v, i);
    assert.deepEqual([...v], [5, Number.NaN]);
    assert.deepEqual([...i], [0, 7]);
    const padded = windows2d([2, 2], { kernel: [2, 2], stride: [1, 1], dilation: [1, 1] }, [1, 1]);
    const inf: StridedView = {
      ...x,
      data: new Float32Array(4).fill(-Infinity),
      shape: [1, 2, 2],
      strides: [4, 2, 1],
    };
    const v2 = new Float32Array(9);
    const i2 = new Int32Array(9);
    reference.maxPool2d(inf, padded, v2, i2);
    assert.deepEqual([...i2], [0, 0, 1, 0, 0, 1, 2, 2, 3]);
  });
});
