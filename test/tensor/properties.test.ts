// Property-based tests (fast-check) of shapes and views: broadcastShapes against a naive
// reference, round trips of reshape/permute/transpose, views against contiguous copies, expand
// against a repeat written by hand. Small shapes and a fixed seed keep each run short and
// reproducible.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as torch from "../../src/index.js";
import type { NestedArray, Tensor } from "../../src/index.js";

const params = { numRuns: 150, seed: 20240601 };

/** Broadcasting as the NumPy docs state it, one aligned dim at a time; null if incompatible. */
function naiveBroadcast(a: number[], b: number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

const dimSize = fc.integer({ min: 0, max: 4 });
const shapeArb = fc.array(dimSize, { minLength: 0, maxLength: 4 });

/** Two shapes that often broadcast: the second derived from the first by dropping/1-ing dims. */
const shapePair = fc.oneof(
  fc.tuple(shapeArb, shapeArb),
  shapeArb.chain((s) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
        fc.integer({ min: 0, max: s.length }),
      )
      .map(([ones, drop]): [number[], number[]] => [
        s,
        s.map((d, i) => (ones[i] ? 1 : d)).slice(drop),
      ]),
  ),
);

/** A tensor of `shape` holding 0, 1, 2, ... (so every element is distinguishable). */
const iota = (shape: number[]): Tensor =>
  torch
    .arange(
      shape.reduce((a, b) => a * b, 1),
      { dtype: "float32" },
    )
    .reshape(shape);

/** The element of nested lists at `index`. */
function at(list: NestedArray<number | boolean>, index: number[]): number | boolean {
  let cur = list;
  for (const i of index) cur = (cur as NestedArray<number | boolean>[])[i]!;
  return cur as number | boolean;
}

/** Every index of `shape`, row-major. */
function* indices(shape: number[]): Generator<number[]> {
  if (shape.some((s) => s === 0)) return;
  const idx = shape.map(() => 0);
  for (;;) {
    yield [...idx];
    let d = shape.length - 1;
    while (d >= 0 && ++idx[d]! === shape[d]) idx[d--] = 0;
    if (d < 0) return;
  }
}

const permutationOf = (n: number): fc.Arbitrary<number[]> =>
  fc.array(fc.double({ noNaN: true }), { minLength: n, maxLength: n }).map((keys) =>
    keys
      .map((k, i) => [k, i] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, i]) => i),
  );

describe("shape properties", () => {
  it("broadcastShapes agrees with a naive reference (and throws exactly when it is null)", () => {
    fc.assert(
      fc.property(shapePair, ([a, b]) => {
        const want = naiveBroadcast(a, b);
        if (want === null) {
          assert.throws(() => torch.broadcastShapes(a, b), { name: "ShapeError" });
          assert.throws(() => torch.add(torch.zeros(a), torch.zeros(b)), { name: "ShapeError" });
        } else {
          assert.deepEqual(torch.broadcastShapes(a, b), want);
          assert.deepEqual(torch.broadcastShapes(b, a), want);
          assert.deepEqual([...torch.add(torch.zeros(a), torch.zeros(b)).shape], want);
        }
      }),
      params,
    );
  });

  it("permute then the inverse permutation gives back the same values", () => {
    const arb = shapeArb.chain((s) => fc.tuple(fc.constant(s), permutationOf(s.length)));
    fc.assert(
      fc.property(arb, ([shape, perm]) => {
        const x = iota(shape);
        const p = x.permute(perm);
        const inverse = perm.map((_, i) => perm.indexOf(i));
        assert.deepEqual(p.permute(inverse).tolist(), x.tolist());
        // And each element lands where the permutation says.
        const xs = x.tolist();
        const ps = p.tolist();
        for (const idx of indices([...p.shape])) {
          const src = new Array<number>(shape.length);
          perm.forEach((d, i) => (src[d] = idx[i]!));
          assert.equal(at(ps, idx), at(xs, src));
        }
      }),
      params,
    );
  });

  it("transpose twice and reshape there and back are identities", () => {
    const arb = fc
      .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
      .chain((s) =>
        fc.tuple(
          fc.constant(s),
          fc.integer({ min: 0, max: s.length - 1 }),
          fc.integer({ min: 0, max: s.length - 1 }),
        ),
      );
    fc.assert(
      fc.property(arb, ([shape, a, b]) => {
        const x = iota(shape);
        assert.deepEqual(x.transpose(a, b).transpose(a, b).tolist(), x.tolist());
        assert.deepEqual(x.transpose(a, b).transpose(b, a).tolist(), x.tolist());
        const t = x.transpose(a, b);
        assert.deepEqual(t.reshape(-1).reshape(t.shape).tolist(), t.tolist());
        assert.deepEqual([...t.flatten().toArray()], [...t.contiguous().toArray()]);
      }),
      params,
    );
  });

  it("a strided view and its contiguous copy hold equal values", () => {
    const arb = fc
      .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 })
      .chain((s) =>
        fc.tuple(
          fc.constant(s),
          permutationOf(s.length),
          fc.integer({ min: 0, max: s.length - 1 }),
          fc.integer({ min: 1, max: 3 }),
        ),
      );
    fc.assert(
      fc.property(arb, ([shape, perm, dim, step]) => {
        const v = iota(shape).permute(perm).slice(dim, 0, Infinity, step);
        const c = v.contiguous();
        assert.ok(c.isContiguous());
        assert.deepEqual(c.tolist(), v.tolist());
        assert.deepEqual([...c.toArray()], [...v.toArray()]);
        // Writing through the view shows in its base: the base's total drops by twice the
        // view's (a clone, since contiguous() of a contiguous view is the view itself).
        const base = v.base ?? v;
        const before = base.sum().item();
        const copy = v.clone();
        torch.noGrad(() => v.mul_(-1));
        assert.deepEqual(v.tolist(), copy.neg().tolist());
        assert.equal(base.sum().item(), before - 2 * copy.sum().item());
      }),
      params,
    );
  });

  it("expand then contiguous equals repeating by hand", () => {
    const arb = fc
      .array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 3 })), { minLength: 0, maxLength: 3 })
      .chain((dims) =>
        fc.tuple(fc.constant(dims), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 })),
      );
    fc.assert(
      fc.property(arb, ([dims, lead]) => {
        // Each dim is either size 1 (to be expanded to `size`) or already `size`.
        const shape = dims.map(([one, size]) => (one ? 1 : size));
        const target = [...lead, ...dims.map(([, size]) => size)];
        const x = iota(shape);
        const e = x.expand(target);
        const xs = x.tolist();
        const es = e.contiguous().tolist();
        for (const idx of indices(target)) {
          const src = idx.slice(lead.length).map((i, d) => (shape[d] === 1 ? 0 : i));
          assert.equal(at(es, idx), at(xs, src));
        }
        assert.deepEqual([...e.shape], target);
      }),
      params,
    );
  });
});
