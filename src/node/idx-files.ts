import { readFileBytes } from "./read-file.js";
import { gunzipSync } from "node:zlib";
import { IdxFormatError, parseIdx } from "../data/idx.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * Reads an IDX file, gzipped (detected by its magic bytes) or raw.
 *
 * @example
 * const labels = readIdxFile("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
 */
export function readIdxFile(path: string): Tensor {
  let bytes: Uint8Array = readFileBytes(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new IdxFormatError(`${path}: gzip data is corrupt (${(e as Error).message})`);
    }
  }
  return parseIdx(bytes, path);
}
