import { DTypeError, OutOfMemoryError } from "../errors.js";

/**
 * The element types a tensor can hold. `int32` is torchlet's integer and index dtype: PyTorch uses
 * int64, which JavaScript cannot hold in a typed array without BigInt, so `"int64"` is accepted as
 * an alias wherever a dtype is asked for and stored as int32.
 */
export type DType = "float32" | "float64" | "int32" | "bool";

/** What a user may pass where a dtype is expected. */
export type DTypeLike = DType | "int64" | "float" | "double" | "long" | "int";

/** The typed array that backs each dtype. */
export interface TypedArrayOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

export type TypedArray = TypedArrayOf[DType];

const arrayConstructors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

const DTYPE_NAMES: ReadonlySet<string> = new Set([
  "float32",
  "float",
  "float64",
  "double",
  "int32",
  "int64",
  "int",
  "long",
  "bool",
]);

/** Whether `name` is a dtype name `toDType` accepts. */
export function isDTypeLike(name: unknown): name is DTypeLike {
  return typeof name === "string" && DTYPE_NAMES.has(name);
}

/** Normalises a user-facing dtype name (`"int64"`, `"float"`, ...) to a storage dtype. */
export function toDType(dtype: DTypeLike): DType {
  switch (dtype) {
    case "float32":
    case "float":
      return "float32";
    case "float64":
    case "double":
      return "float64";
    case "int32":
    case "int64":
    case "int":
    case "long":
      return "int32";
    case "bool":
      return "bool";
    default:
      throw new DTypeError(`unknown dtype ${JSON.stringify(dtype)}`);
  }
}

/** A new zero-filled typed array for `dtype`. */
export function allocate<D extends DType>(dtype: D, length: number): TypedArrayOf[D] {
  try {
    return new arrayConstructors[dtype](length) as TypedArrayOf[D];
  } catch (e) {
    throw allocationError(dtype, length, e);
  }
}

/** PyTorch's out-of-memory words for an allocation the engine refused (RangeError, ...). */
function allocationError(dtype: DType, length: number, cause: unknown): Error {
  if (!(cause instanceof RangeError)) return cause as Error;
  const bytes = length * arrayConstructors[dtype].BYTES_PER_ELEMENT;
  return new OutOfMemoryError(
    `DefaultCPUAllocator: can't allocate memory: you tried to allocate ${bytes} bytes`,
  );
}

/**
 * Storage for a kernel output that the kernel overwrites in full before anyone reads it. Where
 * the platform can hand out memory without zeroing it (Node: Buffer.allocUnsafeSlow, installed
 * by src/node.ts) large outputs skip calloc's memset: ~40 -> ~6 µs for an 800 KB weight gradient
 * on the development machine. Elsewhere, and for small arrays, the same as `allocate`.
 */
export function allocateForOverwrite<D extends DType>(dtype: D, length: number): TypedArrayOf[D] {
  const ctor = arrayConstructors[dtype];
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  try {
    if (uninitialized === undefined || bytes < uninitialized.minBytes) {
      return new ctor(length) as TypedArrayOf[D];
    }
    return new ctor(uninitialized.buffer(bytes), 0, length) as TypedArrayOf[D];
  } catch (e) {
    throw allocationError(dtype, length, e);
  }
}

/** @internal Where allocateForOverwrite gets unzeroed memory, and from which size on. */
export interface UninitializedAllocator {
  /** A fresh ArrayBuffer of exactly `bytes` bytes, contents unspecified. */
  readonly buffer: (bytes: number) => ArrayBuffer;
  /** Smaller outputs are zero-allocated as usual (V8's small arrays are as fast; 4 KB measured). */
  readonly minBytes: number;
}

let uninitialized: UninitializedAllocator | undefined;

/**
 * @internal Installs the source of unzeroed storage (the Node adapter; tests poison it to prove
 * every kernel writes its whole output); undefined restores zeroed allocation. Returns the
 * previous one.
 */
export function setUninitializedAllocator(
  allocator: UninitializedAllocator | undefined,
): UninitializedAllocator | undefined {
  const previous = uninitialized;
  uninitialized = allocator;
  return previous;
}

/** The dtype whose storage is `data`. */
export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int32Array) return "int32";
  return "bool";
}

export function isFloatingPoint(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** PyTorch's category order for type promotion: bool < integer < floating point. */
function category(dtype: DType): number {
  return dtype === "bool" ? 0 : dtype === "int32" ? 1 : 2;
}

/**
 * The promoted dtype of two tensor dtypes (torch.promote_types).
 *
 * @example
 * torch.promoteTypes("int32", "float32"); // "float32"
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const ca = category(a);
  const cb = category(b);
  if (ca !== cb) return ca > cb ? a : b;
  return "float64"; // the only same-category pair of distinct dtypes is float32/float64
}

/** How an operand takes part in type promotion (PyTorch's result_type rules). */
export type PromotionKind = "tensor" | "zeroDim" | "scalar";

/** PyTorch's combine_categories: the higher-priority class wins unless it is of a lower category. */
function combineCategories(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (lower === undefined) return higher;
  if (isFloatingPoint(higher)) return higher;
  if (higher === "bool" || isFloatingPoint(lower)) return promoteTypes(higher, lower);
  return higher;
}

/**
 * PyTorch's result_type: dimensioned tensors decide within a category; zero-dim tensors and then
 * plain numbers can only raise the category. A plain number's dtype is given by scalarDType.
 */
export function resultType(operands: readonly { dtype: DType; kind: PromotionKind }[]): DType {
  const state: Record<PromotionKind, DType | undefined> = {
    tensor: undefined,
    zeroDim: undefined,
    scalar: undefined,
  };
  for (const { dtype, kind } of operands) {
    const cur = state[kind];
    state[kind] = cur === undefined ? dtype : promoteTypes(cur, dtype);
  }
  return (
    combineCategories(state.tensor, combineCategories(state.zeroDim, state.scalar)) ?? "float32"
  );
}

/** The dtype a plain JavaScript value takes when it becomes a tensor. */
export function scalarDType(value: number | boolean): DType {
  if (typeof value === "boolean") return "bool";
  // A JavaScript number has no int/float distinction: an integral value counts as a Python int,
  // any other as a Python float, which PyTorch gives the default dtype.
  return Number.isInteger(value) ? "int32" : "float32";
}

/** PyTorch's printed name of a dtype, as in `dtype=torch.float64`. */
export function torchName(dtype: DType): string {
  return `torch.${dtype}`;
}

/**
 * PyTorch's ScalarType name of a dtype, as its C++ error messages print it (`dtype Float`);
 * int32 stands for PyTorch's int64, so it prints as `Long`.
 */
export function scalarTypeName(dtype: DType): string {
  return { float32: "Float", float64: "Double", int32: "Long", bool: "Bool" }[dtype];
}
