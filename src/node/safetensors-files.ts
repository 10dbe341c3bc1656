import {
  deserialize,
  serialize,
  type Deserialized,
  type SerializeOptions,
  type TensorMap,
} from "../io/safetensors.js";
import type { Tensor } from "../tensor/tensor.js";
import { readFileBytes } from "./read-file.js";
import { atomicWriteFile, type AtomicWriteHooks } from "./atomic-write.js";

/**
 * Saves tensors (e.g. `model.stateDict()`) to a safetensors file that PyTorch reads with
 * `safetensors.torch.load_file`. The write is atomic: a failure leaves any previous file intact.
 *
 * @example
 * save(model.stateDict(), "model.safetensors");
 */
export function save(
  tensors: Record<string, Tensor> | Map<string, Tensor>,
  path: string,
  options: SerializeOptions & { hooks?: AtomicWriteHooks } = {},
): void {
  atomicWriteFile(path, serialize(tensors, options), options.hooks);
}

/**
 * Loads a safetensors file's tensors by name (PyTorch's keys).
 *
 * @example
 * model.loadStateDict(load("model.safetensors"));
 */
export function load(path: string): TensorMap {
  return loadWithMetadata(path).tensors;
}

/**
 * Loads a safetensors file's tensors and its `__metadata__` strings.
 *
 * @example
 * const { tensors, metadata } = torch.loadWithMetadata("model.safetensors");
 */
export function loadWithMetadata(path: string): Deserialized {
  return deserialize(readFileBytes(path));
}
