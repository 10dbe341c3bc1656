/**
 * Samplers, as torch.utils.data.sampler: they yield dataset indices (or batches of them). The
 * random ones draw from torchlet's mt19937 generators exactly as PyTorch 1.13 draws from its own,
 * so the same seed gives PyTorch's order.
 */
import { ValueError } from "../errors.js";
import { defaultGenerator, Generator } from "../random/generator.js";
import { randint, randperm } from "../random/factories.js";

/** Something that yields indices (or batches of indices), with a length where it is known. */
export interface Sampler<T = number> extends Iterable<T> {
  readonly length?: number;
}

/** A dataset as the samplers see it: only its length matters. */
export interface Sized {
  readonly length: number;
}

/**
 * A fresh seed drawn the way PyTorch's `torch.empty((), dtype=torch.int64).random_(generator)`
 * does: one 64-bit draw, reduced modulo 2^63 (uniform_int over int64's non-negative range).
 *
 * @example
 * const seed = torch.data.drawSeed(); // a bigint in [0, 2^63)
 */
export function drawSeed(generator: Generator = defaultGenerator): bigint {
  return generator.random64() & ((1n << 63n) - 1n);
}

/**
 * Indices 0, 1, ..., n-1 in order (torch.utils.data.SequentialSampler).
 *
 * @example
 * [...new data.SequentialSampler({ length: 3 })]; // [0, 1, 2]
 */
export class SequentialSampler implements Sampler<number> {
  constructor(readonly dataSource: Sized) {}

  get length(): number {
    return this.dataSource.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.dataSource.length; i++) yield i;
  }
}

/** Options of RandomSampler. */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** How many indices to yield (default: the dataset's length). */
  numSamples?: number;
  /**
   * The generator to draw from. Without one, each pass seeds a fresh generator from one draw of
   * the default generator, as PyTorch does.
   */
  generator?: Generator;
}

/**
 * Indices in random order (torch.utils.data.RandomSampler): `randperm(n)` per pass, or
 * `randint(n)` in chunks of 32 with replacement. Same generator state, same order as PyTorch.
 *
 * @example
 * const g = new torch.Generator().manualSeed(0);
 * [...new data.RandomSampler({ length: 5 }, { generator: g })]; // PyTorch's randperm(5) order
 */
export class RandomSampler implements Sampler<number> {
  readonly replacement: boolean;
  readonly generator: Generator | undefined;
  private readonly requestedSamples: number | undefined;

  constructor(
    readonly dataSource: Sized,
    options: RandomSamplerOptions = {},
  ) {
    const { replacement = false, numSamples, generator } = options;
    if (typeof replacement !== "boolean") {
      throw new ValueError(
        `replacement should be a boolean value, but got replacement=${String(replacement)}`,
      );
    }
    this.replacement = replacement;
    this.generator = generator;
    this.requestedSamples = numSamples;
    if (!Number.isInteger(this.length) || this.length <= 0) {
      throw new ValueError(
        `num_samples should be a positive integer value, but got num_samples=${this.length}`,
      );
    }
  }

  /** The number of indices a pass yields (PyTorch's num_samples). */
  get numSamples(): number {
    return this.requestedSamples ?? this.dataSource.length;
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    const generator = this.generator ?? new Generator().manualSeed(drawSeed(defaultGenerator));
    const total = this.numSamples;
    if (this.replacement) {
      for (let k = 0; k < Math.floor(total / 32); k++) {
        yield* randint(n, [32], { generator }).toArray();
      }
      yield* randint(n, [total % 32], { generator }).toArray();
    } else {
      for (let k = 0; k < Math.floor(total / n); k++) yield* randperm(n, { generator }).toArray();
      // PyTorch draws this last permutation even when it keeps none of it (total % n === 0), and
      // that draw moves the generator: kept so that later draws stay in step with PyTorch.
      yield* randperm(n, { generator })
        .toArray()
        .subarray(0, total % n);
    }
  }
}

/**
 * The given indices in random order, a fresh permutation per pass
 * (torch.utils.data.SubsetRandomSampler).
 *
 * @example
 * new data.SubsetRandomSampler([10, 11, 12], { generator: g });
 */
export class SubsetRandomSampler implements Sampler<number> {
  readonly generator: Generator | undefined;

  constructor(
    readonly indices: readonly number[],
    options: { generator?: Generator } = {},
  ) {
    this.generator = options.generator;
  }

  get length(): number {
    return this.indices.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    const order = randperm(this.indices.length, { generator: this.generator ?? defaultGenerator });
    for (const i of order.toArray()) yield this.indices[i]!;
  }
}

/**
 * Groups another sampler's indices into batches of `batchSize`; the last, shorter batch is
 * dropped when `dropLast` (torch.utils.data.BatchSampler).
 *
 * @example
 * [...new data.BatchSampler(new data.SequentialSampler({ length: 5 }), 2, false)];
 * // [[0, 1], [2, 3], [4]]
 */
export class BatchSampler implements Sampler<number[]> {
  constructor(
    readonly sampler: Sampler<number>,
    readonly batchSize: number,
    readonly dropLast: boolean,
  ) {
    if (!Number.isInteger(batchSize) || batchSize <= 0 || typeof batchSize === "boolean") {
      throw new ValueError(
        `batch_size should be a positive integer value, but got batch_size=${String(batchSize)}`,
      );
    }
    if (typeof dropLast !== "boolean") {
      throw new ValueError(
        `drop_last should be a boolean value, but got drop_last=${String(dropLast)}`,
      );
    }
  }

  get length(): number {
    const n = this.sampler.length;
    if (n === undefined) throw new ValueError("BatchSampler: the sampler has no length");
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const index of this.sampler) {
      batch.push(index);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
