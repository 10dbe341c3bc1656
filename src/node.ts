/**
 * torchlet's Node.js entry point: everything in the universal core (src/index.ts) plus the parts
 * that need Node's built-ins (files, native addon). Bundlers for the browser use src/index.ts
 * (package.json's "exports" conditions choose), so no Node built-in reaches a browser bundle.
 *
 * @example
 * import * as torch from "torchlet";
 * torch.save(model.stateDict(), "model.safetensors");
 */
export * from "./index.js";
export { save, load } from "./node/serialization-files.js";
export { loadWithMetadata } from "./node/safetensors-files.js";
export { readIdxFile } from "./node/idx-files.js";
// Replaces the core's torch.onnx (bytes only) with one that also writes files.
export * as onnx from "./node/onnx-files.js";
export {
  MNIST,
  FashionMNIST,
  MNISTLike,
  DatasetNotFoundError,
  type MNISTOptions,
} from "./node/datasets.js";

import "./node/uninitialized.js";

// In Node, the native backend (when its addon built) becomes the default; TORCHLET_BACKEND
// forces one. The browser entry (src/index.ts) never loads it.
import { registerNativeBackend } from "./backend/native/index.js";
registerNativeBackend();
export {
  NativeBackend,
  nativeBackendStatus,
  type NativeBackendStatus,
} from "./backend/native/index.js";
export { saveCheckpoint, loadCheckpoint, readCheckpoint } from "./node/checkpoint-files.js";

// WebAssembly threads run on worker_threads in Node (the browser core stays single-threaded
// until a Web Worker host is set).
import "./backend/wasm/node-threads.js";
import { getNumThreads, setNumThreads as setWasmThreads } from "./backend/wasm/index.js";
import { setNumThreads as setNativeThreads, nativeBackendStatus } from "./backend/native/index.js";

/**
 * Sets the number of threads every CPU backend uses (torch.set_num_threads); the default is the
 * number of cores available to the process.
 *
 * @example
 * torch.setNumThreads(1); // single-threaded, e.g. for timing
 */
export function setNumThreads(n: number): void {
  setWasmThreads(n);
  if (nativeBackendStatus().available) setNativeThreads(n);
}
export { getNumThreads };
