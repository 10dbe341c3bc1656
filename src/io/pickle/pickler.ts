/**
 * A pickler for protocol 2, the protocol torch.save writes, emitting what CPython's pickler
 * emits for the same values (BININT1/2, BINUNICODE, EMPTY_LIST + APPENDS batches of 1000,
 * EMPTY_DICT + SETITEMS, TUPLE1-3, bytes as `_codecs.encode(str, "latin1")`, BINPUT memo for
 * every container so shared objects stay shared).
 */
import { SerializationError } from "../pt/errors.js";
import { PyTuple } from "./values.js";

/** A call the unpickler will make: `module.name(*args)` (REDUCE), e.g. a tensor's rebuild. */
export class PyReduce {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly args: PyTuple,
  ) {}
}

/** A global referenced as a value, e.g. `torch.FloatStorage` in a storage's persistent id. */
export class PyGlobalRef {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}

/** A persistent id (BINPERSID): PyTorch's storages live outside the pickle. */
export class PyPersistent {
  constructor(readonly pid: PyTuple) {}
}

/** A dict with int keys (JavaScript object keys are always strings). */
export class PyIntDict {
  constructor(readonly entries: readonly (readonly [number, unknown])[]) {}
}

/** What `pickle` writes: JSON-like values, bytes, Sets, Maps and the wrappers above. */
const BATCH = 1000;

class Writer {
  private buf = new Uint8Array(1024);
  length = 0;
  private view = new DataView(this.buf.buffer);

  private reserve(k: number): void {
    if (this.length + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + k) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  byte(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }
  u16(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  i32(v: number): void {
    this.reserve(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }
  f64be(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, false);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const encoder = new TextEncoder();

function longBytes(v: bigint): Uint8Array {
  // Two's complement little-endian, as short as possible (pickle.encode_long).
  if (v === 0n) return new Uint8Array(0);
  const out: number[] = [];
  let x = v;
  for (;;) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
    const signBit = (out[out.length - 1]! & 0x80) !== 0;
    if ((x === 0n && !signBit) || (x === -1n && signBit)) break;
  }
  return Uint8Array.from(out);
}

/**
 * Pickles `value` with protocol 2.
 *
 * @example
 * const bytes = pickle({ epoch: 3, lr: 0.1 });
 */
export function pickle(value: unknown): Uint8Array {
  const w = new Writer();
  const memo = new Map<object, number>();
  const active = new Set<object>();
  w.byte(0x80);
  w.byte(2);

  const put = (obj: object): void => {
    const i = memo.size;
    memo.set(obj, i);
    if (i < 256) {
      w.byte(0x71);
      w.byte(i);
    } else {
      w.byte(0x72);
      w.u32(i);
    }
  };
  const get = (obj: object): boolean => {
    const i = memo.get(obj);
    if (i === undefined) return false;
    if (i < 256) {
      w.byte(0x68);
      w.byte(i);
    } else {
      w.byte(0x6a);
      w.u32(i);
    }
    return true;
  };
  const str = (s: string): void => {
    const b = encoder.encode(s);
    w.byte(0x58);
    w.u32(b.length);
    w.bytes(b);
  };
  const global = (module: string, name: string): void => {
    w.byte(0x63);
    w.bytes(encoder.encode(`${module}\n${name}\n`));
  };
  const tuple = (items: readonly unknown[]): void => {
    if (items.length === 0) {
      w.byte(0x29);
      return;
    }
    if (items.length <= 3) {
      for (const item of items) save(item);
      w.byte(0x84 + items.length);
      return;
    }
    w.byte(0x28);
    for (const item of items) save(item);
    w.byte(0x74);
  };
  const setItems = (entries: Iterable<readonly [unknown, unknown]>): void => {
    let batch: (readonly [unknown, unknown])[] = [];
    const flush = (): void => {
      if (batch.length === 0) return;
      if (batch.length === 1) {
        save(batch[0]![0]);
        save(batch[0]![1]);
        w.byte(0x73);
      } else {
        w.byte(0x28);
        for (const [k, v] of batch) {
          save(k);
          save(v);
        }
        w.byte(0x75);
      }
      batch = [];
    };
    for (const e of entries) {
      batch.push(e);
      if (batch.length === BATCH) flush();
    }
    flush();
  };

  function save(v: unknown): void {
    if (v === null || v === undefined) return w.byte(0x4e);
    if (typeof v === "boolean") return w.byte(v ? 0x88 : 0x89);
    if (typeof v === "number") {
      if (Number.isInteger(v) && !Object.is(v, -0)) {
        if (v >= 0 && v < 256) {
          w.byte(0x4b);
          w.byte(v);
        } else if (v >= 0 && v < 65536) {
          w.byte(0x4d);
          w.u16(v);
        } else if (v >= -2147483648 && v <= 2147483647) {
          w.byte(0x4a);
          w.i32(v);
        } else if (Number.isSafeInteger(v)) save(BigInt(v));
        else {
          w.byte(0x47);
          w.f64be(v);
        }
        return;
      }
      w.byte(0x47);
      return w.f64be(v);
    }
    if (typeof v === "bigint") {
      const b = longBytes(v);
      if (b.length > 255) throw new SerializationError("int too large to save");
      w.byte(0x8a);
      w.byte(b.length);
      return w.bytes(b);
    }
    if (typeof v === "string") return str(v);
    if (typeof v !== "object")
      throw new SerializationError(`cannot save a value of type ${typeof v}`);
    if (get(v)) return;
    if (active.has(v)) throw new SerializationError("cannot save a value that contains itself");
    active.add(v);
    try {
      saveObject(v);
    } finally {
      active.delete(v);
    }
  }

  function saveObject(v: object): void {
    if (v instanceof PyTuple) {
      tuple(v.items);
      return put(v);
    }
    if (v instanceof PyGlobalRef) {
      global(v.module, v.name);
      return put(v);
    }
    if (v instanceof PyReduce) {
      global(v.module, v.name);
      tuple(v.args.items);
      w.byte(0x52);
      return put(v);
    }
    if (v instanceof PyPersistent) {
      tuple(v.pid.items);
      w.byte(0x51);
      return;
    }
    if (v instanceof Uint8Array) {
      global("_codecs", "encode");
      let s = "";
      for (const b of v) s += String.fromCharCode(b);
      tuple([s, "latin1"]);
      w.byte(0x52);
      return put(v);
    }
    if (Array.isArray(v)) {
      w.byte(0x5d);
      put(v);
      for (let i = 0; i < v.length; i += BATCH) {
        const chunk = v.slice(i, i + BATCH);
        if (chunk.length === 1) {
          save(chunk[0]);
          w.byte(0x61);
        } else {
          w.byte(0x28);
          for (const item of chunk) save(item);
          w.byte(0x65);
        }
      }
      return;
    }
    if (v instanceof Set) {
      global("__builtin__", "set");
      const items = [...(v as Set<unknown>)];
      w.byte(0x5d);
      for (let i = 0; i < items.length; i += BATCH) {
        w.byte(0x28);
        for (const item of items.slice(i, i + BATCH)) save(item);
        w.byte(0x65);
      }
      w.byte(0x85);
      w.byte(0x52);
      return put(v);
    }
    if (v instanceof PyIntDict) {
      w.byte(0x7d);
      put(v);
      return setItems(v.entries);
    }
    if (v instanceof Map) {
      w.byte(0x7d);
      put(v);
      for (const k of (v as Map<unknown, unknown>).keys()) {
        if (typeof k !== "string" && typeof k !== "number")
          throw new SerializationError(`cannot save a Map key of type ${typeof k}`);
      }
      return setItems(v as Map<unknown, unknown>);
    }
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto !== null && proto !== Object.prototype)
      throw new SerializationError(
        `cannot save an object of class ${(v as { constructor?: { name?: string } }).constructor?.name ?? "unknown"}`,
      );
    w.byte(0x7d);
    put(v);
    setItems(Object.entries(v));
  }

  save(value);
  w.byte(0x2e);
  return w.result();
}
