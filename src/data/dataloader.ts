/**
 * DataLoader, as torch.utils.data.DataLoader with num_workers=0: batches of samples from a
 * dataset, in sampler order, put together by a collate function.
 */
import { NotImplementedError, ValueError } from "../errors.js";
import { defaultGenerator, type Generator as RandomGenerator } from "../random/generator.js";
import { defaultCollate, type Collated } from "./collate.js";
import { isMapDataset, type MapDataset } from "./dataset.js";
import {
  BatchSampler,
  drawSeed,
  RandomSampler,
  SequentialSampler,
  type Sampler,
} from "./sampler.js";

/**
 * Anything a DataLoader reads: a map-style dataset (whose `get` may be async) or an iterable one
 * (an IterableDataset subclass, or any sync or async iterable).
 */
export type DataSource<T> = MapDataset<T | PromiseLike<T>> | Iterable<T> | AsyncIterable<T>;

/** Options of DataLoader, PyTorch's keyword arguments in camelCase. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Reshuffle the indices at every pass (a RandomSampler; default false). */
  shuffle?: boolean;
  /** The order of the indices (exclusive with shuffle). */
  sampler?: Sampler<number>;
  /** Yields whole batches of indices (exclusive with batchSize, shuffle, sampler, dropLast). */
  batchSampler?: Sampler<number[]>;
  /** Drop the last batch when it is short (default false). */
  dropLast?: boolean;
  /** Puts a list of samples into a batch (default: defaultCollate). */
  collateFn?: (samples: T[]) => B;
  /** The generator of the shuffle and of the per-pass base seed (default: the default one). */
  generator?: RandomGenerator;
  /**
   * Only 0: torchlet loads in the calling thread. Worker processes (PyTorch's num_workers > 0)
   * are not supported; use an async dataset to overlap I/O with compute.
   */
  numWorkers?: 0;
}

type SyncIterableSource<T> = Iterable<T> & { readonly length?: number };
type AsyncIterableSource<T> = AsyncIterable<T> & { readonly length?: number };

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === "function"
  );
}

function hasIterator(d: unknown): d is Iterable<unknown> {
  return typeof (d as Iterable<unknown>)[Symbol.iterator] === "function";
}

function hasAsyncIterator(d: unknown): d is AsyncIterable<unknown> {
  return typeof (d as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

/**
 * Iterates a dataset in batches (torch.utils.data.DataLoader). Map-style datasets are read with
 * `for ... of` (or `for await`, needed when `get` returns promises); iterable datasets with
 * `for ... of` when they have a sync iterator, `for await` when they are async. `length` is the
 * number of batches. Every pass draws one 64-bit number from `generator` (the default generator
 * if none), as PyTorch draws its workers' base seed, so the random stream stays in step with a
 * PyTorch run seeded the same way.
 *
 * @example
 * const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 32, shuffle: true });
 * for (const [xb, yb] of loader) { ... }
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: DataSource<T>;
  readonly batchSize: number;
  readonly dropLast: boolean;
  readonly generator: RandomGenerator | undefined;
  readonly collateFn: (samples: T[]) => B;
  /** The index sampler (null for iterable datasets). */
  readonly sampler: Sampler<number> | null;
  /** The batch sampler (null for iterable datasets). */
  readonly batchSampler: Sampler<number[]> | null;

  constructor(dataset: DataSource<T>, options: DataLoaderOptions<T, B> = {}) {
    const { batchSize = 1, shuffle = false, sampler, batchSampler, dropLast = false } = options;
    if ((options.numWorkers as number | undefined) ?? 0) {
      throw new NotImplementedError(
        "DataLoader: numWorkers > 0 is not supported (torchlet loads in the calling thread); " +
          "use numWorkers: 0, or an async dataset to overlap loading with compute",
      );
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.generator = options.generator;
    this.collateFn = options.collateFn ?? ((s: T[]) => defaultCollate(s) as B);
    if (!isMapDataset(dataset)) {
      if (!hasIterator(dataset) && !hasAsyncIterator(dataset)) {
        throw new ValueError(
          "DataLoader: the dataset must have length and get(i), or be iterable (sync or async)",
        );
      }
      if (shuffle) {
        throw new ValueError(
          "DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=true",
        );
      }
      if (sampler) {
        throw new ValueError(
          "DataLoader with IterableDataset: expected unspecified sampler option, but got a sampler",
        );
      }
      if (batchSampler) {
        throw new ValueError(
          "DataLoader with IterableDataset: expected unspecified batch_sampler option, but got a batchSampler",
        );
      }
      // Validates batchSize and dropLast with BatchSampler's messages.
      new BatchSampler([], batchSize, dropLast);
      this.sampler = null;
      this.batchSampler = null;
      return;
    }
    if (sampler && shuffle)
      throw new ValueError("sampler option is mutually exclusive with shuffle");
    if (batchSampler) {
      if (batchSize !== 1 || shuffle || sampler || dropLast) {
        throw new ValueError(
          "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last",
        );
      }
      this.sampler = null;
      this.batchSampler = batchSampler;
      return;
    }
    this.sampler =
      sampler ??
      (shuffle
        ? new RandomSampler(dataset, { generator: options.generator })
        : new SequentialSampler(dataset));
    this.batchSampler = new BatchSampler(this.sampler, batchSize, dropLast);
  }

  /** The number of batches a pass yields. */
  get length(): number {
    if (this.batchSampler) {
      const n = this.batchSampler.length;
      if (n === undefined) throw new ValueError("DataLoader: the batch sampler has no length");
      return n;
    }
    const n = (this.dataset as { length?: number }).length;
    if (typeof n !== "number") {
      throw new ValueError("DataLoader: this iterable dataset has no length");
    }
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** A pass over the batches; map-style datasets with async `get` need `for await`. */
  [Symbol.iterator](): Iterator<B> {
    const dataset = this.dataset;
    if (!isMapDataset(dataset) && !hasIterator(dataset)) {
      throw new ValueError("DataLoader: this dataset is async-iterable only: use `for await`");
    }
    // PyTorch draws the base seed when the iterator is created, before any sample is read.
    drawSeed(this.generator ?? defaultGenerator);
    return isMapDataset<T>(dataset)
      ? this.mapBatches(dataset)
      : this.iterBatches(dataset as SyncIterableSource<T>);
  }

  /** A pass over the batches that awaits async samples and async iterable datasets. */
  [Symbol.asyncIterator](): AsyncIterator<B> {
    drawSeed(this.generator ?? defaultGenerator);
    const dataset = this.dataset;
    if (isMapDataset<T | PromiseLike<T>>(dataset)) return this.asyncMapBatches(dataset);
    if (hasAsyncIterator(dataset)) return this.asyncIterBatches(dataset as AsyncIterableSource<T>);
    return this.asyncFromSync(this.iterBatches(dataset as SyncIterableSource<T>));
  }

  private *mapBatches(dataset: MapDataset<T>): Generator<B> {
    for (const indices of this.batchSampler!) {
      const samples = indices.map((i) => {
        const sample = dataset.get(i);
        if (isPromiseLike(sample)) {
          throw new ValueError("DataLoader: dataset.get returned a promise: use `for await`");
        }
        return sample;
      });
      yield this.collateFn(samples);
    }
  }

  private async *asyncMapBatches(dataset: MapDataset<T | PromiseLike<T>>): AsyncGenerator<B> {
    for (const indices of this.batchSampler!) {
      // The samples of one batch are fetched concurrently.
      const samples = await Promise.all(indices.map((i) => dataset.get(i)));
      yield this.collateFn(samples);
    }
  }

  private *iterBatches(dataset: SyncIterableSource<T>): Generator<B> {
    let batch: T[] = [];
    for (const sample of dataset) {
      batch.push(sample);
      if (batch.length === this.batchSize) {
        yield this.collateFn(batch);
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield this.collateFn(batch);
  }

  private async *asyncIterBatches(dataset: AsyncIterableSource<T>): AsyncGenerator<B> {
    let batch: T[] = [];
    for await (const sample of dataset) {
      batch.push(sample);
      if (batch.length === this.batchSize) {
        yield this.collateFn(batch);
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield this.collateFn(batch);
  }

  private async *asyncFromSync(batches: Iterator<B>): AsyncGenerator<B> {
    for (let r = batches.next(); !r.done; r = batches.next()) yield r.value;
  }
}
