import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  arange,
  Generator,
  manualSeed,
  NotImplementedError,
  rand,
  Tensor,
  ValueError,
} from "../../src/index.js";
import {
  BatchSampler,
  DataLoader,
  IterableDataset,
  SequentialSampler,
  TensorDataset,
} from "../../src/data/index.js";
import type { MapDataset } from "../../src/data/index.js";
import { loadFixture } from "../helpers/fixtures.js";
import * as torch from "../../src/index.js";

function range(n: number): MapDataset<number> {
  return { length: n, get: (i) => i };
}

/** Every batch of a pass as plain arrays. */
function pass(loader: Iterable<Tensor>): number[][] {
  return [...loader].map((b) => b.tolist() as number[]);
}

interface LoaderCase {
  kind: "generator" | "default" | "sequential";
  n: number;
  batchSize: number;
  dropLast: boolean;
  seed: number;
  length: number;
  epochs: number[][][];
  after: number[];
}

describe("DataLoader order", () => {
  it("without shuffle: sequential batches, last one short", () => {
    const loader = new DataLoader(range(7), { batchSize: 3 });
    assert.equal(loader.length, 3);
    assert.deepEqual(pass(loader), [[0, 1, 2], [3, 4, 5], [6]]);
  });

  it("dropLast drops the short batch and shortens length", () => {
    const loader = new DataLoader(range(7), { batchSize: 3, dropLast: true });
    assert.equal(loader.length, 2);
    assert.deepEqual(pass(loader), [
      [0, 1, 2],
      [3, 4, 5],
    ]);
    assert.equal(new DataLoader(range(6), { batchSize: 3, dropLast: true }).length, 2);
    assert.equal(new DataLoader(range(6), { batchSize: 4 }).length, 2);
    assert.equal(new DataLoader(range(6)).length, 6);
  });

  it("shuffle: every index once per pass, the same order for the same seed", () => {
    const a = new DataLoader(range(50), {
      batchSize: 8,
      shuffle: true,
      generator: new Generator().manualSeed(9),
    });
    const b = new DataLoader(range(50), {
      batchSize: 8,
      shuffle: true,
      generator: new Generator().manualSeed(9),
    });
    const pa = pass(a);
    assert.deepEqual(pa, pass(b));
    assert.deepEqual(
      pa.map((x) => x.length),
      [8, 8, 8, 8, 8, 8, 2],
    );
    assert.deepEqual(
      pa.flat().sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.notDeepEqual(
      pa.flat(),
      Array.from({ length: 50 }, (_, i) => i),
    );
    // A new pass reshuffles.
    assert.notDeepEqual(pass(a), pa);
  });

  const { cases } = loadFixture<{ cases: LoaderCase[] }>("data", "loader");
  for (const c of cases) {
    it(`${c.kind} n=${c.n} batchSize=${c.batchSize} dropLast=${c.dropLast} seed ${c.seed}: PyTorch's batches over two passes`, () => {
      let generator: Generator | undefined;
      if (c.kind === "generator") generator = new Generator().manualSeed(c.seed);
      else manualSeed(c.seed);
      const loader = new DataLoader(range(c.n), {
        batchSize: c.batchSize,
        shuffle: c.kind !== "sequential",
        dropLast: c.dropLast,
        generator,
      });
      assert.equal(loader.length, c.length);
      assert.deepEqual([pass(loader), pass(loader)], c.epochs);
      // The generator (or the default one) moved exactly as PyTorch's did.
      assert.deepEqual(rand([2], generator ? { generator } : {}).tolist(), c.after);
    });
  }
});

describe("DataLoader batches", () => {
  it("is exported as torch.data", () => {
    assert.equal(torch.data.DataLoader, DataLoader);
    assert.equal(typeof torch.data.transforms.ToTensor, "function");
  });

  it("collates TensorDataset rows into stacked tensors", () => {
    const x = arange(12, { dtype: "float32" }).reshape(6, 2);
    const y = arange(6);
    const batches = [...new DataLoader(new TensorDataset(x, y), { batchSize: 4 })];
    assert.equal(batches.length, 2);
    const [xb, yb] = batches[0]!;
    assert.deepEqual(xb!.shape, [4, 2]);
    assert.equal(xb!.dtype, "float32");
    assert.deepEqual(yb!.tolist(), [0, 1, 2, 3]);
    assert.deepEqual(batches[1]![0]!.tolist(), [
      [8, 9],
      [10, 11],
    ]);
  });

  it("uses a custom collateFn and a custom sampler / batchSampler", () => {
    const loader = new DataLoader(range(6), {
      batchSize: 2,
      sampler: [5, 4, 3, 2, 1, 0],
      collateFn: (s) => s.join("+"),
    });
    assert.deepEqual([...loader], ["5+4", "3+2", "1+0"]);
    const bs = new BatchSampler(new SequentialSampler({ length: 5 }), 4, false);
    const viaBatches = new DataLoader(range(5), { batchSampler: bs, collateFn: (s) => s });
    assert.deepEqual([...viaBatches], [[0, 1, 2, 3], [4]]);
    assert.equal(viaBatches.length, 2);
  });

  it("refuses option combinations PyTorch refuses", () => {
    assert.throws(
      () => new DataLoader(range(4), { sampler: [0, 1], shuffle: true }),
      (e: Error) =>
        e instanceof ValueError &&
        e.message === "sampler option is mutually exclusive with shuffle",
    );
    assert.throws(
      () => new DataLoader(range(4), { batchSampler: [[0]], batchSize: 2 }),
      /batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last/,
    );
    assert.throws(
      () => new DataLoader(range(4), { batchSize: 0 }),
      /batch_size should be a positive integer value/,
    );
    assert.throws(
      () => new DataLoader(range(4), { numWorkers: 2 as 0 }),
      (e: Error) => e instanceof NotImplementedError && /numWorkers/.test(e.message),
    );
  });
});

class Counter extends IterableDataset<number> {
  constructor(readonly n: number) {
    super();
  }
  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.n; i++) yield i * 10;
  }
}

class AsyncCounter extends IterableDataset<number> {
  async *[Symbol.asyncIterator](): AsyncIterator<number> {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      yield i;
    }
  }
}

describe("DataLoader over iterable and async datasets", () => {
  it("batches a sync IterableDataset with for...of and for await", async () => {
    const loader = new DataLoader(new Counter(5), { batchSize: 2 });
    assert.deepEqual(pass(loader), [[0, 10], [20, 30], [40]]);
    const got: number[][] = [];
    for await (const b of loader) got.push(b.tolist() as number[]);
    assert.deepEqual(got, [[0, 10], [20, 30], [40]]);
    assert.deepEqual(pass(new DataLoader(new Counter(5), { batchSize: 2, dropLast: true })), [
      [0, 10],
      [20, 30],
    ]);
    assert.throws(() => new DataLoader(new Counter(5)).length, /no length/);
  });

  it("batches an async IterableDataset with for await only", async () => {
    const loader = new DataLoader(new AsyncCounter(), { batchSize: 3 });
    const got: number[][] = [];
    for await (const b of loader) got.push(b.tolist() as number[]);
    assert.deepEqual(got, [
      [0, 1, 2],
      [3, 4],
    ]);
    assert.throws(() => [...loader], /use `for await`/);
  });

  it("awaits a map-style dataset whose get is async, in sampler order", async () => {
    const slow: MapDataset<Promise<number>> = {
      length: 5,
      get: async (i) => {
        await new Promise((r) => setTimeout(r, (5 - i) * 2));
        return i * i;
      },
    };
    const loader = new DataLoader(slow, { batchSize: 2 });
    const got: number[][] = [];
    for await (const b of loader) got.push(b.tolist() as number[]);
    assert.deepEqual(got, [[0, 1], [4, 9], [16]]);
    assert.throws(() => [...loader], /returned a promise: use `for await`/);
  });

  it("refuses shuffle and samplers for iterable datasets", () => {
    assert.throws(
      () => new DataLoader(new Counter(3), { shuffle: true }),
      /DataLoader with IterableDataset: expected unspecified shuffle option/,
    );
    assert.throws(
      () => new DataLoader(new Counter(3), { sampler: [0] }),
      /expected unspecified sampler option/,
    );
  });
});
