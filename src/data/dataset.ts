import { checkIterable } from "../validation/arguments.js";
import { checkTensor } from "../validation/tensors.js";
/**
 * Datasets, as torch.utils.data: map-style ones (`length` + `get(i)`) and iterable ones (a sync
 * or async iterator), plus TensorDataset, Subset and ConcatDataset.
 */
import { IndexError, ShapeError, ValueError } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import "../ops/index.js";

/**
 * What a DataLoader needs of a map-style dataset: its length and the sample at an index. `get`
 * may return a promise (a sample fetched over the network, say); such a dataset is then read with
 * `for await`.
 */
export interface MapDataset<T> {
  readonly length: number;
  get(index: number): T;
}

/**
 * A map-style dataset (torch.utils.data.Dataset): subclass it and define `length` and `get`.
 *
 * @example
 * class Squares extends data.Dataset<number> {
 *   get length() { return 10; }
 *   get(i: number) { return i * i; }
 * }
 */
export abstract class Dataset<T> implements MapDataset<T> {
  abstract get length(): number;
  abstract get(index: number): T;
}

/**
 * An iterable-style dataset (torch.utils.data.IterableDataset): subclass it and define
 * `[Symbol.iterator]` (read with `for ... of` or `for await`) or `[Symbol.asyncIterator]` (read
 * with `for await`). A `length` property is optional; the DataLoader's length needs it.
 *
 * @example
 * class Counter extends data.IterableDataset<number> {
 *   *[Symbol.iterator]() { for (let i = 0; i < 5; i++) yield i; }
 * }
 */
export abstract class IterableDataset<T> {
  // A marker base class, as in PyTorch; the iterator methods are not declared here so that a
  // subclass defines them without `override`. This field only carries T for type inference.
  declare protected readonly sampleType?: T;
}

/**
 * True when `d` has a numeric `length` and a `get` method: a map-style dataset.
 *
 * @example
 * torch.data.isMapDataset(new torch.data.TensorDataset(x, y)); // true
 */
export function isMapDataset<T>(d: unknown): d is MapDataset<T> {
  return (
    typeof d === "object" &&
    d !== null &&
    typeof (d as MapDataset<T>).get === "function" &&
    typeof (d as MapDataset<T>).length === "number"
  );
}

/** Python's index semantics: negative counts from the end; out of range throws IndexError. */
function normalizeIndex(index: number, length: number, what: string): number {
  if (!Number.isInteger(index))
    throw new IndexError(`${what}: index must be an integer, got ${index}`);
  if (index < -length || index >= length) {
    throw new IndexError(`${what}: index ${index} is out of range for length ${length}`);
  }
  return index < 0 ? index + length : index;
}

/**
 * A dataset of tensors sharing their first dim: sample i is `[t[i] for t of tensors]`
 * (torch.utils.data.TensorDataset).
 *
 * @example
 * const ds = new data.TensorDataset(torch.randn([100, 3]), torch.arange(100));
 * const [x, y] = ds.get(0); // x: [3], y: scalar
 */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new ValueError("TensorDataset needs at least one tensor");
    for (const t of tensors) {
      checkTensor("TensorDataset", "tensors", t);
      if (t.ndim === 0) {
        throw new IndexError(
          "TensorDataset: dimension specified as 0 but tensor has no dimensions",
        );
      }
      // PyTorch asserts `tensors[0].size(0) == tensor.size(0)` with this message.
      if (t.shape[0] !== tensors[0]!.shape[0])
        throw new ShapeError("Size mismatch between tensors");
    }
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  get(index: number): Tensor[] {
    return this.tensors.map((t) => t.select(0, index));
  }
}

/**
 * The samples of `dataset` at `indices`, in that order (torch.utils.data.Subset).
 *
 * @example
 * const firstTen = new data.Subset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 */
export class Subset<T> extends Dataset<T> {
  constructor(
    readonly dataset: MapDataset<T>,
    readonly indices: readonly number[],
  ) {
    super();
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    return this.dataset.get(this.indices[normalizeIndex(index, this.indices.length, "Subset")]!);
  }
}

/**
 * Several map-style datasets one after the other (torch.utils.data.ConcatDataset).
 *
 * @example
 * const both = new data.ConcatDataset([trainSet, extraSet]);
 */
export class ConcatDataset<T> extends Dataset<T> {
  readonly datasets: readonly MapDataset<T>[];
  /** The running totals of the lengths (PyTorch's cumulative_sizes). */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: Iterable<MapDataset<T>>) {
    super();
    checkIterable("ConcatDataset", "datasets", datasets);
    this.datasets = [...datasets];
    if (this.datasets.length === 0) {
      throw new ValueError("datasets should not be an empty iterable");
    }
    for (const d of this.datasets) {
      if (!isMapDataset(d)) throw new ValueError("ConcatDataset does not support IterableDataset");
    }
    let total = 0;
    this.cumulativeSizes = this.datasets.map((d) => (total += d.length));
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1]!;
  }

  get(index: number): T {
    if (index < 0) {
      if (-index > this.length) {
        throw new ValueError("absolute value of index should not exceed dataset length");
      }
      index += this.length;
    }
    const i = normalizeIndex(index, this.length, "ConcatDataset");
    // The first dataset whose running total exceeds i (PyTorch's bisect_right).
    let d = 0;
    while (this.cumulativeSizes[d]! <= i) d++;
    const start = d === 0 ? 0 : this.cumulativeSizes[d - 1]!;
    return this.datasets[d]!.get(i - start);
  }
}
