/**
 * PyTorch's default_collate for JavaScript values: a list of samples becomes one batch, with the
 * structure of a sample and a leading batch dim on every tensor.
 */
import { ArgumentTypeError, ShapeError } from "../errors.js";
import { tensor } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import { stack } from "../ops/join.js";

/** What default_collate turns a list of samples of type T into. */
export type Collated<T> = T extends Tensor | number | boolean
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : never;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `<class '${value.constructor?.name ?? "Object"}'>`;
  return `<class '${typeof value}'>`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function collateAny(batch: readonly unknown[]): unknown {
  const elem = batch[0];
  if (elem instanceof Tensor) {
    // stack checks the shapes and throws PyTorch's "stack expects each tensor to be equal size".
    return stack(batch as Tensor[], 0);
  }
  if (typeof elem === "number") {
    // Python ints collate to int64 (torchlet's int32) and floats to float64; JavaScript has one
    // number type, so a batch of integers counts as ints and anything else as floats.
    const values = batch as number[];
    return tensor(values, { dtype: values.every(Number.isInteger) ? "int32" : "float64" });
  }
  if (typeof elem === "boolean") return tensor(batch as boolean[], { dtype: "bool" });
  if (typeof elem === "string") return [...batch];
  if (Array.isArray(elem)) {
    const size = elem.length;
    if (batch.some((b) => !Array.isArray(b) || b.length !== size)) {
      throw new ShapeError("each element in list of batch should be of equal size");
    }
    // Transposed: position k of the result collates position k of every sample.
    return elem.map((_, k) => collateAny(batch.map((b) => (b as unknown[])[k])));
  }
  if (isPlainObject(elem)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      out[key] = collateAny(batch.map((b) => (b as Record<string, unknown>)[key]));
    }
    return out;
  }
  throw new ArgumentTypeError(
    `default_collate: batch must contain tensors, numbers, booleans, strings, plain objects or arrays; found ${describe(elem)}`,
  );
}

/**
 * Puts a list of samples into one batch, as PyTorch's default_collate: tensors are stacked on a
 * new first dim; numbers become an int32 tensor when all are integers and a float64 tensor
 * otherwise (Python floats collate to float64); booleans a bool tensor; strings stay a list;
 * plain objects collate field by field and arrays position by position.
 *
 * @example
 * data.defaultCollate([{ x: torch.zeros([2]), y: 1 }, { x: torch.ones([2]), y: 0 }]);
 * // { x: tensor [2, 2], y: tensor([1, 0]) }
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  if (batch.length === 0) throw new ShapeError("default_collate: the batch is empty");
  return collateAny(batch) as Collated<T>;
}

/**
 * The collate of a loader without automatic batching (`batchSize: null`): PyTorch's
 * default_convert, which turns NumPy arrays into tensors; JavaScript values pass through.
 *
 * @example
 * torch.data.defaultConvert([torch.tensor([1, 2]), 3]);
 */
export function defaultConvert<T>(sample: T): T {
  return sample;
}
