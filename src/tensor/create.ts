import { checkFillValue, checkNumber, isKeywords } from "../validation/arguments.js";
import { ShapeError, ValueError } from "../errors.js";
import { checkDevice, type DeviceLike } from "./device.js";
import { allocate, toDType, type DType, type DTypeLike, type TypedArray } from "./dtype.js";
import { type Shape, checkShape, numel, sizeList } from "./shape.js";
import { Tensor, type NestedArray } from "./tensor.js";
import { checkTensor } from "../validation/tensors.js";

/** Options every factory takes. */
export interface FactoryOptions {
  dtype?: DTypeLike;
  requiresGrad?: boolean;
  /** Where to create the tensor: "cpu" or `torch.device("cpu")` (a missing device throws). */
  device?: DeviceLike;
}

/** Sizes given as a list (`zeros([2, 3])`), a number (`zeros(3)`) or spread (`zeros(2, 3)`). */
export type SizeArgs = [Shape | number, FactoryOptions?] | number[];

/** @internal Splits factory arguments into a shape and options. */
export function parseSizeArgs(
  op: string,
  args: readonly unknown[],
): { shape: number[]; options: FactoryOptions } {
  let shape: number[];
  let options: FactoryOptions = {};
  if (Array.isArray(args[0])) {
    shape = [...(args[0] as number[])];
    options = (args[1] as FactoryOptions | undefined) ?? {};
  } else {
    shape = [];
    let i = 0;
    while (i < args.length && typeof args[i] === "number") shape.push(args[i++] as number);
    if (i < args.length) options = (args[i] as FactoryOptions | undefined) ?? {};
  }
  checkShape(shape, op);
  return { shape, options };
}

/** @internal Applies `requiresGrad` from the options and checks the device. */
export function finish(t: Tensor, options: FactoryOptions): Tensor {
  // Every tensor is made on the CPU; a device that does not exist ("cuda") is refused here.
  if (options.device !== undefined) checkDevice(options.device);
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

/**
 * The dtype a factory infers from JavaScript values. JavaScript has no int/float distinction
 * (`1.0 === 1`), so an integral value asked to require gradients is taken as the float PyTorch
 * code meant (`torch.tensor([1.0], requires_grad=True)`); an explicit dtype is never overridden.
 */
function inferredDType(inferred: DType, options: FactoryOptions): DType {
  if (options.dtype !== undefined) return toDType(options.dtype);
  return options.requiresGrad === true && inferred === "int32" ? "float32" : inferred;
}

function filled(shape: Shape, value: number, dtype: DType): Tensor {
  const data = allocate(dtype, numel(shape));
  if (value !== 0) data.fill(dtype === "bool" ? Number(value !== 0) : value);
  return Tensor.fromData(data, shape);
}

/** A tensor of zeros. @example torch.zeros([2, 3]) */
export function zeros(...args: SizeArgs): Tensor {
  const { shape, options } = parseSizeArgs("zeros", args);
  return finish(filled(shape, 0, toDType(options.dtype ?? "float32")), options);
}

/** A tensor of ones. @example torch.ones(2, 3, { dtype: "float64" }) */
export function ones(...args: SizeArgs): Tensor {
  const { shape, options } = parseSizeArgs("ones", args);
  return finish(filled(shape, 1, toDType(options.dtype ?? "float32")), options);
}

/**
 * An uninitialised tensor; torchlet zero-fills it (typed arrays always start at zero).
 *
 * @example
 * const buf = torch.empty([2, 3]); // uninitialised, fill before reading
 */
export function empty(...args: SizeArgs): Tensor {
  return zeros(...args);
}

/**
 * A tensor filled with `value`; its dtype follows the value as in PyTorch (bool, int, float).
 *
 * @example
 * torch.full([2, 2], 7); // int tensor of sevens
 */
export function full(
  size: Shape | number,
  value: number | boolean,
  options: FactoryOptions = {},
): Tensor {
  const shape = sizeList(size, "full");
  checkFillValue("full", "fill_value", value);
  const dtype = inferredDType(
    typeof value === "boolean" ? "bool" : Number.isInteger(value) ? "int32" : "float32",
    options,
  );
  return finish(filled(shape, Number(value), dtype), options);
}

/** Zeros with `like`'s shape and dtype (unless given). @example torch.zerosLike(x); */
export function zerosLike(like: Tensor, options: FactoryOptions = {}): Tensor {
  checkTensor("zerosLike", "like", like);
  return finish(filled(like.shape, 0, toDType(options.dtype ?? like.dtype)), options);
}

/** Ones with `like`'s shape and dtype (unless given). @example torch.onesLike(x); */
export function onesLike(like: Tensor, options: FactoryOptions = {}): Tensor {
  checkTensor("onesLike", "like", like);
  return finish(filled(like.shape, 1, toDType(options.dtype ?? like.dtype)), options);
}

/**
 * `value` everywhere, with `like`'s shape and dtype (unless given).
 *
 * @example
 * torch.fullLike(x, 7);
 */
export function fullLike(
  like: Tensor,
  value: number | boolean,
  options: FactoryOptions = {},
): Tensor {
  checkTensor("fullLike", "like", like);
  checkFillValue("fullLike", "fill_value", value);
  return finish(filled(like.shape, Number(value), toDType(options.dtype ?? like.dtype)), options);
}

/** Zeros with `like`'s shape and dtype: PyTorch's empty_like. @example torch.emptyLike(x); */
export function emptyLike(like: Tensor, options: FactoryOptions = {}): Tensor {
  checkTensor("emptyLike", "like", like);
  return zerosLike(like, options);
}

function isTypedArray(x: unknown): x is ArrayBufferView & ArrayLike<number> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

function inferDType(flat: readonly (number | boolean)[]): DType {
  if (flat.length > 0 && flat.every((v) => typeof v === "boolean")) return "bool";
  return flat.every((v) => typeof v === "boolean" || Number.isInteger(v)) ? "int32" : "float32";
}

/**
 * A tensor from a number, a boolean, nested arrays or a typed array (which keeps its dtype;
 * other integer arrays become int32). Data is copied. Integral numbers with `requiresGrad` and
 * no dtype give float32, as `torch.tensor([1.0], requires_grad=True)` does.
 *
 * @example
 * torch.tensor([[0, 1], [1, 0]], { dtype: "float32" });
 * torch.tensor(new Float64Array([1, 2, 3]));
 */
export function tensor(
  data: NestedArray<number | boolean> | TypedArray | ArrayBufferView | Tensor,
  options: FactoryOptions = {},
): Tensor {
  if (data instanceof Tensor) {
    const dtype = toDType(options.dtype ?? data.dtype);
    const values = data.toArray();
    const out = allocate(dtype, values.length);
    for (let i = 0; i < values.length; i++)
      out[i] = dtype === "bool" ? Number(values[i] !== 0) : values[i]!;
    return finish(Tensor.fromData(out, data.shape), options);
  }
  if (isTypedArray(data)) {
    const natural: DType =
      data instanceof Float32Array ? "float32" : data instanceof Float64Array ? "float64" : "int32";
    const dtype = toDType(options.dtype ?? natural);
    const out = allocate(dtype, data.length);
    for (let i = 0; i < data.length; i++)
      out[i] = dtype === "bool" ? Number(data[i] !== 0) : data[i]!;
    return finish(Tensor.fromData(out, [data.length]), options);
  }
  const shape: number[] = [];
  for (let level: unknown = data; Array.isArray(level); level = level[0]) shape.push(level.length);
  const flat: (number | boolean)[] = [];
  const walk = (node: unknown, d: number): void => {
    if (d === shape.length) {
      if (typeof node !== "number" && typeof node !== "boolean") {
        throw new ValueError(
          `tensor(): expected a number or boolean at depth ${d}, got ${Array.isArray(node) ? "a list" : typeof node}`,
        );
      }
      flat.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[d]) {
      throw new ShapeError(
        `expected sequence of length ${shape[d]} at dim ${d} (got ${Array.isArray(node) ? node.length : "a scalar"})`,
      );
    }
    for (const child of node) walk(child, d + 1);
  };
  walk(data, 0);
  const dtype = inferredDType(inferDType(flat), options);
  const out = allocate(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = Number(flat[i]);
    out[i] = dtype === "bool" ? Number(v !== 0) : v;
  }
  return finish(Tensor.fromData(out, shape), options);
}

/** Options of arange. */
export type ArangeOptions = FactoryOptions;

/**
 * Values from `start` (inclusive) to `end` (exclusive) by `step`: `arange(end)`,
 * `arange(start, end, step?)`. Integral arguments give int32, others float32.
 *
 * @example
 * torch.arange(5); // tensor([0, 1, 2, 3, 4])
 */
export function arange(
  endOrStart: number,
  end?: number | ArangeOptions,
  step?: number | ArangeOptions,
  options?: ArangeOptions,
): Tensor {
  let opts: ArangeOptions = {};
  const nums: number[] = [endOrStart];
  for (const a of [end, step, options]) {
    if (typeof a === "number") nums.push(a);
    else if (a !== undefined) opts = a;
  }
  const [start, stop, by] =
    nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (by === 0) throw new ValueError("arange(): step must be nonzero");
  if ((by > 0 && stop < start) || (by < 0 && stop > start)) {
    throw new ValueError("arange(): upper bound and larger bound inconsistent with step sign");
  }
  const dtype = inferredDType(
    [start, stop, by].every(Number.isInteger) ? "int32" : "float32",
    opts,
  );
  const n = Math.max(0, Math.ceil((stop - start) / by));
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * by;
  return finish(Tensor.fromData(data, [n]), opts);
}

/**
 * `steps` values evenly spaced from `start` to `end` inclusive.
 *
 * @example
 * torch.linspace(0, 1, 5); // tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
 */
export function linspace(
  start: number,
  end: number,
  steps: number,
  options: FactoryOptions = {},
): Tensor {
  checkNumber("linspace", "start", start);
  checkNumber("linspace", "end", end);
  if (!Number.isInteger(steps) || steps < 0)
    throw new ValueError(`linspace(): number of steps must be non-negative, got ${steps}`);
  const dtype = toDType(options.dtype ?? "float32");
  const data = allocate(dtype, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the second half backwards from `end` so both ends are exact.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++)
    data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  return finish(Tensor.fromData(data, [steps]), options);
}

/**
 * The identity matrix, `n` x `m` (default square).
 *
 * @example
 * torch.eye(3);
 */
export function eye(n: number, m?: number | FactoryOptions, options: FactoryOptions = {}): Tensor {
  const cols = typeof m === "number" ? m : n;
  const opts = isKeywords(m) ? m : options;
  checkShape([n, cols], "eye");
  const t = filled([n, cols], 0, toDType(opts.dtype ?? "float32"));
  for (let i = 0; i < Math.min(n, cols); i++) t.storage.data[i * cols + i] = 1;
  return finish(t, opts);
}
