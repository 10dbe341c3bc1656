import { wasmBase64 as simdBase64 } from "./generated/kernels-simd.js";
import { wasmBase64 as relaxedBase64 } from "./generated/kernels-relaxed.js";

/** Which build of the kernels: plain WebAssembly SIMD, or with relaxed SIMD (fused multiply-add). */
export type WasmVariant = "simd" | "relaxed";

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64); // atob exists in browsers and Node >= 16, unlike Buffer
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const cache: Partial<Record<WasmVariant, Uint8Array<ArrayBuffer>>> = {};

/** The .wasm bytes of a variant. */
export function wasmBytes(variant: WasmVariant): Uint8Array<ArrayBuffer> {
  return (cache[variant] ??= decode(variant === "simd" ? simdBase64 : relaxedBase64));
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
