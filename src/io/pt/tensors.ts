/**
 * Tensors in PyTorch's archives: the storage types, the conversion of each storage dtype into a
 * torchlet dtype, and the allow-list of globals the unpickler may call (the tensor rebuild
 * functions, storage and dtype names, torch.Size, torch.device), as in PyTorch's
 * `weights_only=True` unpickler.
 *
 * Conversion rule on load (documented in the README): float32, float64, int32 and bool load
 * as they are; float16 and bfloat16 load as float32 (exact); int8, uint8 and int16 load as int32
 * (exact); int64 loads as int32, and a value outside int32's range is an error. Complex and
 * quantized storages are an error. Element offsets and strides do not change, so views that
 * share a storage in the file share one torchlet storage.
 */
import { NotImplementedError } from "../../errors.js";
import { Parameter } from "../../nn/parameter.js";
import { allocate, type DType, type TypedArray } from "../../tensor/dtype.js";
import { Storage } from "../../tensor/storage.js";
import { Tensor } from "../../tensor/tensor.js";
import { PyGlobal, pyTypeName } from "../pickle/values.js";
import { bfloat16ToFloat, halfToFloat } from "../safetensors.js";
import { SerializationError, UnpicklingError } from "./errors.js";

/** A storage dtype as PyTorch names it. */
export type FileDType =
  | "float32"
  | "float64"
  | "float16"
  | "bfloat16"
  | "int64"
  | "int32"
  | "int16"
  | "int8"
  | "uint8"
  | "bool";

/** PyTorch's legacy storage classes (what torch.save names), their dtype and element size. */
export const STORAGE_TYPES: Record<string, { dtype: FileDType; size: number }> = {
  FloatStorage: { dtype: "float32", size: 4 },
  DoubleStorage: { dtype: "float64", size: 8 },
  HalfStorage: { dtype: "float16", size: 2 },
  BFloat16Storage: { dtype: "bfloat16", size: 2 },
  LongStorage: { dtype: "int64", size: 8 },
  IntStorage: { dtype: "int32", size: 4 },
  ShortStorage: { dtype: "int16", size: 2 },
  CharStorage: { dtype: "int8", size: 1 },
  ByteStorage: { dtype: "uint8", size: 1 },
  BoolStorage: { dtype: "bool", size: 1 },
};

/** Storage classes PyTorch's allow-list has and torchlet cannot hold. */
const UNSUPPORTED_STORAGES = [
  "ComplexFloatStorage",
  "ComplexDoubleStorage",
  "QInt8Storage",
  "QUInt8Storage",
  "QInt32Storage",
  "QUInt4x2Storage",
  "QUInt2x4Storage",
  "UntypedStorage",
];

/** The storage class torch.save names for each torchlet dtype. */
export const STORAGE_OF: Record<DType, string> = {
  float32: "FloatStorage",
  float64: "DoubleStorage",
  int32: "IntStorage",
  bool: "BoolStorage",
};

const TORCH_DTYPES = [
  "float32",
  "float64",
  "float16",
  "bfloat16",
  "int64",
  "int32",
  "int16",
  "int8",
  "uint8",
  "bool",
  "complex64",
  "complex128",
  "complex32",
  "qint8",
  "quint8",
  "qint32",
];

/** A storage as the unpickler holds it: its key in the archive and the loaded elements. */
export class LoadedStorage {
  constructor(
    readonly key: string,
    readonly fileDType: FileDType,
    readonly storage: Storage,
  ) {}
}

/** Whether this machine stores numbers little-endian (every current JavaScript engine's CPU). */
export const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A storage record's bytes as a torchlet typed array (see the module comment for the rule).
 * `littleEndian` is the archive's byte order.
 */
export function decodeStorage(
  key: string,
  dtype: FileDType,
  bytes: Uint8Array,
  littleEndian: boolean,
): TypedArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = Object.values(STORAGE_TYPES).find((s) => s.dtype === dtype)!.size;
  const count = bytes.length / size;
  const native = littleEndian === littleEndianHost;
  switch (dtype) {
    case "float32":
    case "float64":
    case "int32": {
      const ctor =
        dtype === "float32" ? Float32Array : dtype === "float64" ? Float64Array : Int32Array;
      const out = new ctor(count);
      if (native) new Uint8Array(out.buffer).set(bytes);
      else {
        for (let i = 0; i < count; i++)
          out[i] =
            dtype === "float32"
              ? view.getFloat32(i * 4, littleEndian)
              : dtype === "float64"
                ? view.getFloat64(i * 8, littleEndian)
                : view.getInt32(i * 4, littleEndian);
      }
      return out;
    }
    case "bool": {
      const out = allocate("bool", count);
      for (let i = 0; i < count; i++) out[i] = bytes[i] ? 1 : 0;
      return out;
    }
    case "float16":
    case "bfloat16": {
      const out = allocate("float32", count);
      const f = dtype === "float16" ? halfToFloat : bfloat16ToFloat;
      for (let i = 0; i < count; i++) out[i] = f(view.getUint16(i * 2, littleEndian));
      return out;
    }
    case "int64": {
      const out = allocate("int32", count);
      for (let i = 0; i < count; i++) {
        const lo = view.getUint32(i * 8 + (littleEndian ? 0 : 4), littleEndian);
        const hi = view.getInt32(i * 8 + (littleEndian ? 4 : 0), littleEndian);
        // In int32 range exactly when the high word is the sign extension of the low word.
        if (hi !== (lo & 0x80000000 ? -1 : 0)) {
          const v = (BigInt(hi) << 32n) | BigInt(lo);
          throw new SerializationError(
            `storage data/${key} holds the int64 value ${v}, outside torchlet's int32 range`,
          );
        }
        out[i] = lo | 0;
      }
      return out;
    }
    case "int16":
    case "int8":
    case "uint8": {
      const out = allocate("int32", count);
      for (let i = 0; i < count; i++)
        out[i] =
          dtype === "int16"
            ? view.getInt16(i * 2, littleEndian)
            : dtype === "int8"
              ? view.getInt8(i)
              : bytes[i]!;
      return out;
    }
  }
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`. */
function rebuildTensor(args: readonly unknown[], what: string): Tensor {
  const [storage, offset, size, stride, requiresGrad, , metadata] = args;
  // PyTorch 2.x appends tensor metadata (e.g. the conj/neg bits) only when there is some;
  // ignoring it would load wrong values.
  if (metadata !== undefined && metadata !== null && Object.keys(metadata).length > 0)
    throw new NotImplementedError(`${what}: torchlet cannot load tensors with metadata`);
  if (!(storage instanceof LoadedStorage)) throw new UnpicklingError(`${what}: expected a storage`);
  if (!isCount(offset)) throw new UnpicklingError(`${what}: invalid storage offset`);
  if (!Array.isArray(size) || !size.every(isCount))
    throw new UnpicklingError(`${what}: invalid size of type ${pyTypeName(size)}`);
  if (!Array.isArray(stride) || stride.length !== size.length || !stride.every(isCount))
    throw new UnpicklingError(`${what}: invalid stride for size [${size.join(", ")}]`);
  if (size.length > 64) throw new UnpicklingError(`${what}: ${size.length} dimensions`);
  // A stride-0 (expanded) view may have more elements than its storage; past 2^31 no op could
  // materialize it, so such a size is refused here rather than at first use.
  let count = 1;
  for (const d of size) count = Math.min(count * d, 2 ** 53);
  if (count > 2 ** 31 - 1)
    throw new SerializationError(`${what}: size [${size.join(", ")}] has too many elements`);
  const available = storage.storage.data.length;
  let empty = false;
  let last = offset;
  for (let i = 0; i < size.length; i++) {
    if (size[i] === 0) empty = true;
    last += (size[i]! - 1) * stride[i]!;
    if (last > available + 0x7fffffff) break;
  }
  if (!empty && last >= available)
    throw new SerializationError(
      `tensor of size [${size.join(", ")}], stride [${stride.join(", ")}] and offset ${offset} ` +
        `reaches element ${last}, but storage data/${storage.key} has ${available}`,
    );
  if (empty && offset > available)
    throw new SerializationError(`storage offset ${offset} is past storage data/${storage.key}`);
  const t = new Tensor(storage.storage, [...size], [...stride], offset);
  if (requiresGrad === true) {
    if (storage.storage.dtype !== "float32" && storage.storage.dtype !== "float64")
      throw new SerializationError("only floating point tensors can require gradients");
    t.requiresGrad_(true);
  }
  return t;
}

function rebuildParameter(args: readonly unknown[]): Parameter {
  const [data, requiresGrad] = args;
  if (!(data instanceof Tensor) || typeof requiresGrad !== "boolean")
    throw new UnpicklingError("_rebuild_parameter: expected (tensor, requires_grad, hooks)");
  return new Parameter(data, requiresGrad);
}

function unsupported(qualname: string, what: string): PyGlobal {
  return new PyGlobal(qualname, () => {
    throw new NotImplementedError(`torchlet cannot load ${what} (${qualname})`);
  });
}

/** The globals a PyTorch archive's pickle may use: what GLOBAL pushes for each name. */
export function torchGlobals(): Map<string, unknown> {
  const g = new Map<string, unknown>();
  const add = (name: string, call?: (args: readonly unknown[]) => unknown): void => {
    g.set(name, new PyGlobal(name, call));
  };
  for (const s of [...Object.keys(STORAGE_TYPES), ...UNSUPPORTED_STORAGES]) add(`torch.${s}`);
  for (const d of TORCH_DTYPES) g.set(`torch.${d}`, `torch.${d}`);
  add("torch._utils._rebuild_tensor_v2", (a) => rebuildTensor(a, "_rebuild_tensor_v2"));
  add("torch._utils._rebuild_tensor", (a) => rebuildTensor(a, "_rebuild_tensor"));
  add("torch._utils._rebuild_parameter", rebuildParameter);
  add("torch._utils._rebuild_parameter_with_state", rebuildParameter);
  add("torch.Tensor");
  add("torch.nn.parameter.Parameter");
  add("torch._tensor._rebuild_from_type_v2", (args) => {
    // (func, new_type, args, state): a tensor (or Parameter) with Python attributes, which are
    // dropped.
    const [func, type, inner] = args;
    if (!(func instanceof PyGlobal) || func.call === undefined || !Array.isArray(inner))
      throw new UnpicklingError("_rebuild_from_type_v2: expected (func, type, args, state)");
    if (
      !(type instanceof PyGlobal) ||
      (type.qualname !== "torch.Tensor" && type.qualname !== "torch.nn.parameter.Parameter")
    )
      throw new UnpicklingError(
        `_rebuild_from_type_v2 of ${pyTypeName(type)} (only torch.Tensor and Parameter)`,
      );
    const t = func.call(inner);
    if (!(t instanceof Tensor)) throw new UnpicklingError("_rebuild_from_type_v2: not a tensor");
    return type.qualname === "torch.Tensor" ? t : new Parameter(t, t.requiresGrad);
  });
  add("torch.Size", (args) => {
    if (args.length !== 1 || !Array.isArray(args[0]) || !args[0].every(isCount))
      throw new UnpicklingError("torch.Size expects one tuple of sizes");
    return Object.freeze([...(args[0] as number[])]);
  });
  add("torch.device", (args) => {
    if (typeof args[0] !== "string") throw new UnpicklingError("torch.device expects a string");
    if (args.length > 2 || (args.length === 2 && typeof args[1] !== "number"))
      throw new UnpicklingError("torch.device expects (type[, index])");
    return args.length === 2 ? `${args[0]}:${args[1] as number}` : args[0];
  });
  for (const [name, what] of [
    ["_rebuild_qtensor", "quantized tensors"],
    ["_rebuild_sparse_tensor", "sparse tensors"],
    ["_rebuild_sparse_csr_tensor", "sparse tensors"],
    ["_rebuild_meta_tensor_no_storage", "meta tensors"],
    ["_rebuild_wrapper_subclass", "tensor subclasses"],
    ["_rebuild_device_tensor_from_numpy", "tensors from numpy"],
    ["_rebuild_tensor_v3", "tensors of untyped storages"],
  ] as const)
    g.set(`torch._utils.${name}`, unsupported(`torch._utils.${name}`, what));
  return g;
}
