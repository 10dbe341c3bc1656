import { checkBytes } from "../validation/arguments.js";
/**
 * The IDX format of MNIST-style datasets: two zero bytes, a type code, the number of dims, each
 * dim as a big-endian uint32, then the values big-endian. http://yann.lecun.com/exdb/mnist/
 */
import { TorchletError } from "../errors.js";
import { allocate, type DType } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

/**
 * A file that is not valid IDX (bad magic, truncated, wrong length).
 *
 * @example
 * try {
 *   torch.data.parseIdx(bytes);
 * } catch (e) {
 *   if (e instanceof torch.data.IdxFormatError) console.log(e.message);
 * }
 */
export class IdxFormatError extends TorchletError {}

interface IdxType {
  readonly size: number;
  readonly dtype: DType;
  readonly read: (view: DataView, offset: number) => number;
}

const types: Record<number, IdxType> = {
  0x08: { size: 1, dtype: "int32", read: (v, o) => v.getUint8(o) },
  0x09: { size: 1, dtype: "int32", read: (v, o) => v.getInt8(o) },
  0x0b: { size: 2, dtype: "int32", read: (v, o) => v.getInt16(o, false) },
  0x0c: { size: 4, dtype: "int32", read: (v, o) => v.getInt32(o, false) },
  0x0d: { size: 4, dtype: "float32", read: (v, o) => v.getFloat32(o, false) },
  0x0e: { size: 8, dtype: "float64", read: (v, o) => v.getFloat64(o, false) },
};

/**
 * Parses IDX bytes (already decompressed) into a tensor: unsigned/signed bytes and shorts and
 * ints become int32, floats float32, doubles float64. `name` is used in error messages.
 *
 * @example
 * const images = parseIdx(bytes); // [60000, 28, 28] int32 in 0..255
 */
export function parseIdx(bytes: Uint8Array, name = "IDX data"): Tensor {
  checkBytes("parseIdx", "bytes", bytes);
  if (bytes.length < 4)
    throw new IdxFormatError(`${name}: file is ${bytes.length} bytes, too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(
      `${name}: bad magic number (first two bytes must be 0, got ${bytes[0]}, ${bytes[1]})`,
    );
  }
  const type = types[bytes[2]!];
  if (!type)
    throw new IdxFormatError(
      `${name}: unknown IDX type code 0x${bytes[2]!.toString(16).padStart(2, "0")}`,
    );
  const ndim = bytes[3]!;
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength)
    throw new IdxFormatError(
      `${name}: truncated header (${ndim} dims need ${headerLength} bytes, file has ${bytes.length})`,
    );
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    count *= size;
  }
  const expected = headerLength + count * type.size;
  if (bytes.length !== expected) {
    throw new IdxFormatError(
      `${name}: expected ${expected} bytes for shape [${shape.join(", ")}] but the file has ${bytes.length}` +
        (bytes.length < expected ? " (truncated?)" : ""),
    );
  }
  const data = allocate(type.dtype, count);
  if (type.size === 1 && bytes[2] === 0x08) {
    for (let i = 0; i < count; i++) data[i] = bytes[headerLength + i]!;
  } else {
    for (let i = 0; i < count; i++) data[i] = type.read(view, headerLength + i * type.size);
  }
  return Tensor.fromData(data, shape);
}
