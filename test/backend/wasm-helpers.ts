import assert from "node:assert/strict";
import type { StridedView } from "../../src/backend/backend.js";

/** A small seeded generator (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A float32 buffer of `length` values in [-1, 1). */
export function randomF32(length: number, next: () => number): Float32Array {
  return Float32Array.from({ length }, () => next() * 2 - 1);
}

export function view(
  data: Float32Array,
  shape: number[],
  strides: number[],
  offset = 0,
): StridedView {
  return { data, shape, strides, offset };
}

export function rowMajor(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let d = shape.length - 1, acc = 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

/** |got - want| <= atol + rtol * scale[i] (scale defaults to |want|), NaN equal to NaN. */
export function assertAllClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  rtol: number,
  atol: number,
  label: string,
  scale?: ArrayLike<number>,
): void {
  assert.equal(got.length, want.length, `${label}: length`);
  for (let i = 0; i < want.length; i++) {
    const a = got[i]!;
    const b = want[i]!;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      assert.equal(a, b, `${label}: element ${i}: got ${a}, expected ${b}`);
      continue;
    }
    const s = scale ? scale[i]! : Math.abs(b);
    assert.ok(
      Math.abs(a - b) <= atol + rtol * s,
      `${label}: element ${i}: got ${a}, expected ${b}`,
    );
  }
}
