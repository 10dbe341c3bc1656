/**
 * Argument checks at the public boundary, shared by every op, layer and optimizer so that a
 * wrong argument gets the same words everywhere: the function, the argument and what was
 * expected, as PyTorch's argument parser says it (`argument 'p' must be float, not str`). They
 * run once per call on plain values, never inside kernels.
 */
import { ArgumentTypeError, ValueError } from "../errors.js";

/** Python's name of a JavaScript value's type, as PyTorch's messages print it. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int";
  if (typeof v === "function") return "function";
  if (Array.isArray(v)) return "list";
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name === undefined || name === "Object" ? "dict" : name;
}

/** Where an argument is: `argument 'p'` or `argument 'p' (position 1)`. */
function where(name: string, position?: number): string {
  return position === undefined
    ? `argument '${name}'`
    : `argument '${name}' (position ${position})`;
}

/**
 * `v` as a number, or a typed error naming `fn` and the argument. `finite` refuses NaN and
 * infinities; `integer` refuses fractions (PyTorch: "must be int, not float").
 *
 * @example
 * checkNumber("Dropout", "p", p); // throws for "0.5": argument 'p' must be float, not str
 */
export function checkNumber(
  fn: string,
  name: string,
  v: unknown,
  options: { integer?: boolean; finite?: boolean; position?: number } = {},
): number {
  const kind = options.integer ? "int" : "float";
  if (typeof v !== "number" || (options.integer && !Number.isInteger(v))) {
    throw new ArgumentTypeError(
      `${fn}(): ${where(name, options.position)} must be ${kind}, not ${pyTypeName(v)}`,
    );
  }
  if (options.finite && !Number.isFinite(v)) {
    throw new ValueError(`${fn}(): ${where(name, options.position)} must be finite, got ${v}`);
  }
  return v;
}

/** `v` as a boolean, or a typed error ("must be bool, not str"). */
export function checkBoolean(fn: string, name: string, v: unknown): boolean {
  if (typeof v !== "boolean") {
    throw new ArgumentTypeError(`${fn}(): ${where(name)} must be bool, not ${pyTypeName(v)}`);
  }
  return v;
}

/** A non-negative integer size (a layer's feature count, a kernel size). */
export function checkSize(fn: string, name: string, v: unknown): number {
  const n = checkNumber(fn, name, v, { integer: true });
  if (n < 0) {
    throw new ValueError(`${fn}(): ${where(name)} must be a non-negative integer, got ${n}`);
  }
  return n;
}

/** A probability in [0, 1] (dropout's p), with PyTorch's error for values outside. */
export function checkProbability(fn: string, name: string, v: unknown): number {
  const p = checkNumber(fn, name, v);
  if (!(p >= 0 && p <= 1)) {
    throw new ValueError(`${fn} probability has to be between 0 and 1, but got ${p}`);
  }
  return p;
}

/**
 * Whether an argument that may be a positional value or a keyword bag is the bag: a plain
 * object, not null (PyTorch's `None`, which means the default) and not a list.
 *
 * @example
 * const dim = isKeywords(dimArg) ? dimArg.dim : dimArg;
 */
export function isKeywords<T>(v: T): v is Exclude<Extract<T, object>, readonly unknown[]> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * A fill value (`full`, `fill_`, `maskedFill`): a number or a boolean, never a coerced string.
 *
 * @example
 * checkFillValue("fill_", "value", v); // throws for "1": argument 'value' must be Number, not str
 */
export function checkFillValue(fn: string, name: string, v: unknown): number | boolean {
  if (typeof v !== "number" && typeof v !== "boolean") {
    throw new ArgumentTypeError(`${fn}(): ${where(name)} must be Number, not ${pyTypeName(v)}`);
  }
  return v;
}

/** A callback where one goes (`noGrad(fn)`, `LambdaLR`'s lambda), not a value that fails later. */
export function checkFunction(fn: string, name: string, v: unknown): void {
  if (typeof v !== "function") {
    throw new ArgumentTypeError(`${fn}(): ${where(name)} must be a function, not ${pyTypeName(v)}`);
  }
}

/**
 * A list of integers (tile's dims, unflatten's sizes, a shape), with PyTorch's words: "argument
 * 'dims' must be tuple of ints, but found element of type float at pos 0".
 */
export function checkIntList(fn: string, name: string, v: unknown): readonly number[] {
  if (!Array.isArray(v)) {
    throw new ArgumentTypeError(
      `${fn}(): ${where(name)} must be tuple of ints, not ${pyTypeName(v)}`,
    );
  }
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (typeof e !== "number" || !Number.isInteger(e)) {
      throw new ArgumentTypeError(
        `${fn}(): ${where(name)} must be tuple of ints, but found element of type ${pyTypeName(e)} at pos ${i}`,
      );
    }
  }
  return v as readonly number[];
}

/** An iterable where one goes (parameters, datasets, transforms), not null, a number or a str. */
export function checkIterable(fn: string, name: string, v: unknown): void {
  if (
    v === null ||
    typeof v !== "object" ||
    typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    throw new ArgumentTypeError(`${fn}(): ${where(name)} must be iterable, not ${pyTypeName(v)}`);
  }
}

/** File bytes where they go (`deserialize`, `parseIdx`): a Uint8Array, not a str or a list. */
export function checkBytes(fn: string, name: string, v: unknown): void {
  if (!(v instanceof Uint8Array)) {
    throw new ArgumentTypeError(`${fn}(): ${where(name)} must be Uint8Array, not ${pyTypeName(v)}`);
  }
}

/** A string where one goes (einsum's equation, a mode name). */
export function checkString(fn: string, name: string, v: unknown): string {
  if (typeof v !== "string") {
    throw new ArgumentTypeError(`${fn}(): ${where(name)} must be str, not ${pyTypeName(v)}`);
  }
  return v;
}
