// Entry point of torchlet's WebAssembly kernels (built twice: plain SIMD and relaxed SIMD).
export { gemmF32, gemmWorkspaceBytes } from "./gemm";
export { binaryF32, unaryF32, reduceRowsF32, reduceColsF32 } from "./elementwise";

/** First byte the JS side may use for its buffers (after static data). */
export function heapBase(): usize {
  return __heap_base;
}
