import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  arange,
  Generator,
  IndexError,
  rand,
  ShapeError,
  tensor,
  ValueError,
} from "../../src/index.js";
import { ConcatDataset, randomSplit, Subset, TensorDataset } from "../../src/data/index.js";
import type { MapDataset } from "../../src/data/index.js";
import { loadFixture } from "../helpers/fixtures.js";

/** range(n) as a map-style dataset, like the Python `range` the fixtures split. */
function range(n: number): MapDataset<number> {
  return { length: n, get: (i) => i };
}

interface SplitCase {
  n: number;
  lengths: number[];
  seed: number;
  indices: number[][];
  after: number[];
}

describe("TensorDataset", () => {
  it("gives row i of every tensor", () => {
    const ds = new TensorDataset(arange(6).reshape(3, 2), tensor([10, 11, 12]));
    assert.equal(ds.length, 3);
    const [x, y] = ds.get(1);
    assert.deepEqual(x!.tolist(), [2, 3]);
    assert.equal(y!.item(), 11);
    assert.deepEqual(ds.get(-1)[1]!.item(), 12);
  });

  it("refuses tensors of different first sizes with PyTorch's message", () => {
    assert.throws(
      () => new TensorDataset(arange(3), arange(4)),
      (e: Error) => e instanceof ShapeError && e.message === "Size mismatch between tensors",
    );
  });

  it("throws IndexError past the end", () => {
    assert.throws(() => new TensorDataset(arange(3)).get(3), IndexError);
  });
});

describe("Subset and ConcatDataset", () => {
  it("Subset reads through its indices", () => {
    const s = new Subset(range(10), [7, 2, 5]);
    assert.equal(s.length, 3);
    assert.deepEqual(
      [0, 1, 2, -1].map((i) => s.get(i)),
      [7, 2, 5, 5],
    );
    assert.throws(() => s.get(3), IndexError);
  });

  it("ConcatDataset chains datasets, negative indices from the end", () => {
    const c = new ConcatDataset([range(2), new Subset(range(10), [9, 8, 7]), range(1)]);
    assert.equal(c.length, 6);
    assert.deepEqual(c.cumulativeSizes, [2, 5, 6]);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((i) => c.get(i)),
      [0, 1, 9, 8, 7, 0],
    );
    assert.equal(c.get(-4), 9);
    assert.throws(() => c.get(-7), /absolute value of index should not exceed dataset length/);
    assert.throws(() => c.get(6), IndexError);
    assert.throws(() => new ConcatDataset([]), /datasets should not be an empty iterable/);
  });
});

describe("randomSplit", () => {
  const { cases } = loadFixture<{ cases: SplitCase[] }>("data", "split");
  for (const c of cases) {
    it(`n=${c.n} lengths=[${c.lengths.join(", ")}] seed ${c.seed}: PyTorch's indices`, () => {
      const g = new Generator().manualSeed(c.seed);
      const parts = randomSplit(range(c.n), c.lengths, { generator: g });
      assert.deepEqual(
        parts.map((p) => p.indices),
        c.indices,
      );
      assert.deepEqual(
        parts.map((p) => Array.from({ length: p.length }, (_, i) => p.get(i))),
        c.indices,
      );
      // The generator moved exactly as PyTorch's did.
      assert.deepEqual(rand([2], { generator: g }).tolist(), c.after);
    });
  }

  it("refuses lengths that do not add up and bad fractions", () => {
    assert.throws(
      () => randomSplit(range(10), [3, 3]),
      (e: Error) =>
        e instanceof ValueError &&
        e.message === "Sum of input lengths does not equal the length of the input dataset!",
    );
    assert.throws(
      () => randomSplit(range(10), [1.5, -0.5]),
      /Fraction at index 0 is not between 0 and 1/,
    );
  });
});
