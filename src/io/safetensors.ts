/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian bytes. It is what PyTorch's
 * ecosystem exchanges weights in, so a torchlet state dict loads in PyTorch and back.
 * https://github.com/huggingface/safetensors#format
 *
 * Reading validates everything before allocating: a hostile or truncated file gives a
 * SafetensorsError, never a garbage tensor, an allocation beyond the file's size or a polluted
 * prototype.
 */
import { TorchletError } from "../errors.js";
import { allocate, type DType } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

/** A file that is not valid safetensors, or a tensor that cannot be stored in it. */
export class SafetensorsError extends TorchletError {}

/** Tensors by name, as a state dict; a null-prototype object so any name is safe. */
export type TensorMap = Record<string, Tensor>;

/** The largest header accepted (the reference implementation's limit). */
const MAX_HEADER_BYTES = 100_000_000;

/** Bytes per element of each safetensors dtype torchlet reads. */
const itemSize: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** The dtype each file dtype is read into. */
const readAs: Record<string, DType> = {
  F64: "float64",
  F32: "float32",
  F16: "float32",
  BF16: "float32",
  I64: "int32",
  I32: "int32",
  I16: "int32",
  I8: "int32",
  U8: "int32",
  BOOL: "bool",
};

const writeAs: Record<DType, string> = {
  float64: "F64",
  float32: "F32",
  int32: "I32",
  bool: "BOOL",
};

/** Names JavaScript objects treat specially; refused so no caller can be tricked by them. */
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/** Options of `serialize`. */
export interface SerializeOptions {
  /** String metadata stored under `__metadata__`. */
  metadata?: Record<string, string>;
}

/**
 * Encodes tensors as a safetensors file. Tensors are written contiguous, little-endian, in
 * name order; int32 is written as I32 (PyTorch's load_state_dict converts it into int64
 * buffers).
 *
 * @example
 * const bytes = serialize(model.stateDict());
 */
export function serialize(
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  options: SerializeOptions = {},
): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  if (options.metadata) {
    for (const [k, v] of Object.entries(options.metadata)) {
      if (typeof v !== "string")
        throw new SafetensorsError(`metadata value for "${k}" must be a string`);
    }
    header["__metadata__"] = options.metadata;
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    if (FORBIDDEN_NAMES.has(name) || name === "__metadata__")
      throw new SafetensorsError(`tensor name "${name}" is not allowed`);
    const values = t.toArray();
    const bytes = toLittleEndianBytes(values);
    header[name] = {
      dtype: writeAs[t.dtype],
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes.length],
    };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad) {
    json += " ".repeat(pad);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toLittleEndianBytes(values: ArrayLike<number> & ArrayBufferView): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
  const size = values.byteLength / Math.max(values.length, 1);
  if (!littleEndian && size > 1) {
    for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  }
  return bytes;
}

/** The result of `deserialize`: tensors by name and the file's string metadata. */
export interface Deserialized {
  tensors: TensorMap;
  metadata: Record<string, string>;
}

function fail(message: string): never {
  throw new SafetensorsError(`invalid safetensors file: ${message}`);
}

function isSafeCount(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

/**
 * Decodes a safetensors file. F16/BF16 are read into float32, I64 into int32 (values outside
 * int32 are an error), BOOL into bool.
 *
 * @example
 * const { tensors } = deserialize(bytes);
 * model.loadStateDict(tensors);
 */
export function deserialize(bytes: Uint8Array): Deserialized {
  if (bytes.length < 8)
    fail(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES))
    fail(`header length ${headerLength} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const n = Number(headerLength);
  if (8 + n > bytes.length)
    fail(`header length ${n} is larger than the file (${bytes.length} bytes)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    fail("header is not a JSON object");
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  const specs: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const name of Object.keys(parsed)) {
    const entry = (parsed as Record<string, unknown>)[name];
    if (name === "__metadata__") {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry))
        fail("__metadata__ is not an object");
      for (const key of Object.keys(entry)) {
        const v = (entry as Record<string, unknown>)[key];
        if (typeof v !== "string") fail(`__metadata__["${key}"] is not a string`);
        if (FORBIDDEN_NAMES.has(key)) fail(`metadata key "${key}" is not allowed`);
        metadata[key] = v;
      }
      continue;
    }
    if (FORBIDDEN_NAMES.has(name)) fail(`tensor name "${name}" is not allowed`);
    if (typeof entry !== "object" || entry === null || Array.isArray(entry))
      fail(`entry "${name}" is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== "string" || !Object.hasOwn(itemSize, dtype))
      fail(`tensor "${name}" has unsupported dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every(isSafeCount))
      fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isSafeCount)) {
      fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength)
      fail(
        `tensor "${name}" data_offsets [${begin}, ${end}] are out of range (data is ${dataLength} bytes)`,
      );
    // The element count is checked against the byte range step by step, so no overflow.
    let count = 1;
    for (const s of shape as number[]) {
      count *= s;
      if (count * itemSize[dtype]! > dataLength)
        fail(
          `tensor "${name}" shape ${JSON.stringify(shape)} needs more bytes than the file holds`,
        );
    }
    if (count * itemSize[dtype]! !== end - begin) {
      fail(
        `tensor "${name}" of dtype ${dtype} and shape ${JSON.stringify(shape)} needs ${count * itemSize[dtype]!} bytes but data_offsets give ${end - begin}`,
      );
    }
    specs.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // The data must be covered exactly: no overlaps, no holes.
  const ordered = [...specs].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const s of ordered) {
    if (s.begin !== cursor)
      fail(
        s.begin < cursor
          ? `tensor "${s.name}" overlaps another tensor`
          : `hole in the data before tensor "${s.name}"`,
      );
    cursor = s.end;
  }
  if (cursor !== dataLength) fail(`${dataLength - cursor} trailing bytes after the last tensor`);
  const tensors: TensorMap = Object.create(null) as TensorMap;
  for (const s of specs) {
    tensors[s.name] = decodeTensor(
      s.name,
      s.dtype,
      s.shape,
      view,
      dataStart + s.begin,
      (s.end - s.begin) / itemSize[s.dtype]!,
    );
  }
  return { tensors, metadata };
}

function decodeTensor(
  name: string,
  dtype: string,
  shape: number[],
  view: DataView,
  start: number,
  count: number,
): Tensor {
  const out = allocate(readAs[dtype]!, count);
  const size = itemSize[dtype]!;
  for (let i = 0, p = start; i < count; i++, p += size) {
    switch (dtype) {
      case "F64":
        out[i] = view.getFloat64(p, true);
        break;
      case "F32":
        out[i] = view.getFloat32(p, true);
        break;
      case "F16":
        out[i] = halfToFloat(view.getUint16(p, true));
        break;
      case "BF16":
        out[i] = bfloat16ToFloat(view.getUint16(p, true));
        break;
      case "I64": {
        const v = view.getBigInt64(p, true);
        if (v > 2147483647n || v < -2147483648n) {
          throw new SafetensorsError(
            `tensor "${name}" holds the int64 value ${v}, outside torchlet's int32 range`,
          );
        }
        out[i] = Number(v);
        break;
      }
      case "I32":
        out[i] = view.getInt32(p, true);
        break;
      case "I16":
        out[i] = view.getInt16(p, true);
        break;
      case "I8":
        out[i] = view.getInt8(p);
        break;
      case "U8":
        out[i] = view.getUint8(p);
        break;
      case "BOOL":
        out[i] = view.getUint8(p) !== 0 ? 1 : 0;
        break;
    }
  }
  return Tensor.fromData(out, shape);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** @internal A bfloat16 bit pattern as a number (exact in float32). */
export function bfloat16ToFloat(bits: number): number {
  u32[0] = bits << 16;
  return f32[0]!;
}

/** @internal A float16 bit pattern as a number (exact in float32). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
