import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Generator, manualSeed, rand, ValueError } from "../../src/index.js";
import {
  BatchSampler,
  RandomSampler,
  SequentialSampler,
  SubsetRandomSampler,
} from "../../src/data/index.js";
import { loadFixture } from "../helpers/fixtures.js";

interface Samplers {
  replacement: { n: number; numSamples: number; seed: number; order: number[]; after: number[] };
  numSamples: { n: number; numSamples: number; seed: number; order: number[]; after: number[] };
  subset: { indices: number[]; seed: number; order: number[]; after: number[] };
  batch: { n: number; seed: number; batchSize: number; batches: number[][] };
}

const fx = loadFixture<Samplers>("data", "samplers");

describe("samplers", () => {
  it("SequentialSampler yields 0..n-1", () => {
    const s = new SequentialSampler({ length: 4 });
    assert.deepEqual([...s], [0, 1, 2, 3]);
    assert.equal(s.length, 4);
  });

  it("RandomSampler with replacement: PyTorch's order (randint in chunks of 32)", () => {
    const c = fx.replacement;
    const g = new Generator().manualSeed(c.seed);
    const s = new RandomSampler(
      { length: c.n },
      { replacement: true, numSamples: c.numSamples, generator: g },
    );
    assert.equal(s.length, c.numSamples);
    assert.deepEqual([...s], c.order);
    assert.deepEqual(rand([2], { generator: g }).tolist(), c.after);
  });

  it("RandomSampler with numSamples > n: whole permutations then a cut one", () => {
    const c = fx.numSamples;
    const g = new Generator().manualSeed(c.seed);
    const s = new RandomSampler({ length: c.n }, { numSamples: c.numSamples, generator: g });
    assert.deepEqual([...s], c.order);
    assert.deepEqual(rand([2], { generator: g }).tolist(), c.after);
  });

  it("SubsetRandomSampler: PyTorch's order of the given indices", () => {
    const c = fx.subset;
    const g = new Generator().manualSeed(c.seed);
    const s = new SubsetRandomSampler(c.indices, { generator: g });
    assert.equal(s.length, c.indices.length);
    assert.deepEqual([...s], c.order);
    assert.deepEqual(rand([2], { generator: g }).tolist(), c.after);
  });

  it("BatchSampler over a RandomSampler: PyTorch's batches", () => {
    const c = fx.batch;
    const g = new Generator().manualSeed(c.seed);
    const b = new BatchSampler(
      new RandomSampler({ length: c.n }, { generator: g }),
      c.batchSize,
      false,
    );
    assert.deepEqual([...b], c.batches);
  });

  it("BatchSampler lengths and dropLast", () => {
    const seq = new SequentialSampler({ length: 5 });
    assert.deepEqual([...new BatchSampler(seq, 2, false)], [[0, 1], [2, 3], [4]]);
    assert.deepEqual(
      [...new BatchSampler(seq, 2, true)],
      [
        [0, 1],
        [2, 3],
      ],
    );
    assert.equal(new BatchSampler(seq, 2, false).length, 3);
    assert.equal(new BatchSampler(seq, 2, true).length, 2);
    assert.equal(new BatchSampler(seq, 5, true).length, 1);
  });

  it("refuses bad arguments with PyTorch's messages", () => {
    const seq = new SequentialSampler({ length: 5 });
    assert.throws(
      () => new BatchSampler(seq, 0, false),
      (e: Error) =>
        e instanceof ValueError &&
        e.message === "batch_size should be a positive integer value, but got batch_size=0",
    );
    assert.throws(
      () => new BatchSampler(seq, 2.5, false),
      /batch_size should be a positive integer/,
    );
    assert.throws(
      () => new RandomSampler({ length: 3 }, { numSamples: 0 }),
      /num_samples should be a positive integer value, but got num_samples=0/,
    );
  });

  it("without a generator, same default seed gives the same order", () => {
    manualSeed(3);
    const a = [...new RandomSampler({ length: 20 })];
    manualSeed(3);
    const b = [...new RandomSampler({ length: 20 })];
    assert.deepEqual(a, b);
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, i) => i),
    );
  });
});
