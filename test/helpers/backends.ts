import type { Backend } from "../../src/index.js";
import { ReferenceBackend } from "../../src/backend/reference/index.js";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { NativeBackend, nativeAddon } from "../../src/backend/native/index.js";

/** A backend to run the conformance suite on, with a label for test names. */
export interface ConformanceBackend {
  readonly label: string;
  readonly backend: Backend;
}

let cached: ConformanceBackend[] | null = null;

/**
 * Every backend the op conformance suite runs on. Fast backends are used with their size
 * thresholds at 0, so that the small fixture tensors go through their kernels rather than the
 * reference loops they fall back to for tiny inputs. The native backend joins when its addon
 * built here (npm install builds it; without a compiler it is absent and the suite says so).
 */
export function conformanceBackends(): ConformanceBackend[] {
  if (cached) return cached;
  cached = [
    { label: "reference", backend: new ReferenceBackend() },
    {
      label: "wasm",
      backend: new WasmBackend({
        thresholds: {
          gemm: 0,
          binary: 0,
          unary: 0,
          transcendental: 0,
          reduce: 0,
          softmax: 0,
        },
      }),
    },
  ];
  const addon = nativeAddon();
  if (addon) {
    cached.push({
      label: "native",
      backend: new NativeBackend(addon, {
        matmul: 0,
        binary: 0,
        unary: 0,
        sum: 0,
        windows: 0,
        softmax: 0,
      }),
    });
  }
  return cached;
}
