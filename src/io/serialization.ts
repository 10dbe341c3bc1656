import { checkBytes } from "../validation/arguments.js";
/**
 * torch.save / torch.load on bytes, for the browser and Node alike (the Node adapter in
 * src/node/serialization-files.ts adds paths and atomic writes). Two formats:
 * - "pt": PyTorch's own zip format, what `torch.save` writes; any value PyTorch users save
 *   (state dicts, optimizer state dicts, checkpoint dicts, nested lists and numbers).
 * - "safetensors": a flat map of tensors only.
 * Reading tells them apart by their bytes.
 */
import type { Tensor } from "../tensor/tensor.js";
import { deserializePt, isZip, serializePt } from "./pt/format.js";
import { SerializationError } from "./pt/errors.js";
import { Tensor as TensorClass } from "../tensor/tensor.js";
import {
  deserialize as deserializeSafetensors,
  serialize as serializeSafetensors,
} from "./safetensors.js";

export { SerializationError, UnpicklingError } from "./pt/errors.js";

/** The file formats torchlet reads and writes. */
export type SaveFormat = "pt" | "safetensors";

/** Options of `serialize` (and of Node's `save`). */
export interface SaveOptions {
  /** The format to write (`save` picks it from the file name when left out). */
  format?: SaveFormat;
  /** safetensors only: string metadata stored under `__metadata__`. */
  metadata?: Record<string, string>;
}

/** Whether `bytes` look like safetensors: an 8-byte header length, then a JSON object. */
function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  return n + 8n <= BigInt(bytes.length) && bytes[8] === 0x7b;
}

/**
 * The format of a file's bytes, or null if it is neither.
 *
 * @example
 * torch.detectFormat(torch.serialize({ w: torch.ones([2]) })); // "pt"
 */
export function detectFormat(bytes: Uint8Array): SaveFormat | null {
  checkBytes("detectFormat", "bytes", bytes);
  if (isZip(bytes)) return "pt";
  if (isSafetensors(bytes)) return "safetensors";
  return null;
}

/**
 * Encodes `obj` as PyTorch's format (the default) or safetensors. PyTorch reads the "pt"
 * bytes with `torch.load`.
 *
 * @example
 * const bytes = torch.serialize({ epoch: 3, model: model.stateDict(), optimizer: opt.stateDict() });
 */
export function serialize(obj: unknown, options: SaveOptions = {}): Uint8Array {
  const format = options.format ?? "pt";
  if (format === "pt") return serializePt(obj);
  if (format !== "safetensors") throw new SerializationError(`unknown format ${String(format)}`);
  const isMap = obj instanceof Map;
  const entries = isMap
    ? [...(obj as Map<unknown, unknown>)]
    : typeof obj === "object" && obj !== null && !Array.isArray(obj)
      ? Object.entries(obj)
      : null;
  if (
    entries === null ||
    !entries.every(([k, v]) => typeof k === "string" && v instanceof TensorClass)
  )
    throw new SerializationError(
      'safetensors holds only a flat map of tensors by name; save other values with format: "pt"',
    );
  return serializeSafetensors(obj as Record<string, Tensor>, { metadata: options.metadata });
}

/**
 * Decodes PyTorch's zip format or safetensors (told apart by the bytes). For safetensors the
 * result is the tensors by name. The type parameter is the caller's claim about the file, not
 * checked (as PyTorch's torch.load returns whatever was saved).
 *
 * @example
 * model.loadStateDict(torch.deserialize(bytes));
 */
export function deserialize<T = Record<string, Tensor>>(bytes: Uint8Array): T {
  checkBytes("deserialize", "bytes", bytes);
  const format = detectFormat(bytes);
  if (format === "pt") return deserializePt(bytes) as T;
  if (format === "safetensors") return deserializeSafetensors(bytes).tensors as T;
  if (bytes[0] === 0x80) return deserializePt(bytes) as T; // PyTorch's legacy format: its own error
  throw new SerializationError(
    "not a file torchlet can load: neither PyTorch's zip format nor safetensors",
  );
}
