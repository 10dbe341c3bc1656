/**
 * PyTorch's own file format (what `torch.save` writes since 1.6): a zip archive holding
 * `<name>/data.pkl` (the object, pickled with protocol 2, tensors as `_rebuild_tensor_v2` calls
 * whose storages are persistent ids), `<name>/data/<key>` (each storage's raw bytes),
 * `<name>/version` and `<name>/byteorder`.
 */
import { Parameter } from "../../nn/parameter.js";
import { Storage } from "../../tensor/storage.js";
import { Tensor } from "../../tensor/tensor.js";
import { pickle, PyGlobalRef, PyIntDict, PyPersistent, PyReduce } from "../pickle/pickler.js";
import { unpickle } from "../pickle/unpickler.js";
import { PyGlobal, pyTypeName, PyTuple } from "../pickle/values.js";
import { SerializationError, UnpicklingError } from "./errors.js";
import {
  decodeStorage,
  littleEndianHost,
  LoadedStorage,
  STORAGE_OF,
  STORAGE_TYPES,
  torchGlobals,
} from "./tensors.js";
import { readZipDirectory, readZipRecord, writeZip } from "./zip.js";

/** The archive's top folder, as PyTorch names it for a buffer. */
const ARCHIVE = "archive";
/** The file format version PyTorch 1.13 writes (readers of 1.6 and later accept it). */
const FORMAT_VERSION = "3\n";

const utf8 = new TextDecoder();

/** Whether `bytes` start like a zip archive (PyTorch's format). */
export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4
  );
}

/**
 * Reads PyTorch's zip format: the object `torch.save` saved, with tensors as torchlet tensors
 * (see ./tensors.ts for the dtype rule) and containers as in ../pickle/values.ts.
 */
export function deserializePt(bytes: Uint8Array): unknown {
  if (!isZip(bytes)) {
    if (bytes[0] === 0x80 && bytes.length > 1 && bytes[1]! <= 5)
      throw new SerializationError(
        "this is PyTorch's legacy (pre-1.6) format; re-save it with torch.save in PyTorch >= 1.6",
      );
    throw new SerializationError("not a PyTorch zip archive (no zip signature)");
  }
  const records = readZipDirectory(bytes);
  const first = records.keys().next().value;
  if (first === undefined) throw new SerializationError("the archive is empty");
  const prefix = first.includes("/") ? first.slice(0, first.indexOf("/")) : "";
  const record = (name: string): Uint8Array | null => {
    const r = records.get(`${prefix}/${name}`);
    return r ? readZipRecord(bytes, r) : null;
  };
  if (records.has(`${prefix}/constants.pkl`))
    throw new SerializationError(
      "this is a TorchScript archive (torch.jit.save); save the model's state_dict() with torch.save",
    );
  const data = record("data.pkl");
  if (data === null) throw new SerializationError(`the archive has no ${prefix}/data.pkl`);
  const order = record("byteorder");
  const byteorder = order === null ? "little" : utf8.decode(order).trim();
  if (byteorder !== "little" && byteorder !== "big")
    throw new SerializationError(`unknown byteorder ${JSON.stringify(byteorder)}`);

  const storages = new Map<string, LoadedStorage>();
  const persistentLoad = (pid: unknown): LoadedStorage => {
    if (!Array.isArray(pid) || pid[0] !== "storage")
      throw new UnpicklingError("Only persistent_load of storage is allowed");
    if (pid.length !== 5) throw new UnpicklingError("a storage id has 5 fields");
    const [, type, key, , numel] = pid as unknown[];
    const name = type instanceof PyGlobal ? type.qualname : pyTypeName(type);
    const short = name.replace(/^torch\./, "");
    const spec = Object.hasOwn(STORAGE_TYPES, short) ? STORAGE_TYPES[short] : undefined;
    if (!name.startsWith("torch.") || spec === undefined)
      throw new SerializationError(`torchlet cannot load storages of type ${name}`);
    if (typeof key !== "string" || !/^[A-Za-z0-9_]{1,64}$/.test(key))
      throw new UnpicklingError("invalid storage key");
    if (typeof numel !== "number" || !Number.isSafeInteger(numel) || numel < 0)
      throw new UnpicklingError(`invalid element count for storage ${key}`);
    const cached = storages.get(key);
    if (cached) {
      if (cached.fileDType !== spec.dtype || cached.storage.data.length !== numel)
        throw new SerializationError(`storage data/${key} is used with two different types`);
      return cached;
    }
    const r = records.get(`${prefix}/data/${key}`);
    if (r === undefined) throw new SerializationError(`the archive has no record data/${key}`);
    if (r.size !== numel * spec.size)
      throw new SerializationError(
        `storage data/${key} holds ${r.size} bytes, ${numel} elements of ${spec.dtype} need ${numel * spec.size}`,
      );
    const values = decodeStorage(key, spec.dtype, readZipRecord(bytes, r), byteorder === "little");
    const loaded = new LoadedStorage(key, spec.dtype, new Storage(values));
    storages.set(key, loaded);
    return loaded;
  };
  return unpickle(data, { globals: torchGlobals(), persistentLoad });
}

const TUPLE_GROUP_KEYS = new Set(["betas", "etas", "step_sizes"]);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" &&
  v !== null &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** An optimizer's `stateDict()`: `{ state: { "0": {...} }, param_groups: [{ params: [0] }] }`. */
function isOptimizerStateDict(v: Record<string, unknown>): boolean {
  const keys = Object.keys(v).sort();
  return (
    keys.length === 2 &&
    keys[0] === "param_groups" &&
    keys[1] === "state" &&
    isPlainObject(v.state) &&
    Object.keys(v.state).every((k) => /^\d+$/.test(k)) &&
    Array.isArray(v.param_groups) &&
    v.param_groups.every(
      (g) => isPlainObject(g) && Array.isArray(g.params) && g.params.every(Number.isSafeInteger),
    )
  );
}

/**
 * Writes `obj` in PyTorch's zip format. Tensors keep their storage sharing, offsets and strides;
 * an optimizer state dict gets int keys in `state` and tuples for `betas`, as PyTorch's.
 */
export function serializePt(obj: unknown): Uint8Array {
  const storageKeys = new Map<Storage, string>();
  const converted = new Map<object, unknown>();
  const emptyOrderedDict = (): PyReduce =>
    new PyReduce("collections", "OrderedDict", new PyTuple([]));

  const tensor = (t: Tensor): PyReduce => {
    let key = storageKeys.get(t.storage);
    if (key === undefined) {
      key = String(storageKeys.size);
      storageKeys.set(t.storage, key);
    }
    const pid = new PyPersistent(
      new PyTuple([
        "storage",
        new PyGlobalRef("torch", STORAGE_OF[t.dtype]),
        key,
        "cpu",
        t.storage.data.length,
      ]),
    );
    const rebuilt = new PyReduce(
      "torch._utils",
      "_rebuild_tensor_v2",
      new PyTuple([
        pid,
        t.offset,
        new PyTuple([...t.shape]),
        new PyTuple([...t.strides]),
        t instanceof Parameter ? false : t.requiresGrad,
        emptyOrderedDict(),
      ]),
    );
    if (!(t instanceof Parameter)) return rebuilt;
    return new PyReduce(
      "torch._utils",
      "_rebuild_parameter",
      new PyTuple([rebuilt, t.requiresGrad, emptyOrderedDict()]),
    );
  };

  const convert = (v: unknown, tupleKey = false): unknown => {
    if (typeof v !== "object" || v === null) {
      if (typeof v === "function" || typeof v === "symbol")
        throw new SerializationError(`cannot save a value of type ${typeof v}`);
      return v;
    }
    const done = converted.get(v);
    if (done !== undefined) return done;
    let out: unknown;
    if (v instanceof Tensor) out = tensor(v);
    else if (v instanceof Uint8Array) out = v;
    else if (Array.isArray(v)) {
      const items: unknown[] = [];
      out = tupleKey ? new PyTuple(items) : items;
      converted.set(v, out);
      for (const item of v) items.push(convert(item));
    } else if (v instanceof Map) {
      const m = new Map<unknown, unknown>();
      out = m;
      converted.set(v, out);
      for (const [k, item] of v as Map<unknown, unknown>) m.set(k, convert(item));
    } else if (v instanceof Set) {
      out = new Set([...(v as Set<unknown>)].map((item) => convert(item)));
    } else if (isPlainObject(v)) {
      if (isOptimizerStateDict(v)) {
        const state = Object.entries(v.state as Record<string, unknown>).map(
          ([k, s]) => [Number(k), convert(s)] as const,
        );
        const groups = (v.param_groups as Record<string, unknown>[]).map((g) => {
          const group: Record<string, unknown> = {};
          for (const [k, item] of Object.entries(g))
            group[k] = convert(item, TUPLE_GROUP_KEYS.has(k));
          return group;
        });
        out = { state: new PyIntDict(state), param_groups: groups };
      } else {
        const o: Record<string, unknown> = {};
        out = o;
        converted.set(v, out);
        for (const [k, item] of Object.entries(v)) {
          Object.defineProperty(o, k, {
            value: convert(item),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
      }
    } else {
      const name = (v as { constructor?: { name?: string } }).constructor?.name ?? "unknown";
      throw new SerializationError(
        `cannot save an object of class ${name} (save tensors, numbers, strings, arrays, Maps and plain objects)`,
      );
    }
    converted.set(v, out);
    return out;
  };

  const data = pickle(convert(obj));
  const entries = [{ name: `${ARCHIVE}/data.pkl`, data }];
  // PyTorch writes the storages in key order after the pickle.
  for (const [storage, key] of storageKeys) {
    const a = storage.data;
    entries.push({
      name: `${ARCHIVE}/data/${key}`,
      data: new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    });
  }
  const encoder = new TextEncoder();
  entries.push({ name: `${ARCHIVE}/version`, data: encoder.encode(FORMAT_VERSION) });
  // Storages are written in this machine's byte order, as PyTorch does.
  entries.push({
    name: `${ARCHIVE}/byteorder`,
    data: encoder.encode(littleEndianHost ? "little" : "big"),
  });
  return writeZip(entries);
}
