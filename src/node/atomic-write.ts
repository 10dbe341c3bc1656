import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

/** Test hooks to simulate a failure between writing and renaming (not a supported API). */
export interface AtomicWriteHooks {
  afterWrite?: () => void;
}

/**
 * Writes `bytes` to `path` so that a reader sees either the old file or the complete new one:
 * write a temporary file beside it, flush it to disk, then rename over the old one. On failure
 * the temporary file is removed and the old file is untouched.
 */
export function atomicWriteFile(
  path: string,
  bytes: Uint8Array,
  hooks: AtomicWriteHooks = {},
): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, "wx");
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    hooks.afterWrite?.();
    renameSync(temp, path);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  // Flush the directory entry too, where the platform allows opening a directory.
  try {
    const dirFd = openSync(dirname(path), "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Not supported on this platform (e.g. Windows); the rename itself has happened.
  }
}
