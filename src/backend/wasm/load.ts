import { wasmBase64 as simdBase64 } from "./generated/kernels-simd.js";
import { wasmBase64 as relaxedBase64 } from "./generated/kernels-relaxed.js";
import { wasmBase64 as simdSharedBase64 } from "./generated/kernels-simd-shared.js";
import { wasmBase64 as relaxedSharedBase64 } from "./generated/kernels-relaxed-shared.js";

/** Which build of the kernels: plain WebAssembly SIMD, or with relaxed SIMD (fused multiply-add). */
export type WasmVariant = "simd" | "relaxed";

/**
 * Whether a build owns its memory ("private") or imports a shared one ("shared", which the thread
 * pool's workers instantiate over too). Same kernels, same numbers.
 */
export type WasmMemoryKind = "private" | "shared";

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64); // atob exists in browsers and Node >= 16, unlike Buffer
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const sources: Record<`${WasmVariant}-${WasmMemoryKind}`, string> = {
  "simd-private": simdBase64,
  "relaxed-private": relaxedBase64,
  "simd-shared": simdSharedBase64,
  "relaxed-shared": relaxedSharedBase64,
};
const cache: Partial<Record<keyof typeof sources, Uint8Array<ArrayBuffer>>> = {};

/** @internal The .wasm bytes of a variant. */
export function wasmBytes(
  variant: WasmVariant,
  memory: WasmMemoryKind = "private",
): Uint8Array<ArrayBuffer> {
  const key = `${variant}-${memory}` as const;
  return (cache[key] ??= decode(sources[key]));
}

/** Whether this engine accepts a variant (relaxed SIMD needs Node 22+, or a V8 flag on Node 20). */
export function supportsVariant(variant: WasmVariant): boolean {
  return typeof WebAssembly === "object" && WebAssembly.validate(wasmBytes(variant));
}

/** The best variant this engine runs, or undefined where it has no WebAssembly SIMD at all. */
export function bestVariant(): WasmVariant | undefined {
  if (supportsVariant("relaxed")) return "relaxed";
  return supportsVariant("simd") ? "simd" : undefined;
}

/**
 * Whether shared WebAssembly memory is available: always in Node; in browsers only on
 * cross-origin isolated pages (COOP/COEP headers), where SharedArrayBuffer exists.
 */
export function supportsSharedMemory(): boolean {
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return false;
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (g.crossOriginIsolated === false) return false;
  try {
    new WebAssembly.Memory({ initial: 0, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** Pages (64 KiB) the shared memory may grow to: the module declares 65536 (4 GiB, all of wasm32). */
export const SHARED_MAX_PAGES = 65536;
