/** random_split: non-overlapping random subsets of a dataset, as torch.utils.data.random_split. */
import { ValueError } from "../errors.js";
import { defaultGenerator, type Generator } from "../random/generator.js";
import { randperm } from "../random/factories.js";
import { Subset, type MapDataset } from "./dataset.js";

/** Python's math.isclose(a, b) with its default relative tolerance. */
function isClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Splits `dataset` into subsets of the given lengths, or of the given fractions of its length,
 * by PyTorch 1.13's algorithm: fractions become floor(fraction * n) each, the remainder is handed
 * out one by one round-robin from the first split, then `randperm(n, generator)` is cut in order.
 * With the same generator seed the subsets hold PyTorch's indices.
 *
 * @example
 * const [train, val] = data.randomSplit(ds, [0.8, 0.2], { generator: new torch.Generator().manualSeed(42) });
 */
export function randomSplit<T>(
  dataset: MapDataset<T>,
  lengths: readonly number[],
  options: { generator?: Generator } = {},
): Subset<T>[] {
  const n = dataset.length;
  let sizes = [...lengths];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (isClose(total, 1) && total <= 1) {
    sizes = sizes.map((fraction, i) => {
      if (fraction < 0 || fraction > 1) {
        throw new ValueError(`Fraction at index ${i} is not between 0 and 1`);
      }
      return Math.floor(n * fraction);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]! += 1;
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new ValueError(
      `randomSplit: lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(", ")}]`,
    );
  }
  if (sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new ValueError("Sum of input lengths does not equal the length of the input dataset!");
  }
  const order = Array.from(
    randperm(n, { generator: options.generator ?? defaultGenerator }).toArray(),
  );
  let offset = 0;
  return sizes.map((size) => new Subset(dataset, order.slice(offset, (offset += size))));
}
