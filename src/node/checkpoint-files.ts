import { readFileSync } from "node:fs";
import {
  captureCheckpoint,
  CheckpointError,
  deserializeCheckpoint,
  restoreCheckpoint,
  serializeCheckpoint,
  type Checkpoint,
  type CheckpointExtra,
  type TrainingObjects,
} from "../io/checkpoint.js";
import { atomicWriteFile, type AtomicWriteHooks } from "./atomic-write.js";

/**
 * Saves a full training checkpoint (model, optimizer, scheduler, epoch, generators, metadata) to
 * a safetensors file, atomically: a crash mid-save leaves the previous checkpoint intact. The
 * epoch defaults to 0.
 *
 * @example
 * saveCheckpoint("run/checkpoint.safetensors", { model, optimizer }, { epoch: epoch + 1 });
 * saveCheckpoint("model.safetensors", { model });
 */
export function saveCheckpoint(
  path: string,
  objects: TrainingObjects,
  extra: CheckpointExtra & { hooks?: AtomicWriteHooks } = {},
): void {
  atomicWriteFile(path, serializeCheckpoint(captureCheckpoint(objects, extra)), extra.hooks);
}

/**
 * Reads and validates a checkpoint file (a CheckpointError if it is missing or corrupt).
 *
 * @example
 * const { epoch, metadata } = readCheckpoint("run/checkpoint.safetensors");
 */
export function readCheckpoint(path: string): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(e as Error).message}`);
  }
  try {
    return deserializeCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(`${path}: ${e.message}`);
    throw e;
  }
}

/**
 * Loads a checkpoint file into the live objects and returns it (its `epoch` is where to resume).
 * Validates everything first: on error no parameter, optimizer state or generator has changed.
 *
 * @example
 * const start = loadCheckpoint("run/checkpoint.safetensors", { model, optimizer }).epoch;
 */
export function loadCheckpoint(path: string, objects: TrainingObjects): Checkpoint {
  const ckpt = readCheckpoint(path);
  restoreCheckpoint(ckpt, objects);
  return ckpt;
}
