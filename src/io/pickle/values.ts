/**
 * How Python values read from a pickle look in JavaScript, and the few wrappers the pickler
 * needs to write what JavaScript lacks (tuples, int-keyed dicts).
 *
 * Reading: None -> null, bool -> boolean, int -> number (bigint past 2^53), float -> number,
 * str -> string, bytes/bytearray -> Uint8Array, list and tuple -> array (tuples frozen),
 * set/frozenset -> Set, dict/OrderedDict with str or int keys -> a null-prototype object (int
 * keys become their decimal strings, as JavaScript's own numeric keys; any key is an own
 * property, so a `__proto__` key cannot reach a prototype), tensors -> Tensor.
 */

/** A Python tuple to write (JavaScript arrays are written as lists). */
export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}

/** A global the unpickler allows (from the allow-list), as it sits on the pickle stack. */
export class PyGlobal {
  constructor(
    /** `module.name`, as PyTorch's messages write it. */
    readonly qualname: string,
    /** What REDUCE (calling it) does; absent for globals that are only referenced. */
    readonly call?: (args: readonly unknown[]) => unknown,
  ) {}

  toString(): string {
    return this.qualname;
  }
}

/** A dict as read: a null-prototype object. */
export type PyDict = Record<string, unknown>;

/** A value's Python type name for messages (never calls the value's own conversions). */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (v instanceof PyGlobal) return v.qualname;
  if (Array.isArray(v)) return Object.isFrozen(v) ? "tuple" : "list";
  if (v instanceof Uint8Array) return "bytes";
  if (v instanceof Set) return "set";
  if (typeof v === "object") {
    const proto = Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null;
    return proto === null
      ? "dict"
      : typeof proto.constructor?.name === "string"
        ? proto.constructor.name
        : "object";
  }
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "bigint") return "int";
  if (typeof v === "string") return "str";
  return typeof v;
}
