import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
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
  // The temporary name carries the writer's pid, so that a later save can tell the leftovers of
  // a writer that was killed (its pid is gone) from another process's save in progress.
  const temp = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
  );
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
    removeLeftovers(path);
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

/** Whether a process with this pid exists on this machine. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temporary files that writers of `path` killed mid-write left beside it (their pid
 * no longer runs), so a crash leaves nothing behind once the same target is saved again.
 */
function removeLeftovers(path: string): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const m = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    rmSync(join(dirname(path), name), { force: true });
  }
}
