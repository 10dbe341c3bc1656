import { readFileSync } from "node:fs";
import { FileNotFoundError, FileReadError } from "../errors.js";

/**
 * A file's bytes for a loader, with torchlet's errors instead of Node's bare ones: a missing
 * file is a FileNotFoundError worded as Python's (`[Errno 2] No such file or directory: 'x'`),
 * any other failure a FileReadError that names the path and the reason.
 */
export function readFileBytes(path: string): Uint8Array {
  if (typeof path !== "string") {
    throw new FileReadError(`expected a file path (a string), got ${typeof path}`);
  }
  try {
    const bytes = readFileSync(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new FileNotFoundError(`[Errno 2] No such file or directory: '${path}'`);
    }
    if (code === "EISDIR") throw new FileReadError(`[Errno 21] Is a directory: '${path}'`);
    if (code === "EACCES") throw new FileReadError(`[Errno 13] Permission denied: '${path}'`);
    throw new FileReadError(`cannot read '${path}': ${(e as Error).message}`);
  }
}
