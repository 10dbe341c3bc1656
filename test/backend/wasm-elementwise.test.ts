import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { BinaryOp, StridedView, UnaryOp } from "../../src/backend/backend.js";
import { ReferenceBackend } from "../../src/backend/reference/index.js";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { assertAllClose, randomF32, rng, rowMajor, view } from "./wasm-helpers.js";

const reference = new ReferenceBackend();
const forced = new WasmBackend({
  variant: "simd",
  thresholds: { binary: 0, unary: 0, transcendental: 0, reduce: 0 },
});
const next = rng(7);
const special = [
  0,
  -0,
  1,
  -1,
  NaN,
  Infinity,
  -Infinity,
  1e-30,
  -1e-30,
  1e-40,
  88.8,
  -88.8,
  100,
  -104,
  0.5,
  2.5,
  -2.5,
  1e-5,
];

function dense(shape: number[], scale = 1): StridedView {
  const n = shape.reduce((p, s) => p * s, 1);
  const data = randomF32(n + 2, next).map((v) => v * scale);
  return view(data, shape, rowMajor(shape), 2);
}

describe("wasm binary kernels", () => {
  const ops: BinaryOp[] = ["add", "sub", "mul", "div", "maximum", "minimum"];
  const shape = [3, 5, 17];
  const row = dense([17]);
  const col = dense([15]);
  const cases: [string, StridedView, StridedView][] = [
    ["contiguous", dense(shape), dense(shape)],
    ["broadcast row", dense(shape), { ...row, shape, strides: [0, 0, 1] }],
    ["row op matrix", { ...row, shape, strides: [0, 0, 1] }, dense(shape)],
    ["broadcast column", dense(shape), { ...col, shape, strides: [5, 1, 0] }],
    ["scalar", dense(shape), view(new Float32Array([0.75]), shape, [0, 0, 0])],
    // A transposed operand has column stride != 1: the reference kernel must take it.
    ["transposed", dense([17, 15]), { ...dense([15, 17]), shape: [17, 15], strides: [1, 17] }],
    [
      "specials",
      view(Float32Array.from(special), [special.length], [1]),
      view(Float32Array.from(special).reverse(), [special.length], [1]),
    ],
  ];
  for (const op of ops) {
    it(`${op} matches the reference on every operand layout`, () => {
      for (const [label, a, b] of cases) {
        const n = a.shape.reduce((p, s) => p * s, 1);
        const got = new Float32Array(n + 1).fill(3);
        const want = new Float32Array(n);
        forced.binary(op, a, b, got.subarray(0, n));
        reference.binary(op, a, b, want);
        assertAllClose(got.subarray(0, n), want, 0, 0, `${op} ${label}`);
        assert.equal(got[n], 3, `${op} ${label}: wrote past out`);
      }
    });
  }
});

describe("wasm unary kernels", () => {
  const ops: UnaryOp[] = [
    "neg",
    "abs",
    "sqrt",
    "rsqrt",
    "reciprocal",
    "relu",
    "floor",
    "ceil",
    "round",
    "trunc",
    "exp",
    "log",
    "sigmoid",
    "tanh",
  ];
  for (const op of ops) {
    it(`${op} matches the reference to float32 rounding, special values included`, () => {
      const inputs = [
        dense([1000], 20),
        dense([37], 1e-3),
        view(Float32Array.from(special), [special.length], [1]),
      ];
      for (const x of inputs) {
        const n = x.shape[0]!;
        const got = new Float32Array(n);
        const want = new Float32Array(n);
        forced.unary(op, x, got);
        reference.unary(op, x, want);
        // exp/log/... are rounded once from float64 in both; allow one float32 ulp (6e-8).
        assertAllClose(got, want, 1.2e-7, 1e-45, op);
      }
    });
  }
  it("takes non-contiguous input through the reference kernel", () => {
    const x = { ...dense([8, 8]), strides: [1, 8] };
    const got = new Float32Array(64);
    const want = new Float32Array(64);
    forced.unary("exp", x, got);
    reference.unary("exp", x, want);
    assertAllClose(got, want, 0, 0, "transposed exp");
  });
});

describe("wasm reductions", () => {
  for (const op of ["sum", "max"] as const) {
    it(`${op} over trailing and leading dims matches the reference`, () => {
      const x = dense([6, 7, 33], 100);
      const cases: number[][] = [[2], [1, 2], [0], [0, 1], [0, 1, 2], [1]];
      for (const axes of cases) {
        const kept = x.shape.filter((_, d) => !axes.includes(d));
        const n = kept.reduce((p, s) => p * s, 1);
        const got = new Float32Array(n);
        const want = new Float32Array(n);
        forced.reduce(op, x, axes, got);
        reference.reduce(op, x, axes, want);
        assertAllClose(got, want, 1e-6, 1e-5, `${op} over ${axes}`);
      }
    });
  }
  it("propagates NaN through max and sum", () => {
    const data = randomF32(64, next);
    data[37] = NaN;
    const x = view(data, [4, 16], [16, 1]);
    for (const op of ["sum", "max"] as const) {
      for (const axes of [[1], [0]]) {
        const n = axes[0] === 1 ? 4 : 16;
        const got = new Float32Array(n);
        const want = new Float32Array(n);
        forced.reduce(op, x, axes, got);
        reference.reduce(op, x, axes, want);
        assertAllClose(got, want, 1e-6, 0, `${op} ${axes}`);
      }
    }
  });
});
