import type { Backend } from "./backend.js";
import { ReferenceBackend } from "./reference/index.js";
import { ValueError } from "../errors.js";

const backends = new Map<string, Backend>();
const reference = new ReferenceBackend();
backends.set(reference.name, reference);
let current: Backend = reference;

/**
 * Makes a backend available to `setBackend` by its name.
 *
 * @example
 * torch.registerBackend(new MyBackend()); torch.setBackend("mine");
 */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/**
 * Chooses the backend that runs every following op. All CPU backends share tensor storage, so
 * existing tensors keep working.
 *
 * @example
 * setBackend("reference");
 * torch.ones([2]).add(1); // runs on the plain-TypeScript reference kernels
 */
export function setBackend(name: string): void {
  const backend = backends.get(name);
  if (!backend) {
    throw new ValueError(
      `unknown backend "${name}"; available: ${[...backends.keys()].map((k) => `"${k}"`).join(", ")}`,
    );
  }
  current = backend;
}

/**
 * The backend that runs ops now.
 *
 * @example
 * torch.getBackend().name; // "native", "wasm" or "reference"
 */
export function getBackend(): Backend {
  return current;
}

/**
 * Names of the registered backends.
 *
 * @example
 * torch.listBackends(); // e.g. ["reference", "native"]
 */
export function listBackends(): string[] {
  return [...backends.keys()];
}

/**
 * Runs `fn` with `backend` (a registered name or a Backend object) as the current backend,
 * restoring the previous one afterwards, even if `fn` throws.
 *
 * @example
 * withBackend("reference", () => x.matmul(y)); // check a result against the reference kernels
 */
export function withBackend<T>(backend: Backend | string, fn: () => T): T {
  const previous = current;
  if (typeof backend === "string") setBackend(backend);
  else current = backend;
  try {
    return fn();
  } finally {
    current = previous;
  }
}
