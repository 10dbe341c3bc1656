// Shared pieces of the native backend tests: seeded random views and a tolerance check.
import assert from "node:assert/strict";
import type { StridedView } from "../../src/backend/backend.js";

/** Deterministic uniform numbers in [-1, 1) (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

type FloatArrayCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/**
 * A rows x cols matrix view, stored transposed (column-major) or not, with padding between rows
 * and a leading offset, filled with random numbers (the padding too, so reading it shows up).
 */
export function matrixView(
  rows: number,
  cols: number,
  transposed: boolean,
  rand: () => number,
  ctor: FloatArrayCtor = Float32Array,
  pad = 0,
  offset = 0,
): StridedView {
  const ld = (transposed ? rows : cols) + pad;
  const outer = transposed ? cols : rows;
  const data = new ctor(offset + outer * ld);
  for (let i = 0; i < data.length; i++) data[i] = rand();
  const strides = transposed ? [1, ld] : [ld, 1];
  return { data, shape: [rows, cols], strides, offset };
}

/** A dense random vector view of n elements starting at `offset`. */
export function denseView(n: number, rand: () => number, offset = 0, scale = 1): StridedView {
  const data = new Float32Array(offset + n);
  for (let i = 0; i < data.length; i++) data[i] = rand() * scale;
  return { data, shape: [n], strides: [1], offset };
}

/** Elementwise |got - want| <= atol + rtol * |want| (NaN matches NaN, an infinity itself). */
export function assertAllClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  rtol: number,
  atol: number,
  label: string,
): void {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    const a = got[i]!;
    const b = want[i]!;
    if ((Number.isNaN(a) && Number.isNaN(b)) || a === b) continue;
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
      assert.fail(`${label}: element ${i}: got ${a}, expected ${b}`);
    }
  }
}
