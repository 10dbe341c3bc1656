import { deserialize, serialize, type SaveOptions } from "../io/serialization.js";
import type { Tensor } from "../tensor/tensor.js";
import { atomicWriteFile, type AtomicWriteHooks } from "./atomic-write.js";
import { readFileBytes } from "./read-file.js";

/**
 * Saves `obj` to a file, as torch.save: safetensors for a `.safetensors` path (a flat map of
 * tensors only), PyTorch's zip format otherwise (`.pt`, `.pth`, ...: any state dict, optimizer
 * state dict or checkpoint dict, which PyTorch reads with `torch.load(path)`); `format`
 * overrides the choice. The write is atomic: a failure leaves any previous file intact.
 *
 * @example
 * torch.save({ epoch, model: model.stateDict(), optimizer: optimizer.stateDict() }, "ckpt.pt");
 * torch.save(model.stateDict(), "model.safetensors");
 */
export function save(
  obj: unknown,
  path: string,
  options: SaveOptions & { hooks?: AtomicWriteHooks } = {},
): void {
  const format = options.format ?? (path.endsWith(".safetensors") ? "safetensors" : "pt");
  atomicWriteFile(path, serialize(obj, { ...options, format }), options.hooks);
}

/**
 * Loads a file (or its bytes) written by torch.save in PyTorch or torchlet, in PyTorch's zip
 * format or safetensors, told apart by the bytes, never by the name. Only tensors, containers
 * and numbers are built (PyTorch's `weights_only=True`): a file that refers to any other Python
 * global is refused with an UnpicklingError naming it. The type parameter is the caller's claim
 * about what the file holds.
 *
 * @example
 * model.loadStateDict(torch.load("model.pt"));
 * const ckpt = torch.load<{ epoch: number; optimizer: OptimizerStateDict }>("ckpt.pt");
 */
export function load<T = Record<string, Tensor>>(pathOrBytes: string | Uint8Array): T {
  if (typeof pathOrBytes !== "string") return deserialize<T>(pathOrBytes);
  return deserialize<T>(readFileBytes(pathOrBytes));
}
